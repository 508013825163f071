"""The relay (skill.store.relay), as deployed: the table's stream (moto's DynamoDB
Streams, read by bench.stream as Lambda's event-source mapping reads it, through the
relay's filter) invokes the relay's handler with the records Lambda would deliver.
Everything is asserted on what the table then holds."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bench.stream import StreamRelay, matches
from skill.domain.events import EventKind
from skill.store.base import Commit, StoredProfile
from skill.store.dynamo import OUTBOX_CAP, RELAY_AT, DynamoStore, ProfileState
from skill.store.relay import relay
from skill.store.stream import FILTER_PATTERN, handle, image_state
from tests.fixtures.moto_server import DynamoTable

from .backends import raw_client
from .profiles import COUPLE, bump, named, sync_event

pytestmark = pytest.mark.dynamodb

EVENTS = Path(__file__).with_name("events")


def open_store(table: DynamoTable, **options: Any) -> DynamoStore:
    return DynamoStore(table.name, region=table.region, endpoint=table.endpoint, **options)


def raw_items(table: DynamoTable, couple: str = COUPLE) -> dict[str, dict[str, Any]]:
    found = raw_client(table.endpoint, table.region).query(
        TableName=table.name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": couple}},
        ConsistentRead=True,
    )["Items"]
    return {item["sk"]["S"]: item for item in found}


def event_keys(table: DynamoTable) -> list[str]:
    return sorted(sk for sk in raw_items(table) if sk != "PROFILE")


def sync_ids(store: DynamoStore) -> list[str]:
    return sorted(event.id for event in store.events(COUPLE, EventKind.SYNC, limit=500))


def saves(store: DynamoStore, stored: StoredProfile | None, ids: list[str]) -> StoredProfile:
    for event_id in ids:
        stored = store.commit(COUPLE, stored, Commit([bump], [sync_event(event_id)]))
    assert stored is not None
    return stored


@pytest.fixture
def store(dynamo_table: DynamoTable) -> DynamoStore:
    return open_store(dynamo_table)


@pytest.fixture
def stream(dynamo_table: DynamoTable, store: DynamoStore) -> StreamRelay:
    return StreamRelay(dynamo_table.endpoint, dynamo_table.name, store)


def test_below_the_threshold_nothing_invokes_the_relay(
    dynamo_table: DynamoTable, store: DynamoStore, stream: StreamRelay
) -> None:
    stored = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    writes = store.writes
    saves(store, stored, [f"e{i}" for i in range(RELAY_AT - 1)])

    assert store.writes - writes == RELAY_AT - 1  # one write per save, no write-out
    assert stream.pump() is None  # the filter let no record through
    assert stream.tally.records_read == RELAY_AT
    assert event_keys(dynamo_table) == []
    assert raw_items(dynamo_table)["PROFILE"]["outbox_n"] == {"N": str(RELAY_AT - 1)}


def test_the_relay_writes_out_exactly_the_pending_events_and_the_outbox_shrinks(
    dynamo_table: DynamoTable, store: DynamoStore, stream: StreamRelay
) -> None:
    stored = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    stored = saves(store, stored, [f"e{i}" for i in range(RELAY_AT)])
    before = raw_items(dynamo_table)["PROFILE"]

    assert stream.pump() == {"batchItemFailures": []}

    [run] = stream.tally.runs
    assert (run.outcome, run.written, run.removed, run.attempts) == (
        "relayed",
        RELAY_AT,
        RELAY_AT,
        1,
    )
    assert event_keys(dynamo_table) == sorted(sync_event(f"e{i}").sort_key for i in range(RELAY_AT))
    after = raw_items(dynamo_table)["PROFILE"]
    assert after["outbox_n"] == {"N": "0"}
    assert after["version"] == before["version"]  # a turn that read before still saves once
    assert len(after["zbody"]["B"]) < len(before["zbody"]["B"])
    loaded = store.load(COUPLE)
    assert loaded is not None and loaded == stored
    assert loaded.outbox.pending == ()
    assert set(loaded.outbox.landed) == {f"e{i}" for i in range(RELAY_AT)}
    assert sync_ids(store) == sorted(f"e{i}" for i in range(RELAY_AT))
    # A request retried after its event was relayed is still recognised.
    again = store.commit(COUPLE, loaded, Commit([bump], [sync_event("e3")]))
    assert again == loaded
    # The relay's own write does not invoke it again.
    assert stream.pump() is None


def test_a_save_that_read_before_the_relay_still_saves_once_and_nothing_doubles(
    dynamo_table: DynamoTable, store: DynamoStore, stream: StreamRelay
) -> None:
    """The echo read the profile, the relay ran, then the echo saves on what it read:
    one write, and it carries the relayed events back into the outbox; the next relay
    writes the same items again. Nothing lost, nothing twice."""
    phone, echo = store, open_store(dynamo_table)
    stored = phone.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    saves(phone, stored, [f"e{i}" for i in range(RELAY_AT)])
    read_by_echo = echo.load(COUPLE)
    stream.pump()
    writes = echo.writes

    saved = echo.commit(COUPLE, read_by_echo, Commit([bump], [sync_event("echo")]))

    assert echo.writes - writes == 1
    assert saved.profile.sync_count == RELAY_AT + 1
    assert sync_ids(phone) == sorted([f"e{i}" for i in range(RELAY_AT)] + ["echo"])
    stream.pump()
    assert stream.tally.runs[-1].outcome == "relayed"
    assert sync_ids(phone) == sorted([f"e{i}" for i in range(RELAY_AT)] + ["echo"])
    loaded = phone.load(COUPLE)
    assert loaded is not None and loaded.outbox.pending == ()
    assert loaded.profile.sync_count == RELAY_AT + 1


def test_a_relay_on_a_stale_image_reads_again_and_relays_the_fresh_outbox(
    dynamo_table: DynamoTable, store: DynamoStore, stream: StreamRelay
) -> None:
    """The stream delivered the profile as one save left it; another save landed before
    the relay's write: its condition fails, it reads again, and relays what is there."""
    stored = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    stored = saves(store, stored, [f"e{i}" for i in range(RELAY_AT)])
    records = stream.read()
    saves(store, stored, ["late"])

    runs_answer = handle({"Records": records}, store)

    assert runs_answer == {"batchItemFailures": []}
    assert event_keys(dynamo_table) == sorted(
        sync_event(i).sort_key for i in [*(f"e{n}" for n in range(RELAY_AT)), "late"]
    )
    loaded = store.load(COUPLE)
    assert loaded is not None and loaded.outbox.pending == ()
    assert loaded.profile.sync_count == RELAY_AT + 1
    assert sync_ids(store) == sorted([*(f"e{n}" for n in range(RELAY_AT)), "late"])


