"""One "device" for the concurrency test, run as its own process:

    python concurrent_writer.py WRITER COUNT COUPLE sqlite PATH
    python concurrent_writer.py WRITER COUNT COUPLE dynamo ENDPOINT TABLE

It builds its store, prints "ready", waits for a line on stdin (so that both
processes start together), then makes COUNT writes in turn: a trust deposit, a
check-in, a new repair word. Every write also bumps `sync_count` and adds one
event whose id names the writer and the write. A WriteConflict (the other device
won three times in a row) is what the skill would report to the user, who would
ask again: the writer does the same, with the same event, so nothing lands twice.
It prints a JSON summary on its last line."""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from skill.domain.couple import CheckInRecord, Profile, TrustEntry, iso
from skill.domain.events import Event, EventKind
from skill.store.base import Commit, VersionedStore, WriteConflict


def make_store(args: list[str]) -> VersionedStore:
    if args[0] == "sqlite":
        from skill.store.sqlite import SqliteStore

        return SqliteStore(Path(args[1]))
    from skill.store.dynamo import DynamoStore

    return DynamoStore(args[2], region="us-east-1", endpoint=args[1])


def one_write(writer: str, seq: int) -> Commit:
    partner = 0 if writer == "A" else 1
    label = f"{writer}-{seq}"
    now = datetime.now(UTC)
    data: dict[str, str | int] = {"writer": writer, "seq": seq}

    def bump(profile: Profile) -> None:
        profile.sync_count += 1

    if seq % 3 == 0:
        entry = TrustEntry(iso(now), "deposit", partner, 1 - partner, label)
        return Commit(
            [lambda p: p.add_trust(entry), bump], [Event(EventKind.TRUST, now, label, data)]
        )
    if seq % 3 == 1:
        record = CheckInRecord(iso(now), "evening", partner, label, "rest")
        return Commit(
            [lambda p: p.add_check_in(record), bump],
            [Event(EventKind.CHECK_IN, now, label, data)],
        )

    def set_word(profile: Profile) -> None:
        profile.repair_word = label

    return Commit([set_word, bump], [Event(EventKind.REPAIR_WORD, now, label, data)])


def main(argv: list[str]) -> int:
    writer, count, couple = argv[0], int(argv[1]), argv[2]
    store = make_store(argv[3:])
    store.load(couple)  # warm up: the client exists before the race starts
    print("ready", flush=True)
    sys.stdin.readline()
    gave_up = 0
    started = time.time()
    for seq in range(count):
        commit = one_write(writer, seq)
        while True:
            try:
                store.commit(couple, store.load(couple), commit)
                break
            except WriteConflict:
                gave_up += 1
    writes = getattr(store, "writes", None)
    summary = {"started": started, "finished": time.time(), "gave_up": gave_up, "writes": writes}
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
