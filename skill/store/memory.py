"""An in-process store: for unit tests and the pure-compute benchmark."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta

from skill.domain.couple import Profile
from skill.domain.events import Event, EventKind
from skill.store.base import (
    NO_OUTBOX,
    AlreadyWritten,
    Deletion,
    Outbox,
    StoredProfile,
    VersionedStore,
    VersionMismatch,
)


class MemoryStore(VersionedStore):
    def __init__(self, event_ttl: timedelta = timedelta(days=400)) -> None:
        self._lock = threading.Lock()
        # The body as JSON text, as the other stores keep it: every load is a fresh copy
        # (json.loads is far cheaper than deep-copying a dict).
        self._profiles: dict[str, tuple[str, int, int | None]] = {}
        self._events: dict[str, dict[str, Event]] = {}
        self._ttl = event_ttl
        self.reads = 0
        self.writes = 0

    def load(self, couple_id: str) -> StoredProfile | None:
        with self._lock:
            self.reads += 1
            found = self._profiles.get(couple_id)
            if found is None:
                return None
            body, version, expires_at = found
            return self._as_read(Profile.from_dict(json.loads(body)), version, expires_at)

    def _write(
        self,
        couple_id: str,
        profile: Profile | None,
        base: StoredProfile | None,
        events: Sequence[Event],
        expires_at: int,
    ) -> Outbox:
        expected_version = base.version if base else None
        with self._lock:
            self.writes += 1
            stored_events = self._events.setdefault(couple_id, {})
            if any(event.sort_key in stored_events for event in events):
                raise AlreadyWritten
            if profile is not None:
                current = self._profiles.get(couple_id)
                current_version = current[1] if current else None
                if current_version != expected_version:
                    raise VersionMismatch
                self._profiles[couple_id] = (
                    json.dumps(profile.to_dict()),
                    (expected_version or 0) + 1,
                    expires_at,
                )
            for event in events:
                stored_events[event.sort_key] = event
        return NO_OUTBOX

    def events(
        self,
        couple_id: str,
        kind: EventKind,
        since: datetime | None = None,
        limit: int = 50,
    ) -> list[Event]:
        with self._lock:
            self.reads += 1
            found = [e for e in self._events.get(couple_id, {}).values() if e.kind is kind]
        now = datetime.now(tz=found[0].at.tzinfo) if found else None
        found = [e for e in found if now is None or e.at + self._ttl > now]
        if since is not None:
            found = [e for e in found if e.at >= since]
        return sorted(found, key=lambda e: e.sort_key, reverse=True)[:limit]

    def delete_couple(self, couple_id: str) -> Deletion:
        with self._lock:
            self.writes += 1
            removed = len(self._events.pop(couple_id, {}))
            removed += 1 if self._profiles.pop(couple_id, None) else 0
            return Deletion(removed, finished=True)
