"""No dead ends: "both of us" answers "who's here?"; a history question inside a
practice answers, then offers to go back; "Whose history?" keeps the microphone open;
the evening ritual delivers what waits for the partners present and takes more than
one thank-you."""

from __future__ import annotations

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.store.memory import MemoryStore
from tests.dialog.harness import Clocked, profile_of, set_up


@pytest.fixture
def home(skill: CustomSkill) -> Clocked:
    return set_up(skill)


def leave(home: Clocked, recipient: str, note: str) -> None:
    """A thank-you for `recipient`, from the other."""
    said = home.intent("LeaveGratitudeIntent", partner=recipient, note=note)
    assert said.ended and said.says(note), said.text


@pytest.mark.parametrize(
    "answer", ["both of us", "we're both here", "the two of us", "Alex and Sam", "sam and alex"]
)
def test_both_of_us_answers_whos_here_and_notes_for_either_are_read(
    home: Clocked, store: MemoryStore, answer: str
) -> None:
    leave(home, "Sam", "for the tea")
    leave(home.later(minutes=5), "Alex", "for the flowers")
    # U: open steady together  -> A: There's a note waiting... Who's here, Alex or Sam?
    said = home.later(hours=1).launch()
    assert said.listening and said.says("Alex or Sam")
    # U: both of us  -> A: both notes, each with its author, then the menu.
    said = home.say(answer)
    assert said.says("for the tea", "for the flowers") and said.listening, home.transcript[-1]
    assert profile_of(store, home).pending_notes == []


def test_both_of_us_when_hearing_notes_on_request(home: Clocked, store: MemoryStore) -> None:
    leave(home, "Sam", "for walking the dog")
    said = home.later(hours=1).say("read our notes")
    assert said.listening and said.says("Alex or Sam"), home.transcript[-1]
    said = home.say("both of us")
    assert said.says("for walking the dog") and said.ended
    assert profile_of(store, home).pending_notes == []


def test_a_history_question_mid_check_in_answers_then_offers_to_go_back(
    home: Clocked, store: MemoryStore
) -> None:
    home.intent("CheckInIntent", time_of_day="morning")
    home.intent("FeelingIntent", feeling="calm")
    home.intent("NeedIntent", need="a slow breakfast")
    home.intent("AMAZON.StopIntent")  # Alex's half is kept
    home.later(minutes=30).intent("CheckInIntent")
    said = home.intent("FeelingIntent", feeling="tired")
    assert said.listening
    # U: what did Alex need this morning?
    said = home.intent("HistoryNeedIntent", partner="Alex", time_of_day="morning")
    # A: Alex needed a slow breakfast. Would you like to go back to your check-in?
    assert said.says("a slow breakfast", "check-in") and said.listening
    # U: yes  -> the check-in goes on where it was.
    said = home.intent("AMAZON.YesIntent")
    assert said.listening and said.matches("need|help")
    home.intent("NeedIntent", need="coffee")
    home.intent("FeelingIntent", feeling="content")
    said = home.intent("NeedIntent", need="a hug")
    assert said.ended
    kept = [(r.partner, r.feeling, r.need) for r in profile_of(store, home).recent_check_ins]
    assert kept[-2:] == [(0, "tired", "coffee"), (1, "content", "a hug")]


def test_whose_history_keeps_the_microphone_open(home: Clocked) -> None:
    home.intent("CheckInIntent", time_of_day="evening")
    for word in ("calm", "rest", "hopeful", "a walk"):
        home.say(word)
    # U: what did they need?  (no name, no voice)
    said = home.later(minutes=5).intent("HistoryNeedIntent")
    # A: Whose history would you like, Alex's or Sam's?
    assert said.listening and said.says("Alex", "Sam")
    assert said.reprompt and said.reprompt != said.text
    said = home.say("Sam")
    assert said.says("a walk") and said.ended
    said = home.intent("HistoryFeelingIntent")
    assert said.listening
    said = home.say("both of us")
    assert said.says("calm", "hopeful") and said.ended


def test_the_evening_ritual_delivers_waiting_notes_and_takes_more_than_one_thank_you(
    home: Clocked, store: MemoryStore
) -> None:
    leave(home, "Sam", "for the playlist")
    leave(home, "Alex", "for fixing the tap")
    said = home.later(hours=2).intent("EveningRitualIntent")
    for word in ("content", "an early night", "tired", "a foot rub"):
        said = home.say(word)
    # The check-in reflected, then what waits for either of them, then the offer.
    assert said.says("for the playlist", "for fixing the tap") and said.listening
    assert profile_of(store, home).pending_notes == []
    # U: yes  -> A: Who's leaving the note, Alex or Sam?
    said = home.intent("AMAZON.YesIntent")
    assert said.says("Alex or Sam")
    home.say("Alex")
    said = home.intent("NoteTextIntent", note="for dinner tonight")
    # A: Saved for Sam... Would either of you like to leave another?
    assert said.says("for dinner tonight") and said.listening and said.says("another")
    said = home.intent("AMAZON.YesIntent")
    assert said.says("Alex or Sam")
    home.say("Sam")
    said = home.intent("NoteTextIntent", note="for listening")
    assert said.listening and said.says("another")
    # U: no  -> the Silent Sync, and good night.
    said = home.intent("AMAZON.NoIntent")
    assert said.ended and said.matches("good night|sleep well")
    notes = [(n.author, n.recipient, n.text) for n in profile_of(store, home).pending_notes]
    assert notes == [(0, 1, "for dinner tonight"), (1, 0, "for listening")]
