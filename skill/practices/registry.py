"""Which practice owns which flow and which starting intents; starting and
finishing practices (with the evening ritual's queue)."""

from __future__ import annotations

from functools import cache

from skill.intents import Intent
from skill.practices.base import Practice
from skill.session import Flow
from skill.speech.render import Line, Reply, say
from skill.speech.ssml import Ssml
from skill.turn import Turn


@cache
def practices() -> dict[Flow, Practice]:
    from skill.practices.check_in import CheckIn
    from skill.practices.evening import EveningRitual
    from skill.practices.forget import Forget
    from skill.practices.history import History
    from skill.practices.setup import Setup
    from skill.practices.silent_sync import SilentSync

    found: list[Practice] = [Setup(), SilentSync(), CheckIn(), EveningRitual(), History(), Forget()]
    for module in _optional_practices():
        found.extend(module)
    registry = {practice.flow: practice for practice in found}
    _check_starts_are_unique(registry)
    return registry


def _optional_practices() -> list[list[Practice]]:
    """Practices added in later modules register here (kept explicit, no magic)."""
    from skill.practices import catalogue

    return [catalogue.more_practices()]


def _check_starts_are_unique(registry: dict[Flow, Practice]) -> None:
    seen: dict[Intent, Flow] = {}
    for flow, practice in registry.items():
        for intent in practice.starts:
            if intent in seen:
                raise RuntimeError(f"{intent} starts both {seen[intent]} and {flow}")
            seen[intent] = flow


def practice_for(flow: Flow) -> Practice:
    return practices()[flow]


@cache
def starting_intents() -> dict[Intent, Flow]:
    return {intent: flow for flow, p in practices().items() for intent in p.starts}


def active_practice(turn: Turn) -> Practice | None:
    step = turn.state.current
    return practice_for(step.flow) if step is not None else None


def claims(turn: Turn, intent: Intent | None) -> bool:
    """True when the active practice takes this intent as an answer."""
    practice = active_practice(turn)
    return practice is not None and intent is not None and intent in practice.answers


def begin(turn: Turn, flow: Flow, *before: Line) -> Reply:
    """Start a practice, first learning the couple's names if it needs them."""
    practice = practice_for(flow)
    if practice.needs_couple and not turn.profile.is_set_up:
        from skill.practices.setup import Setup

        return Setup.begin(turn, then=flow, before=before)
    interrupted = turn.state.current
    if interrupted is not None and interrupted.flow is not flow:
        turn.state.paused = interrupted
    reply = practice.start(turn)
    reply.lines[0:0] = list(before)
    return reply


def finish(turn: Turn, *closing: Line) -> Reply:
    """End the current practice: offer to resume one it interrupted, else go on to
    the next queued one (the evening ritual), else close kindly."""
    turn.state.current = None
    paused = turn.state.paused
    if paused is not None:
        return Reply.ask(
            *closing,
            question=say("common.offer_resume", practice=say_practice(turn, paused.flow)),
            reprompt=say("common.offer_resume_reprompt"),
        )
    next_flow = turn.state.finish()
    if next_flow is not None:
        return begin(turn, next_flow, *closing)
    return Reply.tell(*closing)


def say_practice(turn: Turn, flow: Flow) -> Ssml:
    return turn.renderer.line(say(f"practice.{flow.value}"))
