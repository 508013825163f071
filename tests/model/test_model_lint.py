"""The model lint, in every locale: enough varied samples for every intent that starts
a practice, and no catch-all (a sample of nothing but open slots) outside the step
that asks for it. That no two intents share a sample once slots are abstracted is
tests/model/test_interaction_model.py's, run in every locale by tests/locales."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from skill.chat.model import InteractionModel, load_model, model_path, parse_model
from skill.practices.registry import starting_intents
from skill.speech.content import SUPPORTED_LOCALES
from tests.model.test_interaction_model import SLOT

# Words that carry nothing: a sample of only these and slots is a catch-all.
FILLERS = frozenset({"please", "um", "uh", "just", "maybe", "oh", "well", "so", "now", "okay"})
# The deliberate catch-alls, each with a guard in the router:
# - "Alexa, tell Steady Together pineapple" has no carrier but the couple's own word
#   (mission, repair ritual); a word that is not theirs is not taken as a repair.
# - "slower please", the answer to "another round?"; a pace that resolves to none of
#   the three is never taken as a request to breathe.
DELIBERATE = frozenset({("SayRepairWordIntent", "{repair_word}"), ("PaceIntent", "{pace} please")})
CLOSED_BUILT_INS = frozenset({"AMAZON.FirstName", "AMAZON.NUMBER", "AMAZON.TIME"})


@pytest.fixture(scope="module", params=SUPPORTED_LOCALES)
def model(request: pytest.FixtureRequest) -> InteractionModel:
    return load_model(model_path(str(request.param)))


def test_every_starting_intent_has_sixty_samples(model: InteractionModel) -> None:
    short = {
        intent.value: len(model.intent(intent).samples)
        for intent in starting_intents()
        if len(model.intent(intent).samples) < 60
    }
    assert short == {}


@dataclass(frozen=True)
class Sample:
    intent: str
    text: str
    slot_types: tuple[str, ...]  # the types of the slots it names, in order
    words: tuple[str, ...]  # its own words, the slots left out


def samples_of(model: InteractionModel) -> Iterator[Sample]:
    for intent in model.intents:
        types = {slot.name: slot.type for slot in intent.slots}
        for text in intent.samples:
            yield Sample(
                intent.name,
                text,
                tuple(types[name] for name in SLOT.findall(text)),
                tuple(SLOT.sub(" ", text).split()),
            )


def catch_alls(model: InteractionModel) -> list[tuple[str, str]]:
    """Samples of nothing but open slots and filler words, but the deliberate one."""
    found = []
    for sample in samples_of(model):
        if not sample.slot_types or any(word not in FILLERS for word in sample.words):
            continue
        if all(slot_type in CLOSED_BUILT_INS for slot_type in sample.slot_types):
            continue  # "{first_name} and {second_name}": a built-in's own list
        if (sample.intent, sample.text) not in DELIBERATE:
            found.append((sample.intent, sample.text))
    return found


def test_no_catch_all_sample_outside_the_step_that_asks(model: InteractionModel) -> None:
    assert catch_alls(model) == []


# Samples of one word and an open slot whose word other intents also start or end with,
# each guarded: the pace's three values ("go slower", "that's too fast"; an unlisted one
# is never a pace without more of the sample's words, skill/chat/nlu.py, nor a request
# to breathe, skill/handlers/routing.py), and "I'm {feeling}", the answer to "how are
# you feeling?" (set-up reads "I'm Alex" as a name).
SHARED_ONE_WORD = frozenset(
    {
        ("PaceIntent", "go {pace}"),
        ("PaceIntent", "{pace} please"),
        ("PaceIntent", "that's {pace}"),
        ("FeelingIntent", "i'm {feeling}"),
    }
)


def one_word_catch_alls(model: InteractionModel) -> list[tuple[str, str]]:
    """Samples of one word beside an open slot ("set {topic}") whose word opens (or
    ends) another intent's samples: each takes every such request that fits nowhere
    else ("set a timer", "clear all our data" as an issue resolved)."""
    openings: dict[str, set[str]] = {}
    endings: dict[str, set[str]] = {}
    for intent in model.intents:
        for sample in intent.samples:
            words = sample.split()
            if not words[0].startswith("{"):
                openings.setdefault(words[0], set()).add(intent.name)
            if not words[-1].startswith("{"):
                endings.setdefault(words[-1], set()).add(intent.name)
    found = []
    for sample in samples_of(model):
        if len(sample.slot_types) != 1 or len(sample.words) != 1:
            continue
        if sample.slot_types[0] in CLOSED_BUILT_INS:
            continue
        word = sample.words[0]
        table = openings if sample.text.startswith(word) else endings
        if table[word] - {sample.intent} and (sample.intent, sample.text) not in SHARED_ONE_WORD:
            found.append((sample.intent, sample.text))
    return found


def test_no_one_word_sample_takes_another_intents_requests(model: InteractionModel) -> None:
    assert one_word_catch_alls(model) == []


def test_the_lint_would_catch_a_one_word_catch_all() -> None:
    caught = parse_model(
        {
            "interactionModel": {
                "languageModel": {
                    "invocationName": "steady together",
                    "intents": [
                        {
                            "name": "ResolveIssueIntent",
                            "slots": [{"name": "topic", "type": "TopicType"}],
                            "samples": ["set {topic}", "resolve {topic}"],
                        },
                        {"name": "SetReminderIntent", "slots": [], "samples": ["set a reminder"]},
                    ],
                    "types": [{"name": "TopicType", "values": [{"name": {"value": "money"}}]}],
                }
            }
        }
    )
    assert one_word_catch_alls(caught) == [("ResolveIssueIntent", "set {topic}")]


def test_no_two_open_slots_side_by_side(model: InteractionModel) -> None:
    """Two open slots with nothing between them leave Alexa to guess where one ends
    ("remind us to do our evening ritual" split as practice "do our evening", day
    "ritual"). A built-in's own list beside an open slot is fine ("{breaths} {pace}")."""
    found = []
    for intent in model.intents:
        types = {slot.name: slot.type for slot in intent.slots}
        for sample in intent.samples:
            for left, right in re.findall(r"\{(\w+)\} (?=\{(\w+)\})", sample):
                if types[left] not in CLOSED_BUILT_INS and types[right] not in CLOSED_BUILT_INS:
                    found.append((intent.name, sample))
    assert found == []


def test_the_lint_would_catch_a_bare_open_slot() -> None:
    def one_intent(*samples: str) -> InteractionModel:
        intent = {
            "name": "NeedIntent",
            "slots": [
                {"name": "need", "type": "NeedType"},
                {"name": "who", "type": "AMAZON.FirstName"},
            ],
            "samples": list(samples),
        }
        return parse_model(
            {
                "interactionModel": {
                    "languageModel": {
                        "invocationName": "steady together",
                        "intents": [intent],
                        "types": [{"name": "NeedType", "values": [{"name": {"value": "rest"}}]}],
                    }
                }
            }
        )

    caught = one_intent("{need} please", "um {need}", "i need {need}", "it's {who}", "{need}")
    assert catch_alls(caught) == [
        ("NeedIntent", "{need} please"),
        ("NeedIntent", "um {need}"),
        ("NeedIntent", "{need}"),
    ]


def test_every_model_stays_under_a_megabyte() -> None:
    """No documented ceiling was found for a model's size; the console has refused to
    save much larger ones. Growth past this is a decision, not an accident."""
    for locale in SUPPORTED_LOCALES:
        assert model_path(locale).stat().st_size < 1_000_000, locale
