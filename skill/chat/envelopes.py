"""Alexa request envelopes as the JSON dicts Alexa sends, for the chat and the tests.

Each builder takes the same keyword options (`EnvelopeOptions`): skill_id, user_id,
device_id, session_id, new_session, attributes, locale, person_id, apl, timestamp,
api_access_token, api_endpoint, permissions_consent_token (the user has granted the
skill's permissions, e.g. reminders). Slots render like Alexa's, with
`resolutions.resolutionsPerAuthority` for custom types (static authority, then the
dynamic one when dynamic entities are in force) and the newer `slotValue` form.

Skill events (SkillDisabled, SkillPermissionAccepted) and System.ExceptionEncountered
arrive outside a session: they carry no `session` and, like Alexa's, no locale unless
one is passed."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypedDict, Unpack

from skill.chat.model import InteractionModel, load_model
from skill.chat.nlu import DynamicEntities, Resolved, ResolvedValue, SlotValue, resolve_value

JsonDict = dict[str, Any]
SessionEndedReason = Literal["USER_INITIATED", "EXCEEDED_MAX_REPROMPTS", "ERROR"]
SessionErrorType = Literal[
    "INVALID_RESPONSE", "DEVICE_COMMUNICATION_ERROR", "INTERNAL_SERVICE_ERROR", "ENDPOINT_TIMEOUT"
]
DialogState = Literal["STARTED", "IN_PROGRESS", "COMPLETED"]
ConfirmationStatus = Literal["NONE", "CONFIRMED", "DENIED"]
PersistenceStatus = Literal["PERSISTED", "NOT_PERSISTED"]

DEFAULT_SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-000000000000"
DEFAULT_USER_ID = "amzn1.ask.account.TESTUSER"
DEFAULT_DEVICE_ID = "amzn1.ask.device.TESTDEVICE"
DEFAULT_LOCALE = "en-US"
DEFAULT_API_ENDPOINT = "https://api.amazonalexa.com"
DEFAULT_API_ACCESS_TOKEN = "test-api-access-token"  # noqa: S105 - a fake, for tests and chat
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
APL_MAX_VERSION = "2024.3"


class EnvelopeOptions(TypedDict, total=False):
    skill_id: str
    user_id: str
    device_id: str
    session_id: str
    new_session: bool
    attributes: Mapping[str, Any]
    locale: str | None
    person_id: str | None
    apl: bool
    timestamp: datetime
    api_access_token: str
    api_endpoint: str
    permissions_consent_token: str | None


def new_session_id() -> str:
    return f"amzn1.echo-api.session.{uuid.uuid4()}"


def new_request_id() -> str:
    return f"amzn1.echo-api.request.{uuid.uuid4()}"


def iso_timestamp(moment: datetime | None = None) -> str:
    """ISO-8601 in UTC with a Z and whole seconds, as Alexa writes it."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------
# Requests inside a session.


def launch_request(**options: Unpack[EnvelopeOptions]) -> JsonDict:
    return _envelope({"type": "LaunchRequest"}, options, in_session=True)


def intent_request(
    intent_name: str,
    slots: Mapping[str, SlotValue | str | None] | None = None,
    dialog_state: DialogState | None = None,
    confirmation_status: ConfirmationStatus = "NONE",
    *,
    model: InteractionModel | None = None,
    dynamic_entities: DynamicEntities | None = None,
    **options: Unpack[EnvelopeOptions],
) -> JsonDict:
    """An IntentRequest. A plain string given for a custom-type slot of an intent in
    the interaction model (default: en-US) is resolved as Alexa would, so handlers see
    `resolutions` just as on a device; a `SlotValue` is rendered as given."""
    skill_id = options.get("skill_id", DEFAULT_SKILL_ID)
    intent: JsonDict = {"name": intent_name, "confirmationStatus": confirmation_status}
    if slots:
        slots = _resolved_slots(intent_name, slots, model, dynamic_entities)
        intent["slots"] = {
            name: render_slot(name, value, skill_id) for name, value in slots.items()
        }
    request: JsonDict = {"type": "IntentRequest", "intent": intent}
    if dialog_state is not None:
        request["dialogState"] = dialog_state
    return _envelope(request, options, in_session=True)


