"""Replies are facts ("say sync.intro with pace=slower"); this turns them into SSML."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from skill.speech.content import Content
from skill.speech.ssml import Ssml, escape

Param = str | int | Ssml


@dataclass(frozen=True)
class Line:
    """One thing to say: a content key and its parameters (user text is escaped)."""

    key: str
    params: Mapping[str, Param] = field(default_factory=dict)


def say(key: str, **params: Param) -> Line:
    return Line(key, params)


@dataclass(frozen=True)
class Card:
    """A card for the Alexa app: its title's phrase key and its text."""

    title_key: str
    body: str


@dataclass(frozen=True)
class Elicit:
    """The slot a question asks for: Alexa then listens for that slot's own samples
    (a bare answer such as "a hug"), and what is said arrives in it, where the safety
    screen sees it."""

    intent: str
    slot: str


@dataclass
class Reply:
    """What a turn answers: lines, at most one question, and how the session goes on.

    `question` set: the microphone opens and `reprompt` (or the question) plays once
    on silence. No question: the session ends unless `keep_open` is set (a screen
    device then keeps the session without opening the microphone)."""

    lines: list[Line] = field(default_factory=list)
    question: Line | None = None
    reprompt: Line | None = None
    end_session: bool = True
    directives: list[Any] = field(default_factory=list)
    card: Card | None = None
    elicit: Elicit | None = None

    @classmethod
    def ask(
        cls,
        *lines: Line,
        question: Line,
        reprompt: Line | None = None,
        elicit: Elicit | None = None,
    ) -> Reply:
        return cls(list(lines), question, reprompt, end_session=False, elicit=elicit)

    @classmethod
    def tell(cls, *lines: Line) -> Reply:
        return cls(list(lines), end_session=True)


class Renderer:
    """Chooses among a key's variants by a per-request seed: varied across turns,
    repeatable for the same request (and so in tests)."""

    def __init__(self, content: Content, seed: str) -> None:
        self._content = content
        self._seed = seed

    def line(self, line: Line) -> Ssml:
        variants = self._content.variants(line.key)
        digest = hashlib.blake2s(f"{self._seed}:{line.key}".encode(), digest_size=4).digest()
        template = variants[int.from_bytes(digest, "big") % len(variants)]
        values = {name: _safe(value) for name, value in line.params.items()}
        return Ssml(template.format_map(values))

    def lines(self, lines: list[Line]) -> Ssml:
        return Ssml(" ".join(self.line(line) for line in lines))


def _safe(value: Param) -> str:
    if isinstance(value, Ssml):
        return value
    if isinstance(value, int):
        return str(value)
    return escape(value)
