"""DynamoDB round-trips per turn, counted as they leave botocore: at most one read
and one write per turn (the profile's outbox of events is written out by the relay,
off the turn: docs/store.md), none written by a turn that only reads, and no read at
all for a turn that needs no state. And the capacity units each turn type costs, as
DynamoDB would charge them for the items sent and received (bench.capacity, on a
metered moto server), the relay's counted apart: the table's stream invokes it between
turns (bench.stream plays Lambda's part)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.capacity import MotoMeter, Usage
from bench.stream import StreamRelay
from skill.domain.couple import Partner
from skill.domain.events import Event, EventKind
from skill.privacy import couple_key
from skill.store.base import Commit
from skill.store.dynamo import OUTBOX_CAP, RELAY_AT, DynamoStore
from tests.dialog.harness import (
    SECRET,
    Conversation,
    Said,
    make_skill,
    set_up_couple,
    test_settings,
)
from tests.fixtures.moto_server import (
    DynamoTable,
    LocalMotoServer,
    create_test_table,
    drop_test_table,
)

from .backends import raw_client
from .profiles import COUPLE, NOW, bump, lived_in_profile, sync_event

pytestmark = pytest.mark.dynamodb


@pytest.fixture(scope="module")
def metered(aws_credentials: None) -> Iterator[str]:
    server = LocalMotoServer(metered=True).start()
    yield server.endpoint
    server.stop()


@pytest.fixture
def metered_table(metered: str) -> Iterator[DynamoTable]:
    table = create_test_table(metered)
    yield table
    drop_test_table(table)


class Counted:
    def __init__(
        self,
        store: DynamoStore,
        conversation: Conversation,
        meter: MotoMeter | None,
        stream: StreamRelay | None = None,
    ) -> None:
        self.store, self.conversation, self.meter = store, conversation, meter
        self.stream = stream
        self.turns: dict[str, tuple[int, int]] = {}
        self.units: dict[str, Usage] = {}
        # The relay's runs between turns: (after which turn, usage, events written).
        self.relays: list[tuple[str, Usage, int]] = []

    def turn(self, label: str, intent: str | None = None, **slots: str) -> Said:
        reads, writes = self.store.reads, self.store.writes
        if self.meter:
            self.meter.take()
        if intent is None:
            said = self.conversation.launch()
        else:
            said = self.conversation.intent(intent, **slots)
        self.turns[label] = (self.store.reads - reads, self.store.writes - writes)
        if self.meter:
            self.units[label] = self.meter.take()
        if self.stream is not None and self.meter:
            runs = len(self.stream.tally.runs)
            if self.stream.pump() is not None:
                written = sum(run.written for run in self.stream.tally.runs[runs:])
                self.relays.append((label, self.meter.take(), written))
        return said


def test_round_trips_per_turn_type(metered_table: DynamoTable, tmp_path: Path) -> None:
    table = metered_table
    store = DynamoStore(table.name, region=table.region, endpoint=table.endpoint)
    meter = MotoMeter(table.endpoint)
    home = Counted(store, Conversation(make_skill(store, test_settings(tmp_path))), meter)
    home.turn("first launch")
    home.turn("names", "CoupleNamesIntent", first_name="Alex", second_name="Sam")
    home.turn("names confirmed", "AMAZON.YesIntent")
    home.turn("stop", "AMAZON.StopIntent")
    home.turn("launch")
    home.turn("check-in start", "CheckInIntent")
    home.turn("check-in feeling", "FeelingIntent", feeling="calm")
    home.turn("check-in need", "NeedIntent", need="rest")
    home.turn("check-in feeling 2", "FeelingIntent", feeling="hopeful")
    home.turn("check-in last answer", "NeedIntent", need="a walk")
    home.turn("deposit", "TrustDepositIntent", partner="Alex")
    home.turn("deposit note", "NoteTextIntent", note="made tea")
    home.turn("balance", "TrustBalanceIntent")
    home.turn("silent sync", "SilentSyncIntent")
    home.turn("help mid-flow", "AMAZON.HelpIntent")
    home.turn("no more", "AMAZON.NoIntent")
    home.turn("streak", "StreakIntent")

    for label, (reads, writes) in home.turns.items():
        assert reads <= 1, f"{label}: {reads} reads"
        assert writes <= 1, f"{label}: {writes} writes"
    saving = {"names confirmed", "check-in last answer", "deposit note", "silent sync"}
    for label in saving:
        assert home.turns[label] == (1, 1), (label, home.turns[label])
    for label in set(home.turns) - saving:
        assert home.turns[label][1] == 0, f"{label} wrote"
    # Turns that need no couple state read nothing.
    assert home.turns["names"] == (0, 0)
    assert home.turns["no more"] == (0, 0)

    # Capacity: a young couple's profile is one 4 KB read unit; a turn that only reads
    # costs at most that, and writes nothing.
    for label, usage in home.units.items():
        assert usage.rcu <= 1.0, (label, usage)
        if label not in saving:
            assert usage.wcu == 0, (label, usage)
    # Every save is one conditional put of the profile, its events riding inside it:
    # 1 WCU for a young couple's item (it was 4 to 6 as a transaction).
    wcu = {label: home.units[label].wcu for label in saving}
    assert wcu == {
        "names confirmed": 1.0,
        "check-in last answer": 1.0,
        "deposit note": 1.0,
        "silent sync": 1.0,
    }


def test_a_three_year_couple_saves_in_one_write_of_at_most_five_units(
    metered_table: DynamoTable, tmp_path: Path
) -> None:
    """Issue 16's goal, on `lived_in_profile`: every save (a check-in, a deposit with
    its note, a thank-you, a Silent Sync) is one write of at most 5 WCU. Every few
    saves the outbox reaches RELAY_AT and the stream invokes the relay, off the turn:
    its units are counted apart, per run and per save (docs/store.md)."""
    table = metered_table
    store = DynamoStore(table.name, region=table.region, endpoint=table.endpoint)
    meter = MotoMeter(table.endpoint)
    conversation = set_up_couple(Conversation(make_skill(store, test_settings(tmp_path))))
    couple = couple_key(SECRET, conversation.user_id)
    lived = lived_in_profile()
    lived.partners = [Partner("Alex", ["a" * 40]), Partner("Sam", ["b" * 40])]
    store.commit(couple, store.load(couple), Commit([lambda p: p.__dict__.update(lived.__dict__)]))
    relay_store = DynamoStore(table.name, region=table.region, endpoint=table.endpoint)
    stream = StreamRelay(table.endpoint, table.name, relay_store)
    meter.take()
    home = Counted(store, conversation, meter, stream)

    saves: list[tuple[str, int, float]] = []  # (turn, write calls, WCU)
    for day in range(3):
        home.turn(f"launch {day}")
        home.turn("check-in start", "CheckInIntent")
        home.turn("feeling", "FeelingIntent", feeling="calm")
        home.turn("need", "NeedIntent", need="rest")
        home.turn("feeling 2", "FeelingIntent", feeling="hopeful")
        home.turn("check-in", "NeedIntent", need="a walk")
        saves.append(("check-in", home.turns["check-in"][1], home.units["check-in"].wcu))
        home.turn("deposit", "TrustDepositIntent", partner="Alex")
        home.turn("deposit note", "NoteTextIntent", note=f"made tea on day {day}")
        saves.append(("deposit note", *_writes(home, "deposit note")))
        home.turn("thank-you", "LeaveGratitudeIntent", partner="Sam", note=f"the tap {day}")
        saves.append(("thank-you", *_writes(home, "thank-you")))
        home.turn("silent sync", "SilentSyncIntent")
        saves.append(("silent sync", *_writes(home, "silent sync")))
        home.turn("no more", "AMAZON.NoIntent")

    print("three-year saves (turn, write calls, WCU):", saves)
    print(
        "relay runs (after turn, WCU, RCU, write calls, events):",
        [
            (label, usage.wcu, usage.rcu, usage.writes, events)
            for label, usage, events in home.relays
        ],
    )
    assert all(calls == 1 for _, calls, _ in saves), saves
    assert all(wcu <= 5.0 for _, _, wcu in saves), saves
    # The relay ran, off the turns: one BatchWriteItem of its events and one UpdateItem
    # of the profile, no read (the stream delivered the item); 1 WCU per event and the
    # profile's rewrite (its size: 3 WCU here).
    assert home.relays, "the relay never ran"
    for _, usage, events in home.relays:
        assert events >= RELAY_AT
        assert usage.writes == 2 and usage.reads == 0
        assert usage.wcu <= events + 4.0
    relay_wcu = sum(usage.wcu for _, usage, _ in home.relays)
    per_save = (sum(wcu for _, _, wcu in saves) + relay_wcu) / len(saves)
    print(f"per save, the relay included: {per_save:.2f} WCU")
    assert per_save <= 5.0
    # Nothing lost: every save's events are there, once.
    assert len(store.events(couple, EventKind.CHECK_IN)) == 3 * 2
    assert len(store.events(couple, EventKind.SYNC)) == 3


def _writes(home: Counted, label: str) -> tuple[int, float]:
    return home.turns[label][1], home.units[label].wcu


def test_a_profile_due_for_renewal_is_written_once_by_a_turn_that_only_reads(
    dynamo_table: DynamoTable, tmp_path: Path
) -> None:
    """Written before profiles expired (no `expires_at`): the first turn renews it,
    the next read-only turn writes nothing."""
    store = DynamoStore(
        dynamo_table.name, region=dynamo_table.region, endpoint=dynamo_table.endpoint
    )
    home = Counted(
        store, set_up_couple(Conversation(make_skill(store, test_settings(tmp_path)))), None
    )
    client = raw_client(dynamo_table.endpoint, dynamo_table.region)
    key = {"pk": {"S": couple_key(SECRET, home.conversation.user_id)}, "sk": {"S": "PROFILE"}}
    client.update_item(TableName=dynamo_table.name, Key=key, UpdateExpression="REMOVE expires_at")

    home.turn("streak", "StreakIntent")
    home.turn("streak again", "StreakIntent")

    assert home.turns == {"streak": (1, 1), "streak again": (1, 0)}
    item = client.get_item(TableName=dynamo_table.name, Key=key)["Item"]
    assert int(item["expires_at"]["N"]) > time.time() + 300 * 86400


def test_a_three_year_profile_with_a_stalled_relay_still_reads_in_one_unit(
    metered_table: DynamoTable,
) -> None:
    """No relay ran: the outbox holds OUTBOX_CAP check-ins (the most a save leaves
    there) on top of `lived_in_profile`; a read is still one 4 KB unit, and a save
    one write of at most 5 WCU."""
    table = metered_table
    store = DynamoStore(table.name, region=table.region, endpoint=table.endpoint)
    meter = MotoMeter(table.endpoint)
    profile = lived_in_profile()
    stored = store.commit(COUPLE, None, Commit([lambda p: p.__dict__.update(profile.__dict__)]))
    for n in range(OUTBOX_CAP):
        note = {"feeling": "hopeful", "need": "a walk", "partner": n % 2, "tod": "evening"}
        event = Event(EventKind.CHECK_IN, NOW, f"{n:016x}-0", note)
        stored = store.commit(COUPLE, stored, Commit([bump], [event]))
    meter.take()

    loaded = store.load(COUPLE)
    read = meter.take()

    assert loaded is not None and len(loaded.outbox.pending) == OUTBOX_CAP
    assert read.rcu == 1.0, read
    assert read.read_bytes < 4096
    store.commit(COUPLE, loaded, Commit([bump]))
    assert meter.take().wcu <= 5.0


def test_a_three_year_profile_is_one_read_unit_and_a_small_put(metered_table: DynamoTable) -> None:
    """Compressed, a profile with every window full of varied entries reads in one
    4 KB unit; saved, it is a few write units, its events included. (As JSON it is
    about 13 KB: 4 RCU and 13 WCU.)"""
    table = metered_table
    store = DynamoStore(table.name, region=table.region, endpoint=table.endpoint)
    meter = MotoMeter(table.endpoint)
    profile = lived_in_profile()
    assert len(json.dumps(profile.to_dict(), separators=(",", ":"))) > 12_000
    saved = store.commit(COUPLE, None, Commit([lambda p: p.__dict__.update(profile.__dict__)]))
    meter.take()

    loaded = store.load(COUPLE)
    read = meter.take()
    store.commit(COUPLE, loaded, Commit([bump]))
    put = meter.take()
    store.commit(COUPLE, store.load(COUPLE), Commit([bump], [sync_event("s1")]))
    meter.take()  # the read
    both = meter.take()

    assert loaded == saved and loaded.profile.recent_trust == profile.recent_trust
    assert read.rcu == 1.0
    assert put.wcu <= 3.0
    # The event rides in the profile's put: no transaction, no second item.
    assert both.wcu <= put.wcu + 1
