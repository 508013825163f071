"""What every practice offers the router: how it starts, which answers it takes
while active, its step's question, help and the kind way out.

A practice that asks questions is a `Practice[S]`: `S` is its own state (a frozen
`PracticeState` dataclass whose `step` is its step enum). Each method gets the state
typed, and returns an `Outcome` (skill.practices.outcomes): what happens next, which
the router applies. A practice that answers at once and keeps nothing between turns
is a `OneTurnPractice`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from skill.intents import Intent
from skill.practices.outcomes import AskAgain, Outcome
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.turn import Turn

MAX_MISSES_BEFORE_WAY_OUT = 2

S = TypeVar("S", bound=PracticeState)

# The slot a step's question asks for: Alexa then listens for that slot's own samples
# (see `skill.speech.render.Elicit`).
Elicits = tuple[Intent, str]


class AnyPractice(ABC):
    """What the registry and the router know of every practice."""

    flow: ClassVar[Flow]
    # Intents that start this practice from anywhere.
    starts: ClassVar[frozenset[Intent]] = frozenset()
    # Needs the couple's two names first.
    needs_couple: ClassVar[bool] = True
    # Prefix of this practice's speech keys in the content files.
    speech: ClassVar[str]

    @abstractmethod
    def start(self, turn: Turn) -> Outcome:
        """Begin (the intent that started it may carry slots)."""

    def at(self, state: PracticeState) -> InProgress | None:
        """This practice where `state` says it stands; None when it keeps no state."""
        return None


@runtime_checkable
class ResumesLater(Protocol):
    """A practice that keeps what was cut off in the profile, so that "let's
    continue" picks it up in a later session."""

    def resume_later(self, turn: Turn) -> Outcome | None:
        """Where it was cut off, asked again; None when nothing waits."""
        ...


class OneTurnPractice(AnyPractice):
    """Answers at once and keeps no state: it is never the practice going on."""


class Practice(AnyPractice, Generic[S]):
    """A practice that asks questions, standing between turns at a state `S`."""

    state_type: type[S]
    # Intents this practice takes while it is active (beyond help/stop/cancel...).
    answers: ClassVar[frozenset[Intent]] = frozenset()

    @abstractmethod
    def answer(self, turn: Turn, state: S) -> Outcome:
        """Take one of `answers` at this state."""

    @abstractmethod
    def question(self, turn: Turn, state: S) -> tuple[Line, Line]:
        """The state's question and its reprompt (which adds information)."""

    # -- shared behaviour, overridable ----------------------------------------------

    def elicit(self, state: S) -> Elicits | None:
        """The (intent, slot) the state's question asks for, if one: the answer is
        then heard in that slot, where the safety screen sees it."""
        return None

    def takes(self, state: S) -> frozenset[Intent]:
        """The intents this practice takes as answers at this state."""
        return self.answers

    def help(self, turn: Turn, state: S) -> Outcome:
        key = f"{self.speech}.help.{state.step.value}"
        line = say(key) if key in turn.content.phrases else say(f"{self.speech}.help")
        return AskAgain(state, line)

    def unexpected(self, turn: Turn, state: S) -> Outcome:
        """Re-ask once in other words, then offer a way out."""
        if state.misses + 1 >= MAX_MISSES_BEFORE_WAY_OUT:
            return AskAgain(state, say("common.way_out"), missed=True)
        return AskAgain(state, say("common.didnt_catch"), missed=True)

    def stopped(self, turn: Turn, state: S) -> list[Line]:
        """Said when the couple stops mid-practice; progress that matters is kept."""
        return []

    def resume(self, turn: Turn, state: S) -> Outcome:
        return AskAgain(state, say("common.resuming"))

    # -- for the router -------------------------------------------------------------

    def at(self, state: PracticeState) -> InProgress:
        return _Standing(self, self.own(state))

    def own(self, state: PracticeState) -> S:
        """`state`, as this practice's own type (the registry decoded it so)."""
        if not isinstance(state, self.state_type):
            raise TypeError(f"{type(self).__name__} does not keep a {type(state).__name__}")
        return state


class InProgress(ABC):
    """A practice with the state it stands at: what the router drives, with no need
    to know the state's type."""

    @property
    @abstractmethod
    def state(self) -> PracticeState: ...

    @property
    def flow(self) -> Flow:
        return self.state.flow

    @abstractmethod
    def answer(self, turn: Turn) -> Outcome: ...

    @abstractmethod
    def question(self, turn: Turn) -> tuple[Line, Line]: ...

    @abstractmethod
    def elicit(self) -> Elicits | None: ...

    @abstractmethod
    def takes(self) -> frozenset[Intent]: ...

    @abstractmethod
    def help(self, turn: Turn) -> Outcome: ...

    @abstractmethod
    def unexpected(self, turn: Turn) -> Outcome: ...

    @abstractmethod
    def stopped(self, turn: Turn) -> list[Line]: ...

    @abstractmethod
    def resume(self, turn: Turn) -> Outcome: ...


@dataclass(frozen=True)
class _Standing(InProgress, Generic[S]):
    """A practice in progress, holding its own typed state."""

    own_practice: Practice[S]
    own_state: S

    @property
    def state(self) -> PracticeState:
        return self.own_state

    def answer(self, turn: Turn) -> Outcome:
        return self.own_practice.answer(turn, self.own_state)

    def question(self, turn: Turn) -> tuple[Line, Line]:
        return self.own_practice.question(turn, self.own_state)

    def elicit(self) -> Elicits | None:
        return self.own_practice.elicit(self.own_state)

    def takes(self) -> frozenset[Intent]:
        return self.own_practice.takes(self.own_state)

    def help(self, turn: Turn) -> Outcome:
        return self.own_practice.help(turn, self.own_state)

    def unexpected(self, turn: Turn) -> Outcome:
        return self.own_practice.unexpected(turn, self.own_state)

    def stopped(self, turn: Turn) -> list[Line]:
        return self.own_practice.stopped(turn, self.own_state)

    def resume(self, turn: Turn) -> Outcome:
        return self.own_practice.resume(turn, self.own_state)
