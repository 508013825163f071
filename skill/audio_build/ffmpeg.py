"""The ffmpeg binary from the imageio-ffmpeg wheel: MP3 export in Alexa's format
through pydub, and decoding back to PCM (there is no ffprobe, so measuring audio
means decoding it)."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

import imageio_ffmpeg

from skill.audio_build.synth import SAMPLE_RATE, SAMPLE_WIDTH, AudioSegment

ALEXA_BITRATE = "48k"
DECODE_TIMEOUT_S = 60


@functools.cache
def ffmpeg_exe() -> str:
    """Path of the bundled ffmpeg; also makes pydub use it."""
    exe: str = imageio_ffmpeg.get_ffmpeg_exe()
    AudioSegment.converter = exe
    return exe


def export_alexa_mp3(segment: AudioSegment, path: Path) -> None:
    """Write `segment` as MP3, MPEG-2 Layer III, 48 kbps CBR, 24000 Hz, mono.

    ffmpeg writes a LAME/Info header with the encoder delay and padding, so a gapless
    decoder (ffmpeg's included) gives back exactly the original number of samples.
    """
    ffmpeg_exe()
    segment.set_frame_rate(SAMPLE_RATE).set_channels(1).export(
        str(path),
        format="mp3",
        codec="libmp3lame",
        bitrate=ALEXA_BITRATE,
        parameters=["-ar", str(SAMPLE_RATE), "-ac", "1"],
    )


def decode_pcm(path: Path) -> bytes:
    """Decode an audio file to 16-bit little-endian mono PCM at 24000 Hz."""
    result = subprocess.run(  # noqa: S603 - fixed binary, argument list, no shell
        [
            ffmpeg_exe(),
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
        timeout=DECODE_TIMEOUT_S,
    )
    return result.stdout


def decoded_duration_ms(path: Path) -> float:
    """Playing time of an audio file as measured by decoding it."""
    return len(decode_pcm(path)) / SAMPLE_WIDTH * 1000 / SAMPLE_RATE
