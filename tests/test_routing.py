"""Routing never overlaps: every request, in every conversational state, is
claimed by exactly one handler."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.chat import envelopes
from skill.handlers.conversation import INTENT_HANDLERS
from skill.handlers.interceptors import TurnInterceptor
from skill.handlers.lifecycle import LIFECYCLE_HANDLERS
from skill.intents import Intent
from skill.practices.registry import practices
from skill.session import Flow, SessionState, Step
from skill.store.memory import MemoryStore
from skill.turn import Services
from tests.dialog.harness import test_settings
from tests.reminders.support import connections_response

HANDLERS = [handler() for handler in (*LIFECYCLE_HANDLERS, *INTENT_HANDLERS)]
SERIALIZER = DefaultSerializer()


def _states() -> list[tuple[str, SessionState]]:
    states: list[tuple[str, SessionState]] = [("idle", SessionState())]
    for flow in practices():
        states.append((f"in {flow.value}", SessionState(current=Step(flow, "any"))))
    states.append(
        ("paused", SessionState(paused=Step(Flow.CHECK_IN, "need", {"who": 0, "order": 0})))
    )
    return states


def _claimants(event: dict[str, Any], tmp_path: Path) -> list[str]:
    envelope = SERIALIZER.deserialize(json.dumps(event), RequestEnvelope)
    handler_input = HandlerInput(
        request_envelope=envelope, attributes_manager=AttributesManager(envelope)
    )
    services = Services(test_settings(tmp_path), lambda _s: MemoryStore())
    TurnInterceptor(services).process(handler_input)
    return [type(h).__name__ for h in HANDLERS if h.can_handle(handler_input)]


@pytest.mark.parametrize(
    ("label", "state"), _states(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_intent_reaches_exactly_one_handler(
    label: str, state: SessionState, tmp_path: Path
) -> None:
    names = [intent.value for intent in Intent] + ["AMAZON.PauseIntent", "SomethingNewIntent"]
    for name in names:
        event = envelopes.intent_request(
            name, {}, attributes=state.to_attributes(), new_session=False
        )
        claimants = _claimants(event, tmp_path)
        assert len(claimants) == 1, f"{name} while {label}: {claimants}"


@pytest.mark.parametrize(
    "event",
    [
        envelopes.launch_request(),
        envelopes.session_ended_request(reason="USER_INITIATED"),
        envelopes.system_exception_request(),
        envelopes.skill_disabled_event(),
        envelopes.skill_permission_accepted_event(),
        connections_response("ACCEPTED", "token"),
    ],
    ids=[
        "launch",
        "session-ended",
        "system-exception",
        "skill-disabled",
        "permission",
        "connections-response",
    ],
)
def test_every_request_type_reaches_exactly_one_handler(
    event: dict[str, Any], tmp_path: Path
) -> None:
    assert len(_claimants(event, tmp_path)) == 1


def test_every_practice_answer_is_routed_to_it(tmp_path: Path) -> None:
    for flow, practice in practices().items():
        state = SessionState(current=Step(flow, "any"))
        for intent in practice.answers:
            event = envelopes.intent_request(intent.value, {}, attributes=state.to_attributes())
            assert _claimants(event, tmp_path) == ["AnswerHandler"], (flow, intent)
