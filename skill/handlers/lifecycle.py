"""Launch, session end, device errors and skill events."""

from __future__ import annotations

import logging

from ask_sdk_model import Response

from skill.handlers.base import TurnHandler
from skill.handlers.conversation import RoutedHandler
from skill.handlers.errors import EventNotHandled
from skill.handlers.respond import respond
from skill.handlers.routing import Route
from skill.handlers.transitions import apply
from skill.practices.outcomes import Menu, Purpose
from skill.practices.registry import active
from skill.practices.who import Who, present_partner, unknown_voice
from skill.session import Flow
from skill.speech.render import Reply, say
from skill.store.base import StoreError
from skill.turn import Turn

log = logging.getLogger(__name__)


class CanFulfillHandler(RoutedHandler):
    """Alexa asking whether a name-free request is ours: answered by
    skill.handlers.can_fulfill, loaded with the first such request."""

    route = Route.CAN_FULFILL

    def handle(self, handler_input: object) -> Response:
        from skill.handlers.can_fulfill import answer_name_free

        return answer_name_free(Turn.of(handler_input))  # type: ignore[arg-type]

    def reply(self, turn: Turn) -> Reply:  # pragma: no cover - handle() answers
        return Reply()


class LaunchHandler(RoutedHandler):
    route = Route.LAUNCH

    def reply(self, turn: Turn) -> Reply:
        profile = turn.profile
        if not profile.is_set_up:
            from skill.practices.setup import Setup

            return apply(turn, Setup.asking_names(None))
        if unknown_voice(turn):
            # A recognised voice we have not met: learn whose it is, once.
            return apply(turn, Who.asking(None, Purpose.UNKNOWN_VOICE, say("launch.hello")))
        present_partner(turn)
        name = turn.speaker_name()
        greeting = say("launch.hello_name", name=name) if name else say("launch.hello")
        # What a practice has to bring up comes first, else the menu.
        return apply(turn, Menu(greeting, news=True))


class _SilentHandler(RoutedHandler):
    """Requests that take no speech: do the work, answer with an empty response."""

    def handle(self, handler_input: object) -> Response:
        turn = Turn.of(handler_input)  # type: ignore[arg-type]
        self.work(turn)
        response: Response = turn.handler_input.response_builder.response
        return response

    def reply(self, turn: Turn) -> Reply:  # pragma: no cover - never called
        return Reply()

    def work(self, turn: Turn) -> None:
        raise NotImplementedError


class SessionEndedHandler(_SilentHandler):
    route = Route.SESSION_ENDED

    def work(self, turn: Turn) -> None:
        reason = getattr(turn.request, "reason", None)
        error = getattr(turn.request, "error", None)
        log.info(
            "session ended",
            extra={
                "reason": str(getattr(reason, "value", reason)),
                "error_type": str(getattr(getattr(error, "object_type", None), "value", "")),
            },
        )
        running = active(turn)
        if running is None:
            return
        # Silence ended a practice: keep what matters, as "stop" would.
        running.stopped(turn)
        try:
            turn.save()
        except StoreError:
            log.warning("could not keep progress at session end")


class SystemExceptionHandler(_SilentHandler):
    route = Route.SYSTEM_EXCEPTION

    def work(self, turn: Turn) -> None:
        error = getattr(turn.request, "error", None)
        log.warning(
            "device reported an error",
            extra={"error_type": str(getattr(getattr(error, "object_type", None), "value", ""))},
        )


class SkillEventHandler(_SilentHandler):
    route = Route.SKILL_EVENT

    def work(self, turn: Turn) -> None:
        kind = str(getattr(turn.request, "object_type", ""))
        if kind == "AlexaSkillEvent.SkillDisabled":
            try:
                deletion = turn.services.store.delete_couple(turn.couple_id)
            except StoreError as error:
                raise EventNotHandled("the couple's data could not be deleted") from error
            if not deletion.finished:
                # The profile is gone (a tombstone stands in its place); failing the
                # invocation has the event delivered again, which finishes the rest.
                raise EventNotHandled("the couple's data is not all deleted yet")
            log.info("skill disabled: couple data deleted", extra={"items": deletion.removed})
            return
        from skill.practices.message_alert import keep_notifications
        from skill.proactive import subscribed

        allowed = subscribed(turn.request)
        if allowed is not None:
            keep_notifications(turn, allowed)
        log.info("skill event", extra={"event": kind})


class ConnectionResponseHandler(RoutedHandler):
    """Alexa's answer to our voice permission request: set the pending reminder, or
    explain how to allow reminders (with a permissions card in the Alexa app)."""

    route = Route.CONNECTION_RESPONSE

    def handle(self, handler_input: object) -> Response:
        from skill.practices.reminders import consent_card, permission_result

        turn = Turn.of(handler_input)  # type: ignore[arg-type]
        answer = permission_result(turn)
        response = respond(turn, apply(turn, answer.outcome, Flow.REMINDERS))
        if answer.consent_card:
            response.card = consent_card()
        return response

    def reply(self, turn: Turn) -> Reply:  # pragma: no cover - handle() answers
        from skill.practices.reminders import permission_result

        return apply(turn, permission_result(turn).outcome, Flow.REMINDERS)


class UnsupportedHandler(_SilentHandler):
    route = Route.UNSUPPORTED

    def work(self, turn: Turn) -> None:
        log.info(
            "request type not handled",
            extra={"event": str(getattr(turn.request, "object_type", ""))},
        )


LIFECYCLE_HANDLERS: tuple[type[TurnHandler], ...] = (
    CanFulfillHandler,
    LaunchHandler,
    SessionEndedHandler,
    SystemExceptionHandler,
    SkillEventHandler,
    ConnectionResponseHandler,
    UnsupportedHandler,
)
