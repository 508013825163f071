"""Routing never overlaps: every request, in every conversational state (each
step of each practice, idle, and a practice paused), is claimed by exactly one
handler."""

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
from skill.domain.couple import PartnerIndex
from skill.handlers.conversation import INTENT_HANDLERS
from skill.handlers.interceptors import TurnInterceptor
from skill.handlers.lifecycle import LIFECYCLE_HANDLERS
from skill.intents import Intent
from skill.practices.base import Practice
from skill.practices.check_in import CheckInState, CheckInStep
from skill.practices.registry import in_progress, practices, state_types
from skill.session import Flow, SessionState
from skill.store.memory import MemoryStore
from skill.turn import Services
from tests.dialog.harness import test_settings
from tests.practice_states import every_practice_state, state_label
from tests.reminders.support import connections_response

HANDLERS = [handler() for handler in (*LIFECYCLE_HANDLERS, *INTENT_HANDLERS)]
SERIALIZER = DefaultSerializer()
PAUSED_CHECK_IN = CheckInState(
    step=CheckInStep.NEED,
    asked=PartnerIndex.FIRST,
    order=PartnerIndex.FIRST,
    time_of_day="today",
    feelings={PartnerIndex.FIRST: "tired"},
)


def _states() -> list[tuple[str, SessionState]]:
    states: list[tuple[str, SessionState]] = [("idle", SessionState())]
    for state in every_practice_state():
        states.append((f"in {state_label(state)}", SessionState(current=state)))
    states.append(("paused", SessionState(paused=PAUSED_CHECK_IN)))
    return states


STATES = _states()


def _claimants(event: dict[str, Any], tmp_path: Path) -> list[str]:
    envelope = SERIALIZER.deserialize(json.dumps(event), RequestEnvelope)
    handler_input = HandlerInput(
        request_envelope=envelope, attributes_manager=AttributesManager(envelope)
    )
    services = Services(test_settings(tmp_path), lambda _s: MemoryStore())
    TurnInterceptor(services).process(handler_input)
    return [type(h).__name__ for h in HANDLERS if h.can_handle(handler_input)]


def test_every_step_of_every_practice_is_among_the_states() -> None:
    stateful = {flow for flow, p in practices().items() if isinstance(p, Practice)}
    assert {state.flow for state in every_practice_state()} == stateful
    assert len(STATES) > 40
    for name, state in STATES:
        # What the skill reads back is the state sent: the routing below is real.
        assert SessionState.from_attributes(state.to_attributes(), state_types()) == state, name


@pytest.mark.parametrize(("label", "state"), STATES, ids=[name for name, _ in STATES])
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
    for state in every_practice_state():
        session = SessionState(current=state)
        for intent in in_progress(state).takes():
            event = envelopes.intent_request(intent.value, {}, attributes=session.to_attributes())
            assert _claimants(event, tmp_path) == ["AnswerHandler"], (state_label(state), intent)


def test_practices_that_keep_no_state_are_never_the_one_going_on() -> None:
    one_turn = {flow for flow, p in practices().items() if not isinstance(p, Practice)}
    assert one_turn == {Flow.EVENING}
    assert one_turn.isdisjoint(state_types())
