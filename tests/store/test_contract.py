"""What every store promises (skill.store.base.CoupleStore), checked on each
backend: memory, SQLite and DynamoDB (moto over HTTP)."""

from __future__ import annotations

import json
import stat
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from skill.domain.couple import (
    MAX_ISSUES,
    MAX_STEPS,
    RECENT_TRUST,
    Partner,
    Profile,
)
from skill.domain.events import EventKind
from skill.store.base import MAX_WRITE_ATTEMPTS, Commit, Deletion, StoredProfile, WriteConflict

from .backends import Backend
from .profiles import (
    COUPLE,
    NOW,
    OTHER_COUPLE,
    bump,
    event,
    full_profile,
    named,
    sync_event,
)

# -- load and commit ---------------------------------------------------------------------


def test_unknown_couple_loads_as_none(backend: Backend) -> None:
    assert backend.open().load(COUPLE) is None


def test_commit_creates_the_profile_then_each_commit_adds_one_version(backend: Backend) -> None:
    store = backend.open()

    created = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    assert created.version == 1
    again = store.commit(COUPLE, created, Commit([bump]))
    assert again.version == 2

    loaded = store.load(COUPLE)
    assert loaded == again
    assert loaded is not None
    assert [p.name for p in loaded.profile.partners] == ["Alex", "Sam"]
    assert loaded.profile.sync_count == 1


def test_a_concurrent_change_is_kept_and_ours_reapplied(backend: Backend) -> None:
    phone, echo = backend.open(), backend.open()
    phone.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    base = phone.load(COUPLE)
    reads_before, writes_before = phone.reads, phone.writes

    def word(profile: Profile) -> None:
        profile.repair_word = "pineapple"

    echo.commit(COUPLE, echo.load(COUPLE), Commit([word]))  # lands between load and commit
    result = phone.commit(COUPLE, base, Commit([bump], [sync_event("s1")]))

    assert result.version == 3
    assert (result.profile.repair_word, result.profile.sync_count) == ("pineapple", 1)
    assert echo.load(COUPLE) == result
    assert [e.id for e in echo.events(COUPLE, EventKind.SYNC)] == ["s1"]
    # One refused write, one re-read, one write that landed.
    assert (phone.reads - reads_before, phone.writes - writes_before) == (1, 2)


def test_gives_up_when_the_profile_keeps_changing_and_saves_nothing(backend: Backend) -> None:
    phone, echo = backend.open(), backend.open()
    phone.commit(COUPLE, None, Commit([named("Alex", "Sam")]))

    def outrun(profile: Profile) -> None:
        # Every time our change is applied, the other device commits first.
        echo.commit(COUPLE, echo.load(COUPLE), Commit([bump]))
        profile.repair_word = "mine"

    with pytest.raises(WriteConflict):
        phone.commit(COUPLE, phone.load(COUPLE), Commit([outrun], [sync_event("lost")]))

    stored = echo.load(COUPLE)
    assert stored is not None
    assert stored.profile.repair_word is None
    assert stored.profile.sync_count == MAX_WRITE_ATTEMPTS
    assert echo.events(COUPLE, EventKind.SYNC) == []


# -- idempotent events ---------------------------------------------------------------------


def test_a_retried_request_writes_its_event_once_and_its_change_once(backend: Backend) -> None:
    store = backend.open()
    base = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    request = Commit([bump], [sync_event("req-42")])

    first = store.commit(COUPLE, base, request)
    with_stale_base = store.commit(COUPLE, base, request)
    with_fresh_base = store.commit(COUPLE, store.load(COUPLE), request)

    assert first.profile.sync_count == 1
    assert with_stale_base == with_fresh_base == first == store.load(COUPLE)
    assert [e.id for e in store.events(COUPLE, EventKind.SYNC)] == ["req-42"]


def test_the_same_event_twice_in_one_commit_is_stored_once(backend: Backend) -> None:
    store = backend.open()
    twice = sync_event("dup")
    result = store.commit(COUPLE, None, Commit([bump], [twice, twice, sync_event("other")]))
    assert result.profile.sync_count == 1
    assert sorted(e.id for e in store.events(COUPLE, EventKind.SYNC)) == ["dup", "other"]


def test_events_without_changes_leave_the_profile_alone(backend: Backend) -> None:
    store = backend.open()
    store.commit(COUPLE, None, Commit([], [sync_event("before-setup")]))
    assert store.load(COUPLE) is None

    base = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    after = store.commit(COUPLE, base, Commit([], [sync_event("a"), sync_event("b")]))
    assert after == base == store.load(COUPLE)
    assert len(store.events(COUPLE, EventKind.SYNC)) == 3


