from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.audio import pacing
from skill.audio.pacing import (
    BREATH_COUNTS,
    DEFAULT_BREATHS,
    FASTER,
    MAX_BREATHS,
    MIN_BREATHS,
    NORMAL,
    PACES,
    SLOWER,
    Pace,
    clamp_breaths,
    hosted_url,
    pace_for,
    sync_audio_plan,
    sync_track_name,
    track_duration_ms,
)

BASE = "https://cdn.example.com/audio"
ALL_COMBINATIONS = [(pace, n) for pace in PACES.values() for n in BREATH_COUNTS]


def test_presets_and_defaults() -> None:
    assert (NORMAL.inhale_s, NORMAL.exhale_s) == (4, 6)
    assert (SLOWER.inhale_s, SLOWER.exhale_s) == (5, 7)
    assert (FASTER.inhale_s, FASTER.exhale_s) == (3, 5)
    assert pacing.DEFAULT_PACE is NORMAL
    assert set(PACES) == {"normal", "slower", "faster"}
    assert (MIN_BREATHS, MAX_BREATHS, DEFAULT_BREATHS) == (3, 10, 5)
    assert tuple(range(3, 11)) == BREATH_COUNTS


def test_pace_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        NORMAL.inhale_s = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("slower", SLOWER),
        (" Faster ", FASTER),
        ("normal", NORMAL),
        (None, NORMAL),
        ("zippy", NORMAL),
    ],
)
def test_pace_for(name: str | None, expected: Pace) -> None:
    assert pace_for(name) is expected


@given(st.integers(min_value=-1000, max_value=1000))
def test_clamp_breaths_stays_in_range(n: int) -> None:
    clamped = clamp_breaths(n)
    assert MIN_BREATHS <= clamped <= MAX_BREATHS
    if MIN_BREATHS <= n <= MAX_BREATHS:
        assert clamped == n


def test_clamp_breaths_default() -> None:
    assert clamp_breaths(None) == DEFAULT_BREATHS


def test_sync_track_names() -> None:
    assert sync_track_name(NORMAL, 5) == "sync-normal-05"
    assert sync_track_name(SLOWER, 10) == "sync-slower-10"
    assert sync_track_name(FASTER, 3) == "sync-faster-03"
    names = {sync_track_name(pace, n) for pace, n in ALL_COMBINATIONS}
    assert len(names) == 24


@pytest.mark.parametrize("breaths", [0, 2, 11])
def test_out_of_range_breaths_have_no_track(breaths: int) -> None:
    with pytest.raises(ValueError, match="breaths"):
        sync_track_name(NORMAL, breaths)
    with pytest.raises(ValueError, match="breaths"):
        track_duration_ms(NORMAL, breaths)


@pytest.mark.parametrize(("pace", "breaths"), ALL_COMBINATIONS)
def test_track_duration_arithmetic(pace: Pace, breaths: int) -> None:
    expected = breaths * (pace.inhale_s + pace.exhale_s) * 1000
    assert track_duration_ms(pace, breaths) == expected
    assert expected <= pacing.MAX_AUDIO_MS_PER_RESPONSE


def test_known_durations() -> None:
    assert track_duration_ms(NORMAL, 5) == 50_000
    assert track_duration_ms(SLOWER, 10) == 120_000
    assert track_duration_ms(FASTER, 3) == 24_000


def test_all_tracks_lists_singles_and_every_sync_track() -> None:
    tracks = pacing.all_tracks()
    assert len(tracks) == len(pacing.CUE_NAMES) + 24
    assert tracks["inhale"] == 4_000
    assert tracks["exhale"] == 6_000
    assert tracks["background-bed"] == 60_000
    assert tracks["sync-slower-07"] == 84_000
    assert all(0 < ms <= 240_000 for ms in tracks.values())
    assert set(pacing.CUE_NAMES) == {
        "inhale",
        "exhale",
        "repair-chime",
        "turn-end-chime",
        "background-bed",
    }


def test_hosted_url_without_manifest_uses_build_names() -> None:
    assert hosted_url(BASE, "inhale", None) == f"{BASE}/inhale.mp3"
    assert hosted_url(BASE + "/", "inhale", {}) == f"{BASE}/inhale.mp3"


def test_hosted_url_with_manifest_uses_hashed_names() -> None:
    manifest = {"inhale": "inhale-0123456789ab.mp3"}
    assert hosted_url(BASE, "inhale", manifest) == f"{BASE}/inhale-0123456789ab.mp3"
    with pytest.raises(KeyError):
        hosted_url(BASE, "exhale", manifest)


@pytest.mark.parametrize(("pace", "breaths"), ALL_COMBINATIONS)
def test_sync_audio_plan_fits_one_response(pace: Pace, breaths: int) -> None:
    plan = sync_audio_plan(pace, breaths, BASE, manifest={})
    assert plan == [f"{BASE}/{sync_track_name(pace, breaths)}.mp3"]
    assert len(plan) <= pacing.MAX_CLIPS_PER_RESPONSE
    assert track_duration_ms(pace, breaths) <= pacing.MAX_AUDIO_MS_PER_RESPONSE


def test_sync_audio_plan_clamps_breaths() -> None:
    assert sync_audio_plan(NORMAL, 50, BASE, manifest={}) == [f"{BASE}/sync-normal-10.mp3"]
    assert sync_audio_plan(FASTER, 1, BASE, manifest={}) == [f"{BASE}/sync-faster-03.mp3"]


def test_sync_audio_plan_uses_hashed_name() -> None:
    manifest = {"sync-normal-05": "sync-normal-05-aaaaaaaaaaaa.mp3"}
    assert sync_audio_plan(NORMAL, 5, BASE, manifest=manifest) == [
        f"{BASE}/sync-normal-05-aaaaaaaaaaaa.mp3"
    ]
    # Published, but without this track: fall back rather than point at nothing.
    assert sync_audio_plan(NORMAL, 6, BASE, manifest=manifest) == []


@pytest.mark.parametrize(
    "base_url",
    [None, "", "http://cdn.example.com/audio", "https://", "ftp://x/y", "https://h/a?x=1"],
)
def test_sync_audio_plan_falls_back_without_https_hosting(base_url: str | None) -> None:
    assert sync_audio_plan(NORMAL, 5, base_url, manifest={}) == []
    assert pacing.cue_url("repair-chime", base_url, manifest={}) is None


def test_cue_url() -> None:
    assert pacing.cue_url("repair-chime", BASE + "/", manifest={}) == f"{BASE}/repair-chime.mp3"


def test_parse_published() -> None:
    parsed = pacing.parse_published('{"inhale": "inhale-0123456789ab.mp3"}')
    assert parsed == {"inhale": "inhale-0123456789ab.mp3"}
    for bad in ('["inhale"]', '{"inhale": 3}', '{"inhale": ""}', "not json"):
        with pytest.raises(ValueError, match=r".+"):
            pacing.parse_published(bad)


def test_packaged_manifest_is_loaded_once() -> None:
    first = pacing.published_manifest()
    assert pacing.published_manifest() is first
    assert all(isinstance(v, str) for v in first.values())
    unknown = set(first) - set(pacing.all_tracks())
    assert not unknown


def test_pacing_imports_only_the_stdlib() -> None:
    code = (
        "import sys, skill.audio.pacing as p; p.sync_audio_plan(p.NORMAL, 5, 'https://h/a'); "
        "heavy = {'pydub', 'boto3', 'botocore', 'imageio_ffmpeg'} & set(sys.modules); "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