def can_fulfill_request(
    intent_name: str,
    slots: Mapping[str, SlotValue | str | None] | None = None,
    *,
    model: InteractionModel | None = None,
    **options: Unpack[EnvelopeOptions],
) -> JsonDict:
    """A CanFulfillIntentRequest: Alexa asking, before any session, whether the skill
    could take this intent with these slots (a name-free request). It carries no
    session; slots render as in an IntentRequest."""
    skill_id = options.get("skill_id", DEFAULT_SKILL_ID)
    intent: JsonDict = {"name": intent_name, "confirmationStatus": "NONE"}
    if slots:
        resolved = _resolved_slots(intent_name, slots, model, None)
        intent["slots"] = {
            name: render_slot(name, value, skill_id) for name, value in resolved.items()
        }
    options = EnvelopeOptions(**{**options, "locale": options.get("locale") or DEFAULT_LOCALE})
    return _envelope(
        {"type": "CanFulfillIntentRequest", "intent": intent}, options, in_session=False
    )


def _resolved_slots(
    intent_name: str,
    slots: Mapping[str, SlotValue | str | None],
    model: InteractionModel | None,
    dynamic_entities: DynamicEntities | None,
) -> dict[str, SlotValue | str | None]:
    if all(not isinstance(value, str) for value in slots.values()):
        return dict(slots)
    model = model or load_model()
    declared = next((i for i in model.intents if i.name == intent_name), None)
    resolved: dict[str, SlotValue | str | None] = {}
    for name, value in slots.items():
        slot = declared.slot(name) if declared else None
        if isinstance(value, str) and slot is not None:
            resolved[name] = resolve_value(value, slot.type, model, dynamic_entities)
        else:
            resolved[name] = value
    return resolved


def session_ended_request(
    reason: SessionEndedReason = "USER_INITIATED",
    error: tuple[SessionErrorType, str] | None = None,
    **options: Unpack[EnvelopeOptions],
) -> JsonDict:
    request: JsonDict = {"type": "SessionEndedRequest", "reason": reason}
    if error is not None:
        request["error"] = {"type": error[0], "message": error[1]}
    return _envelope(request, options, in_session=True)


# ---------------------------------------------------------------------------------------
# Requests outside a session.


def system_exception_request(
    error_type: SessionErrorType = "INVALID_RESPONSE",
    message: str = "The skill response was not valid.",
    cause_request_id: str | None = None,
    **options: Unpack[EnvelopeOptions],
) -> JsonDict:
    request: JsonDict = {
        "type": "System.ExceptionEncountered",
        "error": {"type": error_type, "message": message},
        "cause": {"requestId": cause_request_id or new_request_id()},
    }
    return _envelope(request, options, in_session=False)


def skill_disabled_event(
    persistence_status: PersistenceStatus = "NOT_PERSISTED",
    **options: Unpack[EnvelopeOptions],
) -> JsonDict:
    request = _event("AlexaSkillEvent.SkillDisabled", options)
    request["body"] = {"userInformationPersistenceStatus": persistence_status}
    return _envelope(request, options, in_session=False)


def skill_permission_accepted_event(
    scopes: Iterable[str] = (REMINDERS_SCOPE,),
    **options: Unpack[EnvelopeOptions],
) -> JsonDict:
    request = _event("AlexaSkillEvent.SkillPermissionAccepted", options)
    request["body"] = {"acceptedPermissions": [{"scope": scope} for scope in scopes]}
    return _envelope(request, options, in_session=False)


def skill_permission_changed_event(
    scopes: Iterable[str] = (),
    **options: Unpack[EnvelopeOptions],
) -> JsonDict:
    """The permissions the person now grants (all of them: a scope left out is off)."""
    request = _event("AlexaSkillEvent.SkillPermissionChanged", options)
    request["body"] = {"acceptedPermissions": [{"scope": scope} for scope in scopes]}
    return _envelope(request, options, in_session=False)


def proactive_subscription_changed_event(
    event_names: Iterable[str] = (),
    **options: Unpack[EnvelopeOptions],
) -> JsonDict:
    """The proactive events the person is now subscribed to (none: unsubscribed)."""
    request = _event("AlexaSkillEvent.ProactiveSubscriptionChanged", options)
    request["body"] = {"subscriptions": [{"eventName": name} for name in event_names]}
    return _envelope(request, options, in_session=False)


