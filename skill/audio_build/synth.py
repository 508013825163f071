"""Synthetic sound for the cues: gliding breath tones, soft chimes and a loopable bed.

Samples are computed with the stdlib (`math`, `array`) at Alexa's 24000 Hz, mono,
16 bit, and handed to pydub, which does the rest (fades, concatenation, export).
Lengths are exact: `duration_ms` always gives `duration_ms * 24` frames.
"""

from __future__ import annotations

import itertools
import math
import sys
import warnings
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

with warnings.catch_warnings():
    # pydub warns at import when no ffmpeg is on PATH (ours comes from imageio-ffmpeg)
    # and, on 3.11-3.12, that the stdlib audioop it uses is deprecated.
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from pydub import AudioSegment

__all__ = [  # AudioSegment too: other modules import pydub through here (warning silenced)
    "SAMPLE_RATE",
    "SAMPLE_WIDTH",
    "AudioSegment",
    "Drone",
    "Point",
    "Strike",
    "bed",
    "chime",
    "db_to_amplitude",
    "frames_for_ms",
    "segment_from_samples",
    "smoothstep",
    "tone",
]

SAMPLE_RATE = 24_000
SAMPLE_WIDTH = 2  # bytes: 16-bit PCM
FULL_SCALE = 32_767
TAU = 2 * math.pi

# Soft, slightly warm timbre: fundamental plus two quiet harmonics. With these
# weights the wave crosses zero exactly twice per cycle (the pitch stays measurable).
WARM_HARMONICS: tuple[float, ...] = (1.0, 0.3, 0.1)


def frames_for_ms(duration_ms: int) -> int:
    """Frames in `duration_ms` at 24000 Hz (exactly 24 per millisecond)."""
    return duration_ms * SAMPLE_RATE // 1000


def db_to_amplitude(db: float) -> float:
    return float(10 ** (db / 20))


def smoothstep(x: float) -> float:
    """Ease-in-out from 0 to 1 over x in [0, 1]."""
    return x * x * (3 - 2 * x)


def segment_from_samples(samples: Sequence[float]) -> AudioSegment:
    """A mono 24 kHz 16-bit AudioSegment from float samples in [-1, 1] (clipped)."""
    pcm = array("h", (round(max(-1.0, min(1.0, s)) * FULL_SCALE) for s in samples))
    if sys.byteorder == "big":
        pcm.byteswap()  # WAV/PCM for ffmpeg is little-endian
    return AudioSegment(
        data=pcm.tobytes(), sample_width=SAMPLE_WIDTH, frame_rate=SAMPLE_RATE, channels=1
    )


@dataclass(frozen=True)
class Point:
    """A pitch and a loudness that a tone passes through at `at_ms`."""

    at_ms: int
    hz: float
    db: float


def tone(
    contour: Sequence[Point],
    harmonics: Sequence[float] = WARM_HARMONICS,
    fade_in_ms: int = 60,
    fade_out_ms: int = 120,
) -> AudioSegment:
    """One continuous tone from the first point to the last, easing pitch and loudness
    (in dB) between points; phase-continuous, so a turn at a point has no click.
    Its length is the last point's `at_ms`."""
    if len(contour) < 2 or contour[0].at_ms != 0:
        raise ValueError("a contour needs two or more points, the first at 0 ms")
    if any(b.at_ms <= a.at_ms for a, b in itertools.pairwise(contour)):
        raise ValueError("contour points must be in time order")
    norm = sum(harmonics)
    weights = [(k + 1, w / norm) for k, w in enumerate(harmonics)]
    samples: list[float] = []
    phase = 0.0
    for a, b in itertools.pairwise(contour):
        n = frames_for_ms(b.at_ms - a.at_ms)
        for i in range(n):
            x = smoothstep(i / n)
            hz = a.hz + (b.hz - a.hz) * x
            amp = db_to_amplitude(a.db + (b.db - a.db) * x)
            phase += TAU * hz / SAMPLE_RATE
            samples.append(amp * sum(w * math.sin(k * phase) for k, w in weights))
    return segment_from_samples(samples).fade_in(fade_in_ms).fade_out(fade_out_ms)


@dataclass(frozen=True)
class Strike:
    """One struck note of a chime: a bell-like tone that decays exponentially."""

    at_ms: int
    hz: float
    peak_db: float
    decay_s: float


# Partials of a soft bowl-like bell: (frequency ratio, weight, decay factor).
BELL_PARTIALS: tuple[tuple[float, float, float], ...] = (
    (1.0, 1.0, 1.0),
    (2.0, 0.25, 0.6),
    (2.76, 0.12, 0.35),
)
ATTACK_MS = 8


def chime(duration_ms: int, strikes: Sequence[Strike], tail_fade_ms: int = 300) -> AudioSegment:
    """Render struck notes into a chime of exactly `duration_ms`, fading to silence."""
    n = frames_for_ms(duration_ms)
    samples = [0.0] * n
    attack = frames_for_ms(ATTACK_MS)
    norm = sum(w for _, w, _ in BELL_PARTIALS)
    for strike in strikes:
        start = frames_for_ms(strike.at_ms)
        peak = db_to_amplitude(strike.peak_db) / norm
        for ratio, weight, decay_factor in BELL_PARTIALS:
            step = TAU * strike.hz * ratio / SAMPLE_RATE
            decay_per_frame = math.exp(-1 / (strike.decay_s * decay_factor * SAMPLE_RATE))
            level = peak * weight
            for j in range(n - start):
                ramp = j / attack if j < attack else 1.0
                samples[start + j] += level * ramp * math.sin(step * j)
                level *= decay_per_frame
    return segment_from_samples(samples).fade_out(tail_fade_ms)


@dataclass(frozen=True)
class Drone:
    """One partial of the background bed. Loops seamlessly over the bed's length when
    `hz` is a whole number and `swell_period_ms` divides that length."""

    hz: int
    weight: float
    swell_period_ms: int
    swell_phase: float = 0.0


def bed(
    duration_ms: int, drones: Sequence[Drone], level_db: float, swell_depth: float
) -> AudioSegment:
    """A quiet drone with slow swells that loops without a seam: every component
    completes whole cycles in `duration_ms`, and sample n equals sample 0."""
    for drone in drones:
        if duration_ms % drone.swell_period_ms:
            raise ValueError("each swell period must divide the bed's duration")
    n = frames_for_ms(duration_ms)
    frames_per_ms = SAMPLE_RATE // 1000
    norm = db_to_amplitude(level_db) / sum(d.weight for d in drones)
    # Each whole-Hz sine repeats every second: read it from a one-second table.
    tables = [[math.sin(TAU * d.hz * i / SAMPLE_RATE) for i in range(SAMPLE_RATE)] for d in drones]
    samples = [0.0] * n
    for ms in range(duration_ms):
        gains = [
            norm
            * d.weight
            * (
                1
                - swell_depth * (0.5 + 0.5 * math.cos(TAU * ms / d.swell_period_ms + d.swell_phase))
            )
            for d in drones
        ]
        base = ms * frames_per_ms
        for i in range(base, base + frames_per_ms):
            t = i % SAMPLE_RATE
            samples[i] = sum(g * table[t] for g, table in zip(gains, tables, strict=True))
    return segment_from_samples(samples)
