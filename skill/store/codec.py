"""Event <-> plain dict, shared by the stores that keep JSON bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from skill.domain.events import Event, EventKind

PROFILE_SORT_KEY = "PROFILE"


def event_to_dict(event: Event) -> dict[str, Any]:
    return {
        "kind": event.kind.value,
        "at": event.at.isoformat(),
        "id": event.id,
        "data": dict(event.data),
    }


def event_from_dict(body: dict[str, Any]) -> Event:
    data = {
        str(k): (int(v) if isinstance(v, bool | int) else str(v)) for k, v in body["data"].items()
    }
    return Event(
        kind=EventKind(body["kind"]),
        at=datetime.fromisoformat(body["at"]),
        id=str(body["id"]),
        data=data,
    )
