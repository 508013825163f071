"""What people say around an answer, taken off before it is kept: the hedges
("um", "I guess", "honestly"), and a feeling said with what it is about.

Pure text functions: no Alexa, no store. The words kept are the person's own; only
the words around them go ("disappointed, I guess" keeps "disappointed")."""

from __future__ import annotations

import re
from functools import cache

# Said before an answer. Longest first, so "i think maybe" goes as a whole.
_LEADING = (
    "i think maybe",
    "i guess maybe",
    "um i guess",
    "uh i guess",
    "i'd say",
    "i would say",
    "i guess",
    "i think",
    "i suppose",
    "to be honest",
    "honestly",
    "probably",
    "maybe",
    "um",
    "umm",
    "uh",
    "er",
    "erm",
    "just",
    "kind of",
    "kinda",
    "sort of",
    "mostly",
    "oh",
    "okay so",
    "ok so",
    "how about",
    "what about",
    "yeah",
    "yeah okay",
    "yes",
    "okay",
    "ok",
    "actually",
    "ha",
    "more like",
    "i mean",
    "or rather",
    "and also",
    "and",
    "also",
)
# Said after it.
_TRAILING = (
    "i guess",
    "i think",
    "i suppose",
    "probably",
    "maybe",
    "honestly",
    "really",
    "please",
    "thanks",
    "thank you",
    "for now",
    "i'd say",
    "to be honest",
    "actually",
    "yeah",
)
_EDGE_PUNCTUATION = " \t,.;:!?-"


