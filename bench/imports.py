"""Import-time profile of a cold start: the cold-start child run once under
`python -X importtime`, its stderr parsed.

Lines up to `lambda_function` are the import phase (the init of a Lambda cold start);
lines after it are modules first imported while answering the first request (lazy
imports on the request path). Self time includes compiling the source when the bundle
has no .pyc (as deployed): that is part of what a cold start pays."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from bench.cold_start import Target, command

_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)\s*$")


@dataclass(frozen=True)
class Imported:
    module: str
    self_us: int
    cumulative_us: int
    depth: int
    on_request_path: bool  # first imported while answering, not at import

    @property
    def package(self) -> str:
        return self.module.split(".")[0]


def parse(stderr: str, entry: str = "lambda_function") -> list[Imported]:
    found: list[Imported] = []
    after_entry = False
    for line in stderr.splitlines():
        match = _LINE.match(line)
        if match is None:
            continue
        self_us, cumulative_us, indent, module = match.groups()
        depth = (len(indent) - 1) // 2  # "| ", then two spaces per level of nesting
        found.append(Imported(module, int(self_us), int(cumulative_us), depth, after_entry))
        if module == entry and depth == 0:
            after_entry = True
    return found


def profile(target: Target, event: dict[str, Any], runs: int = 3, top: int = 10) -> dict[str, Any]:
    """`runs` profiled cold starts; each module's median times (a busy machine makes
    single runs noisy)."""
    argv, env = command(target, "-X", "importtime")
    found: list[list[Imported]] = []
    for _ in range(runs):
        done = subprocess.run(
            argv,
            cwd=target.bundle,
            env=env,
            input=json.dumps(event),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        found.append(parse(done.stderr))
    summary = summarise(median_of(found), top)
    summary["runs"] = runs
    return summary


def median_of(runs: list[list[Imported]]) -> list[Imported]:
    """Per module (and phase), the median self and cumulative time over the runs."""
    grouped: dict[tuple[str, bool], list[Imported]] = defaultdict(list)
    for run in runs:
        for item in run:
            grouped[(item.module, item.on_request_path)].append(item)
    return [
        Imported(
            module,
            int(statistics.median(i.self_us for i in items)),
            int(statistics.median(i.cumulative_us for i in items)),
            items[0].depth,
            on_request_path,
        )
        for (module, on_request_path), items in grouped.items()
    ]


def summarise(imported: list[Imported], top: int = 10) -> dict[str, Any]:
    at_import = [i for i in imported if not i.on_request_path]
    on_request = [i for i in imported if i.on_request_path]
    entry = next((i for i in imported if i.module == "lambda_function"), None)

    def by_package(items: list[Imported]) -> list[tuple[str, float]]:
        totals: dict[str, int] = defaultdict(int)
        for item in items:
            totals[item.package] += item.self_us
        ranked = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)
        return [(name, round(us / 1000, 1)) for name, us in ranked[:top]]

    return {
        "modules_at_import": len(at_import),
        "modules_on_first_request": len(on_request),
        "import_ms": round(entry.cumulative_us / 1000, 1) if entry else None,
        "first_request_imports_ms": round(
            sum(i.cumulative_us for i in on_request if i.depth == 0) / 1000, 1
        ),
        "top_cumulative": [
            (i.module, round(i.cumulative_us / 1000, 1), _phase(i))
            for i in sorted(imported, key=lambda i: i.cumulative_us, reverse=True)[:top]
        ],
        "top_self": [
            (i.module, round(i.self_us / 1000, 1), _phase(i))
            for i in sorted(imported, key=lambda i: i.self_us, reverse=True)[:top]
        ],
        "packages_at_import_ms": by_package(at_import),
        "packages_on_first_request_ms": by_package(on_request),
        "first_request_top_level": [
            (i.module, round(i.cumulative_us / 1000, 1))
            for i in sorted(
                (i for i in on_request if i.depth == 0),
                key=lambda i: i.cumulative_us,
                reverse=True,
            )[:top]
        ],
    }


def _phase(item: Imported) -> str:
    return "first request" if item.on_request_path else "import"
