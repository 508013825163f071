"""Gratitude notes, as conversations: left for one partner, read once and only to
them (known by voice, or by asking who is here), older ones offered with their age
and then retired."""

from __future__ import annotations

from pathlib import Path

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.domain.couple import MAX_TEXT
from skill.domain.events import EventKind
from skill.privacy import couple_key
from skill.store.memory import MemoryStore
from skill.store.sqlite import SqliteStore
from tests.dialog.harness import (
    ALEX_VOICE,
    SAM_VOICE,
    SECRET,
    Clocked,
    link_voices,
    make_skill,
    profile_of,
    set_up,
    test_settings,
)

NOTE = "making tea when I was stressed"


@pytest.fixture
def home(skill: CustomSkill, store: MemoryStore) -> Clocked:
    """Alex and Sam, set up at T0, each voice linked to a name, between sessions."""
    household = set_up(skill)
    link_voices(store, household)
    return household


def leave_for_sam(home: Clocked, note: str = NOTE) -> None:
    """Alex, recognised by voice, leaves Sam a thank-you; then the session ends."""
    home.person_id = ALEX_VOICE
    said = home.intent("LeaveGratitudeIntent", partner="Sam", note=note)
    assert said.ended
    home.person_id = None


# -- leaving a note -----------------------------------------------------------------------


def test_leave_a_thank_you_in_one_go(home: Clocked, store: MemoryStore) -> None:
    # U: leave Sam a thank-you for making tea when I was stressed
    said = home.intent("LeaveGratitudeIntent", partner="sam", note=NOTE)
    # A: I'll keep that for Sam and share it the next time they're here: "..."
    assert said.ended and said.says("Sam", f'"{NOTE}"')
    [note] = profile_of(store, home).pending_notes
    assert (note.author, note.recipient, note.text) == (0, 1, NOTE)
    [event] = store.events(couple_key(SECRET, home.user_id), EventKind.NOTE)
    assert event.data["action"] == "left" and event.data["recipient"] == 1


def test_missing_note_is_asked_for(home: Clocked, store: MemoryStore) -> None:
    said = home.intent("LeaveGratitudeIntent", partner="Alex")
    assert said.listening and said.says("thank Alex")
    assert said.reprompt and said.reprompt not in said.text
    said = home.intent("NoteTextIntent")  # nothing heard
    assert said.listening and said.says("Alex")
    said = home.intent("NoteTextIntent", note="the flowers")
    assert said.ended and said.says("Alex", "the flowers")
    [note] = profile_of(store, home).pending_notes
    assert (note.author, note.recipient) == (1, 0)


def test_without_a_recipient_asks_who_is_speaking(home: Clocked, store: MemoryStore) -> None:
    # U: leave a thank-you note  (no name, an unrecognised voice)
    said = home.intent("LeaveGratitudeIntent", note="the lovely dinner")
    # A: Who's leaving the note, Alex or Sam?
    assert said.listening and said.says("Alex or Sam")
    said = home.intent("NameIntent", name="Sam")
    assert said.ended and said.says("Alex", "the lovely dinner")
    [note] = profile_of(store, home).pending_notes
    assert (note.author, note.recipient) == (1, 0)


def test_a_recognised_voice_is_the_author(home: Clocked, store: MemoryStore) -> None:
    home.person_id = SAM_VOICE
    said = home.intent("LeaveGratitudeIntent")
    assert said.says("thank Alex")
    home.intent("NoteTextIntent", note="the early coffee")
    [note] = profile_of(store, home).pending_notes
    assert (note.author, note.recipient) == (1, 0)


def test_unknown_names_are_named_back_kindly(home: Clocked, store: MemoryStore) -> None:
    said = home.intent("LeaveGratitudeIntent", partner="Jamie", note="x")
    assert said.says("Alex and Sam") and said.listening and "Jamie" not in said.text
    said = home.intent("NameIntent", name="Jordan")
    assert said.says("Alex and Sam") and said.listening
    said = home.intent("NameIntent")
    assert said.listening
    assert profile_of(store, home).pending_notes == []


def test_silence_and_stop_mid_note_keep_nothing_and_say_so(
    home: Clocked, store: MemoryStore
) -> None:
    said = home.intent("LeaveGratitudeIntent", partner="Sam")
    assert said.reprompt != said.text
    home.silence()
    home.intent("LeaveGratitudeIntent", partner="Sam")
    said = home.intent("AMAZON.StopIntent")
    assert said.ended and said.matches("wasn't saved|haven't kept a note")
    home.intent("LeaveGratitudeIntent")
    said = home.intent("AMAZON.CancelIntent")
    assert said.ended and said.matches("wasn't saved|haven't kept a note")
    assert profile_of(store, home).pending_notes == []


