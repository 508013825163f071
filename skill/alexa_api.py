"""Calling the Alexa APIs (reminders, the device's time zone, progressive responses)
within Alexa's time budget.

The SDK's `DefaultApiClient` waits forever and refuses anything but HTTPS. This client
gives every call a short deadline (connect and read together), sends the bearer token
only to Alexa's own HTTPS API hosts and, for local tests only, to http://127.0.0.1 when
`STEADY_ALLOW_LOCAL_API=1` is set. `STEADY_ALEXA_API=off` turns the Alexa APIs off
(reminders then say they are not available; progressive responses are skipped).

Name resolution (DNS) is not covered by the socket timeout; on Lambda it is local and fast.
`http.client` and `ssl` are imported on the first call, not at a cold start.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.services import (
    ApiClient,
    ApiClientRequest,
    ApiClientResponse,
    ServiceClientFactory,
)
from ask_sdk_model.services.service_exception import ServiceException

from skill.deadline import budget
from skill.deadline import deadline as turn_deadline

if TYPE_CHECKING:
    import http.client
    import ssl

    from ask_sdk_model.services.reminder_management import ReminderRequest

log = logging.getLogger(__name__)

# `budget` is the turn's (skill.deadline): the API calls share it with the store.
__all__ = ["budget"]

DEFAULT_TIMEOUT_SECONDS = 2.0
MAX_BODY_BYTES = 256 * 1024
# api.amazonalexa.com, api.eu.amazonalexa.com, api.fe.amazonalexa.com (and the Far East
# host one reference page names).
ALEXA_API_HOST_SUFFIX = ".amazonalexa.com"
# Login with Amazon's token endpoint (api.amazon.com) takes the skill's client
# credentials for the Proactive Events API (skill.proactive).
ALEXA_API_HOSTS = frozenset({"api.fe.amazon.com", "api.amazon.com"})
LOCAL_HOST = "127.0.0.1"
METHODS = frozenset({"GET", "POST", "PUT", "DELETE"})
OFF_VALUES = frozenset({"off", "0", "false", "no"})


class ApiTimeoutError(ApiClientException):
    """The API did not answer within the deadline."""


class ApiRefusedError(ApiClientException):
    """The request was not sent: not an Alexa API URL this client may call."""


class TimeoutApiClient(ApiClient):
    """`ApiClient` on the standard library (no `requests` in the Lambda bundle)."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT_SECONDS, allow_local: bool = False):
        self.timeout = timeout
        self.allow_local = allow_local
        self._tls: ssl.SSLContext | None = None

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        import http.client

        method = str(request.method or "").upper()
        if method not in METHODS:
            raise ApiRefusedError("unsupported method")
        url = urlsplit(str(request.url or ""))
        secure = self._check(url.scheme, url.hostname)
        deadline = time.monotonic() + self.timeout
        outer = turn_deadline()
        if outer is not None:
            deadline = min(deadline, outer)
        headers = _headers(request.headers)
        body = _body(request.body, headers)
        target = url.path or "/"
        if url.query:
            target += f"?{url.query}"
        connection = self._connect(secure, str(url.hostname), url.port, _remaining(deadline))
        try:
            connection.request(method, target, body=body, headers=headers)
            if connection.sock is not None:
                connection.sock.settimeout(_remaining(deadline))
            answer = connection.getresponse()
            data = _read(answer, connection, deadline)
            return ApiClientResponse(
                headers=[(k, v) for k, v in answer.getheaders()],
                status_code=answer.status,
                body=data.decode("utf-8", "replace"),
            )
        except TimeoutError as error:
            raise ApiTimeoutError("no answer in time") from error
        except (OSError, http.client.HTTPException) as error:
            raise ApiClientException(f"call failed: {type(error).__name__}") from error
        finally:
            connection.close()

    def may_call(self, url: str) -> bool:
        """Whether this client sends requests (and the bearer token) to `url`."""
        parts = urlsplit(url)
        try:
            self._check(parts.scheme, parts.hostname)
        except ApiRefusedError:
            return False
        return True

    def _check(self, scheme: str, host: str | None) -> bool:
        """True for HTTPS to an Alexa API host; False for the allowed local test host."""
        host = (host or "").lower()
        if scheme == "https" and (host.endswith(ALEXA_API_HOST_SUFFIX) or host in ALEXA_API_HOSTS):
            return True
        if self.allow_local and scheme == "http" and host == LOCAL_HOST:
            return False
        raise ApiRefusedError("only HTTPS Alexa API endpoints are called")

    def _connect(
        self, secure: bool, host: str, port: int | None, timeout: float
    ) -> http.client.HTTPConnection:
        import http.client
        import ssl

        if not secure:
            return http.client.HTTPConnection(host, port, timeout=timeout)
        if self._tls is None:
            self._tls = ssl.create_default_context()
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=self._tls)


