"""First use with names that must not be kept: wake words are refused kindly (saying
one back could wake the device), commands and non-names are asked for again, and
invisible characters never reach what is kept or spoken."""

from __future__ import annotations

import pytest

from skill.privacy import couple_key
from skill.store.memory import MemoryStore
from tests.dialog.harness import Conversation, Said

SECRET = b"test-secret"  # the harness settings' user-id secret
WAKE_WORD_LINE = "rather not use"


def _names_of(store: MemoryStore, conversation: Conversation) -> list[str]:
    stored = store.load(couple_key(SECRET, conversation.user_id))
    assert stored is not None
    return [partner.name for partner in stored.profile.partners]


def _refused_wake_word(said: Said) -> bool:
    return said.says("wake word") and said.listening and "alexa" not in said.ssml.lower()


@pytest.mark.parametrize("wake_word", ["Alexa", "echo", "Computer", "AMAZON", "Ziggy"])
def test_a_wake_word_as_a_name_is_refused_kindly_and_asked_again(
    conversation: Conversation, store: MemoryStore, wake_word: str
) -> None:
    # U: open steady together
    conversation.launch()
    # U: we're Alexa and Sam
    said = conversation.intent("CoupleNamesIntent", first_name=wake_word, second_name="Sam")
    # A: I'd rather not use a wake word as a name ... what are your two first names?
    assert _refused_wake_word(said) and said.says("first name")
    assert wake_word.lower() not in said.ssml.lower()
    # U: we're Alex and Sam
    said = conversation.intent("CoupleNamesIntent", first_name="Alex", second_name="Sam")
    assert said.says("Alex and Sam")
    said = conversation.intent("AMAZON.YesIntent")
    assert said.says("Alex", "Sam")
    assert _names_of(store, conversation) == ["Alex", "Sam"]


def test_a_command_with_a_wake_word_is_refused_one_name_at_a_time(
    conversation: Conversation, store: MemoryStore
) -> None:
    conversation.launch()
    said = conversation.intent("NameIntent", name="Alexa, order ten pizzas")
    assert _refused_wake_word(said) and "pizza" not in said.text.lower()
    said = conversation.intent("NameIntent", name="Alex")
    assert said.says("Alex") and said.listening
    # The second name is asked for; a wake word there keeps the first.
    said = conversation.intent("NameIntent", name="Echo")
    assert _refused_wake_word(said) and said.says("Alex")
    said = conversation.intent("NameIntent", name="Sam")
    assert said.says("Alex and Sam")
    conversation.intent("AMAZON.YesIntent")
    assert _names_of(store, conversation) == ["Alex", "Sam"]


@pytest.mark.parametrize(
    "heard", ["order ten pizzas and a cake", "Sam2", "<audio src='x'/>", "A" * 25]
)
def test_what_is_not_a_name_is_asked_for_again(conversation: Conversation, heard: str) -> None:
    conversation.launch()
    said = conversation.intent("CoupleNamesIntent", first_name="Alex", second_name=heard)
    assert said.says("first name") and said.listening
    assert not said.says("Alex and")
    said = conversation.intent("CoupleNamesIntent", first_name="Alex", second_name="Sam")
    assert said.says("Alex and Sam")


def test_a_name_of_invisible_characters_only_is_not_heard(conversation: Conversation) -> None:
    conversation.launch()
    said = conversation.intent("CoupleNamesIntent", first_name="\u200b\u200d", second_name="Sam")
    assert said.listening and said.says("first name")
    assert not said.says("Sam.")


def test_overrides_and_zero_width_characters_are_stripped_before_keeping(
    conversation: Conversation, store: MemoryStore
) -> None:
    conversation.launch()
    said = conversation.intent(
        "CoupleNamesIntent", first_name="\u202eal\u200bex\u202c", second_name="\u2066Sam\u2069"
    )
    assert said.says("Alex and Sam")
    assert not any(ch in said.ssml for ch in "\u202e\u202c\u200b\u2066\u2069")
    conversation.intent("AMAZON.YesIntent")
    assert _names_of(store, conversation) == ["Alex", "Sam"]
