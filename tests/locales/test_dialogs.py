"""The same core conversation in every English locale, with each locale's words and
lines where they differ. The harness checks every response's SSML and limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.store.sqlite import SqliteStore
from tests.dialog.harness import Conversation, make_skill, resolve_slot, test_settings
from tests.locales.support import ALL_LOCALES, GENERATED, HELP_NUMBERS

# A feeling word as said locally, and the wheel word the locale's model resolves it to.
LOCAL_FEELING = {
    "en-US": ("drained", "drained"),
    "en-GB": ("knackered", "exhausted"),
    "en-CA": ("drained", "drained"),
    "en-AU": ("stoked", "excited"),
    "en-IN": ("tensed", "tense"),
}


def test_every_locale_has_a_local_feeling() -> None:
    assert set(LOCAL_FEELING) == set(ALL_LOCALES)


def core_dialog(conv: Conversation) -> None:
    said_word, wheel_word = LOCAL_FEELING[conv.locale]
    # U: open steady together
    said = conv.launch()
    # A: Welcome ... what are your two first names?
    assert said.says("first name") and said.listening
    assert said.reprompt and said.reprompt not in said.text
    # U: we're Alex and Sam
    said = conv.intent("CoupleNamesIntent", first_name="alex", second_name="sam")
    assert said.says("Alex", "Sam") and said.listening
    # U: yes
    said = conv.intent("AMAZON.YesIntent")
    assert said.says("Alex", "Sam", "silent sync") and said.listening
    # U: let's breathe together
    said = conv.intent("SilentSyncIntent")
    # A: ... 5 breaths ... in ... out ... another round?
    assert said.says("5 breaths") and said.ssml.count(">in<") == 5
    assert said.listening
    # U: no
    assert conv.intent("AMAZON.NoIntent").ended

    # U: (later) what's our streak?
    said = conv.intent("StreakIntent")
    assert said.says("today") and said.ended
    if conv.locale != "en-US":
        assert said.says("practised")

    # U: let's check in this evening
    said = conv.intent("CheckInIntent", time_of_day="evening")
    assert said.says("Alex", "feeling") and said.listening
    # U: fine  ->  A: one gentle nudge toward a finer word
    said = conv.intent("FeelingIntent", feeling="fine")
    assert said.says("Alex", "fine") and said.listening
    # U: help  ->  A: why the nudge, then the same question again
    said = conv.intent("AMAZON.HelpIntent")
    assert said.says("precise") and said.listening
    # U: (a local word, e.g. "knackered" in en-GB)
    said = conv.intent("FeelingIntent", feeling=said_word)
    assert said.matches("need|would help") and said.says("Alex")
    # U: I need a cup of tea
    said = conv.intent("NeedIntent", need="a cup of tea")
    assert said.says("Sam") and said.listening
    # U: stop  ->  A: Alex's half is kept
    said = conv.intent("AMAZON.StopIntent")
    assert said.ended and said.says("Alex")
    # U: how has Alex been feeling this week?
    said = conv.intent("HistoryFeelingIntent", partner="Alex")
    assert said.says(wheel_word)
    said = conv.intent("HistoryNeedIntent", partner="Alex")
    assert said.says("a cup of tea")


@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_core_dialog_in_every_locale(skill: CustomSkill, locale: str) -> None:
    core_dialog(Conversation(skill, locale=locale))


@pytest.mark.parametrize("locale", GENERATED)
def test_core_dialog_on_sqlite(tmp_path: Path, locale: str) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    core_dialog(Conversation(make_skill(store, test_settings(tmp_path)), locale=locale))


@pytest.mark.parametrize(("locale", "numbers"), HELP_NUMBERS.items())
def test_safety_mid_check_in_names_the_local_help(
    skill: CustomSkill, locale: str, numbers: tuple[str, ...]
) -> None:
    conv = Conversation(skill, locale=locale)
    conv.launch()
    conv.intent("CoupleNamesIntent", first_name="alex", second_name="sam")
    conv.intent("AMAZON.YesIntent")
    conv.intent("CheckInIntent")
    # U: I don't feel safe at home
    said = conv.intent("SafetyIntent")
    assert said.ended and said.says("danger", *numbers)
    assert said.card is not None
    assert all(number in said.card["content"] for number in numbers)
    others = {other[0] for other in HELP_NUMBERS.values()} - {numbers[0]}
    assert not others & set(said.text.replace(",", " ").replace(".", " ").split()), locale


def couple(skill: CustomSkill, locale: str) -> Conversation:
    conv = Conversation(skill, locale=locale)
    conv.launch()
    conv.intent("CoupleNamesIntent", first_name="alex", second_name="sam")
    conv.intent("AMAZON.YesIntent")
    conv.intent("AMAZON.StopIntent")
    return conv


@pytest.mark.parametrize(
    ("locale", "weekend"),
    [
        ("en-GB", "at the weekend"),
        ("en-US", "on weekends"),
        ("en-CA", "on weekends"),
        ("en-AU", "on weekends"),
        ("en-IN", "on weekends"),
    ],
)
def test_the_issue_example_speaks_the_local_weekend(
    skill: CustomSkill, locale: str, weekend: str
) -> None:
    conv = couple(skill, locale)
    # U: us versus the issue  ->  A: what's the problem?  (silence)  A: like ... chores ...
    said = conv.intent("UsVsIssueIntent")
    assert said.listening
    assert weekend in said.reprompt


@pytest.mark.parametrize("locale", GENERATED)
def test_local_reminder_day_words_resolve(skill: CustomSkill, locale: str) -> None:
    """en-GB's "at the weekend" reaches the skill as the weekends value; elsewhere
    the same words are unknown to the model and stay unresolved."""
    resolved = resolve_slot("SetReminderIntent", "day", "at the weekend", locale)
    expected = "weekends" if locale == "en-GB" else None
    assert resolved.resolved_id == expected
