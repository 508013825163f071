"""The repair ritual as conversations: choosing a word together (both agree),
changing it, saying it (chime, one breath, an invitation, one offer), and the
word taught to recognition at the start of every session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from skill.chat.nlu import SlotValue
from skill.domain.couple import Profile
from skill.domain.events import EventKind
from skill.practices.registry import practices
from skill.practices.repair_word_heard import MAX_REPAIR_WORD, REPAIR_WORD_ENTITY_ID, sounds_like
from skill.privacy import couple_key
from skill.session import Flow
from skill.store.base import CoupleStore
from skill.store.memory import MemoryStore
from skill.store.sqlite import SqliteStore
from tests.dialog.harness import (
    Conversation,
    Said,
    make_skill,
    set_up,
    set_up_couple,
    test_settings,
)

COUPLE_ID = couple_key(b"test-secret", Conversation.user_id)
SOUNDBANK_CHIME = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"


def profile_of(store: CoupleStore) -> Profile:
    stored = store.load(COUPLE_ID)
    assert stored is not None
    return stored.profile


def dynamic_entities(said: Said) -> list[dict[str, Any]]:
    return [d for d in said.directives if d.get("type") == "Dialog.UpdateDynamicEntities"]


def choose_word(couple: Conversation, word: str) -> Said:
    """Both partners agree on `word` (speaker unknown: each is asked in turn)."""
    couple.intent("SetRepairWordIntent")
    couple.intent("RepairPhraseIntent", phrase=word)
    couple.intent("AMAZON.YesIntent")
    said = couple.intent("AMAZON.YesIntent")
    assert said.matches("repair word is|is your repair word") and said.says(word)
    couple.intent("AMAZON.NoIntent")  # not trying it now: the session ends
    return said


# -- choosing the word ----------------------------------------------------------------


def run_choosing_pineapple(couple: Conversation, store: CoupleStore) -> None:
    # U: let's choose a repair word
    said = couple.intent("SetRepairWordIntent")
    # A: A repair word is ... What would you like it to be?
    assert said.says("repair word") and said.listening
    assert said.reprompt and said.reprompt not in said.text
    # U: our word is pineapple
    said = couple.intent("RepairPhraseIntent", phrase="pineapple")
    # A: Alex, do you agree to use pineapple?
    assert said.matches(r"Alex, do you agree to use pineapple")
    assert store.load(COUPLE_ID) is None or profile_of(store).repair_word is None
    # U: yes
    said = couple.intent("AMAZON.YesIntent")
    # A: Sam, do you agree to use pineapple?
    assert said.matches(r"Sam, do you agree to use pineapple") and said.listening
    assert profile_of(store).repair_word is None  # not before both agree
    # U: yes
    said = couple.intent("AMAZON.YesIntent")
    # A: Done. pineapple is your repair word ... Would you like to try it once now?
    assert said.says("pineapple", "Alexa, tell Steady Together pineapple") and said.listening
    assert profile_of(store).repair_word == "pineapple"
    events = store.events(COUPLE_ID, EventKind.REPAIR_WORD)
    assert [e.data["word"] for e in events] == ["pineapple"]
    # The new word goes to recognition straight away.
    (directive,) = dynamic_entities(said)
    assert directive["updateBehavior"] == "REPLACE"
    (entity_type,) = directive["types"]
    assert entity_type["name"] == "RepairWordType"
    (value,) = entity_type["values"]
    assert value["id"] == REPAIR_WORD_ENTITY_ID and value["name"]["value"] == "pineapple"
    # U: no thanks
    said = couple.intent("AMAZON.NoIntent")
    assert said.ended and said.says("pineapple")


def test_choosing_a_word_needs_both_partners_then_it_is_saved(
    couple: Conversation, store: MemoryStore
) -> None:
    run_choosing_pineapple(couple, store)


def test_choosing_a_word_on_the_local_sqlite_store(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    couple = set_up_couple(Conversation(make_skill(store, test_settings(tmp_path))))
    run_choosing_pineapple(couple, store)


def test_a_known_speaker_proposes_and_only_the_other_partner_is_asked(
    couple: Conversation, store: MemoryStore
) -> None:
    couple.launch()
    couple.attributes["steady"]["speaker"] = 0  # Alex is speaking (voice recognised)
    couple.intent("SetRepairWordIntent")
    # U (Alex): our word is pineapple
    said = couple.intent("RepairPhraseIntent", phrase="pineapple")
    # A: Sam, do you agree to use pineapple?
    assert said.matches(r"^(okay|got it)\. Sam, do you agree to use pineapple")
    said = couple.intent("AMAZON.YesIntent")
    assert profile_of(store).repair_word == "pineapple" and said.listening


def test_a_no_asks_for_another_word_and_a_new_proposal_starts_over(
    couple: Conversation, store: MemoryStore
) -> None:
    couple.intent("SetRepairWordIntent")
    couple.intent("RepairPhraseIntent", phrase="pineapple")
    couple.intent("AMAZON.YesIntent")
    # U (Sam): no
    said = couple.intent("AMAZON.NoIntent")
    # A: That's okay, Sam ... What would you suggest instead? Or say stop ...
    assert said.says("Sam") and said.matches("instead|another") and said.says("stop")
    # A bare word, heard as the one-word intent, is a proposal too.
    said = couple.intent("SayRepairWordIntent", repair_word="sunflower")
    assert said.matches("Alex, do you agree to use sunflower")
    couple.intent("AMAZON.YesIntent")
    couple.intent("AMAZON.YesIntent")
    assert profile_of(store).repair_word == "sunflower"


def test_a_no_then_leaving_keeps_nothing(couple: Conversation, store: MemoryStore) -> None:
    couple.intent("SetRepairWordIntent")
    couple.intent("RepairPhraseIntent", phrase="pineapple")
    couple.intent("AMAZON.NoIntent")
    # U: no (no other word for now)
    said = couple.intent("AMAZON.NoIntent")
    assert said.ended and said.matches("no repair word for now|come back")
    assert profile_of(store).repair_word is None
    assert profile_of(store).repair_proposal is None


def test_changing_the_word_says_the_current_one_and_needs_both_again(
    couple: Conversation, store: MemoryStore
) -> None:
    choose_word(couple, "pineapple")
    said = couple.intent("SetRepairWordIntent")
    assert said.says("pineapple") and said.listening
    said = couple.intent("RepairPhraseIntent", phrase="olive branch")
    assert said.says("Alex", "olive branch")
    couple.intent("AMAZON.YesIntent")
    assert profile_of(store).repair_word == "pineapple"
    couple.intent("AMAZON.YesIntent")
    assert profile_of(store).repair_word == "olive branch"
    kept = sorted(
        (e.data["word"], e.data["changed"]) for e in store.events(COUPLE_ID, EventKind.REPAIR_WORD)
    )
    assert kept == [("olive branch", 1), ("pineapple", 0)]


def test_proposing_the_current_word_changes_nothing(
    couple: Conversation, store: MemoryStore
) -> None:
    choose_word(couple, "pineapple")
    couple.intent("SetRepairWordIntent")
    said = couple.intent("RepairPhraseIntent", phrase="Pineapple!")
    assert said.says("already", "pineapple") and said.ended
    assert len(store.events(COUPLE_ID, EventKind.REPAIR_WORD)) == 1


def test_trying_the_new_word_right_away_runs_the_ritual(
    couple: Conversation, store: MemoryStore
) -> None:
    couple.intent("SetRepairWordIntent")
    couple.intent("RepairPhraseIntent", phrase="kumquat")
    couple.intent("AMAZON.YesIntent")
    said = couple.intent("AMAZON.YesIntent")
    assert said.says("try")
    # U: yes  -> A: go ahead, say it
    said = couple.intent("AMAZON.YesIntent")
    assert said.matches("say it|say your word") and said.listening
    # U: kumquat (resolved through the dynamic entity just sent)
    word = SlotValue.match("kumquat", "RepairWordType", REPAIR_WORD_ENTITY_ID, dynamic=True)
    said = couple.intent("SayRepairWordIntent", repair_word=word)
    assert SOUNDBANK_CHIME in said.ssml and said.says("Breathe in")
    assert len(store.events(COUPLE_ID, EventKind.REPAIR)) == 1
    # The ritual ran on its own: nothing is left paused to come back to.
    said = couple.intent("AMAZON.NoIntent")
    assert said.ended


# -- saying the word --------------------------------------------------------------------


def test_saying_the_word_runs_the_reconnection_and_logs_it(
    couple: Conversation, store: MemoryStore
) -> None:
    choose_word(couple, "pineapple")
    # U: Alexa, tell Steady Together pineapple  (a new session)
    said = couple.intent("SayRepairWordIntent", repair_word="pineapple")
    # A: <chime> Let's stop ... One breath together. Breathe in ... And out ... ?
    assert SOUNDBANK_CHIME in said.ssml
    assert said.ssml.index(SOUNDBANK_CHIME) < said.ssml.index("Breathe in")
    assert '<break time="3300ms"/>' in said.ssml  # about 4 s in, less the spoken cue
    assert '<break time="5300ms"/>' in said.ssml  # about 6 s out
    assert '<prosody rate="slow">' in said.ssml
    assert said.matches("blame|who was right|pointing")
    assert said.listening and said.text.count("?") == 1
    assert said.reprompt and said.reprompt not in said.text
    assert profile_of(store).repair_count > 0
    (event,) = store.events(COUPLE_ID, EventKind.REPAIR)
    assert event.data == {"heard": "word"}
    # U: yes  -> A: a guided pause, or the issue together?
    said = couple.intent("AMAZON.YesIntent")
    assert said.says("guided pause", "issue together") and said.listening
    # U: a guided pause
    said = couple.intent("PauseAttendReflectIntent")
    assert said.says("what feeling did you notice") or said.says("how does")
    # Finishing the pause does not offer to go back to the repair.
    couple.intent("FeelingIntent", feeling="hurt")
    couple.intent("TopicIntent", topic="the dishes")
    said = couple.intent("AMAZON.NoIntent")
    assert said.ended and not said.says("go back")


def test_the_word_is_matched_through_the_dynamic_entity_or_case_insensitively(
    couple: Conversation, store: MemoryStore
) -> None:
    choose_word(couple, "Kumquat Moon")
    heard = SlotValue.match(
        "come what moon", "RepairWordType", REPAIR_WORD_ENTITY_ID, "Kumquat Moon", dynamic=True
    )
    said = couple.intent("SayRepairWordIntent", repair_word=heard)
    assert said.says("Breathe in")
    couple.intent("AMAZON.NoIntent")
    # An unknown value with no resolution, but the same word in other letters.
    said = couple.intent("SayRepairWordIntent", repair_word="KUMQUAT moon")
    assert said.says("Breathe in")
    ways = sorted(str(e.data["heard"]) for e in store.events(COUPLE_ID, EventKind.REPAIR))
    assert ways == ["entity", "word"]


def test_each_repair_counts_once(couple: Conversation, store: MemoryStore) -> None:
    choose_word(couple, "pineapple")
    couple.intent("SayRepairWordIntent", repair_word="pineapple")
    assert profile_of(store).repair_count == 1
    couple.intent("AMAZON.NoIntent")
    couple.intent("SayRepairWordIntent", repair_word="pineapple")
    assert profile_of(store).repair_count == 2


def test_no_after_the_ritual_closes_kindly(couple: Conversation) -> None:
    choose_word(couple, "pineapple")
    couple.intent("SayRepairWordIntent", repair_word="pineapple")
    said = couple.intent("AMAZON.NoIntent")
    assert said.ended and said.matches("gentle|close|together")


def test_us_versus_the_issue_can_follow_the_ritual(couple: Conversation) -> None:
    choose_word(couple, "pineapple")
    couple.intent("SayRepairWordIntent", repair_word="pineapple")
    said = couple.intent("UsVsIssueIntent")
    assert said.listening
    state = couple.attributes["steady"]
    if Flow.US_VS_ISSUE in practices():
        assert state["current"]["flow"] == "us_vs_issue"
        assert state["paused"] is None  # the repair is done, not waiting to resume
    else:  # not installed in this build: the offer is asked again, kindly
        assert state["current"]["flow"] == "repair" and said.matches("keep going")


def test_a_word_that_does_not_match_is_said_gently_with_an_offer_to_set_one(
    couple: Conversation, store: MemoryStore
) -> None:
    choose_word(couple, "pineapple")
    said = couple.intent("SayRepairWordIntent", repair_word="banana")
    assert said.matches("doesn't sound like|don't think that's") and said.listening
    assert not said.says("pineapple")
    # U: yes  -> choosing a new one, hearing the current one
    said = couple.intent("AMAZON.YesIntent")
    assert said.says("pineapple") and said.matches("choose|change")
    assert profile_of(store).repair_count == 0


def test_without_a_word_saying_one_offers_to_choose_one(couple: Conversation) -> None:
    said = couple.intent("SayRepairWordIntent", repair_word="pineapple")
    assert said.matches("haven't chosen|no repair word") and said.listening
    said = couple.intent("AMAZON.NoIntent")
    assert said.ended


def test_asking_for_a_repair_runs_it_with_the_word_they_chose(couple: Conversation) -> None:
    choose_word(couple, "pineapple")
    # U: we need a repair  (no word said: SayRepairWordIntent without its slot)
    said = couple.intent("SayRepairWordIntent")
    assert said.listening and said.matches(r"breath")
    assert not said.matches("doesn't sound like|don't think that's")


def test_the_word_said_where_a_feeling_was_asked_is_the_repair(couple: Conversation) -> None:
    choose_word(couple, "pineapple")
    couple.launch()
    couple.intent("CheckInIntent")
    # U: pineapple  (heard as the feeling asked for)
    said = couple.intent("FeelingIntent", feeling="Pineapple")
    assert said.listening and said.matches(r"breath")


def test_without_a_word_asking_for_a_repair_offers_to_choose_one(couple: Conversation) -> None:
    said = couple.intent("SayRepairWordIntent")
    assert said.listening and said.matches(r"choose|pick|set")


# -- the word taught to recognition --------------------------------------------------------


def test_a_new_session_with_a_word_gets_exactly_one_dynamic_entities_directive(
    couple: Conversation,
) -> None:
    choose_word(couple, "pineapple")
    said = couple.launch()
    (directive,) = dynamic_entities(said)
    assert directive["types"][0]["values"][0]["name"]["value"] == "pineapple"
    # Later turns of the same session do not send it again.
    said = couple.intent("AMAZON.HelpIntent")
    assert dynamic_entities(said) == []
    couple.intent("AMAZON.StopIntent")
    # A session opened by an intent (a one-shot) gets it too.
    said = couple.intent("SayRepairWordIntent", repair_word="pineapple")
    assert len(dynamic_entities(said)) == 1


def test_a_new_session_without_a_word_gets_none(couple: Conversation) -> None:
    said = couple.launch()
    assert said.listening and dynamic_entities(said) == []
    couple.intent("AMAZON.StopIntent")
    said = couple.intent("AMAZON.HelpIntent")
    assert dynamic_entities(said) == []


def test_hosted_chime_when_audio_hosting_is_configured(tmp_path: Path) -> None:
    store = MemoryStore()
    settings = test_settings(tmp_path, audio_base_url="https://cues.example.com/steady")
    couple = set_up_couple(Conversation(make_skill(store, settings)))
    choose_word(couple, "pineapple")
    said = couple.intent("SayRepairWordIntent", repair_word="pineapple")
    assert "https://cues.example.com/steady/" in said.ssml
    assert SOUNDBANK_CHIME not in said.ssml and said.says("Breathe in")


# -- around the flow: silence, stop, help, unexpected, resuming ------------------------------


def test_silence_while_waiting_for_agreement_keeps_the_suggestion(
    couple: Conversation, store: MemoryStore
) -> None:
    couple.intent("SetRepairWordIntent")
    said = couple.intent("RepairPhraseIntent", phrase="pineapple")
    assert said.reprompt != said.text and said.reprompt.startswith("Alex")
    couple.intent("AMAZON.YesIntent")  # Alex agrees
    couple.silence()
    proposal = profile_of(store).repair_proposal
    assert proposal is not None and proposal.word == "pineapple" and proposal.agreed == [0]
    assert profile_of(store).repair_word is None
    # Next time: the suggestion comes back, and only Sam is still asked.
    said = couple.intent("SetRepairWordIntent")
    assert said.says("pineapple") and said.matches("Sam, do you agree")
    said = couple.intent("AMAZON.YesIntent")
    assert profile_of(store).repair_word == "pineapple"
    assert profile_of(store).repair_proposal is None


def test_stop_while_waiting_for_agreement_says_what_is_kept(
    couple: Conversation, store: MemoryStore
) -> None:
    couple.intent("SetRepairWordIntent")
    couple.intent("RepairPhraseIntent", phrase="pineapple")
    said = couple.intent("AMAZON.StopIntent")
    assert said.ended and said.says("pineapple", "suggestion")
    assert profile_of(store).repair_word is None


def test_cancel_before_any_proposal_ends_kindly(couple: Conversation, store: MemoryStore) -> None:
    couple.intent("SetRepairWordIntent")
    said = couple.intent("AMAZON.CancelIntent")
    assert said.ended and said.text
    assert store.load(COUPLE_ID) is None or profile_of(store).repair_word is None


def test_stop_after_saving_says_the_word_is_kept(couple: Conversation) -> None:
    couple.intent("SetRepairWordIntent")
    couple.intent("RepairPhraseIntent", phrase="pineapple")
    couple.intent("AMAZON.YesIntent")
    couple.intent("AMAZON.YesIntent")
    said = couple.intent("AMAZON.StopIntent")
    assert said.ended and said.says("pineapple")


def test_help_at_each_step_then_back_to_the_step(couple: Conversation) -> None:
    couple.intent("SetRepairWordIntent")
    said = couple.intent("AMAZON.HelpIntent")
    assert said.matches("heated moment|gesture") and said.listening
    couple.intent("RepairPhraseIntent", phrase="pineapple")
    said = couple.intent("AMAZON.HelpIntent")
    assert said.says("both need to agree") and said.says("Alex, do you agree")
    said = couple.intent("AMAZON.YesIntent")
    assert said.says("Sam, do you agree")


def test_help_after_the_ritual_explains_the_two_ways_on(couple: Conversation) -> None:
    choose_word(couple, "pineapple")
    couple.intent("SayRepairWordIntent", repair_word="pineapple")
    said = couple.intent("AMAZON.HelpIntent")
    assert said.says("guided pause") and said.listening
    said = couple.intent("AMAZON.YesIntent")
    assert said.says("guided pause", "issue together")


def test_unexpected_answers_reask_then_offer_a_way_out(couple: Conversation) -> None:
    couple.intent("SetRepairWordIntent")
    couple.intent("RepairPhraseIntent", phrase="pineapple")
    first = couple.intent("AMAZON.FallbackIntent")
    assert first.listening and first.says("Alex, do you agree")
    second = couple.intent("NeedIntent", need="something else")
    assert second.listening and second.says("stop") and second.says("Alex")


def test_unexpected_answer_after_the_ritual(couple: Conversation) -> None:
    choose_word(couple, "pineapple")
    couple.intent("SayRepairWordIntent", repair_word="pineapple")
    said = couple.intent("AMAZON.FallbackIntent")
    assert said.listening and said.matches("keep going")


def test_missing_and_symbol_only_proposals_are_asked_again(couple: Conversation) -> None:
    couple.intent("SetRepairWordIntent")
    said = couple.intent("RepairPhraseIntent")
    assert said.listening and said.matches("word|gesture")
    said = couple.intent("RepairPhraseIntent", phrase="&&& ...")
    assert said.listening and said.says("stop")


def test_lets_continue_after_an_interruption(couple: Conversation) -> None:
    couple.intent("SetRepairWordIntent")
    couple.intent("RepairPhraseIntent", phrase="pineapple")
    said = couple.intent("SilentSyncIntent", breaths="3")
    assert said.says("breaths")
    said = couple.intent("AMAZON.NoIntent")  # no more rounds: offers to go back
    assert said.says("repair word") and said.listening
    said = couple.intent("ContinueIntent")
    assert said.says("Alex, do you agree to use pineapple")


# -- user text: escaped and capped -----------------------------------------------------------


def test_special_characters_are_escaped_and_kept_as_said(
    couple: Conversation, store: MemoryStore
) -> None:
    word = "rock & roll \"forever\" <3 'yes'"
    couple.intent("SetRepairWordIntent")
    said = couple.intent("RepairPhraseIntent", phrase=word)
    assert "&amp;" in said.ssml and "&lt;3" in said.ssml and "&quot;forever&quot;" in said.ssml
    couple.intent("AMAZON.YesIntent")
    said = couple.intent("AMAZON.YesIntent")
    assert profile_of(store).repair_word == word
    assert dynamic_entities(said)[0]["types"][0]["values"][0]["name"]["value"] == word
    couple.intent("AMAZON.NoIntent")
    said = couple.intent("SayRepairWordIntent", repair_word="Rock and roll forever 3 yes")
    assert said.says("doesn't sound like") or said.says("don't think")
    said = couple.intent("SayRepairWordIntent", repair_word="rock & roll forever <3 yes")
    assert said.says("Breathe in")


@pytest.mark.parametrize("length", [10_000])
def test_a_huge_phrase_is_capped(couple: Conversation, store: MemoryStore, length: int) -> None:
    huge = ("pine apple " * length)[:length]
    couple.intent("SetRepairWordIntent")
    said = couple.intent("RepairPhraseIntent", phrase=huge)
    assert said.listening and len(said.ssml) < 8000
    couple.intent("AMAZON.YesIntent")
    said = couple.intent("AMAZON.YesIntent")
    word = profile_of(store).repair_word
    assert word is not None and 0 < len(word) <= MAX_REPAIR_WORD
    assert len(said.ssml) < 8000
    value = dynamic_entities(said)[0]["types"][0]["values"][0]["name"]["value"]
    assert value == word


@pytest.mark.parametrize(
    ("heard", "saved", "theirs"),
    [
        ("pine apple", "pineapple", True),
        ("Pineapple!", "pineapple", True),
        ("pineapples", "pineapple", True),
        ("marshmellow", "marshmallow", True),
        ("marsh mallows", "marshmallow", True),
        ("bandana", "banana", False),  # short: one letter is another word
        ("pineapple juice", "pineapple", False),
        ("apple", "pineapple", False),
        ("", "pineapple", False),
    ],
)
def test_the_word_as_recognition_may_give_it(heard: str, saved: str, theirs: bool) -> None:
    assert sounds_like(heard, saved) is theirs


def test_a_whole_sentence_heard_as_a_repair_word_is_not_a_repair(tmp_path: Path) -> None:
    """The bare repair-word sample is the one catch-all; a sentence it caught is
    answered as something the skill can't do, not as a wrong repair word."""
    store = MemoryStore()
    conv = set_up(make_skill(store, test_settings(tmp_path)))
    said = conv.intent("SayRepairWordIntent", repair_word="order ten pizzas to the house right now")
    assert not said.matches(r"repair word|your word")
    assert profile_of(store).repair_word is None
    # So is a short request that missed, heard whole by the same sample on Alexa.
    for request in ("the silent sink thing please", "can we breathe", "call my sister"):
        said = conv.intent("SayRepairWordIntent", repair_word=request)
        assert said.listening and not said.matches(r"repair word|your word"), request
        assert said.matches(r"silent sync|check-in")
    assert profile_of(store).repair_word is None
    # A short unknown word is still answered as the repair it was meant to be.
    said = conv.intent("SayRepairWordIntent", repair_word="kiwi")
    assert said.matches(r"word")


