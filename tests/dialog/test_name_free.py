"""Name-free requests (CanFulfillIntentRequest): for every intent, with and without
slots, the skill answers YES, NO or MAYBE honestly, per intent and per slot; it says
nothing and stores nothing; and nothing that may be a disclosure is ever answered NO."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.app import handle_event
from skill.chat import envelopes
from skill.intents import Intent, slots_of
from skill.practices.registry import starting_intents
from skill.store.base import Commit, StoredProfile
from skill.store.memory import MemoryStore
from tests.dialog.harness import SKILL_ID, Conversation, make_skill, set_up_couple, test_settings

USER = "amzn1.ask.account.TESTCOUPLE"
NOT_NAME_FREE = {Intent.FEELING, Intent.PACE}


class WatchedStore(MemoryStore):
    """A store that fails the test if anything is written."""

    def __init__(self) -> None:
        super().__init__()
        self.writing = True

    def _write(self, *args: Any, **kwargs: Any) -> Any:
        assert self.writing, "a name-free request wrote to the store"
        return super()._write(*args, **kwargs)

    def delete_couple(self, couple_id: str) -> int:
        assert self.writing, "a name-free request deleted"
        return super().delete_couple(couple_id)

    def commit(self, couple_id: str, base: StoredProfile | None, commit: Commit) -> StoredProfile:
        assert self.writing, "a name-free request committed"
        return super().commit(couple_id, base, commit)


@pytest.fixture
def watched() -> WatchedStore:
    return WatchedStore()


@pytest.fixture
def ours(watched: WatchedStore, tmp_path: Path) -> CustomSkill:
    skill = make_skill(watched, test_settings(tmp_path))
    set_up_couple(Conversation(skill, user_id=USER))
    watched.writing = False  # from here on, nothing may be written
    return skill


def ask(skill: CustomSkill, intent: str, locale: str = "en-US", **slots: str) -> dict[str, Any]:
    event = envelopes.can_fulfill_request(
        intent, slots or None, skill_id=SKILL_ID, user_id=USER, locale=locale
    )
    body = handle_event(event, skill=skill)
    response = body["response"]
    # Nothing said, shown or asked: only the answer.
    assert set(response) == {"canFulfillIntent"}, response
    assert "sessionAttributes" not in body or not body["sessionAttributes"]
    answer: dict[str, Any] = response["canFulfillIntent"]
    return answer


def expected_without_slots(intent: Intent) -> str:
    if intent is Intent.SAFETY:
        return "YES"
    if intent in starting_intents() and intent not in NOT_NAME_FREE:
        return "YES"
    return "NO"


@pytest.mark.parametrize("intent", list(Intent), ids=str)
def test_every_intent_without_slots(ours: CustomSkill, intent: Intent) -> None:
    answer = ask(ours, intent.value)
    assert answer["canFulfill"] == expected_without_slots(intent)
    assert not answer.get("slots")


def test_an_intent_the_skill_does_not_have(ours: CustomSkill) -> None:
    assert ask(ours, "PlayMusicIntent")["canFulfill"] == "NO"


# Per intent with slots: a value the skill can act on, and one it cannot.
GOOD: dict[Intent, dict[str, str]] = {
    Intent.SILENT_SYNC: {"breaths": "8", "pace": "slower"},
    Intent.SYNC_APART: {"partner": "Sam"},
    Intent.CHECK_IN: {"time_of_day": "morning"},
    Intent.US_VS_ISSUE: {"topic": "money for the holidays"},
    Intent.REPAIR_PHRASE: {"phrase": "pineapple"},
    Intent.TRUST_DEPOSIT: {"partner": "Alex"},
    Intent.TRUST_WITHDRAWAL: {"partner": "Sam"},
    Intent.LEAVE_GRATITUDE: {"partner": "Sam", "note": "making tea"},
    Intent.AUTOBIOGRAPHY: {"minutes": "3"},
    Intent.RESOLVE_ISSUE: {"topic": "the dishes"},
    Intent.TIPS: {"trap": "solutions"},
    Intent.HISTORY_NEED: {"partner": "Alex", "time_of_day": "morning"},
    Intent.HISTORY_FEELING: {"partner": "Sam"},
    Intent.ISSUE_AGREEMENT: {"topic": "the dishes"},
    Intent.SET_REMINDER: {"practice": "check in", "time": "21:00", "day": "sunday"},
}
MAYBE: dict[Intent, dict[str, str]] = {
    Intent.SILENT_SYNC: {"breaths": "40"},
    Intent.SYNC_APART: {"partner": "Jo"},
    Intent.TRUST_DEPOSIT: {"partner": "Jo"},
    Intent.LEAVE_GRATITUDE: {"partner": "Jo", "note": "the flowers"},
    Intent.AUTOBIOGRAPHY: {"minutes": "30"},
    Intent.TIPS: {"trap": "being grumpy on mondays"},
    Intent.HISTORY_FEELING: {"partner": "Jo"},
}
NO: dict[Intent, dict[str, str]] = {
    Intent.SILENT_SYNC: {"pace": "purple"},
    Intent.CHECK_IN: {"time_of_day": "next year"},
    Intent.SET_REMINDER: {"practice": "the laundry"},
    Intent.SAY_REPAIR_WORD: {"repair_word": "marshmallow"},
    Intent.FEELING: {"feeling": "tired"},
    Intent.NEED: {"need": "rest"},
    Intent.NAME: {"name": "Alex"},
    Intent.COUPLE_NAMES: {"first_name": "Alex", "second_name": "Sam"},
    Intent.NOTE_TEXT: {"note": "the tea"},
    Intent.PACE: {"pace": "slower"},
    Intent.TOPIC: {"topic": "money"},
    Intent.ISSUE_STEP: {"step": "a budget"},
}


def test_every_intent_with_slots_is_covered() -> None:
    with_slots = {intent for intent in Intent if slots_of(intent)}
    assert with_slots <= set(GOOD) | set(NO)


@pytest.mark.parametrize(("intent", "slots"), GOOD.items(), ids=str)
def test_slots_the_skill_can_act_on(
    ours: CustomSkill, intent: Intent, slots: dict[str, str]
) -> None:
    answer = ask(ours, intent.value, **slots)
    assert answer["canFulfill"] == "YES"
    assert answer["slots"] == {
        name: {"canUnderstand": "YES", "canFulfill": "YES"} for name in slots
    }


@pytest.mark.parametrize(("intent", "slots"), MAYBE.items(), ids=str)
def test_slots_that_need_a_question_first(
    ours: CustomSkill, intent: Intent, slots: dict[str, str]
) -> None:
    answer = ask(ours, intent.value, **slots)
    assert answer["canFulfill"] == "MAYBE"
    partial = [
        s for s in answer["slots"].values() if s != {"canUnderstand": "YES", "canFulfill": "YES"}
    ]
    assert partial and all(s["canUnderstand"] != "NO" for s in partial)


@pytest.mark.parametrize(("intent", "slots"), NO.items(), ids=str)
def test_slots_the_skill_cannot_take(
    ours: CustomSkill, intent: Intent, slots: dict[str, str]
) -> None:
    answer = ask(ours, intent.value, **slots)
    assert answer["canFulfill"] == "NO"
    assert set(answer["slots"]) == set(slots)


def test_their_own_repair_word_is_theirs(watched: WatchedStore, tmp_path: Path) -> None:
    skill = make_skill(watched, test_settings(tmp_path))
    home = set_up_couple(Conversation(skill, user_id=USER))
    home.intent("SetRepairWordIntent")
    home.intent("RepairPhraseIntent", phrase="pineapple")
    home.intent("AMAZON.YesIntent")
    home.intent("AMAZON.YesIntent")
    watched.writing = False
    assert ask(skill, "SayRepairWordIntent", repair_word="pineapple")["canFulfill"] == "YES"
    assert ask(skill, "SayRepairWordIntent", repair_word="marshmallow")["canFulfill"] == "NO"


def test_a_household_not_set_up_yet(tmp_path: Path) -> None:
    skill = make_skill(WatchedStore(), test_settings(tmp_path))
    # The names come first, then the practice: a name asked for can wait for them.
    assert ask(skill, "SilentSyncIntent")["canFulfill"] == "YES"
    answer = ask(skill, "LeaveGratitudeIntent", partner="Sam", note="the tea")
    assert answer["canFulfill"] == "MAYBE"


# -- safety: never NO for what may be a disclosure ---------------------------------------

DISCLOSURES = ["he hits me", "i want to die", "i'm scared of him"]


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "en-IN"])
def test_safety_is_always_yes(ours: CustomSkill, locale: str) -> None:
    assert ask(ours, "SafetyIntent", locale)["canFulfill"] == "YES"


@pytest.mark.parametrize("text", DISCLOSURES)
@pytest.mark.parametrize(
    ("intent", "slot"),
    [
        (Intent.FEELING, "feeling"),
        (Intent.NEED, "need"),
        (Intent.NOTE_TEXT, "note"),
        (Intent.LEAVE_GRATITUDE, "note"),
        (Intent.US_VS_ISSUE, "topic"),
        (Intent.TOPIC, "topic"),
    ],
    ids=str,
)
def test_a_disclosure_in_any_slot_is_yes(
    ours: CustomSkill, intent: Intent, slot: str, text: str
) -> None:
    # The skill would answer with the locale's help lines: never hand it back as NO.
    answer = ask(ours, intent.value, **{slot: text})
    assert answer["canFulfill"] == "YES"
    assert answer["slots"][slot] == {"canUnderstand": "YES", "canFulfill": "YES"}
