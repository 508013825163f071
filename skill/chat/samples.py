"""Sample utterances from templates (build time only: the generator of the
interaction models uses it; no turn of the skill imports it).

A template is words with choices and optional parts:

    "i (want|need) to (die|end it all) [tonight]"

expands to every combination. An intent keeps at most `limit` distinct samples, taken
round-robin across its templates in a fixed, hash-based order, so every template is
represented and the result is the same on every run."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.chat.model import INTERACTION_MODELS_DIR

SOURCE_DIR = INTERACTION_MODELS_DIR / "source"


class TemplateError(ValueError):
    """A template does not parse."""


@dataclass(frozen=True)
class IntentTemplates:
    intent: str
    templates: tuple[str, ...]
    limit: int


@dataclass(frozen=True)
class ElicitedSlot:
    """A slot the skill asks for by name: its type, the samples Alexa listens for
    while it asks, and the (required, unused) prompt of the dialog model."""

    intent: str
    slot: str
    type: str
    samples: tuple[str, ...]
    prompt: str

    @property
    def prompt_id(self) -> str:
        return f"Elicit.Slot.{self.intent}.{self.slot}"


@dataclass(frozen=True)
class ModelSource:
    intents: tuple[IntentTemplates, ...]
    slots: tuple[ElicitedSlot, ...]
    types: Mapping[str, tuple[str, ...]]


def expand(template: str) -> list[str]:
    """Every sentence the template can say, in order, spaces tidied."""
    tokens = _tokens(template)
    choices, end = _sequence(tokens, 0)
    if end != len(tokens):
        raise TemplateError(f"unbalanced template: {template!r}")
    return list(dict.fromkeys(" ".join(text.split()) for text in choices if text.strip()))


def _tokens(template: str) -> list[str]:
    out: list[str] = []
    word = ""
    for ch in template:
        if ch in "()[]|":
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
    if word:
        out.append(word)
    return out


def _sequence(tokens: list[str], index: int) -> tuple[list[str], int]:
    """Expansions of tokens from `index` to the next "|", ")" or "]"."""
    parts: list[list[str]] = []
    while index < len(tokens) and tokens[index] not in ("|", ")", "]"):
        item = tokens[index]
        if item in ("(", "["):
            closing = ")" if item == "(" else "]"
            options: list[str] = [] if item == "(" else [""]
            index += 1
            while True:
                sub, index = _sequence(tokens, index)
                options.extend(sub)
                if index >= len(tokens):
                    raise TemplateError(f"unclosed {item!r}")
                if tokens[index] == closing:
                    index += 1
                    break
                if tokens[index] != "|":
                    raise TemplateError(f"unexpected {tokens[index]!r}")
                index += 1
            parts.append(options)
        else:
            parts.append([item])
            index += 1
    return ["".join(combo) for combo in itertools.product(*parts)], index


def value_id(value: str) -> str:
    """A slot value's id: its words, upper case, joined by underscores."""
    return "_".join("".join(ch for ch in word if ch.isalnum()) for word in value.split()).upper()


def _order(sample: str) -> bytes:
    return hashlib.blake2s(sample.encode(), digest_size=8).digest()


def select(templates: Sequence[str], limit: int) -> list[str]:
    """Up to `limit` distinct samples, round-robin across the templates."""
    pools = [sorted(expand(template), key=_order) for template in templates]
    chosen: dict[str, None] = {}
    for layer in itertools.zip_longest(*pools):
        for sample in layer:
            if sample is not None and len(chosen) < limit:
                chosen.setdefault(sample)
        if len(chosen) >= limit:
            break
    return list(chosen)


def load_source(language: str = "en", folder: Path = SOURCE_DIR) -> ModelSource:
    body: dict[str, Any] = json.loads((folder / f"{language}.json").read_text(encoding="utf-8"))
    intents = tuple(
        IntentTemplates(name, tuple(entry["templates"]), int(entry["limit"]))
        for name, entry in body.get("intents", {}).items()
    )
    slots = tuple(
        ElicitedSlot(
            intent=key.split(".")[0],
            slot=key.split(".")[1],
            type=str(entry["type"]),
            samples=tuple(entry["samples"]),
            prompt=str(entry["prompt"]),
        )
        for key, entry in body.get("slots", {}).items()
    )
    types = {name: tuple(values) for name, values in body.get("types", {}).items()}
    return ModelSource(intents, slots, types)


def generated_samples(language: str = "en", folder: Path = SOURCE_DIR) -> dict[str, list[str]]:
    """Intent name -> the samples its templates give."""
    return {t.intent: select(t.templates, t.limit) for t in load_source(language, folder).intents}


def apply_source(document: dict[str, Any], source: ModelSource) -> None:
    """Write the source into an interaction model, in place: templated samples,
    elicited slots (type, slot samples, dialog model, prompts) and custom types."""
    language = document["interactionModel"]["languageModel"]
    intents = {intent["name"]: intent for intent in language["intents"]}
    unknown = sorted({t.intent for t in source.intents} - set(intents))
    if unknown:
        raise TemplateError(f"templates for intents the model lacks: {unknown}")
    for templates in source.intents:
        intents[templates.intent]["samples"] = select(templates.templates, templates.limit)
    types = {t["name"]: t for t in language.setdefault("types", [])}
    for name, values in source.types.items():
        entry = {
            "name": name,
            "values": [{"id": value_id(value), "name": {"value": value}} for value in values],
        }
        if name in types:
            types[name].update(entry)
        else:
            language["types"].append(entry)
    dialog_intents: dict[str, dict[str, Any]] = {}
    prompts: list[dict[str, Any]] = []
    for elicited in source.slots:
        intent = intents.get(elicited.intent)
        declared = {s["name"]: s for s in (intent or {}).get("slots", [])}
        if intent is None or elicited.slot not in declared:
            raise TemplateError(f"no slot {elicited.slot} in {elicited.intent}")
        declared[elicited.slot]["type"] = elicited.type
        declared[elicited.slot]["samples"] = list(elicited.samples)
        dialog = dialog_intents.setdefault(
            elicited.intent,
            {
                "name": elicited.intent,
                "delegationStrategy": "SKILL_RESPONSE",
                "confirmationRequired": False,
                "prompts": {},
                "slots": [
                    {
                        "name": slot["name"],
                        "type": slot["type"],
                        "confirmationRequired": False,
                        "elicitationRequired": False,
                        "prompts": {},
                    }
                    for slot in intent["slots"]
                ],
            },
        )
        for slot in dialog["slots"]:
            if slot["name"] == elicited.slot:
                slot["type"] = elicited.type
                slot["elicitationRequired"] = True
                slot["prompts"] = {"elicitation": elicited.prompt_id}
        prompts.append(
            {
                "id": elicited.prompt_id,
                "variations": [{"type": "PlainText", "value": elicited.prompt}],
            }
        )
    model = document["interactionModel"]
    if dialog_intents:
        model["dialog"] = {
            "delegationStrategy": "SKILL_RESPONSE",
            "intents": list(dialog_intents.values()),
        }
        model["prompts"] = prompts


def iter_all(templates: Sequence[str]) -> Iterator[str]:
    for template in templates:
        yield from expand(template)
