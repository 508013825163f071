"""Every English locale model: the same intents, slots and values as en-US, the same
certification checks as tests/model runs on en-US, and the locale's own words heard."""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

import tests.model.test_feelings_wheel as wheel_checks
import tests.model.test_interaction_model as certification
from skill.chat.model import INTERACTION_MODELS_DIR, InteractionModel, model_path
from skill.chat.nlu import understand
from skill.intents import SlotType
from skill.speech.content import content_for
from tests.locales.support import ALL_LOCALES, GENERATED, SOURCE, document, model, rules

# Checks about en-US's own file, not about what a model must be.
EN_US_ONLY = {"test_the_model_is_the_default_for_en_us"}


def checks(module: ModuleType) -> list[str]:
    return sorted(
        name
        for name, value in vars(module).items()
        if name.startswith("test_") and callable(value) and name not in EN_US_ONLY
    )


CERTIFICATION = [pytest.param(certification, name, id=name) for name in checks(certification)]
WHEEL = [pytest.param(wheel_checks, name, id=name) for name in checks(wheel_checks)]


def parametrised_calls(check: Callable[..., Any]) -> Iterator[dict[str, Any]]:
    """Each set of arguments pytest would pass to a check marked with parametrize."""
    combos: list[dict[str, Any]] = [{}]
    for mark in getattr(check, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names, rows = mark.args[0], mark.args[1]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        rows = [getattr(row, "values", row) for row in rows]
        rows = [row if len(names) > 1 else (row,) for row in rows]
        combos = [{**c, **dict(zip(names, row, strict=True))} for c in combos for row in rows]
    yield from combos


def run_check(check: Callable[..., Any], fixtures: dict[str, Any]) -> int:
    wanted = list(inspect.signature(check).parameters)
    calls = 0
    for params in parametrised_calls(check):
        missing = [name for name in wanted if name not in params and name not in fixtures]
        assert not missing, f"{check.__name__} needs {missing}: teach tests/locales about it"
        check(**{name: params.get(name, fixtures.get(name)) for name in wanted})
        calls += 1
    return calls


def locale_wheel(locale: str) -> dict[str, Any]:
    """The feelings wheel as the locale's model should reflect it: the shared wheel's
    synonyms, respelled, plus the locale's own."""
    shared = content_for(locale).data["feelings_wheel"]
    wheel: dict[str, Any] = copy.deepcopy(shared)
    locale_rules = rules()[locale]
    own = locale_rules.synonyms.get(SlotType.FEELING, {})
    words = [w for core in shared["core"] for w in (core["name"], *core["words"])]
    words += shared["vague"]
    taken = {p for w in words for p in (w, *shared["synonyms"].get(w, []))}
    for word in words:
        respelled = [
            spelled
            for phrase in (word, *shared["synonyms"].get(word, []))
            if (spelled := locale_rules.respelling.text(phrase)) not in taken
        ]
        extra = [*respelled, *own.get(re.sub(r"[^a-z]+", "_", word), ())]
        if extra:
            wheel["synonyms"][word] = [*shared["synonyms"].get(word, []), *extra]
    return wheel


@pytest.mark.parametrize("locale", GENERATED)
@pytest.mark.parametrize(("module", "name"), CERTIFICATION + WHEEL)
def test_locale_model_passes_the_en_us_certification(
    locale: str, module: ModuleType, name: str
) -> None:
    fixtures = {"model": model(locale), "document": document(locale), "wheel": locale_wheel(locale)}
    assert run_check(getattr(module, name), fixtures) >= 1


def test_the_certification_checks_were_found() -> None:
    names = {param.values[1] for param in CERTIFICATION + WHEEL}
    assert len(CERTIFICATION) >= 20
    assert {
        "test_no_two_intents_share_a_sample_up_to_contractions_and_slot_types",
        "test_smapi_model_reads_the_file_and_writes_it_back_unchanged",
        "test_feeling_type_covers_the_wheel_both_ways",
    } <= names


@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_every_locale_has_its_own_model_file(locale: str) -> None:
    assert model_path(locale) == INTERACTION_MODELS_DIR / f"{locale}.json"
    assert model(locale).invocation_name == "steady together"


def shape(found: InteractionModel) -> dict[str, Any]:
    return {
        "intents": [(i.name, i.slots) for i in found.intents],
        "types": [(t.name, [(v.id, v.value) for v in t.values]) for t in found.types],
    }


@pytest.mark.parametrize("locale", GENERATED)
def test_same_intents_slots_and_values_as_en_us(locale: str) -> None:
    assert shape(model(locale)) == shape(model(SOURCE))


@pytest.mark.parametrize("locale", GENERATED)
def test_every_en_us_sample_and_synonym_is_kept_in_local_spelling(locale: str) -> None:
    respell = rules()[locale].respelling.text
    local, us = model(locale), model(SOURCE)
    for intent in us.intents:
        assert {respell(s) for s in intent.samples} <= set(local.intent(intent.name).samples)
    for us_type in us.types:
        local_type = local.slot_type(us_type.name)
        assert local_type is not None
        for us_value, local_value in zip(us_type.values, local_type.values, strict=True):
            assert set(us_value.synonyms) <= set(local_value.synonyms)


@pytest.mark.parametrize("locale", GENERATED)
def test_the_locale_additions_are_in_its_model(locale: str) -> None:
    local, locale_rules = model(locale), rules()[locale]
    assert locale_rules.samples or locale_rules.synonyms
    for intent, samples in locale_rules.samples.items():
        assert set(samples) <= set(local.intent(intent).samples)
    for type_name, values in locale_rules.synonyms.items():
        found = local.slot_type(type_name)
        assert found is not None
        by_id = {value.id: value for value in found.values}
        for value_id, synonyms in values.items():
            assert set(synonyms) <= set(by_id[value_id].synonyms)


@pytest.mark.parametrize("locale", GENERATED)
def test_samples_are_in_the_locale_spelling(locale: str) -> None:
    respell = rules()[locale].respelling.text
    for intent in model(locale).intents:
        for sample in intent.samples:
            assert respell(sample) == sample, f"{locale} {intent.name}: {sample!r}"


def test_spelling_really_differs_where_it_should() -> None:
    def samples(locale: str, intent: str) -> set[str]:
        return set(model(locale).intent(intent).samples)

    assert "how many days have we practiced" in samples("en-US", "StreakIntent")
    for locale in GENERATED:
        assert "how many days have we practised" in samples(locale, "StreakIntent")
        assert "how many days have we practiced" not in samples(locale, "StreakIntent")
    # Canada keeps -ize; Britain, Australia and India write -ise.
    assert "recognize my voice" in samples("en-CA", "LinkVoiceIntent")
    for locale in ("en-GB", "en-AU", "en-IN"):
        assert "recognise my voice" in samples(locale, "LinkVoiceIntent")


# -- the locale's own words, as the chat hears them ------------------------------------------

HEARD = [
    ("en-GB", "let's have a natter", "CheckInIntent", {}),
    ("en-GB", "shall we do our morning check in", "CheckInIntent", {"time_of_day": "morning"}),
    ("en-GB", "cheers for the cuppa", "NoteTextIntent", {"note": None}),
    ("en-GB", "we're having a row", "PauseAttendReflectIntent", {}),
    ("en-GB", "let's crack on", "ContinueIntent", {}),
    ("en-GB", "i'm knackered", "FeelingIntent", {"feeling": "exhausted"}),
    ("en-GB", "i'm gutted", "FeelingIntent", {"feeling": "disappointed"}),
    ("en-GB", "remind us at the weekend to check in", "SetReminderIntent", {"day": "weekends"}),
    ("en-GB", "how many days on the trot", "StreakIntent", {}),
    ("en-AU", "let's have a yarn", "CheckInIntent", {}),
    ("en-AU", "we're having a blue", "PauseAttendReflectIntent", {}),
    ("en-AU", "thanks heaps for the coffee", "NoteTextIntent", {"note": None}),
    ("en-AU", "let's check in this arvo", "CheckInIntent", {"time_of_day": "afternoon"}),
    ("en-AU", "i'm stoked", "FeelingIntent", {"feeling": "excited"}),
    ("en-IN", "let us do our check in", "CheckInIntent", {}),
    ("en-IN", "let us breathe together", "SilentSyncIntent", {}),
    ("en-IN", "i am feeling tensed", "FeelingIntent", {"feeling": "tense"}),
    ("en-IN", "we are having a fight", "PauseAttendReflectIntent", {}),
    ("en-CA", "let's check in after supper", "CheckInIntent", {"time_of_day": "evening"}),
    ("en-CA", "suppertime check in", "CheckInIntent", {"time_of_day": "evening"}),
]


@pytest.mark.parametrize(("locale", "text", "intent", "slots"), HEARD)
def test_the_locale_model_hears_local_english(
    locale: str, text: str, intent: str, slots: dict[str, str | None]
) -> None:
    heard = understand(text, model(locale))
    assert heard.intent == intent, (locale, text, heard)
    for slot, resolved in slots.items():
        assert heard.slots.get(slot) is not None, (text, slot)
        if resolved is not None:
            assert heard.resolved_id(slot) == resolved, (text, heard.slots[slot])


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("let's have a natter", "CheckInIntent"),
        ("let's have a yarn", "CheckInIntent"),
        ("we're having a blue", "PauseAttendReflectIntent"),
    ],
)
def test_en_us_does_not_hear_the_local_words(text: str, intent: str) -> None:
    assert understand(text, model(SOURCE)).intent != intent


def test_en_us_does_not_resolve_local_feeling_words() -> None:
    heard = understand("i'm knackered", model(SOURCE))
    assert heard.resolved_id("feeling") != "exhausted"
