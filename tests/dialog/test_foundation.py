"""The foundation as conversations: first use, Silent Sync, the check-in, and the
built-ins around them."""

from __future__ import annotations

from skill.store.memory import MemoryStore
from tests.dialog.harness import CUE_MS, Conversation


def test_first_use_learns_both_names_then_offers_practices(conversation: Conversation) -> None:
    # U: open steady together
    said = conversation.launch()
    # A: Welcome ... what are your two first names?
    assert said.says("first name") and said.listening
    assert said.reprompt and said.reprompt not in said.text
    # U: we're alex and sam
    said = conversation.intent("CoupleNamesIntent", first_name="alex", second_name="sam")
    assert said.says("Alex", "Sam") and said.listening
    # U: yes
    said = conversation.intent("AMAZON.YesIntent")
    assert said.says("Alex", "Sam", "silent sync")


def test_one_name_at_a_time_and_a_correction(conversation: Conversation) -> None:
    conversation.launch()
    said = conversation.intent("NameIntent", name="Alex")
    assert said.says("Alex") and said.listening
    said = conversation.intent("NameIntent", name="Sam")
    assert said.says("Alex and Sam")
    said = conversation.intent("AMAZON.NoIntent")
    assert said.listening
    said = conversation.intent("CoupleNamesIntent", first_name="Alex", second_name="Jo")
    assert said.says("Alex and Jo")


def test_a_practice_asked_before_setup_runs_right_after_it(conversation: Conversation) -> None:
    conversation.new_session = True
    said = conversation.intent("SilentSyncIntent")
    assert said.says("first name")
    conversation.intent("CoupleNamesIntent", first_name="Alex", second_name="Sam")
    said = conversation.intent("AMAZON.YesIntent")
    assert said.says("Alex", "breaths")


def test_silent_sync_default_is_five_breaths_paced_four_in_six_out(couple: Conversation) -> None:
    said = couple.intent("SilentSyncIntent")
    assert said.says("5 breaths")
    assert said.ssml.count(">in<") == 5 and said.ssml.count(">out<") == 5
    # 4 s in and 6 s out, less the spoken cue (the estimate the lead-in uses too)
    assert f'<break time="{4000 - CUE_MS}ms"/>' in said.ssml
    assert f'<break time="{6000 - CUE_MS}ms"/>' in said.ssml
    assert said.listening and said.matches("another round|go again")


def test_silent_sync_slower_with_eight_breaths_and_another_round(couple: Conversation) -> None:
    said = couple.intent("SilentSyncIntent", breaths="8", pace="slower")
    assert said.ssml.count(">in<") == 8
    assert f'<break time="{5000 - CUE_MS}ms"/>' in said.ssml  # 5 s in
    said = couple.intent("PaceIntent", pace="faster")
    assert said.ssml.count(">in<") == 8 and f'<break time="{3000 - CUE_MS}ms"/>' in said.ssml
    said = couple.intent("AMAZON.NoIntent")
    assert said.ended


def test_silent_sync_out_of_range_breaths_are_limited_kindly(couple: Conversation) -> None:
    said = couple.intent("SilentSyncIntent", breaths="40")
    assert said.says("between 3 and 10") and said.ssml.count(">in<") == 10
    said = couple.intent("SilentSyncIntent", breaths="two")
    assert said.ssml.count(">in<") == 8 or said.ssml.count(">in<") >= 3


def test_check_in_for_two_partners_with_one_nudge(couple: Conversation, store: MemoryStore) -> None:
    said = couple.intent("CheckInIntent", time_of_day="morning")
    assert said.says("Alex", "feeling")
    # U: fine  -> one gentle nudge toward a more precise word
    said = couple.intent("FeelingIntent", feeling="fine")
    assert said.says("fine", "content", "drained", "anxious") and said.listening
    # U: still fine -> accepted, never a second nudge
    said = couple.intent("FeelingIntent", feeling="fine")
    assert said.matches("need|would help")
    said = couple.intent("NeedIntent", need="a quiet hour")
    assert said.says("Sam")
    said = couple.intent("FeelingIntent", feeling="hopeful")
    assert said.says("Sam")
    said = couple.intent("NeedIntent", need="a walk together")
    assert said.says("Alex", "fine", "a quiet hour", "Sam", "hopeful", "a walk together")
    assert said.ended
    # Kept as history.
    said = couple.intent("HistoryNeedIntent", partner="Sam")
    assert said.says("a walk together")


def test_check_in_help_mid_flow_then_back_to_the_step(couple: Conversation) -> None:
    couple.intent("CheckInIntent")
    said = couple.intent("AMAZON.HelpIntent")
    assert said.says("one feeling word") and said.says("Alex")
    said = couple.intent("FeelingIntent", feeling="calm")
    assert said.matches("need|would help")


