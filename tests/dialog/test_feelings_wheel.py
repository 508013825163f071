"""The feelings wheel, as conversations: broad to precise in two or three turns,
a reflection, the offer of a check-in; and a feeling said out of the blue."""

from __future__ import annotations

from pathlib import Path

from skill.practices.feelings import wheel
from skill.practices.feelings_wheel import fine_words
from skill.speech.content import content_for
from skill.store.memory import MemoryStore
from skill.store.sqlite import SqliteStore
from tests.dialog.harness import Conversation, make_skill, set_up_couple, test_settings

WHEEL = wheel(content_for("en-US"))
CORES = [core.name for core in WHEEL.cores]


def run_happy_path(conv: Conversation) -> None:
    # U: help me name what I feel
    said = conv.intent("FeelingsWheelIntent")
    # A: Which is closest: joyful, calm, sad, or scared?   (reprompt: angry, hurt, tired)
    assert said.listening
    assert said.says(*CORES[:4])
    assert all(core in said.reprompt for core in CORES[4:])
    # U: angry
    said = conv.intent("FeelingIntent", feeling="angry")
    angry = WHEEL.core_named("angry")
    assert angry is not None
    offered = fine_words(angry)
    assert 3 <= len(offered) <= 4
    assert said.says(*offered)
    assert said.reprompt and said.reprompt not in said.text
    # U: frustrated
    said = conv.intent("FeelingIntent", feeling="frustrated")
    # A: Frustrated. Naming it is a good first step... share it in a check-in?
    assert said.says("Frustrated.") and said.matches(r"check-in")
    # U: yes
    said = conv.intent("AMAZON.YesIntent")
    assert said.says("Alex") and said.matches(r"feeling|feel")


def test_happy_path(couple: Conversation) -> None:
    run_happy_path(couple)


def test_happy_path_on_sqlite(tmp_path: Path) -> None:
    conv = Conversation(make_skill(SqliteStore(tmp_path / "s.sqlite3"), test_settings(tmp_path)))
    set_up_couple(conv, end_session=False)
    run_happy_path(conv)


def test_works_before_the_couple_is_set_up(conversation: Conversation, store: MemoryStore) -> None:
    said = conversation.intent("FeelingsWheelIntent")
    assert said.says(*CORES[:4])
    said = conversation.intent("FeelingIntent", feeling="hurt")
    said = conversation.intent("FeelingIntent", feeling="ignored")
    assert said.says("Ignored.")
    assert conversation.intent("AMAZON.NoIntent").ended
    assert store.writes == 0, "naming a feeling keeps nothing"


def test_a_feeling_out_of_the_blue_is_reflected_with_an_offer(couple: Conversation) -> None:
    # U: I feel anxious   (no practice going on)
    said = couple.intent("FeelingIntent", feeling="anxious")
    assert said.says("Anxious.") and said.listening
    assert not said.matches(r"not sure where that fits")
    assert couple.intent("AMAZON.NoIntent").ended


def test_a_broad_feeling_out_of_the_blue_offers_to_go_finer(couple: Conversation) -> None:
    said = couple.intent("FeelingIntent", feeling="scared")
    assert said.says("Scared.") and said.matches(r"precise|exact")
    said = couple.intent("AMAZON.YesIntent")
    scared = WHEEL.core_named("scared")
    assert scared is not None
    assert said.says(*fine_words(scared))
    assert couple.intent("FeelingIntent", feeling="overwhelmed").says("Overwhelmed.")


def test_a_vague_feeling_out_of_the_blue_leads_to_the_wheel(couple: Conversation) -> None:
    said = couple.intent("FeelingIntent", feeling="fine")
    assert said.says("Fine") and said.matches(r"precise|exact")
    said = couple.intent("AMAZON.YesIntent")
    assert said.says(*CORES[:4])


def test_feelings_inside_a_check_in_still_belong_to_the_check_in(couple: Conversation) -> None:
    couple.intent("CheckInIntent")
    said = couple.intent("FeelingIntent", feeling="tired")
    assert said.says("Alex") and said.matches(r"need|help you")


def test_the_wheel_mid_check_in_goes_back_to_the_check_in(couple: Conversation) -> None:
    couple.intent("CheckInIntent")
    # U: help me name what I feel   (Alex, mid check-in)
    couple.intent("FeelingsWheelIntent")
    couple.intent("FeelingIntent", feeling="sad")
    said = couple.intent("FeelingIntent", feeling="lonely")
    # A: Lonely. Naming it is a good first step. Back to where we were. Alex, how are you feeling?
    assert said.says("Lonely.", "Alex") and said.listening
    assert not said.matches(r"share it in a quick check-in")
    said = couple.intent("FeelingIntent", feeling="lonely")
    assert said.matches(r"need|help you")


