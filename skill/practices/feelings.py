"""The feelings wheel: broad feelings with finer words beneath them, and the vague
words that earn one gentle nudge. Data lives in `content/<lang>/feelings_wheel.json`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from skill.speech.content import Content, content_for

DEFAULT_OFFER = ("calm", "tired", "hopeful")


@dataclass(frozen=True)
class Core:
    name: str
    words: tuple[str, ...]
    offer: tuple[str, ...]


@dataclass(frozen=True)
class Wheel:
    cores: tuple[Core, ...]
    vague: frozenset[str]
    not_knowing: frozenset[str] = frozenset()
    need_words: frozenset[str] = frozenset()

    def is_vague(self, word: str) -> bool:
        return word.strip().lower() in self.vague

    def is_not_knowing(self, word: str) -> bool:
        """ "Not sure", "I don't know": no feeling named; one is offered instead."""
        return " ".join(word.strip().lower().replace("’", "'").split()) in self.not_knowing

    def is_feeling(self, words: str) -> bool:
        """A word of the wheel, vague or not ("restless", "fine")."""
        plain = words.strip().lower()
        return plain in self.all_words or plain in self.vague

    def sounds_like_need(self, words: str) -> bool:
        """An answer that names a need, not a feeling ("just a hug", "some quiet
        time"): no word of the wheel, and a word that needs are made of."""
        plain = words.strip().lower()
        if self.is_feeling(plain) or self.is_not_knowing(plain):
            return False
        return any(word in self.need_words for word in plain.replace(",", " ").split())

    def core_named(self, name: str) -> Core | None:
        wanted = name.strip().lower()
        return next((core for core in self.cores if core.name == wanted), None)

    def core_of(self, word: str) -> Core | None:
        wanted = word.strip().lower()
        for core in self.cores:
            if wanted == core.name or wanted in core.words:
                return core
        return None

    def nudge_options(self, vague_word: str) -> tuple[str, str, str]:
        """Three finer words to offer for a vague one, from three different cores:
        brighter ones for a vague good, heavier ones for a vague bad, a mix otherwise."""
        word = vague_word.strip().lower()
        if word in _VAGUE_GOOD:
            wanted = (("joyful", 0), ("calm", 1), ("joyful", 1))
        elif word in _VAGUE_BAD:
            wanted = (("scared", 0), ("angry", 0), ("tired", 0))
        else:
            wanted = (("calm", 1), ("tired", 0), ("scared", 0))
        picks = [
            core.offer[index]
            for name, index in wanted
            if (core := self.core_named(name)) is not None and len(core.offer) > index
        ]
        unique = list(dict.fromkeys([*picks, *DEFAULT_OFFER]))
        return unique[0], unique[1], unique[2]

    @cached_property
    def all_words(self) -> frozenset[str]:
        """Every word of the wheel; made once per wheel (the wheel is made once a
        process), since a check-in asks on every answer."""
        return frozenset(w for core in self.cores for w in (core.name, *core.words))


_VAGUE_GOOD = frozenset({"good", "not bad", "alright", "all right"})
_VAGUE_BAD = frozenset({"bad", "not great", "not good", "awful", "rough", "off", "blah", "meh"})


def _wheel_from(data: dict[str, Any]) -> Wheel:
    cores = tuple(
        Core(
            name=str(core["name"]).lower(),
            words=tuple(str(w).lower() for w in core["words"]),
            offer=tuple(str(w).lower() for w in core.get("offer", core["words"][:3])),
        )
        for core in data["core"]
    )
    return Wheel(
        cores,
        frozenset(str(w).lower() for w in data["vague"]),
        frozenset(str(w).lower() for w in data.get("not_knowing", ())),
        frozenset(str(w).lower() for w in data.get("need_words", ())),
    )


@cache
def _wheel_for_locale(locale: str) -> Wheel:
    return _wheel_from(content_for(locale).data["feelings_wheel"])


def wheel(content: Content) -> Wheel:
    return _wheel_for_locale(content.locale)
