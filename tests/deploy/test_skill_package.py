"""interaction_models/: the skill manifest and every interaction model parse with
ask-smapi-model and pass the certification basics that can be checked offline."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from skill.packaging import ENDPOINT_PLACEHOLDER
from skill.proactive import EVENT_NAME, NOTIFICATIONS_PERMISSION

from .support import (
    MANIFEST,
    MODEL_PATHS,
    MODEL_TYPE,
    SLOT_REFERENCE,
    intent_samples,
    language_model,
    load_json,
    manifest_round_trip,
    normalize_utterance,
    sample_pattern,
    smapi_round_trip,
)

PUBLISHED_LOCALES = {"en-US", "en-GB", "en-CA", "en-AU", "en-IN"}
REQUIRED_BUILT_INS = {
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.FallbackIntent",
}
# Words that start or route a skill: not allowed in an invocation name or in a sample.
LAUNCH_WORDS = {"ask", "tell", "open", "launch", "load", "begin", "enable"}
INVOCATION_FORBIDDEN = LAUNCH_WORDS | {
    "alexa",
    "amazon",
    "echo",
    "computer",
    "skill",
    "app",
    "to",
    "from",
    "in",
    "using",
    "with",
    "about",
    "for",
    "that",
    "by",
    "if",
    "and",
    "whether",
}
SAMPLE_LAUNCH_PHRASES = {"ask", "tell", "open", "launch", "alexa"}
EXAMPLE_PREFIXES = ("alexa, ask {name} to ", "alexa, tell {name} to ", "alexa, ask {name} ")

models = pytest.mark.parametrize("model_path", MODEL_PATHS, ids=lambda p: p.stem)


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    body: dict[str, Any] = load_json(MANIFEST)["manifest"]
    return body


# ------------------------------------------------------------------------ manifest


def test_manifest_round_trips_through_ask_smapi_model() -> None:
    raw = MANIFEST.read_text(encoding="utf-8")
    assert manifest_round_trip(raw) == load_json(MANIFEST)


def test_publishing_information_per_locale(manifest: dict[str, Any]) -> None:
    publishing = manifest["publishingInformation"]
    assert set(publishing["locales"]) == PUBLISHED_LOCALES
    assert publishing["category"] == "HEALTH_AND_FITNESS"
    for locale, info in publishing["locales"].items():
        assert info["name"] == "Steady Together", locale
        assert 0 < len(info["summary"]) <= 160, locale
        assert len(info["description"]) <= 4000, locale
        description = info["description"].lower()
        assert "not medical" in description, locale
        assert "not a substitute" in description, locale
        assert info["examplePhrases"][0] == "Alexa, open steady together", locale
        assert 1 <= len(info["examplePhrases"]) <= 3, locale
        assert 1 <= len(info["keywords"]) <= 30, locale


def test_privacy_and_compliance(manifest: dict[str, Any]) -> None:
    privacy = manifest["privacyAndCompliance"]
    assert privacy["usesPersonalInfo"] is True
    assert privacy["isExportCompliant"] is True
    assert privacy["containsAds"] is False
    assert privacy["allowsPurchases"] is False
    assert privacy["isChildDirected"] is False
    assert set(privacy["locales"]) == PUBLISHED_LOCALES
    for locale, urls in privacy["locales"].items():
        assert urls["privacyPolicyUrl"].startswith("https://"), locale
        assert urls["termsOfUseUrl"].startswith("https://"), locale


def test_permissions_events_and_interfaces(manifest: dict[str, Any]) -> None:
    permissions = {p["name"] for p in manifest["permissions"]}
    assert "alexa::alerts:reminders:skill:readwrite" in permissions
    # The message alert that lights the ring when a thank-you waits (skill.proactive).
    assert NOTIFICATIONS_PERMISSION in permissions
    events = manifest["events"]
    assert {s["eventName"] for s in events["subscriptions"]} == {
        "SKILL_DISABLED",
        "SKILL_PERMISSION_ACCEPTED",
        "SKILL_PERMISSION_CHANGED",
        "SKILL_PROACTIVE_SUBSCRIPTION_CHANGED",
    }
    assert events["publications"] == [{"eventName": EVENT_NAME}]
    custom = manifest["apis"]["custom"]
    # Placeholders only: `steady package` writes the real ARN (or leaves the endpoint out).
    assert events["endpoint"]["uri"] == custom["endpoint"]["uri"] == ENDPOINT_PLACEHOLDER
    assert [i["type"] for i in custom["interfaces"]] == [
        "ALEXA_PRESENTATION_APL",
        "CAN_FULFILL_INTENT_REQUEST",
    ]


def test_every_model_has_a_manifest_locale(manifest: dict[str, Any]) -> None:
    model_locales = {p.stem for p in MODEL_PATHS}
    assert model_locales <= set(manifest["publishingInformation"]["locales"])
    assert model_locales <= set(manifest["privacyAndCompliance"]["locales"])


@models
def test_example_phrases_are_heard_by_the_model(model_path: Path, manifest: dict[str, Any]) -> None:
    model = load_json(model_path)
    name = language_model(model)["invocationName"]
    phrases = manifest["publishingInformation"]["locales"][model_path.stem]["examplePhrases"]
    patterns = [sample_pattern(sample) for _, sample in intent_samples(model)]
    assert normalize_utterance(phrases[0]) == f"alexa, open {name}"
    for phrase in phrases[1:]:
        text = normalize_utterance(phrase).rstrip(".")
        prefix = next(
            (p.format(name=name) for p in EXAMPLE_PREFIXES if text.startswith(p.format(name=name))),
            None,
        )
        assert prefix is not None, f"{phrase!r} does not invoke {name!r}"
        utterance = text.removeprefix(prefix)
        assert any(p.match(utterance) for p in patterns), f"no sample hears {utterance!r}"


# -------------------------------------------------------------------------- models


@models
def test_model_round_trips_through_ask_smapi_model(model_path: Path) -> None:
    raw = model_path.read_text(encoding="utf-8")
    assert smapi_round_trip(raw, MODEL_TYPE) == load_json(model_path)


@models
def test_invocation_name(model_path: Path) -> None:
    name = language_model(load_json(model_path))["invocationName"]
    words = name.split()
    assert len(words) >= 2
    assert name == name.lower()
    assert re.fullmatch(r"[a-z' .]+", name), name
    assert not INVOCATION_FORBIDDEN & set(words)


@models
def test_required_built_in_intents(model_path: Path) -> None:
    names = {i["name"] for i in language_model(load_json(model_path))["intents"]}
    assert names >= REQUIRED_BUILT_INS


@models
def test_no_sample_is_repeated_or_shared(model_path: Path) -> None:
    counts = Counter(normalize_utterance(s) for _, s in intent_samples(load_json(model_path)))
    assert [s for s, n in counts.items() if n > 1] == []


@models
def test_every_slot_in_a_sample_is_declared(model_path: Path) -> None:
    model = language_model(load_json(model_path))
    custom_types = {t["name"] for t in model.get("types", [])}
    for intent in model["intents"]:
        slots = {s["name"]: s for s in intent.get("slots", [])}
        texts = list(intent.get("samples", []))
        texts += [t for s in slots.values() for t in s.get("samples", [])]
        used = {ref for text in texts for ref in SLOT_REFERENCE.findall(text)}
        assert used <= set(slots), f"{intent['name']}: undeclared {sorted(used - set(slots))}"
        for slot in slots.values():
            slot_type = slot["type"]
            assert slot_type.startswith("AMAZON.") or slot_type in custom_types, slot


@models
def test_no_sample_contains_a_launch_word(model_path: Path) -> None:
    offending = [
        (intent, sample)
        for intent, sample in intent_samples(load_json(model_path))
        if SAMPLE_LAUNCH_PHRASES & set(normalize_utterance(sample).split())
        or "talk to" in normalize_utterance(sample)
    ]
    assert offending == []
