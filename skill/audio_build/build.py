"""Generate every audio cue with pydub, export it in Alexa's MP3 format and check the
result by decoding it: format from the frame headers, length from the samples.

Build time only (needs pydub and the imageio-ffmpeg binary). Cues are synthetic:
gliding tones for breathing, struck bell partials for chimes, a slow drone for the
bed. Synthesis runs in this process; encoding and checking run in ffmpeg processes
on a thread pool, so they overlap.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from skill.audio import pacing
from skill.audio.pacing import Pace
from skill.audio_build.ffmpeg import decoded_duration_ms, export_alexa_mp3, ffmpeg_exe
from skill.audio_build.manifest import BuiltCue, write_manifest
from skill.audio_build.mp3frames import format_problems
from skill.audio_build.synth import (
    AudioSegment,
    Drone,
    Point,
    Strike,
    bed,
    chime,
    frames_for_ms,
    tone,
)

DURATION_TOLERANCE_MS = 20
MAX_FILE_MS = 240_000

# Breathing tones glide over a fifth (G3 to D4) and swell from quiet to gentle.
BREATH_LOW_HZ = 196.0
BREATH_HIGH_HZ = 294.0
BREATH_QUIET_DB = -24.0
BREATH_PEAK_DB = -5.0
EXHALE_END_DB = -32.0
SINGLE_CUE_EDGE_FADE_MS = 120  # where an inhale or exhale cue is cut out of a breath


class BuildError(Exception):
    """A generated file is not in Alexa's format or not the planned length."""


@functools.cache
def breath_tone(pace: Pace) -> AudioSegment:
    """One breath as one continuous tone: pitch and volume rise over `pace.inhale_s`,
    then fall over `pace.exhale_s`."""
    return tone(
        [
            Point(0, BREATH_LOW_HZ, BREATH_QUIET_DB),
            Point(pace.inhale_ms, BREATH_HIGH_HZ, BREATH_PEAK_DB),
            Point(pace.breath_ms, BREATH_LOW_HZ, EXHALE_END_DB),
        ]
    )


def inhale_tone(pace: Pace) -> AudioSegment:
    """The rising half of a breath, on its own (it fades out at its peak)."""
    return breath_tone(pace)[: pace.inhale_ms].fade_out(SINGLE_CUE_EDGE_FADE_MS)


def exhale_tone(pace: Pace) -> AudioSegment:
    """The falling half of a breath, on its own."""
    return breath_tone(pace)[pace.inhale_ms :].fade_in(SINGLE_CUE_EDGE_FADE_MS)


def sync_track(pace: Pace, breaths: int) -> AudioSegment:
    """`breaths` breaths back to back. pydub's `*` joins like `+`: no crossfade, so
    the length is exactly breaths * breath_ms (append() would crossfade 100 ms)."""
    return breath_tone(pace) * breaths


def repair_chime() -> AudioSegment:
    """Soft and warm: two low bell strikes a major third apart."""
    return chime(
        pacing.CUE_DURATIONS_MS[pacing.REPAIR_CHIME],
        [Strike(0, 523.25, -12.0, 0.7), Strike(240, 659.25, -14.0, 0.8)],
    )


def turn_end_chime() -> AudioSegment:
    """Clear but gentle "ding-dong", falling a fifth: time to swap."""
    return chime(
        pacing.CUE_DURATIONS_MS[pacing.TURN_END_CHIME],
        [Strike(0, 784.0, -8.0, 0.8), Strike(500, 523.25, -8.0, 1.0)],
    )


# A quiet A-major drone; whole-Hz partials and swell periods dividing 60 s, so the
# bed loops without a seam.
BED_DRONES = (
    Drone(220, 1.0, 20_000),
    Drone(277, 0.45, 15_000, 1.0),
    Drone(330, 0.6, 12_000, 2.0),
    Drone(440, 0.25, 30_000, 3.0),
)
BED_LEVEL_DB = -24.0
BED_SWELL_DEPTH = 0.5


def background_bed() -> AudioSegment:
    return bed(
        pacing.CUE_DURATIONS_MS[pacing.BACKGROUND_BED], BED_DRONES, BED_LEVEL_DB, BED_SWELL_DEPTH
    )


