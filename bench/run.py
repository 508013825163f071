"""Runs every measurement in order, sharing one moto server process and one
temporary directory, and returns the raw results (bench.report judges them).

Warm turns and cold starts are both played in rounds, the skills interleaved within
each round, and every comparison is kept per round (bench.stats.spread)."""

from __future__ import annotations

import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3

from bench import bundle, cold_start, imports, mix, skills, warm, web
from bench.capacity import MotoMeter
from bench.env import FAKE_AWS_ENV, REGION, USER_ID_SECRET
from bench.fake_extension import FakeSecretsExtension
from bench.moto_process import MotoProcess, create_baseline_table, create_our_table
from bench.stats import describe, spread
from bench.stream import StreamRelay
from skill.chat import envelopes
from skill.packaging import PackagingError, directory_size
from skill.store.dynamo import DynamoStore

OUR_TABLE = "steady-bench"
BASELINE_TABLE = "baseline-bench"
COLD_USER = "amzn1.ask.account.BENCH-COLD"


KEY_VALUE = USER_ID_SECRET  # what the fake extension and moto's SSM serve
FAKE_SESSION_TOKEN = FAKE_AWS_ENV["AWS_SESSION_TOKEN"]


@dataclass(frozen=True)
class Plan:
    cold_rounds: int = 5
    cold_runs: int = 4  # per target and round
    warm_rounds: int = 5
    warm_turns: int = 1200  # per skill and store, over all rounds
    couples: int = 8
    web_requests: int = 2000
    web_seconds: float = 20.0
    web_workers: int = 4
    # One more couple whose history is played through our skill day by day first (the
    # saving episodes, request timestamps in the past), then the mix once, metered. The
    # goals speak of three years (--history-days 1095), which takes several minutes
    # against moto (its TransactWriteItems copies the table): the default is shorter.
    history_days: int = 120

    @classmethod
    def quick(cls) -> Plan:
        return cls(
            cold_rounds=2,
            cold_runs=2,
            warm_rounds=2,
            warm_turns=200,
            couples=3,
            web_requests=300,
            web_seconds=5.0,
            history_days=30,
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

        say(f"a {plan.history_days}-day history")
        results["history"] = _history(plan, tmp, moto.endpoint, say)

        say("cold starts")
        results["cold_start"], results["import_profile"] = _cold(plan, tmp, moto.endpoint, say)

        say("web service")
        results["web"] = web.measure(
            tmp / "web-data",
            max_requests=plan.web_requests,
            max_seconds=plan.web_seconds,
            workers=plan.web_workers,
            progress=say,
        )
    return results


# -- warm turns -----------------------------------------------------------------------

# (numerator, denominator) of every warm comparison, per round.
WARM_PAIRS = {
    "ours / floor, DynamoDB": ("ours_dynamodb", "floor_dynamodb"),
    "ours / baseline, DynamoDB": ("ours_dynamodb", "baseline_dynamodb"),
    "baseline / floor, DynamoDB": ("baseline_dynamodb", "floor_dynamodb"),
    "ours / baseline, in-memory store": ("ours_memory", "baseline_memory"),
}


def _warm(plan: Plan, tmp: Path, endpoint: str, say: Callable[[str], None]) -> dict[str, Any]:
    probe_answer, _ = skills.our_memory(tmp / "probe")
    episodes, skipped = mix.playable_episodes(probe_answer, "amzn1.ask.account.BENCH-PROBE")
    if skipped:
        say(f"  left out of the mix (the skill failed them): {', '.join(skipped)}")
    players: dict[str, warm.MixPlayer] = {}

    def player(
        name: str,
        answer: skills.Answer,
        counter: warm.Counted,
        metered: bool,
        relay: StreamRelay | None = None,
    ) -> None:
        players[name] = warm.MixPlayer(
            answer,
            counter,
            episodes,
            label=name,
            couples=plan.couples,
            meter=MotoMeter(endpoint) if metered else None,
            relay=relay,
        )

    player("ours_memory", *skills.our_memory(tmp / "warm-memory"), metered=False)
    player("baseline_memory", *skills.baseline_memory(endpoint, BASELINE_TABLE), metered=False)
    player(
        "ours_dynamodb",
        *skills.our_dynamo(tmp / "warm-dynamo", endpoint, OUR_TABLE),
        metered=True,
        relay=_relay(endpoint),
    )
    player("baseline_dynamodb", *skills.baseline_dynamo(endpoint, BASELINE_TABLE), metered=True)
    floor_meter = MotoMeter(endpoint)
    players["floor_dynamodb"] = warm.MixPlayer(
        skills.floor_dynamo(endpoint, BASELINE_TABLE),
        floor_meter,  # the local DynamoDB counts the floor's calls
        episodes,
        label="floor_dynamodb",
        couples=plan.couples,
        meter=floor_meter,
    )
    for found in players.values():
        found.setup()

    names = list(players)
    per_round: list[dict[str, list[warm.Sample]]] = []
    errors = dict.fromkeys(names, 0)
    per_round_turns = max(1, plan.warm_turns // plan.warm_rounds)
    for number in range(plan.warm_rounds):
        shift = number % len(names)
        found_round: dict[str, list[warm.Sample]] = {}
        for name in names[shift:] + names[:shift]:
            samples, failed = players[name].play(per_round_turns)
            found_round[name] = samples
            errors[name] += failed
        per_round.append(found_round)
        say(f"  round {number + 1}/{plan.warm_rounds} done")

    result: dict[str, Any] = {"episodes": [e.name for e in episodes], "skipped_episodes": skipped}
    for name in names:
        every = [sample for found in per_round for sample in found[name]]
        summary = warm.summarise(every, players[name].setup_samples)
        summary["errors"] = errors[name]
        rounds = [warm.summarise(found[name]) for found in per_round]
        summary["rounds"] = {
            "cpu_mean_ms": [round(r["cpu_ms"]["mean"], 4) for r in rounds],
            "wall_p50_ms": [round(r["wall_ms"]["p50"], 4) for r in rounds],
            "wall_p99_ms": [round(r["wall_ms"]["p99"], 4) for r in rounds],
            "cpu_p99_ms": [round(r["cpu_ms"]["p99"], 4) for r in rounds],
        }
        summary["wall_p99_spread_ms"] = spread(summary["rounds"]["wall_p99_ms"])
        if name == "ours_dynamodb":
            summary["relay"] = players[name].timed.relay_usage.as_dict(warm.saves_in(every))
        result[name] = summary
        say(
            f"  {name}: {summary['turns']} turns, wall p50/p99 "
            f"{summary['wall_ms']['p50']:.3f}/{summary['wall_ms']['p99']:.3f} ms, "
            f"cpu mean {summary['cpu_ms']['mean']:.3f} ms"
        )
    result["ratios"] = {
        label: {
            "of": [first, second],
            "cpu_mean": spread(
                [
                    a / b
                    for a, b in zip(
                        result[first]["rounds"]["cpu_mean_ms"],
                        result[second]["rounds"]["cpu_mean_ms"],
                        strict=True,
                    )
                ]
            ),
            "wall_p50": spread(
                [
                    a / b
                    for a, b in zip(
                        result[first]["rounds"]["wall_p50_ms"],
                        result[second]["rounds"]["wall_p50_ms"],
                        strict=True,
                    )
                ]
            ),
        }
        for label, (first, second) in WARM_PAIRS.items()
    }
    return result


def _relay(endpoint: str) -> StreamRelay:
    """Our table's stream to the relay, as Lambda's event-source mapping would."""
    store = DynamoStore(OUR_TABLE, region=REGION, endpoint=endpoint)
    return StreamRelay(endpoint, OUR_TABLE, store)


# -- a long history ------------------------------------------------------------------

HISTORY_USER = "amzn1.ask.account.BENCH-HISTORY"


def _history(plan: Plan, tmp: Path, endpoint: str, say: Callable[[str], None]) -> dict[str, Any]:
    """Capacity and store calls per turn type for a couple with `history_days` of use:
    every day a check-in, a trust note and a Silent Sync, played through our skill
    against the local DynamoDB with that day's request timestamps; then the whole mix
    once, now, metered. Nothing of the store's layout is assumed: the history is made
    the way couples make it."""
    if plan.history_days <= 0:
        return {"measured": False, "why": "history_days is 0"}
    started = time.perf_counter()
    answer, counter = skills.our_dynamo(tmp / "history", endpoint, OUR_TABLE)
    probe_answer, _ = skills.our_memory(tmp / "history-probe")
    episodes, _ = mix.playable_episodes(probe_answer, "amzn1.ask.account.BENCH-HISTORY-PROBE")
    saving = [e for e in episodes if any(not turn.read_only for turn in e.turns)]
    first_day = datetime.now(UTC).replace(hour=19, minute=0, second=0, microsecond=0)
    first_day -= timedelta(days=plan.history_days)

    def on(moment: datetime) -> skills.Answer:
        """Requests from `moment` on, 30 s apart, as a couple speaks."""
        clock = [moment]

        def dated(request: mix.JsonDict) -> mix.JsonDict:
            request["request"]["timestamp"] = envelopes.iso_timestamp(clock[0])
            clock[0] += timedelta(seconds=30)
            return answer(request)

        return dated

    conversation = envelopes.Conversation(user_id=HISTORY_USER)
    # The relay runs while the history is played too (unmetered), as it would have.
    relay = _relay(endpoint)
    with mix.ErrorCounter() as seeding_errors:
        for _ in mix.run_episode(conversation, mix.SETUP, on(first_day)):
            pass
        for day in range(plan.history_days):
            dated = on(first_day + timedelta(days=day))
            for episode in saving:
                for _ in mix.run_episode(conversation, episode, dated):
                    relay.pump()
            if day and day % 365 == 0:
                say(f"  {day} days played ({time.perf_counter() - started:.0f} s)")
    seeded = time.perf_counter() - started
    meter = MotoMeter(endpoint)
    meter.take()  # the seeding's own calls are not the mix's
    timed = warm.TimedAnswer(answer, counter, meter, relay)
    samples = []
    with mix.ErrorCounter() as errors:
        for episode in episodes:
            for turn, _, _ in mix.run_episode(conversation, episode, timed):
                samples.append(timed.sample(turn))
    summary = warm.summarise(samples)
    summary |= {
        "measured": True,
        "days": plan.history_days,
        "episodes_per_day": [e.name for e in saving],
        "seconds_to_play": round(seeded, 1),
        "errors": errors.count,
        "errors_while_playing_the_history": seeding_errors.count,
        "relay": timed.relay_usage.as_dict(warm.saves_in(samples)),
    }
    say(
        f"  played in {seeded:.0f} s; the mix then: {summary['rcu_per_turn']} RCU and "
        f"{summary['wcu_per_turn']} WCU per turn"
    )
    return summary


# -- cold starts ----------------------------------------------------------------------

COLD_PAIRS = {
    "ours / floor": ("ours", "floor"),
    "ours / baseline (sample-style bundle)": ("ours", "baseline"),
    "ours / baseline (no .pyc at all)": ("ours", "baseline_source"),
    "key through botocore SSM / through the extension": ("ours_botocore_key", "ours"),
    "ours with botocore's full data / ours (lean data)": ("ours_full_botocore_data", "ours"),
    "ours with botocore's full data / floor": ("ours_full_botocore_data", "floor"),
    "floor / baseline (sample-style bundle)": ("floor", "baseline"),
}


def _cold(
    plan: Plan, tmp: Path, endpoint: str, say: Callable[[str], None]
) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        built = bundle.cold_start_bundles(tmp / "cold-bundles")
    except PackagingError as error:
        say(f"  cold starts not measured: {error}")
        return {"measured": False, "why": str(error)[:500]}, {}
    say(
        f"  bundles built by Python {built.interpreter.version} ({built.interpreter.path}), "
        f"{built.architecture}"
    )
    # The returning couple of the cold starts, set up through each skill in this process.
    answer, _ = skills.our_dynamo(tmp / "cold-setup", endpoint, OUR_TABLE)
    for _ in mix.run_episode(envelopes.Conversation(user_id=COLD_USER), mix.SETUP, answer):
        pass
    baseline_answer, _ = skills.baseline_dynamo(endpoint, BASELINE_TABLE)
    for _ in mix.run_episode(envelopes.Conversation(user_id=COLD_USER), mix.SETUP, baseline_answer):
        pass
    floor_answer = skills.floor_dynamo(endpoint, BASELINE_TABLE)
    for _ in mix.run_episode(envelopes.Conversation(user_id=COLD_USER), mix.SETUP, floor_answer):
        pass
    # The key as deployed: a SecureString, served by the Parameters and Secrets extension
    # (a local fake checking the session token), and by moto's SSM for the fallback.
    ssm = boto3.client("ssm", region_name=REGION, endpoint_url=endpoint)
    ssm.put_parameter(
        Name=cold_start.KEY_PARAMETER, Value=KEY_VALUE, Type="SecureString", Overwrite=True
    )
    event = envelopes.launch_request(user_id=COLD_USER)
    python = built.interpreter.path
    with FakeSecretsExtension(
        {cold_start.KEY_PARAMETER: KEY_VALUE}, token=FAKE_SESSION_TOKEN
    ) as extension:
        data = tmp / "cold"
        skill_id = envelopes.DEFAULT_SKILL_ID
        targets = [
            cold_start.Target(
                "ours",
                built.ours,
                built.runtime,
                cold_start.our_env(
                    endpoint, OUR_TABLE, skill_id, data, extension_port=extension.port
                ),
                python,
            ),
            cold_start.Target(
                "ours_botocore_key",
                built.ours,
                built.runtime,
                cold_start.our_env(
                    endpoint, OUR_TABLE, skill_id, data, extension_port=_closed_port()
                ),
                python,
            ),
            cold_start.Target(
                "ours_full_botocore_data",
                built.ours_full_botocore_data,
                built.runtime,
                cold_start.our_env(
                    endpoint, OUR_TABLE, skill_id, data, extension_port=extension.port
                ),
                python,
            ),
            cold_start.Target(
                "baseline",
                built.baseline,
                built.runtime,
                cold_start.baseline_env(endpoint, BASELINE_TABLE),
                python,
            ),
            cold_start.Target(
                "baseline_source",
                built.baseline_source,
                built.runtime,
                cold_start.baseline_env(endpoint, BASELINE_TABLE),
                python,
            ),
            # The bare stack (ask-sdk-core + pynamodb, one read and one write, no product),
            # built and compiled exactly as ours.
            cold_start.Target(
                "floor",
                built.floor,
                built.runtime,
                cold_start.floor_env(endpoint, BASELINE_TABLE),
                python,
            ),
        ]
        cold = cold_start.measure(
            targets, event, rounds=plan.cold_rounds, runs=plan.cold_runs, pairs=COLD_PAIRS
        )
        key_reads = [seen for seen in extension.requests if seen.status == 200]
        profiles = {
            target.name: imports.profile(target, event)
            for target in targets
            if target.name in ("ours", "ours_full_botocore_data", "baseline", "floor")
        }
    cold |= {
        "measured": True,
        "python": built.interpreter.version,
        "interpreter": built.interpreter.path,
        "architecture": built.architecture,
        "extension_key_reads": len(key_reads),
        "bundle_bytes": {
            "ours": directory_size(built.ours),
            "ours_full_botocore_data": directory_size(built.ours_full_botocore_data),
            "floor": directory_size(built.floor),
            "baseline": directory_size(built.baseline),
            "baseline_source": directory_size(built.baseline_source),
        },
    }
    for label, found in cold["ratios"].items():
        say(f"  {label}: wall {describe(found['wall'])}")
    return cold, profiles


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
