"""Warm per-turn latency: the realistic mix (bench.mix), turn after turn, in this
process, once the skill object is built and every code path has run once. bench.run
plays the skills in interleaved rounds (`MixPlayer.play`), so that a change in the
machine's load hits each alike.

Timed per turn: `answer(request)` alone, the request envelope built beforehand.
Wall time with time.perf_counter, client CPU with time.process_time (the local
DynamoDB runs in another process, so its CPU is not counted). Store calls per turn come
from the store's own counters (reads/writes); for the baseline's boto3 resource, from a
before-call hook on its client; for the floor, from the local DynamoDB. Capacity units
per turn come from the local DynamoDB (bench.capacity), read after each turn.

Our DynamoDB skill's outbox is written out by the relay, which the table's stream
invokes off the turn: after each turn (outside the timing, and after that turn's units
are read) bench.stream hands the new stream records to it, as Lambda would, and its
units are counted apart (`RelayUsage`): per relay run, and amortised per save."""

from __future__ import annotations

import gc
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol, runtime_checkable

from bench.capacity import MotoMeter
from bench.mix import SETUP, Episode, ErrorCounter, JsonDict, Turn, run_episode
from bench.stats import Summary
from bench.stream import StreamRelay
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
    rcu: float = 0.0
    wcu: float = 0.0
    read_bytes: int = 0
    write_bytes: int = 0


@dataclass
class RelayUsage:
    """What the relay's runs between turns cost (the stream's own reads are free)."""

    runs: int = 0
    events: int = 0
    reads: int = 0
    writes: int = 0
    rcu: float = 0.0
    wcu: float = 0.0

    def as_dict(self, saves: int) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "events_written": self.events,
            "reads": self.reads,
            "writes": self.writes,
            "rcu": self.rcu,
            "wcu": self.wcu,
            "saves": saves,
            "wcu_per_run": round(self.wcu / self.runs, 2) if self.runs else 0.0,
            "wcu_per_save": round(self.wcu / saves, 3) if saves else 0.0,
            "rcu_per_save": round(self.rcu / saves, 3) if saves else 0.0,
        }


class TimedAnswer:
    """Wraps `answer`, keeping the last call's wall time, CPU time, store calls and (with
    a meter) the capacity units the local DynamoDB charged for it. The meter is read
    after the timed call, outside the timing; then (with a `relay`) the stream's new
    records go to the relay, and its units are added to `relay_usage`."""

    def __init__(
        self,
        answer: Callable[[JsonDict], JsonDict],
        counter: Counted,
        meter: MotoMeter | None = None,
        relay: StreamRelay | None = None,
    ) -> None:
        self._answer = answer
        self._counter = counter
        self._meter = meter
        self._relay = relay
        self.relay_usage = RelayUsage()
        self.last: Sample = Sample("", True, 0.0, 0.0, 0, 0)

    def __call__(self, request: JsonDict) -> JsonDict:
        reads, writes = self._counter.reads, self._counter.writes
        cpu = time.process_time()
        wall = time.perf_counter()
        response = self._answer(request)
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
        usage = self._meter.take() if self._meter is not None else None
        if self._relay is not None and self._meter is not None:
            self._run_relay(self._relay, self._meter)
        self.last = Sample(
            "",
            True,
            wall,
            cpu,
            self._counter.reads - reads,
            self._counter.writes - writes,
            usage.rcu if usage else 0.0,
            usage.wcu if usage else 0.0,
            usage.read_bytes if usage else 0,
            usage.write_bytes if usage else 0,
        )
        return response

    def sample(self, turn: Turn) -> Sample:
        return replace(self.last, kind=turn.kind, read_only=turn.read_only)

    def _run_relay(self, relay: StreamRelay, meter: MotoMeter) -> None:
        runs = len(relay.tally.runs)
        if relay.pump() is None:
            return
        usage = meter.take()
        found = self.relay_usage
        found.runs += 1
        found.events += sum(run.written for run in relay.tally.runs[runs:])
        found.reads += usage.reads
        found.writes += usage.writes
        found.rcu += usage.rcu
        found.wcu += usage.wcu