def test_the_same_stream_record_twice_changes_nothing_more(
    dynamo_table: DynamoTable, store: DynamoStore, stream: StreamRelay
) -> None:
    stored = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    saves(store, stored, [f"e{i}" for i in range(RELAY_AT)])
    stream.pump()
    assert stream.last_event is not None
    once = raw_items(dynamo_table)

    assert handle(stream.last_event, store) == {"batchItemFailures": []}

    assert raw_items(dynamo_table) == once
    assert sync_ids(store) == sorted(f"e{i}" for i in range(RELAY_AT))


def test_a_relay_after_a_forget_leaves_nothing_of_the_couple(
    dynamo_table: DynamoTable, store: DynamoStore, stream: StreamRelay
) -> None:
    """The stream record was read; "forget us" ran to the end; then the relay runs:
    the items it wrote go again."""
    stored = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    saves(store, stored, [f"e{i}" for i in range(RELAY_AT)])
    records = stream.read()
    assert open_store(dynamo_table).delete_couple(COUPLE).finished
    assert raw_items(dynamo_table) == {}

    assert handle({"Records": records}, store) == {"batchItemFailures": []}

    assert raw_items(dynamo_table) == {}
    assert store.events(COUPLE, EventKind.SYNC) == []


def test_a_forget_between_the_relays_puts_and_its_write_leaves_nothing(
    dynamo_table: DynamoTable, store: DynamoStore, stream: StreamRelay
) -> None:
    """The relay has put the items; the forget sweeps the partition and finishes before
    the relay's conditional write, which fails: it takes the items back."""
    stored = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    saves(store, stored, [f"e{i}" for i in range(RELAY_AT)])
    records = stream.read()
    forget_first(store, lambda: open_store(dynamo_table).delete_couple(COUPLE).finished)

    assert handle({"Records": records}, store) == {"batchItemFailures": []}

    assert raw_items(dynamo_table) == {}


def test_a_relay_that_finds_a_new_life_takes_back_the_old_one_only(
    dynamo_table: DynamoTable, store: DynamoStore, stream: StreamRelay
) -> None:
    """Forgotten, then set up afresh (version 1 again) before a stale relay's write: its
    items go, the new profile and its outbox stay as they are."""
    stored = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    saves(store, stored, [f"e{i}" for i in range(RELAY_AT)])
    records = stream.read()
    other = open_store(dynamo_table)
    new_life: dict[str, Any] = {}

    def forget_and_start_again() -> None:
        assert other.delete_couple(COUPLE).finished
        other.commit(COUPLE, None, Commit([named("Jo", "Kim")], [sync_event("new")]))
        new_life.update(raw_items(dynamo_table))

    forget_first(store, forget_and_start_again)

    assert handle({"Records": records}, store) == {"batchItemFailures": []}

    assert raw_items(dynamo_table) == new_life
    assert list(new_life) == ["PROFILE"]
    assert sync_ids(store) == ["new"]
    loaded = store.load(COUPLE)
    assert loaded is not None and [p.name for p in loaded.profile.partners] == ["Jo", "Kim"]


