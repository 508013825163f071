"""The DynamoDB store, through pynamodb: one table, one partition per couple.

Layout (the same as the SQLite store): hash key `pk` is the couple id, range key
`sk` is "PROFILE" for the one profile item or `Event.sort_key` for each event.

- The profile body is one JSON document, not a MapAttribute: the profile is always
  read and rewritten whole under its version, so nothing would query inside it;
  one codec (`Profile.to_dict`/`from_dict`, with its schema upgrade) serves every
  store; no Decimal round-trips. It is stored zlib-compressed (`zbody`, binary):
  DynamoDB charges by the bytes stored and read, and the profile's windows repeat
  the same keys dozens of times. A profile written before (`body`, a string) still
  reads, and is compressed on its next write. The compressed size is at most the
  JSON's, which the bounds test measures against the 400 KB item limit.
- A turn's write is one conditional PutItem of the profile (on its version), which
  is the commit point. The turn's history events ride inside it, in the profile's
  outbox (`Outbox`, compressed with the body): they are committed with the profile or
  not at all, and a retried request is recognised by their ids. No transaction (which
  DynamoDB charges twice). The item's `outbox_n` (a plain number) says how many the
  outbox holds: from `RELAY_AT` on, the table's stream invokes the relay
  (`skill.store.relay`, off the turn), which writes them out as items of their own and
  takes them out of the outbox. Only when a save would leave more than `OUTBOX_CAP`
  (a relay stalled) does the save write the committed ones out itself first (plain,
  idempotent puts, one BatchWriteItem), as every save once did. A turn that writes
  events and no change to the profile writes them as items directly (plain puts
  keyed by the request: a retry writes the same items again).
- Every item carries `expires_at` (DynamoDB's TTL): an event from its time, the
  profile from its last write (renewed at least monthly while the couple uses it).
- Every call shares the turn's budget (`skill.deadline`): the connect and read
  timeouts of each HTTP request are cut to what is left of it, botocore does not
  retry on its own, and a failed read is tried again after a jittered wait while the
  budget allows (a write is not: it may have landed, so the turn says it was not
  saved and the couple says it again).
- "Forget" puts a tombstone (no personal data) over the profile first, then deletes
  the events in batches of 25 while the budget allows; the next delete or read of the
  couple finishes what is left, and drops the tombstone last.

No botocore client exists until the first call; it is then reused."""

from __future__ import annotations

import json
import logging
import math
import threading
import types
import uuid
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar, cast

