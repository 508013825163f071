"""Answers that do not fit the question asked, as couples give them: who goes first
instead of a feeling, a need where the feeling was asked, a feeling said again
better, one need for both, a yes or no with more after it, the next step instead of
"yes". Each is checked on what is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.domain.spoken_answer import for_both, is_done, who_goes_first
from skill.store.memory import MemoryStore
from tests.dialog.harness import Clocked, make_skill, profile_of, set_up, test_settings


@pytest.fixture
def home(tmp_path: Path) -> tuple[Clocked, MemoryStore]:
    store = MemoryStore()
    return set_up(make_skill(store, test_settings(tmp_path))), store


def check_ins(store: MemoryStore, conv: Clocked) -> set[tuple[int, str, str]]:
    return {(r.partner, r.feeling, r.need) for r in profile_of(store, conv).recent_check_ins}


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("sam first", "sam"),
        ("um, let Sam go first", "Sam"),
        ("sam can start", "sam"),
        ("sam goes first please", "sam"),
        ("first", None),
        ("tired first thing", None),
        ("a hug", None),
    ],
)
def test_who_goes_first_is_read_from_the_words(said: str, name: str | None) -> None:
    assert who_goes_first(said) == name


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("both of us need a quiet night", ("a quiet night", True)),
        ("honestly we both could use a nap", ("a nap", True)),
        ("a slow morning for the two of us", ("a slow morning", True)),
        ("we need to talk", ("to talk", True)),
        # "for us" is part of what they need, not who needs it.
        ("quiet time for us", ("quiet time for us", False)),
        ("a hug", ("a hug", False)),
    ],
)
def test_a_need_for_both_is_read_from_the_words(said: str, kept: tuple[str, bool]) -> None:
    assert for_both(said) == kept


def test_sam_first_lets_sam_start_the_check_in(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    said = conv.say("let's do a check in")
    assert said.says("Alex")
    said = conv.say("sam first")
    # A: Of course, Sam first. Sam, ... how are you feeling?
    assert said.listening and said.says("Sam") and not said.says("Alex")
    conv.say("restless")
    said = conv.say("encouragement")
    assert said.says("Alex")
    conv.say("hopeful")
    said = conv.say("quiet time after work")
    assert said.ended
    assert check_ins(store, conv) == {
        (1, "restless", "encouragement"),
        (0, "hopeful", "quiet time after work"),
    }
    # The reflections follow the order they went in: Sam's first.
    assert said.text.index("Sam") < said.text.index("Alex")


def test_a_need_said_where_the_feeling_was_asked_is_kept_as_the_need(
    home: tuple[Clocked, MemoryStore],
) -> None:
    conv, store = home
    conv.say("let's do a check in")
    said = conv.say("honestly just a hug")
    # A: Noted, as what you need. Alex, ... how are you feeling?
    assert said.listening and said.says("Alex") and said.says("feel")
    said = conv.say("worn out")
    # Alex's need is known already: Sam is asked next.
    assert said.says("Sam")
    conv.say("calm")
    said = conv.say("some quiet")
    assert said.ended
    assert check_ins(store, conv) == {(0, "worn out", "a hug"), (1, "calm", "some quiet")}


def test_a_feeling_said_again_where_the_need_was_asked_replaces_the_first(
    home: tuple[Clocked, MemoryStore],
) -> None:
    conv, store = home
    conv.say("let's do a check in")
    conv.say("tired")
    # A: And what do you need today, Alex?
    said = conv.say("okay, more like restless")
    # Still Alex's need that is asked for.
    assert said.listening and said.says("Alex")
    conv.say("a walk")
    conv.say("calm")
    said = conv.say("sleep")
    assert said.ended
    assert check_ins(store, conv) == {(0, "restless", "a walk"), (1, "calm", "sleep")}


def test_one_need_for_both_of_them_is_kept_for_each(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    conv.say("let's do a check in")
    conv.say("tired")
    said = conv.say("both of us need a quiet night")
    assert said.says("Sam")
    said = conv.say("drained")
    # Sam's need was said for them both: the check-in is complete.
    assert said.ended
    assert check_ins(store, conv) == {
        (0, "tired", "a quiet night"),
        (1, "drained", "a quiet night"),
    }


def test_a_need_for_both_does_not_replace_one_already_said(
    home: tuple[Clocked, MemoryStore],
) -> None:
    conv, store = home
    conv.say("let's do a check in")
    conv.say("sam first")
    conv.say("anxious")
    conv.say("reassurance")
    conv.say("calm")
    said = conv.say("we both need an early night")
    assert said.ended
    assert check_ins(store, conv) == {(1, "anxious", "reassurance"), (0, "calm", "an early night")}


def test_their_own_need_replaces_one_said_for_both(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    conv.say("let's do a check in")
    conv.say("ha okay kind of hopeful")
    said = conv.say("both of us need a quiet night")
    assert said.says("Sam")
    # Sam answers the feeling question with a need of their own.
    said = conv.say("honestly just a hug")
    assert said.listening and said.says("feel")
    said = conv.say("tired i guess")
    assert said.ended
    assert check_ins(store, conv) == {(0, "hopeful", "a quiet night"), (1, "tired", "a hug")}


def test_no_with_more_after_it_ends_the_sync(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    said = conv.say("can we do seven slow breaths together")
    assert said.listening
    said = conv.say("no that was nice, thanks")
    assert said.ended
    # "slow breaths" chose the slower pace, and it is kept for next time.
    assert profile_of(store, conv).pace == "slower"


def test_yeah_no_is_not_taken_for_a_yes(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    conv.say("let's pick a repair word")
    conv.say("penguin")
    said = conv.say("yeah no, not that one")
    assert said.listening
    assert profile_of(store, conv).repair_word in ("", None)


def test_the_next_step_can_answer_is_there_another(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    conv.say("we keep arguing about money for the holidays")
    conv.say("feeling respected")
    conv.say("security i guess")
    said = conv.say("set a budget together")
    # A: Noted: set a budget together. Any other step?
    assert said.listening
    said = conv.say("um maybe agree on a limit per person")
    assert said.listening
    said = conv.say("no")
    [issue] = profile_of(store, conv).issues
    assert issue.steps == ["set a budget together", "agree on a limit per person"]
    assert issue.feelings == ["respected", "security"]


def test_an_issue_heard_as_a_couple_says_it(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    conv.say("we keep fighting about whose turn it is to cook")
    said = conv.say("um i guess feeling appreciated")
    # Read back as "feeling appreciated", never "to feel feeling appreciated".
    assert said.says("appreciated") and not said.says("feel feeling")
    conv.say("for me its fairness")
    conv.say("maybe we take turns every other night")
    said = conv.say("yeah and we could order in on fridays")
    assert said.listening
    said = conv.say("nope thats it")
    assert said.ended
    [issue] = profile_of(store, conv).issues
    assert issue.feelings == ["appreciated", "fairness"]
    assert issue.steps == ["we take turns every other night", "we could order in on fridays"]


@pytest.mark.parametrize(
    ("said", "done"),
    [
        ("nope thats it", True),
        ("no, that's all, thanks", True),
        ("i think that's it", True),
        ("nothing else", True),
        ("no more arguing about chores", False),
        ("nobody cooks on sundays", False),
    ],
)
def test_nothing_more_is_told_from_a_step(said: str, done: bool) -> None:
    assert is_done(said) is done


def test_a_name_is_never_kept_as_a_feeling(home: tuple[Clocked, MemoryStore]) -> None:
    conv, store = home
    conv.say("let's do a check in")
    # Only a name, before anyone has answered: that partner starts.
    said = conv.say("sam")
    assert said.says("Sam") and said.listening
    conv.say("calm")
    conv.say("a walk")
    said = conv.say("alex")
    # Alex is asked for a feeling and says only their name: asked again.
    assert said.listening and said.says("Alex")
    conv.say("hopeful")
    said = conv.say("sleep")
    assert said.ended
    assert check_ins(store, conv) == {(1, "calm", "a walk"), (0, "hopeful", "sleep")}


def test_the_pause_keeps_a_name_out_of_the_feeling_and_about_out_of_the_topic(
    home: tuple[Clocked, MemoryStore],
) -> None:
    conv, _store = home
    conv.say("things got tense, we need to pause")
    said = conv.say("alex")
    # The feeling is still what is asked for.
    assert said.listening
    assert [d.get("slotToElicit") for d in said.directives] == ["feeling"]
    conv.say("frustrated")
    said = conv.say("about dinner")
    assert said.says("frustrated you feel about dinner")
    assert not said.says("about about") and not said.says("how alex")


def test_a_new_pace_for_another_round_is_said_back_and_kept(
    home: tuple[Clocked, MemoryStore],
) -> None:
    conv, store = home
    conv.say("can we do some breathing")
    said = conv.intent("PaceIntent", pace="slower")
    assert said.matches("[Ss]lower") and said.listening
    assert profile_of(store, conv).pace == "slower"
    # The same pace again is not announced as a change.
    said = conv.intent("PaceIntent", pace="slower")
    assert not said.matches("[Ss]lower, then|slower this time")
