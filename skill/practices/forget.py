""" "Forget everything about us": confirm, then delete every item of the couple."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from skill.intents import Intent
from skill.practices.base import Practice
from skill.practices.outcomes import Ask, End, Outcome
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.store.base import StoreError
from skill.turn import Turn

log = logging.getLogger(__name__)


class ForgetStep(StrEnum):
    CONFIRM = "confirm"


@dataclass(frozen=True, kw_only=True)
class ForgetState(PracticeState):
    flow = Flow.FORGET

    step: ForgetStep = ForgetStep.CONFIRM


class Forget(Practice[ForgetState]):
    flow = Flow.FORGET
    state_type = ForgetState
    speech = "forget"
    starts = frozenset({Intent.FORGET_US})
    answers = frozenset({Intent.YES, Intent.NO})
    needs_couple = False

    def start(self, turn: Turn) -> Outcome:
        return Ask(ForgetState(), say("forget.warning"))

    def question(self, turn: Turn, state: ForgetState) -> tuple[Line, Line]:
        return say("forget.confirm"), say("forget.confirm_reprompt")

    def answer(self, turn: Turn, state: ForgetState) -> Outcome:
        if turn.intent is not Intent.YES:
            return End(say("forget.kept"))
        turn.forget_pending()
        try:
            deletion = turn.services.store.delete_couple(turn.couple_id)
        except StoreError:
            log.warning("forget failed; will need asking again")
            return End(say("forget.failed"))
        log.info(
            "couple data deleted on request",
            extra={"items": deletion.removed, "finished": deletion.finished},
        )
        # Who was speaking is forgotten too (End drops whatever was going on).
        turn.state.speaker = None
        # Never claim a deletion that has not happened: say what is left, and when it goes.
        if deletion.finished:
            return End(say("forget.done"))
        return End(say("forget.partial", days=turn.services.settings.event_ttl_days))
