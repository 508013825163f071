"""The typed session state: the only code that touches session attributes.

It holds facts only (which practice, which step, values given so far, who is
speaking); what to say next is recomputed from them every turn."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

SESSION_KEY = "steady"
MAX_SESSION_BYTES = 6_000
MAX_VALUE_CHARS = 300

Value = str | int


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


@dataclass
class Step:
    """Where one practice stands."""

    flow: Flow
    step: str
    values: dict[str, Value] = field(default_factory=dict)
    misses: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "flow": self.flow.value,
            "step": self.step,
            "values": self.values,
            "misses": self.misses,
        }

    @classmethod
    def from_dict(cls, body: dict[str, Any]) -> Step:
        values = {
            str(k): (v if isinstance(v, int) else str(v)[:MAX_VALUE_CHARS])
            for k, v in dict(body.get("values", {})).items()
        }
        return cls(Flow(body["flow"]), str(body["step"]), values, int(body.get("misses", 0)))


@dataclass
class SessionState:
    current: Step | None = None
    # A practice interrupted by another, resumed with "let's continue".
    paused: Step | None = None
    # Practices queued to follow the current one (the evening ritual chains them).
    queue: list[Flow] = field(default_factory=list)
    # Who is speaking, as a partner index, once known this session.
    speaker: int | None = None
    # The last question, rendered, for "repeat that".
    last_question: str = ""

    def start(self, flow: Flow, step: str, **values: Value) -> Step:
        self.current = Step(flow, step, dict(values))
        return self.current

    def goto(self, step: str, **values: Value) -> Step:
        if self.current is None:
            raise RuntimeError("no practice to advance")
        self.current.step = step
        self.current.values.update(values)
        self.current.misses = 0
        return self.current

    def finish(self) -> Flow | None:
        """End the current practice; returns the next queued one, if any."""
        self.current = None
        return self.queue.pop(0) if self.queue else None

    def in_flow(self, flow: Flow) -> bool:
        return self.current is not None and self.current.flow is flow

    def to_attributes(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "current": self.current.to_dict() if self.current else None,
            "paused": self.paused.to_dict() if self.paused else None,
            "queue": [flow.value for flow in self.queue],
            "speaker": self.speaker,
            "last": self.last_question[:1500],
        }
        if len(json.dumps(body)) > MAX_SESSION_BYTES:
            body["last"] = ""
            body["paused"] = None
        return {SESSION_KEY: body}

    @classmethod
    def from_attributes(cls, attributes: dict[str, Any] | None) -> SessionState:
        body = (attributes or {}).get(SESSION_KEY)
        if not isinstance(body, dict):
            return cls()
        try:
            return cls(
                current=Step.from_dict(body["current"]) if body.get("current") else None,
                paused=Step.from_dict(body["paused"]) if body.get("paused") else None,
                queue=[Flow(f) for f in body.get("queue", [])],
                speaker=body.get("speaker") if body.get("speaker") in (0, 1) else None,
                last_question=str(body.get("last", ""))[:1500],
            )
        except (KeyError, ValueError, TypeError, AttributeError):
            # Attributes we did not write (or from an older version): start afresh.
            return cls()
