"""Append-only events: the couple's full history, one item each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class EventKind(StrEnum):
    CHECK_IN = "check_in"
    TRUST = "trust"
    NOTE = "note"
    SYNC = "sync"
    REPAIR = "repair"
    ISSUE = "issue"
    REVIEW = "review"
    AUTOBIOGRAPHY = "autobiography"
    REPAIR_WORD = "repair_word"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    at: datetime
    # Deterministic per request, so a retried request cannot write it twice.
    id: str
    data: dict[str, str | int] = field(default_factory=dict)

    @property
    def sort_key(self) -> str:
        return f"EV#{self.kind.value}#{self.at.isoformat(timespec='seconds')}#{self.id}"
