"""Structured JSON logs: the shape of a turn (request id, type, intent, latency,
outcome), never what anyone said. Only fields named here are written."""

from __future__ import annotations

import json
import logging
import os
import sys

ALLOWED_FIELDS = (
    "request_id",
    "request_type",
    "intent",
    "latency_ms",
    "outcome",
    "error_type",
    "where",
    "reason",
    "event",
    "items",
    "attempt",
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, object] = {
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ALLOWED_FIELDS:
            if name in record.__dict__:
                body[name] = record.__dict__[name]
        return json.dumps(body, default=str)


def configure_logging() -> None:
    """Set up JSON logs on stderr once (Lambda sends them to CloudWatch)."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        for existing in list(root.handlers):
            root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(os.environ.get("STEADY_LOG_LEVEL", "INFO"))
    # Libraries may put request bodies in their debug lines: keep them quiet.
    for noisy in ("botocore", "boto3", "urllib3", "pynamodb", "ask_sdk_core", "werkzeug"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
