"""DynamoDB capacity units, from the items as the local DynamoDB server sees them.

`CapacityMeter` wraps moto's WSGI app (bench.moto_process, inside its one-request lock).
For every DynamoDB call it sizes the items the call sends and receives, by DynamoDB's
item-size rules, and adds up the read and write capacity units DynamoDB would charge:

- GetItem: ceil(size / 4 KB) RCU, at least 1; half of that when not ConsistentRead.
- Query: the summed size of the items read, rounded up to 4 KB, as above. A filter
  does not reduce what is read: the returned items' sizes are scaled by
  ScannedCount / Count. A projection does (here, not on DynamoDB): flagged.
- PutItem, UpdateItem, DeleteItem: ceil(size / 1 KB) WCU, at least 1, where size is
  the larger of the item before (looked up first, with a GetItem the client never sees)
  and after the write (the item sent; for UpdateItem, what ReturnValues returned).
- BatchWriteItem: each put or delete as above. BatchGetItem: each item as a GetItem.
- TransactWriteItems / TransactGetItems: twice the units of each item.
- A write refused by its condition is charged as if made (DynamoDB charges it too).

`GET /_bench/capacity` answers the tally since the last such call and resets it;
`MotoMeter(endpoint).take()` is the client side. Sizes: attribute names and values as
UTF-8, numbers 1 byte per 2 significant digits + 1, binary as decoded, booleans and
nulls 1 byte, lists and maps 3 bytes + 1 byte per element."""

from __future__ import annotations

import base64
import http.client
import io
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

