"""Readiness and tips: a journaling prompt and short tips on the three common traps.
(The help response for anyone in danger is `skill.practices.safety`.)"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from skill.intents import Intent
from skill.practices.base import Practice
from skill.practices.outcomes import Ask, Finish, Outcome
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.turn import Turn


class Trap(StrEnum):
    """The three common traps (TrapType ids in the interaction model)."""

    SOLUTIONS = "solutions"
    NEGATIVE_STORIES = "negative_stories"
    FIX_MY_FEELINGS = "fix_my_feelings"


TRAPS = tuple(trap.value for trap in Trap)
JOURNAL_PREFIX = "journal.prompt."

T = TypeVar("T")


class TipsStep(StrEnum):
    MORE_TIPS = "more_tips"
    MORE_JOURNAL = "more_journal"


@dataclass(frozen=True, kw_only=True)
class TipsState(PracticeState):
    flow = Flow.TIPS

    step: TipsStep
    # Tips: the traps told so far and the one offered next.
    shown: tuple[Trap, ...] = ()
    next_trap: Trap = Trap.SOLUTIONS
    # Journaling: the prompts given so far (by their index).
    used: tuple[int, ...] = ()


class Tips(Practice[TipsState]):
    flow = Flow.TIPS
    state_type = TipsState
    starts = frozenset({Intent.TIPS, Intent.JOURNAL_PROMPT})
    answers = frozenset({Intent.YES, Intent.NO})
    needs_couple = False
    speech = "tips"

    def start(self, turn: Turn) -> Outcome:
        if turn.intent is Intent.JOURNAL_PROMPT:
            return self._journal(turn, used=())
        reading = turn.slot("trap")
        trap = Trap(reading.resolved_id) if reading.resolved_id in TRAPS else None
        before: list[Line] = []
        if trap is None:
            if reading.raw:
                before.append(say("tips.unknown_trap"))
            trap = _pick(tuple(Trap), f"{turn.request_id}:trap")
        return self._tip(turn, trap, shown=(trap,), before=before)

    def question(self, turn: Turn, state: TipsState) -> tuple[Line, Line]:
        if state.step is TipsStep.MORE_JOURNAL:
            return say("journal.offer_another"), say("journal.offer_another_reprompt")
        trap = turn.renderer.line(say(f"tips.name.{state.next_trap.value}"))
        return say("tips.offer_another", trap=trap), say("tips.offer_another_reprompt", trap=trap)

    def answer(self, turn: Turn, state: TipsState) -> Outcome:
        if turn.intent is Intent.YES:
            if state.step is TipsStep.MORE_JOURNAL:
                return self._journal(turn, used=state.used)
            trap = state.next_trap
            return self._tip(turn, trap, shown=(*state.shown, trap), before=[])
        if turn.intent is Intent.NO:
            key = "journal.goodbye" if state.step is TipsStep.MORE_JOURNAL else "tips.goodbye"
            return Finish(say(key))
        return self.unexpected(turn, state)

    def _tip(
        self, turn: Turn, trap: Trap, *, shown: tuple[Trap, ...], before: list[Line]
    ) -> Outcome:
        lines = [*before, say(f"tips.trap.{trap.value}")]
        remaining = [t for t in Trap if t not in shown]
        if not remaining:
            return Finish(*lines, say("tips.all_three"))
        state = TipsState(step=TipsStep.MORE_TIPS, shown=shown, next_trap=remaining[0])
        return Ask(state, *lines)

    def _journal(self, turn: Turn, used: tuple[int, ...]) -> Outcome:
        pool = journal_prompts(turn)
        unused = [i for i in range(len(pool)) if i not in used] or list(range(len(pool)))
        index = _pick(unused, f"{turn.request_id}:journal")
        kept = (*[i for i in used if i in unused], index)
        state = TipsState(step=TipsStep.MORE_JOURNAL, used=kept)
        return Ask(state, say("journal.intro"), say(pool[index]))


def journal_prompts(turn: Turn) -> list[str]:
    """The journaling prompts' content keys, in their numbered order."""
    keys = [key for key in turn.content.phrases if key.startswith(JOURNAL_PREFIX)]
    return sorted(keys, key=lambda key: int(key.removeprefix(JOURNAL_PREFIX)))


def _pick(choices: Sequence[T], seed: str) -> T:
    digest = hashlib.blake2s(seed.encode(), digest_size=4).digest()
    return choices[int.from_bytes(digest, "big") % len(choices)]
