"""Text that cannot be encoded, fed through real requests: a lone surrogate in a slot
value is removed before it is rendered, so the response always serialises as UTF-8
and passes the SSML checks (ours here, ssml-check-core at the end of the run)."""

from __future__ import annotations

import json

from skill.speech.ssml import check
from tests.dialog.harness import Conversation, Said

LONE = "\ud800"


def _encodes(said: Said) -> bool:
    """The speech encodes as UTF-8 (what ssml-check-core and Alexa's speech need), passes
    our SSML check, and the whole response serialises as the web service and the
    Lambda runtime send it."""
    reprompt = (said.response.get("reprompt") or {}).get("outputSpeech") or {}
    for ssml in (said.ssml, str(reprompt.get("ssml", ""))):
        if ssml:
            ssml.encode("utf-8")
            assert check(ssml).ok and LONE not in ssml
    return bool(json.dumps(said.body).encode("utf-8"))


def test_a_lone_surrogate_in_a_need_is_removed_before_it_is_spoken(couple: Conversation) -> None:
    couple.intent("CheckInIntent")
    couple.intent("FeelingIntent", feeling="calm")
    said = couple.intent("NeedIntent", need=f"a quiet{LONE} hour")
    assert _encodes(said) and said.says("Sam")
    couple.intent("FeelingIntent", feeling="hopeful")
    said = couple.intent("NeedIntent", need="a walk \udfff together\ufffe")
    assert _encodes(said) and said.says("a quiet hour", "a walk together")
    card = said.card
    assert card is not None and "a quiet hour" in card["content"]
    card["content"].encode("utf-8")


def test_a_lone_surrogate_in_a_thank_you_note_is_removed(couple: Conversation) -> None:
    said = couple.intent("LeaveGratitudeIntent", partner="Sam", note=f"the tea{LONE} at dawn")
    assert _encodes(said) and said.says("the tea at dawn")


def test_invisible_characters_in_a_note_are_not_kept(couple: Conversation) -> None:
    """Bidi overrides and zero-width characters never reach the store or the speech,
    and a note of nothing else is not heard as a note."""
    said = couple.intent("LeaveGratitudeIntent", partner="Sam", note="the \u202etea\u200b at dawn")
    assert _encodes(said) and said.says("the tea at dawn")
    assert "\u202e" not in said.ssml and "\u200b" not in said.ssml
    said = couple.intent("LeaveGratitudeIntent", partner="Sam", note="\u200b\u200d\u2060")
    assert not said.matches("saved")
