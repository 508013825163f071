"""Folders that hold intimate data or keys: created 0700, tightened if found looser."""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_DIR_MODE = 0o700


class PrivateFolderError(PermissionError):
    """A folder is open to other users and is not ours to close."""


def private_dir(path: Path) -> Path:
    """Create `path` (parents as needed) so only its owner may enter it.

    A folder that already exists with group or other bits is tightened to 0700 when it
    is ours; a shared one (sticky, like /tmp) or someone else's is refused, since
    whatever we put there could be read or replaced by others.
    """
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    status = path.stat()
    if stat.S_IMODE(status.st_mode) & 0o077 == 0:
        return path
    if status.st_mode & stat.S_ISVTX or status.st_uid != os.geteuid():
        raise PrivateFolderError(
            f"{path} is open to other users and is not ours to make private; "
            "choose a folder of your own (STEADY_DATA_DIR)"
        )
    os.chmod(path, PRIVATE_DIR_MODE)
    return path


def fsync_dir(path: Path) -> None:
    """Make a new or removed name in `path` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
