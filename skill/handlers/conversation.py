"""Handlers for intents: answers inside a practice, starting one, and the
built-ins that work everywhere (help, stop, repeat, continue, fallback)."""

from __future__ import annotations

from skill.handlers.base import TurnHandler
from skill.handlers.routing import Route, route_of
from skill.intents import Intent
from skill.practices.base import Practice
from skill.practices.registry import active_practice, begin, starting_intents
from skill.practices.safety import help_reply
from skill.session import Flow, Step
from skill.speech.render import Line, Reply, say
from skill.turn import Turn


def menu(turn: Turn, *before: Line) -> Reply:
    return Reply.ask(*before, question=say("launch.what_next"), reprompt=say("launch.menu"))


def in_practice(turn: Turn) -> tuple[Practice, Step] | None:
    """The active practice and where it stands, or None between practices."""
    practice, step = active_practice(turn), turn.state.current
    return (practice, step) if practice is not None and step is not None else None


class RoutedHandler(TurnHandler):
    route: Route

    def accepts(self, turn: Turn) -> bool:
        return route_of(turn) is self.route


class SafetyHandler(RoutedHandler):
    route = Route.SAFETY

    def reply(self, turn: Turn) -> Reply:
        return help_reply(turn)


class AnswerHandler(RoutedHandler):
    route = Route.ANSWER

    def reply(self, turn: Turn) -> Reply:
        active = in_practice(turn)
        if active is None:
            raise RuntimeError("routed as an answer with no active practice")
        practice, step = active
        return practice.answer(turn, step)


class StartHandler(RoutedHandler):
    route = Route.START

    def reply(self, turn: Turn) -> Reply:
        assert turn.intent is not None
        return begin(turn, starting_intents()[turn.intent])


class HelpHandler(RoutedHandler):
    route = Route.HELP

    def reply(self, turn: Turn) -> Reply:
        if active := in_practice(turn):
            practice, step = active
            return practice.help(turn, step)
        return menu(turn, say("help.general"))


class StopHandler(RoutedHandler):
    route = Route.STOP

    def reply(self, turn: Turn) -> Reply:
        if active := in_practice(turn):
            practice, step = active
            kept = practice.stopped(turn, step)
            turn.state.current = None
            turn.state.queue = []
            return Reply.tell(*kept, say("common.goodbye_mid"))
        return Reply.tell(say("common.goodbye"))


class RepeatHandler(RoutedHandler):
    route = Route.REPEAT

    def reply(self, turn: Turn) -> Reply:
        if active := in_practice(turn):
            practice, step = active
            return practice.ask_again(turn, step)
        return menu(turn)


class ContinueHandler(RoutedHandler):
    route = Route.CONTINUE

    def reply(self, turn: Turn) -> Reply:
        state = turn.state
        if turn.intent is Intent.NO:
            state.paused = None
            next_flow = state.finish()
            if next_flow is not None:
                # Declining to go back does not leave the evening ritual.
                return begin(turn, next_flow)
            return Reply.tell(say("common.goodbye"))
        if state.paused is not None:
            # "Let's continue" goes back to what was interrupted.
            state.current, state.paused = state.paused, None
        if active := in_practice(turn):
            practice, step = active
            return practice.resume(turn, step)
        return menu(turn, say("common.nothing_to_continue"))


class StartOverHandler(RoutedHandler):
    route = Route.START_OVER

    def reply(self, turn: Turn) -> Reply:
        step = turn.state.current
        if step is None:
            return menu(turn)
        flow: Flow = step.flow
        turn.state.current = None
        return begin(turn, flow, say("common.starting_over"))


class FallbackHandler(RoutedHandler):
    route = Route.FALLBACK

    def reply(self, turn: Turn) -> Reply:
        if active := in_practice(turn):
            practice, step = active
            return practice.unexpected(turn, step)
        return menu(turn, say("common.fallback"))


class OutOfContextHandler(RoutedHandler):
    """A known intent that makes no sense now (an answer with no question pending)."""

    route = Route.OUT_OF_CONTEXT

    def reply(self, turn: Turn) -> Reply:
        if active := in_practice(turn):
            practice, step = active
            return practice.unexpected(turn, step)
        if turn.intent is Intent.YES:
            # "Yes" to the menu: glad to, but which one?
            return Reply.ask(question=say("common.yes_to_menu"), reprompt=say("launch.menu"))
        if turn.intent is Intent.NO:
            # "No" to "what would you like to do?": nothing today, and that's fine.
            return Reply.tell(say("common.goodbye"))
        return menu(turn, say("common.out_of_context"))


INTENT_HANDLERS: tuple[type[RoutedHandler], ...] = (
    SafetyHandler,
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
