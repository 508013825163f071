"""Every practice of the skill, named once, by what it is for; and the lookups the
router needs (which practice owns a flow, which intent starts which, which state
type each keeps).

A practice's module is imported when a turn first needs that practice, not when this
module is: a launch meets only the practices its news comes from, and a turn in a
practice loads that one. Lookups over all of them (`practices()`,
`starting_intents()`, `resumable_later`) load the rest, once per process.

Checked so that a skill that could not route never answers: at import, every flow is
registered once; as each practice loads, it is the practice of the flow it is
registered for and keeps its own flow's state; when all have loaded, no intent
starts two practices. tests/test_registry.py loads them all on every test run. No
practice imports this module."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

from skill.intents import Intent
from skill.practices.base import AnyPractice, InProgress, Practice, ResumesLater
from skill.practices.outcomes import Outcome
from skill.session import Flow, PracticeState, StateTypes
from skill.turn import Turn

# One function per practice, importing its module only when called.


def _safety_check() -> AnyPractice:
    from skill.practices.safety_check import SafetyCheck

    return SafetyCheck()


def _setup() -> AnyPractice:
    from skill.practices.setup import Setup

    return Setup()


def _who() -> AnyPractice:
    from skill.practices.who import Who

    return Who()


def _forget() -> AnyPractice:
    from skill.practices.forget import Forget

    return Forget()


def _silent_sync() -> AnyPractice:
    from skill.practices.silent_sync import SilentSync

    return SilentSync()


def _pause_attend_reflect() -> AnyPractice:
    from skill.practices.pause_attend_reflect import PauseAttendReflect

    return PauseAttendReflect()


def _check_in() -> AnyPractice:
    from skill.practices.check_in import CheckIn

    return CheckIn()


def _feelings_wheel() -> AnyPractice:
    from skill.practices.feelings_wheel import FeelingsWheel

    return FeelingsWheel()


def _repair_word() -> AnyPractice:
    from skill.practices.repair_word import RepairWord

    return RepairWord()


def _repair() -> AnyPractice:
    from skill.practices.repair import Repair

    return Repair()


def _trust() -> AnyPractice:
    from skill.practices.trust_bank import Trust

    return Trust()


def _trust_review() -> AnyPractice:
    from skill.practices.trust_review import TrustReview

    return TrustReview()


def _gratitude() -> AnyPractice:
    from skill.practices.gratitude import Gratitude

    return Gratitude()


def _autobiography() -> AnyPractice:
    from skill.practices.autobiography import Autobiography

    return Autobiography()


def _us_vs_issue() -> AnyPractice:
    from skill.practices.us_vs_issue import UsVsIssue

    return UsVsIssue()


def _evening_ritual() -> AnyPractice:
    from skill.practices.evening import EveningRitual

    return EveningRitual()


def _reminders() -> AnyPractice:
    from skill.practices.reminders import Reminders

    return Reminders()


def _history() -> AnyPractice:
    from skill.practices.history import History

    return History()


def _tips() -> AnyPractice:
    from skill.practices.tips import Tips

    return Tips()


Loader = Callable[[], AnyPractice]

# In this order `resumable_later` asks them.
REGISTERED: tuple[tuple[Flow, Loader], ...] = (
    # Asking, gently, whether someone is safe, before anything else.
    (Flow.SAFETY_CHECK, _safety_check),
    # Knowing the couple: their names, who is speaking, forgetting them.
    (Flow.SETUP, _setup),
    (Flow.WHO, _who),
    (Flow.FORGET, _forget),
    # Calming together.
    (Flow.SILENT_SYNC, _silent_sync),
    (Flow.PAUSE_ATTEND_REFLECT, _pause_attend_reflect),
    # Saying how each of them is.
    (Flow.CHECK_IN, _check_in),
    (Flow.FEELINGS_WHEEL, _feelings_wheel),
    # Repair after a rupture.
    (Flow.REPAIR_WORD, _repair_word),
    (Flow.REPAIR, _repair),
    # Noticing each other.
    (Flow.TRUST, _trust),
    (Flow.TRUST_REVIEW, _trust_review),
    (Flow.GRATITUDE, _gratitude),
    # Understanding each other.
    (Flow.AUTOBIOGRAPHY, _autobiography),
    (Flow.US_VS_ISSUE, _us_vs_issue),
    # Rituals, reminders, and answers from what they did.
    (Flow.EVENING, _evening_ritual),
    (Flow.REMINDERS, _reminders),
    (Flow.HISTORY, _history),
    (Flow.TIPS, _tips),
)


def by_flow(registered: tuple[tuple[Flow, Loader], ...]) -> Mapping[Flow, Loader]:
    """Each flow's loader; every flow registered exactly once."""
    found: dict[Flow, Loader] = {}
    for flow, loader in registered:
        if flow in found:
            raise RuntimeError(f"two practices for {flow}")
        found[flow] = loader
    missing = set(Flow) - set(found)
    if missing:
        raise RuntimeError(f"no practice for {sorted(missing)}")
    return MappingProxyType(found)


