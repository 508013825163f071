"""The registry can route: every flow has exactly one practice, each practice is the
one of the flow it is registered for and keeps its own flow's state, and no intent
starts two practices. The practices load on demand (skill.practices.registry), so
these checks run here on every test run, over all of them, and fail on a broken
registry; a launch imports none but the practices it meets."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import ClassVar

import pytest

from skill.chat import envelopes
from skill.intents import Intent
from skill.practices import registry
from skill.practices.base import OneTurnPractice, Practice
from skill.practices.outcomes import End, Outcome
from skill.session import Flow, PracticeState
from skill.speech.content import SUPPORTED_LOCALES, content_for
from skill.speech.render import Line, say
from skill.turn import Turn
from tests.fresh_process import run_fresh


def test_every_flow_loads_its_own_practice_keeping_its_own_state() -> None:
    found = registry.practices()
    assert list(found) == [flow for flow, _ in registry.REGISTERED]
    assert set(found) == set(Flow)
    for flow, practice in found.items():
        assert registry.checked(flow, practice) is practice
        assert registry.practice_for(flow) is practice  # one instance per process
        if isinstance(practice, Practice):
            assert registry.state_types()[flow] is practice.state_type
        else:
            assert registry.state_types().get(flow) is None


def test_no_intent_starts_two_practices() -> None:
    starts = registry.starting_intents()
    assert starts == registry.starting(registry.practices())
    for intent, flow in starts.items():
        assert intent in registry.practice_for(flow).starts


def test_state_types_lists_the_practices_that_keep_a_state() -> None:
    kinds = registry.state_types()
    keeping = {f for f, p in registry.practices().items() if isinstance(p, Practice)}
    assert set(kinds) == keeping
    assert len(kinds) == len(keeping)


# -- a broken registry is refused ----------------------------------------------------------


class _Step(StrEnum):
    ONLY = "only"


@dataclass(frozen=True, kw_only=True)
class _TipsState(PracticeState):
    flow = Flow.TIPS
    step: _Step = _Step.ONLY


class _Fake(OneTurnPractice):
    flow = Flow.TIPS
    speech = "tips"
    starts: ClassVar[frozenset[Intent]] = frozenset({Intent.TIPS})

    def start(self, turn: Turn) -> Outcome:
        return End((say("common.goodbye"),))


class _FakeOtherFlow(_Fake):
    flow = Flow.HISTORY
    starts: ClassVar[frozenset[Intent]] = frozenset()


class _KeepsAnotherState(Practice[_TipsState]):
    flow = Flow.HISTORY
    speech = "history"
    state_type = _TipsState

    def start(self, turn: Turn) -> Outcome:
        return End(())

    def answer(self, turn: Turn, state: _TipsState) -> Outcome:
        return End(())

    def question(self, turn: Turn, state: _TipsState) -> tuple[Line, Line]:
        return say("common.goodbye"), say("common.goodbye")


def test_a_flow_registered_twice_or_not_at_all_is_refused() -> None:
    twice = (*registry.REGISTERED, (Flow.TIPS, _Fake))
    with pytest.raises(RuntimeError, match="two practices for tips"):
        registry.by_flow(twice)
    missing = tuple((f, load) for f, load in registry.REGISTERED if f is not Flow.TIPS)
    with pytest.raises(RuntimeError, match="no practice for"):
        registry.by_flow(missing)


def test_a_practice_registered_for_another_flow_is_refused() -> None:
    with pytest.raises(RuntimeError, match="registered for tips is history's"):
        registry.checked(Flow.TIPS, _FakeOtherFlow())


def test_a_practice_keeping_another_flows_state_is_refused() -> None:
    with pytest.raises(RuntimeError, match="history keeps the state of tips"):
        registry.checked(Flow.HISTORY, _KeepsAnotherState())


def test_an_intent_starting_two_practices_is_refused() -> None:
    found = {**registry.practices(), Flow.HISTORY: _Fake()}
    with pytest.raises(RuntimeError, match="starts both"):
        registry.starting(found)


# -- what a launch loads ---------------------------------------------------------------------

RUNNER = """
import json, sys
sys.path.insert(0, "lambda")
before = set(sys.modules)
from lambda_function import lambda_handler
answers, attributes = [], {}
for event in json.load(sys.stdin):
    if not event["session"]["new"]:
        event["session"]["attributes"] = attributes
    answer = lambda_handler(event, None)
    answers.append(answer["response"]["outputSpeech"]["ssml"])
    attributes = answer.get("sessionAttributes", {})
print(json.dumps({"answers": answers, "modules": sorted(set(sys.modules) - before)}))
"""

# What a launch of a couple already set up never needs: each loads with the first
# turn that meets it.
NOT_AT_LAUNCH = (
    "skill.domain.safety.screen",
    "skill.practices.autobiography",
    "skill.practices.check_in",
    "skill.practices.gratitude",  # only when notes are waiting
    "skill.practices.repair_word",
    "skill.practices.reminders",
    "skill.practices.safety_check",
    "skill.practices.setup",
    "skill.practices.trust_review",  # only when the review is due
    "skill.practices.us_vs_issue",
    # The package data is read as files: importlib.resources would bring tempfile,
    # shutil, bz2 and lzma into every cold start.
    "importlib.resources",
    "tempfile",
)


def _fresh_process(events: list[dict[str, object]], data_dir: Path) -> dict[str, list[str]]:
    env = {
        **os.environ,
        "STEADY_DATA_DIR": str(data_dir),
        "STEADY_USER_ID_SECRET": "registry-test-secret",
        "STEADY_LOG_LEVEL": "WARNING",
    }
    found: dict[str, list[str]] = run_fresh(RUNNER, events, env)
    return found


def test_a_launch_imports_only_the_practices_it_meets(tmp_path: Path) -> None:
    names = {"first_name": "Alex", "second_name": "Sam"}
    first_time = _fresh_process(
        [
            envelopes.launch_request(),
            envelopes.intent_request("CoupleNamesIntent", names, new_session=False),
            envelopes.intent_request("AMAZON.YesIntent", {}, new_session=False),
        ],
        tmp_path,
    )
    assert "skill.practices.setup" in first_time["modules"]
    again = _fresh_process([envelopes.launch_request()], tmp_path)
    [menu] = again["answers"]
    assert "silent sync" in menu  # the menu of a couple set up, not the welcome
    assert "name" not in first_time["answers"][-1]
    loaded = set(again["modules"])
    assert "skill.practices.registry" in loaded
    assert sorted(loaded & set(NOT_AT_LAUNCH)) == []


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_flow_has_a_name_to_be_offered_back_by(locale: str) -> None:
    """A practice paused by another (the repair word said mid-way) is offered back by
    name when that one ends: every flow has that name, in every locale."""
    phrases = content_for(locale).phrases
    assert [flow.value for flow in Flow if f"practice.{flow.value}" not in phrases] == []
