"""A script run in a fresh interpreter, as a cold start runs: JSON in on stdin, JSON
out on stdout. For tests of what a new process loads and answers."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run_fresh(script: str, payload: object, env: Mapping[str, str]) -> Any:
    """`script` run by `python -c` from the project's root with `payload` as JSON on
    stdin and `env` as its whole environment; what it prints, read as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(env),
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)
