"""Judges the results against the goals and writes them as a markdown report."""

from __future__ import annotations

from typing import Any

from bench.stats import ratio

COLD_START_RATIO = 0.85
WARM_CPU_RATIO = 0.5
PURE_COMPUTE_P99_MS = 1.0


def _goal(goal: str, target: str, measured: str, met: bool, note: str = "") -> dict[str, Any]:
    return {"goal": goal, "target": target, "measured": measured, "met": met, "note": note}


def store_call_violations(by_kind: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    for kind, found in by_kind.items():
        if found["reads_max"] > 1:
            problems.append(f"{kind}: {found['reads_max']} reads")
        if found["writes_max"] > 1:
            problems.append(f"{kind}: {found['writes_max']} writes")
        if found["read_only"] and found["writes_max"] > 0:
            problems.append(f"{kind} (read-only): {found['writes_max']} writes")
    return problems


def goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    cold = results["cold_start"]["as_shipped"]
    warm = results["warm"]
    meta = results["meta"]
    loaded = max(meta["load_average_before"][0], meta["load_average_after"][0]) > meta["cpus"]
    load_note = (
        f"machine busy (load average {meta['load_average_before'][0]}"
        f"→{meta['load_average_after'][0]} on {meta['cpus']} CPUs): wall-time tails include "
        "time other processes held the CPU"
        if loaded
        else ""
    )
    found = []

    cold_ratio = ratio(cold["ours"]["median_wall_ms"], cold["baseline"]["median_wall_ms"])
    compiled = results["cold_start"]["with_pyc"]
    with_pyc_ratio = ratio(
        compiled["ours"]["median_wall_ms"], compiled["baseline"]["median_wall_ms"]
    )
    plain = results["cold_start"]["no_pyc"]
    no_pyc_ratio = ratio(plain["ours"]["median_wall_ms"], plain["baseline"]["median_wall_ms"])
    found.append(
        _goal(
            "cold start (median wall, bundles as shipped: ours with .pyc, baseline source)",
            f"≤ {COLD_START_RATIO}× baseline",
            f"{cold['ours']['median_wall_ms']} ms vs {cold['baseline']['median_wall_ms']} ms "
            f"= {cold_ratio}×",
            cold_ratio <= COLD_START_RATIO,
            f"CPU time: {cold['ours']['median_cpu_ms']} ms vs "
            f"{cold['baseline']['median_cpu_ms']} ms = "
            f"{ratio(cold['ours']['median_cpu_ms'], cold['baseline']['median_cpu_ms'])}×; "
            f"like for like: both without .pyc {no_pyc_ratio}×, both with .pyc "
            f"{with_pyc_ratio}× (wall)",
        )
    )
    cpu_ratio = ratio(
        warm["ours_dynamodb"]["cpu_ms"]["mean"], warm["baseline_dynamodb"]["cpu_ms"]["mean"]
    )
    found.append(
        _goal(
            "warm client CPU per turn against DynamoDB (mean, same mix)",
            f"≤ {WARM_CPU_RATIO}× baseline",
            f"{warm['ours_dynamodb']['cpu_ms']['mean']:.3f} ms vs "
            f"{warm['baseline_dynamodb']['cpu_ms']['mean']:.3f} ms = {cpu_ratio}×",
            cpu_ratio <= WARM_CPU_RATIO,
        )
    )
    pure = warm["ours_memory"]
    found.append(
        _goal(
            "pure-compute per-turn p99 (in-memory store, wall)",
            f"≤ {PURE_COMPUTE_P99_MS} ms",
            f"{pure['wall_ms']['p99']:.3f} ms wall (CPU p99 {pure['cpu_ms']['p99']:.3f} ms)",
            pure["wall_ms"]["p99"] <= PURE_COMPUTE_P99_MS,
            load_note,
        )
    )
    rss_ours = cold["ours"]["median_peak_rss_mib"]
    rss_base = cold["baseline"]["median_peak_rss_mib"]
    found.append(
        _goal(
            "peak RSS at cold start (median VmHWM)",
            "≤ baseline",
            f"{rss_ours} MiB vs {rss_base} MiB = {ratio(rss_ours, rss_base)}×",
            rss_ours <= rss_base,
        )
    )
    problems = store_call_violations(warm["ours_dynamodb"]["by_kind"])
    found.append(
        _goal(
            "store calls per turn (DynamoDB)",
            "≤ 1 read, ≤ 1 write; no write on read-only turns",
            "all turn types within" if not problems else "; ".join(problems),
            not problems,
        )
    )
    return found


# -- markdown ---------------------------------------------------------------------------


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _mb(size: int) -> str:
    return f"{size / 1e6:.2f} MB"


def markdown(results: dict[str, Any]) -> str:
    meta = results["meta"]
    parts = [
        "# Benchmark results\n",
        f"{meta['when']} · Python {meta['python']} · {meta['machine']} · {meta['cpus']} CPUs · "
        f"load average {meta['load_average_before'][0]} → {meta['load_average_after'][0]} · "
        f"{meta['seconds']} s in all. How each figure is measured: docs/bench.md.\n",
        "## Goals\n",
        _table(
            ["goal", "target", "measured", "met", "note"],
            [
                [g["goal"], g["target"], g["measured"], "yes" if g["met"] else "**no**", g["note"]]
                for g in results["goals"]
            ],
        ),
    ]
    parts += _cold_section(results)
    parts += _warm_section(results)
    parts += _calls_section(results)
    parts += _bundle_section(results)
    parts += _imports_section(results)
    parts += _web_section(results)
    return "\n".join(parts)


def _cold_section(results: dict[str, Any]) -> list[str]:
    rows = []
    for variant, label in (
        ("no_pyc", "both bundles without .pyc"),
        ("as_shipped", "as shipped: ours with .pyc, baseline without"),
        ("with_pyc", "both bundles with .pyc"),
    ):
        found = results["cold_start"][variant]
        ours, base, floor = found["ours"], found["baseline"], found.get("floor", {})
        for key, name in (
            ("median_wall_ms", "median wall, process start → answer (ms)"),
            ("median_cpu_ms", "median CPU, user + system (ms)"),
            ("median_import_ms", "median import of lambda_function (ms)"),
            ("median_first_answer_ms", "median first answer after import (ms)"),
            ("median_peak_rss_mib", "median peak RSS (MiB)"),
        ):
            bare = floor.get(key)
            rows.append(
                [
                    label,
                    name,
                    ours[key],
                    base[key],
                    ratio(ours[key], base[key]),
                    bare if bare is not None else "",
                    ratio(ours[key], bare) if bare else "",
                ]
            )
    runs = results["cold_start"]["as_shipped"]["ours"]["runs"]
    headers = ["bundle", "figure", "ours", "baseline", "ours / baseline", "floor", "ours / floor"]
    return [
        f"## Cold start (LaunchRequest on DynamoDB, {runs} runs each)\n",
        "The floor is the bare stack: ask-sdk-core and pynamodb reading and writing one "
        "item, none of our code (bench/floor); it is compiled whenever ours is.\n",
        _table(headers, rows),
    ]


def _warm_section(results: dict[str, Any]) -> list[str]:
    warm = results["warm"]
    rows = []
    for store in ("memory", "dynamodb"):
        ours, base = warm[f"ours_{store}"], warm[f"baseline_{store}"]
        for name, found in (("ours", ours), ("baseline", base)):
            rows.append(
                [
                    store,
                    name,
                    found["turns"],
                    f"{found['wall_ms']['p50']:.3f}",
                    f"{found['wall_ms']['p95']:.3f}",
                    f"{found['wall_ms']['p99']:.3f}",
                    f"{found['cpu_ms']['mean']:.3f}",
                    f"{found['cpu_ms']['p99']:.3f}",
                    found["reads_per_turn"],
                    found["writes_per_turn"],
                    found["errors"],
                ]
            )
        rows.append(
            [
                store,
                "ours / baseline",
                "",
                ratio(ours["wall_ms"]["p50"], base["wall_ms"]["p50"]),
                ratio(ours["wall_ms"]["p95"], base["wall_ms"]["p95"]),
                ratio(ours["wall_ms"]["p99"], base["wall_ms"]["p99"]),
                ratio(ours["cpu_ms"]["mean"], base["cpu_ms"]["mean"]),
                ratio(ours["cpu_ms"]["p99"], base["cpu_ms"]["p99"]),
                ratio(ours["reads_per_turn"], base["reads_per_turn"]),
                ratio(ours["writes_per_turn"], base["writes_per_turn"]),
                "",
            ]
        )
    skipped = warm["skipped_episodes"]
    return [
        "## Warm turns (same request mix for both skills)\n",
        f"Episodes: {', '.join(warm['episodes'])}."
        + (f" Left out (the skill failed them): {', '.join(skipped)}." if skipped else "")
        + " Times in ms; CPU is this process only (the DynamoDB server runs in another).\n",
        _table(
            [
                "store",
                "skill",
                "turns",
                "wall p50",
                "wall p95",
                "wall p99",
                "CPU mean",
                "CPU p99",
                "reads/turn",
                "writes/turn",
                "errors",
            ],
            rows,
        ),
    ]


def _calls_section(results: dict[str, Any]) -> list[str]:
    by_kind = results["warm"]["ours_dynamodb"]["by_kind"]
    memory = results["warm"]["ours_memory"]["by_kind"]
    rows = [
        [
            kind,
            "yes" if found["read_only"] else "no",
            found["n"],
            f"{found['reads_mean']} (max {found['reads_max']})",
            f"{found['writes_mean']} (max {found['writes_max']})",
            found["wall_p50_ms"],
            found["cpu_mean_ms"],
            memory.get(kind, {}).get("cpu_mean_ms", ""),
        ]
        for kind, found in by_kind.items()
    ]
    return [
        "## Store calls per turn type (ours, DynamoDB)\n",
        _table(
            [
                "turn type",
                "read-only",
                "n",
                "reads",
                "writes",
                "wall p50 ms",
                "CPU mean ms",
                "CPU mean ms, in-memory store",
            ],
            rows,
        ),
    ]


def _bundle_section(results: dict[str, Any]) -> list[str]:
    found = results["bundle"]
    lambda_bundle = found["lambda"]
    rows = []
    if lambda_bundle.get("built"):
        largest = ", ".join(f"{name} {_mb(size)}" for name, size in lambda_bundle["largest"])
        rows.append(
            ["Lambda bundle (build_lambda_bundle, arm64)", _mb(lambda_bundle["bytes"]), largest]
        )
    else:
        rows.append(
            ["Lambda bundle (build_lambda_bundle)", "not built", lambda_bundle.get("why", "")]
        )
    largest = ", ".join(f"{name} {_mb(size)}" for name, size in found["host_ours_largest"])
    rows.append(["ours, host bundle used for cold starts", _mb(found["host_ours_bytes"]), largest])
    rows.append(
        ["baseline, host bundle used for cold starts", _mb(found["host_baseline_bytes"]), ""]
    )
    return [
        "## Bundle size (unzipped, without boto3/botocore)\n",
        _table(["bundle", "size", "largest entries"], rows),
    ]


def _imports_section(results: dict[str, Any]) -> list[str]:
    parts = ["## Import-time profile of our cold start\n"]
    for variant, label in (
        ("no_pyc", "without .pyc"),
        ("as_shipped", "as shipped"),
        ("with_pyc", "with .pyc"),
    ):
        ours = results["import_profile"][variant]["ours"]
        base = results["import_profile"][variant]["baseline"]
        cold = results["cold_start"][variant]["ours"]
        other = round(cold["median_first_answer_ms"] - ours["first_request_imports_ms"], 1)
        parts.append(
            f"**{label}**: import of lambda_function {ours['import_ms']} ms "
            f"({ours['modules_at_import']} modules; baseline {base['import_ms']} ms, "
            f"{base['modules_at_import']} modules), then {ours['first_request_imports_ms']} ms of "
            f"imports while answering the first request ({ours['modules_on_first_request']} "
            f"modules; baseline {base['first_request_imports_ms']} ms). The first answer's "
            f"median {cold['median_first_answer_ms']} ms less those imports leaves ~{other} ms "
            "(the botocore client, the GetItem, the turn itself).\n"
        )
        rows = []
        columns = (
            ours["top_cumulative"],
            ours["packages_at_import_ms"],
            ours["packages_on_first_request_ms"],
        )
        for index in range(max(len(column) for column in columns)):
            row: list[Any] = [index + 1]
            for column in columns:
                if index >= len(column):
                    row.append("")
                    continue
                entry = column[index]
                marker = " (1st request)" if len(entry) > 2 and entry[2] == "first request" else ""
                row.append(f"{entry[0]} {entry[1]}{marker}")
            rows.append(row)
        parts.append(
            _table(
                [
                    "#",
                    "top cumulative (ms)",
                    "self time by package, at import (ms)",
                    "self time by package, first request (ms)",
                ],
                rows,
            )
        )
    return parts


def _web_section(results: dict[str, Any]) -> list[str]:
    web = results["web"]
    latency = web["latency_ms"]
    rows = [
        ["requests", web["requests"]],
        ["seconds", web["seconds"]],
        ["requests per second", web["requests_per_second"]],
        [
            "latency p50 / p95 / p99 (ms)",
            f"{latency['p50']:.2f} / {latency['p95']:.2f} / {latency['p99']:.2f}",
        ],
        ["HTTP statuses", ", ".join(f"{code}: {n}" for code, n in web["statuses"].items())],
        ["errors logged by the server", web["server_errors_logged"]],
        ["server CPU per request (ms)", web["server_cpu_ms_per_request"]],
        ["client CPU per request (ms)", web["client_cpu_ms_per_request"]],
        [
            "signature verification (µs, first / cached chain)",
            f"{web['verification_us']['first_us']} / {web['verification_us']['cached_us']}",
        ],
    ]
    return [
        f"## Web service (waitress, verification on, {web['workers']} client threads, "
        f"SQLite store)\n",
        f"Mix: {', '.join(web['mix'])}.\n",
        _table(["figure", "value"], rows),
    ]
