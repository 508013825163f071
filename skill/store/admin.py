"""`steady store create-table`: make the table on a LOCAL DynamoDB-compatible
server (DynamoDB Local, moto). The real table belongs to template.yaml, so this
refuses to run without STEADY_DYNAMODB_ENDPOINT."""

from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.connection import Connection
from pynamodb.exceptions import PynamoDBException

from skill.store.dynamo import TTL_ATTRIBUTE, table_definition

DEFAULT_TABLE_NAME = "steady-together"
DEFAULT_REGION = "us-east-1"
_ACTIVE_WAIT_S = 10.0


def admin_connection(endpoint: str, region: str = DEFAULT_REGION) -> Connection:
    return Connection(
        region=region,
        host=endpoint,
        connect_timeout_seconds=2,
        read_timeout_seconds=5,
        max_retry_attempts=1,
    )


def ensure_table(
    endpoint: str,
    table_name: str,
    region: str = DEFAULT_REGION,
    connection: Connection | None = None,
) -> bool:
    """Create the table with its TTL setting; False when it already exists."""
    connection = connection or admin_connection(endpoint, region)
    definition = table_definition(table_name)
    ttl = definition.pop("TimeToLiveSpecification")
    try:
        connection.dispatch("CreateTable", definition)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ResourceInUseException":
            return False
        raise
    _wait_until_active(connection, table_name)
    connection.dispatch(
        "UpdateTimeToLive", {"TableName": table_name, "TimeToLiveSpecification": ttl}
    )
    return True


def _wait_until_active(connection: Connection, table_name: str) -> None:
    deadline = time.monotonic() + _ACTIVE_WAIT_S
    while True:
        described: dict[str, Any] = connection.describe_table(table_name)
        if described.get("TableStatus") == "ACTIVE" or time.monotonic() > deadline:
            return
        time.sleep(0.2)


def create_table(out: TextIO = sys.stdout) -> int:
    endpoint = os.environ.get("STEADY_DYNAMODB_ENDPOINT")
    table_name = os.environ.get("STEADY_TABLE") or DEFAULT_TABLE_NAME
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION
    if not endpoint:
        out.write(
            "Refusing: set STEADY_DYNAMODB_ENDPOINT to a local DynamoDB server."
            " The AWS table is created by template.yaml (sam deploy).\n"
        )
        return 2
    try:
        created = ensure_table(endpoint, table_name, region)
    except (BotoCoreError, ClientError, PynamoDBException) as error:
        out.write(f"Could not create table {table_name} on {endpoint}: {error}\n")
        return 1
    if created:
        out.write(f"Created table {table_name} on {endpoint} (TTL on {TTL_ATTRIBUTE}).\n")
    else:
        out.write(f"Table {table_name} exists on {endpoint}.\n")
    return 0
