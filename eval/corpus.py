"""The evaluation corpora (tests/eval/corpus), written before anyone read the model's
samples and never copied into them; see that folder's README."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "eval" / "corpus"


@dataclass(frozen=True)
class OneShot:
    text: str
    intent: str
    slots: dict[str, str]


@dataclass(frozen=True)
class Turn:
    say: str
    answers: str


@dataclass(frozen=True)
class Scripted:
    id: str
    practice: str
    setup: str  # "new" or "couple"
    turns: tuple[Turn, ...]
    expect: dict[str, Any] = field(default_factory=dict)


def _read(name: str) -> list[dict[str, Any]]:
    path = CORPUS / name
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def one_shots(name: str = "one_shots.jsonl") -> list[OneShot]:
    return [OneShot(i["text"], i["intent"], dict(i.get("slots") or {})) for i in _read(name)]


def conversations(name: str = "conversations.jsonl") -> list[Scripted]:
    return [
        Scripted(
            id=i["id"],
            practice=i["practice"],
            setup=i["setup"],
            turns=tuple(Turn(t["say"], t["answers"]) for t in i["turns"]),
            expect=dict(i.get("expect") or {}),
        )
        for i in _read(name)
    ]
