"""Loading the interaction model: typed, parsed once per path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skill.chat.model import INTERACTION_MODELS_DIR, ModelError, load_model, model_path, parse_model


def test_default_model_is_en_us_and_is_cached() -> None:
    first = load_model()
    assert first is load_model(model_path("en-US"))
    assert first is load_model(str(INTERACTION_MODELS_DIR / "en-US.json"))
    assert first.invocation_name == "steady together"


def test_unknown_locales_fall_back_to_en_us() -> None:
    assert model_path("xx-XX") == INTERACTION_MODELS_DIR / "en-US.json"


def test_typed_access() -> None:
    model = load_model()
    sync = model.intent("SilentSyncIntent")
    assert sync.slot_names == ("breaths", "pace")
    pace_slot = sync.slot("pace")
    assert pace_slot is not None and pace_slot.type == "PaceType"
    assert sync.slot("nope") is None
    pace = model.slot_type("PaceType")
    assert pace is not None
    slower = next(value for value in pace.values if value.id == "slower")
    assert slower.phrases[0] == "slower" and "slow down" in slower.phrases
    assert model.slot_type("NoSuchType") is None
    with pytest.raises(KeyError):
        model.intent("NoSuchIntent")


def test_a_small_model_file(tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    document = {
        "interactionModel": {
            "languageModel": {
                "invocationName": "tiny test",
                "intents": [{"name": "HelloIntent", "samples": ["hello there"]}],
            }
        }
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    tiny = load_model(path)
    assert tiny.intent_names == {"HelloIntent"}
    assert tiny.types == ()
    assert tiny.intent("HelloIntent").samples == ("hello there",)


def test_not_a_model() -> None:
    with pytest.raises(ModelError):
        parse_model({"languageModel": {}})
