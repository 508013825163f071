"""The built files, checked from the outside: decoded by ffmpeg, headers read by hand."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import math
import re
from array import array
from pathlib import Path

import pytest

from skill.audio import pacing
from skill.audio_build.build import BuildError, build_all, planned_cues
from skill.audio_build.mp3frames import format_problems
from skill.audio_build.synth import Drone, bed

from .conftest import Build
from .decoding import SAMPLE_RATE, decode, duration_ms

TOLERANCE_MS = 20
EXPECTED = pacing.all_tracks()  # name -> duration from the pacing arithmetic


def window(samples: array[int], start_s: float, end_s: float) -> array[int]:
    return samples[round(start_s * SAMPLE_RATE) : round(end_s * SAMPLE_RATE)]


def rms(samples: array[int]) -> float:
    return math.sqrt(sum(x * x for x in samples) / len(samples))


def pitch_hz(samples: array[int]) -> float:
    """Fundamental from upward zero crossings (our tones cross zero twice a cycle)."""
    ups = sum(1 for a, b in itertools.pairwise(samples) if a < 0 <= b)
    return ups * SAMPLE_RATE / len(samples)


def dbfs(value: float) -> float:
    return 20 * math.log10(max(value, 1) / 32768)


# --- files, lengths, manifest -------------------------------------------------------


def test_every_planned_cue_is_built(build: Build) -> None:
    assert {p.stem for p in build.out.glob("*.mp3")} == set(EXPECTED)
    assert len(EXPECTED) == 29


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_decoded_length_matches_pacing(decoded: dict[str, array[int]], name: str) -> None:
    measured = duration_ms(decoded[name])
    assert abs(measured - EXPECTED[name]) <= TOLERANCE_MS, (name, measured)
    assert measured <= 240_000


@pytest.mark.parametrize(
    ("pace", "breaths"), [(p, n) for p in pacing.PACES.values() for n in (3, 10)]
)
def test_sync_track_length_by_arithmetic(
    decoded: dict[str, array[int]], pace: pacing.Pace, breaths: int
) -> None:
    measured = duration_ms(decoded[pacing.sync_track_name(pace, breaths)])
    assert abs(measured - breaths * (pace.inhale_s + pace.exhale_s) * 1000) <= TOLERANCE_MS


def test_manifest_matches_files(build: Build, decoded: dict[str, array[int]]) -> None:
    manifest = json.loads((build.out / "manifest.json").read_text())
    assert manifest["format"]["sample_rate_hz"] == 24_000
    entries = {entry["name"]: entry for entry in manifest["cues"]}
    assert set(entries) == set(EXPECTED)
    for name, entry in entries.items():
        data = (build.out / entry["file"]).read_bytes()
        assert entry["file"] == f"{name}.mp3"
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
        assert abs(entry["duration_ms"] - duration_ms(decoded[name])) <= 1


def test_progress_line_per_file(build: Build) -> None:
    lines = re.findall(r"^\[(\d+)/29\] (\S+\.mp3) (\d+\.\d) s$", build.progress, re.MULTILINE)
    assert sorted(int(i) for i, _, _ in lines) == list(range(1, 30))
    assert ("sync-normal-05.mp3", "50.0") in {(f, s) for _, f, s in lines}


# --- Alexa's MP3 format, read from the bytes -------------------------------------------


def frame_after(data: bytes, offset: int) -> int:
    """Offset of the frame that follows the MPEG-2 Layer III frame at `offset`."""
    kbps = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)[data[offset + 2] >> 4]
    padding = (data[offset + 2] >> 1) & 1
    return offset + 72 * kbps * 1000 // 24_000 + padding


def first_frames(data: bytes) -> tuple[int, int]:
    """Offsets of the first frame (LAME Info header) and the first audio frame."""
    offset = 0
    if data[:3] == b"ID3":
        size = 0
        for byte in data[6:10]:
            size = (size << 7) | byte
        offset = 10 + size
    return offset, frame_after(data, offset)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_frame_headers_are_alexa_format(build: Build, name: str) -> None:
    data = (build.out / f"{name}.mp3").read_bytes()
    info, audio = first_frames(data)
    assert data[info + 4 + 9 : info + 4 + 9 + 4] == b"Info"  # gapless header frame
    header = data[audio : audio + 4]
    assert header[0] == 0xFF
    assert header[1] >> 5 == 0b111  # frame sync
    assert (header[1] >> 3) & 0b11 == 0b10  # MPEG-2
    assert (header[1] >> 1) & 0b11 == 0b01  # Layer III
    assert header[2] >> 4 == 6  # 48 kbps in the MPEG-2 Layer III table
    assert (header[2] >> 2) & 0b11 == 0b01  # 24000 Hz in the MPEG-2 table
    assert header[3] >> 6 == 0b11  # mono
    assert format_problems(data) == []  # and every later frame too


# --- what the cues sound like ----------------------------------------------------------


def test_inhale_rises_in_pitch_and_volume(decoded: dict[str, array[int]]) -> None:
    start, end = window(decoded["inhale"], 0.2, 1.0), window(decoded["inhale"], 3.0, 3.8)
    assert pitch_hz(start) < 215 < 270 < pitch_hz(end)
    assert rms(end) > 4 * rms(start)


def test_exhale_falls_in_pitch_and_volume(decoded: dict[str, array[int]]) -> None:
    start, end = window(decoded["exhale"], 0.2, 1.0), window(decoded["exhale"], 5.0, 5.8)
    assert pitch_hz(start) > 270 > 215 > pitch_hz(end)
    assert rms(start) > 4 * rms(end)


@pytest.mark.parametrize("pace", list(pacing.PACES.values()))
def test_sync_track_breathes_at_its_pace(decoded: dict[str, array[int]], pace: pacing.Pace) -> None:
    samples = decoded[pacing.sync_track_name(pace, 5)]
    breath_s, inhale_s = pace.breath_ms / 1000, pace.inhale_ms / 1000
    for k in range(5):
        top = window(samples, k * breath_s + inhale_s - 0.5, k * breath_s + inhale_s + 0.5)
        rising = window(samples, k * breath_s + 0.2, k * breath_s + 1.0)
        bottom = window(samples, (k + 1) * breath_s - 0.8, (k + 1) * breath_s - 0.1)
        assert rms(top) > 3 * rms(bottom)
        assert pitch_hz(top) > pitch_hz(rising) + 50
        assert pitch_hz(top) > pitch_hz(bottom) + 50


@pytest.mark.parametrize("name", ["repair-chime", "turn-end-chime"])
def test_chimes_strike_at_once_and_die_away(decoded: dict[str, array[int]], name: str) -> None:
    samples = decoded[name]
    onset = next(i for i, x in enumerate(samples) if abs(x) > 1000)
    assert onset < SAMPLE_RATE * 0.05
    assert rms(window(samples, 0, 0.5)) > 10 * rms(samples[-SAMPLE_RATE // 4 :])
    assert -20 < dbfs(max(abs(x) for x in samples)) < -3


def test_background_bed_is_quiet_and_steady_across_the_loop_point(
    decoded: dict[str, array[int]],
) -> None:
    samples = decoded["background-bed"]
    assert -50 < dbfs(rms(samples)) < -28
    assert dbfs(max(abs(x) for x in samples)) < -18
    head, tail = rms(window(samples, 0.05, 0.5)), rms(samples[-SAMPLE_RATE // 2 : -1200])
    assert abs(dbfs(head) - dbfs(tail)) < 1.5


def test_bed_synthesis_is_exactly_periodic() -> None:
    drones = [Drone(220, 1.0, 500), Drone(330, 0.5, 250, 1.0)]
    once = bed(1000, drones, level_db=-20, swell_depth=0.5)
    twice = bed(2000, drones, level_db=-20, swell_depth=0.5)
    assert twice[:1000].raw_data == once.raw_data
    assert twice[1000:].raw_data == once.raw_data


def test_bed_rejects_a_swell_that_would_not_loop() -> None:
    with pytest.raises(ValueError, match="divide"):
        bed(1000, [Drone(220, 1.0, 300)], level_db=-20, swell_depth=0.5)


# --- build entry points ----------------------------------------------------------------


def test_plan_covers_every_track_once() -> None:
    plan = planned_cues()
    assert [cue.name for cue in plan] == list(EXPECTED)
    assert all(cue.duration_ms == EXPECTED[cue.name] for cue in plan)


def test_build_subset_is_deterministic_and_rejects_unknown_names(
    build: Build, tmp_path: Path
) -> None:
    progress = io.StringIO()
    built = build_all(tmp_path, names={"repair-chime"}, progress=progress)
    assert [cue.name for cue in built] == ["repair-chime"]
    # Same bytes as the full build: a rebuild does not force a new upload.
    assert (tmp_path / "repair-chime.mp3").read_bytes() == (
        build.out / "repair-chime.mp3"
    ).read_bytes()
    assert "[1/1] repair-chime.mp3 2.5 s" in progress.getvalue()
    assert abs(duration_ms(decode(tmp_path / "repair-chime.mp3")) - 2_500) <= TOLERANCE_MS
    with pytest.raises(BuildError, match="unknown"):
        build_all(tmp_path, names={"sync-normal-11"}, progress=progress)
