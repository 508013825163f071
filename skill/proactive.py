"""A waiting thank-you lights the ring: Alexa's Proactive Events API, with the
`AMAZON.MessageAlert.Activated` schema, sent while the request that left the note is
still being answered (so the raw Alexa user id, which the audience needs, is used
there and never stored).

What is sent, and only this: the sender's first name and how many thank-yous from
them wait, never a note's words. The alert expires when the note stops being
fresh, or after the API's longest (24 hours), whichever comes first. Nothing can
clear it sooner: the schema's state is only UNREAD or FLAGGED (freshness NEW or
OVERDUE), with no read or cleared state, and the API has no call that withdraws an
event, so delivering the note leaves the alert to expire (docs/notifications.md).

Tokens: Login with Amazon's client-credentials grant (scope
`alexa::proactive_events`) with the skill's client id and secret
(`Settings.lwa_credentials`, an SSM SecureString like the user-id key), cached in the
process until a minute before they expire. Every call of one alert shares
ALERT_BUDGET_SECONDS, well inside Alexa's 8 s; a failure is logged by its kind and the
turn goes on as if no alert had been asked for.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClient, ApiClientRequest

from skill.alexa_api import budget, services_of
from skill.settings import SecretUnavailable, Settings

log = logging.getLogger(__name__)

EVENT_NAME = "AMAZON.MessageAlert.Activated"
SCOPE = "alexa::proactive_events"
# The permission a person grants in the Alexa app for the skill's notifications.
NOTIFICATIONS_PERMISSION = "alexa::devices:all:notifications:write"
EVENTS_PATH = "/v1/proactiveEvents"
DEVELOPMENT_PATH = "/v1/proactiveEvents/stages/development"
ALERT_BUDGET_SECONDS = 2.0
TOKEN_MARGIN_SECONDS = 60
# The API keeps an event at least five minutes and at most a day.
MIN_EXPIRY = timedelta(minutes=5)
MAX_EXPIRY = timedelta(hours=24)
MAX_SENDER_CHARS = 40


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str = field(repr=False)

    @classmethod
    def parse(cls, raw: bytes) -> Credentials:
        """`{"clientId": ..., "clientSecret": ...}` (as the developer console names them)."""
        try:
            body = json.loads(raw)
            found = cls(str(body["clientId"]), str(body["clientSecret"]))
        except (ValueError, KeyError, TypeError):
            raise SecretUnavailable(
                "the LWA credentials are not a clientId/clientSecret object"
            ) from None
        if not found.client_id or not found.client_secret:
            raise SecretUnavailable("the LWA credentials are empty")
        return found


@dataclass(frozen=True)
class MessageAlert:
    """One alert: who left the thank-you (first name only), how many wait from them,
    for which account, and when it was left and stops being news."""

    reference_id: str
    sender: str
    count: int
    user_id: str
    at: datetime
    expires: datetime


def expiry(left_at: datetime, retires_at: datetime) -> datetime:
    """When the alert should go: when the note retires, within the API's bounds."""
    return max(min(retires_at, left_at + MAX_EXPIRY), left_at + MIN_EXPIRY)


