"""A local stand-in for the Alexa API (https://api.amazonalexa.com): the Reminders API,
the directive service and the Settings API's time zone, on 127.0.0.1 at a free port,
served from a thread.

It records every request (method, path, headers, JSON body) and answers the way Alexa
does: 201 with an alertToken for a new reminder, the list, deletes, 204 for a
directive; 401 when told the couple has not granted the permission; the device's time
zone as a JSON string (204 when none is set, or any status it is told to give); and it
can be told to take its time (`delay`) to show what the skill does when Alexa is slow."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fixtures.local_http import LocalHttpFake

REMINDERS = "/v1/alerts/reminders"
DIRECTIVES = "/v1/directives"
SETTINGS = "/v2/devices/"
TIME_ZONE_SETTING = "/settings/System.timeZone"


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeAlexaApi(LocalHttpFake):
    methods = ("GET", "POST", "DELETE")

    requests: list[Recorded] = field(default_factory=list)
    reminders: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Answer the Reminders API with 401, as Alexa does without the permission.
    unauthorized: bool = False
    # Seconds to wait before answering any request.
    delay: float = 0.0
    directive_status: int = 204
    # The Settings API: each device's time zone (None: not set, 204), or a status to
    # answer instead (403, 500...), and seconds to wait before answering it.
    time_zones: dict[str, str | None] = field(default_factory=dict)
    time_zone_status: int | None = None
    time_zone_delay: float = 0.0
    _tokens: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # -- what the tests read -------------------------------------------------------

    def calls(self, method: str, path_prefix: str) -> list[Recorded]:
        with self._lock:
            return [
                r for r in self.requests if r.method == method and r.path.startswith(path_prefix)
            ]

    @property
    def created(self) -> list[Recorded]:
        return self.calls("POST", REMINDERS)

    @property
    def directives(self) -> list[Recorded]:
        return self.calls("POST", DIRECTIVES)

    @property
    def time_zone_reads(self) -> list[Recorded]:
        return [r for r in self.calls("GET", SETTINGS) if r.path.endswith(TIME_ZONE_SETTING)]

    # -- answering -------------------------------------------------------------------

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        raw = self._body(handler)
        body = json.loads(raw) if raw else None
        recorded = Recorded(handler.command, handler.path, dict(handler.headers.items()), body)
        with self._lock:
            self.requests.append(recorded)
        delay = self.delay
        if recorded.path.startswith(SETTINGS):
            delay = self.time_zone_delay or delay
        if delay and self._released.wait(delay):
            return  # the test is over
        status, answer = self._route(recorded)
        self._reply(handler, status, answer)

    def _route(self, request: Recorded) -> tuple[int, Any]:
        if request.path == DIRECTIVES and request.method == "POST":
            if self.directive_status >= 300:
                refusal = {"code": self.directive_status, "message": "Not allowed now."}
                return self.directive_status, refusal
            return self.directive_status, None
        if request.path.startswith(SETTINGS) and request.path.endswith(TIME_ZONE_SETTING):
            return self._time_zone(request)
        if not request.path.startswith(REMINDERS):
            return 404, {"code": "NOT_FOUND", "message": "no such resource"}
        if self.unauthorized:
            return 401, {"code": "UNAUTHORIZED", "message": "Request is not authorized."}
        with self._lock:
            if request.method == "POST" and request.path == REMINDERS:
                return 201, self._create(request.body)
            if request.method == "GET" and request.path == REMINDERS:
                alerts = list(self.reminders.values())
                return 200, {"totalCount": str(len(alerts)), "alerts": alerts, "links": None}
            token = request.path.removeprefix(f"{REMINDERS}/")
            if request.method == "DELETE" and token in self.reminders:
                del self.reminders[token]
                return 200, None
        return 404, {"code": "NOT_FOUND", "message": "no such reminder"}

    def _time_zone(self, request: Recorded) -> tuple[int, Any]:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return 401, {"code": "UNAUTHORIZED", "message": "No token."}
        if self.time_zone_status is not None:
            return self.time_zone_status, {"code": "ERROR", "message": "Told to fail."}
        device = request.path.removeprefix(SETTINGS).removesuffix(TIME_ZONE_SETTING)
        zone = self.time_zones.get(device)
        if zone is None:
            return 204, None
        return 200, zone

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        token = f"amzn1.alert.fake-{next(self._tokens)}"
        stamp = "2030-01-01T00:00:00.000Z"
        self.reminders[token] = {
            "alertToken": token,
            "createdTime": stamp,
            "updatedTime": stamp,
            "trigger": body["trigger"],
            "status": "ON",
            "alertInfo": body["alertInfo"],
            "pushNotification": body["pushNotification"],
            "version": "1",
        }
        return {
            "alertToken": token,
            "createdTime": stamp,
            "updatedTime": stamp,
            "status": "ON",
            "version": "1",
            "href": f"{REMINDERS}/{token}",
        }
