"""Runs every measurement in order, sharing one moto server process and one
temporary directory, and returns the raw results (bench.report judges them)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import bundle, cold_start, imports, mix, skills, warm, web
from bench.moto_process import MotoProcess, create_baseline_table, create_our_table
from skill.chat import envelopes

OUR_TABLE = "steady-bench"
BASELINE_TABLE = "baseline-bench"
COLD_USER = "amzn1.ask.account.BENCH-COLD"


@dataclass(frozen=True)
class Plan:
    cold_runs: int = 10
    warm_turns: int = 1200
    couples: int = 8
    web_requests: int = 2000
    web_seconds: float = 20.0
    web_workers: int = 4
    # Pure-compute runs are short: play them this many times and keep the round with
    # the lowest wall p99 (the least disturbed by other processes on a shared box).
    memory_rounds: int = 3

    @classmethod
    def quick(cls) -> Plan:
        return cls(
            cold_runs=3,
            warm_turns=200,
            couples=3,
            web_requests=300,
            web_seconds=5.0,
            memory_rounds=1,
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_all(plan: Plan, *, skip_bundle: bool, say: Callable[[str], None]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="steady-bench-") as scratch, MotoProcess() as moto:
        tmp = Path(scratch)
        create_our_table(moto.endpoint, OUR_TABLE)
        create_baseline_table(moto.endpoint, BASELINE_TABLE)
        say(f"moto server (pid {moto.pid}) on {moto.endpoint}")

        say("bundles")
        ours_bundle = bundle.our_bundle(tmp / "bundle-ours")
        baseline_bundle = bundle.baseline_bundle(tmp / "bundle-baseline")
        floor_bundle = bundle.floor_bundle(tmp / "bundle-floor")
        results["bundle"] = {
            "lambda": {"built": False, "why": "skipped (--skip-bundle)"}
            if skip_bundle
            else bundle.lambda_bundle_size(),
            "host_ours_bytes": ours_bundle.size,
            "host_baseline_bytes": baseline_bundle.size,
            "host_ours_largest": bundle.top_entries(ours_bundle.path),
            "host_ours_distributions": ours_bundle.distributions,
            "host_baseline_distributions": baseline_bundle.distributions,
        }

        say("warm turns")
        results["warm"] = _warm(plan, tmp, moto.endpoint, say)

        say("cold starts")
        results["cold_start"], results["import_profile"] = _cold(
            plan, tmp, moto.endpoint, ours_bundle, baseline_bundle, floor_bundle, say
        )

        say("web service")
        results["web"] = web.measure(
            tmp / "web-data",
            max_requests=plan.web_requests,
            max_seconds=plan.web_seconds,
            workers=plan.web_workers,
            progress=say,
        )
    return results


def _warm(plan: Plan, tmp: Path, endpoint: str, say: Callable[[str], None]) -> dict[str, Any]:
    probe_answer, _ = skills.our_memory(tmp / "probe")
    episodes, skipped = mix.playable_episodes(probe_answer, "amzn1.ask.account.BENCH-PROBE")
    if skipped:
        say(f"  left out of the mix (the skill failed them): {', '.join(skipped)}")
    scenarios: dict[str, Callable[[], tuple[skills.Answer, warm.Counted]]] = {
        "ours_memory": lambda: skills.our_memory(tmp / "warm-memory"),
        "baseline_memory": lambda: skills.baseline_memory(endpoint, BASELINE_TABLE),
        "ours_dynamodb": lambda: skills.our_dynamo(tmp / "warm-dynamo", endpoint, OUR_TABLE),
        "baseline_dynamodb": lambda: skills.baseline_dynamo(endpoint, BASELINE_TABLE),
    }
    found: dict[str, Any] = {
        "episodes": [episode.name for episode in episodes],
        "skipped_episodes": skipped,
    }
    for name, build in scenarios.items():
        rounds = plan.memory_rounds if name.endswith("_memory") else 1
        played: list[dict[str, Any]] = []
        for number in range(rounds):
            answer, counter = build()
            samples, errors = warm.run_mix(
                answer,
                counter,
                episodes,
                label=f"{name}-{number}",
                couples=plan.couples,
                min_turns=plan.warm_turns,
            )
            summary = warm.summarise(samples)
            summary["errors"] = errors
            played.append(summary)
        summary = min(played, key=lambda s: s["wall_ms"]["p99"])
        summary["rounds_wall_p99_ms"] = [s["wall_ms"]["p99"] for s in played]
        found[name] = summary
        say(
            f"  {name}: {summary['turns']} turns, wall p50/p99 "
            f"{summary['wall_ms']['p50']:.3f}/{summary['wall_ms']['p99']:.3f} ms, "
            f"cpu mean {summary['cpu_ms']['mean']:.3f} ms"
        )
    return found


def _cold(
    plan: Plan,
    tmp: Path,
    endpoint: str,
    ours_bundle: bundle.Bundle,
    baseline_bundle: bundle.Bundle,
    floor_bundle: bundle.Bundle,
    say: Callable[[str], None],
) -> tuple[dict[str, Any], dict[str, Any]]:
    # The cold-start couple is a returning one: set it up through our skill first.
    answer, _ = skills.our_dynamo(tmp / "cold-setup", endpoint, OUR_TABLE)
    for _ in mix.run_episode(envelopes.Conversation(user_id=COLD_USER), mix.SETUP, answer):
        pass
    event = envelopes.launch_request(user_id=COLD_USER)
    runtime = bundle.lambda_runtime(tmp / "lambda-runtime")
    targets = [
        cold_start.Target(
            "ours",
            ours_bundle.path,
            runtime,
            cold_start.our_env(endpoint, OUR_TABLE, envelopes.DEFAULT_SKILL_ID, tmp / "cold"),
        ),
        cold_start.Target(
            "baseline",
            baseline_bundle.path,
            runtime,
            cold_start.baseline_env(endpoint, BASELINE_TABLE),
        ),
        # The bare stack (ask-sdk-core + pynamodb, one read and one write, no product):
        # shows what carrying the whole product costs at start-up.
        cold_start.Target(
            "floor",
            floor_bundle.path,
            runtime,
            cold_start.floor_env(endpoint, BASELINE_TABLE),
        ),
    ]
    cold: dict[str, Any] = {}
    profiles: dict[str, Any] = {}
    # no_pyc: neither bundle compiled; as_shipped: ours with the .pyc that
    # skill.packaging now ships, the baseline as sample skills are zipped (source only);
    # with_pyc: both compiled, like for like.
    for variant in ("no_pyc", "as_shipped", "with_pyc"):
        if variant == "as_shipped":
            ours_bundle.compile()
            floor_bundle.compile()
        if variant == "with_pyc":
            baseline_bundle.compile()
        cold[variant] = cold_start.measure(targets, event, plan.cold_runs)
        profiles[variant] = {
            target.name: imports.profile(target, event)
            for target in targets
            if target.name != "floor"
        }
        say(
            f"  {variant}: ours {cold[variant]['ours']['median_wall_ms']} ms, "
            f"baseline {cold[variant]['baseline']['median_wall_ms']} ms, "
            f"bare-stack floor {cold[variant]['floor']['median_wall_ms']} ms (median wall)"
        )
    return cold, profiles
