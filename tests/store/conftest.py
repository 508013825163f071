"""The store contract runs once per backend; DynamoDB is moto in server mode,
reached over HTTP on 127.0.0.1 (started only when a dynamo case runs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.moto_server import DynamoTable, aws_credentials, dynamo_table, moto_endpoint

from .backends import Backend, DynamoBackend, MemoryBackend, SqliteBackend

__all__ = ["aws_credentials", "dynamo_table", "moto_endpoint"]

BACKENDS = [
    pytest.param("memory", id="memory"),
    pytest.param("sqlite", id="sqlite"),
    pytest.param("dynamo", id="dynamo", marks=pytest.mark.dynamodb),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "memory":
        return MemoryBackend()
    if request.param == "sqlite":
        return SqliteBackend(tmp_path / "steady.sqlite3")
    table: DynamoTable = request.getfixturevalue("dynamo_table")
    return DynamoBackend(table)
