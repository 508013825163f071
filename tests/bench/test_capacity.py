"""The benchmark's capacity units: DynamoDB's item-size rules and the charges per call,
checked on a stand-in for moto's WSGI app (no server needed)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from bench.capacity import PATH, CapacityMeter, item_size, read_units, write_units

StartResponse = Callable[..., Any]


def test_item_sizes_follow_dynamodb_rules() -> None:
    assert item_size({"pk": {"S": "abc"}}) == 2 + 3
    assert item_size({"n": {"N": "12345"}}) == 1 + 3 + 1  # 5 digits: 3 bytes, + 1
    assert item_size({"n": {"N": "-0.0100"}}) == 1 + 1 + 1  # leading/trailing zeros trimmed
    assert item_size({"b": {"BOOL": True}, "z": {"NULL": True}}) == 2 + 2
    assert item_size({"l": {"L": [{"S": "ab"}, {"N": "1"}]}}) == 1 + 3 + (2 + 1) + (2 + 1)
    assert item_size({"m": {"M": {"k": {"S": "v"}}}}) == 1 + 3 + (1 + 1 + 1)
    assert item_size({"é": {"S": "ü"}}) == 2 + 2  # UTF-8 bytes
    assert item_size(None) == 0


@pytest.mark.parametrize(
    ("size", "consistent", "units"),
    [(0, True, 1), (4096, True, 1), (4097, True, 2), (13_000, True, 4), (13_000, False, 2)],
)
def test_read_units(size: int, consistent: bool, units: float) -> None:
    assert read_units(size, consistent) == units


@pytest.mark.parametrize(("size", "units"), [(0, 1), (1024, 1), (1025, 2), (30_000, 30)])
def test_write_units(size: int, units: float) -> None:
    assert write_units(size) == units


class FakeDynamo:
    """Answers DescribeTable, GetItem, PutItem and TransactWriteItems from a dict."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        operation = environ["HTTP_X_AMZ_TARGET"].split(".")[1]
        request = json.loads(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])))
        answer: dict[str, Any] = {}
        if operation == "DescribeTable":
            answer = {"Table": {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}}
        elif operation == "GetItem":
            found = self.items.get(request["Key"]["pk"]["S"])
            answer = {"Item": found} if found else {}
        elif operation == "PutItem":
            self.items[request["Item"]["pk"]["S"]] = request["Item"]
        elif operation == "TransactWriteItems":
            for entry in request["TransactItems"]:
                item = entry["Put"]["Item"]
                self.items[item["pk"]["S"]] = item
        start_response("200 OK", [])
        return [json.dumps(answer).encode()]


def _call(meter: CapacityMeter, operation: str, body: dict[str, Any]) -> None:
    raw = json.dumps(body).encode()
    environ = {
        "PATH_INFO": "/",
        "HTTP_X_AMZ_TARGET": f"DynamoDB_20120810.{operation}",
        "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw),
    }
    meter(environ, lambda *_: None)


def _take(meter: CapacityMeter) -> dict[str, Any]:
    chunks = meter({"PATH_INFO": PATH}, lambda *_: None)
    found: dict[str, Any] = json.loads(b"".join(chunks))
    return found


def test_writes_are_charged_for_the_larger_of_old_and_new_and_transactions_twice() -> None:
    meter = CapacityMeter(FakeDynamo())
    big = {"pk": {"S": "a"}, "body": {"S": "x" * 5000}}
    _call(meter, "PutItem", {"TableName": "t", "Item": big})
    assert _take(meter)["wcu"] == 5
    _call(meter, "PutItem", {"TableName": "t", "Item": {"pk": {"S": "a"}}})
    assert _take(meter)["wcu"] == 5  # it replaced a 5 KB item
    _call(meter, "GetItem", {"TableName": "t", "Key": {"pk": {"S": "a"}}, "ConsistentRead": True})
    found = _take(meter)
    assert (found["rcu"], found["reads"], found["writes"]) == (1, 1, 0)
    _call(
        meter,
        "TransactWriteItems",
        {"TransactItems": [{"Put": {"TableName": "t", "Item": big | {"pk": {"S": "b"}}}}]},
    )
    assert _take(meter)["wcu"] == 2 * 5
    assert _take(meter)["wcu"] == 0  # reading the tally resets it
