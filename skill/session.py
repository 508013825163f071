"""The typed session state: the only code that touches session attributes.

It holds facts only: the practice going on and where it stands (its own typed
`PracticeState`), the practice it interrupted, the practices queued after it and
who is speaking. What to say next is recomputed from them every turn.

On the way out each practice state goes through one generic codec
(`skill.state_codec`), tagged with its flow and version. On the way in everything is
checked; anything we did not write (an older version, another skill, a corrupt or
hostile value) gives a fresh session."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

from skill.domain.couple import PartnerIndex
from skill.state_codec import (
    MAX_ITEMS,
    MAX_TEXT_CHARS,
    JsonObject,
    JsonValue,
    StateError,
    decode,
    encode,
)

SESSION_KEY = "steady"
# The shape of the session attributes; anything else starts a fresh session.
SESSION_VERSION = 2
MAX_SESSION_BYTES = 6_000
MAX_VALUE_CHARS = MAX_TEXT_CHARS
MAX_QUESTION_CHARS = 1_500


class Flow(StrEnum):
    SETUP = "setup"
    SILENT_SYNC = "silent_sync"
    CHECK_IN = "check_in"
    PAUSE_ATTEND_REFLECT = "pause_attend_reflect"
    REPAIR_WORD = "repair_word"
    REPAIR = "repair"
    TRUST = "trust"
    TRUST_REVIEW = "trust_review"
    GRATITUDE = "gratitude"
    AUTOBIOGRAPHY = "autobiography"
    US_VS_ISSUE = "us_vs_issue"
    FEELINGS_WHEEL = "feelings_wheel"
    EVENING = "evening"
    TIPS = "tips"
    FORGET = "forget"
    WHO = "who"
    REMINDERS = "reminders"
    HISTORY = "history"
    SAFETY_CHECK = "safety_check"


@dataclass(frozen=True, kw_only=True)
class PracticeState:
    """Where one practice stands, between two turns.

    Each practice that asks questions declares its own subclass (`CheckInState`, ...):
    a frozen dataclass of plain facts whose `step` is the practice's own step enum.
    A practice never changes a state: it returns a new one (`dataclasses.replace`) in
    an `Ask`. `misses` counts the answers in a row not understood at this question;
    the router keeps it. Bump `version` when a state's fields change meaning: a
    session holding the old shape then starts afresh."""

    flow: ClassVar[Flow]
    version: ClassVar[int] = 1

    step: StrEnum
    misses: int = 0


StateTypes = Mapping[Flow, type[PracticeState]]


@dataclass
class SessionState:
    """What the session remembers between turns: the practice in hand and who is here."""

    current: PracticeState | None = None
    # A practice interrupted by another, resumed with "let's continue".
    paused: PracticeState | None = None
    # Practices queued to follow the current one (the evening ritual chains them).
    queue: list[Flow] = field(default_factory=list)
    # Who is speaking, once known this session; and whether both said they are here.
    speaker: PartnerIndex | None = None
    together: bool = False
    # The last question, rendered, for "repeat that".
    last_question: str = ""

    def next_queued(self) -> Flow | None:
        """Take the next practice of the queue, if any."""
        return self.queue.pop(0) if self.queue else None

    def to_attributes(self) -> dict[str, object]:
        body: JsonObject = {
            "v": SESSION_VERSION,
            "current": _encoded(self.current),
            "paused": _encoded(self.paused),
            "queue": [flow.value for flow in self.queue],
            "speaker": int(self.speaker) if self.speaker is not None else None,
            "together": self.together,
            "last": self.last_question[:MAX_QUESTION_CHARS],
        }
        if len(json.dumps(body)) > MAX_SESSION_BYTES:
            # What matters least goes first: the repeat text, then the paused practice.
            body["last"] = ""
            body["paused"] = None
        return {SESSION_KEY: body}

    @classmethod
    def from_attributes(
        cls, attributes: Mapping[str, object] | None, kinds: StateTypes
    ) -> SessionState:
        """The session these attributes hold, each practice state decoded with its
        type in `kinds` (flow -> state type); a fresh session for anything else."""
        body = (attributes or {}).get(SESSION_KEY)
        if not isinstance(body, dict) or body.get("v") != SESSION_VERSION:
            return cls()
        try:
            last = body.get("last", "")
            return cls(
                current=_decoded(body.get("current"), kinds),
                paused=_decoded(body.get("paused"), kinds),
                queue=_flows(body.get("queue", [])),
                speaker=_speaker(body.get("speaker")),
                together=body.get("together") is True,
                last_question=last[:MAX_QUESTION_CHARS] if isinstance(last, str) else "",
            )
        except (StateError, ValueError, TypeError):
            # Attributes we did not write (or from an older version): start afresh.
            return cls()


def _encoded(state: PracticeState | None) -> JsonValue:
    if state is None:
        return None
    return {"flow": state.flow.value, "v": state.version, "state": encode(state)}


def _decoded(body: object, kinds: StateTypes) -> PracticeState | None:
    if body is None:
        return None
    if not isinstance(body, dict):
        raise StateError("a practice is not an object")
    kind = kinds.get(Flow(str(body.get("flow"))))
    if kind is None:
        raise StateError("a practice that keeps no state")
    if body.get("v") != kind.version or set(body) != {"flow", "v", "state"}:
        raise StateError("another version of the practice's state")
    return decode(kind, body["state"])


def _flows(body: object) -> list[Flow]:
    if not isinstance(body, list) or len(body) > MAX_ITEMS:
        raise StateError("the queue is not a short list")
    if not all(isinstance(item, str) for item in body):
        raise StateError("the queue holds something other than practice names")
    return [Flow(item) for item in body]


def _speaker(value: object) -> PartnerIndex | None:
    """Who is speaking; anything but a partner's index is simply not known."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in (0, 1):
        return None
    return PartnerIndex(value)
