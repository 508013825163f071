"""An outside opinion on our SSML: every distinct speech document the test run
produced goes through ssml-check-core (npm, installed from the committed lockfile),
besides our own checks in skill/speech/ssml.py."""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Each pytest-xdist worker checks its own documents at the end of its session; on a
# fresh clone they would both run `npm ci`, which empties node_modules under the other.
INSTALL_LOCK = HERE / ".install.lock"
SEEN: set[str] = set()


def remember(ssml: str) -> None:
    SEEN.add(ssml)


def _install() -> None:
    if (HERE / "node_modules" / "ssml-check-core").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed for the outside SSML check (Node 20 is on our machines)")
    subprocess.run(
        [npm, "ci", "--silent", "--no-audit", "--no-fund"], cwd=HERE, check=True, timeout=300
    )


def faults() -> list[tuple[str, object]]:
    """(document, problems) for every remembered document the checker faults."""
    if not SEEN:
        return []
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is needed for the outside SSML check")
    documents = sorted(SEEN)
    with INSTALL_LOCK.open("w") as lock:
        # One worker installs while the others wait; none runs the checker meanwhile.
        fcntl.flock(lock, fcntl.LOCK_EX)
        _install()
        done = subprocess.run(
            [node, str(HERE / "check.js")],
            input=json.dumps(documents),
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
    return [(documents[index], problems) for index, problems in json.loads(done.stdout)]
