"""The local user-id key: `<data_dir>/keys/user-id.key`, for hosts without a secret store.

Every process of an installation must get the same, full key, even when many start at
once on an empty folder. So the key is written whole to a temporary file beside its
final name, fsynced, and then hard-linked into place: `os.link` fails when the name
exists, so exactly one process wins and every other one reads the winner's key. A key
that is empty or short is refused, never used (an HMAC under `b""` is computable by
anyone who knows the user id). The key lives in its own 0700 folder, apart from the
database, and an old key beside the database (`<data_dir>/user-id.key`) is moved there.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
from pathlib import Path

from skill.private_files import fsync_dir, private_dir

KEY_DIR_NAME = "keys"
KEY_FILE_NAME = "user-id.key"
KEY_BYTES = 32  # written as 64 hex characters
MIN_KEY_CHARS = 32

_lock = threading.Lock()


class KeyFileError(RuntimeError):
    """The key file cannot be used; the message says what to do."""


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_DIR_NAME / KEY_FILE_NAME


def local_secret(data_dir: Path) -> bytes:
    """The installation's key, created on first use. Safe across threads and processes."""
    with _lock:
        private_dir(data_dir)
        key_file = key_path(data_dir)
        private_dir(key_file.parent)
        _move_legacy_key(data_dir / KEY_FILE_NAME, key_file)
        if not key_file.exists():
            _create(key_file)
        return _read(key_file)


def _read(key_file: Path) -> bytes:
    key = key_file.read_bytes().strip()
    if len(key) < MIN_KEY_CHARS:
        raise KeyFileError(
            f"the user-id key {key_file} is empty or too short ({len(key)} characters, "
            f"at least {MIN_KEY_CHARS} needed): restore it from your backup, or remove it "
            "to start afresh (every couple stored under the old key becomes unreachable)"
        )
    return key


def _create(key_file: Path) -> None:
    fd, temporary = tempfile.mkstemp(dir=key_file.parent, prefix=".user-id.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:  # mkstemp: mode 0600
            handle.write(secrets.token_hex(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, key_file)
        except FileExistsError:
            return  # another process won: its key is complete, since it was linked whole
        except OSError as error:
            raise KeyFileError(
                f"cannot link the user-id key into {key_file.parent} ({error.strerror}); "
                "use a file system with hard links, or set STEADY_USER_ID_SECRET"
            ) from error
        fsync_dir(key_file.parent)
    finally:
        os.unlink(temporary)


def _move_legacy_key(legacy: Path, key_file: Path) -> None:
    """Move `<data_dir>/user-id.key` into the key folder, atomically and only once."""
    if not legacy.exists():
        return
    try:
        os.link(legacy, key_file)
    except FileNotFoundError:
        return  # another process moved it a moment ago
    except FileExistsError:
        if not _same_key(legacy, key_file):
            raise KeyFileError(
                f"two different user-id keys: {legacy} and {key_file}; keep the one your "
                "couples were stored under and remove the other"
            ) from None
    fsync_dir(key_file.parent)
    try:
        os.unlink(legacy)
    except FileNotFoundError:
        return
    fsync_dir(legacy.parent)


def _same_key(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other) or one.read_bytes().strip() == (
            other.read_bytes().strip()
        )
    except FileNotFoundError:
        return True  # the legacy file was moved meanwhile: the key in the folder is it
