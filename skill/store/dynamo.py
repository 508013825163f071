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
- A turn's write is one conditional request: a PutItem when it holds one item,
  otherwise one TransactWriteItems (the profile guarded by its version, each
  event by `attribute_not_exists(sk)`), so it lands whole or not at all.
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
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
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
from pynamodb.exceptions import (
    CancellationReason,
    DoesNotExist,
    PynamoDBException,
    TransactWriteError,
)
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite
from urllib3.util.timeout import Timeout

from skill.deadline import backoff, time_left
from skill.domain.couple import SCHEMA_VERSION, Profile, iso
from skill.domain.events import Event, EventKind, sort_key_range
from skill.store.base import (
    MIN_CALL_S,
    AlreadyWritten,
    Deletion,
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
MAX_TRANSACTION_ITEMS = 100
READ_ATTEMPTS = 2
ZLIB_LEVEL = 6
DELETE_BATCH = 25  # one BatchWriteItem
# A batch of deletes is started only with this much of the budget left.
MIN_BATCH_S = 0.5
EVENT_PREFIX = "EV#"
_CONDITION_FAILED = "ConditionalCheckFailed"
_CONDITION_FAILED_EXCEPTION = "ConditionalCheckFailedException"
_TRANSACTION_CONFLICT = "TransactionConflict"
_TRANSACTION_CANCELED = "TransactionCanceledException"
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
    must declare the same keys, billing mode and TTL attribute."""
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


class _EventItem(_KeyItem):
    body = UnicodeAttribute()
    expires_at = TTLAttribute()


_Item = TypeVar("_Item", bound=_KeyItem)
_T = TypeVar("_T")
FORGOTTEN = "forgotten"


@dataclass(frozen=True)
class _Models:
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
    ) -> None:
        self.table_name = table_name
        self.calls = CallCounter()
        self._ttl = event_ttl
        self._timeouts = timeouts or Timeouts()
        self._models = _bind(table_name, region, endpoint, self._timeouts)
        self._hooked_client: object | None = None
        self._hook_lock = threading.Lock()

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
        text = zlib.decompress(item.zbody).decode() if item.zbody is not None else item.body
        body: dict[str, Any] = json.loads(text or "{}")
        if FORGOTTEN in body:
            # A deletion was cut short: finish it before anyone reads on.
            if not self.delete_couple(couple_id).finished:
                raise StoreUnavailable("still deleting what the couple asked to forget")
            return None
        body.setdefault("schema", int(item.schema))
        expires_at = None if item.expires_at is None else int(item.expires_at.timestamp())
        return self._as_read(Profile.from_dict(body), int(item.version or 0), expires_at)

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
        expected_version: int | None,
        events: Sequence[Event],
        expires_at: int,
    ) -> None:
        items: list[_KeyItem] = []
        if profile is not None:
            items.append(self._profile_item(couple_id, profile, expected_version, expires_at))
        items.extend(self._event_item(couple_id, event) for event in events)
        if not items:
            return
        if len(items) > MAX_TRANSACTION_ITEMS:
            raise StoreError(f"one turn may write at most {MAX_TRANSACTION_ITEMS} items")
        with self._calls("write"):
            if len(items) == 1:
                self._put_one(items[0])
            else:
                self._put_all(items, has_profile=profile is not None)

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

        found = self._read(query, "events")
        return [event_from_dict(json.loads(item.body)) for item in found]

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
                        " REMOVE zbody"
                    ),
                    ConditionExpression="attribute_exists(pk)",
                    ExpressionAttributeNames={"#schema": "schema", "#version": "version"},
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
        self, couple_id: str, profile: Profile, expected_version: int | None, expires_at: int
    ) -> _ProfileItem:
        item = self._models.profile(
            couple_id,
            PROFILE_SORT_KEY,
            zbody=zlib.compress(_json(profile.to_dict()).encode(), ZLIB_LEVEL),
            schema=SCHEMA_VERSION,
            expires_at=datetime.fromtimestamp(expires_at, UTC),
        )
        if expected_version is not None:
            # pynamodb then writes version + 1 on condition version == expected;
            # left unset, on condition attribute_not_exists(version).
            item.version = expected_version
        return item

    def _event_item(self, couple_id: str, event: Event) -> _EventItem:
        at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
        return self._models.event(
            couple_id,
            event.sort_key,
            body=_json(event_to_dict(event)),
            expires_at=at + self._ttl,
        )

    # -- writes -----------------------------------------------------------------------

    def _put_one(self, item: _KeyItem) -> None:
        try:
            if isinstance(item, _ProfileItem):
                item.save()  # the version condition is added by pynamodb
            else:
                item.save(condition=self._models.key.sk.does_not_exist())
        except PynamoDBException as error:
            if _error_code(error) == _CONDITION_FAILED_EXCEPTION:
                cause = VersionMismatch if isinstance(item, _ProfileItem) else AlreadyWritten
                raise cause from error
            raise

    def _put_all(self, items: list[_KeyItem], *, has_profile: bool) -> None:
        is_new = self._models.key.sk.does_not_exist()
        try:
            with TransactWrite(connection=self._models.connection) as transaction:
                for item in items:
                    is_profile = isinstance(item, _ProfileItem)
                    transaction.save(item, condition=None if is_profile else is_new)
        except TransactWriteError as error:
            if _error_code(error) != _TRANSACTION_CANCELED:
                raise
            raise _cancellation_cause(error.cancellation_reasons, has_profile) from error

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
            client = self._models.connection.client
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


def _json(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _cancellation_cause(
    reasons: Sequence[CancellationReason | None], has_profile: bool
) -> Exception:
    """Reasons come one per item, in order: the profile first (if any), then events."""
    codes = [reason.code if reason else None for reason in reasons]
    event_codes = codes[1:] if has_profile else codes
    if _CONDITION_FAILED in event_codes:
        return AlreadyWritten()
    if _CONDITION_FAILED in codes or _TRANSACTION_CONFLICT in codes:
        # The profile moved on, or another transaction holds one of our items:
        # both are a concurrent writer, so re-read and re-apply.
        return VersionMismatch()
    log.warning("transaction cancelled", extra={"reasons": [c for c in codes if c]})
    return StoreUnavailable("DynamoDB cancelled the write")


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
