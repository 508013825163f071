"""The evening ritual: one request chains an evening check-in, gratitude and a
Silent Sync, then good night. Each step can be left; it works from a routine."""

from __future__ import annotations

from skill.intents import Intent
from skill.practices.base import Practice
from skill.session import Flow, Step
from skill.speech.render import Line, Reply, say
from skill.turn import Turn

STEPS = (Flow.CHECK_IN, Flow.GRATITUDE, Flow.SILENT_SYNC, Flow.EVENING)


class EveningRitual(Practice):
    flow = Flow.EVENING
    speech = "evening"
    starts = frozenset({Intent.EVENING_RITUAL})

    def start(self, turn: Turn) -> Reply:
        from skill.practices.registry import begin, practices

        if turn.state.current is None and not turn.state.queue and _closing(turn):
            # Reached from the queue: every step is done.
            return Reply.tell(say("evening.good_night"))
        steps = [flow for flow in STEPS if flow in practices()]
        turn.state.current = None
        turn.state.paused = None
        turn.state.queue = steps[1:]
        return begin(turn, steps[0], say("evening.intro"))

    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        return say("launch.what_next"), say("launch.menu")

    def answer(self, turn: Turn, step: Step) -> Reply:  # pragma: no cover - never active
        return self.unexpected(turn, step)


def _closing(turn: Turn) -> bool:
    """True when the queue brought us here (not the couple asking to start)."""
    return turn.intent is not Intent.EVENING_RITUAL


def in_evening(turn: Turn) -> bool:
    return Flow.EVENING in turn.state.queue
