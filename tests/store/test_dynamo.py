"""What only the DynamoDB store has: its item layout, its table definition, its
time budget under faults, its error translation and its lazy client."""

from __future__ import annotations

import io
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import botocore.session
import pytest
import yaml  # type: ignore[import-untyped]

from skill.deadline import budget
from skill.domain.events import Event, EventKind
from skill.store import admin, dynamo
from skill.store.base import (
    Commit,
    Deletion,
    Outbox,
    StoredProfile,
    StoreError,
    StoreUnavailable,
)
from skill.store.dynamo import (
    OUTBOX_CAP,
    READ_ATTEMPTS,
    DynamoStore,
    Timeouts,
    table_definition,
)
from skill.store.factory import store_from_settings
from skill.store.sqlite import SqliteStore
from tests.fixtures.moto_server import DynamoTable, LocalMotoServer, create_test_table

from .backends import raw_client
from .profiles import COUPLE, NOW, bump, full_profile, named, sync_event

pytestmark = pytest.mark.dynamodb

BUDGET_S = 5.0


def open_store(table: DynamoTable, **options: object) -> DynamoStore:
    return DynamoStore(table.name, region=table.region, endpoint=table.endpoint, **options)  # type: ignore[arg-type]


# -- layout --------------------------------------------------------------------------------------


def test_items_are_laid_out_as_template_yaml_expects(dynamo_table: DynamoTable) -> None:
    store = open_store(dynamo_table, event_ttl=timedelta(days=30))
    saved = store.commit(COUPLE, None, Commit([bump], [sync_event("s0")]))
    # Events with no change to the profile are items of their own.
    store.commit(COUPLE, saved, Commit([], [sync_event("s1")]))

    client = raw_client(dynamo_table.endpoint, dynamo_table.region)
    items = client.query(
        TableName=dynamo_table.name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": COUPLE}},
    )["Items"]
    by_sk = {item["sk"]["S"]: item for item in items}
    profile, event = by_sk["PROFILE"], by_sk[sync_event("s1").sort_key]

    assert profile["version"] == {"N": "1"}
    assert profile["schema"] == {"N": "2"}
    # The body is compressed JSON (DynamoDB charges by the bytes).
    assert "body" not in profile
    body = json.loads(zlib.decompress(profile["zbody"]["B"]))
    assert body["sync_count"] == 1
    # The turn's events ride in the profile's outbox, committed with it.
    assert [e["id"] for e in body["_outbox"]["pending"]] == ["s0"]
    # The profile expires too, counted from its last write (renewed while in use).
    written_at = time.time()
    expires_at = int(profile["expires_at"]["N"])
    assert written_at - 60 < expires_at - timedelta(days=30).total_seconds() <= written_at
    assert int(event["expires_at"]["N"]) == int((NOW + timedelta(days=30)).timestamp())
    assert json.loads(event["body"]["S"])["id"] == "s1"
    assert "version" not in event


def test_table_definition_matches_template_yaml() -> None:
    template = Path(__file__).parents[2] / "template.yaml"
    if not template.exists():
        pytest.skip("template.yaml not written yet")

    class CfnLoader(yaml.SafeLoader):  # type: ignore[misc]
        """Reads !Ref, !If and friends as None: only plain properties are compared."""

    CfnLoader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)
    resources = yaml.load(template.read_text(), Loader=CfnLoader)["Resources"]
    tables = [r for r in resources.values() if r["Type"] == "AWS::DynamoDB::Table"]
    assert len(tables) == 1
    declared = tables[0]["Properties"]
    expected = table_definition()
    for key in ("AttributeDefinitions", "KeySchema", "BillingMode"):
        assert declared[key] == expected[key]
    assert declared["TimeToLiveSpecification"] == expected["TimeToLiveSpecification"]


