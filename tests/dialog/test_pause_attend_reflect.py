"""Pause-Attend-Reflect as conversations: a slow guided pause, two cues to
notice, a reflection put into words, and an offer to swap roles."""

from __future__ import annotations

import re
from pathlib import Path

from skill.chat.nlu import SlotValue
from skill.privacy import couple_key
from skill.speech.content import content_for
from skill.store.base import CoupleStore
from skill.store.memory import MemoryStore
from skill.store.sqlite import SqliteStore
from tests.dialog.harness import Conversation, Said, make_skill, set_up_couple, test_settings

COUPLE_ID = couple_key(b"test-secret", Conversation.user_id)
REFLECTION = "I hear how {feeling} you feel about {topic}"


def cues_in(said: Said) -> list[str]:
    """Which cue lines of the pool were spoken (names filled in as Sam/Alex)."""
    phrases = content_for("en-US").phrases
    found = []
    for key in sorted(k for k in phrases if k.startswith("par.cue.")):
        for variant in phrases[key]:
            pattern = re.escape(re.sub(r"<[^>]+>", "", variant)).replace(
                r"\{speaker\}", "(Sam|Alex)"
            )
            if re.search(pattern, said.text):
                found.append(key)
    return found


def run_two_rounds(couple: Conversation, store: CoupleStore) -> None:
    # U: things are getting heated
    said = couple.intent("PauseAttendReflectIntent")
    # A: (slowly) Let's pause ... breathe ... Sam, say what you're feeling. Alex, listen
    #    and notice: <two cues> ... Alex, what feeling did you notice in Sam?
    assert '<prosody rate="slow">' in said.ssml and "<break" in said.ssml
    assert len(cues_in(said)) == 2
    assert said.matches(r"Alex, (what feeling did you notice in Sam|in one word, how does Sam)")
    assert said.listening and said.reprompt and said.reprompt not in said.text
    # U: hurt
    said = couple.intent("FeelingIntent", feeling="hurt")
    # A: And what is that about, for Sam?
    assert said.matches("about") and said.says("Sam") and said.listening
    # U: it's about the dishes
    said = couple.intent("TopicIntent", topic="the dishes")
    # A: Alex, turn to Sam and say: I hear how hurt you feel about the dishes. ... swap?
    assert said.says(REFLECTION.format(feeling="hurt", topic="the dishes"))
    assert said.says("Alex", "Sam") and said.matches("swap") and said.listening
    # U: yes  -> roles swapped: Sam listens to Alex
    said = couple.intent("AMAZON.YesIntent")
    assert len(cues_in(said)) == 2
    assert said.matches(r"Sam, (what feeling did you notice in Alex|in one word, how does Alex)")
    couple.intent("FeelingIntent", feeling="worried")
    said = couple.intent("TopicIntent", topic="money")
    assert said.says(REFLECTION.format(feeling="worried", topic="money"))
    assert said.says("Sam, turn to Alex") or said.says("Sam, look at Alex")
    assert said.ended
    # Counts as a practice day; the feelings and topics themselves are not kept.
    stored = store.load(COUPLE_ID)
    assert stored is not None and stored.profile.practice_days
    assert "dishes" not in str(stored.profile.to_dict())


def test_two_rounds_with_roles_swapped(couple: Conversation, store: MemoryStore) -> None:
    run_two_rounds(couple, store)


