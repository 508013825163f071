"""Fakes shared by the web tests: a clock, a recording fetcher, a skill spy, events."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

ALEXA_RESPONSE: dict[str, Any] = {
    "version": "1.0",
    "response": {"outputSpeech": {"type": "SSML", "ssml": "<speak>Hello</speak>"}},
}


@dataclass
class FakeClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@dataclass
class RecordingFetcher:
    """Serves PEM chains by URL (or one default chain) and records every call."""

    default: bytes | None = None
    by_url: dict[str, bytes] = field(default_factory=dict)
    calls: list[tuple[str, float]] = field(default_factory=list)
    error: Exception | None = None

    def __call__(self, url: str, timeout: float) -> bytes:
        self.calls.append((url, timeout))
        if self.error is not None:
            raise self.error
        pem = self.by_url.get(url, self.default)
        if pem is None:
            raise OSError("not found")
        return pem

    @property
    def urls(self) -> list[str]:
        return [url for url, _ in self.calls]


@dataclass
class SkillSpy:
    """A stand-in for skill.app.handle_event that records what reached it."""

    events: list[dict[str, Any]] = field(default_factory=list)
    error: Exception | None = None

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        self.events.append(event)
        if self.error is not None:
            raise self.error
        return ALEXA_RESPONSE


def make_event(
    timestamp: datetime, request_type: str = "LaunchRequest", **request: Any
) -> dict[str, Any]:
    return {
        "version": "1.0",
        "session": {"new": True, "sessionId": "amzn1.echo-api.session.test"},
        "context": {"System": {"application": {"applicationId": "amzn1.ask.skill.test"}}},
        "request": {
            "type": request_type,
            "requestId": "amzn1.echo-api.request.test",
            "timestamp": timestamp.isoformat().replace("+00:00", "Z"),
            "locale": "en-US",
            **request,
        },
    }


def encode(event: dict[str, Any]) -> bytes:
    return json.dumps(event).encode("utf-8")
