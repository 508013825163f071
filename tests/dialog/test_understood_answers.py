"""Answers as people give them, heard through the interaction model and kept as they
meant them: checked on what is stored, not only on what is said back."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.domain.spoken_answer import asks_for_something, feeling_and_topic, without_hedges
from skill.store.memory import MemoryStore
from tests.dialog.harness import Clocked, make_skill, profile_of, set_up, test_settings


@pytest.fixture
def home(tmp_path: Path) -> tuple[Clocked, MemoryStore]:
    store = MemoryStore()
    return set_up(make_skill(store, test_settings(tmp_path))), store


def elicited(said_body: dict[str, object]) -> tuple[str, str] | None:
    response = said_body.get("response") or {}
    for directive in response.get("directives") or []:  # type: ignore[union-attr]
        if directive.get("type") == "Dialog.ElicitSlot":
            return directive["updatedIntent"]["name"], directive["slotToElicit"]
    return None


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("um i guess tired", "tired"),
        ("disappointed, i guess", "disappointed"),
        ("honestly just a hug", "a hug"),
        (
            "Um, made me lunch when I was slammed at work",
            "made me lunch when I was slammed at work",
        ),
        ("i think maybe anxious", "anxious"),
        ("kind of worn out really", "worn out"),
        ("maybe", "maybe"),  # nothing else to keep: kept as said
        ("well rested", "well rested"),
        ("um how about like, penguin", "penguin"),
        ("ha yeah okay, penguin", "penguin"),
        ("actually kind of lonely", "lonely"),
        # "like" before more than a word may be theirs: a song line.
        ("like a rolling stone", "like a rolling stone"),
        ("so much love", "so much love"),
    ],
)
def test_hedges_around_an_answer_are_not_kept(said: str, kept: str) -> None:
    assert without_hedges(said) == kept


@pytest.mark.parametrize(
    ("said", "asking"),
    [
        ("marshmallow", False),
        ("olive branch", False),
        ("here comes the sun", False),
        ("Time-out", False),
        ("the silent sink thing please", True),
        ("can we breathe", True),
        ("call my sister", True),
        ("what’s next", True),
    ],
)
def test_a_request_is_told_from_a_word_said_alone(said: str, asking: bool) -> None:
    assert asks_for_something(said) is asking


def test_a_feeling_said_with_what_it_is_about() -> None:
    assert feeling_and_topic("sad, about the weekend plans") == ("sad", "the weekend plans")
    assert feeling_and_topic("um frustrated about the move") == ("frustrated", "the move")
    assert feeling_and_topic("hurt") == ("hurt", None)
    # Too long to be a feeling word: left whole.
    long = "the way you talked to me at dinner about the move"
    assert feeling_and_topic(long) == (long, None)


def test_a_feeling_and_a_need_in_one_answer_are_both_kept(
    home: tuple[Clocked, MemoryStore],
) -> None:
    conv, store = home
    conv.say("let's do a check in")
    # A: Alex, ... how are you feeling?
    said = conv.say("i'm stressed and i need some help with dinner")
    # A: ... Sam, how are you feeling?  (Alex's need came with the feeling)
    assert said.listening and said.says("Sam")
    conv.say("um i guess calm")
    said = conv.say("honestly just a walk")
    assert said.ended
    kept = {(r.partner, r.feeling, r.need) for r in profile_of(store, conv).recent_check_ins}
    assert kept == {(0, "stressed", "some help with dinner"), (1, "calm", "a walk")}


def test_a_feeling_and_a_need_joined_by_and_maybe(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    conv.say("evening check in please")
    # A: Alex, ... how are you feeling?
    said = conv.say("grateful, and um maybe a cuddle")
    # A: Got it. Sam, what's one word for how you feel right now?
    assert said.listening and said.says("Sam")
    conv.say("lonely")
    said = conv.say("time together this weekend")
    assert said.ended
    kept = {(r.partner, r.feeling, r.need) for r in profile_of(store, conv).recent_check_ins}
    assert kept == {(0, "grateful", "a cuddle"), (1, "lonely", "time together this weekend")}


def test_a_repair_word_agreed_in_everyday_words(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    conv.say("we want to pick a repair word")
    said = conv.say("um how about like, penguin")
    # A: Got it. Alex, do you agree to use penguin as your repair word?
    assert said.says("penguin") and not said.says("like penguin")
    # "Sure, I agree" is a yes, not a new word; the word said back is a yes too.
    said = conv.say("sure, i agree")
    assert said.says("Sam")
    assert profile_of(store, conv).repair_word is None
    # U: Okay, penguin.  (the catch-all sample hears the word, with the hedge)
    conv.intent("SayRepairWordIntent", repair_word="okay penguin")
    assert profile_of(store, conv).repair_word == "penguin"


def test_me_too_agrees_for_the_second_partner(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    conv.say("we want to pick a repair word")
    conv.say("marshmallow")
    conv.say("yes i love that")
    said = conv.say("yep, me too")
    assert said.says("marshmallow")
    assert profile_of(store, conv).repair_word == "marshmallow"


def test_im_alex_after_the_welcome_is_a_name(tmp_path: Path) -> None:
    store = MemoryStore()
    conv = Clocked(make_skill(store, test_settings(tmp_path)))
    conv.launch()
    said = conv.say("i'm alex")
    assert said.says("Alex") and said.listening
    said = conv.say("and i'm sam")
    assert said.says("Alex", "Sam")
    said = conv.say("mm hmm")
    assert said.says("Alex", "Sam")
    assert [p.name for p in profile_of(store, conv).partners] == ["Alex", "Sam"]


def test_the_pause_asks_for_the_feeling_and_takes_its_topic_with_it(
    home: tuple[Clocked, MemoryStore],
) -> None:
    conv, _store = home
    said = conv.say("we need to pause")
    assert elicited(said.body) == ("FeelingIntent", "feeling")
    # U: sad, about the weekend plans  -> the reflection, with both
    said = conv.say("sad about the weekend plans")
    assert said.says("sad", "the weekend plans")


def test_the_issue_asks_for_each_answer_in_its_slot(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    said = conv.say("us versus the issue")
    assert elicited(said.body) == ("TopicIntent", "topic")
    said = conv.say("the dishes")
    assert elicited(said.body) == ("FeelingIntent", "feeling")
    conv.say("appreciated")
    conv.say("um fairness")
    said = conv.say("take turns each night")
    [issue] = profile_of(store, conv).issues
    assert issue.title == "the dishes"
    assert issue.steps == ["take turns each night"]
    assert said.listening


def test_an_issue_named_in_the_request_is_taken_at_once(
    home: tuple[Clocked, MemoryStore],
) -> None:
    conv, store = home
    said = conv.say("we keep arguing about money")
    assert said.says("Money") and elicited(said.body) == ("FeelingIntent", "feeling")
    [issue] = profile_of(store, conv).issues
    assert issue.title == "money"


def test_the_repair_word_is_asked_for_in_its_slot(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    said = conv.say("we want to pick a repair word")
    assert elicited(said.body) == ("RepairPhraseIntent", "phrase")
    said = conv.say("marshmallow")
    assert said.says("marshmallow")
    conv.say("yes i love that")
    conv.say("yes")
    assert profile_of(store, conv).repair_word == "marshmallow"


def test_for_alex_answering_who_leaves_the_note_means_it_is_from_sam(
    home: tuple[Clocked, MemoryStore],
) -> None:
    conv, store = home
    conv.say("i want to leave a thank you note")
    # A: Who's leaving the note, Alex or Sam?
    said = conv.say("for alex")
    # A: ... what would you like to thank Alex for?
    assert said.listening and said.says("Alex")
    said = conv.say("um remembering my dentist appointment")
    assert said.ended
    [note] = profile_of(store, conv).pending_notes
    assert (note.author, note.recipient, note.text) == (1, 0, "remembering my dentist appointment")


def test_not_sure_in_a_check_in_is_offered_words_to_choose_from(
    home: tuple[Clocked, MemoryStore],
) -> None:
    conv, store = home
    conv.say("let's do a check in")
    # U: i'm not sure   A: That's all right, Alex... closer to calm, tired, or scared?
    said = conv.say("i'm not sure")
    assert said.listening and said.matches(r"closer to|had to pick")
    conv.say("tired")
    conv.say("an early night")
    conv.say("i don't know")
    # Not sure a second time: that is Sam's answer, kept as said.
    conv.say("not sure")
    said = conv.say("a hug")
    assert said.ended
    kept = {(r.partner, r.feeling) for r in profile_of(store, conv).recent_check_ins}
    assert kept == {(0, "tired"), (1, "not sure")}


def test_i_need_you_to_is_read_back_with_names(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    conv.say("let's do a check in")
    conv.say("stressed")
    # U: i need you to call me at lunch   (Alex, to Sam)
    conv.say("i need you to call me at lunch")
    conv.say("calm")
    said = conv.say("i need you to tell me about your day on friday")
    # A: ... Alex needs Sam to call them at lunch. ... Sam needs Alex to tell them
    #    about Alex's day on Friday.
    assert said.ended
    assert said.matches(r"Sam to call (them|you) at lunch")
    assert said.matches(r"Alex to tell (them|you) about Alex's day on Friday")
    assert not said.matches(r"needs? you to")
    # Kept as said; only the reading back turns it.
    needs = {r.partner: r.need for r in profile_of(store, conv).recent_check_ins}
    assert needs[0] == "you to call me at lunch"
    said = conv.say("what did alex need today")
    assert said.says("Sam to call them at lunch")


def test_what_a_first_request_said_is_kept_through_set_up(tmp_path: Path) -> None:
    """'Leave a thank-you for Sam', asked before the skill knows them: once the names
    are set, the note is for Sam (so from Alex) without asking who again."""
    store = MemoryStore()
    conv = Clocked(make_skill(store, test_settings(tmp_path)))
    said = conv.say("leave a thank you for sam")
    assert said.listening
    conv.say("it's alex and sam")
    said = conv.say("yes")
    # A: Lovely to meet you... What would you like to thank Sam for?
    assert not said.matches(r"who is (this|it) from|who's leaving")
    said = conv.say("fixing my bike")
    notes = profile_of(store, conv).pending_notes
    assert [(n.author, n.recipient, n.text) for n in notes] == [(0, 1, "fixing my bike")]