def test_two_rounds_on_the_local_sqlite_store(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    couple = set_up_couple(Conversation(make_skill(store, test_settings(tmp_path))))
    run_two_rounds(couple, store)


def test_no_swap_closes_kindly(couple: Conversation) -> None:
    couple.intent("PauseAttendReflectIntent")
    couple.intent("FeelingIntent", feeling="tired")
    couple.intent("TopicIntent", topic="the late nights")
    said = couple.intent("AMAZON.NoIntent")
    assert said.ended and said.matches("thank you|well done")


def test_cues_vary_between_runs_and_come_from_a_pool_of_at_least_six(
    couple: Conversation,
) -> None:
    pool = [k for k in content_for("en-US").phrases if k.startswith("par.cue.")]
    assert len(pool) >= 6
    seen: set[tuple[str, ...]] = set()
    for _ in range(12):
        said = couple.intent("PauseAttendReflectIntent")
        cues = cues_in(said)
        assert len(cues) == 2 and cues[0] != cues[1]
        seen.add(tuple(cues))
        couple.intent("AMAZON.StopIntent")
    assert len(seen) > 1


def test_the_pause_is_slow_and_sparse(couple: Conversation) -> None:
    said = couple.intent("PauseAttendReflectIntent")
    breaks = re.findall(r'<break time="(\d+)(ms|s)"/>', said.ssml)
    seconds = sum(int(n) / (1000 if unit == "ms" else 1) for n, unit in breaks)
    assert seconds >= 30  # a quiet half-minute to speak and notice, plus the pause
    assert len(said.text.split()) < 90


def test_silence_reprompts_with_more_information_then_ends(couple: Conversation) -> None:
    said = couple.intent("PauseAttendReflectIntent")
    assert said.reprompt.startswith("Alex") and said.reprompt not in said.text
    assert said.matches("notice") and "hurt" in said.reprompt  # offers example words
    said = couple.silence()
    assert said.response.get("outputSpeech") is None
    said = couple.launch()
    assert said.listening  # a fresh start, nothing half-kept


def test_stop_mid_way_closes_kindly(couple: Conversation) -> None:
    couple.intent("PauseAttendReflectIntent")
    couple.intent("FeelingIntent", feeling="sad")
    said = couple.intent("AMAZON.StopIntent")
    assert said.ended and said.matches("alright|short pause helps")


def test_cancel_mid_way_closes_kindly(couple: Conversation) -> None:
    couple.intent("PauseAttendReflectIntent")
    said = couple.intent("AMAZON.CancelIntent")
    assert said.ended and said.matches("alright|short pause helps")


def test_help_at_each_step_then_back_to_it(couple: Conversation) -> None:
    couple.intent("PauseAttendReflectIntent")
    said = couple.intent("AMAZON.HelpIntent")
    assert said.says("a guess is fine") and said.says("Alex") and said.listening
    couple.intent("FeelingIntent", feeling="sad")
    said = couple.intent("AMAZON.HelpIntent")
    assert said.says("one sentence") and said.matches("about")
    said = couple.intent("TopicIntent", topic="the weekend")
    assert said.says(REFLECTION.format(feeling="sad", topic="the weekend"))
    said = couple.intent("AMAZON.HelpIntent")
    assert said.says("feel heard") and said.matches("swap")


def test_unexpected_answers_reask_then_offer_a_way_out(couple: Conversation) -> None:
    couple.intent("PauseAttendReflectIntent")
    first = couple.intent("AMAZON.YesIntent")
    assert first.listening and first.says("Alex") and first.matches("didn't|another way|missed")
    second = couple.intent("AMAZON.FallbackIntent")
    assert second.listening and second.says("stop") and second.says("Alex")
    said = couple.intent("FeelingIntent", feeling="angry")
    assert said.matches("about")


def test_unexpected_answer_to_the_swap_offer(couple: Conversation) -> None:
    couple.intent("PauseAttendReflectIntent")
    couple.intent("FeelingIntent", feeling="angry")
    couple.intent("TopicIntent", topic="the car")
    said = couple.intent("TopicIntent", topic="something else")
    assert said.listening and said.matches("swap")


def test_lets_continue_after_an_interruption(couple: Conversation) -> None:
    couple.intent("PauseAttendReflectIntent")
    couple.intent("FeelingIntent", feeling="scared")
    said = couple.intent("SilentSyncIntent", breaths="3")
    assert said.says("breaths")
    said = couple.intent("AMAZON.NoIntent")
    assert said.says("pause") and said.listening
    said = couple.intent("ContinueIntent")
    assert said.says("scared") or said.matches("about")
    said = couple.intent("TopicIntent", topic="the move")
    assert said.says(REFLECTION.format(feeling="scared", topic="the move"))


def test_missing_slots_are_asked_again(couple: Conversation) -> None:
    couple.intent("PauseAttendReflectIntent")
    said = couple.intent("FeelingIntent")
    assert said.listening and said.says("Alex")
    said = couple.intent("FeelingIntent", feeling="lonely")
    said = couple.intent("TopicIntent")
    assert said.listening and said.matches("about")


def test_unknown_feeling_words_and_bare_topics_are_taken_as_said(couple: Conversation) -> None:
    couple.intent("PauseAttendReflectIntent")
    said = couple.intent("FeelingIntent", feeling="Discombobulated")
    assert said.says("discombobulated")
    # A bare phrase may be heard as the one-word repair intent: still the topic.
    said = couple.intent("SayRepairWordIntent", repair_word="the in-laws")
    assert said.says(REFLECTION.format(feeling="discombobulated", topic="the in-laws"))


def test_the_topic_first_is_kept_while_the_feeling_is_asked(couple: Conversation) -> None:
    couple.intent("PauseAttendReflectIntent")
    said = couple.intent("TopicIntent", topic="the holidays")
    assert said.listening and said.says("Alex") and said.says("feeling")
    said = couple.intent("FeelingIntent", feeling="anxious")
    assert said.says(REFLECTION.format(feeling="anxious", topic="the holidays"))


def test_their_repair_word_mid_pause_runs_the_repair_then_offers_to_come_back(
    couple: Conversation,
) -> None:
    couple.intent("SetRepairWordIntent")
    couple.intent("RepairPhraseIntent", phrase="pineapple")
    couple.intent("AMAZON.YesIntent")
    couple.intent("AMAZON.YesIntent")
    couple.intent("AMAZON.NoIntent")
    couple.intent("PauseAttendReflectIntent")
    word = SlotValue.match("pineapple", "RepairWordType", "couple_repair_word", dynamic=True)
    said = couple.intent("SayRepairWordIntent", repair_word=word)
    assert said.says("Breathe in")
    said = couple.intent("AMAZON.NoIntent")
    assert said.listening and said.says("pause")
    said = couple.intent("AMAZON.YesIntent")
    assert said.says("Alex") and said.listening


def test_special_characters_are_escaped(couple: Conversation) -> None:
    couple.intent("PauseAttendReflectIntent")
    couple.intent("FeelingIntent", feeling='"torn" & <tense>')
    said = couple.intent("TopicIntent", topic='mum\'s "advice" & <rules>')
    assert (
        "&lt;rules&gt;" in said.ssml and "&amp;" in said.ssml and "&quot;advice&quot;" in said.ssml
    )
    assert "&lt;tense&gt;" in said.ssml
    assert said.says('mum\'s "advice" & <rules>')


def test_a_huge_answer_is_capped(couple: Conversation) -> None:
    couple.intent("PauseAttendReflectIntent")
    said = couple.intent("FeelingIntent", feeling="x" * 10_000)
    assert said.listening and len(said.ssml) < 1000
    said = couple.intent("TopicIntent", topic="money " * 2_000)
    assert said.listening and len(said.ssml) < 2000
    assert said.says("about money money")