def test_a_vague_word_gets_one_nudge_then_is_accepted(couple: Conversation) -> None:
    couple.intent("FeelingsWheelIntent")
    said = couple.intent("FeelingIntent", feeling="okay")
    assert said.says("Okay") and said.says(*CORES[:4])
    said = couple.intent("FeelingIntent", feeling="okay")
    assert said.says("Okay.") and said.matches(r"check-in")


def test_none_of_the_finer_words_keeps_the_broad_one(couple: Conversation) -> None:
    couple.intent("FeelingsWheelIntent")
    couple.intent("FeelingIntent", feeling="tired")
    said = couple.intent("AMAZON.NoIntent")
    assert said.says("Tired.")


def test_a_word_of_their_own_is_welcome(couple: Conversation) -> None:
    couple.intent("FeelingsWheelIntent")
    said = couple.intent("FeelingIntent", feeling="wistful")
    assert said.says("Wistful.", "your word")


def test_silence_reprompts_with_more_options_then_ends(couple: Conversation) -> None:
    said = couple.intent("FeelingsWheelIntent")
    assert said.reprompt and said.reprompt not in said.text
    assert all(core in said.reprompt for core in CORES[4:])
    couple.silence()
    # The next request is a new session: nothing half-finished is left behind.
    assert couple.intent("ContinueIntent").matches(r"nothing half-finished|not in the middle")


def test_stop_and_cancel_mid_way_are_kind(couple: Conversation) -> None:
    couple.intent("FeelingsWheelIntent")
    couple.intent("FeelingIntent", feeling="hurt")
    said = couple.intent("AMAZON.StopIntent")
    assert said.ended and said.text
    couple.intent("FeelingsWheelIntent")
    said = couple.intent("AMAZON.CancelIntent")
    assert said.ended and said.text


def test_help_mid_way_then_back_to_the_step(couple: Conversation) -> None:
    couple.intent("FeelingsWheelIntent")
    couple.intent("FeelingIntent", feeling="joyful")
    said = couple.intent("AMAZON.HelpIntent")
    joyful = WHEEL.core_named("joyful")
    assert joyful is not None
    assert said.says("shades", *fine_words(joyful))


def test_unexpected_answer_then_a_way_out(couple: Conversation) -> None:
    couple.intent("FeelingsWheelIntent")
    first = couple.intent("IssueStepIntent", step="call my mum")
    assert first.listening and first.says(*CORES[:4])
    second = couple.intent("AMAZON.FallbackIntent")
    assert second.says("stop")
    assert couple.intent("FeelingIntent", feeling="calm").says("relaxed")


def test_a_missing_slot_is_asked_again(couple: Conversation) -> None:
    couple.intent("FeelingsWheelIntent")
    said = couple.intent("FeelingIntent")
    assert said.listening and said.says(*CORES[:4])


def test_lets_continue_after_an_interruption(couple: Conversation) -> None:
    couple.intent("FeelingsWheelIntent")
    couple.intent("FeelingIntent", feeling="sad")
    couple.intent("SilentSyncIntent")
    assert couple.intent("AMAZON.NoIntent").says("naming your feeling")
    said = couple.intent("ContinueIntent")
    sad = WHEEL.core_named("sad")
    assert sad is not None
    assert said.says(*fine_words(sad))


def test_user_text_is_escaped_and_capped(couple: Conversation) -> None:
    couple.intent("FeelingsWheelIntent")
    said = couple.intent("FeelingIntent", feeling="<b>sad&'low'</b>")
    assert "&lt;b&gt;sad&amp;&apos;low&apos;" in said.ssml
    assert said.says("<b>sad&'low'</b>")
    said = couple.intent("FeelingsWheelIntent")
    said = couple.intent("FeelingIntent", feeling="z" * 10_000)
    assert said.listening
    assert "z" * 41 not in said.ssml


def test_a_long_unknown_phrase_is_not_taken_for_a_feeling(couple: Conversation) -> None:
    couple.intent("FeelingsWheelIntent")
    couple.intent("FeelingIntent", feeling="hurt")
    # U: none of those   (heard as FeelingIntent)
    said = couple.intent("FeelingIntent", feeling="none of those")
    assert said.listening and not said.says("None of those.")
    # Out of the blue, a phrase leads into the wheel instead of being echoed.
    couple.intent("AMAZON.StopIntent")
    said = couple.intent("FeelingIntent", feeling="like nobody cares at all")
    assert said.says(*CORES[:4]) and not said.says("nobody cares")
