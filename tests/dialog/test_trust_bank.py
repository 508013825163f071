"""The trust bank and the weekly review, as conversations on a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.domain.clock import LocalClock
from skill.domain.couple import MAX_TEXT, Partner, Profile, TrustEntry, iso
from skill.domain.events import EventKind
from skill.domain.review import review_due
from skill.privacy import couple_key
from skill.store.memory import MemoryStore
from skill.store.sqlite import SqliteStore
from tests.dialog.harness import (
    ALEX_VOICE,
    SAM_VOICE,
    SECRET,
    T0,
    Clocked,
    link_voices,
    make_skill,
    profile_of,
    set_up,
    test_settings,
)

INDIA = ZoneInfo("Asia/Kolkata")


@pytest.fixture
def home(skill: CustomSkill) -> Clocked:
    """Alex and Sam, set up at T0, between sessions."""
    return set_up(skill)


def deposit(home: Clocked, acted: str, note: str, kind: str = "TrustDepositIntent") -> None:
    """A deposit (or withdrawal) for `acted`: the other partner noticed it."""
    home.intent(kind, partner=acted)
    said = home.intent("NoteTextIntent", note=note)
    assert said.ended and said.says(note)


# -- deposits and withdrawals -------------------------------------------------------------


def test_deposit_asks_who_did_the_kind_thing_then_the_note(
    home: Clocked, store: MemoryStore
) -> None:
    # U: make a trust deposit
    said = home.intent("TrustDepositIntent")
    # A: ... Who did the kind thing, Alex or Sam?
    assert said.listening and said.says("Alex", "Sam") and said.says("kind")
    assert said.reprompt and said.reprompt not in said.text
    # U: Sam
    said = home.intent("NameIntent", name="sam")
    # A: Alex, what did Sam do?
    assert said.listening and said.matches(r"Alex, .*Sam do")
    assert said.reprompt not in said.text
    # U: made tea when I was stressed
    said = home.intent("NoteTextIntent", note="made tea when I was stressed")
    # A: A deposit for Sam, noticed by Alex: "made tea when I was stressed".
    assert said.ended and said.says("for Sam", "noticed by Alex", '"made tea when I was stressed"')
    [entry] = profile_of(store, home).recent_trust
    assert (entry.kind, entry.giver, entry.receiver) == ("deposit", 1, 0)
    assert entry.note == "made tea when I was stressed"
    assert entry.at.startswith(T0.date().isoformat())
    [event] = store.events(couple_key(SECRET, home.user_id), EventKind.TRUST)
    assert event.data["giver"] == 1 and event.data["receiver"] == 0
    assert event.data["kind"] == "deposit"


def test_the_partner_named_acted_and_a_known_voice_noticed(
    home: Clocked, store: MemoryStore
) -> None:
    # U: add a deposit for Sam  (Sam did it, so Alex noticed)
    said = home.intent("TrustDepositIntent", partner="Sam")
    assert said.matches(r"Alex, .*Sam do")
    home.intent("NoteTextIntent", note="picked me up from the station")
    # Alex speaks, recognised by voice, naming no one: Alex noticed, Sam did it.
    link_voices(store, home)
    home.person_id = ALEX_VOICE
    said = home.intent("TrustDepositIntent")
    assert said.matches(r"Alex, .*Sam do")
    said = home.intent("NoteTextIntent", note="listened without fixing")
    assert said.says("for Sam", "noticed by Alex")
    first, second = profile_of(store, home).recent_trust
    assert (first.giver, first.receiver) == (1, 0)
    assert (second.giver, second.receiver) == (1, 0)


def test_withdrawal_names_both_plainly_without_blame(home: Clocked, store: MemoryStore) -> None:
    # U: I felt dismissed by Alex
    said = home.intent("TrustWithdrawalIntent", partner="Alex")
    assert said.says("Sam") and said.listening
    said = home.intent("NoteTextIntent", note="my worry was waved away at dinner")
    assert said.ended and said.says("my worry was waved away at dinner")
    assert said.says("with Alex") and said.matches("felt by Sam|Noted, Sam")
    assert said.matches("gently|without blame")
    [entry] = profile_of(store, home).recent_trust
    assert (entry.kind, entry.giver, entry.receiver) == ("withdrawal", 0, 1)


def test_what_happened_said_with_the_request_is_kept_without_asking_again(
    home: Clocked, store: MemoryStore
) -> None:
    # U: add a deposit for Sam because he cooked breakfast without being asked
    said = home.intent(
        "TrustDepositIntent", partner="Sam", note="he cooked breakfast without being asked"
    )
    # A: A deposit for Sam, noticed by Alex: "he cooked breakfast without being asked".
    assert said.ended and said.says("for Sam", "noticed by Alex")
    assert said.says('"he cooked breakfast without being asked"')
    [entry] = profile_of(store, home).recent_trust
    assert (entry.kind, entry.giver, entry.receiver) == ("deposit", 1, 0)
    assert entry.note == "he cooked breakfast without being asked"


def test_a_withdrawal_said_whole_credits_the_one_named_and_keeps_its_note(
    home: Clocked, store: MemoryStore
) -> None:
    # U: a withdrawal with Alex because she forgot my birthday  (Sam felt it)
    said = home.intent("TrustWithdrawalIntent", partner="Alex", note="she forgot my birthday")
    assert said.ended and said.says("with Alex", '"she forgot my birthday"')
    [entry] = profile_of(store, home).recent_trust
    assert (entry.kind, entry.giver, entry.receiver) == ("withdrawal", 0, 1)


def test_a_note_without_a_name_asks_who_then_keeps_the_note_it_had(
    home: Clocked, store: MemoryStore
) -> None:
    # U: make a deposit because they picked me up in the rain
    said = home.intent("TrustDepositIntent", note="they picked me up in the rain")
    # A: ... Who did the kind thing, Alex or Sam?
    assert said.listening and said.says("Alex", "Sam") and said.says("kind")
    assert profile_of(store, home).recent_trust == []
    # U: Alex
    said = home.intent("NameIntent", name="alex")
    # A: A deposit for Alex, noticed by Sam: "they picked me up in the rain".
    assert said.ended and said.says("for Alex", "noticed by Sam", "picked me up in the rain")
    [entry] = profile_of(store, home).recent_trust
    assert (entry.giver, entry.receiver, entry.note) == (0, 1, "they picked me up in the rain")


def test_a_disclosure_said_as_the_note_is_help_and_nothing_is_kept(
    home: Clocked, store: MemoryStore
) -> None:
    # U: add a deposit for Sam because he hit me again
    said = home.intent("TrustDepositIntent", partner="Sam", note="he hit me again")
    assert said.ended and said.says("988", "911")
    assert profile_of(store, home).recent_trust == []
    assert store.events(couple_key(SECRET, home.user_id), EventKind.TRUST) == []


def test_silence_mid_entry_ends_kindly_and_adds_nothing(home: Clocked, store: MemoryStore) -> None:
    said = home.intent("TrustDepositIntent", partner="Alex")
    assert said.reprompt and said.reprompt != said.text
    home.silence()
    assert profile_of(store, home).recent_trust == []
    # Next session is a fresh start.
    assert home.launch().says("silent sync")


@pytest.mark.parametrize("leave", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_or_cancel_mid_entry_says_nothing_was_added(
    home: Clocked, store: MemoryStore, leave: str
) -> None:
    home.intent("TrustDepositIntent")
    home.intent("NameIntent", name="Sam")
    said = home.intent(leave)
    assert said.ended and said.matches("nothing was added|haven't added anything")
    assert profile_of(store, home).recent_trust == []


def test_help_mid_entry_explains_then_returns_to_the_step(home: Clocked) -> None:
    home.intent("TrustDepositIntent")
    said = home.intent("AMAZON.HelpIntent")
    assert said.says("the one who did it", "the one who noticed it") and said.says("Alex or Sam")
    home.intent("NameIntent", name="Sam")
    said = home.intent("AMAZON.HelpIntent")
    assert said.says("few words") and said.says("Alex, ")
    said = home.intent("NoteTextIntent", note="a long hug")
    assert said.ended and said.says("a long hug")


def test_unexpected_answers_reask_then_offer_a_way_out(home: Clocked) -> None:
    home.intent("TrustDepositIntent", partner="Sam")
    # U: yes (no question asked for a yes)
    first = home.intent("AMAZON.YesIntent")
    assert first.listening and first.says("Alex, ")
    second = home.intent("AMAZON.FallbackIntent")
    assert second.listening and second.says("stop")


def test_lets_continue_after_an_interruption(home: Clocked, store: MemoryStore) -> None:
    home.intent("TrustDepositIntent", partner="Alex")
    said = home.intent("SilentSyncIntent", breaths="3")
    assert said.ssml.count(">in<") == 3
    # U: no (no other round) -> A: would you like to go back to your trust bank entry?
    said = home.intent("AMAZON.NoIntent")
    assert said.says("trust bank entry") and said.listening
    said = home.intent("ContinueIntent")
    assert said.says("Sam, ") and said.listening
    said = home.intent("NoteTextIntent", note="breathed with me")
    assert said.ended
    assert [e.note for e in profile_of(store, home).recent_trust] == ["breathed with me"]


def test_missing_slots_are_asked_again(home: Clocked, store: MemoryStore) -> None:
    home.intent("TrustDepositIntent")
    said = home.intent("NameIntent")
    assert said.listening and said.says("Alex or Sam")
    home.intent("NameIntent", name="Alex")
    said = home.intent("NoteTextIntent")
    assert said.listening and said.says("Sam, ")
    said = home.intent("NoteTextIntent", note="   ")
    assert said.listening
    assert profile_of(store, home).recent_trust == []


def test_unknown_names_are_named_back_kindly(home: Clocked, store: MemoryStore) -> None:
    said = home.intent("TrustDepositIntent", partner="Jamie")
    assert said.says("Alex and Sam") and "Jamie" not in said.text and said.listening
    said = home.intent("NameIntent", name="Jordan")
    assert said.says("Alex and Sam") and said.listening
    said = home.intent("NameIntent", name="Sam")
    assert said.says("Alex, ")


def test_note_with_ssml_specials_and_ten_thousand_characters_is_capped_and_escaped(
    home: Clocked, store: MemoryStore
) -> None:
    home.intent("TrustDepositIntent", partner="Alex")
    said = home.intent("NoteTextIntent", note='<speak>tea & "toast"</speak> <break time="60s"/>')
    assert "&lt;speak&gt;tea &amp; &quot;toast&quot;" in said.ssml
    assert said.ssml.count("<break") == 0
    home.intent("TrustDepositIntent", partner="Alex")
    said = home.intent("NoteTextIntent", note="kind " * 2_000)
    assert said.ended and len(said.ssml) < 1_000
    notes = [e.note for e in profile_of(store, home).recent_trust]
    assert all(len(note) <= MAX_TEXT for note in notes)


# -- the balance: this week's picture, read-only ---------------------------------------------


def test_balance_on_an_empty_week_is_kind_and_writes_nothing(
    home: Clocked, store: MemoryStore
) -> None:
    deposit(home.later(days=1), "Alex", "an old kindness")
    home.later(days=9)
    writes = store.writes
    # U: what's our trust balance?
    said = home.intent("TrustBalanceIntent")
    assert said.matches("quiet this week|nothing in the trust bank yet this week")
    assert said.says("deposit") and "an old kindness" not in said.text
    assert said.ended
    assert store.writes == writes


def test_balance_on_a_full_week_tells_each_partner_in_their_own_words(
    home: Clocked, store: MemoryStore
) -> None:
    deposit(home, "Sam", "an old kindness")  # T0: more than a week before the question
    home.later(days=3)
    deposit(home, "Sam", "made tea when I was stressed")
    deposit(home.later(hours=1), "Sam", "texted me good luck")
    deposit(home.later(hours=1), "Sam", "asked about my day")
    deposit(home.later(hours=1), "Alex", "brushed off my worry", kind="TrustWithdrawalIntent")
    deposit(home.later(hours=1), "Alex", "cooked dinner")
    home.later(days=5)
    writes = store.writes
    said = home.intent("TrustBalanceIntent")
    assert store.writes == writes
    # Alex noticed three kind moments from Sam this week, like "asked about my day".
    assert said.says("Alex", "3 kind moments from Sam", '"asked about my day"')
    # Sam noticed one from Alex, and named one harder moment.
    assert said.says("Sam", "Alex", '"cooked dinner"', "harder moment")
    assert "an old kindness" not in said.text and "brushed off" not in said.text
    assert said.matches("kind moments outnumber|deposits are leading")


def test_balance_mid_entry_is_an_aside_then_back_to_the_question(
    home: Clocked, store: MemoryStore
) -> None:
    home.intent("TrustDepositIntent", partner="Sam")
    writes = store.writes
    said = home.intent("TrustBalanceIntent")
    assert store.writes == writes
    assert said.matches("quiet this week|nothing in the trust bank") and said.says("Alex, ")
    said = home.intent("NoteTextIntent", note="held my hand")
    assert said.ended and said.says("held my hand")


def test_happy_path_on_the_sqlite_store(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    home = set_up(make_skill(store, test_settings(tmp_path)))
    home.intent("TrustDepositIntent")
    home.intent("NameIntent", name="Sam")
    said = home.intent("NoteTextIntent", note="walked the dog for me")
    assert said.ended
    assert profile_of(store, home).recent_trust[0].note == "walked the dog for me"
    said = home.later(days=1).intent("TrustBalanceIntent")
    assert said.says("Sam", '"walked the dog for me"')


# -- the weekly review --------------------------------------------------------------------


def test_review_is_not_brought_up_before_a_week(home: Clocked) -> None:
    # Set up on a Monday: not on Sunday, even late; from the next Monday on, it is due.
    said = home.later(days=6, hours=4).launch()
    assert "review" not in said.text and said.says("silent sync")
    home.intent("AMAZON.StopIntent")
    assert home.later(hours=9).launch().says("review")


def test_due_review_at_launch_each_names_a_deposit_then_a_summary_and_card(
    home: Clocked, store: MemoryStore
) -> None:
    # A: Welcome back. It's been a week. Would you like your trust review now?
    said = home.later(days=7, hours=1).launch()
    assert said.says("review") and said.listening
    assert said.reprompt and said.reprompt not in said.text
    # U: yes -> A: Alex, what's one kind thing you saw Sam do this week?
    said = home.intent("AMAZON.YesIntent")
    assert said.says("Alex", "Sam") and said.listening
    said = home.intent("NoteTextIntent", note="cooked when I was late")
    assert said.says("Sam", "Alex") and said.listening
    said = home.intent("NoteTextIntent", note="fixed my bike")
    assert said.ended
    assert said.says('"cooked when I was late"', '"fixed my bike"')
    assert said.card is not None
    assert said.card["title"] == "Your weekly trust review"
    assert said.card["content"] == "Alex: cooked when I was late\nSam: fixed my bike"
    profile = profile_of(store, home)
    assert profile.last_review_at is not None
    assert [(e.kind, e.giver, e.receiver) for e in profile.recent_trust] == [
        ("deposit", 1, 0),
        ("deposit", 0, 1),
    ]
    couple = couple_key(SECRET, home.user_id)
    assert len(store.events(couple, EventKind.REVIEW)) == 1
    # Done: not brought up again until a week after this review.
    assert "review" not in home.later(days=6).launch().text
    assert home.later(days=2).launch().says("review")


def test_no_postpones_the_review_until_next_session(home: Clocked, store: MemoryStore) -> None:
    home.later(days=8).launch()
    writes = store.writes
    said = home.intent("AMAZON.NoIntent")
    assert said.listening and said.says("silent sync")
    assert store.writes == writes
    home.intent("AMAZON.StopIntent")
    assert home.later(minutes=5).launch().says("review")


def test_review_is_due_a_week_after_the_earliest_known_moment() -> None:
    def at(moment: datetime) -> LocalClock:
        return LocalClock(INDIA, moment)

    entry = TrustEntry(
        at=iso(T0 + timedelta(days=2)), kind="deposit", giver=0, receiver=1, note="x"
    )
    couple = Profile(partners=[Partner("Alex"), Partner("Sam")], recent_trust=[entry])
    # Kept before set-up times were: counted from the first trust entry.
    assert not review_due(couple, at(T0 + timedelta(days=8)))
    assert review_due(couple, at(T0 + timedelta(days=9)))
    couple.created_at = iso(T0)
    assert review_due(couple, at(T0 + timedelta(days=7)))
    couple.last_review_at = iso(T0 + timedelta(days=7))
    assert not review_due(couple, at(T0 + timedelta(days=13)))
    assert review_due(couple, at(T0 + timedelta(days=14)))
    assert not review_due(Profile(), at(T0))
    # On the couple's calendar: set up at T0, Monday 19:00 UTC, already Tuesday 00:30 in
    # India; the review is due from the next Tuesday's first minute there.
    fresh = Profile(partners=[Partner("Alex"), Partner("Sam")], created_at=iso(T0))
    tuesday = datetime.combine(T0.date() + timedelta(days=8), time(0, 0), tzinfo=INDIA)
    assert review_due(fresh, at(tuesday.astimezone(UTC)))
    assert not review_due(fresh, at((tuesday - timedelta(minutes=1)).astimezone(UTC)))


def test_stopping_mid_review_keeps_the_first_deposit_and_the_review_stays_due(
    home: Clocked, store: MemoryStore
) -> None:
    home.later(days=8).launch()
    home.intent("AMAZON.YesIntent")
    home.intent("NoteTextIntent", note="made me laugh")
    said = home.intent("AMAZON.StopIntent")
    assert said.ended and said.says("Alex", "next time")
    profile = profile_of(store, home)
    assert [e.note for e in profile.recent_trust] == ["made me laugh"]
    assert profile.last_review_at is None
    assert home.later(minutes=1).launch().says("review")


def test_review_on_request_with_help_silence_and_a_small_nudge(
    home: Clocked, store: MemoryStore
) -> None:
    said = home.intent("TrustReviewIntent")
    assert said.says("Alex") and said.reprompt != said.text
    said = home.intent("AMAZON.HelpIntent")
    assert said.says("once a week") and said.says("Alex")
    said = home.intent("AMAZON.NoIntent")
    assert said.matches("think small|doesn't have to be big") and said.says("Alex")
    said = home.intent("NameIntent", name="Sam")
    assert said.listening and said.says("Alex")
    home.silence()
    assert profile_of(store, home).recent_trust == []


def test_in_the_review_a_recognised_voice_answers_as_itself(
    home: Clocked, store: MemoryStore
) -> None:
    link_voices(store, home)
    # U: let's do our trust review  -> A: Alex, what's one kind thing you saw Sam do?
    said = home.intent("TrustReviewIntent")
    assert said.says("Alex,")
    # Sam's voice answers Alex's question: kept as Sam's (Sam noticed, Alex acted).
    home.person_id = SAM_VOICE
    said = home.intent("NoteTextIntent", note="rubbed my shoulders")
    assert said.listening and said.says("Sam") and said.says("Alex,")
    assert [(e.giver, e.receiver) for e in profile_of(store, home).recent_trust] == [(0, 1)]
    # Then Alex, in Alex's voice.
    home.person_id = ALEX_VOICE
    said = home.intent("NoteTextIntent", note="booked the babysitter")
    assert said.ended
    assert said.card is not None
    assert said.card["content"] == "Alex: booked the babysitter\nSam: rubbed my shoulders"
    kept = [(e.note, e.giver, e.receiver) for e in profile_of(store, home).recent_trust]
    assert kept == [("rubbed my shoulders", 0, 1), ("booked the babysitter", 1, 0)]
