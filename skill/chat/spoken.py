"""Words as a speech recogniser would hand them over: tokens, numbers and times.

Shared by the chat's language understanding (`skill.chat.nlu`). Pure functions, no
model knowledge."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Token:
    """One word: `norm` is what matching compares, `surface` what the user typed
    (empty for the second half of an expanded contraction)."""

    norm: str
    surface: str
    capitalised: bool = False


# Both the samples and the user's text go through the same expansion, so "what's"
# typed as "whats" or "what is" still meets the sample "what's our streak".
CONTRACTIONS: dict[str, str] = {
    "i'm": "i am",
    "im": "i am",
    "it's": "it is",
    "its": "it is",
    "let's": "let us",
    "lets": "let us",
    "what's": "what is",
    "whats": "what is",
    "we're": "we are",
    "you're": "you are",
    "youre": "you are",
    "they're": "they are",
    "theyre": "they are",
    "he's": "he is",
    "she's": "she is",
    "that's": "that is",
    "thats": "that is",
    "there's": "there is",
    "theres": "there is",
    "how's": "how is",
    "hows": "how is",
    "where's": "where is",
    "name's": "name is",
    "i've": "i have",
    "ive": "i have",
    "we've": "we have",
    "i'll": "i will",
    "we'll": "we will",
    "he'll": "he will",
    "she'll": "she will",
    "you'll": "you will",
    "i'd": "i would",
    "we'd": "we would",
    "don't": "do not",
    "dont": "do not",
    "doesn't": "does not",
    "doesnt": "does not",
    "didn't": "did not",
    "didnt": "did not",
    "can't": "can not",
    "cant": "can not",
    "cannot": "can not",
    "won't": "will not",
    "isn't": "is not",
    "isnt": "is not",
    "aren't": "are not",
    "wasn't": "was not",
    "haven't": "have not",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
}

# Words that ask for the same thing, heard as one ("wipe our history", "erase our
# history"; "we keep fighting about money", "...arguing about money"): Alexa's model
# generalises across them from the samples, and the chat compares both sides so.
SAME_ASK: dict[str, str] = {
    "erase": "delete",
    "wipe": "delete",
    "remove": "delete",
    "begin": "start",
    "try": "do",
    "fighting": "arguing",
    "bickering": "arguing",
    "disagreeing": "arguing",
    "quarrelling": "arguing",
    "quarreling": "arguing",
    "fight": "argument",
    "disagreement": "argument",
    "quarrel": "argument",
    "fights": "arguments",
    "disagreements": "arguments",
    "kindly": "please",
}

# Phrases that ask for the same thing as one word, heard as it ("kick off the guided
# evening", "fire up the breathing", "have a go at the check in"). Compared after the
# words above; the phrase's own words stay its surface, so a slot keeps what was said.
SAME_ASK_PHRASES: dict[tuple[str, ...], str] = {
    ("kick", "off"): "start",
    ("fire", "up"): "start",
    ("put", "on"): "start",
    ("go", "ahead", "with"): "start",
    ("get", "going", "with"): "start",
    ("have", "a", "go", "at"): "do",
    ("mind", "doing"): "do",
}
_LONGEST_PHRASE = max(len(phrase) for phrase in SAME_ASK_PHRASES)

_WORD = re.compile(r"\d{1,2}:\d{2}|[^\W_]+(?:'[^\W_]+)*")
_AM_PM = re.compile(r"\b([ap])\.?\s?m\.?(?=\W|$)", re.IGNORECASE)
_DIGIT_THEN_LETTER = re.compile(r"(\d)([^\W\d_])")
_DECIMAL_TIME = re.compile(r"\b(\d{1,2})\.(\d{2})\b")


def tokenize(text: str) -> list[Token]:
    """Lower-cased words with contractions expanded; punctuation and hyphens split words."""
    text = text.replace("’", "'").replace("‘", "'")
    text = _DECIMAL_TIME.sub(r"\1:\2", text)
    text = _AM_PM.sub(lambda m: f" {m.group(1).lower()}m ", text)
    text = _DIGIT_THEN_LETTER.sub(r"\1 \2", text)
    tokens: list[Token] = []
    for match in _WORD.finditer(text):
        surface = match.group(0)
        lowered = surface.lower()
        capitalised = surface[:1].isupper()
        expansion = CONTRACTIONS.get(lowered)
        if expansion is None:
            tokens.append(Token(SAME_ASK.get(lowered, lowered), surface, capitalised))
            continue
        first, *rest = expansion.split()
        tokens.append(Token(first, surface, capitalised))
        tokens.extend(Token(word, "") for word in rest)
    return _with_phrases_as_one(tokens)


def _with_phrases_as_one(tokens: list[Token]) -> list[Token]:
    """`tokens` with each phrase of SAME_ASK_PHRASES made one token of its word."""
    merged: list[Token] = []
    index = 0
    while index < len(tokens):
        for size in range(min(_LONGEST_PHRASE, len(tokens) - index), 1, -1):
            words = tuple(token.norm for token in tokens[index : index + size])
            word = SAME_ASK_PHRASES.get(words)
            if word is not None:
                part = tokens[index : index + size]
                surface = " ".join(token.surface for token in part if token.surface)
                merged.append(Token(word, surface, part[0].capitalised))
                index += size
                break
        else:
            merged.append(tokens[index])
            index += 1
    return merged


def norms(text: str) -> tuple[str, ...]:
    return tuple(token.norm for token in tokenize(text))


def spoken_text(tokens: Sequence[Token]) -> str:
    """The words as typed (contractions kept), lower case, single spaces."""
    return " ".join(token.surface.lower() for token in tokens if token.surface)


_UNIT_WORDS = """zero one two three four five six seven eight nine ten eleven twelve
thirteen fourteen fifteen sixteen seventeen eighteen nineteen"""
_UNITS: dict[str, int] = {word: value for value, word in enumerate(_UNIT_WORDS.split())}
_TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}


def parse_number(words: Sequence[str]) -> int | None:
    """ "five" -> 5, "twenty one" -> 21, "a hundred and ten" -> 110, "12" -> 12."""
    if not words:
        return None
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    rest = list(words)
    value = 0
    if len(rest) >= 2 and rest[1] == "hundred" and (rest[0] == "a" or rest[0] in _UNITS):
        value = 100 * (1 if rest[0] == "a" else _UNITS[rest[0]])
        rest = rest[2:]
        if rest[:1] == ["and"] and len(rest) > 1:
            rest = rest[1:]
        if not rest:
            return value
    if rest and rest[0] in _TENS:
        value += _TENS[rest.pop(0)]
        if rest and rest[0] in _UNITS and 0 < _UNITS[rest[0]] < 10:
            value += _UNITS[rest.pop(0)]
    elif rest and rest[0] in _UNITS:
        value += _UNITS[rest.pop(0)]
    else:
        return None
    return None if rest else value


_TIME_WORDS: dict[str, str] = {
    "noon": "12:00",
    "midday": "12:00",
    "midnight": "00:00",
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
}
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_time(words: Sequence[str]) -> str | None:
    """Values like AMAZON.TIME: "nine" -> "09:00", "9 pm" -> "21:00", "nine thirty" ->
    "09:30", "21:00" -> "21:00", "half past nine" -> "09:30", "evening" -> "EV".
    An hour without am/pm is kept as said (the skill decides what "nine" means)."""
    rest = list(words)
    if len(rest) == 1 and rest[0] in _TIME_WORDS:
        return _TIME_WORDS[rest[0]]
    meridiem = _day_part(rest)
    if meridiem is None and rest and rest[-1] in ("am", "pm"):
        meridiem = rest.pop()
    if rest and rest[-1] == "o'clock":
        rest.pop()
    parsed = _clock_time(rest)
    if parsed is None:
        return None
    hour, minute = parsed
    if meridiem is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return f"{hour:02d}:{minute:02d}"


# "seven thirty in the morning", "nine at night": the part of the day as am or pm.
_DAY_PARTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("in", "the", "morning"), "am"),
    (("this", "morning"), "am"),
    (("in", "the", "afternoon"), "pm"),
    (("this", "afternoon"), "pm"),
    (("in", "the", "evening"), "pm"),
    (("this", "evening"), "pm"),
    (("at", "night"), "pm"),
    (("tonight",), "pm"),
    (("a", "m"), "am"),
    (("p", "m"), "pm"),
)


def _day_part(words: list[str]) -> str | None:
    """Take a trailing part of the day off `words`; its am or pm, else None."""
    for phrase, meridiem in _DAY_PARTS:
        if len(words) > len(phrase) and tuple(words[-len(phrase) :]) == phrase:
            del words[-len(phrase) :]
            return meridiem
    return None


def _clock_time(words: list[str]) -> tuple[int, int] | None:
    if len(words) == 1 and (clock := _CLOCK.match(words[0])):
        return int(clock.group(1)), int(clock.group(2))
    if len(words) == 3 and words[1] in ("past", "to") and words[0] in ("half", "quarter"):
        hour = parse_number(words[2:])
        if hour is None:
            return None
        if words[1] == "past":
            return hour, 30 if words[0] == "half" else 15
        return (hour - 1) % 24, 45 if words[0] == "quarter" else 30
    for split in (1, 2):
        hour = parse_number(words[:split])
        minutes = words[split:]
        if hour is None:
            continue
        if not minutes:
            return hour, 0
        if minutes[0] == "oh" and len(minutes) == 2:
            minutes = minutes[1:]
        minute = parse_number(minutes)
        if minute is not None and (
            minutes[0].isdigit() or minute >= 10 or minutes != words[split:]
        ):
            return hour, minute
    return None
