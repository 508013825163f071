""" "Forget everything about us": confirm, then delete every item of the couple."""

from __future__ import annotations

import logging

from skill.intents import Intent
from skill.practices.base import Practice
from skill.session import Flow, Step
from skill.speech.render import Line, Reply, say
from skill.store.base import StoreError
from skill.turn import Turn

log = logging.getLogger(__name__)


class Forget(Practice):
    flow = Flow.FORGET
    speech = "forget"
    starts = frozenset({Intent.FORGET_US})
    answers = frozenset({Intent.YES, Intent.NO})
    needs_couple = False

    def start(self, turn: Turn) -> Reply:
        step = turn.state.start(Flow.FORGET, "confirm")
        return self.ask_again(turn, step, say("forget.warning"))

    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        return say("forget.confirm"), say("forget.confirm_reprompt")

    def answer(self, turn: Turn, step: Step) -> Reply:
        turn.state.current = None
        if turn.intent is not Intent.YES:
            return Reply.tell(say("forget.kept"))
        turn.forget_pending()
        try:
            removed = turn.services.store.delete_couple(turn.couple_id)
        except StoreError:
            log.warning("forget failed; will need asking again")
            return Reply.tell(say("forget.failed"))
        log.info("couple data deleted on request", extra={"items": removed})
        turn.state.paused = None
        turn.state.queue = []
        turn.state.speaker = None
        return Reply.tell(say("forget.done"))
