"""A local stand-in for Login with Amazon's token endpoint (https://api.amazon.com/auth/o2/token)
and the Proactive Events API (/v1/proactiveEvents, /v1/proactiveEvents/stages/development),
on 127.0.0.1 at a free port, served from a thread, in the style of
tests/reminders/fake_alexa.py.

It records every request (method, path, headers, raw body) and answers as Amazon
does: a bearer token for the client-credentials grant (401 for other credentials),
202 for an event with a token it issued (401 otherwise), or any status it is told
to give, after an optional delay."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

from tests.fixtures.local_http import LocalHttpFake

TOKEN_PATH = "/auth/o2/token"
DEVELOPMENT = "/v1/proactiveEvents/stages/development"
LIVE = "/v1/proactiveEvents"
CLIENT_ID = "amzn1.application-oa2-client.test"
CLIENT_SECRET = "test-client-secret"


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    raw: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.raw.decode())

    @property
    def json(self) -> Any:
        return json.loads(self.raw)


@dataclass
class FakeEvents(LocalHttpFake):
    methods = ("POST",)

    requests: list[Recorded] = field(default_factory=list)
    expires_in: int = 3600
    event_status: int = 202
    token_status: int = 200
    delay: float = 0.0
    issued: list[str] = field(default_factory=list)
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # -- what the tests read -------------------------------------------------------

    @property
    def token_requests(self) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path == TOKEN_PATH]

    @property
    def events(self) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path.startswith(LIVE)]

    # -- answering -------------------------------------------------------------------

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        raw = self._body(handler)
        recorded = Recorded(handler.command, handler.path, dict(handler.headers.items()), raw)
        with self._lock:
            self.requests.append(recorded)
        if self.delay and self._released.wait(self.delay):
            return
        status, answer = self._route(recorded)
        self._reply(handler, status, answer)

    def _route(self, request: Recorded) -> tuple[int, Any]:
        if request.path == TOKEN_PATH:
            form = request.form
            good = (
                form.get("grant_type") == ["client_credentials"]
                and form.get("client_id") == [CLIENT_ID]
                and form.get("client_secret") == [CLIENT_SECRET]
                and form.get("scope") == ["alexa::proactive_events"]
            )
            if self.token_status != 200:
                return self.token_status, {"error": "server_error"}
            if not good:
                return 401, {"error": "invalid_client"}
            token = f"Atc|fake-{next(self._numbers)}"
            self.issued.append(token)
            return 200, {
                "access_token": token,
                "expires_in": self.expires_in,
                "scope": "alexa::proactive_events",
                "token_type": "bearer",
            }
        if request.path in (DEVELOPMENT, LIVE):
            bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if bearer not in self.issued:
                return 401, {"message": "Invalid token"}
            if self.event_status != 202:
                return self.event_status, {"code": "ERROR", "message": "Told to fail."}
            return 202, None
        return 404, {"message": "no such resource"}