from botocore.exceptions import BotoCoreError, ClientError
from botocore.model import OperationModel
from pynamodb.attributes import (
    BinaryAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, PynamoDBException
from pynamodb.models import Model
from urllib3.util.timeout import Timeout

from skill.deadline import backoff, time_left
from skill.domain.couple import SCHEMA_VERSION, Profile, iso
from skill.domain.events import Event, EventKind, sort_key_range
from skill.store import botocore_data
from skill.store.base import (
    MIN_CALL_S,
    NO_OUTBOX,
    AlreadyWritten,
    Deletion,
    Outbox,
    StoredProfile,
    StoreError,
    StoreUnavailable,
    VersionedStore,
    VersionMismatch,
    ensure_time,
)
from skill.store.codec import PROFILE_SORT_KEY, event_from_dict, event_to_dict

log = logging.getLogger(__name__)

TTL_ATTRIBUTE = "expires_at"
MAX_EVENTS_PER_WRITE = 100
# From this many committed events in the profile's outbox on, the table's stream invokes
# the relay (template.yaml's FilterCriteria reads `outbox_n`; docs/store.md).
RELAY_AT = 6
# A save writes the outbox out itself only when it would hold more than this (the relay
# stalled): the profile item then still reads in one 4 KB unit.
OUTBOX_CAP = 3 * RELAY_AT
# The ids of the events last written out that the outbox remembers (retried requests).
LANDED_MAX = 12
OUTBOX_KEY = "_outbox"
OUTBOX_COUNT = "outbox_n"
READ_ATTEMPTS = 2
ZLIB_LEVEL = 6
DELETE_BATCH = 25  # one BatchWriteItem
# A batch of deletes is started only with this much of the budget left.
MIN_BATCH_S = 0.5
EVENT_PREFIX = "EV#"
_CONDITION_FAILED_EXCEPTION = "ConditionalCheckFailedException"
_VALIDATION = "ValidationException"
_RETRYABLE = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "LimitExceededException",
    }
)
_READ_OPERATIONS = frozenset({"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"})
_WRITE_OPERATIONS = frozenset(
    {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
)


def table_definition(table_name: str | None = None) -> dict[str, Any]:
    """The table as CreateTable (plus its TTL setting) describes it; template.yaml
    must declare the same keys, billing mode, stream and TTL attribute."""
    definition: dict[str, Any] = {
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
        # The relay's trigger (skill.store.stream): every write, as written.
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        "TimeToLiveSpecification": {"AttributeName": TTL_ATTRIBUTE, "Enabled": True},
    }
    if table_name is not None:
        return {"TableName": table_name, **definition}
    return definition


@dataclass(frozen=True)
class Timeouts:
    """Upper bounds of each HTTP request; the turn's budget cuts them shorter. No
    retries by botocore: reads are retried by the store, within the budget."""

    connect_s: float = 1.0
    read_s: float = 2.0
    retries: int = 0


class BudgetTimeout(Timeout):
    """urllib3's timeout for each request of the client: at most what is left of the
    turn's budget (`skill.deadline`), else the client's own bounds. urllib3 clones the
    pool's timeout for every request, so each request gets its own, thread-safely."""

    def __init__(self, connect: float, read: float) -> None:
        super().__init__(connect=connect, read=read)
        self._bounds = (connect, read)

    def clone(self) -> Timeout:
        connect, read = self._bounds
        left = time_left()
        if not math.isinf(left):
            left = max(0.01, left)
            connect, read = min(connect, left), min(read, left)
        return Timeout(connect=connect, read=read)


def install_budget_timeout(client: Any, timeouts: Timeouts) -> bool:
    """Give every request of a botocore client the budget's timeout. False (and the
    client keeps its fixed timeouts) if botocore's HTTP session is not the one known."""
    timeout = BudgetTimeout(timeouts.connect_s, timeouts.read_s)
    try:
        session = client._endpoint.http_session
        session._timeout = timeout
        for manager in [session._manager, *session._proxy_managers.values()]:
            manager.connection_pool_kw["timeout"] = timeout
            for key in list(manager.pools.keys()):
                manager.pools[key].timeout = timeout
    except (AttributeError, KeyError, TypeError):
        log.warning("per-call deadlines unavailable: the store keeps its fixed timeouts")
        return False
    return True


@dataclass
class CallCounter:
    """Counts DynamoDB API calls as they leave botocore (retries not counted)."""

    reads: int = 0
    writes: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, operation: str) -> None:
        with self._lock:
            if operation in _READ_OPERATIONS:
                self.reads += 1
            elif operation in _WRITE_OPERATIONS:
                self.writes += 1

    def on_before_call(self, model: OperationModel, **_: object) -> None:
        self.record(model.name)


# -- items ------------------------------------------------------------------------
# Unbound shapes; `_bind` makes per-table subclasses. Never used directly.


class _KeyItem(Model):
    class Meta:
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


class _ProfileItem(_KeyItem):
    # The JSON body, compressed; or, as written before (and for a tombstone), as text.
    zbody = BinaryAttribute(null=True, legacy_encoding=False)
    body = UnicodeAttribute(null=True)
    schema = NumberAttribute()
    version = VersionAttribute()
    # Absent on profiles written before profiles expired; the next write adds it.
    expires_at = TTLAttribute(null=True)
    # How many events the outbox holds: the stream's filter reads it (the body is
    # compressed). Absent on profiles written before the relay.
    outbox_n = NumberAttribute(null=True)


