"""DynamoDB round-trips per turn, counted as they leave botocore: at most one read
and one write per turn, none written by a turn that only reads, and no read at all
for a turn that needs no state. And the capacity units each turn type costs, as
DynamoDB would charge them for the items sent and received (bench.capacity, on a
metered moto server)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.capacity import MotoMeter, Usage
from skill.privacy import couple_key
from skill.store.base import Commit
from skill.store.dynamo import DynamoStore
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
from .profiles import COUPLE, bump, lived_in_profile, sync_event

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
        self, store: DynamoStore, conversation: Conversation, meter: MotoMeter | None
    ) -> None:
        self.store, self.conversation, self.meter = store, conversation, meter
        self.turns: dict[str, tuple[int, int]] = {}
        self.units: dict[str, Usage] = {}

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
    # A save that changes the profile only is one conditional put (1 WCU for a small
    # item); one with events is a transaction: twice each item's units. Measured here:
    # the check-in's save (profile + two check-ins) is over the 5 WCU goal of issue 16.
    wcu = {label: home.units[label].wcu for label in saving}
    assert wcu == {
        "names confirmed": 1.0,
        "check-in last answer": 6.0,
        "deposit note": 4.0,
        "silent sync": 4.0,
    }


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


def test_a_three_year_profile_is_one_read_unit_and_a_small_put(metered_table: DynamoTable) -> None:
    """Compressed, a profile with every window full of varied entries reads in one
    4 KB unit; saved alone, it is a few write units. (As JSON it is about 13 KB: 4 RCU
    and 13 WCU; in a transaction every item counts twice.)"""
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
    assert both.wcu <= 2 * (put.wcu + 1)
