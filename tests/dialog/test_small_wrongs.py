"""The small wrongs of a simulated week, each fixed and kept so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.store.memory import MemoryStore
from tests.dialog.harness import (
    CUE_MS,
    Clocked,
    Conversation,
    make_skill,
    profile_of,
    set_up,
    test_settings,
)

AUDIO_BASE = "https://cdn.example.com/steady"


@pytest.fixture
def home(skill: CustomSkill) -> Clocked:
    return set_up(skill)


def test_one_check_in_is_once_not_one_check_ins(home: Clocked) -> None:
    home.intent("CheckInIntent")
    for word in ("calm", "rest", "hopeful", "a walk"):
        home.say(word)
    said = home.intent("HistoryFeelingIntent", partner="Alex")
    assert said.says("once", "calm") and "1 check-ins" not in said.text


def test_an_issue_title_starts_its_sentence_with_a_capital(home: Clocked) -> None:
    home.intent("UsVsIssueIntent")
    said = home.intent("TopicIntent", topic="money for the holidays")
    assert said.says("Money for the holidays.") and "money for the holidays." not in said.text
    home.intent("AMAZON.StopIntent")
    said = home.intent("ListIssuesIntent")
    assert said.says("Money for the holidays, with")


def test_without_hosted_tones_the_intro_speaks_of_the_spoken_cues(
    home: Clocked, tmp_path: Path
) -> None:
    said = home.intent("SilentSyncIntent")
    assert "tone" not in said.text and said.says("when I say in")
    said = home.intent("AMAZON.HelpIntent")
    assert "tone" not in said.text and said.says("when I say in")
    hosted = set_up(make_skill(MemoryStore(), test_settings(tmp_path, audio_base_url=AUDIO_BASE)))
    assert hosted.intent("SilentSyncIntent").says("tone rises")


def test_a_changed_pace_and_count_are_kept_and_said_next_time(
    home: Clocked, store: MemoryStore
) -> None:
    home.intent("SilentSyncIntent", breaths="7")
    # U: slower  (another round, at the slower pace)
    said = home.intent("PaceIntent", pace="slower")
    assert said.ssml.count(">in<") == 7
    home.intent("AMAZON.NoIntent")
    assert (profile_of(store, home).pace, profile_of(store, home).breaths) == ("slower", 7)
    # The next day: the same, and said.
    said = home.later(days=1).intent("SilentSyncIntent")
    assert said.says("slower pace", "7 breaths") and said.matches("last time")
    assert said.ssml.count(">in<") == 7
    assert re.search(rf'>in</prosody><break time="{5000 - CUE_MS}ms"/>', said.ssml), (
        "5 s in, less the cue"
    )
    # Asked for this time: nothing to remind of.
    said = home.intent("AMAZON.NoIntent")
    said = home.intent("SilentSyncIntent", pace="normal", breaths="5")
    assert not said.matches("last time")


def test_slower_is_not_taken_for_a_name_during_setup(
    conversation: Conversation, store: MemoryStore
) -> None:
    said = conversation.launch()
    assert said.says("first name")
    # U: slower   (heard as the pace: not a name, and the names are asked for again)
    said = conversation.say("slower")
    assert said.listening and said.says("name")
    # ... or, with the name slot asked for, heard in it as Alexa may: refused kindly.
    for first, second in (("slower", None), ("alex", "slower"), ("yes please", None)):
        said = conversation.intent("CoupleNamesIntent", first_name=first, second_name=second)
        assert said.listening and said.matches("instruction|for me to do") and said.says("name")
    said = conversation.intent("NameIntent", name="Faster")
    assert said.listening and said.matches("instruction|for me to do")
    said = conversation.intent("CoupleNamesIntent", first_name="alex", second_name="sam")
    assert said.says("Alex", "Sam")


def test_a_pace_that_is_none_of_ours_is_not_a_request_to_breathe(
    home: Clocked, store: MemoryStore
) -> None:
    # "{pace} please" is a deliberate catch-all; what it catches that is no pace
    # starts nothing.
    said = home.intent("PaceIntent", pace="ten pizzas")
    assert ">in<" not in said.ssml
    assert profile_of(store, home).sync_count == 0
    # U: slower please   (said plainly, it begins a slower round)
    said = home.say("slower please")
    assert ">in<" in said.ssml
    assert profile_of(store, home).pace == "slower"
