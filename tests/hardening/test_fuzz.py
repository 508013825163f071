"""Property-based tests: whatever arrives, the skill answers with a valid response
or a clean refusal, and no exception escapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.skill import CustomSkill
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.app import RequestRefused, handle_event
from skill.chat import envelopes
from skill.intents import SLOTS, Intent
from skill.store.memory import MemoryStore
from skill.web.server import create_app
from tests.dialog.harness import assert_valid_response, make_skill, test_settings
from tests.private_logs import CAPTURE

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "<speak>hi</speak>",
            "Tom & Jerry",
            "\"quoted\" 'single'",
            "</audio><audio src='http://evil'/>",
            "😀💔🫶",
            "नमस्ते",
            "你好，世界",
            "x" * 10_000,
            "\x00\x07\ufffe",
            "]]><!--",
        ]
    ),
)
INTENT_NAMES = st.one_of(
    st.sampled_from([intent.value for intent in Intent]),
    st.text(min_size=1, max_size=30),
)
FOREIGN_ATTRIBUTES = st.one_of(
    st.just({}),
    st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3),
)
# Session state of our own shape with values that may not fit it: some decode (and
# the practice carries on), the rest give a fresh session.
STATE_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["feeling", "need", "again", "0", "normal"]),
    st.text(max_size=5),
    st.dictionaries(st.sampled_from(["0", "1", "2", "x"]), st.text(max_size=5), max_size=2),
    st.lists(st.integers(-1, 2), max_size=3),
)
CORRUPT_STATE = st.one_of(
    st.fixed_dictionaries(
        {
            "steady": st.one_of(
                st.none(),
                st.integers(),
                st.fixed_dictionaries(
                    {
                        "v": st.sampled_from([2, 2, 1, "2"]),
                        "current": st.one_of(
                            st.none(),
                            st.fixed_dictionaries(
                                {
                                    "flow": st.sampled_from(
                                        ["check_in", "silent_sync", "history", "nope"]
                                    ),
                                    "v": st.sampled_from([1, 1, 0]),
                                    "state": st.dictionaries(
                                        st.sampled_from(
                                            [
                                                "step",
                                                "asked",
                                                "order",
                                                "time_of_day",
                                                "feelings",
                                                "misses",
                                                "pace",
                                                "breaths",
                                            ]
                                        ),
                                        STATE_VALUES,
                                        max_size=5,
                                    ),
                                }
                            ),
                        ),
                        "speaker": st.one_of(st.none(), st.integers(-2, 3)),
                    }
                ),
            )
        }
    ),
)


@pytest.fixture(scope="module")
def fuzz_skill(tmp_path_factory: pytest.TempPathFactory) -> CustomSkill:
    path: Path = tmp_path_factory.mktemp("fuzz")
    return make_skill(MemoryStore(), test_settings(path))


@st.composite
def intent_events(draw: st.DrawFn, attributes: Any = FOREIGN_ATTRIBUTES) -> dict[str, Any]:
    name = draw(INTENT_NAMES)
    known = {intent.value: intent for intent in Intent}
    slot_names = [slot.name for slot in SLOTS.get(known[name], ())] if name in known else []
    slot_names += draw(st.lists(st.text(min_size=1, max_size=8), max_size=2))
    slots = {slot: draw(st.one_of(st.none(), NASTY_TEXT)) for slot in slot_names}
    return envelopes.intent_request(
        name,
        slots,
        attributes=draw(attributes),
        new_session=draw(st.booleans()),
        locale=draw(st.sampled_from(["en-US", "en-GB", "en-IN", "de-DE", ""])),
        person_id=draw(st.one_of(st.none(), st.text(min_size=1, max_size=20))),
    )


@given(event=intent_events())
@FUZZ
def test_any_intent_request_gets_a_valid_response(
    fuzz_skill: CustomSkill, event: dict[str, Any]
) -> None:
    before = len(CAPTURE.lines)
    body = handle_event(event, skill=fuzz_skill)
    assert_valid_response(body)
    failures = [line for line in CAPTURE.lines[before:] if line.get("message") == "handler failed"]
    assert not failures, failures


@given(event=intent_events(attributes=CORRUPT_STATE))
@FUZZ
def test_corrupt_session_state_is_answered_then_forgotten(
    fuzz_skill: CustomSkill, event: dict[str, Any]
) -> None:
    body = handle_event(event, skill=fuzz_skill)
    assert_valid_response(body)
    if body["response"].get("shouldEndSession") is False:
        follow_up = envelopes.intent_request(
            "AMAZON.HelpIntent", {}, attributes=body.get("sessionAttributes") or {}
        )
        before = len(CAPTURE.lines)
        assert_valid_response(handle_event(follow_up, skill=fuzz_skill))
        failed = [x for x in CAPTURE.lines[before:] if x.get("message") == "handler failed"]
        assert not failed


def _mangle(event: dict[str, Any], path: list[str], value: Any) -> dict[str, Any]:
    mangled = json.loads(json.dumps(event))
    target = mangled
    for key in path[:-1]:
        target = target.setdefault(key, {}) if isinstance(target, dict) else {}
    if isinstance(target, dict):
        target[path[-1]] = value
    return mangled


MALFORMED_PATHS = st.sampled_from(
    [
        ["request"],
        ["request", "type"],
        ["request", "intent"],
        ["request", "intent", "slots"],
        ["request", "timestamp"],
        ["request", "locale"],
        ["context"],
        ["context", "System"],
        ["context", "System", "user"],
        ["session"],
        ["session", "attributes"],
        ["version"],
    ]
)


@given(
    path=MALFORMED_PATHS,
    value=st.one_of(
        st.none(), st.integers(), st.text(max_size=20), st.lists(st.integers(), max_size=2)
    ),
)
@FUZZ
def test_malformed_envelopes_are_answered_or_refused_cleanly(
    fuzz_skill: CustomSkill, path: list[str], value: Any
) -> None:
    event = _mangle(envelopes.intent_request("CheckInIntent", {}), path, value)
    try:
        body = handle_event(event, skill=fuzz_skill)
    except RequestRefused:
        return
    assert_valid_response(body)


@given(body=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
@FUZZ
def test_web_service_answers_4xx_to_garbage(fuzz_skill: CustomSkill, body: bytes) -> None:
    app = create_app(lambda event: handle_event(event, skill=fuzz_skill), verifier=None)
    client = app.test_client()
    answer = client.post("/", data=body, content_type="application/json")
    if answer.status_code == 200:
        assert_valid_response(answer.get_json())
    else:
        assert 400 <= answer.status_code < 500


@given(event=intent_events())
@FUZZ
def test_web_service_never_fails_on_valid_shapes(
    fuzz_skill: CustomSkill, event: dict[str, Any]
) -> None:
    app = create_app(lambda e: handle_event(e, skill=fuzz_skill), verifier=None)
    answer = app.test_client().post("/", json=event)
    assert answer.status_code == 200
    assert_valid_response(answer.get_json())
