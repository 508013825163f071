"""Tips on the three traps, journaling prompts, and the safety answer that wins
from any state, per locale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.chat.nlu import SlotValue
from skill.practices.tips import TRAPS
from skill.privacy import couple_key
from skill.session import SESSION_KEY
from skill.store.memory import MemoryStore
from skill.store.sqlite import SqliteStore
from tests.dialog.harness import Conversation, make_skill, test_settings

MODEL = Path(__file__).resolve().parents[2] / "interaction_models" / "en-US.json"


def trap(value: str, trap_id: str) -> SlotValue:
    return SlotValue.match(value, "TrapType", trap_id)


# -- tips ----------------------------------------------------------------------------------


def test_trap_ids_match_the_interaction_model() -> None:
    model = json.loads(MODEL.read_text())["interactionModel"]["languageModel"]
    [trap_type] = [t for t in model["types"] if t["name"] == "TrapType"]
    assert {v["id"] for v in trap_type["values"]} == set(TRAPS)


def run_all_three_tips(conv: Conversation) -> None:
    # U: give me a tip about negative stories
    said = conv.intent("TipsIntent", trap=trap("negative stories", "negative_stories"))
    assert said.matches(r"stor") and said.listening
    # A: ... Would you like a tip on answering too fast with solutions too?
    assert said.says("solutions")
    said = conv.intent("AMAZON.YesIntent")
    assert said.matches(r"fix|solv|advice") and said.says("your feelings")
    said = conv.intent("AMAZON.YesIntent")
    assert said.matches(r"feelings") and said.matches(r"three traps|all three")
    assert said.ended


def test_three_tips_one_after_another(conversation: Conversation) -> None:
    run_all_three_tips(conversation)


def test_tips_on_sqlite(tmp_path: Path) -> None:
    conv = Conversation(make_skill(SqliteStore(tmp_path / "s.sqlite3"), test_settings(tmp_path)))
    run_all_three_tips(conv)


def test_missing_trap_picks_one_and_offers_another(conversation: Conversation) -> None:
    said = conversation.intent("TipsIntent")
    assert said.listening and said.matches(r"would you like|shall i")
    assert said.reprompt and said.reprompt not in said.text
    said = conversation.intent("AMAZON.NoIntent")
    assert said.ended and said.matches(r"gently|take care")


def test_unknown_trap_says_so_and_gives_one(conversation: Conversation) -> None:
    said = conversation.intent("TipsIntent", trap=SlotValue.no_match("cooking", "TrapType"))
    assert said.matches(r"three common traps|three traps")
    assert said.listening


def test_tips_help_unexpected_and_stop(conversation: Conversation) -> None:
    conversation.intent("TipsIntent", trap=trap("solutions", "solutions"))
    said = conversation.intent("AMAZON.HelpIntent")
    assert said.says("three common traps") and said.listening
    first = conversation.intent("IssueStepIntent", step="listen more")
    assert first.listening and first.matches(r"tip|share")
    second = conversation.intent("AMAZON.FallbackIntent")
    assert second.says("stop")
    assert conversation.intent("AMAZON.StopIntent").ended


def test_journal_prompts_differ_and_end_kindly(conversation: Conversation) -> None:
    first = conversation.intent("JournalPromptIntent")
    assert first.listening and first.reprompt not in first.text
    second = conversation.intent("AMAZON.YesIntent")
    assert second.listening
    prompt_of = [said.text.split(". ", 1)[1] for said in (first, second)]
    assert prompt_of[0] != prompt_of[1]
    assert conversation.intent("AMAZON.NoIntent").matches(r"writing")


def test_a_tip_mid_check_in_then_continue(couple: Conversation) -> None:
    couple.intent("CheckInIntent")
    couple.intent("TipsIntent", trap=trap("solutions", "solutions"))
    said = couple.intent("AMAZON.NoIntent")
    assert said.says("check-in") and said.listening
    said = couple.intent("ContinueIntent")
    assert said.says("Alex")


# -- safety --------------------------------------------------------------------------------

LOCALES = {
    "en-US": ("911", "988", "1-800-799-7233"),
    "en-GB": ("999", "116 123", "0808 2000 247"),
    "en-CA": ("911", "988"),
    "en-AU": ("000", "13 11 14", "1800 737 732"),
    "en-IN": ("112", "14416"),
}


@pytest.mark.parametrize(("locale", "numbers"), LOCALES.items())
def test_safety_points_to_local_help_at_once(
    skill: CustomSkill, locale: str, numbers: tuple[str, ...]
) -> None:
    conv = Conversation(skill, locale=locale)
    said = conv.intent("SafetyIntent")
    assert said.ended
    assert said.says("danger", *numbers)
    card = said.card
    assert card is not None
    assert all(number in card["content"] for number in numbers)
    assert "medical advice" in card["content"]
    # Plain text, a help line to a line: no SSML, nothing escaped ("&" stays "&").
    assert "<" not in card["content"] and "&amp;" not in card["content"]
    assert len(card["content"].splitlines()) >= 3
    assert not said.matches(r"breath|check-in|tip")
    for other, other_numbers in LOCALES.items():
        if other_numbers[0] != numbers[0]:
            assert other_numbers[0] not in said.text.split(), f"{locale} mentions {other}'s line"


def test_safety_wins_over_every_practice(couple: Conversation, store: MemoryStore) -> None:
    starts = [
        "CheckInIntent",
        "AutobiographyIntent",
        "UsVsIssueIntent",
        "FeelingsWheelIntent",
        "SilentSyncIntent",
        "JournalPromptIntent",
    ]
    for intent in starts:
        assert couple.intent(intent).listening, intent
        said = couple.intent("SafetyIntent")
        assert said.ended and said.says("danger"), intent
        assert couple.attributes == {}
        assert couple.intent("ContinueIntent").matches(r"nothing half-finished|not in the middle")


def test_safety_ends_a_paused_practice_too(couple: Conversation) -> None:
    couple.intent("CheckInIntent")
    couple.intent("SilentSyncIntent")  # the check-in is paused
    assert couple.attributes[SESSION_KEY]["paused"] is not None
    said = couple.intent("SafetyIntent")
    assert said.ended
    body = said.body.get("sessionAttributes") or {}
    state = body.get(SESSION_KEY, {})
    assert state.get("current") is None and state.get("paused") is None


def test_safety_works_before_setup_and_writes_nothing(
    conversation: Conversation, store: MemoryStore
) -> None:
    conversation.launch()  # asks for names
    said = conversation.intent("SafetyIntent")
    assert said.ended and said.says("988")
    assert not said.matches(r"first names")
    assert store.writes == 0
    assert store.load(couple_key(b"test-secret", conversation.user_id)) is None


def test_safety_during_the_autobiography_keeps_no_coaching(couple: Conversation) -> None:
    couple.intent("AutobiographyIntent")
    couple.intent("AMAZON.YesIntent")
    said = couple.intent("SafetyIntent")
    assert said.ended
    assert not said.matches(r"prompt|listen|turn")
