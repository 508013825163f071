"""The en-US interaction model: valid for Alexa, and in step with skill.intents."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from skill.chat.model import InteractionModel, load_model, model_path
from skill.chat.nlu import BUILT_IN_PHRASES
from skill.chat.spoken import norms
from skill.domain.safety.screen import Concern, screen_for
from skill.intents import BUILT_IN_INTENTS, SLOTS, Intent, SlotType

MODEL_PATH = Path(__file__).resolve().parents[2] / "interaction_models" / "en-US.json"
SLOT = re.compile(r"\{(\w+)\}")
LAUNCH_WORDS = ("ask", "tell", "open", "launch", "use", "talk to")
MAIN_INTENTS = (
    Intent.SILENT_SYNC,
    Intent.CHECK_IN,
    Intent.PAUSE_ATTEND_REFLECT,
    Intent.SET_REPAIR_WORD,
    Intent.TRUST_DEPOSIT,
    Intent.TRUST_WITHDRAWAL,
    Intent.TRUST_BALANCE,
    Intent.LEAVE_GRATITUDE,
    Intent.HEAR_NOTES,
    Intent.AUTOBIOGRAPHY,
    Intent.US_VS_ISSUE,
    Intent.FEELINGS_WHEEL,
    Intent.EVENING_RITUAL,
    Intent.TIPS,
    Intent.SAFETY,
    Intent.HISTORY_NEED,
    Intent.HISTORY_FEELING,
    Intent.FORGET_US,
    Intent.SET_REMINDER,
    Intent.FEELING,
    Intent.NEED,
    Intent.NAME,
    Intent.CONTINUE,
    Intent.STREAK,
    Intent.LINK_VOICE,
    Intent.NOTE_TEXT,
    Intent.ISSUE_STEP,
    Intent.RESOLVE_ISSUE,
    Intent.ISSUE_AGREEMENT,
    Intent.REPAIR_PHRASE,
    Intent.TOPIC,
    Intent.COUPLE_NAMES,
    Intent.PACE,
)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def model() -> InteractionModel:
    return load_model(MODEL_PATH)


def all_samples(model: InteractionModel) -> list[tuple[str, str]]:
    return [(intent.name, sample) for intent in model.intents for sample in intent.samples]


def test_the_model_is_the_default_for_en_us() -> None:
    assert model_path("en-US") == MODEL_PATH


def test_smapi_model_reads_the_file_and_writes_it_back_unchanged(document: dict[str, Any]) -> None:
    serializer = DefaultSerializer()
    parsed = serializer.deserialize(
        json.dumps(document),
        "ask_smapi_model.v1.skill.interaction_model.interaction_model_data.InteractionModelData",
    )
    language = parsed.interaction_model.language_model
    assert language.invocation_name == "steady together"
    assert len(language.intents) == len(Intent)
    # A key the SMAPI schema does not know would be dropped on the way back.
    assert serializer.serialize(parsed) == document


def test_invocation_name_follows_alexa_rules(model: InteractionModel) -> None:
    name = model.invocation_name
    assert name == name.lower()
    assert len(name.split()) >= 2
    assert not set(name.split()) & {"ask", "tell", "open", "launch", "alexa", "skill", "app"}


def test_intents_are_exactly_the_vocabulary(model: InteractionModel) -> None:
    assert model.intent_names == {intent.value for intent in Intent}


@pytest.mark.parametrize("intent", list(Intent), ids=str)
def test_slots_match_the_vocabulary(model: InteractionModel, intent: Intent) -> None:
    declared = {(slot.name, slot.type) for slot in model.intent(intent).slots}
    expected = {(slot.name, str(slot.type)) for slot in SLOTS.get(intent, ())}
    assert declared == expected


def test_every_slot_used_in_a_sample_is_declared_and_every_declared_slot_is_used(
    model: InteractionModel,
) -> None:
    for intent in model.intents:
        used: set[str] = set()
        # A slot may be heard only while another is asked for ("for {recipient}"
        # answering who is leaving a note): its intent's or its slots' samples use it.
        slot_samples = [sample for slot in intent.slots for sample in slot.samples]
        for sample in (*intent.samples, *slot_samples):
            names = SLOT.findall(sample)
            assert len(names) == len(set(names)), f"slot twice in {sample!r}"
            assert set(names) <= set(intent.slot_names), f"{intent.name}: {sample!r}"
            used.update(names)
        assert used == set(intent.slot_names), intent.name


def test_slot_types_are_defined_and_all_custom_types_are_used(model: InteractionModel) -> None:
    used = {slot.type for intent in model.intents for slot in intent.slots}
    defined = {slot_type.name for slot_type in model.types}
    assert {t for t in used if not t.startswith("AMAZON.")} == defined
    assert defined == {slot_type.value for slot_type in SlotType}


# Built-ins Alexa knows well; we extend only these, with how couples end, ask
# for help, agree, decline and change their minds (interaction_models/source/en.json).
EXTENDED_BUILT_INS = {Intent.STOP, Intent.HELP, Intent.CANCEL, Intent.YES, Intent.NO}


def test_built_in_intents_keep_their_own_samples(model: InteractionModel) -> None:
    for intent in BUILT_IN_INTENTS - EXTENDED_BUILT_INS:
        assert model.intent(intent).samples == ()
    for intent in EXTENDED_BUILT_INS:
        samples = model.intent(intent).samples
        # No slot, and not Alexa's own words ("stop", "help", "cancel") again.
        assert samples and not any("{" in s for s in samples)
        assert intent.value.split(".")[1].removesuffix("Intent").lower() not in samples


def test_no_sample_is_shared_by_two_intents(model: InteractionModel) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for intent_name, sample in all_samples(model):
        owners[sample.lower()].add(intent_name)
    assert {sample: names for sample, names in owners.items() if len(names) > 1} == {}


def sample_shape(sample: str, slot_types: dict[str, str]) -> tuple[str, ...]:
    """The words Alexa compares: contractions expanded, slots replaced by their type."""
    words: list[str] = []
    for index, part in enumerate(SLOT.split(sample)):
        words.extend([f"{{{slot_types[part]}}}"] if index % 2 else norms(part))
    return tuple(words)


def test_no_two_intents_share_a_sample_up_to_contractions_and_slot_types(
    model: InteractionModel,
) -> None:
    owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for intent in model.intents:
        slot_types = {slot.name: slot.type for slot in intent.slots}
        for sample in intent.samples:
            owners[sample_shape(sample, slot_types)].add(intent.name)
    assert {shape: names for shape, names in owners.items() if len(names) > 1} == {}


def test_no_duplicate_samples_within_an_intent(model: InteractionModel) -> None:
    for intent in model.intents:
        assert len(intent.samples) == len(set(intent.samples)), intent.name


def test_samples_use_only_characters_alexa_accepts(model: InteractionModel) -> None:
    for intent_name, sample in all_samples(model):
        literal = SLOT.sub("", sample)
        assert re.fullmatch(r"[a-z' .-]*", literal), f"{intent_name}: {sample!r}"
        assert not re.search(r"\d", sample), f"numbers must be spelled out: {sample!r}"
        assert sample == sample.strip() and "  " not in sample, repr(sample)
        assert " '" not in sample and not sample.startswith("'"), f"a split contraction: {sample!r}"
        assert re.fullmatch(r"(?:[^{}]|\{\w+\})*", sample), f"broken braces: {sample!r}"
        assert re.fullmatch(r"(?:\{\w+\}|[^{}\s]+)(?: (?:\{\w+\}|[^{}\s]+))*", sample), (
            f"a slot must stand alone as a word: {sample!r}"
        )


def test_no_sample_contains_a_launch_phrase(model: InteractionModel) -> None:
    for intent_name, sample in all_samples(model):
        padded = f" {SLOT.sub('', sample)} "
        for word in LAUNCH_WORDS:
            assert f" {word} " not in padded, f"{intent_name}: {sample!r} has {word!r}"


def test_pause_and_resume_are_left_to_the_built_ins(model: InteractionModel) -> None:
    for _, sample in all_samples(model):
        assert sample not in ("pause", "resume")
        assert "resume" not in sample.split()


def test_no_custom_sample_is_a_built_in_phrasing(model: InteractionModel) -> None:
    built_in = {norms(phrase) for phrases in BUILT_IN_PHRASES.values() for phrase in phrases}
    for intent_name, sample in all_samples(model):
        assert norms(sample) not in built_in or intent_name.startswith("AMAZON."), sample


def test_search_query_slots_have_a_carrier_and_stand_alone(model: InteractionModel) -> None:
    for intent in model.intents:
        query_slots = {slot.name for slot in intent.slots if slot.type == "AMAZON.SearchQuery"}
        for sample in intent.samples:
            names = set(SLOT.findall(sample))
            if names & query_slots:
                assert len(names) == 1, f"SearchQuery not alone in {sample!r}"
                assert SLOT.sub("", sample).strip(), f"no carrier phrase in {sample!r}"


@pytest.mark.parametrize("intent", MAIN_INTENTS, ids=str)
def test_main_intents_have_at_least_fifteen_samples(
    model: InteractionModel, intent: Intent
) -> None:
    assert len(model.intent(intent).samples) >= 15


def test_every_other_custom_intent_has_a_dozen_samples(model: InteractionModel) -> None:
    for intent in Intent:
        if intent not in BUILT_IN_INTENTS:
            assert len(model.intent(intent).samples) >= 12, intent


def test_custom_type_values_are_unique_and_have_ids(model: InteractionModel) -> None:
    for slot_type in model.types:
        ids = [value.id for value in slot_type.values]
        assert all(ids), slot_type.name
        assert len(ids) == len(set(ids)), slot_type.name
        phrases = [norms(p) for value in slot_type.values for p in value.phrases]
        assert all(phrases), slot_type.name
        duplicates = {p for p in phrases if phrases.count(p) > 1}
        assert duplicates == set(), f"{slot_type.name}: {duplicates}"


@pytest.mark.parametrize(
    ("slot_type", "ids"),
    [
        (SlotType.PACE, {"slower", "faster", "normal"}),
        (SlotType.TIME_OF_DAY, {"morning", "afternoon", "evening", "today", "yesterday"}),
        (SlotType.TRAP, {"solutions", "negative_stories", "fix_my_feelings"}),
        (SlotType.PRACTICE, {"check_in", "trust_review", "silent_sync", "evening_ritual"}),
        (
            SlotType.DAY,
            {
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
                "every_day",
                "weekdays",
                "weekends",
            },
        ),
    ],
    # Sorted, so that every test worker collects the same names.
    ids=lambda value: ",".join(sorted(value)) if isinstance(value, set) else str(value),
)
def test_entity_resolution_ids(model: InteractionModel, slot_type: SlotType, ids: set[str]) -> None:
    found = model.slot_type(slot_type)
    assert found is not None
    assert {value.id for value in found.values} == ids


@pytest.mark.parametrize(
    ("slot_type", "spoken", "expected_id"),
    [
        (SlotType.PACE, "slow down", "slower"),
        (SlotType.PACE, "quicker", "faster"),
        (SlotType.TIME_OF_DAY, "tonight", "evening"),
        (SlotType.TRAP, "fixing too fast", "solutions"),
        (SlotType.TRAP, "assumptions", "negative_stories"),
        (SlotType.TRAP, "expecting my partner to fix my feelings", "fix_my_feelings"),
        (SlotType.DAY, "daily", "every_day"),
        (SlotType.PRACTICE, "breathing", "silent_sync"),
        (SlotType.REPAIR_WORD, "timeout", "time_out"),
    ],
)
def test_synonyms_resolve_to_their_value(
    model: InteractionModel, slot_type: SlotType, spoken: str, expected_id: str
) -> None:
    found = model.slot_type(slot_type)
    assert found is not None
    ids = [value.id for value in found.values if spoken in value.phrases]
    assert ids == [expected_id]


def test_repair_word_type_has_placeholders_for_dynamic_entities(model: InteractionModel) -> None:
    found = model.slot_type(SlotType.REPAIR_WORD)
    assert found is not None
    assert {"pineapple", "time out", "olive branch"} <= {value.value for value in found.values}


def test_safety_samples_cover_every_concern_and_each_is_a_disclosure(
    model: InteractionModel,
) -> None:
    """One source: the samples come from templates, the screen from its data; every
    sample is one the screen hears, and every kind of concern has samples."""
    screen = screen_for("en")
    samples = model.intent(Intent.SAFETY).samples
    assert len(samples) >= 300
    found = {sample: screen.screen(sample) for sample in samples}
    assert [sample for sample, hit in found.items() if hit is None] == []
    named = set(Concern) - {Concern.OTHER_RISK}  # the classifier's own, no rule's
    assert {hit.concern for hit in found.values() if hit is not None} >= named
