"""Cold starts: a fresh interpreter per run that imports `lambda_function` from a
Lambda-shaped bundle and answers one LaunchRequest against the local DynamoDB.

Wall time is measured by the parent, from just before the process is spawned to the
moment its one answer line arrives (interpreter start-up included, as in Lambda's
init + first invoke); the child's CPU time (user + system, from wait4) is kept too.
The child also reports its import and first-answer phases and its peak RSS (VmHWM
from /proc/self/status).

`measure` plays rounds: in each, every target runs `runs` times, interleaved (ABCAB...,
the order rotated each time), so drift in the machine's load hits all alike; each
comparison is the ratio of the two targets' medians within a round, reported as the
median of those per-round ratios with their quartiles and range (bench.stats.spread).

The child runs `python -S` (no site-packages) with the runtime's Python version and
PYTHONPATH = the bundle, then a directory standing for Lambda's runtime (boto3 and its
dependencies, with their .pyc), as AWS Lambda's sys.path is laid out."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.env import PYTHON, REGION, child_env
from bench.stats import Summary, spread

CHILD = Path(__file__).resolve().parent / "cold_child.py"


@dataclass(frozen=True)
class Target:
    name: str
    bundle: Path
    runtime: Path
    env: dict[str, str]
    python: str = PYTHON


@dataclass(frozen=True)
class ColdRun:
    wall_s: float
    cpu_s: float
    import_s: float
    first_answer_s: float
    peak_rss_kib: int
    speech: str


KEY_PARAMETER = "/steady-together/user-id-secret"


def our_env(
    endpoint: str, table: str, skill_id: str, data_dir: Path, *, extension_port: int
) -> dict[str, str]:
    """Our function as template.yaml deploys it: the key named by its SSM parameter, read
    on Lambda (AWS_LAMBDA_FUNCTION_NAME) through the Parameters and Secrets extension on
    `extension_port` (a closed port: the botocore fallback, against moto's SSM)."""
    return {
        "STEADY_TABLE": table,
        "STEADY_DYNAMODB_ENDPOINT": endpoint,
        "STEADY_USER_ID_SECRET_PARAM": KEY_PARAMETER,
        "STEADY_SKILL_ID": skill_id,
        "STEADY_DATA_DIR": str(data_dir),
        "AWS_LAMBDA_FUNCTION_NAME": "steady-bench",
        "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": str(extension_port),
        "AWS_ENDPOINT_URL_SSM": endpoint,
    }


def baseline_env(endpoint: str, table: str) -> dict[str, str]:
    return {
        "DYNAMODB_PERSISTENCE_TABLE_NAME": table,
        "DYNAMODB_PERSISTENCE_REGION": REGION,
        "BASELINE_DYNAMODB_ENDPOINT": endpoint,
    }


def floor_env(endpoint: str, table: str) -> dict[str, str]:
    return {"FLOOR_TABLE": table, "FLOOR_DYNAMODB_ENDPOINT": endpoint}


def command(target: Target, *python_options: str) -> tuple[list[str], dict[str, str]]:
    env = child_env(
        PYTHONPATH=f"{target.bundle}:{target.runtime}",
        PYTHONDONTWRITEBYTECODE="1",  # /var/task is read-only: nothing compiled is kept
        **target.env,
    )
    return [target.python, "-S", *python_options, str(CHILD)], env


def run_once(target: Target, event: dict[str, Any]) -> ColdRun:
    argv, env = command(target)
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv,
            cwd=target.bundle,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(event))
        process.stdin.close()
        line = process.stdout.readline()
        wall = time.perf_counter() - started
        process.stdout.close()
        # wait4: the child's own CPU time, which other processes on a busy machine
        # disturb far less than its wall time.
        _, status, usage = os.wait4(process.pid, 0)
        code = process.returncode = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
        if code != 0 or not line:
            errors.seek(0)
            raise RuntimeError(
                f"{target.name} cold start failed ({code}): {errors.read()[-2000:]!r}"
            )
    report = json.loads(line)
    if not str(report["handler_file"]).startswith(str(target.bundle)):
        raise RuntimeError(f"{target.name}: lambda_function came from {report['handler_file']}")
    return ColdRun(
        wall_s=wall,
        cpu_s=cpu,
        import_s=report["import_s"],
        first_answer_s=report["first_answer_s"],
        peak_rss_kib=report["peak_rss_kib"],
        speech=report["speech"],
    )


FIGURES = {
    "wall": lambda run: run.wall_s,
    "cpu": lambda run: run.cpu_s,
    "peak_rss": lambda run: float(run.peak_rss_kib),
}


def measure(
    targets: list[Target],
    event: dict[str, Any],
    *,
    rounds: int,
    runs: int,
    pairs: dict[str, tuple[str, str]],
) -> dict[str, Any]:
    """`rounds` × `runs` cold starts per target, interleaved, after one unmeasured
    warm-up each; every pair (a, b) as per-round ratios of medians, a / b."""
    for target in targets:
        run_once(target, event)  # page cache warm
    per_round: list[dict[str, list[ColdRun]]] = []
    step = 0
    for _ in range(rounds):
        found: dict[str, list[ColdRun]] = {target.name: [] for target in targets}
        for _ in range(runs):
            shift = step % len(targets)
            step += 1
            for target in targets[shift:] + targets[:shift]:
                found[target.name].append(run_once(target, event))
        per_round.append(found)
    summaries: dict[str, Any] = {}
    for target in targets:
        every = [run for found in per_round for run in found[target.name]]
        summaries[target.name] = summarise(every) | {
            "round_median_wall_ms": [
                round(statistics.median(r.wall_s for r in found[target.name]) * 1000, 1)
                for found in per_round
            ]
        }
    ratios: dict[str, Any] = {}
    for label, (first, second) in pairs.items():
        ratios[label] = {"of": [first, second]}
        for figure, value in FIGURES.items():
            ratios[label][figure] = spread(
                [
                    statistics.median(value(r) for r in found[first])
                    / statistics.median(value(r) for r in found[second])
                    for found in per_round
                ]
            )
    return {"rounds": rounds, "runs_per_round": runs, "targets": summaries, "ratios": ratios}


def summarise(runs: list[ColdRun]) -> dict[str, Any]:
    return {
        "runs": len(runs),
        "wall_ms": Summary.of([r.wall_s for r in runs]).as_dict(),
        "median_wall_ms": round(statistics.median(r.wall_s for r in runs) * 1000, 1),
        "median_cpu_ms": round(statistics.median(r.cpu_s for r in runs) * 1000, 1),
        "median_import_ms": round(statistics.median(r.import_s for r in runs) * 1000, 1),
        "median_first_answer_ms": round(
            statistics.median(r.first_answer_s for r in runs) * 1000, 1
        ),
        "peak_rss_mib": round(max(r.peak_rss_kib for r in runs) / 1024, 1),
        "median_peak_rss_mib": round(statistics.median(r.peak_rss_kib for r in runs) / 1024, 1),
        "speech": runs[-1].speech,
    }
