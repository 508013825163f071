"""No other intent's sample contains a safety sample, or is matched by one: a carrier
such as "he {note}" or "i want {need}" would take "he hit me" or "i want to die" away
from SafetyIntent (and strip the words the screen needs). Checked both ways, in every
locale, with each slot standing for what its type can hold: any words for a phrase
slot, one or two words for a first name, a listed value for a custom type of words, any
words for a custom type of phrases (open types pass unlisted values through)."""

from __future__ import annotations

import re
from functools import cache

import pytest

from skill.chat.model import IntentDef, InteractionModel, load_model, model_path
from skill.chat.nlu import FREE_TEXT_VALUE_WORDS
from skill.speech.content import SUPPORTED_LOCALES

SAFETY = "SafetyIntent"
_SLOT = re.compile(r"\{(\w+)\}")


@cache
def model(locale: str) -> InteractionModel:
    return load_model(model_path(locale))


def slot_pattern(m: InteractionModel, intent: IntentDef, name: str) -> str:
    declared = intent.slot(name)
    assert declared is not None, (intent.name, name)
    if declared.type == "AMAZON.SearchQuery":
        return r"(?:\S+ )+"
    if declared.type == "AMAZON.FirstName":
        return r"(?:\S+ ){1,2}"
    if declared.type in ("AMAZON.NUMBER", "AMAZON.TIME", "AMAZON.DATE", "AMAZON.DURATION"):
        return r"(?:\S+ ){1,4}"
    slot_type = m.slot_type(declared.type)
    assert slot_type is not None, declared.type
    if any(len(v.value.split()) >= FREE_TEXT_VALUE_WORDS for v in slot_type.values):
        return r"(?:\S+ )+"  # a type of sentences (notes, needs, topics): open to any words
    phrases = sorted(
        {p.lower() for v in slot_type.values for p in v.phrases}, key=len, reverse=True
    )
    return "(?:" + "|".join(re.escape(p) + " " for p in phrases) + ")"


def sample_shape(
    m: InteractionModel, intent: IntentDef, sample: str
) -> tuple[re.Pattern[str], list[str | None]]:
    """The sample as a pattern over "w1 w2 ... " and its words (None for a slot)."""
    regex, words = "", []
    for index, part in enumerate(_SLOT.split(sample.lower())):
        if index % 2:
            regex += slot_pattern(m, intent, part)
            words.append(None)
        else:
            for word in part.split():
                regex += re.escape(word) + " "
                words.append(word)
    return re.compile(regex), words


def overlaps(locale: str) -> list[str]:
    m = model(locale)
    safety = [sample.lower().split() for sample in m.intent(SAFETY).samples]
    safety_words = [set(said) for said in safety]
    found: list[str] = []
    for intent in m.intents:
        if intent.name == SAFETY:
            continue
        samples = [*intent.samples]
        for sample in samples:
            pattern, words = sample_shape(m, intent, sample)
            literal = {word for word in words if word is not None}
            for said, said_words in zip(safety, safety_words, strict=True):
                # Cheap tests first: a match needs every literal word of the sample in
                # the safety sample; containment needs every safety word in the sample.
                could_take = literal <= said_words
                could_contain = said_words <= literal
                if not could_take and not could_contain:
                    continue
                text = " ".join(said) + " "
                if could_take and pattern.fullmatch(text):
                    found.append(f"{intent.name} {sample!r} takes {text.strip()!r}")
                    break
                size = len(said)
                if could_contain and any(
                    words[i : i + size] == said for i in range(len(words) - size + 1)
                ):
                    found.append(f"{intent.name} {sample!r} contains {text.strip()!r}")
                    break
    return found


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_sample_of_another_intent_overlaps_a_safety_sample(locale: str) -> None:
    assert len(model(locale).intent(SAFETY).samples) >= 300
    assert overlaps(locale) == []


def test_the_check_would_catch_a_carrier_that_swallows() -> None:
    m = model("en-US")
    topic = m.intent("TopicIntent")  # an open type of phrases
    swallowing, _ = sample_shape(m, topic, "he {topic}")
    assert swallowing.fullmatch("he hit me ")
    _pattern, words = sample_shape(m, topic, "i think he hit me about {topic}")
    assert words[2:5] == ["he", "hit", "me"]  # "contains" looks for exactly this
