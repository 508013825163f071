"""`make bench` (`python -m bench`): measure the skill against a sample-style
baseline and write bench/results.json and bench/results.md. Not part of the tests.

Everything runs on this machine: moto's server (DynamoDB and SSM) in its own process
on 127.0.0.1, a fake Parameters and Secrets extension on 127.0.0.1, fake AWS
credentials, no network except loopback (and the package index, for the bundles the
cold starts run; without it, or without a Python of the template's runtime version,
the cold starts are reported as not measured). See docs/bench.md for what each figure
means and how it is measured."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.env import use_fake_aws

RESULTS_DIR = Path(__file__).resolve().parent


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke test")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="where results go")
    parser.add_argument("--skip-bundle", action="store_true", help="skip the real bundle build")
    parser.add_argument(
        "--history-days",
        type=int,
        help="days of use played for the long-history couple (default 120; the goals "
        "speak of 1095; 0 skips it)",
    )
    args = parser.parse_args(argv)
    use_fake_aws()
    os.environ.setdefault("STEADY_LOG_LEVEL", "WARNING")

    from bench import run  # after the environment is set: boto3 reads it

    plan = run.Plan.quick() if args.quick else run.Plan()
    if args.history_days is not None:
        plan = dataclasses.replace(plan, history_days=args.history_days)
    started = time.perf_counter()
    meta: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "plan": plan.as_dict(),
    }
    results = run.run_all(plan, skip_bundle=args.skip_bundle, say=_say)
    meta["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    meta["seconds"] = round(time.perf_counter() - started, 1)
    results = {"meta": meta, **results}

    from bench.report import goals, markdown

    results["goals"] = goals(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.out / "results.md").write_text(markdown(results), encoding="utf-8")
    _say(f"wrote {args.out / 'results.json'} and {args.out / 'results.md'} in {meta['seconds']} s")
    for goal in results["goals"]:
        _say(f"  {'MET    ' if goal['met'] else 'NOT MET'}  {goal['goal']}: {goal['measured']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
