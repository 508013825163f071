"""`steady nlu TEXT`: the utterance profiler prints what the chat hears."""

from __future__ import annotations

import json

import pytest

from skill.cli import main


def _profile(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(["nlu", "--json", *argv]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    document: dict[str, object] = json.loads(lines[0])
    return document


def test_json_gives_intent_and_resolved_slots(capsys: pytest.CaptureFixture[str]) -> None:
    profile = _profile(capsys, "start a check in this morning")
    assert profile == {
        "intent": "CheckInIntent",
        "slots": {
            "time_of_day": {
                "value": "morning",
                "resolution": {
                    "status": "ER_SUCCESS_MATCH",
                    "authority": "static",
                    "values": [{"id": "morning", "name": "morning"}],
                },
            }
        },
    }


def test_a_built_in_slot_has_no_resolution(capsys: pytest.CaptureFixture[str]) -> None:
    profile = _profile(capsys, "add a deposit for sam")
    assert profile == {"intent": "TrustDepositIntent", "slots": {"partner": {"value": "Sam"}}}


def test_an_unlisted_value_is_kept_with_no_match(capsys: pytest.CaptureFixture[str]) -> None:
    profile = _profile(capsys, "--eliciting", "NeedIntent.need", "a long weekend by the sea")
    assert profile["intent"] == "NeedIntent"
    slots = profile["slots"]
    assert isinstance(slots, dict)
    assert slots["need"]["value"] == "a long weekend by the sea"
    assert slots["need"]["resolution"]["status"] == "ER_SUCCESS_NO_MATCH"


def test_launch_phrase_and_nonsense(capsys: pytest.CaptureFixture[str]) -> None:
    assert _profile(capsys, "open steady together") == {"intent": None, "slots": {}, "launch": True}
    assert _profile(capsys, "ask steady together for the trust balance") == {
        "intent": "TrustBalanceIntent",
        "slots": {},
        "launch": True,
    }
    assert _profile(capsys, "what's the weather in paris")["intent"] == "AMAZON.FallbackIntent"


def test_locale_and_plain_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert _profile(capsys, "--locale", "en-GB", "slow down please")["intent"] == "PaceIntent"
    assert main(["nlu", "let's do seven breaths"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("intent  SilentSyncIntent")
    assert "breaths = '7'" in shown


def test_eliciting_wants_intent_and_slot(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["nlu", "--eliciting", "NeedIntent", "a hug"]) == 2
    assert "INTENT.SLOT" in capsys.readouterr().err