PATH = "/_bench/capacity"
TARGET_PREFIX = "DynamoDB_20120810."
READ_OPERATIONS = frozenset({"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"})
WRITE_OPERATIONS = frozenset(
    {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
)


# -- item sizes ---------------------------------------------------------------------


def _number_size(text: str) -> int:
    digits = text.lstrip("-").replace(".", "").split("e")[0].split("E")[0]
    significant = digits.strip("0") or "0"
    return math.ceil(len(significant) / 2) + 1


def value_size(value: dict[str, Any]) -> int:
    """The size of one attribute value in DynamoDB JSON ({"S": ...}, {"N": ...}, ...)."""
    (kind, content), *_ = value.items()
    if kind == "S":
        return len(str(content).encode())
    if kind == "N":
        return _number_size(str(content))
    if kind == "B":
        return len(base64.b64decode(content))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(str(item).encode()) for item in content)
    if kind == "NS":
        return sum(_number_size(str(item)) for item in content)
    if kind == "BS":
        return sum(len(base64.b64decode(item)) for item in content)
    if kind == "L":
        return 3 + sum(value_size(item) + 1 for item in content)
    if kind == "M":
        return 3 + sum(len(k.encode()) + value_size(v) + 1 for k, v in content.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_size(item: dict[str, Any] | None) -> int:
    """Bytes of one item: every attribute's name and value."""
    if not item:
        return 0
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def read_units(size: int, consistent: bool) -> float:
    units = max(1, math.ceil(size / 4096))
    return float(units) if consistent else units / 2


def write_units(size: int) -> float:
    return float(max(1, math.ceil(size / 1024)))


# -- the server side ----------------------------------------------------------------


@dataclass
class Tally:
    rcu: float = 0.0
    wcu: float = 0.0
    read_bytes: int = 0
    write_bytes: int = 0
    operations: Counter[str] = field(default_factory=Counter)
    projected_queries: int = 0

    def as_dict(self) -> dict[str, Any]:
        reads = sum(n for op, n in self.operations.items() if op in READ_OPERATIONS)
        writes = sum(n for op, n in self.operations.items() if op in WRITE_OPERATIONS)
        return {
            "rcu": self.rcu,
            "wcu": self.wcu,
            "read_bytes": self.read_bytes,
            "write_bytes": self.write_bytes,
            "reads": reads,
            "writes": writes,
            "operations": dict(self.operations),
            "projected_queries": self.projected_queries,
        }


class CapacityMeter:
    """WSGI middleware in front of moto (one request at a time: the caller locks)."""

    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self.tally = Tally()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        if environ.get("PATH_INFO") == PATH:
            body = json.dumps(self.tally.as_dict()).encode()
            self.tally = Tally()
            start_response(
                "200 OK",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]
        target = str(environ.get("HTTP_X_AMZ_TARGET") or "")
        if not target.startswith(TARGET_PREFIX):
            return list(self._app(environ, start_response))
        operation = target.removeprefix(TARGET_PREFIX)
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        request = json.loads(raw or b"{}")
        before = self._sizes_before(environ, operation, request)
        environ["wsgi.input"] = io.BytesIO(raw)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            captured["status"] = int(status.split(maxsplit=1)[0])
            return start_response(status, headers, *rest)

        chunks = list(self._app(environ, capture))
        status = captured.get("status", 500)
        answer = json.loads(b"".join(chunks) or b"{}")
        refused = "ConditionalCheckFailed" in str(answer.get("__type", ""))
        if status == 200 or refused:
            self._charge(operation, request, answer if status == 200 else {}, before)
        return chunks

    # A GetItem the client never sees, for the size of the item a write replaces.
    def _lookup(self, environ: dict[str, Any], table: str, key: dict[str, Any]) -> int:
        body = json.dumps({"TableName": table, "Key": key, "ConsistentRead": True}).encode()
        inner = dict(environ)
        inner["HTTP_X_AMZ_TARGET"] = TARGET_PREFIX + "GetItem"
        inner["CONTENT_LENGTH"] = str(len(body))
        inner["wsgi.input"] = io.BytesIO(body)
        chunks = list(self._app(inner, lambda *_: None))
        try:
            return item_size(json.loads(b"".join(chunks)).get("Item"))
        except ValueError:
            return 0

    def _key_of(self, table: str, item: dict[str, Any], environ: dict[str, Any]) -> dict[str, Any]:
        names = self._key_names(environ, table)
        return {name: item[name] for name in names if name in item}

    def _key_names(self, environ: dict[str, Any], table: str) -> list[str]:
        cache: dict[str, list[str]] = self.__dict__.setdefault("_keys", {})
        if table not in cache:
            body = json.dumps({"TableName": table}).encode()
            inner = dict(environ)
            inner["HTTP_X_AMZ_TARGET"] = TARGET_PREFIX + "DescribeTable"
            inner["CONTENT_LENGTH"] = str(len(body))
            inner["wsgi.input"] = io.BytesIO(body)
            chunks = list(self._app(inner, lambda *_: None))
            schema = json.loads(b"".join(chunks)).get("Table", {}).get("KeySchema", [])
            cache[table] = [entry["AttributeName"] for entry in schema]
        return cache[table]

    def _sizes_before(
        self, environ: dict[str, Any], operation: str, request: dict[str, Any]
    ) -> list[int]:
        """Sizes of the items each write will replace, in the order of the request."""
        table = str(request.get("TableName", ""))
        if operation == "PutItem":
            return [self._lookup(environ, table, self._key_of(table, request["Item"], environ))]
        if operation in ("UpdateItem", "DeleteItem"):
            return [self._lookup(environ, table, request["Key"])]
        if operation == "BatchWriteItem":
            sizes = []
            for name, writes in request.get("RequestItems", {}).items():
                for write in writes:
                    if "PutRequest" in write:
                        key = self._key_of(name, write["PutRequest"]["Item"], environ)
                    else:
                        key = write["DeleteRequest"]["Key"]
                    sizes.append(self._lookup(environ, name, key))
            return sizes
        if operation == "TransactWriteItems":
            sizes = []
            for entry in request.get("TransactItems", []):
                (_, body), *_ = entry.items()
                name = body["TableName"]
                key = body["Key"] if "Key" in body else self._key_of(name, body["Item"], environ)
                sizes.append(self._lookup(environ, name, key))
            return sizes
        return []

    def _charge(
        self, operation: str, request: dict[str, Any], answer: dict[str, Any], before: list[int]
    ) -> None:
        tally = self.tally
        tally.operations[operation] += 1
        if operation == "GetItem":
            size = item_size(answer.get("Item"))
            tally.read_bytes += size
            tally.rcu += read_units(size, bool(request.get("ConsistentRead")))
        elif operation in ("Query", "Scan"):
            sizes = sum(item_size(item) for item in answer.get("Items", []))
            count, scanned = answer.get("Count", 0), answer.get("ScannedCount", 0)
            if count and scanned > count:
                sizes = math.ceil(sizes * scanned / count)
            if "ProjectionExpression" in request or "AttributesToGet" in request:
                tally.projected_queries += 1
            tally.read_bytes += sizes
            tally.rcu += read_units(sizes, bool(request.get("ConsistentRead")))
        elif operation == "BatchGetItem":
            for name, items in answer.get("Responses", {}).items():
                consistent = bool(request["RequestItems"][name].get("ConsistentRead"))
                for item in items:
                    size = item_size(item)
                    tally.read_bytes += size
                    tally.rcu += read_units(size, consistent)
        elif operation == "TransactGetItems":
            for response in answer.get("Responses", []):
                size = item_size(response.get("Item"))
                tally.read_bytes += size
                tally.rcu += 2 * read_units(size, True)
        elif operation == "PutItem":
            new = item_size(request["Item"])
            tally.write_bytes += new
            tally.wcu += write_units(max(before[0], new))
        elif operation == "UpdateItem":
            size = max(before[0], item_size(answer.get("Attributes")))
            tally.write_bytes += size
            tally.wcu += write_units(size)
        elif operation == "DeleteItem":
            tally.wcu += write_units(before[0])
        elif operation == "BatchWriteItem":
            index = 0
            for writes in request.get("RequestItems", {}).values():
                for write in writes:
                    new = item_size(write["PutRequest"]["Item"]) if "PutRequest" in write else 0
                    size = max(before[index], new)
                    index += 1
                    tally.write_bytes += new
                    tally.wcu += write_units(size)
        elif operation == "TransactWriteItems":
            for index, entry in enumerate(request.get("TransactItems", [])):
                (_, body), *_ = entry.items()
                new = item_size(body.get("Item"))
                size = max(before[index], new)
                tally.write_bytes += new
                tally.wcu += 2 * write_units(size)


# -- the client side ----------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    rcu: float
    wcu: float
    read_bytes: int
    write_bytes: int
    reads: int
    writes: int


class MotoMeter:
    """Reads (and resets) the server's tally; keeps running totals of its calls, so it
    also serves as a store-call counter (`reads`, `writes`) for any skill."""

    def __init__(self, endpoint: str) -> None:
        parts = urlsplit(endpoint)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self.reads = 0
        self.writes = 0

    def take(self) -> Usage:
        connection = http.client.HTTPConnection(self._host, self._port, timeout=10)
        try:
            connection.request("GET", PATH)
            found = json.loads(connection.getresponse().read())
        finally:
            connection.close()
        self.reads += found["reads"]
        self.writes += found["writes"]
        return Usage(
            found["rcu"],
            found["wcu"],
            found["read_bytes"],
            found["write_bytes"],
            found["reads"],
            found["writes"],
        )
