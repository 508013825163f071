"""Emotional autobiographies, as conversations: a prompt, a timed turn each in
chunks of quiet, a chime, listener guidance, the swap, and prompts not repeated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.domain.couple import Profile
from skill.domain.events import EventKind
from skill.practices.autobiography import (
    LISTEN_SECONDS,
    OUT_QUIET_SECONDS,
    TURN_END_SOUND,
    choose_prompt,
    prompt_library,
)
from skill.privacy import couple_key
from skill.speech.content import content_for
from skill.store.base import Commit, CoupleStore
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

AUDIO_BASE = "https://cdn.example.com/steady"


def profile_of(store: CoupleStore, conv: Conversation) -> Profile:
    stored = store.load(couple_key(b"test-secret", conv.user_id))
    assert stored is not None
    return stored.profile


def quiet_seconds(said: Said) -> float:
    return sum(int(ms) / 1000 for ms in re.findall(r'<break time="(\d+)ms"/>', said.ssml))


def set_up_open(conv: Conversation, first: str = "Alex", second: str = "Sam") -> None:
    set_up_couple(conv, first, second, end_session=False)


def prompts() -> list[str]:
    return [p.text for p in prompt_library(content_for("en-US"))]


def run_happy_path(conv: Conversation, store: CoupleStore) -> None:
    # U: let's do our emotional autobiographies
    said = conv.intent("AutobiographyIntent")
    # A: one prompt, a 3 minute turn each... Sam, just listen... The prompt is... Alex, say yes
    assert said.listening
    assert said.says("3 minute", "Alex", "Sam", "listen")
    assert any(prompt in said.text for prompt in prompts())
    assert said.matches(r"fix|advice")
    used = profile_of(store, conv).used_prompts
    assert len(used) == 1, "the prompt counts as used as soon as it is given"

    # U: yes
    said = conv.intent("AMAZON.YesIntent")
    # A: Go ahead, Alex. <three minutes of quiet, nobody cut off> <chime> That's your
    # turn, Alex... Sam, say back what you heard...
    assert quiet_seconds(said) >= 180 and "Still going" not in said.text
    assert TURN_END_SOUND in said.ssml
    assert said.says("Sam", "heard")
    assert said.says("Alex, while Sam speaks") or said.says("Alex, your part is to listen")
    assert said.says("Sam, say yes") or said.says("Sam, whenever you're ready")

    # U: yes  (Sam's turn)
    said = conv.intent("AMAZON.YesIntent")
    # A: <chime> Thank you, Sam... Alex, say back what you heard... a short close
    assert TURN_END_SOUND in said.ssml
    assert said.says("Alex") and said.ended

    events = store.events(couple_key(b"test-secret", conv.user_id), EventKind.AUTOBIOGRAPHY)
    assert len(events) == 1
    assert events[0].data["turns"] == 2
    assert events[0].data["prompt"] == used[0]
    assert profile_of(store, conv).practice_days


def test_happy_path(couple: Conversation, store: MemoryStore) -> None:
    run_happy_path(couple, store)


def test_happy_path_on_sqlite(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    conv = Conversation(make_skill(store, test_settings(tmp_path)))
    set_up_open(conv)
    run_happy_path(conv, store)


def test_minutes_are_remembered_and_a_one_minute_turn_fits_one_response(
    couple: Conversation, store: MemoryStore
) -> None:
    # U: autobiography with 1 minute turns
    assert couple.intent("AutobiographyIntent", minutes="1").says("1 minute")
    said = couple.intent("AMAZON.YesIntent")
    # A: <one minute> <chime> ... now swap, Sam's turn
    assert quiet_seconds(said) >= 60
    assert TURN_END_SOUND in said.ssml
    assert said.says("Sam, say yes") or said.says("Sam, whenever you're ready")
    couple.intent("AMAZON.StopIntent")
    assert profile_of(store, couple).turn_minutes == 1
    # Next time, without saying it: still one minute.
    assert couple.intent("AutobiographyIntent").says("1 minute")


def test_five_minutes_go_on_through_speech_and_silence_to_the_chime(skill: CustomSkill) -> None:
    home = set_up(skill)
    said = home.intent("AutobiographyIntent", minutes="9")
    assert said.says("1 to 5 minutes", "5 minute")
    # U: yes  -> A: <220 s of quiet>, then the microphone opens with no words at all.
    said = home.intent("AMAZON.YesIntent")
    assert OUT_QUIET_SECONDS <= quiet_seconds(said) <= OUT_QUIET_SECONDS + 2 and said.listening
    assert said.text.strip().endswith("I'll be quiet now.") or "Still going" not in said.text
    assert TURN_END_SOUND not in said.ssml
    # Silence: the reprompt is more quiet, ringing the chime at the turn's end.
    assert "your time, Alex" in said.reprompt or "end of your turn, Alex" in said.reprompt
    # But Alex is still talking when the mic opens: heard as anything, it is more quiet.
    said = home.later(seconds=OUT_QUIET_SECONDS + 5).intent("NeedIntent", need="and then my mum")
    assert said.listening or said.ended
    # The 75 s left, then the chime, then 30 s for Sam to say back what was heard.
    assert 100 <= quiet_seconds(said) <= 110
    assert TURN_END_SOUND in said.ssml and said.says("Sam")
    assert said.says("Sam, say yes") or said.says("Sam, whenever you're ready")


def test_two_silences_cut_a_turn_off_and_lets_continue_picks_it_up(
    skill: CustomSkill, store: MemoryStore
) -> None:
    home = set_up(skill)
    home.intent("AutobiographyIntent", minutes="5")
    home.intent("AMAZON.YesIntent")
    # Two silences before the turn is over (a device that lost the mic): cut off.
    home.later(seconds=120).silence()
    kept = profile_of(store, home).autobiography_break
    assert kept is not None and kept.asked == 0 and 170 <= kept.left <= 190
    # Later, a new session: "let's continue" picks up Alex's turn where it was.
    said = home.later(minutes=20).intent("ContinueIntent")
    assert said.says("Alex", "3 minutes") and said.listening
    said = home.intent("AMAZON.YesIntent")
    # About three minutes of quiet, the chime, and the 30 s to reflect.
    assert 200 <= quiet_seconds(said) <= 225 and TURN_END_SOUND in said.ssml
    assert profile_of(store, home).autobiography_break is None
    # Sam's turn runs to its end in silence: the reprompt rang the chime; then the swap.
    said = home.intent("AMAZON.YesIntent")
    assert said.listening and "Sam" in said.reprompt
    home.later(seconds=300 + 2 * LISTEN_SECONDS).silence()
    events = store.events(couple_key(b"test-secret", home.user_id), EventKind.AUTOBIOGRAPHY)
    assert events and events[0].data["turns"] == 2
    assert profile_of(store, home).autobiography_break is None


def test_hosted_background_bed_and_chime_stay_within_alexa_limits(tmp_path: Path) -> None:
    store = MemoryStore()
    home = set_up(make_skill(store, test_settings(tmp_path, audio_base_url=AUDIO_BASE)))
    home.intent("AutobiographyIntent", minutes="3")
    first = home.intent("AMAZON.YesIntent")
    assert first.ssml.count("background-bed") == 3, "three minutes of the 60 s bed"
    assert f"{AUDIO_BASE}/turn-end-chime" in first.ssml
    home.intent("AMAZON.StopIntent")
    home.intent("AutobiographyIntent", minutes="5")
    second = home.intent("AMAZON.YesIntent")
    reprompt = second.response["reprompt"]["outputSpeech"]["ssml"]
    for ssml, limit in ((first.ssml, 240), (second.ssml, 240), (reprompt, 90)):
        assert ssml.count("<audio") <= 5
        assert ssml.count("background-bed") * 60 + 3 <= limit


def test_prompts_are_not_repeated_until_all_were_used(
    couple: Conversation, store: MemoryStore
) -> None:
    library = prompt_library(content_for("en-US"))
    assert len(library) >= 20
    assert len({p.id for p in library}) == len(library)
    seen: list[int] = []
    for _ in library:
        couple.intent("AutobiographyIntent")
        couple.intent("AMAZON.StopIntent")
        seen.append(profile_of(store, couple).used_prompts[-1])
    assert sorted(seen) == sorted(p.id for p in library)
    # All used: the library starts afresh, and says so.
    said = couple.intent("AutobiographyIntent")
    assert said.says("starting the list again")
    assert len(profile_of(store, couple).used_prompts) == 1


def test_choose_prompt_skips_used_and_resets_when_exhausted() -> None:
    library = prompt_library(content_for("en-US"))
    used = [p.id for p in library[:-1]]
    assert choose_prompt(library, used, "seed") == (library[-1], False)
    prompt, fresh = choose_prompt(library, [p.id for p in library], "seed")
    assert fresh and prompt in library


def test_silence_reprompts_with_more_information_and_keeps_the_prompt_used(
    couple: Conversation, store: MemoryStore
) -> None:
    said = couple.intent("AutobiographyIntent")
    assert said.reprompt and said.reprompt not in said.text
    assert said.reprompt.startswith("Alex, when you say yes")
    couple.silence()
    assert len(profile_of(store, couple).used_prompts) == 1


def test_stop_mid_turn_is_kind_and_the_place_is_kept(
    couple: Conversation, store: MemoryStore
) -> None:
    couple.intent("AutobiographyIntent", minutes="5")
    couple.intent("AMAZON.YesIntent")
    said = couple.intent("AMAZON.StopIntent")
    assert said.ended and said.says("let's continue")
    assert len(profile_of(store, couple).used_prompts) == 1
    assert profile_of(store, couple).autobiography_break is not None
    events = store.events(couple_key(b"test-secret", couple.user_id), EventKind.AUTOBIOGRAPHY)
    assert events == []


def test_cancel_after_one_turn_records_the_turn(couple: Conversation, store: MemoryStore) -> None:
    couple.intent("AutobiographyIntent", minutes="1")
    couple.intent("AMAZON.YesIntent")  # Alex's whole minute, then the swap
    said = couple.intent("AMAZON.CancelIntent")
    assert said.ended
    events = store.events(couple_key(b"test-secret", couple.user_id), EventKind.AUTOBIOGRAPHY)
    assert [e.data["turns"] for e in events] == [1]


def test_help_mid_turn_explains_then_asks_again(couple: Conversation) -> None:
    couple.intent("AutobiographyIntent", minutes="5")
    couple.intent("AMAZON.YesIntent")
    said = couple.intent("AMAZON.HelpIntent")
    assert said.says("turn is still running", "keep talking")
    assert said.listening
    said = couple.intent("AMAZON.NoIntent")  # done early
    assert said.says("Sam") and TURN_END_SOUND in said.ssml


def test_not_ready_yet_gives_time(couple: Conversation) -> None:
    couple.intent("AutobiographyIntent")
    said = couple.intent("AMAZON.NoIntent")
    assert said.listening and said.says("Alex")
    assert said.matches(r"take your time|gather your thoughts")


def test_unexpected_answer_reasks_then_offers_a_way_out(couple: Conversation) -> None:
    couple.intent("AutobiographyIntent")
    first = couple.intent("IssueStepIntent", step="buy flowers")
    assert first.listening and first.says("Alex")
    second = couple.intent("AMAZON.FallbackIntent")
    assert second.says("stop")
    assert TURN_END_SOUND in couple.intent("AMAZON.YesIntent").ssml


def test_lets_continue_after_an_interruption(couple: Conversation) -> None:
    couple.intent("AutobiographyIntent")
    # U: let's do a silent sync  (interrupts the autobiography)
    couple.intent("SilentSyncIntent")
    said = couple.intent("AMAZON.NoIntent")
    assert said.says("autobiography")
    # U: let's continue
    said = couple.intent("ContinueIntent")
    assert said.says("prompt", "Alex")
    assert TURN_END_SOUND in couple.intent("AMAZON.YesIntent").ssml


@pytest.mark.parametrize("minutes", ["three", "", "9" * 10_000, "-2"])
def test_odd_minutes_slot_values(couple: Conversation, minutes: str) -> None:
    said = couple.intent("AutobiographyIntent", minutes=minutes)
    assert said.listening
    assert said.matches(r"\b[1-5] minute")


def test_names_with_ssml_characters_are_escaped(tmp_path: Path) -> None:
    # Setup now refuses such names; a profile kept before that may still hold them.
    store = MemoryStore()
    conv = Conversation(make_skill(store, test_settings(tmp_path)))
    set_up_open(conv, first="Jo", second="Sam")
    couple = couple_key(b"test-secret", conv.user_id)

    def rename(profile: Profile) -> None:
        profile.partners[0].name, profile.partners[1].name = "Jo & <Al>", 'Sam "S"'

    store.commit(couple, store.load(couple), Commit(changes=[rename]))
    said = conv.intent("AutobiographyIntent")
    assert "Jo &amp; &lt;Al&gt;" in said.ssml
    assert said.says("Jo & <Al>")
    assert conv.intent("AMAZON.YesIntent").listening
