"""The feelings wheel content, and its agreement with FeelingType in the model."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from skill.chat.model import InteractionModel, load_model
from skill.intents import SlotType

WHEEL_PATH = (
    Path(__file__).resolve().parents[2] / "skill" / "content" / "en" / "feelings_wheel.json"
)
BRIEF_VAGUE = {"fine", "okay", "ok", "good", "bad", "alright", "meh", "so-so", "not great"}


@pytest.fixture(scope="module")
def wheel() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(WHEEL_PATH.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def model() -> InteractionModel:
    return load_model()


def wheel_words(wheel: dict[str, Any]) -> list[str]:
    return [w for core in wheel["core"] for w in (core["name"], *core["words"])] + wheel["vague"]


def feeling_values(wheel: dict[str, Any]) -> list[str]:
    """The wheel's words, and "not sure" (the first way of not knowing; the others
    are its synonyms), which is an answer to "how are you feeling?" too."""
    return [*wheel_words(wheel), wheel["not_knowing"][0]]


def test_wheel_is_content_data_not_phrases(wheel: dict[str, Any]) -> None:
    # skill.speech.content treats a file with "phrases" as speech, not data.
    assert "phrases" not in wheel
    assert set(wheel) >= {"core", "vague"}


def test_wheel_has_enough_precise_words(wheel: dict[str, Any]) -> None:
    cores = wheel["core"]
    assert len(cores) >= 6
    for core in cores:
        assert len(core["words"]) >= 10, core["name"]
        assert 1 <= len(core["offer"]) <= 3, core["name"]
        assert set(core["offer"]) <= set(core["words"]), core["name"]
    assert sum(len(core["words"]) for core in cores) >= 60


def test_every_word_appears_once_and_is_plain_lower_case(wheel: dict[str, Any]) -> None:
    words = wheel_words(wheel)
    assert len(words) == len(set(words))
    for word in words:
        assert re.fullmatch(r"[a-z]+(?:[ -][a-z]+)*", word), word


def test_vague_words_include_the_usual_ones(wheel: dict[str, Any]) -> None:
    assert set(wheel["vague"]) >= BRIEF_VAGUE


def test_synonyms_belong_to_wheel_words(wheel: dict[str, Any]) -> None:
    assert set(wheel["synonyms"]) <= set(wheel_words(wheel))


def test_feeling_type_covers_the_wheel_both_ways(
    wheel: dict[str, Any], model: InteractionModel
) -> None:
    feeling_type = model.slot_type(SlotType.FEELING)
    assert feeling_type is not None
    values = {value.value for value in feeling_type.values}
    assert values == set(feeling_values(wheel))


def test_feeling_type_ids_and_synonyms_come_from_the_wheel(
    wheel: dict[str, Any], model: InteractionModel
) -> None:
    feeling_type = model.slot_type(SlotType.FEELING)
    assert feeling_type is not None
    not_sure, *other_ways = wheel["not_knowing"]
    for value in feeling_type.values:
        assert value.id == re.sub(r"[^a-z]+", "_", value.value)
        synonyms = other_ways if value.value == not_sure else wheel["synonyms"].get(value.value, [])
        assert set(value.synonyms) == set(synonyms), value.value


def test_no_feeling_word_would_hide_a_safety_phrase(model: InteractionModel) -> None:
    feeling_type = model.slot_type(SlotType.FEELING)
    assert feeling_type is not None
    phrases = {p for value in feeling_type.values for p in value.phrases}
    assert not phrases & {"unsafe", "not safe", "in danger", "abused", "suicidal"}
