"""The interaction model (`interaction_models/<locale>.json`) as typed, immutable data.

Loaded once per path: `load_model(path)` is cached, so the chat and the tests share
one parsed copy."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

INTERACTION_MODELS_DIR = Path(__file__).resolve().parents[2] / "interaction_models"
DEFAULT_LOCALE = "en-US"


class ModelError(ValueError):
    """The file is not an interaction model we can read."""


@dataclass(frozen=True)
class SlotDef:
    name: str
    type: str
    # What Alexa listens for while the skill asks for this slot (Dialog.ElicitSlot).
    samples: tuple[str, ...] = ()


@dataclass(frozen=True)
class IntentDef:
    name: str
    slots: tuple[SlotDef, ...]
    samples: tuple[str, ...]

    def slot(self, name: str) -> SlotDef | None:
        return next((slot for slot in self.slots if slot.name == name), None)

    @property
    def slot_names(self) -> tuple[str, ...]:
        return tuple(slot.name for slot in self.slots)


@dataclass(frozen=True)
class TypeValue:
    id: str | None
    value: str
    synonyms: tuple[str, ...] = ()

    @property
    def phrases(self) -> tuple[str, ...]:
        """The value followed by its synonyms: every way to say it."""
        return (self.value, *self.synonyms)


@dataclass(frozen=True)
class SlotTypeDef:
    name: str
    values: tuple[TypeValue, ...]


@dataclass(frozen=True)
class InteractionModel:
    invocation_name: str
    intents: tuple[IntentDef, ...]
    types: tuple[SlotTypeDef, ...]

    def intent(self, name: str) -> IntentDef:
        for intent in self.intents:
            if intent.name == name:
                return intent
        raise KeyError(name)

    def slot_type(self, name: str) -> SlotTypeDef | None:
        return next((t for t in self.types if t.name == name), None)

    @property
    def intent_names(self) -> frozenset[str]:
        return frozenset(intent.name for intent in self.intents)


def model_path(locale: str = DEFAULT_LOCALE) -> Path:
    """Where the model of a locale lives; en-US is the fallback for unknown locales."""
    path = INTERACTION_MODELS_DIR / f"{locale}.json"
    return path if path.is_file() else INTERACTION_MODELS_DIR / f"{DEFAULT_LOCALE}.json"


def load_model(path: str | Path | None = None) -> InteractionModel:
    """The parsed model at `path` (default: en-US), parsed once per resolved path."""
    return _load(Path(path or model_path()).resolve())


@cache
def _load(path: Path) -> InteractionModel:
    return parse_model(json.loads(path.read_text(encoding="utf-8")))


def parse_model(document: dict[str, Any]) -> InteractionModel:
    try:
        language = document["interactionModel"]["languageModel"]
        return InteractionModel(
            invocation_name=str(language["invocationName"]),
            intents=tuple(_intent(item) for item in language["intents"]),
            types=tuple(_slot_type(item) for item in language.get("types", ())),
        )
    except (KeyError, TypeError) as error:
        raise ModelError(f"not an interaction model: missing {error}") from error


def _intent(item: dict[str, Any]) -> IntentDef:
    return IntentDef(
        name=str(item["name"]),
        slots=tuple(
            SlotDef(str(s["name"]), str(s["type"]), tuple(map(str, s.get("samples", ()))))
            for s in item.get("slots", ())
        ),
        samples=tuple(str(sample) for sample in item.get("samples", ())),
    )


def _slot_type(item: dict[str, Any]) -> SlotTypeDef:
    values = tuple(
        TypeValue(
            id=value.get("id"),
            value=str(value["name"]["value"]),
            synonyms=tuple(str(s) for s in value["name"].get("synonyms", ())),
        )
        for value in item.get("values", ())
    )
    return SlotTypeDef(str(item["name"]), values)
