"""The embedded local store: one SQLite file, WAL mode, one transaction per write.
Deletes are secure: deleted content is zeroed, and forgetting a couple empties the WAL.

It mirrors the DynamoDB layout (partition key, sort key, a version on the profile,
an expiry on every item) so both pass the same contract suite. SQLite has no TTL of
its own: expired items are deleted when the store opens and then hourly, on a write."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from skill.deadline import time_left
from skill.domain.couple import Profile
from skill.domain.events import Event, EventKind, sort_key_range
from skill.private_files import private_dir
from skill.store.base import (
    NO_OUTBOX,
    AlreadyWritten,
    Deletion,
    Outbox,
    StoredProfile,
    StoreUnavailable,
    VersionedStore,
    VersionMismatch,
    ensure_time,
)
from skill.store.codec import PROFILE_SORT_KEY, event_from_dict, event_to_dict

_PREPARE_ATTEMPTS = 10
_BUSY_TIMEOUT_MS = 5000
_SWEEP_EVERY_S = 3600.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    pk TEXT NOT NULL,
    sk TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER,
    expires_at INTEGER,
    PRIMARY KEY (pk, sk)
) WITHOUT ROWID;
"""


class SqliteStore(VersionedStore):
    def __init__(self, path: Path, event_ttl: timedelta = timedelta(days=400)) -> None:
        self._path = path
        self._ttl = event_ttl
        self._local = threading.local()
        self.reads = 0
        self.writes = 0
        self._swept_at = 0.0
        # Intimate data: only the owner may read the folder and the database.
        private_dir(path.parent)
        path.touch(mode=0o600, exist_ok=True)
        self._prepare()

    def _prepare(self) -> None:
        """WAL mode and the table. Two processes opening a new file at once can find
        it locked while the other switches the journal mode: wait a moment, retry."""
        for attempt in range(_PREPARE_ATTEMPTS):
            try:
                with self._connection() as db:
                    mode = db.execute("PRAGMA journal_mode").fetchone()[0]
                    if str(mode).lower() != "wal":
                        db.execute("PRAGMA journal_mode=WAL")
                    db.executescript(_SCHEMA)
                self._sweep()
                return
            except StoreUnavailable:
                if attempt == _PREPARE_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self._path, timeout=5.0, isolation_level=None)
            db.execute("PRAGMA synchronous=NORMAL")
            # Deleted rows are overwritten with zeros, not just unlinked, whatever the
            # SQLite build's default.
            db.execute("PRAGMA secure_delete=ON")
            self._local.db = db
            self._local.busy_ms = None
        # A lock held by another process is waited for only within the turn's budget.
        left = time_left()
        busy_ms = (
            _BUSY_TIMEOUT_MS
            if left == float("inf")
            else max(1, min(_BUSY_TIMEOUT_MS, int(left * 1000)))
        )
        if busy_ms != self._local.busy_ms:
            db.execute(f"PRAGMA busy_timeout={busy_ms}")
            self._local.busy_ms = busy_ms
        try:
            yield db
        except sqlite3.OperationalError as error:
            raise StoreUnavailable("the local store is busy") from error

    def load(self, couple_id: str) -> StoredProfile | None:
        ensure_time("read")
        self.reads += 1
        with self._connection() as db:
            row = db.execute(
                "SELECT body, version, expires_at FROM items WHERE pk = ? AND sk = ?",
                (couple_id, PROFILE_SORT_KEY),
            ).fetchone()
        if row is None:
            return None
        expires_at = None if row[2] is None else int(row[2])
        return self._as_read(Profile.from_dict(json.loads(row[0])), int(row[1]), expires_at)

    def _write(
        self,
        couple_id: str,
        profile: Profile | None,
        base: StoredProfile | None,
        events: Sequence[Event],
        expires_at: int,
    ) -> Outbox:
        expected_version = base.version if base else None
        ensure_time("write")
        self.writes += 1
        with self._connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                self._write_in_transaction(
                    db, couple_id, profile, expected_version, events, expires_at=expires_at
                )
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        if time.time() - self._swept_at > _SWEEP_EVERY_S:
            self._sweep()
        return NO_OUTBOX

    def _sweep(self) -> None:
        """Delete every expired item (SQLite has no TTL of its own)."""
        self._swept_at = time.time()
        with self._connection() as db:
            db.execute(
                "DELETE FROM items WHERE expires_at IS NOT NULL AND expires_at <= ?",
                (int(self._swept_at),),
            )

    def _write_in_transaction(
        self,
        db: sqlite3.Connection,
        couple_id: str,
        profile: Profile | None,
        expected_version: int | None,
        events: Sequence[Event],
        *,
        expires_at: int,
    ) -> None:
        for event in events:
            exists = db.execute(
                "SELECT 1 FROM items WHERE pk = ? AND sk = ?", (couple_id, event.sort_key)
            ).fetchone()
            if exists:
                raise AlreadyWritten
        if profile is not None:
            row = db.execute(
                "SELECT version FROM items WHERE pk = ? AND sk = ?",
                (couple_id, PROFILE_SORT_KEY),
            ).fetchone()
            if (int(row[0]) if row else None) != expected_version:
                raise VersionMismatch
            db.execute(
                "INSERT OR REPLACE INTO items (pk, sk, body, version, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    couple_id,
                    PROFILE_SORT_KEY,
                    json.dumps(profile.to_dict()),
                    (expected_version or 0) + 1,
                    expires_at,
                ),
            )
        for event in events:
            db.execute(
                "INSERT INTO items (pk, sk, body, expires_at) VALUES (?, ?, ?, ?)",
                (
                    couple_id,
                    event.sort_key,
                    json.dumps(event_to_dict(event)),
                    int((event.at + self._ttl).timestamp()),
                ),
            )

    def events(
        self,
        couple_id: str,
        kind: EventKind,
        since: datetime | None = None,
        limit: int = 50,
    ) -> list[Event]:
        low, high = sort_key_range(kind, since)
        ensure_time("read")
        self.reads += 1
        with self._connection() as db:
            rows = db.execute(
                "SELECT body FROM items WHERE pk = ? AND sk >= ? AND sk < ?"
                " AND (expires_at IS NULL OR expires_at > ?) ORDER BY sk DESC LIMIT ?",
                (couple_id, low, high, int(datetime.now(UTC).timestamp()), limit),
            ).fetchall()
        return [event_from_dict(json.loads(row[0])) for row in rows]

    def delete_couple(self, couple_id: str) -> Deletion:
        """One statement deletes every item at once (thousands in milliseconds)."""
        ensure_time("delete")
        self.writes += 1
        with self._connection() as db:
            cursor = db.execute("DELETE FROM items WHERE pk = ?", (couple_id,))
            deleted = cursor.rowcount
            self._empty_the_wal(db)
        return Deletion(deleted, finished=True)

    def _empty_the_wal(self, db: sqlite3.Connection) -> None:
        """Copy the WAL into the database and truncate it to zero bytes: until then its
        frames still hold the deleted rows' plaintext. The checkpoint waits (busy
        timeout) for other connections' reads to end; if one still holds it back, the
        delete is reported as unfinished, so the couple is asked to ask again."""
        busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            raise StoreUnavailable("the local store could not empty its write-ahead log")
