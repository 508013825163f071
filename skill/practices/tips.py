"""Readiness and tips: a journaling prompt and short tips on the three common traps.
(The help response for anyone in danger is `skill.practices.safety`.)"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

from skill.intents import Intent
from skill.practices.base import Practice
from skill.session import Flow, Step
from skill.speech.render import Line, Reply, say
from skill.turn import Turn

# TrapType ids in the interaction model.
TRAPS = ("solutions", "negative_stories", "fix_my_feelings")
JOURNAL_PREFIX = "journal.prompt."

T = TypeVar("T")


class Tips(Practice):
    flow = Flow.TIPS
    starts = frozenset({Intent.TIPS, Intent.JOURNAL_PROMPT})
    answers = frozenset({Intent.YES, Intent.NO})
    needs_couple = False
    speech = "tips"

    def start(self, turn: Turn) -> Reply:
        if turn.intent is Intent.JOURNAL_PROMPT:
            return self._journal(turn, used=[])
        reading = turn.slot("trap")
        trap = reading.resolved_id if reading.resolved_id in TRAPS else None
        before: list[Line] = []
        if trap is None:
            if reading.raw:
                before.append(say("tips.unknown_trap"))
            trap = _pick(TRAPS, f"{turn.request_id}:trap")
        return self._tip(turn, trap, shown=[trap], before=before)

    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        if step.step == "more_journal":
            return say("journal.offer_another"), say("journal.offer_another_reprompt")
        trap = turn.renderer.line(say(f"tips.name.{step.values['next']}"))
        return say("tips.offer_another", trap=trap), say("tips.offer_another_reprompt", trap=trap)

    def answer(self, turn: Turn, step: Step) -> Reply:
        from skill.practices.registry import finish

        if turn.intent is Intent.YES:
            if step.step == "more_journal":
                return self._journal(turn, used=_ints(str(step.values.get("used", ""))))
            trap = str(step.values["next"])
            shown = [*str(step.values["shown"]).split(","), trap]
            return self._tip(turn, trap, shown=shown, before=[])
        if turn.intent is Intent.NO:
            key = "journal.goodbye" if step.step == "more_journal" else "tips.goodbye"
            return finish(turn, say(key))
        return self.unexpected(turn, step)

    def _tip(self, turn: Turn, trap: str, *, shown: list[str], before: list[Line]) -> Reply:
        lines = [*before, say(f"tips.trap.{trap}")]
        remaining = [t for t in TRAPS if t not in shown]
        if not remaining:
            from skill.practices.registry import finish

            return finish(turn, *lines, say("tips.all_three"))
        step = turn.state.start(Flow.TIPS, "more_tips", shown=",".join(shown), next=remaining[0])
        return self.ask_again(turn, step, *lines)

    def _journal(self, turn: Turn, used: list[int]) -> Reply:
        pool = journal_prompts(turn)
        unused = [i for i in range(len(pool)) if i not in used] or list(range(len(pool)))
        index = _pick(unused, f"{turn.request_id}:journal")
        used = [*[i for i in used if i in unused], index]
        step = turn.state.start(Flow.TIPS, "more_journal", used=",".join(map(str, used)))
        return self.ask_again(turn, step, say("journal.intro"), say(pool[index]))


def journal_prompts(turn: Turn) -> list[str]:
    """The journaling prompts' content keys, in their numbered order."""
    keys = [key for key in turn.content.phrases if key.startswith(JOURNAL_PREFIX)]
    return sorted(keys, key=lambda key: int(key.removeprefix(JOURNAL_PREFIX)))


def _pick(choices: Sequence[T], seed: str) -> T:
    digest = hashlib.blake2s(seed.encode(), digest_size=4).digest()
    return choices[int.from_bytes(digest, "big") % len(choices)]


def _ints(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip().isdigit()]
