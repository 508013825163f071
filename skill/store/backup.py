"""`steady store backup PATH` and `steady store restore PATH` for the embedded store.

Both use SQLite's online backup API (`sqlite3.Connection.backup`), which copies the
database as one consistent snapshot even while `steady serve` keeps writing (WAL mode:
the copy reads one snapshot, writers go on). A backup is one self-contained file
(rollback journal mode, no -wal beside it), mode 0600, written beside its final name
and renamed into place. A restore checks the backup first, refuses to replace a store
that holds data unless forced, and copies into the live database through the same
API, so other connections see the old store or the new one, never a mix. Neither
touches the user-id key: it must be backed up separately and kept secret.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from skill.private_files import fsync_dir, private_dir

_TIMEOUT_S = 10.0


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why."""


@contextlib.contextmanager
def _open(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    target = f"file:{path}?mode=ro" if read_only else str(path)
    db = sqlite3.connect(target, uri=read_only, timeout=_TIMEOUT_S, isolation_level=None)
    try:
        db.execute(f"PRAGMA busy_timeout={int(_TIMEOUT_S * 1000)}")
        yield db
    finally:
        db.close()


def _item_count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM items").fetchone()[0])


def backup_store(database: Path, target: Path) -> int:
    """Copy the live store to `target` (0600); return how many items it holds."""
    if not database.exists():
        raise BackupError(f"there is no embedded store at {database}")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)  # mkstemp: mode 0600, which SQLite keeps
    try:
        with _open(database) as source, _open(Path(temporary)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
            _check(copy, "the copy")
            items = _item_count(copy)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    fsync_dir(target.parent)
    return items


def restore_store(source: Path, database: Path, *, force: bool = False) -> int:
    """Replace the store at `database` with the backup `source`; return its item count.

    Refused when the store already holds items, unless `force`."""
    if not source.is_file():
        raise BackupError(f"there is no backup at {source}")
    try:
        with _open(source, read_only=True) as backup:
            _check(backup, str(source))
            items = _item_count(backup)
            private_dir(database.parent)
            database.touch(mode=0o600, exist_ok=True)
            with _open(database) as live:
                live.execute("PRAGMA secure_delete=ON")
                if not force and _holds_items(live):
                    raise BackupError(
                        f"the store at {database} already holds data; stop steady serve and "
                        "pass --force to replace it"
                    )
                backup.backup(live)
                live.execute("PRAGMA journal_mode=WAL")
                live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a readable SQLite backup ({error})") from error
    return items


def _holds_items(db: sqlite3.Connection) -> bool:
    exists = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'items'")
    return exists.fetchone() is not None and _item_count(db) > 0


def _check(db: sqlite3.Connection, what: str) -> None:
    result = db.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{what} fails SQLite's integrity check")
    columns = {row[1] for row in db.execute("PRAGMA table_info(items)")}
    if not {"pk", "sk", "body", "version", "expires_at"} <= columns:
        raise BackupError(f"{what} is not a Steady Together store")


def _embedded_database(out: TextIO) -> Path | None:
    from skill.settings import settings
    from skill.store.factory import SQLITE_FILE_NAME

    current = settings()
    if current.table is not None:
        out.write(
            "steady store: backup and restore are for the embedded store; STEADY_TABLE "
            "is set (DynamoDB has point-in-time recovery).\n"
        )
        return None
    return current.data_dir / SQLITE_FILE_NAME


def backup_command(target: Path, out: TextIO = sys.stderr) -> int:
    database = _embedded_database(out)
    if database is None:
        return 2
    try:
        items = backup_store(database, target)
    except (BackupError, OSError, sqlite3.Error) as error:
        out.write(f"steady store backup: {error}\n")
        return 1
    out.write(
        f"steady store backup: {items} items copied to {target} (mode 0600). The user-id "
        "key is not in it: back up keys/user-id.key separately and keep it secret.\n"
    )
    return 0


def restore_command(source: Path, force: bool, out: TextIO = sys.stderr) -> int:
    database = _embedded_database(out)
    if database is None:
        return 2
    try:
        items = restore_store(source, database, force=force)
    except BackupError as error:
        out.write(f"steady store restore: {error}\n")
        return 2
    except (OSError, sqlite3.Error) as error:
        out.write(f"steady store restore: {error}\n")
        return 1
    out.write(
        f"steady store restore: {items} items restored into {database}. The couples can "
        "be read only with the same user-id key as when the backup was made.\n"
    )
    return 0
