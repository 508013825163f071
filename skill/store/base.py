"""What every store promises, and the optimistic-locking loop they share.

Every call shares the turn's time budget (`skill.deadline`): none is started with
less than `MIN_CALL_S` left, and a write that met a concurrent change is tried again
after a jittered wait only while a read and a write still fit. The profile item
carries an expiry (`expires_at`), renewed by every write and, at most once in
`RENEW_EVERY`, by a turn that otherwise writes nothing."""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from skill.deadline import backoff, time_left
from skill.domain.couple import Profile
from skill.domain.events import Event, EventKind

log = logging.getLogger(__name__)

ProfileChange = Callable[[Profile], None]
"""A change to the profile, written so it can be re-applied to a fresher copy."""

MAX_WRITE_ATTEMPTS = 5
# No store call is started with less than this left of the turn's budget.
MIN_CALL_S = 0.1
# A conflict is retried only while a re-read and a write still fit in the budget.
MIN_RETRY_S = 0.3
# A profile whose expiry is this much older than a write now would give it is written
# again by the next turn, even one that changes nothing (so at most once in this time).
RENEW_EVERY = timedelta(days=30)


class StoreError(Exception):
    """The store could not do what was asked; nothing was saved by this call."""


class StoreUnavailable(StoreError):  # noqa: N818 - named for what happened
    """The store did not answer in time (outage, throttling, timeout). `retryable`:
    the same call a moment later may well succeed."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class WriteConflict(StoreError):  # noqa: N818 - named for what happened
    """Another device kept changing the same profile; we gave up after retries."""


class VersionMismatch(Exception):  # noqa: N818 - named for what happened
    """Internal: the profile changed since it was read."""


class AlreadyWritten(Exception):  # noqa: N818 - named for what happened
    """Internal: this request's events are already stored (a retried request)."""


def ensure_time(what: str) -> None:
    """Refuse to start a store call the turn's budget has no room for."""
    if time_left() < MIN_CALL_S:
        raise StoreUnavailable(f"no time left in this turn for the {what}", retryable=False)


@dataclass(frozen=True)
class Outbox:
    """DynamoDB only (docs/store.md): the events committed inside the profile item and
    not yet written out as items of their own (`pending`), and the ids of the last ones
    written out (`landed`), so that a retried request is still recognised after they
    left the profile (by the relay, `skill.store.relay`, or a save above the cap). The
    other stores write every event in the profile's transaction and keep this empty."""

    pending: tuple[Event, ...] = ()
    landed: tuple[str, ...] = ()
    # Which life of the couple's profile this is (a new one after a "forget" or an
    # expiry): a relay that finds another life knows the events it wrote are not its.
    life: str = ""

    def holds_any(self, events: Sequence[Event]) -> bool:
        """Some of `events` are already committed (a retried request)."""
        ids = {event.id for event in self.pending}.union(self.landed)
        return any(event.id in ids for event in events)


NO_OUTBOX = Outbox()


@dataclass(frozen=True)
class StoredProfile:
    """A profile as read from the store, with the version a save must match."""

    profile: Profile
    version: int
    # When the item expires (epoch seconds); None: written before profiles had one.
    expires_at: int | None = field(default=None, compare=False)
    # The expiry wants renewing: the turn writes the profile even if nothing changed.
    renew_due: bool = field(default=False, compare=False)
    # Committed events the profile item still carries (DynamoDB only).
    outbox: Outbox = field(default=NO_OUTBOX, compare=False)


@dataclass
class Commit:
    """Everything one turn wants to write, applied in one atomic write."""

    changes: list[ProfileChange] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # Write the profile (and so its new expiry) even with no change to it.
    renew: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.changes and not self.events and not self.renew


@dataclass(frozen=True)
class Deletion:
    """What a delete did: `removed` items; `finished` once none of the couple's items
    is left. Unfinished, the profile is already gone (a tombstone without personal data
    stands in its place) and the next delete or read of the couple carries on."""

    removed: int
    finished: bool


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

    def delete_couple(self, couple_id: str) -> Deletion:
        """Remove the couple's items within the turn's budget, the profile first."""
        ...


class VersionedStore(ABC):
    """The optimistic-locking loop; subclasses supply the three primitives."""

    # How long an item is kept after its last write (profiles) or its time (events).
    _ttl: timedelta

    def _expiry(self) -> int:
        """The expiry of a profile written now."""
        return int(time.time() + self._ttl.total_seconds())

    def _renew_due(self, expires_at: int | None) -> bool:
        if expires_at is None:
            return True
        return expires_at < time.time() + (self._ttl - RENEW_EVERY).total_seconds()

    def _as_read(
        self,
        profile: Profile,
        version: int,
        expires_at: int | None,
        outbox: Outbox = NO_OUTBOX,
    ) -> StoredProfile:
        """The profile as a load returns it. An expired one that DynamoDB has not
        deleted yet (it does so lazily) reads as a couple never seen, but keeps its
        version, so the next write replaces it."""
        if expires_at is not None and expires_at <= time.time():
            return StoredProfile(Profile(), version, expires_at, renew_due=True)
        return StoredProfile(profile, version, expires_at, self._renew_due(expires_at), outbox)

    @abstractmethod
    def load(self, couple_id: str) -> StoredProfile | None: ...

    @abstractmethod
    def _write(
        self,
        couple_id: str,
        profile: Profile | None,
        base: StoredProfile | None,
        events: Sequence[Event],
        expires_at: int,
    ) -> Outbox:
        """Write atomically: the profile (if given, expiring at `expires_at`) only when
        its stored version is still `base`'s (None: it must not exist yet), and every
        event once. Raise VersionMismatch or AlreadyWritten. Returns the outbox the
        profile now carries."""

    def commit(self, couple_id: str, base: StoredProfile | None, commit: Commit) -> StoredProfile:
        current = base
        # The same event twice in one turn is one event (and one transaction item).
        events = list({event.sort_key: event for event in commit.events}.values())
        writes_profile = bool(commit.changes) or commit.renew
        for attempt in range(1, MAX_WRITE_ATTEMPTS + 1):
            profile: Profile | None = None
            if writes_profile:
                # Copied only now, for the write: a turn that changes nothing copies nothing.
                profile = current.profile.copy() if current else Profile()
                for change in commit.changes:
                    change(profile)
            expected = current.version if current else None
            expires_at = self._expiry()
            try:
                outbox = self._write(couple_id, profile, current, events, expires_at)
            except VersionMismatch:
                log.info("profile changed concurrently; retrying", extra={"attempt": attempt})
                if attempt == MAX_WRITE_ATTEMPTS or not backoff(attempt, keep_s=MIN_RETRY_S):
                    break
                current = self.load(couple_id)
                continue
            except AlreadyWritten:
                stored = self.load(couple_id)
                return stored if stored else StoredProfile(profile or Profile(), 0)
            if profile is None:
                return current if current else StoredProfile(Profile(), 0)
            return StoredProfile(profile, (expected or 0) + 1, expires_at, outbox=outbox)
        raise WriteConflict("the profile kept changing; nothing was saved")
