"""The one codec between practice states and session attributes: every state of
every practice comes back as it went, and anything we did not write (wrong types,
out-of-bounds numbers, unknown names, other versions) gives a fresh session."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pytest

from skill.domain.couple import PartnerIndex
from skill.practices.check_in import CheckInState, CheckInStep
from skill.practices.registry import state_types
from skill.practices.trust_bank import TrustState, TrustStep
from skill.session import SESSION_KEY, Flow, PracticeState, SessionState
from skill.state_codec import MAX_INT, MAX_ITEMS, MAX_TEXT_CHARS, StateError, decode, encode
from tests.practice_states import every_practice_state, state_label

CHECK_IN = CheckInState(
    step=CheckInStep.NEED,
    asked=PartnerIndex.SECOND,
    order=PartnerIndex.FIRST,
    time_of_day="evening",
    feelings={PartnerIndex.FIRST: "calm", PartnerIndex.SECOND: "tired"},
    needs={PartnerIndex.FIRST: "a walk"},
    nudged=(PartnerIndex.SECOND,),
    vague="fine",
    misses=1,
)


def _read(attributes: object) -> SessionState:
    return SessionState.from_attributes(attributes, state_types())  # type: ignore[arg-type]


def _attributes(state: SessionState) -> dict[str, Any]:
    """What goes out, as it comes back: through JSON."""
    return json.loads(json.dumps(state.to_attributes()))  # type: ignore[no-any-return]


@pytest.mark.parametrize("state", every_practice_state(), ids=state_label)
def test_every_state_of_every_practice_round_trips(state: PracticeState) -> None:
    session = SessionState(current=state, paused=state, speaker=PartnerIndex.SECOND)
    assert _read(_attributes(session)) == session


def test_a_full_check_in_round_trips_with_its_partners_as_keys() -> None:
    session = SessionState(
        current=CHECK_IN, queue=[Flow.GRATITUDE, Flow.SILENT_SYNC], last_question="Sam, how?"
    )
    attributes = _attributes(session)
    body = attributes[SESSION_KEY]
    assert body["current"]["flow"] == "check_in"
    assert body["current"]["state"]["feelings"] == {"0": "calm", "1": "tired"}
    back = _read(attributes)
    assert back == session
    assert isinstance(back.current, CheckInState)
    assert back.current.asked is PartnerIndex.SECOND
    assert back.current.step is CheckInStep.NEED


def _corrupt(change: Any) -> dict[str, Any]:
    attributes = _attributes(SessionState(current=CHECK_IN, speaker=PartnerIndex.FIRST))
    body = copy.deepcopy(attributes)
    change(body[SESSION_KEY])
    return body


def _set(path: str, value: object) -> Any:
    def change(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for name in parents:
            body = body[name]
        body[last] = value

    return change


def _drop(path: str) -> Any:
    def change(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for name in parents:
            body = body[name]
        del body[last]

    return change


FOREIGN = {
    "session version": _set("v", 1),
    "no session version": _drop("v"),
    "state version": _set("current.v", 2),
    "unknown flow": _set("current.flow", "karaoke"),
    "a flow that keeps no state": _set("current.flow", "history"),
    "another flow's state": _set("current.flow", "trust"),
    "unknown step": _set("current.state.step", "dance"),
    "text for a partner": _set("current.state.asked", "Sam"),
    "a partner who is not there": _set("current.state.asked", 2),
    "true for a partner": _set("current.state.asked", True),
    "a number for text": _set("current.state.time_of_day", 7),
    "a huge number": _set("current.state.misses", MAX_INT + 1),
    "a number as misses text": _set("current.state.misses", "1"),
    "a partner key that is not one": _set("current.state.feelings", {"5": "calm"}),
    "a name as a partner key": _set("current.state.feelings", {"Alex": "calm"}),
    "a list for a mapping": _set("current.state.feelings", ["calm"]),
    "a long list": _set("current.state.nudged", [0] * (MAX_ITEMS + 1)),
    "an unknown field": _set("current.state.who", 0),
    "a required field missing": _drop("current.state.asked"),
    "the state not an object": _set("current.state", "feeling"),
    "the practice not an object": _set("current", ["check_in"]),
    "extra keys beside the state": _set("current.values", {}),
    "an unknown practice queued": _set("queue", ["karaoke"]),
    "a number queued": _set("queue", [1]),
    "the queue not a list": _set("queue", "gratitude"),
}


@pytest.mark.parametrize("change", FOREIGN.values(), ids=FOREIGN.keys())
def test_state_we_did_not_write_gives_a_fresh_session(change: Any) -> None:
    assert _read(_corrupt(change)) == SessionState()


@pytest.mark.parametrize("attributes", [None, {}, {"steady": 3}, {"steady": None}, {"other": {}}])
def test_no_state_of_ours_is_a_fresh_session(attributes: object) -> None:
    assert _read(attributes) == SessionState()


def test_text_is_capped_as_it_comes_back() -> None:
    back = _read(_corrupt(_set("current.state.vague", "x" * (MAX_TEXT_CHARS * 3))))
    assert isinstance(back.current, CheckInState)
    assert back.current.vague == "x" * MAX_TEXT_CHARS


@pytest.mark.parametrize("speaker", [7, -1, True, "0", None])
def test_an_odd_speaker_is_simply_not_known(speaker: object) -> None:
    back = _read(_corrupt(_set("speaker", speaker)))
    assert back.current == CHECK_IN
    assert back.speaker is None


def test_a_literal_takes_only_its_names() -> None:
    state = TrustState(step=TrustStep.NOTE, kind="withdrawal", acted=PartnerIndex.SECOND)
    body = encode(state)
    assert decode(TrustState, body) == state
    with pytest.raises(StateError):
        decode(TrustState, {**body, "kind": "loan"})


class _Step(StrEnum):
    ONLY = "only"


@dataclass(frozen=True, kw_only=True)
class _WithAFloat(PracticeState):
    flow = Flow.TIPS
    step: _Step = _Step.ONLY
    seconds: float = 1.5


@dataclass(frozen=True, kw_only=True)
class _WithAList(PracticeState):
    flow = Flow.TIPS
    step: _Step = _Step.ONLY
    items: list[str] = field(default_factory=list)


@pytest.mark.parametrize("kind", [_WithAFloat, _WithAList])
def test_a_field_the_codec_cannot_check_is_refused_at_once(kind: type[PracticeState]) -> None:
    with pytest.raises(TypeError, match="cannot be kept in the session"):
        encode(kind())