def test_admin_creates_the_table_with_ttl_once(
    moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEADY_DYNAMODB_ENDPOINT", moto_endpoint)
    monkeypatch.setenv("STEADY_TABLE", "steady-admin-test")
    first, second = io.StringIO(), io.StringIO()

    assert admin.create_table(first) == 0
    assert admin.create_table(second) == 0

    assert "Created table steady-admin-test" in first.getvalue()
    assert "exists" in second.getvalue()
    client = raw_client(moto_endpoint, "us-east-1")
    described = client.describe_table(TableName="steady-admin-test")["Table"]
    assert described["KeySchema"] == table_definition()["KeySchema"]
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = client.describe_time_to_live(TableName="steady-admin-test")
    assert ttl["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "expires_at",
    }
    client.delete_table(TableName="steady-admin-test")


def test_admin_refuses_without_a_local_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STEADY_DYNAMODB_ENDPOINT", raising=False)
    out = io.StringIO()
    assert admin.create_table(out) == 2
    assert "template.yaml" in out.getvalue()


def test_a_profile_of_four_byte_characters_still_fits(dynamo_table: DynamoTable) -> None:
    # The body is stored as UTF-8, not \\u-escaped: escaping would take this to 1 MB.
    profile = full_profile("😀")
    store = open_store(dynamo_table)
    saved = store.commit(COUPLE, None, Commit([lambda p: p.__dict__.update(profile.__dict__)]))
    assert saved == store.load(COUPLE) == StoredProfile(profile, 1)


def test_a_profile_kept_as_text_reads_and_is_compressed_on_its_next_write(
    dynamo_table: DynamoTable,
) -> None:
    store = open_store(dynamo_table)
    saved = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    client = raw_client(dynamo_table.endpoint, dynamo_table.region)
    key = {"pk": {"S": COUPLE}, "sk": {"S": "PROFILE"}}
    text = zlib.decompress(
        client.get_item(TableName=dynamo_table.name, Key=key)["Item"]["zbody"]["B"]
    )
    client.update_item(
        TableName=dynamo_table.name,
        Key=key,
        UpdateExpression="SET body = :b REMOVE zbody",
        ExpressionAttributeValues={":b": {"S": text.decode()}},
    )
    loaded = store.load(COUPLE)
    assert loaded == saved

    store.commit(COUPLE, loaded, Commit([bump]))
    item = client.get_item(TableName=dynamo_table.name, Key=key)["Item"]
    assert "body" not in item and "zbody" in item
    assert len(item["zbody"]["B"]) < len(text)


# -- forgetting in bounded time --------------------------------------------------------------


def raw_items(table: DynamoTable) -> list[dict[str, Any]]:
    client = raw_client(table.endpoint, table.region)
    return client.query(
        TableName=table.name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": COUPLE}},
    )["Items"]


def test_forget_takes_the_profile_first_and_carries_on_where_it_stopped(
    dynamo_table: DynamoTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(dynamo_table)
    base = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    store.commit(COUPLE, base, Commit([], [sync_event(f"e{i:02d}") for i in range(40)]))
    # The turn's budget has room for one batch of deletes only.
    room = iter([True])
    monkeypatch.setattr(store, "_room_for_a_batch", lambda: next(room, False))

    assert store.delete_couple(COUPLE) == Deletion(dynamo.DELETE_BATCH, finished=False)

    items = raw_items(dynamo_table)
    assert len(items) == 1 + 40 - dynamo.DELETE_BATCH
    [tombstone] = [item for item in items if item["sk"]["S"] == "PROFILE"]
    # Nothing personal is left in it.
    assert "zbody" not in tombstone
    assert set(json.loads(tombstone["body"]["S"])) == {"schema", "forgotten"}
    assert "expires_at" in tombstone
    monkeypatch.undo()
    # A device still holding the old profile writes on its version: it finds the couple
    # gone (its write starts afresh) and nothing of the old profile comes back.
    again = store.commit(COUPLE, base, Commit([bump]))
    assert again.profile.partners == [] and again.profile.sync_count == 1
    assert [item["sk"]["S"] for item in raw_items(dynamo_table)] == ["PROFILE"]


def test_a_read_finishes_a_deletion_cut_short(
    dynamo_table: DynamoTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(dynamo_table)
    base = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    store.commit(COUPLE, base, Commit([], [sync_event(f"e{i:02d}") for i in range(30)]))
    monkeypatch.setattr(store, "_room_for_a_batch", lambda: False)
    assert store.delete_couple(COUPLE) == Deletion(0, finished=False)
    monkeypatch.undo()

    assert store.load(COUPLE) is None
    assert raw_items(dynamo_table) == []
    assert store.delete_couple(COUPLE) == Deletion(0, finished=True)


# -- no client before the first call -------------------------------------------------------


def test_building_a_store_makes_no_client_and_no_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a botocore client was created")

    monkeypatch.setattr(botocore.session.Session, "create_client", refuse)
    store = store_from_settings("steady", "http://127.0.0.1:9", tmp_path, "us-east-1", 400)
    assert isinstance(store, DynamoStore)
    assert store.table_definition()["TableName"] == "steady"
    assert isinstance(store_from_settings(None, None, tmp_path, "us-east-1", 400), SqliteStore)
    assert (tmp_path / "steady.sqlite3").exists()


# -- faults ----------------------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_unavailable_quickly(call: Callable[[], object]) -> None:
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        call()
    # The budget, and a little for a loaded machine's scheduling: still well inside
    # Alexa's 8 s and the function's timeout.
    assert time.monotonic() - started < BUDGET_S + 0.5


def every_operation(store: DynamoStore) -> list[Callable[[], object]]:
    base = StoredProfile(full_profile(), 3)
    return [
        lambda: store.load(COUPLE),
        lambda: store.commit(COUPLE, base, Commit([bump])),
        lambda: store.commit(COUPLE, base, Commit([bump], [sync_event("a")])),
        lambda: store.commit(COUPLE, None, Commit([], [sync_event("b")])),
        lambda: store.events(COUPLE, EventKind.SYNC),
        lambda: store.delete_couple(COUPLE),
    ]


@pytest.mark.usefixtures("aws_credentials")
def test_an_unreachable_endpoint_is_unavailable_within_budget() -> None:
    store = DynamoStore("steady", region="us-east-1", endpoint=f"http://127.0.0.1:{closed_port()}")
    for call in every_operation(store):
        assert_unavailable_quickly(call)


@pytest.mark.usefixtures("aws_credentials")
def test_a_server_that_stops_is_unavailable_within_budget() -> None:
    server = LocalMotoServer().start()
    table = create_test_table(server.endpoint)
    store = open_store(table)
    store.commit(COUPLE, None, Commit([bump]))
    server.stop()
    for call in every_operation(store):
        assert_unavailable_quickly(call)


class FakeDynamo(BaseHTTPRequestHandler):
    """Answers every call with one canned error (or stalls), counting requests."""

    status: ClassVar[int] = 400
    body: ClassVar[dict[str, object]] = {}
    stall_s: ClassVar[float] = 0.0
    requests: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.requests.append(self.headers.get("X-Amz-Target", ""))
        if self.stall_s:
            time.sleep(self.stall_s)
        payload = json.dumps(self.body).encode()
        try:
            self.send_response(self.status)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting, as it should

    def log_message(self, *_: object) -> None:
        """Quiet."""


@pytest.fixture
def fake_dynamo(aws_credentials: None) -> Iterator[tuple[str, type[FakeDynamo]]]:
    handler = type("Handler", (FakeDynamo,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def error(code: str, **extra: object) -> dict[str, object]:
    return {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": "no", **extra}


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (400, "ProvisionedThroughputExceededException"),
        (400, "ThrottlingException"),
        (500, "InternalServerError"),
        (400, "ResourceNotFoundException"),
    ],
)
def test_service_errors_are_unavailable_after_one_retry(
    fake_dynamo: tuple[str, type[FakeDynamo]], status: int, code: str
) -> None:
    endpoint, handler = fake_dynamo
    handler.status, handler.body = status, error(code)
    store = DynamoStore("steady", region="us-east-1", endpoint=endpoint)
    assert_unavailable_quickly(lambda: store.load(COUPLE))
    retried = code != "ResourceNotFoundException"
    attempts = READ_ATTEMPTS if retried else 1
    assert handler.requests == ["DynamoDB_20120810.GetItem"] * attempts
    # The store retries, not botocore: every attempt is a call sent, and counted.
    assert store.reads == attempts


def test_a_failed_write_is_not_retried(fake_dynamo: tuple[str, type[FakeDynamo]]) -> None:
    """It may have landed: the turn says it was not saved, the couple says it again."""
    endpoint, handler = fake_dynamo
    handler.status, handler.body = 500, error("InternalServerError")
    store = DynamoStore("steady", region="us-east-1", endpoint=endpoint)
    assert_unavailable_quickly(lambda: store.commit(COUPLE, None, Commit([bump])))
    assert handler.requests == ["DynamoDB_20120810.PutItem"]


def test_a_rejected_request_is_a_store_error_not_an_outage(
    fake_dynamo: tuple[str, type[FakeDynamo]],
) -> None:
    endpoint, handler = fake_dynamo
    handler.body = error("ValidationException")
    store = DynamoStore("steady", region="us-east-1", endpoint=endpoint)
    with pytest.raises(StoreError) as raised:
        store.commit(COUPLE, None, Commit([bump]))
    assert not isinstance(raised.value, StoreUnavailable)


@pytest.mark.slow
def test_a_stalled_server_is_unavailable_within_budget(
    fake_dynamo: tuple[str, type[FakeDynamo]],
) -> None:
    endpoint, handler = fake_dynamo
    handler.stall_s = 4.0
    store = DynamoStore("steady", region="us-east-1", endpoint=endpoint)
    store.warm()  # the client is built outside the timing, as at a warm turn
    assert_unavailable_quickly(lambda: store.load(COUPLE))
    assert len(handler.requests) == READ_ATTEMPTS
    assert Timeouts().retries == 0  # botocore does not retry on its own


def test_every_call_is_cut_to_what_is_left_of_the_turn(
    fake_dynamo: tuple[str, type[FakeDynamo]],
) -> None:
    endpoint, handler = fake_dynamo
    handler.stall_s = 2.0
    store = DynamoStore("steady", region="us-east-1", endpoint=endpoint)
    store.warm()  # the client is built outside the timing
    started = time.monotonic()
    with budget(0.6), pytest.raises(StoreUnavailable):
        store.load(COUPLE)
    assert time.monotonic() - started < 0.9
    # And with nothing left, no call is started at all.
    handler.requests.clear()
    with budget(0.05), pytest.raises(StoreUnavailable):
        store.commit(COUPLE, None, Commit([bump]))
    assert handler.requests == []


def test_events_left_unprocessed_fail_the_write_before_the_profile_is_put(
    fake_dynamo: tuple[str, type[FakeDynamo]],
) -> None:
    """Writing out an outbox above the cap: an item DynamoDB leaves unprocessed fails the turn's
    write (told "not saved"), and the profile put is never sent."""
    endpoint, handler = fake_dynamo
    handler.status = 200
    unprocessed = {"PutRequest": {"Item": {"pk": {"S": COUPLE}, "sk": {"S": "EV#sync#x"}}}}
    handler.body = {"UnprocessedItems": {"steady": [unprocessed]}}
    store = DynamoStore("steady", region="us-east-1", endpoint=endpoint)
    full = Outbox(tuple(sync_event(f"p{i}") for i in range(OUTBOX_CAP)))
    base = StoredProfile(full_profile(), 3, outbox=full)
    assert_unavailable_quickly(
        lambda: store.commit(COUPLE, base, Commit([bump], [sync_event("new")]))
    )
    assert handler.requests == ["DynamoDB_20120810.BatchWriteItem"]


# -- the outbox: events committed inside the profile ------------------------------------------


def test_a_save_with_events_is_one_put_of_the_profile_carrying_them(
    dynamo_table: DynamoTable,
) -> None:
    store = open_store(dynamo_table)
    base = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    writes = store.writes
    saved = store.commit(COUPLE, base, Commit([bump], [sync_event("a"), sync_event("b")]))

    assert store.writes - writes == 1
    assert sort_keys(dynamo_table) == ["PROFILE"]
    assert [e.id for e in saved.outbox.pending] == ["a", "b"]
    assert sorted(e.id for e in store.events(COUPLE, EventKind.SYNC)) == ["a", "b"]
    assert store.events(COUPLE, EventKind.SYNC, limit=1)[0] == sync_event("b")


def test_above_the_cap_the_save_writes_the_outbox_out_itself_first(
    dynamo_table: DynamoTable,
) -> None:
    store = open_store(dynamo_table)
    stored = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    for i in range(OUTBOX_CAP):
        stored = store.commit(COUPLE, stored, Commit([bump], [sync_event(f"e{i}")]))
    assert sort_keys(dynamo_table) == ["PROFILE"]
    writes = store.writes

    stored = store.commit(COUPLE, stored, Commit([bump], [sync_event("last")]))

    assert store.writes - writes == 2  # one BatchWriteItem, then the profile
    written_out = sorted(sync_event(f"e{i}").sort_key for i in range(OUTBOX_CAP))
    assert sort_keys(dynamo_table) == [*written_out, "PROFILE"]
    loaded = store.load(COUPLE)
    assert loaded is not None and loaded == stored
    assert [e.id for e in loaded.outbox.pending] == ["last"]
    assert loaded.profile.sync_count == OUTBOX_CAP + 1
    ids = sorted(e.id for e in store.events(COUPLE, EventKind.SYNC))
    assert ids == sorted([f"e{i}" for i in range(OUTBOX_CAP)] + ["last"])

    # A request retried after its event left the profile is still recognised (the
    # outbox remembers the newest LANDED_MAX ids written out: a retry comes seconds
    # after its request, so its events are among the newest).
    newest = f"e{OUTBOX_CAP - 1}"
    again = store.commit(COUPLE, loaded, Commit([bump], [sync_event(newest)]))
    assert again == loaded and again.profile.sync_count == OUTBOX_CAP + 1


def test_a_write_out_met_by_another_device_loses_nothing(dynamo_table: DynamoTable) -> None:
    """The phone writes the outbox (above the cap) out, then its put meets the echo's save; it
    reads again, writes the same items again, and both saves are kept."""
    phone, echo = open_store(dynamo_table), open_store(dynamo_table)
    stored = phone.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    for i in range(OUTBOX_CAP):
        stored = phone.commit(COUPLE, stored, Commit([bump], [sync_event(f"e{i}")]))
    echo.commit(COUPLE, echo.load(COUPLE), Commit([bump], [sync_event("echo")]))

    phone.commit(COUPLE, stored, Commit([bump], [sync_event("phone")]))

    loaded = phone.load(COUPLE)
    assert loaded is not None and loaded.profile.sync_count == OUTBOX_CAP + 2
    ids = sorted(e.id for e in phone.events(COUPLE, EventKind.SYNC))
    assert ids == sorted([f"e{i}" for i in range(OUTBOX_CAP)] + ["echo", "phone"])


def test_events_written_out_just_as_the_couple_is_forgotten_go_too(
    dynamo_table: DynamoTable,
) -> None:
    """The phone read an outbox above the cap; the echo's "forget us" runs to the end; the
    phone writes the outbox out, its put fails, and it takes those items away again
    before saving its own turn afresh: nothing from before the forget is left."""
    phone, echo = open_store(dynamo_table), open_store(dynamo_table)
    stored = phone.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    for i in range(OUTBOX_CAP):
        stored = phone.commit(COUPLE, stored, Commit([bump], [sync_event(f"e{i}")]))
    assert echo.delete_couple(COUPLE).finished
    assert sort_keys(dynamo_table) == []

    saved = phone.commit(COUPLE, stored, Commit([bump], [sync_event("after")]))

    assert sort_keys(dynamo_table) == ["PROFILE"]
    assert saved.profile.sync_count == 1 and not saved.profile.is_set_up
    assert [e.id for e in phone.events(COUPLE, EventKind.SYNC)] == ["after"]


def test_forget_takes_the_events_the_profile_carries_too(dynamo_table: DynamoTable) -> None:
    store = open_store(dynamo_table)
    stored = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    for i in range(OUTBOX_CAP + 2):
        stored = store.commit(COUPLE, stored, Commit([bump], [sync_event(f"e{i}")]))
    assert store.delete_couple(COUPLE).finished
    assert sort_keys(dynamo_table) == []
    assert store.events(COUPLE, EventKind.SYNC) == []


def test_expired_events_are_dropped_from_the_profile_on_its_next_write(
    dynamo_table: DynamoTable,
) -> None:
    store = open_store(dynamo_table, event_ttl=timedelta(days=1))
    old = sync_event("old", at=NOW - timedelta(days=2))
    base = store.commit(COUPLE, None, Commit([bump], [old, sync_event("fresh")]))
    assert [e.id for e in store.events(COUPLE, EventKind.SYNC)] == ["fresh"]

    saved = store.commit(COUPLE, base, Commit([bump], [sync_event("next")]))

    assert [e.id for e in saved.outbox.pending] == ["fresh", "next"]


def sort_keys(table: DynamoTable) -> list[str]:
    client = raw_client(table.endpoint, table.region)
    found = client.query(
        TableName=table.name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": COUPLE}},
        ConsistentRead=True,
    )
    return [item["sk"]["S"] for item in found["Items"]]


def test_events_at_naive_times_are_taken_as_utc(dynamo_table: DynamoTable) -> None:
    store = open_store(dynamo_table, event_ttl=timedelta(days=1))
    naive = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    store.commit(COUPLE, None, Commit([], [Event(EventKind.SYNC, naive, "n")]))
    assert [e.id for e in store.events(COUPLE, EventKind.SYNC)] == ["n"]