def _event(event_type: str, options: EnvelopeOptions) -> JsonDict:
    moment = iso_timestamp(options.get("timestamp"))
    return {"type": event_type, "eventCreationTime": moment, "eventPublishingTime": moment}


# ---------------------------------------------------------------------------------------
# Slots.


def render_slot(
    name: str, value: SlotValue | str | None, skill_id: str = DEFAULT_SKILL_ID
) -> JsonDict:
    """One slot as Alexa sends it; None is a declared slot the user did not fill."""
    if value is None:
        return {"name": name, "confirmationStatus": "NONE"}
    slot_value = SlotValue(value) if isinstance(value, str) else value
    simple: JsonDict = {"type": "Simple", "value": slot_value.value}
    slot: JsonDict = {
        "name": name,
        "value": slot_value.value,
        "confirmationStatus": "NONE",
        "source": "USER",
    }
    if slot_value.resolution is not None:
        resolutions = {"resolutionsPerAuthority": _authorities(slot_value.resolution, skill_id)}
        slot["resolutions"] = resolutions
        simple["resolutions"] = resolutions
    slot["slotValue"] = simple
    return slot


def static_authority(skill_id: str, slot_type: str) -> str:
    return f"amzn1.er-authority.echo-sdk.{skill_id}.{slot_type}"


def dynamic_authority(skill_id: str, slot_type: str) -> str:
    return f"amzn1.er-authority.echo-sdk.dynamic.{skill_id}.{slot_type}"


def _authorities(resolved: Resolved, skill_id: str) -> list[JsonDict]:
    """The static authority first, then the dynamic one when dynamic entities are in
    force (the order Alexa uses)."""
    authorities = [_authority(static_authority(skill_id, resolved.slot_type), resolved.static)]
    if resolved.dynamic_in_force or resolved.dynamic is not None:
        dynamic = dynamic_authority(skill_id, resolved.slot_type)
        authorities.append(_authority(dynamic, resolved.dynamic))
    return authorities


