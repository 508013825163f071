"""Handlers for intents: answers inside a practice, starting one, and the
built-ins that work everywhere (help, stop, repeat, continue, fallback)."""

from __future__ import annotations

from skill.handlers.base import TurnHandler
from skill.handlers.routing import Route, route_of
from skill.handlers.transitions import apply, begin, menu
from skill.intents import Intent
from skill.practices.outcomes import AskAgain
from skill.practices.registry import active, resumable_later, starting_intents
from skill.session import Flow
from skill.speech.render import Reply, say
from skill.turn import Turn


class RoutedHandler(TurnHandler):
    route: Route

    def accepts(self, turn: Turn) -> bool:
        return route_of(turn) is self.route


class SafetyHandler(RoutedHandler):
    route = Route.SAFETY

    def reply(self, turn: Turn) -> Reply:
        from skill.practices.safety import help_reply

        return apply(turn, help_reply(turn))


class SafetyCheckHandler(RoutedHandler):
    route = Route.SAFETY_CHECK

    def reply(self, turn: Turn) -> Reply:
        return begin(turn, Flow.SAFETY_CHECK)


class RepairHandler(RoutedHandler):
    route = Route.REPAIR

    def reply(self, turn: Turn) -> Reply:
        return begin(turn, Flow.REPAIR)


class AnswerHandler(RoutedHandler):
    route = Route.ANSWER

    def reply(self, turn: Turn) -> Reply:
        running = active(turn)
        if running is None:
            raise RuntimeError("routed as an answer with no active practice")
        return apply(turn, running.answer(turn), running.flow)


class StartHandler(RoutedHandler):
    route = Route.START

    def reply(self, turn: Turn) -> Reply:
        assert turn.intent is not None
        return begin(turn, starting_intents()[turn.intent])


class HelpHandler(RoutedHandler):
    route = Route.HELP

    def reply(self, turn: Turn) -> Reply:
        if running := active(turn):
            return apply(turn, running.help(turn), running.flow)
        return menu(say("help.general"))


class StopHandler(RoutedHandler):
    route = Route.STOP

    def reply(self, turn: Turn) -> Reply:
        if running := active(turn):
            kept = running.stopped(turn)
            turn.state.current = None
            turn.state.queue = []
            return Reply.tell(*kept, say("common.goodbye_mid"))
        return Reply.tell(say("common.goodbye"))


class RepeatHandler(RoutedHandler):
    route = Route.REPEAT

    def reply(self, turn: Turn) -> Reply:
        if running := active(turn):
            return apply(turn, AskAgain(running.state), running.flow)
        return menu()


class ContinueHandler(RoutedHandler):
    route = Route.CONTINUE

    def reply(self, turn: Turn) -> Reply:
        state = turn.state
        if turn.intent is Intent.NO:
            state.paused = None
            next_flow = state.next_queued()
            if next_flow is not None:
                # Declining to go back does not leave the evening ritual.
                return begin(turn, next_flow)
            return Reply.tell(say("common.goodbye"))
        if state.paused is not None:
            # "Let's continue" goes back to what was interrupted.
            state.current, state.paused = state.paused, None
        if running := active(turn):
            return apply(turn, running.resume(turn), running.flow)
        later = resumable_later(turn) if turn.profile.is_set_up else None
        if later is not None:
            # Cut off in an earlier session (two silences): picked up where it was.
            return apply(turn, later[1], later[0])
        return menu(say("common.nothing_to_continue"))


class StartOverHandler(RoutedHandler):
    route = Route.START_OVER

    def reply(self, turn: Turn) -> Reply:
        current = turn.state.current
        if current is None:
            return menu()
        turn.state.current = None
        return begin(turn, current.flow, say("common.starting_over"))


class FallbackHandler(RoutedHandler):
    route = Route.FALLBACK

    def reply(self, turn: Turn) -> Reply:
        if running := active(turn):
            return apply(turn, running.unexpected(turn), running.flow)
        return menu(say("common.fallback"))


class OutOfContextHandler(RoutedHandler):
    """A known intent that makes no sense now (an answer with no question pending)."""

    route = Route.OUT_OF_CONTEXT

    def reply(self, turn: Turn) -> Reply:
        if running := active(turn):
            return apply(turn, running.unexpected(turn), running.flow)
        if turn.intent is Intent.YES:
            # "Yes" to the menu: glad to, but which one?
            return Reply.ask(question=say("common.yes_to_menu"), reprompt=say("launch.menu"))
        if turn.intent is Intent.NO:
            # "No" to "what would you like to do?": nothing today, and that's fine.
            return Reply.tell(say("common.goodbye"))
        return menu(say("common.out_of_context"))


INTENT_HANDLERS: tuple[type[RoutedHandler], ...] = (
    SafetyHandler,
    SafetyCheckHandler,
    RepairHandler,
    AnswerHandler,
    StartHandler,
    HelpHandler,
    StopHandler,
    RepeatHandler,
    ContinueHandler,
    StartOverHandler,
    FallbackHandler,
    OutOfContextHandler,
)