def _stamp(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def event_body(alert: MessageAlert) -> dict[str, Any]:
    """The request body the Proactive Events API takes for a message alert."""
    return {
        "timestamp": _stamp(alert.at),
        "referenceId": alert.reference_id,
        "expiryTime": _stamp(alert.expires),
        "event": {
            "name": EVENT_NAME,
            "payload": {
                "state": {"status": "UNREAD", "freshness": "NEW"},
                "messageGroup": {
                    "creator": {"name": alert.sender[:MAX_SENDER_CHARS]},
                    "count": max(alert.count, 1),
                },
            },
        },
        "relevantAudience": {"type": "Unicast", "payload": {"user": alert.user_id}},
    }


def events_url(api_endpoint: str, stage: str) -> str:
    path = EVENTS_PATH if stage == "live" else DEVELOPMENT_PATH
    return f"{api_endpoint.rstrip('/')}{path}"


class TokenCache:
    """LWA access tokens by client id, kept until shortly before they expire."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[str, float]] = {}

    def get(self, client_id: str) -> str | None:
        with self._lock:
            found = self._tokens.get(client_id)
        if found is None or found[1] <= time.monotonic():
            return None
        return found[0]

    def put(self, client_id: str, token: str, expires_in: float) -> None:
        until = time.monotonic() + max(expires_in - TOKEN_MARGIN_SECONDS, 0)
        with self._lock:
            self._tokens[client_id] = (token, until)

    def forget(self, client_id: str) -> None:
        with self._lock:
            self._tokens.pop(client_id, None)


TOKENS = TokenCache()
_credentials_lock = threading.Lock()
_credentials: dict[str, Credentials] = {}


class AlertError(Exception):
    """The alert was not accepted (the kind of failure is in the message)."""


def credentials(settings: Settings) -> Credentials:
    """The skill's LWA credentials, read once per process."""
    key = settings.lwa_credentials_param or "value"
    with _credentials_lock:
        if key not in _credentials:
            _credentials[key] = Credentials.parse(settings.lwa_credentials())
        return _credentials[key]


def forget_cached() -> None:
    """Drop cached credentials and tokens (tests; a rotated secret)."""
    with _credentials_lock:
        _credentials.clear()
    TOKENS._tokens.clear()


class ProactiveEvents:
    """Sends message alerts through `client` (a deadline-bound ApiClient)."""

    def __init__(self, client: ApiClient, settings: Settings, tokens: TokenCache = TOKENS) -> None:
        self._client = client
        self._settings = settings
        self._tokens = tokens

    def send(self, alert: MessageAlert, api_endpoint: str) -> None:
        """Send `alert`; raises AlertError (or SecretUnavailable) when not accepted."""
        found = credentials(self._settings)
        token = self._token(found)
        status = self._post_event(alert, api_endpoint, token)
        if status in (401, 403):
            # A token revoked early: one fresh token, one more try.
            self._tokens.forget(found.client_id)
            status = self._post_event(alert, api_endpoint, self._token(found))
        if status != 202:
            raise AlertError(f"events API answered {status}")

    def _token(self, found: Credentials) -> str:
        cached = self._tokens.get(found.client_id)
        if cached is not None:
            return cached
        form = urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": found.client_id,
                "client_secret": found.client_secret,
                "scope": SCOPE,
            }
        )
        answer = self._call(
            "POST",
            self._settings.lwa_token_url,
            [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            form,
        )
        status, body = answer
        if status != 200:
            raise AlertError(f"token endpoint answered {status}")
        try:
            parsed = json.loads(body)
            token = str(parsed["access_token"])
            expires_in = float(parsed.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError):
            raise AlertError("token endpoint answer unreadable") from None
        self._tokens.put(found.client_id, token, expires_in)
        return token

    def _post_event(self, alert: MessageAlert, api_endpoint: str, token: str) -> int:
        status, _ = self._call(
            "POST",
            events_url(api_endpoint, self._settings.proactive_stage),
            [("Authorization", f"Bearer {token}"), ("Content-Type", "application/json")],
            json.dumps(event_body(alert)),
        )
        return status

    def _call(
        self, method: str, url: str, headers: list[tuple[str, str]], body: str
    ) -> tuple[int, str]:
        request = ApiClientRequest(url=url, method=method, headers=headers, body=body)
        try:
            answer = self._client.invoke(request)
        except ApiClientException as error:
            raise AlertError(type(error).__name__) from error
        return int(answer.status_code or 0), str(answer.body or "")


def send_alert(handler_input: Any, settings: Settings, alert: MessageAlert) -> bool:
    """Send `alert` within ALERT_BUDGET_SECONDS; False (logged by its kind) on any
    failure. Needs the skill's API client and the request's API endpoint."""
    factory = services_of(handler_input)
    context = handler_input.request_envelope.context
    endpoint = getattr(getattr(context, "system", None), "api_endpoint", None)
    if factory is None or not endpoint:
        return False
    try:
        with budget(ALERT_BUDGET_SECONDS):
            ProactiveEvents(factory.api_configuration.api_client, settings).send(
                alert, str(endpoint)
            )
    except (AlertError, SecretUnavailable) as error:
        log.warning(
            "message alert not sent",
            extra={"event": "message_alert", "error_type": str(error)[:60]},
        )
        return False
    except Exception as error:  # the note is kept whatever happens here
        log.warning(
            "message alert not sent",
            extra={"event": "message_alert", "error_type": type(error).__name__},
        )
        return False
    log.info("message alert sent", extra={"event": "message_alert", "outcome": "accepted"})
    return True


def subscribed(event: object) -> bool | None:
    """From a skill event: True when it grants the alerts (a subscription to the
    message alert, or the notifications permission among those accepted), False when
    it takes them away, None when it says nothing of them."""
    kind = str(getattr(event, "object_type", ""))
    body = getattr(event, "body", None)
    if kind == "AlexaSkillEvent.ProactiveSubscriptionChanged":
        names = {
            str(getattr(s, "event_name", "")) for s in getattr(body, "subscriptions", None) or []
        }
        return EVENT_NAME in names
    if kind in (
        "AlexaSkillEvent.SkillPermissionAccepted",
        "AlexaSkillEvent.SkillPermissionChanged",
    ):
        accepted = getattr(body, "accepted_permissions", None) or []
        return NOTIFICATIONS_PERMISSION in {str(getattr(p, "scope", "")) for p in accepted}
    return None
