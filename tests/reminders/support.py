"""A household whose requests carry the Alexa API endpoint (the local fake), an API
access token and, once granted, the reminders consent token; and the
`Connections.Response` Alexa sends back after a voice permission request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ask_sdk_core.skill import CustomSkill

from skill.alexa_api import client_from_env
from skill.app import build_skill
from skill.chat import envelopes
from skill.settings import Settings
from skill.store.base import CoupleStore
from skill.turn import Services
from tests.dialog.harness import Conversation, Said

SCOPE = "alexa::alerts:reminders:skill:readwrite"
ACCESS_TOKEN = "test-api-access-token-42"
CONSENT_TOKEN = "test-consent-token-42"
# A fixed Wednesday evening (UTC), so the first occurrence of each reminder is known.
WEDNESDAY_EVENING = datetime(2030, 5, 1, 18, 30, 15, tzinfo=UTC)


def skill_with_api(store: CoupleStore, settings: Settings) -> CustomSkill:
    """The skill as `get_skill()` builds it: with the API client from the environment
    (tests set STEADY_ALLOW_LOCAL_API=1 so it may call the local fake)."""
    return build_skill(Services(settings, lambda _settings: store), api_client=client_from_env())


@dataclass
class AlexaHome(Conversation):
    api_endpoint: str = ""
    api_access_token: str | None = ACCESS_TOKEN
    consent_token: str | None = CONSENT_TOKEN
    now: datetime = WEDNESDAY_EVENING
    sent: list[dict[str, Any]] = field(default_factory=list)

    def _common(self) -> dict[str, Any]:
        common = {
            **super()._common(),
            "api_endpoint": self.api_endpoint,
            "permissions_consent_token": self.consent_token,
            "timestamp": self.now,
        }
        if self.api_access_token is not None:
            common["api_access_token"] = self.api_access_token
        return common

    def _send(self, event: dict[str, Any], label: str) -> Said:
        if self.api_access_token is None:
            # A request Alexa sent without API access (no token in context.System).
            event["context"]["System"].pop("apiAccessToken", None)
        self.sent.append(event)
        return super()._send(event, label)

    @property
    def last_request_id(self) -> str:
        return str(self.sent[-1]["request"]["requestId"])

    def permission_answer(self, status: str, token: str, *, code: str = "200") -> Said:
        """Alexa's `Connections.Response` to our "AskFor" (after it asked by voice)."""
        return self._send(connections_response(status, token, code=code, **self._common()), status)


def connections_response(
    status: str, token: str, *, code: str = "200", name: str = "AskFor", **options: Any
) -> dict[str, Any]:
    envelope = envelopes.launch_request(**options)
    request = envelope["request"]
    envelope["request"] = {
        "type": "Connections.Response",
        "requestId": request["requestId"],
        "timestamp": request["timestamp"],
        "locale": request.get("locale", "en-US"),
        "status": {"code": code, "message": "OK" if code == "200" else "Error"},
        "name": name,
        "payload": {
            "permissionScopes": [{"permissionScope": SCOPE, "consentLevel": "ACCOUNT"}],
            "status": status,
            "isCardThrown": "false",
        },
        "token": token,
    }
    return envelope