@dataclass(frozen=True)
class PlannedCue:
    name: str
    duration_ms: int
    render: Callable[[], AudioSegment]


def planned_cues() -> list[PlannedCue]:
    """Every cue the build writes, single cues first; lengths from `skill.audio.pacing`."""
    singles: dict[str, Callable[[], AudioSegment]] = {
        pacing.INHALE: lambda: inhale_tone(pacing.DEFAULT_PACE),
        pacing.EXHALE: lambda: exhale_tone(pacing.DEFAULT_PACE),
        pacing.REPAIR_CHIME: repair_chime,
        pacing.TURN_END_CHIME: turn_end_chime,
        pacing.BACKGROUND_BED: background_bed,
    }
    plan = [
        PlannedCue(name, pacing.CUE_DURATIONS_MS[name], singles[name]) for name in pacing.CUE_NAMES
    ]
    for pace in pacing.PACES.values():
        for breaths in pacing.BREATH_COUNTS:
            plan.append(
                PlannedCue(
                    pacing.sync_track_name(pace, breaths),
                    pacing.track_duration_ms(pace, breaths),
                    functools.partial(sync_track, pace, breaths),
                )
            )
    return plan


def _write_and_check(cue: PlannedCue, segment: AudioSegment, out_dir: Path) -> BuiltCue:
    if cue.duration_ms > MAX_FILE_MS:
        raise BuildError(f"{cue.name}: {cue.duration_ms} ms is over Alexa's {MAX_FILE_MS} ms")
    if segment.frame_count() != frames_for_ms(cue.duration_ms):
        raise BuildError(f"{cue.name}: rendered {len(segment)} ms, planned {cue.duration_ms} ms")
    path = out_dir / f"{cue.name}.mp3"
    export_alexa_mp3(segment, path)
    data = path.read_bytes()
    problems = format_problems(data)
    if problems:
        raise BuildError(f"{path.name} is not in Alexa's format: {'; '.join(problems[:3])}")
    measured_ms = decoded_duration_ms(path)
    if abs(measured_ms - cue.duration_ms) > DURATION_TOLERANCE_MS:
        raise BuildError(
            f"{path.name}: decodes to {measured_ms:.1f} ms, planned {cue.duration_ms} ms"
        )
    return BuiltCue(
        name=cue.name,
        file=path.name,
        duration_ms=round(measured_ms),
        sha256=hashlib.sha256(data).hexdigest(),
        bytes=len(data),
    )


def _rendered(plan: list[PlannedCue]) -> Iterator[tuple[PlannedCue, AudioSegment]]:
    for cue in plan:
        yield cue, cue.render()


def build_all(
    out_dir: Path,
    *,
    names: Collection[str] | None = None,
    progress: TextIO = sys.stderr,
    workers: int | None = None,
) -> list[BuiltCue]:
    """Write the cues (all, or only `names`) and `manifest.json` into `out_dir`.

    Prints one progress line per file to `progress`. Raises BuildError on any file
    that fails its format or length check.
    """
    plan = planned_cues()
    if names is not None:
        unknown = set(names) - {cue.name for cue in plan}
        if unknown:
            raise BuildError(f"unknown cue names: {sorted(unknown)}")
        plan = [cue for cue in plan if cue.name in names]
    out_dir.mkdir(parents=True, exist_ok=True)
    ffmpeg_exe()
    started = time.monotonic()
    done = 0
    lock = threading.Lock()

    def report(future: Future[BuiltCue]) -> None:
        nonlocal done
        if future.exception() is not None:
            return
        cue = future.result()
        with lock:
            done += 1
            print(f"[{done}/{len(plan)}] {cue.file} {cue.duration_ms / 1000:.1f} s", file=progress)

    with ThreadPoolExecutor(max_workers=workers or min(4, (os.cpu_count() or 1) + 1)) as pool:
        futures: list[Future[BuiltCue]] = []
        for cue, segment in _rendered(plan):  # synthesis overlaps encoding
            future = pool.submit(_write_and_check, cue, segment, out_dir)
            future.add_done_callback(report)
            futures.append(future)
        built = [future.result() for future in futures]
    write_manifest(out_dir, built)
    elapsed = time.monotonic() - started
    print(f"built {len(built)} cues in {elapsed:.1f} s into {out_dir}", file=progress)
    return built