def services_of(handler_input: HandlerInput) -> ServiceClientFactory | None:
    """The request's service clients; None when the skill has no API client."""
    try:
        factory: ServiceClientFactory | None = handler_input.service_client_factory
    except ValueError:  # the SDK raises rather than answer None
        return None
    return factory


def client_from_env(env: Mapping[str, str] = os.environ) -> TimeoutApiClient | None:
    """The process's API client; None when `STEADY_ALEXA_API` turns the APIs off."""
    if env.get("STEADY_ALEXA_API", "").strip().lower() in OFF_VALUES:
        return None
    return TimeoutApiClient(allow_local=env.get("STEADY_ALLOW_LOCAL_API") == "1")


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise ApiTimeoutError("no time left for this call")
    return left


def _headers(pairs: list[tuple[str, str]] | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    for key, value in pairs or []:
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def _body(body: Any, headers: dict[str, str]) -> bytes | None:
    if body is None or body == "":
        return None
    if isinstance(body, str | bytes):
        return body.encode() if isinstance(body, str) else body
    if not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = "application/json"
    return json.dumps(body).encode()


def _read(
    answer: http.client.HTTPResponse, connection: http.client.HTTPConnection, deadline: float
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if connection.sock is not None:
            connection.sock.settimeout(_remaining(deadline))
        chunk = answer.read1(16 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiClientException("answer too large")
        chunks.append(chunk)


# ---------------------------------------------------------------------------------------
# The Settings API: the device's time zone.

# Read at most once a day per couple, inside the turn: a short share of Alexa's 8 s.
TIME_ZONE_BUDGET_SECONDS = 1.0


def _device_id(handler_input: HandlerInput) -> str | None:
    """The request's device id, when the request can reach the Alexa API at all."""
    context = handler_input.request_envelope.context
    system = context.system if context is not None else None
    device_id = getattr(getattr(system, "device", None), "device_id", None)
    if not device_id or not getattr(system, "api_access_token", None):
        return None
    if not getattr(system, "api_endpoint", None) or services_of(handler_input) is None:
        return None
    return str(device_id)


def time_zone_reachable(handler_input: HandlerInput) -> bool:
    """Whether this request could ask the device for its time zone (an API client,
    an endpoint, a token and a device)."""
    return _device_id(handler_input) is not None


def device_time_zone(handler_input: HandlerInput) -> str | None:
    """The device's IANA time zone ("America/Los_Angeles") through the SDK's UPS
    service client (`System.timeZone`), within a short deadline; None when the API
    cannot be reached, when none is set (204), or on any failure. Needs no
    permission; a failure is logged by its kind only."""
    device_id = _device_id(handler_input)
    factory = services_of(handler_input)
    if device_id is None or factory is None:
        return None
    try:
        with budget(TIME_ZONE_BUDGET_SECONDS):
            answer = factory.get_ups_service().get_system_time_zone(device_id)
    except ServiceException as error:
        log.info(
            "time zone not read",
            extra={"event": "time_zone", "outcome": int(error.status_code or 0)},
        )
        return None
    except Exception as error:  # a turn never fails for want of its zone
        # ApiClientException, a timeout, or the SDK failing to read an error body.
        log.info(
            "time zone not read",
            extra={"event": "time_zone", "error_type": type(error).__name__},
        )
        return None
    return answer if isinstance(answer, str) and answer else None


# ---------------------------------------------------------------------------------------
# The Reminders API, as the skill needs it.


class RemindersUnavailableError(Exception):
    """No API client, endpoint or token: reminders cannot be reached from here."""


class ReminderPermissionError(Exception):
    """Alexa answered 401/403: the couple has not granted the reminders permission."""


class RemindersApiError(Exception):
    """A timeout, a server error or an answer we could not read."""


@dataclass(frozen=True)
class StoredReminder:
    """One of this skill's reminders, as the API lists it."""

    alert_token: str
    status: str
    rules: tuple[str, ...]
    text: str


class AlexaReminders:
    """Create, list and delete this skill's reminders for the current user."""

    PATH = "/v1/alerts/reminders"

    def __init__(self, handler_input: HandlerInput) -> None:
        factory = services_of(handler_input)
        context = handler_input.request_envelope.context
        system = context.system if context is not None else None
        endpoint = getattr(system, "api_endpoint", None)
        token = getattr(system, "api_access_token", None)
        if factory is None or not endpoint or not token:
            raise RemindersUnavailableError
        self._factory = factory
        self._client: ApiClient = factory.api_configuration.api_client
        self._endpoint = str(endpoint).rstrip("/")
        self._token = str(token)

    def create(self, request: ReminderRequest) -> str:
        service = self._factory.get_reminder_management_service()
        answer = _call("create", lambda: service.create_reminder(request))
        token = getattr(answer, "alert_token", None)
        if not token:
            raise RemindersApiError("no alert token in the answer")
        return str(token)

    def delete(self, alert_token: str) -> None:
        service = self._factory.get_reminder_management_service()
        _call("delete", lambda: service.delete_reminder(alert_token))

    def list_all(self) -> list[StoredReminder]:
        """Read directly: the SDK model cannot parse this answer (alertInfo.spokenInfo
        names a module that does not exist: alexa/alexa-apis-for-python#4, #30)."""
        request = ApiClientRequest(
            url=f"{self._endpoint}{self.PATH}",
            method="GET",
            headers=[
                ("Authorization", f"Bearer {self._token}"),
                ("Accept", "application/json"),
            ],
        )
        try:
            answer = self._client.invoke(request)
        except ApiClientException as error:
            _log_failure("list", error)
            raise RemindersApiError from error
        status = int(answer.status_code or 0)
        if status in (401, 403):
            raise ReminderPermissionError
        if not 200 <= status < 300:
            log.warning("reminders call failed", extra={"event": "list", "outcome": status})
            raise RemindersApiError
        try:
            return _parse_list(json.loads(answer.body or "{}"))
        except (ValueError, TypeError, AttributeError) as error:
            _log_failure("list", error)
            raise RemindersApiError from error


def _call(operation: str, call: Callable[[], object]) -> object:
    try:
        return call()
    except ServiceException as error:
        status = int(error.status_code or 0)
        if status in (401, 403):
            raise ReminderPermissionError from error
        _log_failure(operation, error.__context__ or error, status)
        raise RemindersApiError from error
    except (ApiClientException, ValueError) as error:
        _log_failure(operation, error)
        raise RemindersApiError from error


def _log_failure(operation: str, error: BaseException, status: int | None = None) -> None:
    extra: dict[str, object] = {"event": operation, "error_type": type(error).__name__}
    if status:
        extra["outcome"] = status
    log.warning("reminders call failed", extra=extra)


def _parse_list(body: Any) -> list[StoredReminder]:
    found: list[StoredReminder] = []
    for alert in body.get("alerts") or []:
        trigger = alert.get("trigger") or {}
        recurrence = trigger.get("recurrence") or {}
        spoken = ((alert.get("alertInfo") or {}).get("spokenInfo") or {}).get("content") or []
        found.append(
            StoredReminder(
                alert_token=str(alert.get("alertToken") or ""),
                status=str(alert.get("status") or ""),
                rules=tuple(str(rule) for rule in recurrence.get("recurrenceRules") or ()),
                text=str(spoken[0].get("text") or "") if spoken else "",
            )
        )
    return [reminder for reminder in found if reminder.alert_token]
