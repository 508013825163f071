"""Every practice of the skill, named once, by what it is for; and the lookups the
router needs (which practice owns a flow, which intent starts which, which state
type each keeps).

Checked when this module is imported, so a skill that could not route never
builds: every flow has exactly one practice, no intent starts two practices, and
each practice keeps its own flow's state. No practice imports this module."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from skill.intents import Intent
from skill.practices.autobiography import Autobiography
from skill.practices.base import AnyPractice, InProgress, Practice, ResumesLater
from skill.practices.check_in import CheckIn
from skill.practices.evening import EveningRitual
from skill.practices.feelings_wheel import FeelingsWheel
from skill.practices.forget import Forget
from skill.practices.gratitude import Gratitude
from skill.practices.history import History
from skill.practices.outcomes import Outcome
from skill.practices.pause_attend_reflect import PauseAttendReflect
from skill.practices.reminders import Reminders
from skill.practices.repair import Repair
from skill.practices.repair_word import RepairWord
from skill.practices.safety_check import SafetyCheck
from skill.practices.setup import Setup
from skill.practices.silent_sync import SilentSync
from skill.practices.tips import Tips
from skill.practices.trust_bank import Trust
from skill.practices.trust_review import TrustReview
from skill.practices.us_vs_issue import UsVsIssue
from skill.practices.who import Who
from skill.session import Flow, PracticeState, StateTypes
from skill.turn import Turn

PRACTICES: tuple[AnyPractice, ...] = (
    # Asking, gently, whether someone is safe, before anything else.
    SafetyCheck(),
    # Knowing the couple: their names, who is speaking, forgetting them.
    Setup(),
    Who(),
    Forget(),
    # Calming together.
    SilentSync(),
    PauseAttendReflect(),
    # Saying how each of them is.
    CheckIn(),
    FeelingsWheel(),
    # Repair after a rupture.
    RepairWord(),
    Repair(),
    # Noticing each other.
    Trust(),
    TrustReview(),
    Gratitude(),
    # Understanding each other.
    Autobiography(),
    UsVsIssue(),
    # Rituals, reminders, and answers from what they did.
    EveningRitual(),
    Reminders(),
    History(),
    Tips(),
)


def _by_flow(found: tuple[AnyPractice, ...]) -> Mapping[Flow, AnyPractice]:
    by_flow: dict[Flow, AnyPractice] = {}
    for practice in found:
        if practice.flow in by_flow:
            raise RuntimeError(f"two practices for {practice.flow}")
        if isinstance(practice, Practice) and practice.state_type.flow is not practice.flow:
            raise RuntimeError(f"{practice.flow} keeps the state of {practice.state_type.flow}")
        by_flow[practice.flow] = practice
    missing = set(Flow) - set(by_flow)
    if missing:
        raise RuntimeError(f"no practice for {sorted(missing)}")
    return MappingProxyType(by_flow)


def _starting(found: Mapping[Flow, AnyPractice]) -> Mapping[Intent, Flow]:
    seen: dict[Intent, Flow] = {}
    for flow, practice in found.items():
        for intent in practice.starts:
            if intent in seen:
                raise RuntimeError(f"{intent} starts both {seen[intent]} and {flow}")
            seen[intent] = flow
    return MappingProxyType(seen)


_PRACTICES = _by_flow(PRACTICES)
_STARTS = _starting(_PRACTICES)
_STATES: StateTypes = MappingProxyType(
    {p.flow: p.state_type for p in PRACTICES if isinstance(p, Practice)}
)


def practices() -> Mapping[Flow, AnyPractice]:
    return _PRACTICES


def practice_for(flow: Flow) -> AnyPractice:
    return _PRACTICES[flow]


def starting_intents() -> Mapping[Intent, Flow]:
    return _STARTS


def state_types() -> StateTypes:
    """Flow -> the state its practice keeps, to read the session with."""
    return _STATES


def in_progress(state: PracticeState) -> InProgress:
    """The practice `state` belongs to, standing there."""
    running = practice_for(state.flow).at(state)
    if running is None:
        raise RuntimeError(f"{state.flow} keeps no state")
    return running


def active(turn: Turn) -> InProgress | None:
    """The practice going on, or None between practices."""
    state = turn.state.current
    return in_progress(state) if state is not None else None


def claims(turn: Turn, intent: Intent | None) -> bool:
    """True when the practice going on takes this intent as an answer."""
    running = active(turn)
    return running is not None and intent is not None and intent in running.takes()


def resumable_later(turn: Turn) -> tuple[Flow, Outcome] | None:
    """A practice cut off in an earlier session that "let's continue" picks up."""
    for practice in PRACTICES:
        if isinstance(practice, ResumesLater):
            found = practice.resume_later(turn)
            if found is not None:
                return practice.flow, found
    return None
