"""After "forget everything about us" on the embedded store, the deleted words are gone
from the bytes on disk: the database, its -wal and its -shm file. Deleted content is
zeroed (secure_delete) and the WAL, whose frames still hold old pages, is checkpointed
and truncated."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from skill.store.sqlite import SqliteStore
from tests.dialog.harness import Conversation, make_skill, set_up_couple, test_settings

FIRST, SECOND = "Zephyrine", "Quillon"
NOTE = "the marmalade kindness at the lighthouse"
FEELINGS = ("wistful", "exuberant")
NEEDS = ("a periwinkle picnic", "origami lessons")
WORDS = (FIRST, SECOND, "marmalade", "lighthouse", *FEELINGS, "periwinkle", "origami")


def _on_disk(database: Path) -> bytes:
    parts = [database, database.with_name(database.name + "-wal")]
    parts.append(database.with_name(database.name + "-shm"))
    return b"".join(part.read_bytes() for part in parts if part.exists()).lower()


def _words_in(raw: bytes) -> list[str]:
    return [word for word in WORDS if word.lower().encode() in raw]


def _share_a_day(home: Conversation) -> None:
    said = home.intent("LeaveGratitudeIntent", partner=SECOND, note=NOTE)
    assert said.says("marmalade")
    home.intent("AMAZON.StopIntent")
    home.intent("CheckInIntent")
    home.intent("FeelingIntent", feeling=FEELINGS[0])
    home.intent("NeedIntent", need=NEEDS[0])
    home.intent("FeelingIntent", feeling=FEELINGS[1])
    said = home.intent("NeedIntent", need=NEEDS[1])
    assert said.says(FEELINGS[1], "origami")


@pytest.fixture(params=["build default", "build without secure delete"])
def sqlite_build(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many SQLite builds (this one too) default to secure_delete=ON; others do not.
    The second case opens every connection with it OFF, so the store must turn it on."""
    if request.param == "build default":
        return
    connect = sqlite3.connect

    def connect_without_secure_delete(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = connect(*args, **kwargs)
        db.execute("PRAGMA secure_delete=OFF")
        return db

    monkeypatch.setattr(sqlite3, "connect", connect_without_secure_delete)


@pytest.mark.usefixtures("sqlite_build")
def test_forgotten_words_are_not_left_in_any_database_file(tmp_path: Path) -> None:
    database = tmp_path / "data" / "steady.sqlite3"
    store = SqliteStore(database)
    home = set_up_couple(Conversation(make_skill(store, test_settings(tmp_path))), FIRST, SECOND)
    _share_a_day(home)
    assert _words_in(_on_disk(database)) == list(WORDS), "the test would prove nothing"

    said = home.intent("ForgetUsIntent")
    assert said.says("can't be undone")
    said = home.intent("AMAZON.YesIntent")
    assert said.says("deleted") and said.ended

    # The store stays open, as it does while serving: nothing waits for a clean close.
    assert _words_in(_on_disk(database)) == []
    assert database.with_name(database.name + "-wal").stat().st_size == 0
    assert home.launch().says("first name")
