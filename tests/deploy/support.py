"""Paths and small readers shared by the deployment tests."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
MODELS_DIR = ROOT / "interaction_models"
MANIFEST = MODELS_DIR / "skill.json"
MODEL_FILE = re.compile(r"^[a-z]{2}-[A-Z]{2}\.json$")
MODEL_PATHS = sorted(p for p in MODELS_DIR.glob("*.json") if MODEL_FILE.match(p.name))

MANIFEST_TYPE = "ask_smapi_model.v1.skill.manifest.skill_manifest_envelope.SkillManifestEnvelope"
MODEL_TYPE = (
    "ask_smapi_model.v1.skill.interaction_model.interaction_model_data.InteractionModelData"
)

ALEXA_REGIONS = ["us-east-1", "eu-west-1", "us-west-2"]  # NA, EU, FE Lambda regions

SLOT_REFERENCE = re.compile(r"\{([^{}]*)\}")


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def smapi_round_trip(raw: str, type_name: str) -> Any:
    """Deserialize with ask-smapi-model and serialize back: unknown or misspelt keys are
    dropped on the way, invalid enum values raise."""
    serializer = DefaultSerializer()
    return serializer.serialize(serializer.deserialize(raw, type_name))


# Interfaces the skill declares that ask-smapi-model (1.36) has no class for: a
# type-only interface it cannot deserialize. Checked by name instead (the manifest
# test), and set aside for the round trip of everything else.
UNMODELLED_INTERFACES = frozenset({"CAN_FULFILL_INTENT_REQUEST"})


def manifest_round_trip(raw: str) -> Any:
    """`smapi_round_trip` of a skill manifest, with the interfaces the model lacks
    set aside on the way and put back after, in their place at the end."""
    body = json.loads(raw)
    custom = body["manifest"].get("apis", {}).get("custom", {})
    interfaces = custom.get("interfaces", [])
    unmodelled = [i for i in interfaces if i.get("type") in UNMODELLED_INTERFACES]
    custom["interfaces"] = [i for i in interfaces if i not in unmodelled]
    result = smapi_round_trip(json.dumps(body), MANIFEST_TYPE)
    result["manifest"]["apis"]["custom"]["interfaces"].extend(unmodelled)
    return result


def language_model(model: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = model["interactionModel"]["languageModel"]
    return result


def intent_samples(model: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(intent name, sample) for every intent sample of a model."""
    for intent in language_model(model)["intents"]:
        for sample in intent.get("samples", []):
            yield intent["name"], sample


def normalize_utterance(text: str) -> str:
    return " ".join(text.lower().split())


def sample_pattern(sample: str) -> re.Pattern[str]:
    """A regex matching what a sample accepts: each {slot} stands for one or more words."""
    parts = SLOT_REFERENCE.split(normalize_utterance(sample))
    regex = "".join(
        re.escape(part) if i % 2 == 0 else r"\S+(?: \S+)*" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$")