# -- reading events --------------------------------------------------------------------------


def test_events_by_kind_since_and_limit_come_newest_first(backend: Backend) -> None:
    store = backend.open()
    hours = [NOW - timedelta(hours=h) for h in range(6)]
    trust = [event(EventKind.TRUST, at, f"t{i}") for i, at in enumerate(hours)]
    check_ins = [event(EventKind.CHECK_IN, at, f"c{i}") for i, at in enumerate(hours[:2])]
    # "repair" is a prefix of "repair_word": the kinds must not mix.
    repairs = [event(EventKind.REPAIR, NOW, "r0"), event(EventKind.REPAIR_WORD, NOW, "w0")]
    store.commit(COUPLE, None, Commit([], [*reversed(trust), *check_ins, *repairs]))

    assert [e.id for e in store.events(COUPLE, EventKind.TRUST)] == [
        "t0",
        "t1",
        "t2",
        "t3",
        "t4",
        "t5",
    ]
    assert [e.id for e in store.events(COUPLE, EventKind.TRUST, limit=2)] == ["t0", "t1"]
    since = NOW - timedelta(hours=2)
    assert [e.id for e in store.events(COUPLE, EventKind.TRUST, since=since)] == [
        "t0",
        "t1",
        "t2",
    ]
    assert [e.id for e in store.events(COUPLE, EventKind.CHECK_IN)] == ["c0", "c1"]
    assert [e.id for e in store.events(COUPLE, EventKind.REPAIR)] == ["r0"]
    assert [e.id for e in store.events(COUPLE, EventKind.REPAIR_WORD)] == ["w0"]
    assert store.events(OTHER_COUPLE, EventKind.TRUST) == []
    assert store.events(COUPLE, EventKind.TRUST)[0] == trust[0]  # the whole event returns


def test_expired_events_are_left_out_on_read(backend: Backend) -> None:
    store = backend.open(event_ttl=timedelta(days=1))
    old = sync_event("old", at=NOW - timedelta(days=2))
    fresh = sync_event("fresh", at=NOW - timedelta(hours=1))
    store.commit(COUPLE, None, Commit([], [old, fresh]))

    assert [e.id for e in store.events(COUPLE, EventKind.SYNC)] == ["fresh"]
    # The expired item is still stored (DynamoDB deletes lazily): filtered on read.
    assert old.sort_key in backend.raw_sort_keys(COUPLE)


# -- every profile expires, renewed while in use --------------------------------------------


def test_every_profile_write_sets_its_expiry(backend: Backend) -> None:
    store = backend.open(event_ttl=timedelta(days=30))
    before = time.time()
    created = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    loaded = store.load(COUPLE)
    assert loaded is not None and loaded.expires_at == created.expires_at
    assert loaded.expires_at is not None
    assert before - 1 <= loaded.expires_at - timedelta(days=30).total_seconds() <= time.time()
    assert not loaded.renew_due


def test_a_profile_without_expiry_is_renewed_once_and_unchanged(backend: Backend) -> None:
    """Written before profiles expired: the next turn writes it again, even one that
    changes nothing, and then it has an expiry like any other."""
    body = {"schema": 2, "partners": [{"name": "Alex"}, {"name": "Sam"}], "sync_count": 4}
    backend.put_raw_profile(COUPLE, body, 3)
    store = backend.open()
    old = store.load(COUPLE)
    assert old is not None and old.renew_due and old.expires_at is None

    renewed = store.commit(COUPLE, old, Commit(renew=True))

    again = store.load(COUPLE)
    assert again == renewed and again.version == 4
    assert again.profile == old.profile
    assert again.expires_at is not None and not again.renew_due


def test_an_expired_profile_reads_as_never_seen_and_is_replaced(backend: Backend) -> None:
    """DynamoDB deletes expired items lazily: until then a read leaves it out, and a
    new profile is written over it (on the version it still has)."""
    gone = backend.open(event_ttl=timedelta(seconds=-60))
    gone.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    store = backend.open()
    stale = store.load(COUPLE)
    if backend.name == "sqlite":
        # SQLite has no TTL of its own: the store deletes expired items as it opens.
        assert stale is None
        assert backend.raw_sort_keys(COUPLE) == []
    else:
        assert stale is not None and not stale.profile.is_set_up

    fresh = store.commit(COUPLE, stale, Commit([named("Kim", "Lee")]))

    loaded = store.load(COUPLE)
    assert loaded == fresh
    assert [p.name for p in loaded.profile.partners] == ["Kim", "Lee"]


