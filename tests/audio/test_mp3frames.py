from __future__ import annotations

from pathlib import Path

import pytest

from skill.audio_build.ffmpeg import export_alexa_mp3
from skill.audio_build.mp3frames import (
    audio_start,
    format_problems,
    iter_frames,
    parse_frame_header,
)
from skill.audio_build.synth import AudioSegment, Point, tone

# Hand-assembled headers: sync, version, layer, no CRC | bitrate, rate, pad | mode.
ALEXA_AUDIO_HEADER = bytes([0xFF, 0xF3, 0x64, 0xC4])  # MPEG-2 L3, 48 kbps, 24 kHz, mono
CD_HEADER = bytes([0xFF, 0xFB, 0x90, 0x64])  # MPEG-1 L3, 128 kbps, 44.1 kHz, joint stereo


def test_parse_alexa_header() -> None:
    header = parse_frame_header(ALEXA_AUDIO_HEADER)
    assert (header.mpeg_version, header.layer) == ("2", 3)
    assert (header.bitrate_kbps, header.sample_rate_hz) == (48, 24_000)
    assert header.channel_mode == "mono"
    assert not header.padded
    assert not header.protected
    assert header.frame_bytes == 144  # 72 * 48000 / 24000
    assert header.samples_per_frame == 576


def test_parse_mpeg1_header() -> None:
    header = parse_frame_header(CD_HEADER)
    assert (header.mpeg_version, header.bitrate_kbps, header.sample_rate_hz) == ("1", 128, 44_100)
    assert header.channel_mode == "joint stereo"
    assert header.frame_bytes == 417
    assert header.samples_per_frame == 1152


def test_padding_adds_a_byte() -> None:
    assert parse_frame_header(bytes([0xFF, 0xF3, 0x66, 0xC4])).frame_bytes == 145


@pytest.mark.parametrize(
    "header",
    [
        b"\x00\xf3\x64\xc4",  # no sync
        b"\xff\xf5\x64\xc4",  # Layer II
        b"\xff\xeb\x64\xc4",  # reserved version
        b"\xff\xf3\xf4\xc4",  # bitrate index 15
        b"\xff\xf3\x6c\xc4",  # reserved sample rate
        b"\xff\xf3",  # too short
    ],
)
def test_rejects_what_is_not_a_layer3_header(header: bytes) -> None:
    with pytest.raises(ValueError, match=r".+"):
        parse_frame_header(header)


def test_audio_start_skips_id3v2() -> None:
    tag = b"ID3\x04\x00\x00\x00\x00\x01\x01" + bytes(129)  # size 0x81 syncsafe = 129
    assert audio_start(tag + ALEXA_AUDIO_HEADER) == 139
    assert audio_start(ALEXA_AUDIO_HEADER) == 0


def _beep() -> AudioSegment:
    return tone([Point(0, 440.0, -10.0), Point(500, 440.0, -10.0)])


def test_export_is_alexa_format(tmp_path: Path) -> None:
    path = tmp_path / "beep.mp3"
    export_alexa_mp3(_beep(), path)
    data = path.read_bytes()
    frames = list(iter_frames(data))
    assert frames[0].info
    assert all(not f.info for f in frames[1:])
    assert format_problems(data) == []


def test_other_formats_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "cd.mp3"
    export_alexa_mp3(_beep(), tmp_path / "unused.mp3")  # makes pydub use our ffmpeg
    _beep().set_frame_rate(44_100).set_channels(2).export(str(path), format="mp3", bitrate="128k")
    problems = format_problems(path.read_bytes())
    assert problems
    assert "44100" in problems[0]


def test_garbage_and_truncation_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "beep.mp3"
    export_alexa_mp3(_beep(), path)
    data = path.read_bytes()
    assert any("truncated" in p for p in format_problems(data[:-50]))
    assert format_problems(b"not an mp3 at all") != []
    assert "no audio frames" in format_problems(b"")
