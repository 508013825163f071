"""What the locale tests share: the locales, their models, and the overrides."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from skill.chat.locales import OVERRIDES_FILE, LocaleRules, load_rules
from skill.chat.model import INTERACTION_MODELS_DIR, InteractionModel, load_model, model_path
from skill.speech.content import SUPPORTED_LOCALES

SOURCE = "en-US"
GENERATED = tuple(locale for locale in SUPPORTED_LOCALES if locale != SOURCE)
ALL_LOCALES = SUPPORTED_LOCALES

# Emergency number first; then the lines the locale's safety.json names.
HELP_NUMBERS = {
    "en-US": ("911", "988", "1-800-799-7233"),
    "en-GB": ("999", "116 123", "0808 2000 247"),
    "en-CA": ("911", "988"),
    "en-AU": ("000", "13 11 14", "1800 737 732"),
    "en-IN": ("112", "14416"),
}


def rules() -> dict[str, LocaleRules]:
    return load_rules(INTERACTION_MODELS_DIR / OVERRIDES_FILE)


def model(locale: str) -> InteractionModel:
    return load_model(model_path(locale))


def document(locale: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(model_path(locale).read_text(encoding="utf-8"))
    return body


def models_dir() -> Path:
    return INTERACTION_MODELS_DIR