# -- deleting a couple -------------------------------------------------------------------------


def test_delete_couple_leaves_nothing_and_touches_no_other_couple(backend: Backend) -> None:
    store = backend.open()
    for couple in (COUPLE, OTHER_COUPLE):
        base = store.commit(couple, None, Commit([bump]))
        store.commit(couple, base, Commit([], [sync_event(f"{couple}-{i}") for i in range(30)]))
        store.commit(couple, None, Commit([], [event(EventKind.TRUST, NOW, "t")]))
    assert len(backend.raw_sort_keys(COUPLE)) == 32

    assert store.delete_couple(COUPLE) == Deletion(32, finished=True)

    assert backend.raw_sort_keys(COUPLE) == []
    assert store.load(COUPLE) is None
    assert store.events(COUPLE, EventKind.SYNC) == []
    assert len(backend.raw_sort_keys(OTHER_COUPLE)) == 32
    assert len(store.events(OTHER_COUPLE, EventKind.SYNC)) == 30
    assert store.delete_couple(COUPLE) == Deletion(0, finished=True)


# -- item shape and size ---------------------------------------------------------------------------

SCHEMA_1_BODY: dict[str, Any] = {
    "partners": ["Alex", "Sam"],
    "repair_word": "pineapple",
    "sync_count": 4,
    "practice_days": ["2026-01-02"],
    "recent_trust": [
        {
            "at": "2026-01-02T20:00:00+00:00",
            "kind": "deposit",
            "giver": 0,
            "receiver": 1,
            "note": "made tea",
        }
    ],
}


def test_a_profile_stored_in_the_schema_1_shape_still_loads(backend: Backend) -> None:
    backend.put_raw_profile(COUPLE, SCHEMA_1_BODY, version=7)
    store = backend.open()

    loaded = store.load(COUPLE)
    assert loaded is not None
    assert loaded.version == 7
    assert loaded.profile.partners == [Partner("Alex"), Partner("Sam")]
    assert loaded.profile.repair_word == "pineapple"
    assert loaded.profile.recent_trust[0].note == "made tea"

    saved = store.commit(COUPLE, loaded, Commit([bump]))
    assert saved.version == 8
    assert saved.profile.sync_count == 5
    assert backend.raw_profile_schema(COUPLE) == 2


def test_a_profile_at_every_cap_round_trips_far_under_the_item_limit(backend: Backend) -> None:
    profile = full_profile()
    assert len(profile.recent_trust) == RECENT_TRUST
    assert len(profile.issues) == MAX_ISSUES
    assert all(len(issue.steps) == MAX_STEPS for issue in profile.issues)
    size = len(json.dumps(profile.to_dict(), separators=(",", ":")).encode())
    assert size < 150_000  # DynamoDB's item limit is 400 KB
    # The worst case: every character four bytes in UTF-8, as the stores write it.
    widest = full_profile("\U0001d11e").to_dict()
    assert len(json.dumps(widest, separators=(",", ":"), ensure_ascii=False).encode()) < 250_000

    store = backend.open()
    saved = store.commit(COUPLE, None, Commit([lambda p: _copy_into(p, profile)]))
    assert saved == store.load(COUPLE) == StoredProfile(profile, 1)


def _copy_into(target: Profile, source: Profile) -> None:
    target.__dict__.update(Profile.from_dict(source.to_dict()).__dict__)


# -- calls ---------------------------------------------------------------------------------------


def test_a_turn_costs_one_read_and_one_write(backend: Backend) -> None:
    setup = backend.open()
    setup.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    store = backend.open()

    base = store.load(COUPLE)
    assert (store.reads, store.writes) == (1, 0)
    store.commit(COUPLE, base, Commit([bump], [sync_event("one"), sync_event("two")]))
    assert (store.reads, store.writes) == (1, 1)
    store.events(COUPLE, EventKind.SYNC)
    # DynamoDB reads the events the profile still carries as well (not a turn's read:
    # no turn reads events).
    assert (store.reads, store.writes) == (3 if backend.name == "dynamo" else 2, 1)


def test_sqlite_file_is_private_to_its_owner(tmp_path: Path) -> None:

    from skill.store.sqlite import SqliteStore

    path = tmp_path / "home" / "steady.sqlite3"
    SqliteStore(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
