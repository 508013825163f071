"""The embedded local store: one SQLite file, WAL mode, one transaction per write.
Deletes are secure: deleted content is zeroed, and forgetting a couple empties the WAL.

It mirrors the DynamoDB layout (partition key, sort key, a version on the profile,
an expiry on events) so both pass the same contract suite."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from skill.domain.couple import Profile
from skill.domain.events import Event, EventKind, sort_key_range
from skill.private_files import private_dir
from skill.store.base import (
    AlreadyWritten,
    StoredProfile,
    StoreUnavailable,
    VersionedStore,
    VersionMismatch,
)
from skill.store.codec import PROFILE_SORT_KEY, event_from_dict, event_to_dict

_PREPARE_ATTEMPTS = 10
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
            db.execute("PRAGMA busy_timeout=5000")
            db.execute("PRAGMA synchronous=NORMAL")
            # Deleted rows are overwritten with zeros, not just unlinked, whatever the
            # SQLite build's default.
            db.execute("PRAGMA secure_delete=ON")
            self._local.db = db
        try:
            yield db
        except sqlite3.OperationalError as error:
            raise StoreUnavailable("the local store is busy") from error

    def load(self, couple_id: str) -> StoredProfile | None:
        self.reads += 1
        with self._connection() as db:
            row = db.execute(
                "SELECT body, version FROM items WHERE pk = ? AND sk = ?",
                (couple_id, PROFILE_SORT_KEY),
            ).fetchone()
        if row is None:
            return None
        return StoredProfile(Profile.from_dict(json.loads(row[0])), int(row[1]))

    def _write(
        self,
        couple_id: str,
        profile: Profile | None,
        expected_version: int | None,
        events: Sequence[Event],
    ) -> None:
        self.writes += 1
        with self._connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                self._write_in_transaction(db, couple_id, profile, expected_version, events)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _write_in_transaction(
        self,
        db: sqlite3.Connection,
        couple_id: str,
        profile: Profile | None,
        expected_version: int | None,
        events: Sequence[Event],
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
                "INSERT OR REPLACE INTO items (pk, sk, body, version) VALUES (?, ?, ?, ?)",
                (
                    couple_id,
                    PROFILE_SORT_KEY,
                    json.dumps(profile.to_dict()),
                    (expected_version or 0) + 1,
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
        self.reads += 1
        with self._connection() as db:
            rows = db.execute(
                "SELECT body FROM items WHERE pk = ? AND sk >= ? AND sk < ?"
                " AND (expires_at IS NULL OR expires_at > ?) ORDER BY sk DESC LIMIT ?",
                (couple_id, low, high, int(datetime.now(UTC).timestamp()), limit),
            ).fetchall()
        return [event_from_dict(json.loads(row[0])) for row in rows]

    def delete_couple(self, couple_id: str) -> int:
        self.writes += 1
        with self._connection() as db:
            cursor = db.execute("DELETE FROM items WHERE pk = ?", (couple_id,))
            deleted = cursor.rowcount
            self._empty_the_wal(db)
        return deleted

    def _empty_the_wal(self, db: sqlite3.Connection) -> None:
        """Copy the WAL into the database and truncate it to zero bytes: until then its
        frames still hold the deleted rows' plaintext. The checkpoint waits (busy
        timeout) for other connections' reads to end; if one still holds it back, the
        delete is reported as unfinished, so the couple is asked to ask again."""
        busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            raise StoreUnavailable("the local store could not empty its write-ahead log")