def test_help_mid_note_then_back_to_the_step(home: Clocked) -> None:
    home.intent("LeaveGratitudeIntent", partner="Sam")
    said = home.intent("AMAZON.HelpIntent")
    assert said.says("few words") and said.says("thank Sam") and said.listening
    said = home.intent("NoteTextIntent", note="the walk")
    assert said.ended and said.says("the walk")


def test_unexpected_answers_reask_then_offer_a_way_out(home: Clocked) -> None:
    home.intent("LeaveGratitudeIntent", partner="Sam")
    first = home.intent("AMAZON.YesIntent")
    assert first.listening and first.says("Sam")
    second = home.intent("AMAZON.FallbackIntent")
    assert second.listening and second.says("stop")


def test_lets_continue_after_an_interruption(home: Clocked, store: MemoryStore) -> None:
    home.intent("LeaveGratitudeIntent", partner="Sam")
    home.intent("SilentSyncIntent", breaths="3")
    said = home.intent("AMAZON.NoIntent")
    assert said.says("thank-you note") and said.listening
    said = home.intent("ContinueIntent")
    assert said.says("thank Sam") and said.listening
    assert home.intent("NoteTextIntent", note="the patience").ended
    assert [n.text for n in profile_of(store, home).pending_notes] == ["the patience"]


def test_note_with_ssml_specials_and_ten_thousand_characters_is_capped_and_escaped(
    home: Clocked, store: MemoryStore
) -> None:
    said = home.intent("LeaveGratitudeIntent", partner="Sam", note='<audio src="x"/> & "you"')
    assert "&lt;audio src=&quot;x&quot;/&gt; &amp; &quot;you&quot;" in said.ssml
    said = home.intent("LeaveGratitudeIntent", partner="Sam", note="thanks " * 1_500)
    assert said.ended and len(said.ssml) < 1_000
    said = home.intent("LeaveGratitudeIntent", partner="Sam", note="x" * 10_000)
    assert said.ended and len(said.ssml) < 1_000
    notes = profile_of(store, home).pending_notes
    assert len(notes) == 3 and all(len(n.text) <= MAX_TEXT for n in notes)
    # Read back escaped too.
    home.person_id = SAM_VOICE
    said = home.intent("HearNotesIntent")
    assert "&lt;audio" in said.ssml and said.ssml.count("<audio") == 0


# -- delivery: once, and only to the recipient -----------------------------------------------


def test_a_note_reaches_its_recipient_once_and_never_its_author(
    home: Clocked, store: MemoryStore
) -> None:
    leave_for_sam(home)
    # Alex opens the skill: nothing is read to the author.
    home.person_id = ALEX_VOICE
    said = home.later(hours=2).launch()
    assert NOTE not in said.text and said.says("silent sync")
    home.intent("AMAZON.StopIntent")
    # Alex asks for notes: none for Alex; one waits for Sam, unread.
    said = home.intent("HearNotesIntent")
    assert said.says("no note for you", "Alex") or said.says("nothing waiting", "Alex")
    assert said.says("Sam") and NOTE not in said.text
    # Sam opens the skill, recognised by voice: the note, with its author's name.
    home.person_id = SAM_VOICE
    said = home.later(hours=3).launch()
    assert said.says("Sam", "Alex", NOTE) and said.listening
    assert profile_of(store, home).pending_notes == []
    home.intent("AMAZON.StopIntent")
    # Only once.
    said = home.later(hours=1).launch()
    assert NOTE not in said.text
    said = home.intent("HearNotesIntent")
    assert NOTE not in said.text and said.says("Sam")
    actions = [
        e.data["action"] for e in store.events(couple_key(SECRET, home.user_id), EventKind.NOTE)
    ]
    assert sorted(actions) == ["delivered", "left"]


