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
    """One thing that happened (a sync, a check-in, a repair), kept beside the profile."""

    kind: EventKind
    at: datetime
    # Deterministic per request, so a retried request cannot write it twice.
    id: str
    data: dict[str, str | int] = field(default_factory=dict)

    @property
    def sort_key(self) -> str:
        return f"{_prefix(self.kind)}{_stamp(self.at)}#{self.id}"


def _prefix(kind: EventKind) -> str:
    return f"EV#{kind.value}#"


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def sort_key_range(kind: EventKind, since: datetime | None = None) -> tuple[str, str]:
    """The sort keys of `kind`'s events (at or after `since`): low bound inclusive,
    high bound above every key of the kind. One Query or one SQL range each."""
    prefix = _prefix(kind)
    return prefix + (_stamp(since) if since else ""), prefix + "\uffff"