class _EventItem(_KeyItem):
    body = UnicodeAttribute()
    expires_at = TTLAttribute()


_Item = TypeVar("_Item", bound=_KeyItem)
_T = TypeVar("_T")
FORGOTTEN = "forgotten"


@dataclass(frozen=True)
class ProfileState:
    """The profile item as stored, read or taken from a stream image: what the relay
    works on. `stored` is the body's attribute and value exactly as found, so that a
    write can be conditioned on nothing having changed since."""

    couple_id: str
    version: int
    body: dict[str, Any]  # the profile's JSON body, without its outbox
    outbox: Outbox
    stored: tuple[str, bytes | str]

    @property
    def forgotten(self) -> bool:
        return FORGOTTEN in self.body

    @classmethod
    def of(
        cls, couple_id: str, version: int, zbody: bytes | None, body: str | None
    ) -> ProfileState:
        text = zlib.decompress(zbody).decode() if zbody is not None else body
        found: dict[str, Any] = json.loads(text or "{}")
        outbox = _outbox_of(found)
        stored: tuple[str, bytes | str] = (
            ("zbody", zbody) if zbody is not None else ("body", body or "")
        )
        return cls(couple_id, version, found, outbox, stored)


@dataclass(frozen=True)
class _Models:
    """The three pynamodb item shapes of one table, sharing one connection."""

    key: type[_KeyItem]
    profile: type[_ProfileItem]
    event: type[_EventItem]

    @property
    def connection(self) -> Connection:
        # All three share one TableConnection (see `_bind`): one botocore client.
        return self.key._get_connection().connection


def _bind(table_name: str, region: str, host: str | None, timeouts: Timeouts) -> _Models:
    meta = {
        "table_name": table_name,
        "region": region,
        "host": host,
        "connect_timeout_seconds": timeouts.connect_s,
        "read_timeout_seconds": timeouts.read_s,
        "max_retry_attempts": timeouts.retries,
        "max_pool_connections": 10,
    }

    def subclass(base: type[_Item]) -> type[_Item]:
        name = f"{base.__name__.lstrip('_')}_{table_name}"
        namespace = {"Meta": type("Meta", (), dict(meta)), "__module__": __name__}
        created = types.new_class(name, (base,), exec_body=lambda body: body.update(namespace))
        return cast(type[_Item], created)

    models = _Models(subclass(_KeyItem), subclass(_ProfileItem), subclass(_EventItem))
    # Building a TableConnection creates no botocore client (that waits for the
    # first call); sharing it keeps one client and one pool for the three shapes.
    shared = models.key._get_connection()
    models.profile._connection = shared
    models.event._connection = shared
    return models


# -- the store ----------------------------------------------------------------------


