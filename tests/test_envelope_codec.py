"""The skill's serializer builds exactly what ask-sdk-core's DefaultSerializer builds:
the same request objects (timestamps in the same zone) and the same response JSON."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope, ResponseEnvelope

from skill.app import build_skill, handle_event
from skill.chat import envelopes
from skill.envelope_codec import EnvelopeSerializer
from skill.settings import Settings
from skill.store.memory import MemoryStore
from skill.turn import Services

DEFAULT = DefaultSerializer()


def _base() -> dict[str, Any]:
    return envelopes.intent_request(
        "NeedIntent", {"need": "a quiet hour"}, new_session=False, attributes={"a": {"b": [1]}}
    )


def _variants() -> list[dict[str, Any]]:
    found = [
        envelopes.launch_request(),
        envelopes.launch_request(apl=True, person_id="amzn1.ask.person.P", locale="en-GB"),
        envelopes.launch_request(permissions_consent_token="token"),
        _base(),
        envelopes.intent_request("AMAZON.HelpIntent"),
        envelopes.can_fulfill_request("CheckInIntent", {"time_of_day": "evening"}),
        envelopes.session_ended_request(),
        envelopes.system_exception_request(),
        envelopes.skill_disabled_event(),
        envelopes.skill_permission_accepted_event(),
        envelopes.skill_permission_changed_event(),
        envelopes.proactive_subscription_changed_event(),
    ]
    for stamp in (
        "2026-12-02T13:03:38Z",
        "2026-12-02T13:03:38.5Z",
        "2026-12-02T13:03:38.123456Z",
        "2026-12-02T13:03:38.1234567Z",
        "2026-12-02T13:03:38+00:00",
        "2026-12-02T15:03:38+02:00",
        "2026-02-30T00:00:00Z",
        "2026-12-02T24:00:00Z",
        "not a time",
        12345,
    ):
        event = _base()
        event["request"]["timestamp"] = stamp
        found.append(event)
    odd = _base()
    odd["request"]["somethingNew"] = {"kept": True}
    odd["context"]["System"]["device"]["deviceId"] = 7
    odd["extra"] = [1, 2]
    found.append(odd)
    unknown = _base()
    unknown["request"]["type"] = "Some.FutureRequest"
    found.append(unknown)
    for state in ("COMPLETED", "NOT_A_STATE"):
        event = _base()
        event["request"]["dialogState"] = state
        found.append(event)
    no_session = _base()
    no_session["session"] = None
    found.append(no_session)
    return found


def _decoded(serializer: DefaultSerializer, raw: str) -> tuple[object, type | None]:
    try:
        return serializer.deserialize(raw, RequestEnvelope), None
    except SerializationException as error:
        return None, type(error)


@pytest.mark.parametrize("tzname", [("UTC", "UTC"), ("CET", "CEST"), ("GMT", "BST")])
def test_requests_decode_to_the_same_objects(
    monkeypatch: pytest.MonkeyPatch, tzname: tuple[str, str]
) -> None:
    # dateutil gives a "Z" time the local zone where that zone is called UTC.
    monkeypatch.setattr(time, "tzname", tzname)
    ours = EnvelopeSerializer()
    for event in _variants():
        raw = json.dumps(event)
        expected, expected_error = _decoded(DEFAULT, raw)
        found, error = _decoded(ours, raw)
        assert error == expected_error, raw
        assert found == expected, raw
        stamp = getattr(getattr(expected, "request", None), "timestamp", None)
        if stamp is not None and not isinstance(stamp, str):
            found_stamp = found.request.timestamp  # type: ignore[attr-defined]
            assert type(found_stamp.tzinfo) is type(stamp.tzinfo), raw
            assert found_stamp.utcoffset() == stamp.utcoffset()
        assert json.dumps(ours.serialize(found)) == json.dumps(DEFAULT.serialize(expected))


def test_responses_serialize_to_the_same_json(tmp_path: Any) -> None:
    store = MemoryStore()
    settings = Settings.from_env({"STEADY_DATA_DIR": str(tmp_path)})
    skill = build_skill(Services(settings, lambda _settings: store))
    assert isinstance(skill.serializer, EnvelopeSerializer)
    conversation = envelopes.Conversation(user_id="amzn1.ask.account.CODEC")
    for request in (
        conversation.launch(),
        conversation.intent("AMAZON.HelpIntent"),
        conversation.intent("AMAZON.StopIntent"),
    ):
        body = handle_event(request, skill=skill)
        conversation.absorb(body)
        response = DEFAULT.deserialize(json.dumps(body), ResponseEnvelope)
        assert json.dumps(skill.serializer.serialize(response)) == json.dumps(body)
        assert json.dumps(DEFAULT.serialize(response)) == json.dumps(body)
    assert skill.serializer.serialize(None) is None