def forget_first(store: DynamoStore, forget: Callable[[], object]) -> None:
    """Run `forget` once, just before the relay's conditional write."""
    original = store.replace_outbox

    def late(state: ProfileState, outbox: Any) -> bool:
        store.replace_outbox = original  # type: ignore[method-assign]
        forget()
        return original(state, outbox)

    store.replace_outbox = late  # type: ignore[method-assign]


def test_a_stalled_relay_leaves_the_save_to_write_out_above_the_cap(
    dynamo_table: DynamoTable, store: DynamoStore
) -> None:
    """No relay ran: the outbox grows to OUTBOX_CAP, one write per save; the save that
    would take it over writes the outbox out itself first (two requests, rare)."""
    stored = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    writes = store.writes
    stored = saves(store, stored, [f"e{i}" for i in range(OUTBOX_CAP)])
    assert store.writes - writes == OUTBOX_CAP
    assert event_keys(dynamo_table) == []

    writes = store.writes
    saves(store, stored, ["over"])

    assert store.writes - writes == 2
    assert len(event_keys(dynamo_table)) == OUTBOX_CAP
    assert raw_items(dynamo_table)["PROFILE"]["outbox_n"] == {"N": "1"}
    assert sync_ids(store) == sorted([*(f"e{i}" for i in range(OUTBOX_CAP)), "over"])


def test_relay_without_an_image_reads_the_profile(
    dynamo_table: DynamoTable, store: DynamoStore
) -> None:
    stored = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    saves(store, stored, ["a", "b"])
    run = relay(store, COUPLE)
    assert (run.outcome, run.written, run.removed) == ("relayed", 2, 2)
    assert event_keys(dynamo_table) == sorted(sync_event(i).sort_key for i in "ab")
    assert relay(store, COUPLE).outcome == "nothing to relay"
    assert relay(store, "couple-never-seen").outcome == "forgotten"


# -- the stream's records, as Lambda delivers them ------------------------------------------


def load_event(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return found


def test_the_handler_reads_a_stream_event_as_lambda_delivers_it(
    dynamo_table: DynamoTable,
) -> None:
    """tests/store/events/profile_outbox_full.json: a MODIFY record of a profile item
    whose compressed body (binary, base64 in the event's JSON) holds RELAY_AT events.
    The item is put as the image says; the handler relays its outbox."""
    event = load_event("profile_outbox_full.json")
    [record] = event["Records"]
    assert matches(FILTER_PATTERN, record)
    image = record["dynamodb"]["NewImage"]
    item = {
        name: {"B": base64.b64decode(value["B"])} if "B" in value else value
        for name, value in image.items()
    }
    client = raw_client(dynamo_table.endpoint, dynamo_table.region)
    client.put_item(TableName=dynamo_table.name, Item=item)
    # The fixture's events are of 2026-12: a long TTL keeps them due whenever this runs.
    store = open_store(dynamo_table, event_ttl=timedelta(days=365 * 50))
    state = image_state(record)
    assert state is not None and len(state.outbox.pending) == RELAY_AT
    couple = state.couple_id

    assert handle(event, store) == {"batchItemFailures": []}

    stored = raw_items(dynamo_table, couple)
    expected = sorted(event.sort_key for event in state.outbox.pending)
    assert sorted(sk for sk in stored if sk != "PROFILE") == expected
    assert stored["PROFILE"]["outbox_n"] == {"N": "0"}
    loaded = store.load(couple)
    assert loaded is not None and loaded.outbox.pending == ()
    assert loaded.profile.partners[0].name == "Alex"
    for kept in state.outbox.pending:
        body = json.loads(stored[kept.sort_key]["body"]["S"])
        assert body["id"] == kept.id


def test_the_filter_passes_only_profile_writes_with_a_full_outbox() -> None:
    [record] = load_event("profile_outbox_full.json")["Records"]
    change = record["dynamodb"]

    def variant(**image: Any) -> dict[str, Any]:
        return {**record, "dynamodb": {**change, "NewImage": {**change["NewImage"], **image}}}

    assert matches(FILTER_PATTERN, variant(outbox_n={"N": str(RELAY_AT)}))
    assert matches(FILTER_PATTERN, variant(outbox_n={"N": str(OUTBOX_CAP)}))
    assert not matches(FILTER_PATTERN, variant(outbox_n={"N": str(RELAY_AT - 1)}))
    assert not matches(FILTER_PATTERN, variant(outbox_n={"N": "0"}))
    no_count = {**change["NewImage"]}
    no_count.pop("outbox_n")
    tombstone = {**record, "dynamodb": {**change, "NewImage": no_count}}
    assert not matches(FILTER_PATTERN, tombstone)
    event_item = {
        **record,
        "dynamodb": {**change, "Keys": {**change["Keys"], "sk": {"S": "EV#sync#x"}}},
    }
    assert not matches(FILTER_PATTERN, event_item)
    removed = {**record, "eventName": "REMOVE"}
    assert not matches(FILTER_PATTERN, removed)
    assert image_state(removed) is None