class DynamoStore(VersionedStore):
    def __init__(
        self,
        table_name: str,
        region: str,
        endpoint: str | None = None,
        event_ttl: timedelta = timedelta(days=400),
        timeouts: Timeouts | None = None,
        *,
        lean_data_dir: Path | None = None,  # default: the bundle's (botocore_data)
    ) -> None:
        self.table_name = table_name
        self.calls = CallCounter()
        self._ttl = event_ttl
        self._timeouts = timeouts or Timeouts()
        self._models = _bind(table_name, region, endpoint, self._timeouts)
        self._hooked_client: object | None = None
        self._hook_lock = threading.Lock()
        self._lean_data_dir = lean_data_dir
        self._lean_data_tried = False

    @property
    def reads(self) -> int:
        return self.calls.reads

    @property
    def writes(self) -> int:
        return self.calls.writes

    def table_definition(self) -> dict[str, Any]:
        return table_definition(self.table_name)

    # -- the four operations ----------------------------------------------------------

    def load(self, couple_id: str) -> StoredProfile | None:
        item = self._read(lambda: self._get_profile(couple_id), "load")
        if item is None:
            return None
        body = _body_of(item)
        outbox = _outbox_of(body)
        if FORGOTTEN in body:
            # A deletion was cut short: finish it before anyone reads on.
            if not self.delete_couple(couple_id).finished:
                raise StoreUnavailable("still deleting what the couple asked to forget")
            return None
        body.setdefault("schema", int(item.schema))
        expires_at = None if item.expires_at is None else int(item.expires_at.timestamp())
        return self._as_read(Profile.from_dict(body), int(item.version or 0), expires_at, outbox)

    def _get_profile(self, couple_id: str) -> _ProfileItem | None:
        try:
            return self._models.profile.get(couple_id, PROFILE_SORT_KEY, consistent_read=True)
        except DoesNotExist:
            return None

    def _read(self, call: Callable[[], _T], what: str) -> _T:
        """A read, tried again after a jittered wait while the budget allows."""
        for attempt in range(1, READ_ATTEMPTS + 1):
            try:
                with self._calls(what):
                    return call()
            except StoreUnavailable as error:
                if not error.retryable or attempt == READ_ATTEMPTS:
                    raise
                if not backoff(attempt, keep_s=MIN_CALL_S):
                    raise
                log.info("DynamoDB read failed; trying again", extra={"attempt": attempt})
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(
        self,
        couple_id: str,
        profile: Profile | None,
        base: StoredProfile | None,
        events: Sequence[Event],
        expires_at: int,
    ) -> Outbox:
        if len(events) > MAX_EVENTS_PER_WRITE:
            raise StoreError(f"one turn may write at most {MAX_EVENTS_PER_WRITE} events")
        outbox = base.outbox if base else NO_OUTBOX
        if profile is None:
            # Nothing to commit with them: plain puts keyed by the request, so a retried
            # request writes the same items again.
            self.write_out(couple_id, events)
            return outbox
        if outbox.holds_any(events):
            raise AlreadyWritten
        pending = [event for event in outbox.pending if not self.expired(event)]
        landed = outbox.landed
        # A profile written before lives were kept, or a new one, starts a life.
        life = outbox.life or uuid.uuid4().hex[:12]
        written_out: list[Event] = []
        if pending and len(pending) + len(events) > OUTBOX_CAP:
            # The relay has not kept up. These are committed (they are in the profile
            # as read): writing them out is safe whatever becomes of this turn's put,
            # and a second device or the relay doing the same writes the same items.
            self.write_out(couple_id, pending)
            written_out, pending = pending, []
            landed = landed_after(landed, written_out)
        written = Outbox((*pending, *events), landed, life)
        item = self._profile_item(
            couple_id, profile, base.version if base else None, expires_at, written
        )
        with self._calls("write"):
            try:
                item.save()  # on the version read: pynamodb adds the condition
            except PynamoDBException as error:
                if _error_code(error) != _CONDITION_FAILED_EXCEPTION:
                    raise
                conflict = error
            else:
                return written
        if written_out:
            self.take_back(couple_id, written_out, outbox.life)
        raise VersionMismatch from conflict

    def take_back(
        self,
        couple_id: str,
        written_out: Sequence[Event],
        life: str,
        found: ProfileState | None = None,
        *,
        read: bool = True,
    ) -> int:
        """A write after we wrote `written_out` out met another write. If the couple
        was forgotten meanwhile (the profile is gone, a tombstone, or a new life), the
        items we wrote must go: the deletion may have swept the partition before they
        landed. Those the profile found still holds (in its outbox, or among the ones
        it says landed) are kept. `found`: the profile as just read (else it is read,
        unless `read` is False: then it is known to be gone). How many went."""
        if found is None and read:
            found = self.read_state(couple_id)
        if found is not None and not found.forgotten and found.outbox.life == life:
            return 0  # the same profile, moved on: they are its history
        kept: set[str] = set()
        if found is not None and not found.forgotten:
            kept = {event.id for event in found.outbox.pending}.union(found.outbox.landed)
        gone = [event for event in written_out if event.id not in kept]
        self.delete_events(couple_id, gone)
        return len(gone)

    def expired(self, event: Event) -> bool:
        """Past its TTL: never written out, and dropped from the outbox."""
        return _utc(event.at) + self._ttl <= datetime.now(UTC)

    def write_out(self, couple_id: str, events: Sequence[Event]) -> None:
        """Plain puts, 25 to a BatchWriteItem; an item left unprocessed fails the write."""
        if not events:
            return
        with self._calls("write"), self._models.event.batch_write() as batch:
            for event in events:
                batch.save(self._event_item(couple_id, event))

    def delete_events(self, couple_id: str, events: Sequence[Event]) -> None:
        if not events:
            return
        event = self._models.event
        with self._calls("delete"), event.batch_write() as batch:
            for gone in events:
                batch.delete(event(couple_id, gone.sort_key))

    # -- the relay's reads and writes (skill.store.relay) ---------------------------------

    def read_state(self, couple_id: str) -> ProfileState | None:
        """The profile item as stored (a consistent GetItem), or None."""
        item = self._read(lambda: self._get_profile(couple_id), "read")
        if item is None:
            return None
        return ProfileState.of(couple_id, int(item.version or 0), item.zbody, item.body)

    def replace_outbox(self, state: ProfileState, outbox: Outbox) -> bool:
        """Write `outbox` in place of the one `state` holds, only if the item is still
        exactly `state` (its version and its body's bytes: so no other write, and no
        other life of the couple, is overwritten). The version stays: a turn that read
        the profile before still saves in one write (it carries the events back into the
        outbox, and the next relay writes the same items again). False on a conflict."""
        body = dict(state.body)
        if outbox.pending or outbox.landed:
            body[OUTBOX_KEY] = _outbox_dict(outbox)
        attribute, value = state.stored
        old: dict[str, Any] = {"B": value} if attribute == "zbody" else {"S": value}
        with self._calls("write"):
            client: Any = self._models.connection.client
            try:
                client.update_item(
                    TableName=self.table_name,
                    Key={"pk": {"S": state.couple_id}, "sk": {"S": PROFILE_SORT_KEY}},
                    UpdateExpression="SET zbody = :zbody, #n = :n"
                    + (" REMOVE body" if attribute == "body" else ""),
                    ConditionExpression="#version = :version AND #stored = :stored",
                    ExpressionAttributeNames={
                        "#n": OUTBOX_COUNT,
                        "#version": "version",
                        "#stored": attribute,
                    },
                    ExpressionAttributeValues={
                        ":zbody": {"B": zlib.compress(_json(body).encode(), ZLIB_LEVEL)},
                        ":n": {"N": str(len(outbox.pending))},
                        ":version": {"N": str(state.version)},
                        ":stored": old,
                    },
                )
            except ClientError as error:
                if _error_code(error) == _CONDITION_FAILED_EXCEPTION:
                    return False
                raise
        return True

    def events(
        self,
        couple_id: str,
        kind: EventKind,
        since: datetime | None = None,
        limit: int = 50,
    ) -> list[Event]:
        low, high = sort_key_range(kind, since)
        event = self._models.event

        def query() -> list[_EventItem]:
            return list(
                event.query(
                    couple_id,
                    event.sk.between(low, high),
                    # DynamoDB deletes expired items lazily (up to days later).
                    filter_condition=event.expires_at > datetime.now(UTC),
                    consistent_read=True,
                    scan_index_forward=False,
                    limit=limit,
                )
            )

        items = self._read(query, "events")
        found = {item.sk: event_from_dict(json.loads(item.body)) for item in items}
        # And the ones the profile still carries (committed, not written out yet).
        profile = self._read(lambda: self._get_profile(couple_id), "events")
        carried = _outbox_of(_body_of(profile)).pending if profile is not None else ()
        for pending in carried:
            if pending.kind is not kind or self.expired(pending):
                continue
            if since is None or _utc(pending.at) >= _utc(since):
                found[pending.sort_key] = pending
        newest_first = sorted(found.items(), key=lambda pair: pair[0], reverse=True)
        return [event for _, event in newest_first[:limit]]

    def delete_couple(self, couple_id: str) -> Deletion:
        """The profile first (a tombstone in its place: nothing personal is left in it
        and nothing of the couple can be read), then the events in batches while the
        budget allows, the tombstone last. Unfinished, the tombstone stays: the next
        delete or read of the couple carries on."""
        had_profile = self._put_tombstone(couple_id)
        removed = 0
        key = self._models.key
        while True:
            if not self._room_for_a_batch():
                return Deletion(removed, finished=False)
            with self._calls("delete"):
                keys = list(
                    key.query(
                        couple_id,
                        key.sk.startswith(EVENT_PREFIX),
                        consistent_read=True,
                        attributes_to_get=["pk", "sk"],
                        limit=DELETE_BATCH,
                    )
                )
                if keys:
                    with key.batch_write() as batch:
                        for item in keys:
                            batch.delete(item)
            removed += len(keys)
            if len(keys) < DELETE_BATCH:
                break
        if had_profile:
            with self._calls("delete"):
                self._models.key(couple_id, PROFILE_SORT_KEY).delete()
        return Deletion(removed + had_profile, finished=True)

    @staticmethod
    def _room_for_a_batch() -> bool:
        return time_left() >= MIN_BATCH_S

    def _put_tombstone(self, couple_id: str) -> bool:
        """Replace the profile, whatever it holds, by a tombstone under a higher
        version (so a device writing on the version it read fails, re-reads and finds
        the couple gone), expiring like any profile. False when there is no profile."""
        body = _json({"schema": SCHEMA_VERSION, FORGOTTEN: iso(datetime.now(UTC))})
        with self._calls("delete"):
            client: Any = self._models.connection.client
            try:
                client.update_item(
                    TableName=self.table_name,
                    Key={"pk": {"S": couple_id}, "sk": {"S": PROFILE_SORT_KEY}},
                    UpdateExpression=(
                        "SET body = :body, #schema = :schema, #version ="
                        " if_not_exists(#version, :zero) + :one, expires_at = :expires"
                        " REMOVE zbody, #n"
                    ),
                    ConditionExpression="attribute_exists(pk)",
                    ExpressionAttributeNames={
                        "#schema": "schema",
                        "#version": "version",
                        "#n": OUTBOX_COUNT,
                    },
                    ExpressionAttributeValues={
                        ":body": {"S": body},
                        ":schema": {"N": str(SCHEMA_VERSION)},
                        ":zero": {"N": "0"},
                        ":one": {"N": "1"},
                        ":expires": {"N": str(self._expiry())},
                    },
                )
            except ClientError as error:
                if _error_code(error) == _CONDITION_FAILED_EXCEPTION:
                    return False
                raise
        return True

    # -- items ------------------------------------------------------------------------

    def _profile_item(
        self,
        couple_id: str,
        profile: Profile,
        expected_version: int | None,
        expires_at: int,
        outbox: Outbox,
    ) -> _ProfileItem:
        body = profile.to_dict()
        if outbox.pending or outbox.landed:
            body[OUTBOX_KEY] = _outbox_dict(outbox)
        item = self._models.profile(
            couple_id,
            PROFILE_SORT_KEY,
            zbody=zlib.compress(_json(body).encode(), ZLIB_LEVEL),
            schema=SCHEMA_VERSION,
            expires_at=datetime.fromtimestamp(expires_at, UTC),
            outbox_n=len(outbox.pending),
        )
        if expected_version is not None:
            # pynamodb then writes version + 1 on condition version == expected;
            # left unset, on condition attribute_not_exists(version).
            item.version = expected_version
        return item

    def _event_item(self, couple_id: str, event: Event) -> _EventItem:
        return self._models.event(
            couple_id,
            event.sort_key,
            body=_json(event_to_dict(event)),
            expires_at=_utc(event.at) + self._ttl,
        )

    # -- calls: the lazy client, the counter and error translation ------------------------

    @contextmanager
    def _calls(self, what: str) -> Iterator[None]:
        ensure_time(what)
        self._hook_counter()
        try:
            yield
        except (VersionMismatch, AlreadyWritten, StoreError):
            raise
        except (PynamoDBException, BotoCoreError, ClientError) as error:
            raise _translate(error, what) from error

    def warm(self) -> None:
        """Build the client now (during Lambda init, which SnapStart and provisioned
        concurrency pay ahead of the first request) rather than on the first call."""
        self._hook_counter()

    def _hook_counter(self) -> None:
        """Create the client on first use and count every call it sends. pynamodb
        replaces a client whose credentials came back empty, so check each time."""
        try:
            client = self._client()
        except BotoCoreError as error:  # e.g. no region or credentials configured
            raise StoreUnavailable("the DynamoDB client could not be created") from error
        if client is self._hooked_client:
            return
        with self._hook_lock:
            install_budget_timeout(client, self._timeouts)
            client.meta.events.register(
                "before-call.dynamodb",
                self.calls.on_before_call,
                unique_id=f"steady-call-counter-{id(self)}",
            )
            self._hooked_client = client

    def _client(self) -> Any:
        """pynamodb's client; the first is made from the bundle's lean botocore data
        where there is a copy (skill.store.botocore_data), else from botocore's own."""
        connection = self._models.connection
        if self._lean_data_tried:
            return connection.client
        self._lean_data_tried = True
        return botocore_data.made_from_lean_data(
            connection.session, lambda: connection.client, self._lean_data_dir
        )


