"""The gentle safety check, as a couple meets it: words that may speak of harm, but
not clearly, are never kept; the skill asks whether the person is safe, and then
either gives real help or goes back to the question it was asking."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.domain.events import EventKind
from skill.domain.safety.screen import screen_for
from skill.privacy import couple_key
from skill.session import Flow
from skill.store.memory import MemoryStore
from tests.dialog.harness import SECRET, Clocked, make_skill, profile_of, set_up, test_settings

# Said where a need is asked: not a clear disclosure, but worth asking about.
UNSURE_NEED = "i just wish i could sleep forever"
UNSURE_NOTE = "i just feel like disappearing"


def test_the_sentences_are_in_the_screens_unsure_band() -> None:
    screen = screen_for("en")
    for text in (UNSURE_NEED, UNSURE_NOTE):
        assessed = screen.assess_slot("need", text)
        assert assessed.disclosure is None and assessed.unsure, text


@pytest.fixture
def home(tmp_path: Path) -> tuple[Clocked, MemoryStore]:
    store = MemoryStore()
    return set_up(make_skill(store, test_settings(tmp_path))), store


def check_in_to_the_need(home: Clocked) -> None:
    # U: let's check in   A: Alex, in a word or two, how are you feeling?
    home.intent("CheckInIntent")
    # U: tired   A: ... what would help, Alex?
    said = home.intent("FeelingIntent", feeling="tired")
    assert said.listening and said.matches(r"need|help")


def kept_needs(store: MemoryStore, home: Clocked) -> list[str | None]:
    return [record.need for record in profile_of(store, home).recent_check_ins]


def test_asked_are_you_safe_then_yes_goes_back_to_the_question(
    home: tuple[Clocked, MemoryStore],
) -> None:
    conv, store = home
    check_in_to_the_need(conv)
    # U: i just wish i could sleep forever
    said = conv.intent("NeedIntent", need=UNSURE_NEED)
    # A: Before we go on, I'd like to check on you. Are you safe right now?
    assert said.listening and said.matches(r"\bsafe\b")
    assert "sleep forever" not in said.text
    # U: yes   A: Thank you. I'm glad. I didn't keep what you said... what would help, Alex?
    said = conv.intent("AMAZON.YesIntent")
    assert said.listening and said.matches(r"glad|good") and said.matches(r"need|help")
    # U: an early night
    said = conv.intent("NeedIntent", need="an early night")
    assert said.listening and said.says("Sam")
    conv.intent("FeelingIntent", feeling="calm")
    said = conv.intent("NeedIntent", need="a walk")
    assert said.ended
    # What is kept is what was said after; the words asked about never were.
    assert sorted(n for n in kept_needs(store, conv) if n) == ["a walk", "an early night"]
    events = store.events(couple_key(SECRET, conv.user_id), EventKind.CHECK_IN)
    assert all("forever" not in str(event.data) for event in events)


def test_no_gives_the_help_lines_and_keeps_nothing(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    check_in_to_the_need(conv)
    before = kept_needs(store, conv)
    conv.intent("NeedIntent", need=UNSURE_NEED)
    # U: no   A: Thank you for telling me... 911 ... 988 ... You deserve to be safe.
    said = conv.intent("AMAZON.NoIntent")
    assert said.ended and said.says("988", "911")
    assert said.card is not None and "988" in said.card["content"]
    assert kept_needs(store, conv) == before


def test_im_fine_is_a_yes(home: tuple[Clocked, MemoryStore]) -> None:
    conv, _store = home
    # U: leave Sam a thank-you   A: What would you like to thank Sam for?
    conv.intent("LeaveGratitudeIntent", partner="Sam")
    said = conv.intent("NoteTextIntent", note=UNSURE_NOTE)
    assert said.matches(r"\bsafe\b")
    # U: i'm fine   A: I'm glad to hear it... What would you like to thank Sam for?
    said = conv.intent("FeelingIntent", feeling="fine")
    assert said.listening and said.says("Sam")
    said = conv.intent("NoteTextIntent", note="the soup")
    assert said.ended and said.says("the soup")


def test_unclear_twice_gives_the_help_lines_anyway(home: tuple[Clocked, MemoryStore]) -> None:
    conv, _store = home
    check_in_to_the_need(conv)
    conv.intent("NeedIntent", need=UNSURE_NEED)
    said = conv.intent("AMAZON.FallbackIntent")
    assert said.listening and said.matches(r"\bsafe\b")
    said = conv.intent("AMAZON.FallbackIntent")
    assert said.ended and said.says("988")


def test_a_disclosure_in_the_answer_is_help_at_once(home: tuple[Clocked, MemoryStore]) -> None:
    conv, _store = home
    check_in_to_the_need(conv)
    conv.intent("NeedIntent", need=UNSURE_NEED)
    # U: not really, he hits me
    said = conv.intent("FeelingIntent", feeling="not really he hits me")
    assert said.ended and said.says("988")


def test_help_explains_why_it_asked(home: tuple[Clocked, MemoryStore]) -> None:
    conv, _store = home
    check_in_to_the_need(conv)
    conv.intent("NeedIntent", need=UNSURE_NEED)
    said = conv.intent("AMAZON.HelpIntent")
    assert said.listening and said.matches(r"asked because") and said.matches(r"\bsafe\b")


def test_moving_on_to_a_practice_answers_it_and_it_is_never_offered_back(
    home: tuple[Clocked, MemoryStore],
) -> None:
    conv, _store = home
    conv.launch()
    conv.intent("LeaveGratitudeIntent", partner="Sam")
    said = conv.intent("NoteTextIntent", note=UNSURE_NOTE)
    assert said.matches(r"\bsafe\b")
    # U: let's breathe together  (a silent sync begins; the thank-you waits)
    said = conv.intent("SilentSyncIntent", breaths="3")
    assert said.matches(r"breath")
    paused = conv.attributes.get("steady", {}).get("paused") or {}
    assert Flow.SAFETY_CHECK.value not in str(paused)