def _authority(authority: str, found: ResolvedValue | None) -> JsonDict:
    if found is None:
        return {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
    return {
        "authority": authority,
        "status": {"code": "ER_SUCCESS_MATCH"},
        "values": [{"value": {"name": found.name, "id": found.id}}],
    }


# ---------------------------------------------------------------------------------------
# The envelope.


def _envelope(request: JsonDict, options: EnvelopeOptions, *, in_session: bool) -> JsonDict:
    skill_id = options.get("skill_id", DEFAULT_SKILL_ID)
    user_id = options.get("user_id", DEFAULT_USER_ID)
    locale = options.get("locale", DEFAULT_LOCALE if in_session else None)
    full_request: JsonDict = {
        "type": request["type"],
        "requestId": new_request_id(),
        "timestamp": iso_timestamp(options.get("timestamp")),
    }
    if locale:
        full_request["locale"] = locale
    full_request.update({key: value for key, value in request.items() if key != "type"})
    envelope: JsonDict = {"version": "1.0"}
    if in_session:
        envelope["session"] = _session(options, skill_id, user_id)
    envelope["context"] = _context(options, skill_id, user_id)
    envelope["request"] = full_request
    return envelope


def _session(options: EnvelopeOptions, skill_id: str, user_id: str) -> JsonDict:
    new = options.get("new_session", True)
    session: JsonDict = {
        "new": new,
        "sessionId": options.get("session_id") or new_session_id(),
        "application": {"applicationId": skill_id},
        "user": {"userId": user_id},
    }
    attributes = dict(options.get("attributes") or {})
    if attributes or not new:
        session["attributes"] = attributes
    return session


def _context(options: EnvelopeOptions, skill_id: str, user_id: str) -> JsonDict:
    apl = options.get("apl", False)
    system: JsonDict = {
        "application": {"applicationId": skill_id},
        "user": {"userId": user_id},
        "device": {
            "deviceId": options.get("device_id", DEFAULT_DEVICE_ID),
            "supportedInterfaces": _supported_interfaces(apl),
        },
        "apiEndpoint": options.get("api_endpoint", DEFAULT_API_ENDPOINT),
        "apiAccessToken": options.get("api_access_token", DEFAULT_API_ACCESS_TOKEN),
    }
    consent_token = options.get("permissions_consent_token")
    if consent_token:
        system["user"]["permissions"] = {"consentToken": consent_token}
    person_id = options.get("person_id")
    if person_id:
        system["person"] = {"personId": person_id}
    context: JsonDict = {"System": system}
    if apl:
        context["Viewport"] = _ECHO_SHOW_VIEWPORT
        context["Viewports"] = [_ECHO_SHOW_TYPED_VIEWPORT]
    return context


def _supported_interfaces(apl: bool) -> JsonDict:
    if not apl:
        return {}
    return {"Alexa.Presentation.APL": {"runtime": {"maxVersion": APL_MAX_VERSION}}}


# An Echo Show class screen (1024 x 600 at 160 dpi: HUB_LANDSCAPE_MEDIUM).
_ECHO_SHOW_VIEWPORT: JsonDict = {
    "experiences": [
        {"arcMinuteWidth": 246, "arcMinuteHeight": 144, "canRotate": False, "canResize": False}
    ],
    "mode": "HUB",
    "shape": "RECTANGLE",
    "pixelWidth": 1024,
    "pixelHeight": 600,
    "dpi": 160,
    "currentPixelWidth": 1024,
    "currentPixelHeight": 600,
    "touch": ["SINGLE"],
    "video": {"codecs": ["H_264_42", "H_264_41"]},
}
_ECHO_SHOW_TYPED_VIEWPORT: JsonDict = {
    "type": "APL",
    "id": "main",
    "shape": "RECTANGLE",
    "dpi": 160,
    "presentationType": "STANDARD",
    "canRotate": False,
    "configuration": {
        "current": {
            "mode": "HUB",
            "video": {"codecs": ["H_264_42", "H_264_41"]},
            "size": {"type": "DISCRETE", "pixelWidth": 1024, "pixelHeight": 600},
        }
    },
}


# ---------------------------------------------------------------------------------------
# A conversation: one user on one device, session kept between requests.


@dataclass(frozen=True)
class Device:
    device_id: str = DEFAULT_DEVICE_ID
    apl: bool = False


@dataclass
class Conversation:
    """Builds successive requests of one user on one device and carries the session:
    feed each skill response to `absorb()` so attributes and session end follow."""

    skill_id: str = DEFAULT_SKILL_ID
    user_id: str = DEFAULT_USER_ID
    device: Device = field(default_factory=Device)
    locale: str = DEFAULT_LOCALE
    person_id: str | None = None
    api_access_token: str = DEFAULT_API_ACCESS_TOKEN
    api_endpoint: str = DEFAULT_API_ENDPOINT
    session_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def in_session(self) -> bool:
        return self.session_id is not None

    def launch(self) -> JsonDict:
        self.close()
        return launch_request(**self._options())

    def intent(
        self,
        intent_name: str,
        slots: Mapping[str, SlotValue | str | None] | None = None,
        dialog_state: DialogState | None = None,
    ) -> JsonDict:
        return intent_request(intent_name, slots, dialog_state, **self._options())

    def end(
        self,
        reason: SessionEndedReason = "USER_INITIATED",
        error: tuple[SessionErrorType, str] | None = None,
    ) -> JsonDict:
        envelope = session_ended_request(reason, error, **self._options())
        self.close()
        return envelope

    def absorb(self, response_envelope: Mapping[str, Any]) -> None:
        """Keep the session attributes of a skill response; a response that ends the
        session (shouldEndSession true) closes it."""
        self.attributes = dict(response_envelope.get("sessionAttributes") or {})
        body = response_envelope.get("response") or {}
        if body.get("shouldEndSession") is True:
            self.close()

    def close(self) -> None:
        self.session_id = None
        self.attributes = {}

    def _options(self) -> EnvelopeOptions:
        new = self.session_id is None
        if new:
            self.session_id = new_session_id()
        return EnvelopeOptions(
            skill_id=self.skill_id,
            user_id=self.user_id,
            device_id=self.device.device_id,
            session_id=self.session_id or new_session_id(),
            new_session=new,
            attributes=dict(self.attributes),
            locale=self.locale,
            person_id=self.person_id,
            apl=self.device.apl,
            api_access_token=self.api_access_token,
            api_endpoint=self.api_endpoint,
        )
