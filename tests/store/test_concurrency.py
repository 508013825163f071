"""Two devices, two processes, one couple: 50 writes each, at the same moment,
against the moto server and against one SQLite file. Nothing may be lost or
applied twice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from skill.domain.couple import RECENT_CHECK_INS
from skill.domain.events import EventKind

from .backends import Backend, CountedStore, DynamoBackend, SqliteBackend

WRITER_SCRIPT = Path(__file__).with_name("concurrent_writer.py")
COUPLE = "couple-race"
WRITES = 50
WRITERS = ("A", "B")


def run_writers(store_args: list[str]) -> list[dict[str, Any]]:
    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER_SCRIPT), name, str(WRITES), COUPLE, *store_args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in WRITERS
    ]
    try:
        for writer in writers:  # both have built their store and client
            assert writer.stdout is not None
            assert writer.stdout.readline().strip() == "ready"
        for writer in writers:  # then both start at once
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        outputs = [writer.communicate(timeout=45)[0] for writer in writers]
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
    assert [writer.returncode for writer in writers] == [0, 0]
    return [json.loads(output.strip().splitlines()[-1]) for output in outputs]


def labels(writer: str, kind: int) -> list[str]:
    return [f"{writer}-{seq}" for seq in range(WRITES) if seq % 3 == kind]


def assert_suffix_in_order(window: list[str], writer: str, kind: int) -> None:
    """A bounded window keeps each writer's newest entries, in the order written."""
    mine = [label for label in window if label.startswith(f"{writer}-")]
    written = labels(writer, kind)
    assert mine == written[len(written) - len(mine) :]


@pytest.fixture(
    params=["sqlite", pytest.param("dynamo", marks=pytest.mark.dynamodb)],
)
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Backend, list[str]]:
    if request.param == "sqlite":
        path = tmp_path / "shared.sqlite3"
        return SqliteBackend(path), ["sqlite", str(path)]
    table = request.getfixturevalue("dynamo_table")
    return DynamoBackend(table), ["dynamo", table.endpoint, table.name]


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(shared: tuple[Backend, list[str]]) -> None:
    backend, store_args = shared
    summaries = run_writers(store_args)

    # They really overlapped in time.
    assert max(s["started"] for s in summaries) < min(s["finished"] for s in summaries)

    store: CountedStore = backend.open()
    stored = store.load(COUPLE)
    assert stored is not None
    profile = stored.profile
    assert profile.sync_count == 2 * WRITES  # every change applied exactly once
    assert stored.version == 2 * WRITES

    for kind, event_kind in enumerate((EventKind.TRUST, EventKind.CHECK_IN, EventKind.REPAIR_WORD)):
        found = [event.id for event in store.events(COUPLE, event_kind, limit=500)]
        assert sorted(found) == sorted(labels("A", kind) + labels("B", kind))

    trust = [entry.note for entry in profile.recent_trust]
    assert sorted(trust) == sorted(labels("A", 0) + labels("B", 0))  # under the cap: all kept
    check_ins = [record.feeling for record in profile.recent_check_ins]
    assert len(check_ins) == RECENT_CHECK_INS
    for writer in WRITERS:
        assert_suffix_in_order(trust, writer, 0)
        assert_suffix_in_order(check_ins, writer, 1)
        assert labels(writer, 1)[-1] in check_ins  # each writer's newest is kept
    assert profile.repair_word in {labels(writer, 2)[-1] for writer in WRITERS}
