"""Voices in the check-in: a recognised voice answers as itself. When the partner
asked is not the one speaking, the answer is kept as the speaker's and the partner
asked is asked next; no recognised answer is ever credited to the other partner."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.store.memory import MemoryStore
from tests.dialog.harness import (
    ALEX_VOICE,
    SAM_VOICE,
    Clocked,
    link_voices,
    make_skill,
    profile_of,
    set_up,
    test_settings,
)

VOICES = {"Alex": ALEX_VOICE, "Sam": SAM_VOICE, None: None}
NAMES = ("Alex", "Sam")


def household(tmp_path: Path) -> tuple[Clocked, MemoryStore]:
    store = MemoryStore()
    home = set_up(make_skill(store, test_settings(tmp_path)))
    link_voices(store, home)
    return home, store


def test_sams_voice_answering_alexs_question_is_kept_as_sams(tmp_path: Path) -> None:
    home, store = household(tmp_path)
    # U: let's check in   -> A: Alex, in a word or two, how are you feeling?
    said = home.intent("CheckInIntent")
    assert said.says("Alex,")
    # Sam's voice: "hopeful"  -> A: That's yours, Sam. ... Alex, how are you feeling?
    home.person_id = SAM_VOICE
    said = home.intent("FeelingIntent", feeling="hopeful")
    assert said.says("Sam") and said.matches(r"Alex, .*feel")
    # Alex's voice: "tired" -> A: ... what do you need, Alex?
    home.person_id = ALEX_VOICE
    said = home.intent("FeelingIntent", feeling="tired")
    assert said.matches(r"need.*Alex|Alex.*help")
    said = home.intent("NeedIntent", need="an early night")
    # Sam has a feeling already: Sam's need is next.
    assert said.matches(r"need.*Sam|Sam.*help")
    home.person_id = SAM_VOICE
    said = home.intent("NeedIntent", need="a walk")
    assert said.ended and said.says("Alex", "tired", "an early night", "Sam", "hopeful", "a walk")
    kept = {(r.partner, r.feeling, r.need) for r in profile_of(store, home).recent_check_ins}
    assert kept == {(0, "tired", "an early night"), (1, "hopeful", "a walk")}


def test_a_voice_that_has_answered_does_not_answer_for_the_other(tmp_path: Path) -> None:
    home, store = household(tmp_path)
    home.person_id = ALEX_VOICE
    home.intent("CheckInIntent")
    home.intent("FeelingIntent", feeling="calm")
    home.intent("NeedIntent", need="quiet")
    # A: Sam, how are you feeling?   Alex's voice answers again: not taken as Sam's.
    said = home.intent("FeelingIntent", feeling="restless")
    assert said.listening and said.says("Alex") and said.matches(r"Sam, .*feel")
    home.person_id = SAM_VOICE
    home.intent("FeelingIntent", feeling="content")
    said = home.intent("NeedIntent", need="a hug")
    assert said.ended
    kept = {(r.partner, r.feeling, r.need) for r in profile_of(store, home).recent_check_ins}
    assert kept == {(0, "calm", "quiet"), (1, "content", "a hug")}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(speakers=st.lists(st.sampled_from(["Alex", "Sam", None]), min_size=4, max_size=12))
def test_no_recognised_answer_is_ever_credited_to_the_other_partner(
    tmp_path: Path, speakers: list[str | None]
) -> None:
    home, store = household(tmp_path)
    home.person_id = None
    said = home.intent("CheckInIntent")
    said_by: dict[str, str | None] = {}
    for number, speaker in enumerate(speakers):
        if said.ended:
            break
        home.person_id = VOICES[speaker]
        value = f"word{number}"
        if home.eliciting == ("NeedIntent", "need"):
            said = home.intent("NeedIntent", need=value)
        else:
            said = home.intent("FeelingIntent", feeling=value)
        said_by[value] = speaker
    if not said.ended:
        home.intent("AMAZON.StopIntent")
    for record in profile_of(store, home).recent_check_ins:
        owner = NAMES[record.partner]
        for value in (record.feeling, record.need):
            speaker = said_by.get(value)
            assert speaker in (None, owner), (value, speaker, owner, home.transcript)
