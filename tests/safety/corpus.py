"""The safety corpora, kept apart from the screen's data and the model's samples.

- corpus/disclosures.jsonl and corpus/harmless.jsonl: the development set, written
  before the screen by someone who had not seen it; the screen is tuned on it.
- corpus/held_out.jsonl: written after the screen was done and never tuned on; its
  first score is the honest figure (see docs/safety.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")


@dataclass(frozen=True)
class Line:
    text: str
    label: str  # the concern of a disclosure, the kind of a harmless sentence
    locale: str  # "any" or the locale whose wording it is


@cache
def _read(name: str, label_key: str) -> tuple[Line, ...]:
    lines = []
    for raw in (CORPUS / name).read_text(encoding="utf-8").splitlines():
        if raw.strip():
            item = json.loads(raw)
            lines.append(Line(item["text"], item[label_key], item.get("locale", "any")))
    return tuple(lines)


def disclosures() -> tuple[Line, ...]:
    return _read("disclosures.jsonl", "category")


def harmless() -> tuple[Line, ...]:
    return _read("harmless.jsonl", "kind")


def held_out(number: int = 1) -> tuple[Line, ...]:
    """A held-out set's disclosures (1: held_out.jsonl, 2: held_out_2.jsonl...)."""
    name = "held_out.jsonl" if number == 1 else f"held_out_{number}.jsonl"
    return _read(name, "category") if (CORPUS / name).is_file() else ()


def held_out_harmless(number: int = 1) -> tuple[Line, ...]:
    name = "held_out_harmless.jsonl" if number == 1 else f"held_out_{number}_harmless.jsonl"
    return _read(name, "kind") if (CORPUS / name).is_file() else ()
