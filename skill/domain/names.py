"""A partner's first name as heard: what may be kept and spoken back.

Pure rules, no ASK imports. A name is letters of any script (with their combining
marks), spaces, hyphens and apostrophes; at most 24 characters and 3 words. Invisible
and control characters (Unicode Cc and Cf: zero-width spaces and joiners, bidi
overrides) and lone surrogates are removed before checking. Wake words are refused:
spoken back in a greeting, they could wake the device. So are the words people say to
the skill itself ("slower", "yes"), heard as a name while one is asked for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

MAX_NAME_CHARS = 24
MAX_NAME_WORDS = 3
WAKE_WORDS = frozenset({"alexa", "echo", "computer", "amazon", "ziggy"})
# What people say to the skill itself, heard as a name when a name is asked for
# ("slower", "yes please"): never kept as one.
SKILL_WORDS = frozenset(
    {
        "slower",
        "slow",
        "faster",
        "fast",
        "quicker",
        "normal",
        "pace",
        "yes",
        "yeah",
        "yep",
        "no",
        "nope",
        "okay",
        "ok",
        "sure",
        "please",
        "stop",
        "cancel",
        "help",
        "repeat",
        "continue",
        "again",
        "pause",
        "next",
        "both",
        "nobody",
        "none",
        "breathe",
        "breathing",
        "sync",
        "deposit",
    }
)
_JOINERS = frozenset("-'\u2019")  # hyphen, straight and curly apostrophe
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})
_MARKS = frozenset({"Mn", "Mc"})
_LETTER_RUNS = re.compile(r"[^\W\d_]+")


class NameRefusal(Enum):
    EMPTY = "empty"
    WAKE_WORD = "wake_word"
    NOT_A_NAME = "not_a_name"
    SKILL_WORD = "skill_word"


@dataclass(frozen=True)
class HeardName:
    """Either a name that may be kept, or why it may not."""

    name: str | None = None
    refusal: NameRefusal | None = None


def strip_invisible(text: str) -> str:
    """Whitespace collapsed to single spaces; Cc, Cf and lone surrogates removed."""
    spaced = " ".join(text.split())
    visible = "".join(ch for ch in spaced if unicodedata.category(ch) not in _INVISIBLE)
    return " ".join(unicodedata.normalize("NFC", visible).split())


def check_name(heard: str) -> HeardName:
    name = strip_invisible(heard)
    if not name:
        return HeardName(refusal=NameRefusal.EMPTY)
    if _has_wake_word(name):
        return HeardName(refusal=NameRefusal.WAKE_WORD)
    words = name.split(" ")
    if all(word.casefold() in SKILL_WORDS for word in words):
        return HeardName(refusal=NameRefusal.SKILL_WORD)
    if len(name) > MAX_NAME_CHARS or len(words) > MAX_NAME_WORDS:
        return HeardName(refusal=NameRefusal.NOT_A_NAME)
    if not all(_is_name_word(word) for word in words):
        return HeardName(refusal=NameRefusal.NOT_A_NAME)
    return HeardName(name=name)


def _has_wake_word(name: str) -> bool:
    folded = unicodedata.normalize("NFKC", name).casefold()
    return any(run in WAKE_WORDS for run in _LETTER_RUNS.findall(folded))


def _is_name_word(word: str) -> bool:
    """Letters, hyphens and apostrophes, at least one letter; a combining mark only
    after a letter or another mark (Devanagari vowel signs, decomposed accents)."""
    if not any(ch.isalpha() for ch in word):
        return False
    previous = ""
    for ch in word:
        category = unicodedata.category(ch)
        if category in _MARKS:
            if not (previous.isalpha() or unicodedata.category(previous or " ") in _MARKS):
                return False
        elif not (ch.isalpha() or ch in _JOINERS):
            return False
        previous = ch
    return True