def _json(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _utc(moment: datetime) -> datetime:
    """A naive time is taken as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _body_of(item: _ProfileItem) -> dict[str, Any]:
    text = zlib.decompress(item.zbody).decode() if item.zbody is not None else item.body
    body: dict[str, Any] = json.loads(text or "{}")
    return body


def _outbox_of(body: dict[str, Any]) -> Outbox:
    """Takes the outbox out of a profile body (the profile's codec never sees it)."""
    found = body.pop(OUTBOX_KEY, None)
    if not found:
        return NO_OUTBOX
    return Outbox(
        tuple(event_from_dict(event) for event in found.get("pending", [])),
        tuple(str(event_id) for event_id in found.get("landed", [])),
        str(found.get("life", "")),
    )


def _outbox_dict(outbox: Outbox) -> dict[str, Any]:
    found: dict[str, Any] = {
        "pending": [event_to_dict(event) for event in outbox.pending],
        "landed": list(outbox.landed),
    }
    if outbox.life:
        found["life"] = outbox.life
    return found


def landed_after(landed: Sequence[str], written_out: Sequence[Event]) -> tuple[str, ...]:
    """The ids the outbox remembers once `written_out` left it: the newest LANDED_MAX."""
    ids = [*landed, *(event.id for event in written_out)]
    return tuple(dict.fromkeys(ids))[-LANDED_MAX:]


def _error_code(error: Exception) -> str | None:
    """The DynamoDB error code, if DynamoDB answered at all. (pynamodb's own
    `cause_response_code` raises on a read timeout, whose `response` is None.)"""
    cause = error.cause if isinstance(error, PynamoDBException) else error
    if isinstance(cause, ClientError):
        return cause.response.get("Error", {}).get("Code")
    return None


def _translate(error: Exception, what: str) -> StoreError:
    code = _error_code(error)
    log.warning(
        "DynamoDB call failed",
        extra={"operation": what, "error": type(error).__name__, "code": code},
    )
    if code == _VALIDATION:
        # Our request was malformed (a bug, or an item over the size limit): not
        # an outage, so do not let the caller report it as one.
        return StoreError(f"DynamoDB rejected the {what} request")
    # No answer at all (a timeout, a refused connection), throttling or a server error
    # may pass in a moment; a missing table or refused credentials will not.
    retryable = code is None or code in _RETRYABLE
    return StoreUnavailable(f"DynamoDB did not complete the {what} request", retryable=retryable)