class MixPlayer:
    """One skill under the mix: `couples` households set up once, every episode played
    once unmeasured, then `play` rounds of episodes round-robin over the households."""

    def __init__(
        self,
        answer: Callable[[JsonDict], JsonDict],
        counter: Counted,
        episodes: list[Episode],
        *,
        label: str,
        couples: int,
        meter: MotoMeter | None = None,
        relay: StreamRelay | None = None,
    ) -> None:
        self.timed = TimedAnswer(answer, counter, meter, relay)
        self.episodes = episodes
        self.meter = meter
        self.conversations = [
            Conversation(user_id=f"amzn1.ask.account.BENCH-{label}-{number:03d}")
            for number in range(couples)
        ]
        self.setup_samples: list[Sample] = []

    def setup(self) -> None:
        if self.meter is not None:
            self.meter.take()  # whatever came before is not ours
        for index, conversation in enumerate(self.conversations):
            for turn, _, _ in run_episode(conversation, SETUP, self.timed):
                if index > 0:  # the first couple warms the code paths
                    self.setup_samples.append(self.timed.sample(turn))
        for episode in self.episodes:  # warm-up
            for _ in run_episode(self.conversations[0], episode, self.timed):
                pass
        self.timed.relay_usage = RelayUsage()  # the measured rounds' only

    def play(self, min_turns: int) -> tuple[list[Sample], int]:
        """At least `min_turns` measured turns; and how many hit the error handlers."""
        measured: list[Sample] = []
        gc.collect()
        with ErrorCounter() as errors:
            while len(measured) < min_turns:
                for conversation in self.conversations:
                    for episode in self.episodes:
                        for turn, _, _ in run_episode(conversation, episode, self.timed):
                            measured.append(self.timed.sample(turn))
        return measured, errors.count


def _kind_summary(found: list[Sample]) -> dict[str, Any]:
    return {
        "n": len(found),
        "read_only": found[0].read_only,
        "reads_max": max(s.reads for s in found),
        "writes_max": max(s.writes for s in found),
        "reads_mean": round(statistics.fmean(s.reads for s in found), 2),
        "writes_mean": round(statistics.fmean(s.writes for s in found), 2),
        "rcu_mean": round(statistics.fmean(s.rcu for s in found), 3),
        "rcu_max": max(s.rcu for s in found),
        "wcu_mean": round(statistics.fmean(s.wcu for s in found), 3),
        "wcu_max": max(s.wcu for s in found),
        "read_bytes_max": max(s.read_bytes for s in found),
        "write_bytes_max": max(s.write_bytes for s in found),
        "wall_p50_ms": round(statistics.median(s.wall_s for s in found) * 1000, 3),
        "cpu_mean_ms": round(statistics.fmean(s.cpu_s for s in found) * 1000, 3),
    }


def saves_in(samples: list[Sample]) -> int:
    """The turns that wrote (what the relay's units are amortised over)."""
    return sum(1 for sample in samples if sample.writes > 0)


def summarise(samples: list[Sample], setup: list[Sample] | None = None) -> dict[str, Any]:
    """Latency, store calls and capacity over the measured mix (setup turns left out: a
    couple sets up once), and per turn type (setup turns included)."""
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in [*(setup or []), *samples]:
        by_kind[sample.kind].append(sample)
    return {
        "turns": len(samples),
        "wall_ms": Summary.of([s.wall_s for s in samples]).as_dict(),
        "cpu_ms": Summary.of([s.cpu_s for s in samples]).as_dict(),
        "reads_per_turn": round(statistics.fmean(s.reads for s in samples), 3),
        "writes_per_turn": round(statistics.fmean(s.writes for s in samples), 3),
        "rcu_per_turn": round(statistics.fmean(s.rcu for s in samples), 3),
        "wcu_per_turn": round(statistics.fmean(s.wcu for s in samples), 3),
        "by_kind": {kind: _kind_summary(found) for kind, found in by_kind.items()},
    }