def test_unknown_speaker_at_launch_is_asked_who_is_here(home: Clocked, store: MemoryStore) -> None:
    leave_for_sam(home)
    # A: Welcome back. There's a note waiting for one of you. Is this Alex or Sam?
    said = home.later(hours=1).launch()
    assert said.says("Alex or Sam") and NOTE not in said.text and said.listening
    assert said.reprompt and said.reprompt not in said.text
    # U: it's Alex  -> the author: nothing read, on to the menu.
    said = home.intent("NameIntent", name="Alex")
    assert NOTE not in said.text and said.says("Alex", "silent sync")
    home.intent("AMAZON.StopIntent")
    assert len(profile_of(store, home).pending_notes) == 1
    # Next time it is Sam.
    home.later(hours=1).launch()
    said = home.intent("NameIntent", name="Sam")
    assert said.says("Alex", NOTE) and said.listening
    assert profile_of(store, home).pending_notes == []


def test_who_is_here_handles_unknown_names_help_and_silence(
    home: Clocked, store: MemoryStore
) -> None:
    leave_for_sam(home)
    home.later(hours=1).launch()
    said = home.intent("NameIntent", name="Robin")
    assert said.says("Alex and Sam") and said.listening and NOTE not in said.text
    said = home.intent("AMAZON.HelpIntent")
    assert said.says("only share") and said.listening
    home.silence()
    assert len(profile_of(store, home).pending_notes) == 1


def test_any_notes_for_me_asks_who_then_reads_only_theirs(
    home: Clocked, store: MemoryStore
) -> None:
    leave_for_sam(home)
    said = home.later(hours=5).intent("HearNotesIntent")
    assert said.says("Alex or Sam") and NOTE not in said.text
    said = home.intent("NameIntent", name="Sam")
    assert said.says("Alex", NOTE) and said.ended
    # With nothing left, there is no need to ask who is here.
    said = home.intent("HearNotesIntent")
    assert said.ended and said.matches("no notes")


def test_a_three_day_old_note_is_offered_with_its_age_then_retired(
    home: Clocked, store: MemoryStore
) -> None:
    leave_for_sam(home)
    home.person_id = SAM_VOICE
    # A: Alex left you a note 3 days ago. Would you like to hear it?
    said = home.later(days=3).launch()
    assert said.says("Alex", "3 days ago") and NOTE not in said.text and said.listening
    assert said.reprompt and said.reprompt not in said.text
    said = home.intent("AMAZON.YesIntent")
    assert said.says(NOTE) and said.listening
    assert profile_of(store, home).pending_notes == []


def test_an_old_note_declined_or_left_in_silence_is_retired_unheard(
    home: Clocked, store: MemoryStore
) -> None:
    leave_for_sam(home, "the first note")
    home.person_id = SAM_VOICE
    home.later(days=3).intent("HearNotesIntent")
    said = home.intent("AMAZON.NoIntent")
    assert "the first note" not in said.text and said.ended
    assert profile_of(store, home).pending_notes == []
    leave_for_sam(home, "the second note")
    home.person_id = SAM_VOICE
    said = home.later(days=4).launch()
    assert said.says("4 days ago")
    home.silence()
    assert profile_of(store, home).pending_notes == []
    said = home.later(minutes=1).intent("HearNotesIntent")
    assert "the second note" not in said.text


def test_fresh_notes_are_read_and_older_ones_offered_in_one_visit(
    home: Clocked, store: MemoryStore
) -> None:
    leave_for_sam(home, "the old one")
    home.later(days=2, hours=1)
    leave_for_sam(home, "the new one")
    home.person_id = SAM_VOICE
    said = home.later(hours=1).intent("HearNotesIntent")
    assert said.says("the new one") and "the old one" not in said.text
    assert said.says("2 days ago") and said.listening
    said = home.intent("AMAZON.YesIntent")
    assert said.says("the old one") and said.ended
    assert profile_of(store, home).pending_notes == []


def test_notes_then_a_due_review_at_the_same_launch(home: Clocked, store: MemoryStore) -> None:
    home.later(days=7, hours=12)
    leave_for_sam(home)
    home.person_id = SAM_VOICE
    said = home.later(hours=1).launch()
    assert said.says(NOTE, "review") and said.listening
    said = home.intent("AMAZON.YesIntent")
    assert said.says("Sam") and said.listening


def test_happy_path_on_the_sqlite_store(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    home = set_up(make_skill(store, test_settings(tmp_path)))
    link_voices(store, home)
    leave_for_sam(home)
    assert len(profile_of(store, home).pending_notes) == 1
    home.person_id = SAM_VOICE
    said = home.later(hours=1).launch()
    assert said.says("Alex", NOTE)
    assert profile_of(store, home).pending_notes == []