def checked(flow: Flow, practice: AnyPractice) -> AnyPractice:
    """`practice`, loaded for `flow`: it must be that flow's, keeping that flow's state."""
    if practice.flow is not flow:
        raise RuntimeError(f"the practice registered for {flow} is {practice.flow}'s")
    if isinstance(practice, Practice) and practice.state_type.flow is not practice.flow:
        raise RuntimeError(f"{practice.flow} keeps the state of {practice.state_type.flow}")
    return practice


def starting(found: Mapping[Flow, AnyPractice]) -> Mapping[Intent, Flow]:
    """Intent -> the flow it starts; no intent starts two practices."""
    seen: dict[Intent, Flow] = {}
    for flow, practice in found.items():
        for intent in practice.starts:
            if intent in seen:
                raise RuntimeError(f"{intent} starts both {seen[intent]} and {flow}")
            seen[intent] = flow
    return MappingProxyType(seen)


_LOADERS = by_flow(REGISTERED)
_lock = threading.Lock()
_loaded: dict[Flow, AnyPractice] = {}
_all: Mapping[Flow, AnyPractice] | None = None
_starts: Mapping[Intent, Flow] | None = None


def practice_for(flow: Flow) -> AnyPractice:
    """The practice of `flow`, its module imported on first use."""
    found = _loaded.get(flow)
    if found is None:
        with _lock:
            found = _loaded.get(flow)
            if found is None:
                found = _loaded[flow] = checked(flow, _LOADERS[flow]())
    return found


def practices() -> Mapping[Flow, AnyPractice]:
    """Every practice, in registration order (all of them loaded)."""
    global _all  # noqa: PLW0603 -- loaded once per process
    if _all is None:
        _all = MappingProxyType({flow: practice_for(flow) for flow, _ in REGISTERED})
    return _all


def starting_intents() -> Mapping[Intent, Flow]:
    global _starts  # noqa: PLW0603 -- computed once per process
    if _starts is None:
        _starts = starting(practices())
    return _starts


class _StateTypes(Mapping[Flow, type[PracticeState]]):
    """Flow -> the state its practice keeps; a practice is loaded when its flow is
    looked up (a session holding a check-in loads the check-in only)."""

    def __getitem__(self, flow: Flow) -> type[PracticeState]:
        practice = practice_for(flow)
        if not isinstance(practice, Practice):
            raise KeyError(flow)
        state_type: type[PracticeState] = practice.state_type
        return state_type

    def __iter__(self) -> Iterator[Flow]:
        return (flow for flow, practice in practices().items() if isinstance(practice, Practice))

    def __len__(self) -> int:
        return sum(1 for _ in self)


_STATES: StateTypes = _StateTypes()


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
    for practice in practices().values():
        if isinstance(practice, ResumesLater):
            found = practice.resume_later(turn)
            if found is not None:
                return practice.flow, found
    return None