def test_check_in_unexpected_answers_reask_then_offer_a_way_out(couple: Conversation) -> None:
    couple.intent("CheckInIntent")
    first = couple.intent("AMAZON.FallbackIntent")
    assert first.listening and first.says("Alex")
    second = couple.intent("TrustBalanceIntent") if False else couple.intent("NeedIntent", need="x")
    assert second.says("stop") and second.listening


def test_stop_mid_check_in_keeps_the_finished_partner(couple: Conversation) -> None:
    couple.intent("CheckInIntent")
    couple.intent("FeelingIntent", feeling="calm")
    couple.intent("NeedIntent", need="sleep")
    said = couple.intent("AMAZON.StopIntent")
    assert said.ended and said.says("Alex")
    said = couple.intent("HistoryNeedIntent", partner="Alex")
    assert said.says("sleep")


def test_silence_ends_kindly_and_keeps_partial_progress(couple: Conversation) -> None:
    couple.intent("CheckInIntent")
    couple.intent("FeelingIntent", feeling="tender")
    couple.intent("NeedIntent", need="patience")
    couple.silence()
    said = couple.intent("HistoryFeelingIntent", partner="Alex")
    assert said.says("tender")


def test_interrupted_check_in_resumes_with_lets_continue(couple: Conversation) -> None:
    couple.intent("CheckInIntent")
    couple.intent("FeelingIntent", feeling="calm")
    said = couple.intent("SilentSyncIntent", breaths="3")
    assert said.ssml.count(">in<") == 3
    said = couple.intent("ContinueIntent")
    assert said.says("Alex") and said.matches("need|would help")


def test_user_text_is_escaped(couple: Conversation) -> None:
    couple.intent("CheckInIntent")
    couple.intent("FeelingIntent", feeling="calm")
    said = couple.intent("NeedIntent", need='<speak>tea & "toast"</speak>')
    assert "&lt;speak&gt;" in said.ssml or "speak" not in said.text
    couple.intent("FeelingIntent", feeling="calm")
    huge = "a" * 10_000
    said = couple.intent("NeedIntent", need=huge)
    assert len(said.ssml) < 8000


def test_streak_and_help_and_goodbye(couple: Conversation) -> None:
    couple.intent("SilentSyncIntent")
    couple.intent("AMAZON.NoIntent")
    said = couple.intent("StreakIntent")
    assert said.says("today") or said.says("streak")
    said = couple.launch()
    assert said.listening
    said = couple.intent("AMAZON.HelpIntent")
    assert said.says("silent sync") and said.listening
    said = couple.intent("AMAZON.CancelIntent")
    assert said.ended


def test_forget_everything_after_confirmation(couple: Conversation, store: MemoryStore) -> None:
    said = couple.intent("ForgetUsIntent")
    assert said.says("can't be undone") and said.listening
    said = couple.intent("AMAZON.NoIntent")
    assert said.matches("kept|nothing has been deleted")
    couple.intent("ForgetUsIntent")
    said = couple.intent("AMAZON.YesIntent")
    assert said.says("deleted") and said.ended
    said = couple.launch()
    assert said.says("first name")


def test_a_ten_thousand_digit_breath_count_is_limited_kindly(couple: Conversation) -> None:
    said = couple.intent("SilentSyncIntent", breaths="9" * 10_000)
    assert said.says("between 3 and 10") and said.ssml.count(">in<") == 10


def test_evening_ritual_resumes_an_interrupted_step_before_moving_on(
    couple: Conversation,
) -> None:
    said = couple.intent("EveningRitualIntent")
    assert said.says("Alex") and said.listening
    # An aside mid check-in: a silent sync, then back to the check-in.
    couple.intent("SilentSyncIntent", breaths="3")
    said = couple.intent("AMAZON.NoIntent")
    assert said.listening
    said = couple.intent("AMAZON.YesIntent")
    assert said.says("Alex")
    couple.intent("FeelingIntent", feeling="calm")
    couple.intent("NeedIntent", need="rest")
    couple.intent("FeelingIntent", feeling="tender")
    said = couple.intent("NeedIntent", need="a hug")
    # The ritual goes on to gratitude after the check-in.
    assert said.says("Alex", "Sam") and said.listening


def test_a_plain_no_to_the_menu_is_a_kind_goodbye(couple: Conversation) -> None:
    said = couple.launch()
    assert said.listening
    said = couple.intent("AMAZON.NoIntent")
    assert said.ended and said.matches("goodbye|see you|take care")
