"""Sample utterances from templates (build time only: the generator of the
interaction models uses it; no turn of the skill imports it).

A template is words with choices and optional parts:

    "i (want|need) to (die|end it all) [tonight]"

expands to every combination. An intent keeps at most `limit` distinct samples, taken
round-robin across its templates in a fixed, hash-based order, so every template is
represented and the result is the same on every run."""

from __future__ import annotations

import hashlib
import heapq
import itertools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
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
    macros: Mapping[str, str] = field(default_factory=dict)


def expand(template: str) -> list[str]:
    """Every sentence the template can say, in order, spaces tidied."""
    return [text for text, _ in expand_ranked(template)]


def expand_ranked(template: str, cap: int | None = None) -> list[tuple[str, int]]:
    """Every sentence the template can say, with how far it strays from the template's
    plainest saying: each choice costs its place among the alternatives (the first
    costs nothing) and an optional part costs its place plus one when said. Authors
    put the likeliest words first, so the cheapest sentences are the commonest.
    With `cap`, only (about) the `cap` cheapest, found without listing the rest."""
    tokens = _tokens(template)
    choices, end = _sequence(tokens, 0, cap)
    if end != len(tokens):
        raise TemplateError(f"unbalanced template: {template!r}")
    ranked: dict[str, int] = {}
    for text, cost in choices:
        # "i ('m|am)" gives "i 'm": a contraction joins the word before it.
        tidy = _CONTRACTION.sub("'", " ".join(text.split()))
        if tidy and (tidy not in ranked or cost < ranked[tidy]):
            ranked[tidy] = cost
    return list(ranked.items())


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


Ranked = list[tuple[str, int]]


def _sequence(tokens: list[str], index: int, cap: int | None = None) -> tuple[Ranked, int]:
    """Expansions (with their costs) of tokens from `index` to the next "|", ")" or "]"."""
    parts: list[Ranked] = []
    while index < len(tokens) and tokens[index] not in ("|", ")", "]"):
        item = tokens[index]
        if item in ("(", "["):
            closing = ")" if item == "(" else "]"
            optional = item == "["
            options: Ranked = [("", 0)] if optional else []
            place = 1 if optional else 0
            index += 1
            while True:
                sub, index = _sequence(tokens, index, cap)
                options.extend((text, cost + place) for text, cost in sub)
                place += 1
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
            parts.append([(item, 0)])
            index += 1
    return _cheapest_products(parts, cap), index


def _cheapest_products(parts: list[Ranked], cap: int | None) -> Ranked:
    """The concatenations of one choice from each part, cheapest first when capped
    (a best-first walk over the parts sorted by cost), all of them otherwise."""
    if cap is None:
        return [
            ("".join(text for text, _ in combo), sum(cost for _, cost in combo))
            for combo in itertools.product(*parts)
        ]
    ordered = [sorted(part, key=lambda option: option[1]) for part in parts]
    if any(not part for part in ordered):
        return []
    start = (0,) * len(ordered)
    heap = [(sum(part[0][1] for part in ordered), start)]
    seen = {start}
    found: Ranked = []
    while heap and len(found) < cap:
        cost, picks = heapq.heappop(heap)
        found.append(("".join(ordered[k][i][0] for k, i in enumerate(picks)), cost))
        for k, i in enumerate(picks):
            if i + 1 < len(ordered[k]):
                nxt = (*picks[:k], i + 1, *picks[k + 1 :])
                if nxt not in seen:
                    seen.add(nxt)
                    step = ordered[k][i + 1][1] - ordered[k][i][1]
                    heapq.heappush(heap, (cost + step, nxt))
    return found


def value_id(value: str) -> str:
    """A slot value's id: its words, upper case, joined by underscores."""
    return "_".join("".join(ch for ch in word if ch.isalnum()) for word in value.split()).upper()


def _order(sample: str) -> bytes:
    return hashlib.blake2s(sample.encode(), digest_size=8).digest()


def select(templates: Sequence[str], limit: int) -> list[str]:
    """Up to `limit` distinct samples, round-robin across the templates. Within a
    template the plainest sayings come first (fewest words, then the fixed order),
    alternating with the rest in the fixed order, so "pause attend reflect" is never
    lost to "could we please do a pause attend reflect tonight"."""
    pools = [_plain_first(expand_ranked(template, SELECTION_CAP)) for template in templates]
    chosen: dict[str, None] = {}
    for layer in itertools.zip_longest(*pools):
        for sample in layer:
            if sample is not None and len(chosen) < limit:
                chosen.setdefault(sample)
        if len(chosen) >= limit:
            break
    return list(chosen)


def _plain_first(ranked: Ranked) -> list[str]:
    """The commonest saying of each arrangement of slots first ("remind us at {time}",
    "remind us {day} at {time} to {practice}"...), then three of the commonest for
    one in the fixed order, so both the likely and the varied are kept."""
    common = [text for text, _ in sorted(ranked, key=lambda r: (r[1], _order(r[0])))]
    arrangements: dict[tuple[str, ...], str] = {}
    for sample in common:
        arrangements.setdefault(tuple(_SLOT.findall(sample)), sample)
    # Then every word the template offers, each in its commonest saying: a choice the
    # author put last ("quit|exit|goodbye") is still said once.
    said: set[str] = set()
    for sample in arrangements.values():
        said.update(sample.split())
    words: list[str] = []
    for sample in common:
        new = set(sample.split()) - said
        if new:
            words.append(sample)
            said |= new
    mixed = iter(sorted((text for text, _ in ranked), key=_order))
    # Three of the commonest for one of the rest: an exact matcher needs the likely
    # sayings; Alexa's model also learns from the varied.
    interleaved = (
        sample
        for index, common_one in enumerate(common)
        for sample in ((common_one,) if index % 3 else (common_one, next(mixed, common_one)))
    )
    return list(dict.fromkeys(itertools.chain(arrangements.values(), words, interleaved)))


# The cheapest sayings of a template that selection looks among: enough for every
# limit, without listing the hundreds of thousands a template of macros can say.
SELECTION_CAP = 6000

_CONTRACTION = re.compile(r" '(?=(?:m|s|d|ve|re|ll|t)\b)")
_MACRO = re.compile(r"<([A-Z_]+)>")
_SLOT = re.compile(r"\{(\w+)\}")


def with_macros(template: str, macros: Mapping[str, str]) -> str:
    """`<NAME>` in a template stands for the macro's text (itself a template)."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise TemplateError(f"no macro <{name}>")
        return with_macros(macros[name], macros)

    return _MACRO.sub(one, template)


def load_source(language: str = "en", folder: Path = SOURCE_DIR) -> ModelSource:
    body: dict[str, Any] = json.loads((folder / f"{language}.json").read_text(encoding="utf-8"))
    macros = {str(k): str(v) for k, v in body.get("macros", {}).items()}
    intents = tuple(
        IntentTemplates(
            name,
            tuple(with_macros(t, macros) for t in entry["templates"]),
            int(entry["limit"]),
        )
        for name, entry in body.get("intents", {}).items()
    )
    slots = tuple(
        ElicitedSlot(
            intent=key.split(".")[0],
            slot=key.split(".")[1],
            type=str(entry["type"]),
            samples=tuple(
                sample
                for template in entry["samples"]
                for sample in expand(with_macros(template, macros))
            ),
            prompt=str(entry["prompt"]),
        )
        for key, entry in body.get("slots", {}).items()
    )
    types = {name: tuple(values) for name, values in body.get("types", {}).items()}
    return ModelSource(intents, slots, types, macros)


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
