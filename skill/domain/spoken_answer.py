"""What people say around an answer, taken off before it is kept: the hedges
("um", "I guess", "honestly"), and a feeling said with what it is about.

Pure text functions: no Alexa, no store. The words kept are the person's own; only
the words around them go ("disappointed, I guess" keeps "disappointed")."""

from __future__ import annotations

import re

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
    "okay",
    "ok",
    "actually",
    "ha",
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


def _phrase(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})")


_LEAD = re.compile(rf"^(?:{_phrase(_LEADING).pattern})(?=[\s,.;:!?-]|$)", re.IGNORECASE)
_TRAIL = re.compile(rf"(?<=[\s,.;:!?-])(?:{_phrase(_TRAILING).pattern})$", re.IGNORECASE)
# "sad, about the weekend plans", "frustrated about the move", "hurt because of work"
_ABOUT = re.compile(r"^(?P<feeling>[^,]+?)[\s,]+(?:about|over|because of|with)\s+(?P<topic>.+)$")


# "like" before one word is a filler ("how about like, penguin"); before more it may
# be theirs ("like a rolling stone", a song line).
_LIKE_ONE_WORD = re.compile(r"^like[\s,]+(?P<word>[^\s,]+)$", re.IGNORECASE)


def without_hedges(text: str) -> str:
    """The answer without the hedges around it; the text itself when nothing else
    would be left ("maybe" said alone stays "maybe")."""
    current = text.strip(_EDGE_PUNCTUATION)
    while True:
        shorter = _LEAD.sub("", current, count=1).strip(_EDGE_PUNCTUATION)
        shorter = _TRAIL.sub("", shorter, count=1).strip(_EDGE_PUNCTUATION)
        if (like := _LIKE_ONE_WORD.match(shorter)) is not None:
            shorter = like.group("word")
        if shorter == current or not shorter:
            return current
        current = shorter


def feeling_and_topic(text: str) -> tuple[str, str | None]:
    """A feeling, and what it is about when that was said with it."""
    plain = without_hedges(text)
    found = _ABOUT.match(plain)
    if found is None:
        return plain, None
    feeling = without_hedges(found.group("feeling"))
    topic = without_hedges(found.group("topic"))
    if not feeling or not topic or len(feeling.split()) > 3:
        return plain, None
    return feeling, topic
