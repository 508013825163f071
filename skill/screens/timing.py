"""A rough clock for Alexa's speech: how long an SSML fragment takes to say.

Breaks are exact; words are counted at Alexa's usual pace (about 155 words a
minute), slowed or quickened by `<prosody rate>`; a sentence end adds a short
pause; an audio clip counts for its known length, else a short chime's. It is an
estimate (a second or so either way over a long intro), good enough to start a
breathing animation about when the spoken intro ends."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

WORD_MS = 390
SENTENCE_PAUSE_MS = 300
AUDIO_GUESS_MS = 1_500
RATE_FACTORS: Mapping[str, float] = {
    "x-slow": 1.6,
    "slow": 1.3,
    "medium": 1.0,
    "fast": 0.8,
    "x-fast": 0.65,
}
BREAK_STRENGTH_MS: Mapping[str, int] = {
    "none": 0,
    "x-weak": 0,
    "weak": 250,
    "medium": 400,
    "strong": 750,
    "x-strong": 1_000,
}

_AMAZON_PREFIX = re.compile(r"(</?)amazon:")
_TIME = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)%\s*$")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")


def spoken_ms(
    ssml: str, audio_ms: Mapping[str, int] | None = None, *, until: str | None = None
) -> int:
    """Estimated milliseconds Alexa takes to say `ssml` (a fragment or a whole
    <speak> document). `audio_ms` gives known clip lengths by URL. With `until`,
    only what comes before the first element of that tag name is counted (a marker
    such as `<breath-starts/>`, put in for the estimate, never sent to Alexa)."""
    body = ssml.strip()
    if not body.startswith("<speak"):
        body = f"<speak>{body}</speak>"
    try:
        root = ET.fromstring(_AMAZON_PREFIX.sub(r"\1amazon-", body))  # noqa: S314 -- our own SSML
    except ET.ParseError:
        if until is not None:
            ssml = ssml.split(f"<{until}", 1)[0]
        return round(_text_ms(re.sub(r"<[^>]*>", " ", ssml), 1.0))
    total, _ = _element_ms(root, 1.0, audio_ms or {}, until)
    return round(total)


def _element_ms(
    element: ET.Element, rate: float, audio_ms: Mapping[str, int], until: str | None
) -> tuple[float, bool]:
    """Milliseconds of `element`, and whether the `until` marker was reached."""
    tag = element.tag
    if tag == until:
        return 0.0, True
    if tag == "break":
        return _break_ms(element), False
    if tag == "audio":
        return audio_ms.get(element.get("src", ""), AUDIO_GUESS_MS), False
    if tag == "prosody":
        rate *= _rate_factor(element.get("rate"))
    total = _text_ms(element.text or "", rate)
    for child in element:
        child_ms, reached = _element_ms(child, rate, audio_ms, until)
        total += child_ms
        if reached:
            return total, True
        total += _text_ms(child.tail or "", rate)
    return total, False


def _text_ms(text: str, rate: float) -> float:
    words = len(_WORD.findall(text))
    pauses = len(_SENTENCE_END.findall(text))
    return (words * WORD_MS + pauses * SENTENCE_PAUSE_MS) * rate


def _break_ms(element: ET.Element) -> float:
    time = element.get("time")
    if time:
        match = _TIME.match(time)
        if match is None:
            return 0.0
        number = float(match.group(1))
        return number if match.group(2) == "ms" else number * 1000
    return BREAK_STRENGTH_MS.get(element.get("strength", "medium"), 400)


def _rate_factor(rate: str | None) -> float:
    """How much longer speech takes at `rate` than at the normal pace."""
    if rate is None:
        return 1.0
    if rate in RATE_FACTORS:
        return RATE_FACTORS[rate]
    match = _PERCENT.match(rate)
    if match is None or float(match.group(1)) <= 0:
        return 1.0
    return 100.0 / float(match.group(1))
