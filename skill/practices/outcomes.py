"""What happens next, as a value: a practice returns one of these and the router
(`skill.handlers.transitions`) applies it to the session and builds the reply.

A practice never starts, finishes or pauses another practice itself, and never
imports the registry or the router: it says `Finish(...)` or `HandOver(Flow.REPAIR)`.

Every outcome carries the lines to say first, and may carry a card and directives
(a screen, dynamic entities) for the response; a response keeps the first screen it
is given (see `skill.practices.screens.attach`)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Self

from skill.domain.couple import PartnerIndex
from skill.session import Flow, PracticeState
from skill.speech.render import Card, Line


class Purpose(StrEnum):
    """Why the one speaking was asked for (the `Who` practice); handed back with the
    answer to the practice that asked."""

    LINK_VOICE = "link_voice"  # "learn my voice"
    UNKNOWN_VOICE = "launch_voice"  # at launch, a recognised voice not linked yet
    AT_LAUNCH = "launch"  # at launch, a practice has something for them
    ON_REQUEST = "hear"  # they asked for something meant for one of them


@dataclass(frozen=True, init=False)
class _Outcome:
    """What a practice's step gives back: the lines to say, a card and any directives."""

    lines: tuple[Line, ...]
    card: Card | None
    directives: tuple[object, ...]

    def __init__(
        self,
        *lines: Line,
        card: Card | None = None,
        directives: Iterable[object | None] = (),
    ) -> None:
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "card", card)
        object.__setattr__(self, "directives", tuple(d for d in directives if d is not None))

    def preceded_by(self, *lines: Line) -> Self:
        """The same outcome, with `lines` said before its own."""
        if not lines:
            return self
        changed = copy.copy(self)
        object.__setattr__(changed, "lines", (*lines, *self.lines))
        return changed


@dataclass(frozen=True, init=False)
class Ask(_Outcome):
    """The practice is now at `state`: ask its question. A new question, so the
    count of answers not understood starts again."""

    state: PracticeState

    def __init__(
        self,
        state: PracticeState,
        *lines: Line,
        card: Card | None = None,
        directives: Iterable[object | None] = (),
    ) -> None:
        super().__init__(*lines, card=card, directives=directives)
        object.__setattr__(self, "state", state)


@dataclass(frozen=True, init=False)
class AskAgain(_Outcome):
    """Ask `state`'s question again, the state unchanged (so is the count of answers
    not understood; `missed` adds one)."""

    state: PracticeState
    missed: bool

    def __init__(self, state: PracticeState, *lines: Line, missed: bool = False) -> None:
        super().__init__(*lines)
        object.__setattr__(self, "state", state)
        object.__setattr__(self, "missed", missed)


@dataclass(frozen=True, init=False)
class Finish(_Outcome):
    """This practice is done: say the lines, then offer to go back to a practice it
    interrupted, else begin the next queued one (the evening ritual), else close."""


@dataclass(frozen=True, init=False)
class HandOver(_Outcome):
    """`to` begins now. This practice ends, or, with `come_back`, waits to be
    resumed ("let's continue") like any practice interrupted. With `anew`, a `to`
    that was paused earlier is dropped rather than offered back afterwards."""

    to: Flow
    come_back: bool
    anew: bool

    def __init__(
        self,
        to: Flow,
        *lines: Line,
        come_back: bool = False,
        anew: bool = False,
        card: Card | None = None,
        directives: Iterable[object | None] = (),
    ) -> None:
        super().__init__(*lines, card=card, directives=directives)
        object.__setattr__(self, "to", to)
        object.__setattr__(self, "come_back", come_back)
        object.__setattr__(self, "anew", anew)


@dataclass(frozen=True, init=False)
class HandBack(_Outcome):
    """Who is here is now known (the `Who` practice): one partner, or both ("both of
    us"). Back to the practice that asked, which carries on through
    `SpeakerAware.speaker_known`, or begins again."""

    to: Flow
    present: tuple[PartnerIndex, ...]
    purpose: Purpose

    def __init__(
        self, to: Flow, present: Sequence[PartnerIndex], purpose: Purpose, *lines: Line
    ) -> None:
        super().__init__(*lines)
        object.__setattr__(self, "to", to)
        object.__setattr__(self, "present", tuple(present))
        object.__setattr__(self, "purpose", purpose)


@dataclass(frozen=True, init=False)
class Chain(_Outcome):
    """Begin the first of `flows` and queue the others, each begun when the one
    before finishes (the evening ritual). Whatever was going on is dropped."""

    flows: tuple[Flow, ...]

    def __init__(self, flows: Sequence[Flow], *lines: Line) -> None:
        super().__init__(*lines)
        object.__setattr__(self, "flows", tuple(flows))


@dataclass(frozen=True, init=False)
class Aside(_Outcome):
    """A question answered in passing: the question pending when the request came
    is asked again at once (with "where were we", `resuming`, when it belongs to
    another practice), else this closes like `Finish`."""

    resuming: bool

    def __init__(
        self,
        *lines: Line,
        resuming: bool = False,
        card: Card | None = None,
        directives: Iterable[object | None] = (),
    ) -> None:
        super().__init__(*lines, card=card, directives=directives)
        object.__setattr__(self, "resuming", resuming)


@dataclass(frozen=True, init=False)
class Resume(_Outcome):
    """This practice is done: straight back to the practice it interrupted, which
    asks its question again (else this closes like `Finish`)."""


@dataclass(frozen=True, init=False)
class Menu(_Outcome):
    """No practice now: "what would you like to do?". With `news`, what the skill
    brings up at launch comes first, when there is some."""

    news: bool

    def __init__(self, *lines: Line, news: bool = False) -> None:
        super().__init__(*lines)
        object.__setattr__(self, "news", news)


@dataclass(frozen=True, init=False)
class End(_Outcome):
    """Say the lines and end the session; nothing is left going on or queued."""


Outcome = Ask | AskAgain | Finish | HandOver | HandBack | Chain | Aside | Resume | Menu | End
