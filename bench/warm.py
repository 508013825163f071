"""Warm per-turn latency: the realistic mix (bench.mix), turn after turn, in this
process, once the skill object is built and every code path has run once.

Timed per turn: `answer(request)` alone, the request envelope built beforehand.
Wall time with time.perf_counter, client CPU with time.process_time (the local
DynamoDB runs in another process, so its CPU is not counted). Store calls per turn come
from the store's own counters (reads/writes); for the baseline's boto3 resource, from a
before-call hook on its client."""

from __future__ import annotations

import gc
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from bench.mix import SETUP, Episode, ErrorCounter, JsonDict, run_episode
from bench.stats import Summary
from skill.chat.envelopes import Conversation


@runtime_checkable
class Counted(Protocol):
    @property
    def reads(self) -> int: ...

    @property
    def writes(self) -> int: ...


@dataclass(frozen=True)
class Sample:
    kind: str
    read_only: bool
    wall_s: float
    cpu_s: float
    reads: int
    writes: int


class TimedAnswer:
    """Wraps `answer`, keeping the last call's wall time, CPU time and store calls."""

    def __init__(self, answer: Callable[[JsonDict], JsonDict], counter: Counted) -> None:
        self._answer = answer
        self._counter = counter
        self.last: tuple[float, float, int, int] = (0.0, 0.0, 0, 0)

    def __call__(self, request: JsonDict) -> JsonDict:
        reads, writes = self._counter.reads, self._counter.writes
        cpu = time.process_time()
        wall = time.perf_counter()
        response = self._answer(request)
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
        self.last = (wall, cpu, self._counter.reads - reads, self._counter.writes - writes)
        return response


def run_mix(
    answer: Callable[[JsonDict], JsonDict],
    counter: Counted,
    episodes: list[Episode],
    *,
    label: str,
    couples: int,
    min_turns: int,
    setup_samples: bool = True,
) -> tuple[list[Sample], int]:
    """Set up `couples` households, play every episode once unmeasured, then play the
    episodes round-robin over the households until at least `min_turns` turns were
    measured. Returns the samples and how many turns hit the skill's error handlers."""
    timed = TimedAnswer(answer, counter)
    conversations = [
        Conversation(user_id=f"amzn1.ask.account.BENCH-{label}-{number:03d}")
        for number in range(couples)
    ]
    samples: list[Sample] = []
    for index, conversation in enumerate(conversations):
        for turn, _, _ in run_episode(conversation, SETUP, timed):
            if setup_samples and index > 0:  # the first couple warms the code paths
                samples.append(_sample(turn.kind, turn.read_only, timed.last))
    for episode in episodes:  # warm-up
        for _ in run_episode(conversations[0], episode, timed):
            pass
    measured: list[Sample] = []
    gc.collect()
    with ErrorCounter() as errors:
        while len(measured) < min_turns:
            for conversation in conversations:
                for episode in episodes:
                    for turn, _, _ in run_episode(conversation, episode, timed):
                        measured.append(_sample(turn.kind, turn.read_only, timed.last))
    return samples + measured, errors.count


def _sample(kind: str, read_only: bool, last: tuple[float, float, int, int]) -> Sample:
    wall, cpu, reads, writes = last
    return Sample(kind, read_only, wall, cpu, reads, writes)


def summarise(samples: list[Sample], setup_excluded: bool = True) -> dict[str, Any]:
    """Latency over the mix (setup turns excluded: a couple sets up once), and store
    calls and latency per turn type (setup included)."""
    mix = [
        s for s in samples if not (setup_excluded and s.kind.startswith(("setup", "launch (first")))
    ]
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    return {
        "turns": len(mix),
        "wall_ms": Summary.of([s.wall_s for s in mix]).as_dict(),
        "cpu_ms": Summary.of([s.cpu_s for s in mix]).as_dict(),
        "reads_per_turn": round(statistics.fmean(s.reads for s in mix), 3),
        "writes_per_turn": round(statistics.fmean(s.writes for s in mix), 3),
        "by_kind": {
            kind: {
                "n": len(found),
                "read_only": found[0].read_only,
                "reads_max": max(s.reads for s in found),
                "writes_max": max(s.writes for s in found),
                "reads_mean": round(statistics.fmean(s.reads for s in found), 2),
                "writes_mean": round(statistics.fmean(s.writes for s in found), 2),
                "wall_p50_ms": round(statistics.median(s.wall_s for s in found) * 1000, 3),
                "cpu_mean_ms": round(statistics.fmean(s.cpu_s for s in found) * 1000, 3),
            }
            for kind, found in by_kind.items()
        },
    }
