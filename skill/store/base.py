"""What every store promises, and the optimistic-locking loop they share."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from skill.domain.couple import Profile
from skill.domain.events import Event, EventKind

log = logging.getLogger(__name__)

ProfileChange = Callable[[Profile], None]
"""A change to the profile, written so it can be re-applied to a fresher copy."""

MAX_WRITE_ATTEMPTS = 3


class StoreError(Exception):
    """The store could not do what was asked; nothing was saved by this call."""


class StoreUnavailable(StoreError):  # noqa: N818 - named for what happened
    """The store did not answer in time (outage, throttling, timeout)."""


class WriteConflict(StoreError):  # noqa: N818 - named for what happened
    """Another device kept changing the same profile; we gave up after retries."""


class VersionMismatch(Exception):  # noqa: N818 - named for what happened
    """Internal: the profile changed since it was read."""


class AlreadyWritten(Exception):  # noqa: N818 - named for what happened
    """Internal: this request's events are already stored (a retried request)."""


@dataclass(frozen=True)
class StoredProfile:
    profile: Profile
    version: int


@dataclass
class Commit:
    """Everything one turn wants to write, applied in one atomic write."""

    changes: list[ProfileChange] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.changes and not self.events


class CoupleStore(Protocol):
    def load(self, couple_id: str) -> StoredProfile | None:
        """The couple's profile, or None for a couple we have never seen."""
        ...

    def commit(self, couple_id: str, base: StoredProfile | None, commit: Commit) -> StoredProfile:
        """Apply the changes to the profile and add the events, atomically.

        `base` is what this turn read. On a concurrent change the store re-reads
        and re-applies the changes (a bounded number of times)."""
        ...

    def events(
        self,
        couple_id: str,
        kind: EventKind,
        since: datetime | None = None,
        limit: int = 50,
    ) -> list[Event]:
        """Events of one kind, newest first, expired ones left out."""
        ...

    def delete_couple(self, couple_id: str) -> int:
        """Remove every item of the couple; returns how many were removed."""
        ...


class VersionedStore(ABC):
    """The optimistic-locking loop; subclasses supply the three primitives."""

    @abstractmethod
    def load(self, couple_id: str) -> StoredProfile | None: ...

    @abstractmethod
    def _write(
        self,
        couple_id: str,
        profile: Profile | None,
        expected_version: int | None,
        events: Sequence[Event],
    ) -> None:
        """Write atomically: the profile (if given) only when its stored version is
        still `expected_version` (None: it must not exist yet), every event only if
        absent. Raise VersionMismatch or AlreadyWritten."""

    def commit(self, couple_id: str, base: StoredProfile | None, commit: Commit) -> StoredProfile:
        current = base
        # The same event twice in one turn is one event (and one transaction item).
        events = list({event.sort_key: event for event in commit.events}.values())
        for attempt in range(1, MAX_WRITE_ATTEMPTS + 1):
            profile = current.profile.copy() if current else Profile()
            for change in commit.changes:
                change(profile)
            expected = current.version if current else None
            try:
                self._write(
                    couple_id,
                    profile if commit.changes else None,
                    expected,
                    events,
                )
            except VersionMismatch:
                log.info("profile changed concurrently; retrying", extra={"attempt": attempt})
                current = self.load(couple_id)
                continue
            except AlreadyWritten:
                stored = self.load(couple_id)
                return stored if stored else StoredProfile(profile, 0)
            if not commit.changes:
                return current if current else StoredProfile(profile, 0)
            return StoredProfile(profile, (expected or 0) + 1)
        raise WriteConflict("the profile kept changing; nothing was saved")
