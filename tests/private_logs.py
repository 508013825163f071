"""Logs never carry what anyone said: every log record of the whole test run is
kept, and every value the tests spoke to the skill is searched for in them."""

from __future__ import annotations

import json
import logging
import re
import threading

from skill.logs import JsonFormatter

# Fields that name the code, not the people: intent names may contain common words.
_STRUCTURAL_FIELDS = frozenset({"intent", "logger", "request_type", "level"})
# Wake words the name tests say to the skill are also the platform's own vocabulary
# (request ids "amzn1.echo-api...", "echo-api.amazon.com", the route function `alexa`):
# in a log line they cannot be told apart from it, so they are not searched for.
# So are the words of Python and JSON themselves ("None" in every traceback's source
# lines, "true" in every JSON document): a test answer "none" is not findable in them.
_PLATFORM_WORDS = frozenset({"alexa", "amazon", "echo", "none", "true", "false", "null"})
_MIN_LENGTH = 4
# Build and lint tools the tests run, which never run in the skill itself.
_TOOLING_LOGGERS = ("cfnlint", "samtranslator", "moto", "hypothesis")


class CapturingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, object]] = []
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(_TOOLING_LOGGERS):
            return
        line = json.loads(self.format(record))
        with self._guard:
            self.lines.append(line)


class SpokenValues:
    """Everything a test said to the skill as a slot value or free text."""

    def __init__(self) -> None:
        self.values: set[str] = set()

    def add(self, value: object) -> None:
        text = str(getattr(value, "value", value)).strip()
        if len(text) >= _MIN_LENGTH and not text.isdigit() and text.lower() not in _PLATFORM_WORDS:
            self.values.add(text.lower())


SPOKEN = SpokenValues()
CAPTURE = CapturingHandler()


def leaks() -> list[tuple[str, str]]:
    """(value, log line) pairs where a spoken value shows up in a log line. One
    combined pattern per batch of values, so a long run stays quick."""
    values = sorted(SPOKEN.values, key=len, reverse=True)
    patterns = [
        re.compile(
            r"(?<!\w)("
            + "|".join(re.escape(value) for value in values[i : i + _BATCH])
            + r")(?!\w)"
        )
        for i in range(0, len(values), _BATCH)
    ]
    found: list[tuple[str, str]] = []
    for line in CAPTURE.lines:
        searchable = " ".join(
            str(value).lower() for key, value in line.items() if key not in _STRUCTURAL_FIELDS
        )
        for pattern in patterns:
            found.extend((hit, json.dumps(line)) for hit in pattern.findall(searchable))
    return found


_BATCH = 400
