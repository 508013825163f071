"""Pick the store the settings ask for: the embedded SQLite file unless a
DynamoDB table is configured. Imports the chosen backend only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from skill.store.base import CoupleStore

SQLITE_FILE_NAME = "steady.sqlite3"


def store_from_settings(
    table: str | None,
    endpoint: str | None,
    data_dir: Path,
    region: str,
    event_ttl_days: int,
) -> CoupleStore:
    event_ttl = timedelta(days=event_ttl_days)
    if table is None:
        from skill.store.sqlite import SqliteStore

        return SqliteStore(data_dir / SQLITE_FILE_NAME, event_ttl=event_ttl)
    from skill.store.dynamo import DynamoStore

    return DynamoStore(table, region=region, endpoint=endpoint, event_ttl=event_ttl)
