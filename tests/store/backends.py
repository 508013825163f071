"""The three stores behind one test-facing shape, with raw access to what each
one really keeps (to prove deletes, old item shapes and lazy expiry)."""

from __future__ import annotations

import functools
import json
import sqlite3
import zlib
from abc import ABC, abstractmethod
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import boto3

from skill.store.base import CoupleStore
from skill.store.codec import PROFILE_SORT_KEY
from skill.store.dynamo import DynamoStore
from skill.store.memory import MemoryStore
from skill.store.sqlite import SqliteStore
from tests.fixtures.moto_server import DynamoTable

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

DEFAULT_TTL = timedelta(days=400)


@functools.cache
def raw_client(endpoint: str, region: str) -> DynamoDBClient:
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name=region)


class CountedStore(CoupleStore, Protocol):
    """A store as the tests use it: the protocol plus its call counters."""

    @property
    def reads(self) -> int: ...

    @property
    def writes(self) -> int: ...


class Backend(ABC):
    name: str

    @abstractmethod
    def open(self, event_ttl: timedelta = DEFAULT_TTL) -> CountedStore:
        """A new store object on the same storage (like another device or process)."""

    @abstractmethod
    def raw_sort_keys(self, couple_id: str) -> list[str]:
        """Every item the backend holds for the couple, expired or not."""

    @abstractmethod
    def put_raw_profile(self, couple_id: str, body: dict[str, Any], version: int) -> None:
        """Write a profile item as an older release did: no schema in the body."""

    @abstractmethod
    def raw_profile_schema(self, couple_id: str) -> int: ...


class MemoryBackend(Backend):
    name = "memory"

    def __init__(self) -> None:
        self._shared = MemoryStore()

    def open(self, event_ttl: timedelta = DEFAULT_TTL) -> CountedStore:
        store = MemoryStore(event_ttl=event_ttl)
        # Same data, own counters: what a second process would see.
        store._lock = self._shared._lock
        store._profiles = self._shared._profiles
        store._events = self._shared._events
        return store

    def raw_sort_keys(self, couple_id: str) -> list[str]:
        keys = list(self._shared._events.get(couple_id, {}))
        if couple_id in self._shared._profiles:
            keys.append(PROFILE_SORT_KEY)
        return keys

    def put_raw_profile(self, couple_id: str, body: dict[str, Any], version: int) -> None:
        self._shared._profiles[couple_id] = (json.dumps(body), version, None)

    def raw_profile_schema(self, couple_id: str) -> int:
        return int(json.loads(self._shared._profiles[couple_id][0])["schema"])


class SqliteBackend(Backend):
    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path

    def open(self, event_ttl: timedelta = DEFAULT_TTL) -> CountedStore:
        return SqliteStore(self.path, event_ttl=event_ttl)

    def _query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.path) as db:
            return db.execute(sql, params).fetchall()

    def raw_sort_keys(self, couple_id: str) -> list[str]:
        return [row[0] for row in self._query("SELECT sk FROM items WHERE pk = ?", couple_id)]

    def put_raw_profile(self, couple_id: str, body: dict[str, Any], version: int) -> None:
        self.open()  # creates the file and its table
        self._query(
            "INSERT INTO items (pk, sk, body, version) VALUES (?, ?, ?, ?)",
            couple_id,
            PROFILE_SORT_KEY,
            json.dumps(body),
            version,
        )

    def raw_profile_schema(self, couple_id: str) -> int:
        rows = self._query(
            "SELECT body FROM items WHERE pk = ? AND sk = ?", couple_id, PROFILE_SORT_KEY
        )
        return int(json.loads(rows[0][0])["schema"])


class DynamoBackend(Backend):
    name = "dynamo"

    def __init__(self, table: DynamoTable) -> None:
        self.table = table
        self.client = raw_client(table.endpoint, table.region)

    def open(self, event_ttl: timedelta = DEFAULT_TTL) -> CountedStore:
        return DynamoStore(
            self.table.name,
            region=self.table.region,
            endpoint=self.table.endpoint,
            event_ttl=event_ttl,
        )

    def raw_items(self, couple_id: str) -> list[dict[str, Any]]:
        answer = self.client.query(
            TableName=self.table.name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": couple_id}},
            ConsistentRead=True,
        )
        return list(answer["Items"])

    def raw_sort_keys(self, couple_id: str) -> list[str]:
        return [item["sk"]["S"] for item in self.raw_items(couple_id)]

    def put_raw_profile(self, couple_id: str, body: dict[str, Any], version: int) -> None:
        self.client.put_item(
            TableName=self.table.name,
            Item={
                "pk": {"S": couple_id},
                "sk": {"S": PROFILE_SORT_KEY},
                "body": {"S": json.dumps(body)},
                "schema": {"N": "1"},
                "version": {"N": str(version)},
            },
        )

    def raw_profile_schema(self, couple_id: str) -> int:
        item = self.client.get_item(
            TableName=self.table.name,
            Key={"pk": {"S": couple_id}, "sk": {"S": PROFILE_SORT_KEY}},
            ConsistentRead=True,
        )["Item"]
        text = zlib.decompress(item["zbody"]["B"]) if "zbody" in item else item["body"]["S"]
        assert int(json.loads(text)["schema"]) == int(item["schema"]["N"])
        return int(item["schema"]["N"])
