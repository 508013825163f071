"""A partner's own words, turned to be said back: "I need you to call me at lunch",
said by Alex, is read back as "Alex needs Sam to call them at lunch", or to Alex as
"you need Sam to call you at lunch". And the capitals speech recognition drops are
put back on names, days, months and holidays ("sam", "friday", "christmas").

Pure text functions: only the pronouns and the capitals change; every other word is
the person's own."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum


class Voice(Enum):
    """Who the words are said back to: about the speaker, or to them."""

    ABOUT = "about"  # "Alex needs Sam to call them"
    TO = "to"  # "Alex, you need Sam to call you"


_CALENDAR = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "christmas",
    "easter",
    "thanksgiving",
    "hanukkah",
    "diwali",
    "eid",
    "passover",
    "ramadan",
    "halloween",
    "valentine's",
    "valentines",
]
_CAPITALISED = {word: word.capitalize() for word in _CALENDAR}
_WORD = re.compile(r"[A-Za-z']+")

# The speaker's own first person, and what it becomes.
_FIRST_PERSON: dict[Voice, dict[str, str]] = {
    Voice.ABOUT: {
        "i": "they",
        "me": "them",
        "my": "their",
        "mine": "theirs",
        "myself": "themselves",
        "i'm": "they're",
        "i've": "they've",
        "i'd": "they'd",
        "i'll": "they'll",
    },
    Voice.TO: {
        "i": "you",
        "me": "you",
        "my": "your",
        "mine": "yours",
        "myself": "yourself",
        "i'm": "you're",
        "i've": "you've",
        "i'd": "you'd",
        "i'll": "you'll",
    },
}
# Verbs that follow "I" and change with it ("I am" -> "they are").
_AFTER_I = {"am": "are", "was": "were"}
# Verbs that follow "you" when it becomes the partner's name ("you are" -> "Sam is").
_AFTER_YOU = {"are": "is", "were": "was", "have": "has", "do": "does", "don't": "doesn't"}


def with_capitals(text: str, names: Iterable[str] = ()) -> str:
    """`text` with capitals back on the couple's names, days, months and holidays,
    and on a lone "i". Nothing else changes."""
    by_lower = dict(_CAPITALISED)
    by_lower.update({name.lower(): name for name in names if name})
    by_lower["i"] = "I"

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        if lower in by_lower:
            return by_lower[lower]
        stem, apostrophe, _ = lower.partition("'")
        if apostrophe and stem in by_lower and stem != "i":
            return by_lower[stem] + word[len(stem) :]  # "sam's", "friday's"
        return word

    return _WORD.sub(fix, text)


def reflected(text: str, *, partner: str, voice: Voice, names: Iterable[str] = ()) -> str:
    """The speaker's words with "you" meaning `partner` and "I" meaning the speaker,
    said about the speaker (`Voice.ABOUT`) or to them (`Voice.TO`)."""
    mine = _FIRST_PERSON[voice]
    out: list[str] = []
    last_swapped: str | None = None  # "i" or "you", when the previous word was one
    for token in re.split(r"(\s+)", text):
        if not token or token.isspace():
            out.append(token)
            continue
        core = token.rstrip(",.;:!?")
        tail = token[len(core) :]
        lower = core.lower()
        swapped = last_swapped
        last_swapped = None
        if swapped == "i" and lower in _AFTER_I:
            out.append(_AFTER_I[lower] + tail)
        elif swapped == "you" and lower in _AFTER_YOU:
            out.append(_AFTER_YOU[lower] + tail)
        elif lower in ("you", "yourself"):
            out.append(partner + tail)
            last_swapped = "you"
        elif lower in ("your", "yours"):
            out.append(f"{partner}'s{tail}")
        elif lower in ("you're", "you've", "you'll", "you'd"):
            out.append(partner + _YOU_CONTRACTIONS[lower] + tail)
        elif lower in mine:
            out.append(mine[lower] + tail)
            last_swapped = "i" if lower == "i" else None
        else:
            out.append(token)
    return with_capitals("".join(out), [partner, *names])


_YOU_CONTRACTIONS = {"you're": " is", "you've": " has", "you'll": " will", "you'd": " would"}


def said_about(text: str, *, speaker: str, partner: str) -> str:
    """`speaker`'s words read back about them, to the couple ("Sam to call them")."""
    return reflected(text, partner=partner, voice=Voice.ABOUT, names=[speaker])
