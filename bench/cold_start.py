"""Cold starts: a fresh interpreter per run that imports `lambda_function` from a
Lambda-shaped bundle and answers one LaunchRequest against the local DynamoDB.

Wall time is measured by the parent, from just before the process is spawned to the
moment its one answer line arrives (interpreter start-up included, as in Lambda's
init + first invoke); the child's CPU time (user + system, from wait4) is kept too.
The child also reports its import and first-answer phases and its peak RSS (VmHWM
from /proc/self/status). Runs alternate ours / baseline so that drift in the
machine's load hits both alike.

The child runs `python -S` (no site-packages) with PYTHONPATH = the bundle, then a
directory standing for Lambda's runtime (boto3 and its dependencies, bench.bundle.
lambda_runtime), as AWS Lambda's sys.path is laid out."""

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

from bench.env import PYTHON, REGION, USER_ID_SECRET, child_env
from bench.stats import Summary

CHILD = Path(__file__).resolve().parent / "cold_child.py"


@dataclass(frozen=True)
class Target:
    name: str
    bundle: Path
    runtime: Path
    env: dict[str, str]


@dataclass(frozen=True)
class ColdRun:
    wall_s: float
    cpu_s: float
    import_s: float
    first_answer_s: float
    peak_rss_kib: int
    speech: str


def our_env(endpoint: str, table: str, skill_id: str, data_dir: Path) -> dict[str, str]:
    return {
        "STEADY_TABLE": table,
        "STEADY_DYNAMODB_ENDPOINT": endpoint,
        "STEADY_USER_ID_SECRET": USER_ID_SECRET,
        "STEADY_SKILL_ID": skill_id,
        "STEADY_DATA_DIR": str(data_dir),
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
    return [PYTHON, "-S", *python_options, str(CHILD)], env


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


def measure(targets: list[Target], event: dict[str, Any], runs: int) -> dict[str, Any]:
    """`runs` cold starts per target, interleaved, after one unmeasured warm-up each."""
    for target in targets:
        run_once(target, event)  # page cache warm, and the baseline's first item written
    results: dict[str, list[ColdRun]] = {target.name: [] for target in targets}
    for _ in range(runs):
        for target in targets:
            results[target.name].append(run_once(target, event))
    return {name: summarise(found) for name, found in results.items()}


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
