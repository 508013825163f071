"""Lambda's DynamoDB event-source mapping, played locally: reads the table's stream
from the local DynamoDB (moto's DynamoDB Streams API), keeps the records the relay's
filter lets through (`skill.store.stream.FILTER_PATTERN`, the one template.yaml
declares), and hands them to the relay's handler in the event shape Lambda delivers
(JSON: binary values in base64, times in epoch seconds).

Stream reads are not DynamoDB table reads: the capacity meter (bench.capacity) does
not charge them, as DynamoDB does not charge Lambda's reads of a stream."""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import boto3

from skill.store.dynamo import DynamoStore
from skill.store.relay import RelayRun
from skill.store.stream import FILTER_PATTERN, relay_batch

REGION = "us-east-1"


# -- the filter -----------------------------------------------------------------------


def _rule_matches(rule: Any, value: Any) -> bool:
    if isinstance(rule, dict):
        # Content filters ("numeric", "exists", "prefix"...) are not played here: the
        # relay's filter matches exact values only (skill.store.stream.FILTER_PATTERN).
        raise ValueError(f"filter rule not supported here: {rule}")
    return value is not None and rule == value


def matches(pattern: Mapping[str, Any], record: Mapping[str, Any] | None) -> bool:
    """Whether a record passes a Lambda filter pattern (the subset the relay uses:
    nested keys and lists of exact values; a DynamoDB number is matched as the text
    the record carries)."""
    for key, rule in pattern.items():
        value = record.get(key) if record is not None else None
        if isinstance(rule, dict):
            if not isinstance(value, dict) or not matches(rule, value):
                return False
        elif not any(_rule_matches(one, value) for one in rule):
            return False
    return True


# -- records as Lambda delivers them ------------------------------------------------------


def _json_value(value: Mapping[str, Any]) -> dict[str, Any]:
    (kind, content), *_ = value.items()
    if kind == "B":
        return {"B": base64.b64encode(content).decode()}
    if kind == "BS":
        return {"BS": [base64.b64encode(item).decode() for item in content]}
    if kind == "M":
        return {"M": {k: _json_value(v) for k, v in content.items()}}
    if kind == "L":
        return {"L": [_json_value(item) for item in content]}
    return {kind: content}


def lambda_record(record: Mapping[str, Any], stream_arn: str) -> dict[str, Any]:
    """A record from GetRecords (as boto3 decodes it) in the shape Lambda passes on."""
    change = dict(record["dynamodb"])
    created = change.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        change["ApproximateCreationDateTime"] = math.floor(created.timestamp())
    for image in ("Keys", "NewImage", "OldImage"):
        if image in change:
            change[image] = {name: _json_value(v) for name, v in change[image].items()}
    found = {key: value for key, value in record.items() if key != "dynamodb"}
    return {**found, "dynamodb": change, "eventSourceARN": stream_arn}


# -- the mapping --------------------------------------------------------------------------


@dataclass
class RelayTally:
    batches: int = 0
    records_read: int = 0
    records_passed: int = 0
    failures: int = 0
    runs: list[RelayRun] = field(default_factory=list)


class StreamRelay:
    """Reads the records written since it was made (or last pumped) and invokes the
    relay's handler with those the filter passes, one batch per pump."""

    def __init__(self, endpoint: str, table: str, store: DynamoStore) -> None:
        dynamodb = boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION)
        self._streams = boto3.client("dynamodbstreams", endpoint_url=endpoint, region_name=REGION)
        self.arn = str(dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"])
        self._store = store
        self.tally = RelayTally()
        self.last_event: dict[str, Any] | None = None
        shards = self._streams.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"]
        self._iterators = [
            self._streams.get_shard_iterator(
                StreamArn=self.arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            for shard in shards
        ]
        self.read()  # what was written before is not ours

    def read(self) -> list[dict[str, Any]]:
        """Every record written since the last read, in Lambda's shape."""
        found: list[dict[str, Any]] = []
        for index in range(len(self._iterators)):
            iterator = self._iterators[index]
            while iterator:
                answer = self._streams.get_records(ShardIterator=iterator)
                found += [lambda_record(r, self.arn) for r in answer["Records"]]
                iterator = answer.get("NextShardIterator") or ""
                if not answer["Records"]:
                    break
            self._iterators[index] = iterator
        return found

    def pump(self) -> dict[str, Any] | None:
        """One invocation of the relay with the new records the filter passes; its
        answer, or None when nothing passed (Lambda would not invoke it)."""
        records = self.read()
        passed = [record for record in records if matches(FILTER_PATTERN, record)]
        self.tally.records_read += len(records)
        if not passed:
            return None
        event = {"Records": passed}
        self.last_event = event
        runs, failures = relay_batch(event, self._store)
        self.tally.batches += 1
        self.tally.records_passed += len(passed)
        self.tally.failures += len(failures)
        self.tally.runs += runs
        return {"batchItemFailures": failures}
