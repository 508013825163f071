"""The APL documents themselves: valid JSON, the APL structure, bindings that the
data sources can satisfy, and commands aimed at components that exist."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from skill.screens import loader
from tests.screens.support import bindings, component_ids, of_type

# The data each document is built for (as skill.practices.screens fills it).
DATA_KEYS = {
    loader.BREATHING: {
        "title", "readyLabel", "inLabel", "outLabel", "restLabel",
        "inhaleMs", "exhaleMs", "repeatCount", "restScale", "startDelayMs",
    },
    loader.CHECK_IN: {"title", "partners"},
    loader.TRUST_WEEK: {"title", "empty", "partners"},
    loader.REPAIR: {
        "title", "word", "invite", "fadeInMs", "inhaleMs", "exhaleMs", "restScale",
        "startDelayMs",
    },
}  # fmt: skip


@pytest.mark.parametrize("name", loader.DOCUMENT_NAMES)
def test_each_document_is_valid_apl(name: str) -> None:
    text = resources.files("skill.screens").joinpath("documents", f"{name}.json").read_text()
    document = json.loads(text)
    assert document["type"] == "APL"
    assert isinstance(document["version"], str) and document["version"]
    template = document["mainTemplate"]
    assert len(template["parameters"]) == 1
    assert isinstance(template["items"], list) and template["items"]
    assert all(isinstance(item, dict) and "type" in item for item in template["items"])


@pytest.mark.parametrize("name", loader.DOCUMENT_NAMES)
def test_bindings_name_only_the_parameter_and_its_known_keys(name: str) -> None:
    document = loader.document(name)
    (parameter,) = loader.parameters(name)
    roots = {root for root, _ in bindings(document)}
    # The parameter, item data inside a data-bound container, and APL built-ins.
    assert roots <= {parameter, "data", "viewport", "Math"}
    used = {key for root, key in bindings(document) if root == parameter}
    assert used == DATA_KEYS[name]


@pytest.mark.parametrize("name", loader.DOCUMENT_NAMES)
def test_commands_target_components_that_exist(name: str) -> None:
    document = loader.document(name)
    ids = component_ids(document)
    for kind in ("AnimateItem", "SetValue"):
        for command in of_type(document, kind):
            assert command["componentId"] in ids


def test_breathing_grows_on_inhale_and_shrinks_on_exhale_repeated_per_breath() -> None:
    document = loader.document(loader.BREATHING)
    grow, shrink = of_type(document, "AnimateItem")
    assert grow["duration"] == "${breathing.inhaleMs}"
    assert shrink["duration"] == "${breathing.exhaleMs}"
    assert grow["value"][0]["property"] == "transform"
    assert grow["value"][0]["to"] == [{"scale": 1}]
    assert shrink["value"][0]["to"] == [{"scale": "${breathing.restScale}"}]
    repeated = [s for s in of_type(document, "Sequential") if "repeatCount" in s]
    assert [s["repeatCount"] for s in repeated] == ["${breathing.repeatCount}"]
    assert grow in repeated[0]["commands"] and shrink in repeated[0]["commands"]
    (wait,) = of_type(document, "Idle")
    assert wait["delay"] == "${breathing.startDelayMs}"


def test_repair_takes_one_breath_after_its_lead_in() -> None:
    document = loader.document(loader.REPAIR)
    durations = [a["duration"] for a in of_type(document, "AnimateItem")]
    assert durations == ["${repair.fadeInMs}", "${repair.inhaleMs}", "${repair.exhaleMs}"]
    (wait,) = of_type(document, "Idle")
    assert wait["delay"] == "${repair.startDelayMs}"


def test_documents_are_read_once_and_handed_out_as_copies() -> None:
    first = loader.document(loader.CHECK_IN)
    first["mainTemplate"]["items"].clear()
    assert loader.document(loader.CHECK_IN)["mainTemplate"]["items"]


def test_an_unknown_document_is_an_error() -> None:
    with pytest.raises(loader.DocumentError):
        loader.document("nope")


def test_screen_and_card_texts_are_plain_text() -> None:
    body = json.loads(
        resources.files("skill.content").joinpath("en", "screens.json").read_text(encoding="utf-8")
    )
    for key, variants in body["phrases"].items():
        assert key.startswith(("screen.", "card."))
        for text in variants:
            assert "<" not in text and "&" not in text, key
