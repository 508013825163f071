"""The evening ritual: one request chains an evening check-in, gratitude and a
Silent Sync, then good night. Each step can be left; it works from a routine."""

from __future__ import annotations

from skill.intents import Intent
from skill.practices.base import OneTurnPractice
from skill.practices.outcomes import Chain, End, Outcome
from skill.session import Flow
from skill.speech.render import say
from skill.turn import Turn

STEPS = (Flow.CHECK_IN, Flow.GRATITUDE, Flow.SILENT_SYNC, Flow.EVENING)


class EveningRitual(OneTurnPractice):
    flow = Flow.EVENING
    speech = "evening"
    starts = frozenset({Intent.EVENING_RITUAL})

    def start(self, turn: Turn) -> Outcome:
        if turn.state.current is None and not turn.state.queue and _closing(turn):
            # Reached from the queue: every step is done.
            return End(say("evening.good_night"))
        return Chain(STEPS, say("evening.intro"))


def _closing(turn: Turn) -> bool:
    """True when the queue brought us here (not the couple asking to start)."""
    return turn.intent is not Intent.EVENING_RITUAL


def in_evening(turn: Turn) -> bool:
    return Flow.EVENING in turn.state.queue
