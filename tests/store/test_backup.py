"""`steady store backup` while the skill keeps writing, then `steady store restore` into a
fresh data folder holding the same user-id key, then a dialog that reads back what was
kept. The backup is one consistent snapshot (SQLite's online backup API), mode 0600,
and carries no key."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from skill.keyfile import key_path
from skill.privacy import couple_key
from skill.store.backup import BackupError, backup_store, restore_store
from skill.store.sqlite import SqliteStore
from tests.dialog.harness import Conversation, make_skill, set_up_couple, test_settings

STEADY = Path(sys.executable).with_name("steady")
NEIGHBOURS = "amzn1.ask.account.NEIGHBOURS"


def _skill_on(data_dir: Path) -> tuple[SqliteStore, Conversation]:
    store = SqliteStore(data_dir / "steady.sqlite3")
    settings = test_settings(data_dir, user_id_secret_value=None)  # the local key file
    return store, Conversation(make_skill(store, settings))


def _steady(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STEADY_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [str(STEADY), "store", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _morning_check_in(home: Conversation) -> None:
    home.intent("CheckInIntent", time_of_day="morning")
    home.intent("FeelingIntent", feeling="hopeful")
    home.intent("NeedIntent", need="a long walk by the river")
    home.intent("FeelingIntent", feeling="calm")
    said = home.intent("NeedIntent", need="an early night")
    assert said.ended


def _keep_depositing(home: Conversation, stop: threading.Event, done: list[int]) -> None:
    while not stop.is_set():
        home.intent("TrustDepositIntent", partner="Sam")
        if home.intent("NoteTextIntent", note=f"kind thing {len(done)}").ended:
            done.append(1)


def _deposits_are_consistent(database: Path, secret: bytes) -> int:
    """Profile and events agree for the busy couple: the snapshot is one moment."""
    couple = couple_key(secret, NEIGHBOURS)
    with sqlite3.connect(database) as db:
        events = db.execute(
            "SELECT count(*) FROM items WHERE pk = ? AND sk LIKE '%trust%'", (couple,)
        ).fetchone()[0]
    store = SqliteStore(database)
    stored = store.load(couple)
    assert stored is not None
    assert len(stored.profile.recent_trust) == min(events, 48)
    return int(events)


def test_backup_while_writing_then_restore_and_read_back(tmp_path: Path) -> None:
    live_dir, fresh_dir, backup = tmp_path / "live", tmp_path / "fresh", tmp_path / "b.sqlite3"
    _, home = _skill_on(live_dir)
    set_up_couple(home)
    _morning_check_in(home)
    neighbours = Conversation(home.skill, user_id=NEIGHBOURS)
    set_up_couple(neighbours)

    stop, done = threading.Event(), []
    writer = threading.Thread(target=_keep_depositing, args=(neighbours, stop, done))
    writer.start()
    try:
        while len(done) < 3:
            threading.Event().wait(0.01)
        backed_up = _steady(live_dir, "backup", str(backup))
        deposits_during_backup = len(done)
    finally:
        stop.set()
        writer.join(timeout=30)
    assert backed_up.returncode == 0, backed_up.stderr
    assert "separately" in backed_up.stderr
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert not backup.with_name(backup.name + "-wal").exists()
    key = key_path(live_dir).read_bytes()
    assert key not in backup.read_bytes()
    assert len(done) > deposits_during_backup >= 3, "the writer kept writing"

    # The key is restored by the operator, from their own copy; restore never touches it.
    key_path(fresh_dir).parent.mkdir(parents=True, mode=0o700)
    shutil.copy2(key_path(live_dir), key_path(fresh_dir))
    restored = _steady(fresh_dir, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert key_path(fresh_dir).read_bytes() == key
    assert stat.S_IMODE(fresh_dir.stat().st_mode) == 0o700
    kept = _deposits_are_consistent(fresh_dir / "steady.sqlite3", key)
    assert 3 <= kept <= len(done)

    _, restored_home = _skill_on(fresh_dir)
    said = restored_home.intent("HistoryNeedIntent", partner="Alex")
    assert said.says("a long walk by the river")
    assert not restored_home.launch().says("first name")  # a couple it knows


def test_restore_refuses_to_replace_a_store_with_data_unless_forced(tmp_path: Path) -> None:
    source_dir, target_dir, backup = tmp_path / "a", tmp_path / "b", tmp_path / "a.sqlite3"
    _, home = _skill_on(source_dir)
    set_up_couple(home, "Robin", "Kai")
    backup_store(source_dir / "steady.sqlite3", backup)
    _, other = _skill_on(target_dir)
    set_up_couple(other, "Jo", "Lee")
    shutil.copy2(key_path(source_dir), tmp_path / "a.key")

    refused = _steady(target_dir, "restore", str(backup))
    assert refused.returncode == 2 and "--force" in refused.stderr
    forced = _steady(target_dir, "restore", "--force", str(backup))
    assert forced.returncode == 0, forced.stderr
    shutil.copy2(tmp_path / "a.key", key_path(target_dir))
    store, _ = _skill_on(target_dir)
    stored = store.load(couple_key(key_path(target_dir).read_bytes(), home.user_id))
    assert stored is not None
    assert [partner.name for partner in stored.profile.partners] == ["Robin", "Kai"]


def test_what_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="not a readable SQLite backup"):
        restore_store(garbage, tmp_path / "data" / "steady.sqlite3")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(BackupError, match="not a Steady Together store"):
        restore_store(other, tmp_path / "data" / "steady.sqlite3")
    with pytest.raises(BackupError, match="no embedded store"):
        backup_store(tmp_path / "missing.sqlite3", tmp_path / "copy.sqlite3")
