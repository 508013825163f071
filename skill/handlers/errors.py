"""Exception handlers: a kind answer, a log line with no personal data, and never
a claim that something was saved when it was not."""

from __future__ import annotations

import contextlib
import logging
import traceback

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.session import SessionState
from skill.speech.content import content_for
from skill.speech.render import Renderer, say
from skill.store.base import StoreError
from skill.turn import Turn

log = logging.getLogger(__name__)


def _where(error: BaseException) -> str:
    """File, line and function of each frame: the shape of the failure, no values."""
    frames = traceback.extract_tb(error.__traceback__)
    return " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in frames[-6:])


def _renderer(handler_input: HandlerInput) -> Renderer:
    request = handler_input.request_envelope.request
    locale = getattr(request, "locale", None) or "en-US"
    seed = getattr(request, "request_id", None) or "error"
    return Renderer(content_for(locale), seed)


class EventNotHandled(Exception):  # noqa: N818 - named for what happened
    """A skill event (SkillDisabled) whose work could not be done: no exception
    handler answers it, so the invocation fails (Lambda reports an error, the web
    service a 500) and the event can be delivered again."""


class StoreFailureHandler(AbstractExceptionHandler):
    """The store failed: say so plainly, keep the session where it was, so the
    couple can simply say it again."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, StoreError) and not isinstance(exception, EventNotHandled)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.warning(
            "store failed; nothing saved",
            extra={"error_type": type(exception).__name__, "where": _where(exception)},
        )
        was_saving = _forget_unsaved(handler_input)
        renderer = _renderer(handler_input)
        builder = handler_input.response_builder
        speech = renderer.line(say("error.store" if was_saving else "error.store_read"))
        builder.speak(speech).ask(renderer.line(say("error.store_reprompt")))
        response: Response = builder.response
        return response


class CatchAllHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return not isinstance(exception, EventNotHandled)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error(
            "handler failed",
            extra={"error_type": type(exception).__name__, "where": _where(exception)},
        )
        _forget_unsaved(handler_input)
        # Whatever state led here is not to be trusted again: start afresh.
        if handler_input.request_envelope.session is not None:
            handler_input.attributes_manager.session_attributes = SessionState().to_attributes()
        renderer = _renderer(handler_input)
        builder = handler_input.response_builder
        builder.speak(renderer.line(say("error.general"))).ask(
            renderer.line(say("error.general_reprompt"))
        )
        response: Response = builder.response
        return response


def _forget_unsaved(handler_input: HandlerInput) -> bool:
    """Drop what this turn meant to save; True when there was something."""
    with contextlib.suppress(RuntimeError):
        turn = Turn.of(handler_input)
        pending = turn.has_pending_changes
        turn.forget_pending()
        return pending
    return False
