"""The relay's Lambda entry (`lambda/relay_function.py`): DynamoDB stream records
(NEW_IMAGE) of the profile writes template.yaml's FilterCriteria lets through, those
that left at least `RELAY_AT` events in the outbox.

A batch holds the records of one shard in order; several for one couple are relayed
once, from the newest image. A couple whose relay fails is reported by its first
record's sequence number (ReportBatchItemFailures): Lambda retries from there, and
the runs it repeats are idempotent."""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Mapping
from datetime import timedelta
from functools import cache
from typing import Any

from skill.deadline import budget
from skill.store.codec import PROFILE_SORT_KEY
from skill.store.dynamo import OUTBOX_CAP, OUTBOX_COUNT, RELAY_AT, DynamoStore, ProfileState
from skill.store.relay import RelayRun, relay

log = logging.getLogger(__name__)

# What a run leaves unused of the function's time (to log and to answer).
MARGIN_S = 2.0
WRITES = frozenset({"INSERT", "MODIFY"})
# The event-source mapping's filter (template.yaml holds it as JSON text, and a test
# checks that the two agree): only writes of a profile whose outbox reached RELAY_AT
# invoke the function. The compressed body cannot be filtered on; `outbox_n` can. A
# DynamoDB number is text in the record, so the filter lists the counts as text (exact
# matches, which need no numeric comparison of a string): RELAY_AT up to OUTBOX_CAP,
# past which a save writes the outbox out itself.
FILTER_PATTERN: dict[str, Any] = {
    "eventName": sorted(WRITES),
    "dynamodb": {
        "Keys": {"sk": {"S": [PROFILE_SORT_KEY]}},
        "NewImage": {OUTBOX_COUNT: {"N": [str(n) for n in range(RELAY_AT, OUTBOX_CAP + 1)]}},
    },
}


def image_state(record: Mapping[str, Any]) -> ProfileState | None:
    """The profile a stream record carries (its NEW_IMAGE, binary values in base64 as
    Lambda delivers them), or None for any other record."""
    change = record.get("dynamodb") or {}
    image = change.get("NewImage")
    if record.get("eventName") not in WRITES or not image:
        return None
    if image.get("sk", {}).get("S") != PROFILE_SORT_KEY:
        return None
    zbody = image.get("zbody", {}).get("B")
    return ProfileState.of(
        str(image["pk"]["S"]),
        int(image.get("version", {}).get("N", "0")),
        base64.b64decode(zbody) if zbody is not None else None,
        image.get("body", {}).get("S"),
    )


Failures = list[dict[str, str]]


def relay_batch(event: Mapping[str, Any], store: DynamoStore) -> tuple[list[RelayRun], Failures]:
    """Relay every couple the batch names: the runs, and the records to retry."""
    newest: dict[str, tuple[str, ProfileState]] = {}
    for record in event.get("Records", []):
        state = image_state(record)
        if state is None:
            continue
        sequence = str(record["dynamodb"]["SequenceNumber"])
        first = newest[state.couple_id][0] if state.couple_id in newest else sequence
        newest[state.couple_id] = (first, state)
    runs: list[RelayRun] = []
    failures: Failures = []
    for first, state in newest.values():
        try:
            run = relay(store, state.couple_id, state)
        except Exception:
            log.exception("relay failed; the record will be retried")
            failures.append({"itemIdentifier": first})
            continue
        runs.append(run)
        log.info(
            "relay run",
            extra={
                "outcome": run.outcome,
                "written": run.written,
                "removed": run.removed,
                "taken_back": run.taken_back,
                "attempts": run.attempts,
            },
        )
    return runs, failures


def handle(event: Mapping[str, Any], store: DynamoStore) -> dict[str, Failures]:
    """The answer Lambda reads with ReportBatchItemFailures."""
    _, failures = relay_batch(event, store)
    return {"batchItemFailures": failures}


@cache
def store_from_env() -> DynamoStore:
    """The table the function's environment names (template.yaml), built once."""
    table = os.environ.get("STEADY_TABLE")
    if not table:
        raise RuntimeError("STEADY_TABLE is not set")
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    return DynamoStore(
        table,
        region=region,
        endpoint=os.environ.get("STEADY_DYNAMODB_ENDPOINT") or None,
        event_ttl=timedelta(days=int(os.environ.get("STEADY_EVENT_TTL_DAYS") or 400)),
    )


def warm() -> None:
    """Build the store and its client during init."""
    store_from_env().warm()


def lambda_handler(event: Mapping[str, Any], context: Any) -> dict[str, Failures]:
    left_ms = context.get_remaining_time_in_millis() if context is not None else 60_000
    with budget(max(1.0, left_ms / 1000 - MARGIN_S)):
        return handle(event, store_from_env())
