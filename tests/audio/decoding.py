"""An ffmpeg decoder for the tests, independent of skill.audio_build's own."""

from __future__ import annotations

import subprocess
import sys
from array import array
from pathlib import Path

import imageio_ffmpeg

SAMPLE_RATE = 24_000


def decode(path: Path) -> array[int]:
    """Decode any audio file to signed 16-bit mono samples at 24000 Hz."""
    pcm = subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(path),
            "-f",
            "s16le",
            "-ac",
            "1",
            "-ar",
            str(SAMPLE_RATE),
            "-",
        ],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    samples = array("h")
    samples.frombytes(pcm)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def duration_ms(samples: array[int]) -> float:
    return len(samples) * 1000 / SAMPLE_RATE
