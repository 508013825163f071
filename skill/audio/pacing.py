"""Breathing paces, cue names and durations, and the URLs of hosted cues.

Pure stdlib: this is the one audio module the running skill imports.

Timing is exact by construction: a Silent Sync track is `breaths` repetitions of
one breath, and one breath is an inhale tone of `inhale_s` followed by an exhale
tone of `exhale_s`. There is no lead-in or lead-out, so

    track_duration_ms(pace, breaths) == breaths * (pace.inhale_ms + pace.exhale_ms)

and the breathing circle on a screen can run from the same numbers.

Hosted cues live under one base URL (`STEADY_AUDIO_BASE_URL`, https only). After
`steady audio publish`, the package carries `published.json` (logical name ->
content-hashed file name under that base URL); it is read once, lazily. Without it
the unhashed build names (`<name>.mp3`) are used, e.g. for a self-hosted copy of the
build output directory.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Pace:
    """One breathing pace: seconds to breathe in, seconds to breathe out."""

    name: str
    inhale_s: float
    exhale_s: float

    @property
    def inhale_ms(self) -> int:
        return round(self.inhale_s * 1000)

    @property
    def exhale_ms(self) -> int:
        return round(self.exhale_s * 1000)

    @property
    def breath_ms(self) -> int:
        return self.inhale_ms + self.exhale_ms


NORMAL = Pace("normal", 4, 6)
SLOWER = Pace("slower", 5, 7)
FASTER = Pace("faster", 3, 5)
DEFAULT_PACE = NORMAL
PACES: Mapping[str, Pace] = MappingProxyType({p.name: p for p in (NORMAL, SLOWER, FASTER)})

MIN_BREATHS = 3
MAX_BREATHS = 10
DEFAULT_BREATHS = 5
BREATH_COUNTS: tuple[int, ...] = tuple(range(MIN_BREATHS, MAX_BREATHS + 1))

# Alexa's limits for <audio> in one outputSpeech.
MAX_CLIPS_PER_RESPONSE = 5
MAX_AUDIO_MS_PER_RESPONSE = 240_000

# Single cues. The inhale and exhale cues are one breath at the default pace
# (the repair ritual's "one shared breath"); the bed loops seamlessly.
INHALE = "inhale"
EXHALE = "exhale"
REPAIR_CHIME = "repair-chime"
TURN_END_CHIME = "turn-end-chime"
BACKGROUND_BED = "background-bed"
CUE_NAMES: tuple[str, ...] = (INHALE, EXHALE, REPAIR_CHIME, TURN_END_CHIME, BACKGROUND_BED)
CUE_DURATIONS_MS: Mapping[str, int] = MappingProxyType(
    {
        INHALE: DEFAULT_PACE.inhale_ms,
        EXHALE: DEFAULT_PACE.exhale_ms,
        REPAIR_CHIME: 2_500,
        TURN_END_CHIME: 3_000,
        BACKGROUND_BED: 60_000,
    }
)


def pace_for(name: str | None) -> Pace:
    """The preset called `name` ("normal", "slower", "faster"); the default otherwise."""
    if name is None:
        return DEFAULT_PACE
    return PACES.get(name.strip().lower(), DEFAULT_PACE)


def clamp_breaths(n: int | None) -> int:
    """A breath count within MIN_BREATHS..MAX_BREATHS; None gives the default."""
    if n is None:
        return DEFAULT_BREATHS
    return max(MIN_BREATHS, min(MAX_BREATHS, n))


def _check_breaths(breaths: int) -> None:
    if not MIN_BREATHS <= breaths <= MAX_BREATHS:
        raise ValueError(f"breaths must be {MIN_BREATHS}..{MAX_BREATHS}, got {breaths}")


def sync_track_name(pace: Pace, breaths: int) -> str:
    """Logical name of a Silent Sync track, e.g. "sync-normal-05"."""
    _check_breaths(breaths)
    return f"sync-{pace.name}-{breaths:02d}"


def track_duration_ms(pace: Pace, breaths: int) -> int:
    """Exact length of a Silent Sync track: breaths * (inhale + exhale), no lead-in/out."""
    _check_breaths(breaths)
    return breaths * pace.breath_ms


def all_tracks() -> dict[str, int]:
    """Every file the build produces: logical name -> duration in ms."""
    tracks = dict(CUE_DURATIONS_MS)
    for pace in PACES.values():
        for breaths in BREATH_COUNTS:
            tracks[sync_track_name(pace, breaths)] = track_duration_ms(pace, breaths)
    return tracks


def usable_base_url(base_url: str | None) -> str | None:
    """`base_url` without a trailing slash if Alexa can fetch from it (https with a
    host), else None."""
    if not base_url:
        return None
    parts = urlsplit(base_url.strip())
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        return None
    return base_url.strip().rstrip("/")


def hosted_url(base_url: str, name: str, manifest: Mapping[str, str] | None) -> str:
    """URL of cue `name` under `base_url`.

    With a non-empty manifest (name -> content-hashed file name) the hashed file is
    used, and a name missing from it raises KeyError (better the SSML fallback than
    a URL that is not there). With None or an empty manifest: `<name>.mp3`.
    """
    file_name = manifest[name] if manifest else f"{name}.mp3"
    return f"{base_url.rstrip('/')}/{file_name}"


PUBLISHED_FILE = "published.json"


def parse_published(text: str) -> Mapping[str, str]:
    """Parse a published manifest (a JSON object: cue name -> file name)."""
    data = json.loads(text)
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in data.items()
    ):
        raise ValueError(f"{PUBLISHED_FILE} must map cue names to file names")
    return MappingProxyType(dict(data))


@functools.cache
def published_manifest() -> Mapping[str, str]:
    """The packaged `published.json`, read on first use only (no disk read per request).

    Empty when the cues were never published. A malformed file raises ValueError.
    """
    resource = Path(__file__).resolve().parent / PUBLISHED_FILE
    if not resource.is_file():
        return MappingProxyType({})
    return parse_published(resource.read_text(encoding="utf-8"))


def cue_url(
    name: str, base_url: str | None, manifest: Mapping[str, str] | None = None
) -> str | None:
    """Hosted URL of a single cue, or None when hosting is not usable (use the fallback).

    `manifest` None means the packaged published manifest.
    """
    base = usable_base_url(base_url)
    if base is None:
        return None
    try:
        return hosted_url(base, name, published_manifest() if manifest is None else manifest)
    except KeyError:
        return None


def sync_audio_plan(
    pace: Pace,
    breaths: int,
    base_url: str | None,
    manifest: Mapping[str, str] | None = None,
) -> list[str]:
    """The <audio> URLs for one Silent Sync: one full track, so at most one clip and
    at most 120 s (well inside Alexa's 5 clips and 240 s per response).

    `breaths` is clamped to MIN_BREATHS..MAX_BREATHS. Returns [] when `base_url` is
    not usable (missing or not https) or the cue is not published: the caller then
    uses the SSML fallback. `manifest` None means the packaged published manifest.
    """
    url = cue_url(sync_track_name(pace, clamp_breaths(breaths)), base_url, manifest)
    return [] if url is None else [url]
