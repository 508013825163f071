"""Building and checking Alexa SSML. User text always goes through `escape`."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SPEECH_CHARS = 8000
MAX_AUDIO_CLIPS = 5
MAX_BREAK_SECONDS = 10.0
MAX_AUDIO_SECONDS = 240.0
MAX_REPROMPT_AUDIO_SECONDS = 90.0

ALLOWED_TAGS = frozenset(
    {
        "speak",
        "break",
        "audio",
        "prosody",
        "emphasis",
        "p",
        "s",
        "say-as",
        "sub",
        "lang",
        "amazon:effect",
        "amazon:domain",
        "amazon:emotion",
        "voice",
        "phoneme",
        "w",
    }
)

# What can never be spoken or even encoded: C0 controls but tab and newlines, DEL, lone
# surrogates (not encodable as UTF-8, so the response could not be sent), and the
# Unicode non-characters (U+FDD0-U+FDEF and the last two code points of every plane).
_NON_CHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff{_NON_CHARACTERS}]")
_AMAZON_PREFIX = re.compile(r"(</?)amazon:")
_TIME = re.compile(r"^(\d+(?:\.\d+)?)(ms|s)$")


class Ssml(str):
    """A fragment already in SSML: inserted as is, never escaped again."""

    __slots__ = ()


_XML_ENTITIES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}
)


def _xml_escape(text: str) -> str:
    return text.translate(_XML_ENTITIES)


def clean_text(text: str) -> str:
    """User text without control characters, lone surrogates or non-characters, so it
    always encodes (for speech through `escape`, and for plain-text cards)."""
    return _CONTROL.sub("", text)


def escape(text: str) -> Ssml:
    """Make user text safe to speak: cleaned (`clean_text`), then XML-escaped."""
    return Ssml(_xml_escape(clean_text(text)))


def brk(seconds: float) -> Ssml:
    """A pause of any length, chained from breaks of at most ten seconds."""
    parts: list[str] = []
    remaining = round(seconds * 1000)
    while remaining > 0:
        chunk = min(remaining, int(MAX_BREAK_SECONDS * 1000))
        parts.append(f'<break time="{chunk}ms"/>')
        remaining -= chunk
    return Ssml("".join(parts))


def audio(src: str) -> Ssml:
    return Ssml(f'<audio src="{_xml_escape(src)}"/>')


def speak(body: str) -> str:
    return f"<speak>{body}</speak>"


def strip_tags(ssml: str) -> str:
    """Plain text of an SSML document (for cards, the chat, and logs of length only)."""
    if "<" not in ssml:
        return ssml  # no element: not a document, returned as it is (as a parse would)
    import xml.etree.ElementTree as ET  # only the chat and the checks need a parser

    try:
        # Our own SSML, built by the renderer (user text already escaped).
        root = ET.fromstring(ssml)  # noqa: S314
    except ET.ParseError:
        return ssml
    return " ".join("".join(root.itertext()).split())


@dataclass(frozen=True)
class SsmlReport:
    """What checking one SSML string found: problems, audio clips and total pause."""

    problems: tuple[str, ...]
    audio_clips: int
    break_seconds: float

    @property
    def ok(self) -> bool:
        return not self.problems


def _seconds(value: str) -> float | None:
    match = _TIME.match(value.strip())
    if not match:
        return None
    number = float(match.group(1))
    return number / 1000 if match.group(2) == "ms" else number


def check(ssml: str, audio_seconds: dict[str, float] | None = None) -> SsmlReport:
    """Check one outputSpeech against Alexa's rules. `audio_seconds` maps known
    clip URLs to their length, for the total-audio limit."""
    problems: list[str] = []
    if len(ssml) > MAX_SPEECH_CHARS:
        problems.append(f"speech is {len(ssml)} characters (limit {MAX_SPEECH_CHARS})")
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(_AMAZON_PREFIX.sub(r"\1amazon-", ssml))  # noqa: S314 -- our own SSML
    except ET.ParseError as error:
        return SsmlReport((f"not well-formed XML: {error}",), 0, 0.0)
    if root.tag != "speak":
        problems.append("root element is not <speak>")
    clips = 0
    breaks = 0.0
    total_audio = 0.0
    for element in root.iter():
        tag = element.tag.replace("amazon-", "amazon:")
        if tag not in ALLOWED_TAGS:
            problems.append(f"tag <{tag}> is not Alexa SSML")
        if tag == "break":
            length = _seconds(element.get("time", "0ms")) if element.get("time") else 0.0
            if length is None:
                problems.append(f"bad break time {element.get('time')!r}")
            elif length > MAX_BREAK_SECONDS:
                problems.append(f"break of {length}s is over {MAX_BREAK_SECONDS}s")
            else:
                breaks += length
        if tag == "audio":
            clips += 1
            src = element.get("src", "")
            if not (src.startswith("https://") or src.startswith("soundbank://")):
                problems.append(f"audio source must be https or soundbank: {src!r}")
            total_audio += (audio_seconds or {}).get(src, 0.0)
    if clips > MAX_AUDIO_CLIPS:
        problems.append(f"{clips} audio clips (limit {MAX_AUDIO_CLIPS})")
    if total_audio > MAX_AUDIO_SECONDS:
        problems.append(f"{total_audio:.0f}s of audio (limit {MAX_AUDIO_SECONDS:.0f}s)")
    return SsmlReport(tuple(problems), clips, breaks)
