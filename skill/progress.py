"""Progressive responses: a short line Alexa speaks while a slower turn is prepared.

Sent only where Alexa accepts one (a LaunchRequest or IntentRequest carrying an API
endpoint and token; never for skill events), within the same short API deadline; a
failure is logged (its kind only) and the turn goes on as if nothing was sent."""

from __future__ import annotations

import logging

from ask_sdk_model import IntentRequest, LaunchRequest
from ask_sdk_model.services.directive import Header, SendDirectiveRequest, SpeakDirective

from skill.alexa_api import DEFAULT_TIMEOUT_SECONDS, budget, services_of
from skill.speech.render import Line
from skill.speech.ssml import speak
from skill.turn import Turn

log = logging.getLogger(__name__)

PROGRESS_SECONDS = DEFAULT_TIMEOUT_SECONDS


def progress_allowed(turn: Turn) -> bool:
    """Alexa takes progressive responses only for launch and intent requests."""
    if not isinstance(turn.request, LaunchRequest | IntentRequest):
        return False
    if services_of(turn.handler_input) is None:
        return False
    system = turn.envelope.context.system if turn.envelope.context else None
    return bool(
        system is not None
        and system.api_access_token
        and system.api_endpoint
        and getattr(turn.request, "request_id", None)
    )


def send_progress(turn: Turn, line: Line) -> bool:
    """Speak `line` now, before the turn's answer; True when Alexa accepted it."""
    if not progress_allowed(turn):
        return False
    directive = SendDirectiveRequest(
        header=Header(request_id=turn.request_id),
        directive=SpeakDirective(speech=speak(turn.renderer.line(line))),
    )
    factory = services_of(turn.handler_input)
    assert factory is not None
    try:
        with budget(PROGRESS_SECONDS):
            factory.get_directive_service().enqueue(directive)
    except Exception as error:  # a missed courtesy must never fail the turn
        log.warning("progressive response not sent", extra={"error_type": type(error).__name__})
        return False
    return True
