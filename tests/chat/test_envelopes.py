"""Request envelopes: what ask-sdk-core makes of them is what it makes of Alexa's."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import get_slot, get_supported_interfaces
from ask_sdk_core.utils.viewport import ViewportProfile, get_viewport_profile
from ask_sdk_model import IntentRequest, LaunchRequest, RequestEnvelope, SessionEndedRequest
from ask_sdk_model.events.skillevents import PermissionAcceptedRequest, SkillDisabledRequest
from ask_sdk_model.interfaces.system import ExceptionEncounteredRequest
from ask_sdk_model.response import Response
from ask_sdk_model.session_ended_reason import SessionEndedReason
from ask_sdk_model.slu.entityresolution import StatusCode

from skill.chat import envelopes
from skill.chat.envelopes import (
    DEFAULT_SKILL_ID,
    REMINDERS_SCOPE,
    Conversation,
    Device,
    dynamic_authority,
    static_authority,
)
from skill.chat.model import load_model
from skill.chat.nlu import SlotValue, understand

SKILL_ID = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555"
serializer = DefaultSerializer()


def parse(envelope: dict[str, Any]) -> RequestEnvelope:
    parsed: RequestEnvelope = serializer.deserialize(
        json.dumps(envelope), "ask_sdk_model.RequestEnvelope"
    )
    return parsed


def handler_input(envelope: dict[str, Any]) -> HandlerInput:
    return HandlerInput(request_envelope=parse(envelope))


def test_launch_request() -> None:
    moment = datetime(2026, 11, 26, 19, 30, 5, 123456, tzinfo=UTC)
    envelope = envelopes.launch_request(
        skill_id=SKILL_ID,
        user_id="amzn1.ask.account.U",
        device_id="amzn1.ask.device.D",
        session_id="amzn1.echo-api.session.S",
        locale="en-GB",
        timestamp=moment,
        api_access_token="token",
    )
    assert envelope["version"] == "1.0"
    assert envelope["request"]["timestamp"] == "2026-11-26T19:30:05Z"
    assert re.fullmatch(
        r"amzn1\.echo-api\.request\.[0-9a-f-]{36}", envelope["request"]["requestId"]
    )
    parsed = parse(envelope)
    assert isinstance(parsed.request, LaunchRequest)
    assert parsed.request.locale == "en-GB"
    assert parsed.request.timestamp == moment.replace(microsecond=0)
    assert parsed.session.new is True
    assert parsed.session.session_id == "amzn1.echo-api.session.S"
    assert parsed.session.application.application_id == SKILL_ID
    assert parsed.session.user.user_id == "amzn1.ask.account.U"
    system = parsed.context.system
    assert system.application.application_id == SKILL_ID
    assert system.user.user_id == "amzn1.ask.account.U"
    assert system.device.device_id == "amzn1.ask.device.D"
    assert system.api_endpoint == "https://api.amazonalexa.com"
    assert system.api_access_token == "token"
    assert system.person is None
    assert parsed.context.viewport is None


def test_timestamps_are_utc_with_a_z() -> None:
    local = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    assert envelopes.iso_timestamp(local) == "2026-01-02T01:04:05Z"
    now = envelopes.launch_request()["request"]["timestamp"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", now)


def test_session_attributes_and_continuing_sessions() -> None:
    envelope = envelopes.launch_request(new_session=False, attributes={"step": "breathe", "n": 2})
    parsed = parse(envelope)
    assert parsed.session.new is False
    assert parsed.session.attributes == {"step": "breathe", "n": 2}
    fresh = envelopes.launch_request()
    assert "attributes" not in fresh["session"]


def test_person_and_screen() -> None:
    envelope = envelopes.launch_request(person_id="amzn1.ask.person.P", apl=True)
    parsed = parse(envelope)
    assert parsed.context.system.person.person_id == "amzn1.ask.person.P"
    assert get_viewport_profile(parsed) is ViewportProfile.HUB_LANDSCAPE_MEDIUM
    interfaces = get_supported_interfaces(HandlerInput(request_envelope=parsed))
    assert interfaces.alexa_presentation_apl is not None
    assert interfaces.alexa_presentation_apl.runtime.max_version
    voice_only = parse(envelopes.launch_request())
    assert (
        get_supported_interfaces(HandlerInput(request_envelope=voice_only)).alexa_presentation_apl
        is None
    )
    assert get_viewport_profile(voice_only) is ViewportProfile.UNKNOWN_VIEWPORT_PROFILE


def test_intent_request_with_a_resolved_custom_slot() -> None:
    slots = {"pace": SlotValue.match("slow down", "PaceType", "slower"), "breaths": SlotValue("5")}
    envelope = envelopes.intent_request(
        "SilentSyncIntent", slots, dialog_state="STARTED", skill_id=SKILL_ID
    )
    parsed = parse(envelope)
    assert isinstance(parsed.request, IntentRequest)
    assert parsed.request.intent.name == "SilentSyncIntent"
    assert parsed.request.dialog_state.value == "STARTED"
    source = handler_input(envelope)
    assert get_slot(source, "breaths").value == "5"
    assert get_slot(source, "pace").value == "slow down"
    pace = get_slot(source, "pace")
    [authority] = pace.resolutions.resolutions_per_authority
    assert authority.authority == f"amzn1.er-authority.echo-sdk.{SKILL_ID}.PaceType"
    assert authority.status.code is StatusCode.ER_SUCCESS_MATCH
    assert (authority.values[0].value.id, authority.values[0].value.name) == ("slower", "slow down")
    assert pace.slot_value.object_type == "Simple"
    assert (
        pace.slot_value.resolutions.resolutions_per_authority[0].status.code
        is StatusCode.ER_SUCCESS_MATCH
    )
    assert get_slot(source, "breaths").resolutions is None


def test_unfilled_and_unresolved_slots() -> None:
    slots = {"feeling": SlotValue.no_match("blorfy", "FeelingType")}
    source = handler_input(envelopes.intent_request("FeelingIntent", slots))
    [authority] = get_slot(source, "feeling").resolutions.resolutions_per_authority
    assert authority.status.code is StatusCode.ER_SUCCESS_NO_MATCH
    assert authority.values is None
    empty = handler_input(
        envelopes.intent_request("SilentSyncIntent", {"breaths": None, "pace": None})
    )
    assert get_slot(empty, "breaths") is not None
    assert get_slot(empty, "breaths").value is None
    no_slots = parse(envelopes.intent_request("AMAZON.HelpIntent"))
    assert no_slots.request.intent.slots is None


def test_plain_strings_for_custom_slots_get_alexa_style_resolution() -> None:
    source = handler_input(envelopes.intent_request("PaceIntent", {"pace": "quicker"}))
    [authority] = get_slot(source, "pace").resolutions.resolutions_per_authority
    assert authority.status.code is StatusCode.ER_SUCCESS_MATCH
    assert authority.values[0].value.id == "faster"
    unknown = handler_input(envelopes.intent_request("FeelingIntent", {"feeling": "blorfy"}))
    [authority] = get_slot(unknown, "feeling").resolutions.resolutions_per_authority
    assert authority.status.code is StatusCode.ER_SUCCESS_NO_MATCH
    names = handler_input(envelopes.intent_request("NameIntent", {"name": "Sam"}))
    assert get_slot(names, "name").resolutions is None
    unknown_intent = handler_input(envelopes.intent_request("MadeUpIntent", {"thing": "x"}))
    assert get_slot(unknown_intent, "thing").value == "x"


def test_dynamic_entities_render_both_authorities() -> None:
    model = load_model()
    dynamic = {"RepairWordType": [("ours", "banana bread", ["banana"])]}
    heard = understand("banana", model, dynamic)
    envelope = envelopes.intent_request(heard.intent, heard.request_slots(), skill_id=SKILL_ID)
    static, dyn = get_slot(
        handler_input(envelope), "repair_word"
    ).resolutions.resolutions_per_authority
    assert static.authority == static_authority(SKILL_ID, "RepairWordType")
    assert static.status.code is StatusCode.ER_SUCCESS_NO_MATCH
    assert dyn.authority == f"amzn1.er-authority.echo-sdk.dynamic.{SKILL_ID}.RepairWordType"
    assert dyn.authority == dynamic_authority(SKILL_ID, "RepairWordType")
    assert dyn.status.code is StatusCode.ER_SUCCESS_MATCH
    assert (dyn.values[0].value.id, dyn.values[0].value.name) == ("ours", "banana bread")
    # A plain string with dynamic entities in force resolves the same way.
    plain = envelopes.intent_request(
        "SayRepairWordIntent", {"repair_word": "pineapple"}, dynamic_entities=dynamic
    )
    static, dyn = get_slot(
        handler_input(plain), "repair_word"
    ).resolutions.resolutions_per_authority
    assert static.status.code is StatusCode.ER_SUCCESS_MATCH
    assert dyn.status.code is StatusCode.ER_SUCCESS_NO_MATCH


@pytest.mark.parametrize("reason", ["USER_INITIATED", "EXCEEDED_MAX_REPROMPTS", "ERROR"])
def test_session_ended_request(reason: str) -> None:
    error = ("INTERNAL_SERVICE_ERROR", "boom") if reason == "ERROR" else None
    parsed = parse(envelopes.session_ended_request(reason, error))  # type: ignore[arg-type]
    assert isinstance(parsed.request, SessionEndedRequest)
    assert parsed.request.reason is SessionEndedReason(reason)
    if error:
        assert parsed.request.error.object_type.value == "INTERNAL_SERVICE_ERROR"
        assert parsed.request.error.message == "boom"
    else:
        assert parsed.request.error is None


def test_system_exception_request() -> None:
    envelope = envelopes.system_exception_request(cause_request_id="amzn1.echo-api.request.X")
    assert "session" not in envelope
    parsed = parse(envelope)
    assert isinstance(parsed.request, ExceptionEncounteredRequest)
    assert parsed.request.error.object_type.value == "INVALID_RESPONSE"
    assert parsed.request.cause.request_id == "amzn1.echo-api.request.X"


@pytest.mark.parametrize("status", ["PERSISTED", "NOT_PERSISTED"])
def test_skill_disabled_event(status: str) -> None:
    envelope = envelopes.skill_disabled_event(status, user_id="amzn1.ask.account.GONE")  # type: ignore[arg-type]
    assert "session" not in envelope and "locale" not in envelope["request"]
    assert envelope["request"]["body"] == {"userInformationPersistenceStatus": status}
    parsed = parse(envelope)
    assert isinstance(parsed.request, SkillDisabledRequest)
    assert parsed.context.system.user.user_id == "amzn1.ask.account.GONE"
    assert parsed.request.event_creation_time is not None
    assert parsed.request.event_publishing_time is not None


def test_permission_accepted_event() -> None:
    parsed = parse(envelopes.skill_permission_accepted_event())
    assert isinstance(parsed.request, PermissionAcceptedRequest)
    assert [p.scope for p in parsed.request.body.accepted_permissions] == [REMINDERS_SCOPE]


def test_every_builder_writes_plain_json() -> None:
    for envelope in (
        envelopes.launch_request(apl=True, person_id="p"),
        envelopes.intent_request("PaceIntent", {"pace": "slower"}),
        envelopes.session_ended_request(),
        envelopes.system_exception_request(),
        envelopes.skill_disabled_event(),
        envelopes.skill_permission_accepted_event(),
    ):
        assert json.loads(json.dumps(envelope)) == envelope


class _Echo(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak(
            type(handler_input.request_envelope.request).__name__
        ).response


@pytest.mark.parametrize("skill_id", [SKILL_ID, DEFAULT_SKILL_ID])
def test_a_skill_with_an_id_accepts_its_own_requests_only(skill_id: str) -> None:
    builder = CustomSkillBuilder()
    builder.add_request_handler(_Echo())
    builder.skill_id = SKILL_ID
    skill = builder.create()
    envelope = parse(envelopes.intent_request("AMAZON.HelpIntent", skill_id=skill_id))
    if skill_id == SKILL_ID:
        assert (
            "IntentRequest"
            in skill.invoke(request_envelope=envelope, context=None).response.output_speech.ssml
        )
    else:
        with pytest.raises(AskSdkException):
            skill.invoke(request_envelope=envelope, context=None)


def test_conversation_carries_the_session() -> None:
    talk = Conversation(skill_id=SKILL_ID, device=Device(apl=True), person_id="amzn1.ask.person.P")
    first = parse(talk.launch())
    assert first.session.new is True
    talk.absorb({"sessionAttributes": {"step": 1}, "response": {"shouldEndSession": False}})
    second = parse(talk.intent("PaceIntent", {"pace": "slower"}))
    assert second.session.new is False
    assert second.session.session_id == first.session.session_id
    assert second.session.attributes == {"step": 1}
    assert second.context.system.person.person_id == "amzn1.ask.person.P"
    assert get_viewport_profile(second) is ViewportProfile.HUB_LANDSCAPE_MEDIUM
    talk.absorb({"sessionAttributes": {}, "response": {"shouldEndSession": True}})
    assert not talk.in_session
    third = parse(talk.intent("AMAZON.HelpIntent"))
    assert third.session.new is True
    assert third.session.session_id != first.session.session_id
    ended = parse(talk.end("EXCEEDED_MAX_REPROMPTS"))
    assert ended.request.reason is SessionEndedReason.EXCEEDED_MAX_REPROMPTS
    assert not talk.in_session
