"""The local user-id key: one full key for every process, even when many start at once
on an empty folder; short keys refused; kept in its own 0700 folder, apart from the
database; an old key beside the database moved there."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from skill.keyfile import KEY_FILE_NAME, KeyFileError, key_path, local_secret
from skill.settings import Settings
from skill.store.sqlite import SqliteStore

PROCESSES = 20
ROUNDS = 3
REPO = Path(__file__).resolve().parents[2]

# Each child imports everything first, says "ready", then spins until the start file
# appears, so all twenty ask for the key within a fraction of a millisecond.
CHILD = """
import sys, time
from pathlib import Path
from skill.settings import Settings
settings = Settings.from_env({"STEADY_DATA_DIR": sys.argv[1]})
start = Path(sys.argv[2])
print("ready", flush=True)
while not start.exists():
    time.sleep(0.0001)
try:
    print("key", settings.user_id_secret().decode(), flush=True)
except Exception as error:
    print("error", type(error).__name__, flush=True)
"""


def _race(data_dir: Path, start: Path) -> list[str]:
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data_dir), str(start)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        start.touch()
        return [child.communicate(timeout=60)[0].strip() for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()


def test_twenty_processes_starting_at_once_all_get_the_same_full_key(tmp_path: Path) -> None:
    for round_number in range(ROUNDS):
        data_dir = tmp_path / f"round-{round_number}" / "data"
        answers = _race(data_dir, tmp_path / f"start-{round_number}")
        failures = [answer for answer in answers if not answer.startswith("key ")]
        assert not failures, f"{len(failures)} of {PROCESSES} processes failed: {failures[:3]}"
        keys = {answer.removeprefix("key ") for answer in answers}
        assert "" not in keys, "a process got an empty key"
        assert len(keys) == 1, f"{len(keys)} different keys"
        [key] = keys
        assert len(key) == 64 and int(key, 16) >= 0
        assert key_path(data_dir).read_text() == key
        assert sorted(os.listdir(key_path(data_dir).parent)) == [KEY_FILE_NAME]  # no leftovers


def test_key_lives_in_its_own_private_folder_apart_from_the_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    key = Settings.from_env({"STEADY_DATA_DIR": str(data_dir)}).user_id_secret()
    key_file = data_dir / "keys" / "user-id.key"
    assert key_file.read_bytes() == key and len(key) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert not (data_dir / "user-id.key").exists()
    assert local_secret(data_dir) == key


@pytest.mark.parametrize("content", [b"", b"\n", b"   ", b"0123456789abcdef\n"])
def test_an_empty_or_short_key_is_refused_not_used(tmp_path: Path, content: bytes) -> None:
    key_file = key_path(tmp_path)
    key_file.parent.mkdir(mode=0o700)
    key_file.write_bytes(content)
    with pytest.raises(KeyFileError, match="empty or too short"):
        Settings.from_env({"STEADY_DATA_DIR": str(tmp_path)}).user_id_secret()
    assert key_file.read_bytes() == content  # left for the operator, never replaced


def test_an_old_key_beside_the_database_is_moved_into_the_key_folder(tmp_path: Path) -> None:
    old_key = "ab" * 32
    (tmp_path / "user-id.key").write_text(old_key)
    assert local_secret(tmp_path) == old_key.encode()
    assert key_path(tmp_path).read_text() == old_key
    assert not (tmp_path / "user-id.key").exists()
    assert local_secret(tmp_path) == old_key.encode()


def test_two_different_keys_are_refused(tmp_path: Path) -> None:
    (tmp_path / "user-id.key").write_text("ab" * 32)
    key_path(tmp_path).parent.mkdir(mode=0o700)
    key_path(tmp_path).write_text("cd" * 32)
    with pytest.raises(KeyFileError, match="two different"):
        local_secret(tmp_path)


def test_loose_folders_are_tightened(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "keys").mkdir(parents=True)
    os.chmod(data_dir, 0o755)
    os.chmod(data_dir / "keys", 0o755)
    local_secret(data_dir)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "keys").stat().st_mode) == 0o700


def test_the_store_creates_or_tightens_the_data_folder_to_0700(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh" / "data"
    SqliteStore(fresh / "steady.sqlite3")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    os.chmod(loose, 0o755)
    SqliteStore(loose / "steady.sqlite3")
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700


def test_a_shared_folder_is_refused_not_chmodded(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    with pytest.raises(PermissionError, match="not ours"):
        local_secret(shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
