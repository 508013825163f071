"""The relay: writes the committed events a profile's outbox holds out as items of
their own, off the turn, and takes exactly those out of the outbox (docs/store.md).

The table's stream invokes it (`skill.store.stream`) for a profile write that leaves
at least `RELAY_AT` events in the outbox, with the item as written (the stream's
NEW_IMAGE), so a run needs no read:

1. the events are put as items (plain puts, the keys and TTLs a save would give them:
   a second run, or a save writing them out itself, writes the same items again);
2. the profile's outbox loses them, their ids go to `landed` (a retried request is
   still recognised), in one UpdateItem conditioned on the item being exactly what
   was read (its version and its compressed body's bytes). The version stays the
   same, so a turn that read the profile before still saves in one write;
3. on a conflict it reads the profile and goes again, at most `RELAY_ATTEMPTS` times
   in all, writing only what it has not written yet. If the couple was forgotten
   meanwhile (no profile, a tombstone, or a new life of it), the items it wrote go
   again, so a "forget" is never undone.

Nothing is lost when a run fails: the events stay in the outbox, the next save's
stream record invokes the relay again, and above `OUTBOX_CAP` a save writes the
outbox out itself."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from skill.deadline import backoff
from skill.domain.events import Event
from skill.store.base import Outbox, StoreError
from skill.store.dynamo import RELAY_AT, DynamoStore, ProfileState, landed_after

log = logging.getLogger(__name__)

RELAY_ATTEMPTS = 5

Outcome = Literal["relayed", "nothing to relay", "forgotten"]


class RelayConflict(StoreError):  # noqa: N818 - named for what happened
    """The profile kept changing under the relay; the events stay in the outbox."""


@dataclass(frozen=True)
class RelayRun:
    """What one run did: event items put (`written`), events taken out of the outbox
    (`removed`), items deleted again because the couple was forgotten (`taken_back`),
    and the conditional writes it took (`attempts`)."""

    couple_id: str
    outcome: Outcome
    written: int = 0
    removed: int = 0
    taken_back: int = 0
    attempts: int = 0


def relay(store: DynamoStore, couple_id: str, seen: ProfileState | None = None) -> RelayRun:
    """Relay the outbox of `seen` (the profile as the stream delivered it), or of the
    profile as stored now when `seen` is None."""
    state = seen if seen is not None else store.read_state(couple_id)
    life = state.outbox.life if state is not None else ""
    written: dict[str, Event] = {}
    try:
        for attempt in range(1, RELAY_ATTEMPTS + 1):
            if state is None or state.forgotten or (written and state.outbox.life != life):
                taken = store.take_back(couple_id, list(written.values()), life, state, read=False)
                return RelayRun(couple_id, "forgotten", len(written), 0, taken, attempt - 1)
            if not _worth_relaying(state, written, first=attempt == 1):
                return RelayRun(couple_id, "nothing to relay", len(written), 0, 0, attempt - 1)
            due = [event for event in state.outbox.pending if not store.expired(event)]
            fresh = [event for event in due if event.sort_key not in written]
            store.write_out(couple_id, fresh)
            written.update((event.sort_key, event) for event in fresh)
            emptied = Outbox((), landed_after(state.outbox.landed, due), state.outbox.life)
            if store.replace_outbox(state, emptied):
                removed = len(state.outbox.pending)
                return RelayRun(couple_id, "relayed", len(written), removed, 0, attempt)
            log.info("the profile changed under the relay; reading it again")
            if attempt == RELAY_ATTEMPTS or not backoff(attempt):
                break
            state = store.read_state(couple_id)
    except StoreError:
        if written:
            _take_back_if_forgotten(store, couple_id, list(written.values()), life)
        raise
    raise RelayConflict("the profile kept changing; its events stay in the outbox")


def _worth_relaying(state: ProfileState, written: dict[str, Event], *, first: bool) -> bool:
    """The stream asked for this state: relay what it holds. After a conflict, go on
    only while it still holds events we wrote, or enough of its own: else another run
    (or a save) has taken ours, and the next stream record will ask for the rest."""
    pending = state.outbox.pending
    if not pending:
        return False
    if first:
        return True
    return len(pending) >= RELAY_AT or any(event.sort_key in written for event in pending)


def _take_back_if_forgotten(
    store: DynamoStore, couple_id: str, written: list[Event], life: str
) -> None:
    """A run that failed after writing items: if the couple was forgotten, take them
    back now (best effort; the stream retries the run, which does the same)."""
    try:
        store.take_back(couple_id, written, life)
    except StoreError:
        log.warning("the relay could not check for a forget after a failed run")