def _phrase(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Compiled on first use, not at import: a request without an answer (a launch) never
# needs them.
@cache
def _hedges() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns of a hedge before an answer, and after it."""
    lead = re.compile(rf"^(?:{_phrase(_LEADING)})(?=[\s,.;:!?-]|$)", re.IGNORECASE)
    trail = re.compile(rf"(?<=[\s,.;:!?-])(?:{_phrase(_TRAILING)})$", re.IGNORECASE)
    return lead, trail


@cache
def _about() -> re.Pattern[str]:
    # "sad, about the weekend plans", "frustrated about the move", "hurt because of work"
    return re.compile(r"^(?P<feeling>[^,]+?)[\s,]+(?:about|over|because of|with)\s+(?P<topic>.+)$")


# "like" before one word is a filler ("how about like, penguin"); before more it may
# be theirs ("like a rolling stone", a song line).
@cache
def _like_one_word() -> re.Pattern[str]:
    return re.compile(r"^like[\s,]+(?P<word>[^\s,]+)$", re.IGNORECASE)


def without_hedges(text: str) -> str:
    """The answer without the hedges around it; the text itself when nothing else
    would be left ("maybe" said alone stays "maybe")."""
    lead, trail = _hedges()
    current = text.strip(_EDGE_PUNCTUATION)
    while True:
        shorter = lead.sub("", current, count=1).strip(_EDGE_PUNCTUATION)
        shorter = trail.sub("", shorter, count=1).strip(_EDGE_PUNCTUATION)
        if (like := _like_one_word().match(shorter)) is not None:
            shorter = like.group("word")
        if shorter == current or not shorter:
            return current
        current = shorter


def feeling_and_topic(text: str) -> tuple[str, str | None]:
    """A feeling, and what it is about when that was said with it."""
    plain = without_hedges(text)
    found = _about().match(plain)
    if found is None:
        return plain, None
    feeling = without_hedges(found.group("feeling"))
    topic = without_hedges(found.group("topic"))
    if not feeling or not topic or len(feeling.split()) > 3:
        return plain, None
    return feeling, topic


# "Sam first", "let Sam go first", "Sam can start": who answers first, not an answer.
@cache
def _first() -> re.Pattern[str]:
    may = r"(?:can|will|should|wants to|could)"
    goes = rf"(?:first|goes first|go first|{may} (?:go first|start)|starts)"
    return re.compile(rf"^(?:let\s+)?(?P<name>[^\s,]+)\s+{goes}$", re.IGNORECASE)


def who_goes_first(text: str) -> str | None:
    """The name in "Sam first" or "let Sam go first", as said; None for anything else."""
    found = _first().match(without_hedges(text))
    return found.group("name") if found else None


# "both of us need a quiet night", "we both need...", "...for both of us": one answer
# for the two of them.
@cache
def _for_both() -> tuple[re.Pattern[str], re.Pattern[str]]:
    us = r"(?:both of us|we both|the two of us|us both|we)"
    wish = r"(?:need|needs|could use|could do with|want|would like|would love)"
    lead = re.compile(
        rf"^{us}\s+{wish}\s+(?P<rest>.+)$",
        re.IGNORECASE,
    )
    trail = re.compile(
        r"^(?P<rest>.+?)[\s,]+for (?:both of us|the two of us|us both|both)$",
        re.IGNORECASE,
    )
    return lead, trail


def for_both(text: str) -> tuple[str, bool]:
    """An answer said for the two of them, without the words that say so, and
    whether it was; the text as it came when it was not."""
    plain = without_hedges(text)
    for pattern in _for_both():
        found = pattern.match(plain)
        if found is not None and (rest := without_hedges(found.group("rest"))):
            return rest, True
    return text, False


# "feeling appreciated", "to feel safe": the feeling itself, where one is asked for and
# read back as "needs to feel ..." or "feels ...".
@cache
def _feeling_carrier() -> re.Pattern[str]:
    return re.compile(
        r"^(?:i(?:'m| am) feeling|i feel|feeling|to feel|i need to feel|being)\s+(?P<rest>.+)$",
        re.IGNORECASE,
    )


def bare_feeling(text: str) -> str:
    """The feeling without the words that say it is one ("feeling appreciated" is
    "appreciated"); the text as it came when that is all it says."""
    return _after_carrier(text, _feeling_carrier())


def _after_carrier(text: str, carrier: re.Pattern[str]) -> str:
    """What follows the carrier words in `text` (hedges gone), or all of it."""
    plain = without_hedges(text)
    found = carrier.match(plain)
    return without_hedges(found.group("rest")) if found else plain


# An answer that says there is no more: "no", "nope, that's it", "that's all", "nothing".
@cache
def _done() -> re.Pattern[str]:
    no = r"(?:no|nope|nah|no thanks|no thank you)"
    that = r"(?:that'?s|that is)"
    enough = rf"(?:(?:i think )?{that} (?:it|all)|nothing(?: else| more)?|we'?re done|all done)"
    thanks = r"(?:[\s,]+(?:thanks|thank you|for now))?"
    return re.compile(rf"^(?:{no}(?:[\s,]+{enough})?|{enough}){thanks}$", re.IGNORECASE)


def is_done(text: str) -> bool:
    """True for an answer that only says there is nothing more to add."""
    return _done().match(" ".join(text.strip(" ,.!?").split())) is not None


# "about dinner", "it's about the move": what a feeling is about, without the words
# that say so (the reflection puts its own "about" before it).
@cache
def _topic_carrier() -> re.Pattern[str]:
    return re.compile(
        r"^(?:(?:it'?s|it is|it was|mostly|just) )?(?:about|over|because of)\s+(?P<rest>.+)$",
        re.IGNORECASE,
    )


def bare_topic(text: str) -> str:
    """What it is about, without a leading "about" ("about dinner" is "dinner")."""
    return _after_carrier(text, _topic_carrier())


# Words of asking, never in a repair word said on its own: "the silent sync thing
# please", "can we breathe", "call my sister" are requests that missed, not a word.
_ASKING = """please can could would let's lets want wanna need do does did thing one i we
you me us my our some help how what what's whats why when where"""
_ASKING_WORDS = frozenset(_ASKING.split())


def asks_for_something(text: str) -> bool:
    """True when `text` holds a word of asking: no repair word, said alone, would."""
    words = re.findall(r"[a-z']+", text.lower().replace("’", "'"))
    return any(word in _ASKING_WORDS for word in words)