def test_we_both_agree_is_both_partners_at_once(couple: Conversation, store: MemoryStore) -> None:
    couple.say("we want to pick a repair word")
    couple.say("marshmallow")
    # A: Alex, do you agree to use marshmallow as your repair word?
    said = couple.say("yes we both agree")
    assert said.says("marshmallow")
    assert profile_of(store).repair_word == "marshmallow"
    assert profile_of(store).repair_proposal is None


def test_their_word_said_alone_to_open_the_skill_starts_the_repair(tmp_path: Path) -> None:
    """ "Alexa, tell Steady Together marshmallow": a new session, no dynamic entities in
    force, the word heard through the bare sample as a phrase Alexa does not know."""
    store = MemoryStore()
    conv = set_up(make_skill(store, test_settings(tmp_path)))
    conv.say("let's set up a repair word")
    conv.say("how about marshmallow")
    conv.say("sure")
    conv.say("yes me too")
    conv.say("no thanks")
    assert profile_of(store).repair_word == "marshmallow"
    said = conv.say("marshmallow")
    assert said.says("Breathe in")
    assert profile_of(store).repair_count == 1
    # Inside a practice, a short phrase the bare sample caught is an answer that
    # missed, never an offer to choose a word.
    conv.say("let's do a check in")
    said = conv.say("blorf")
    assert said.listening and not said.matches("repair word|your word")
