"""Judges the results against the goals and writes them as a markdown report."""

from __future__ import annotations

from typing import Any

from bench.stats import describe

# The goals of issue 16, judged on the runs as deployed (docs/bench.md).
COLD_START_FLOOR_RATIO = 1.05
WARM_CPU_FLOOR_RATIO = 1.1
PURE_COMPUTE_P99_MS = 1.0
READ_ONLY_RCU = 1.0
SAVE_WCU = 5.0


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


def relay_note(relay: dict[str, Any] | None, where: str) -> str:
    """The relay's units, which no turn pays but the table does."""
    if not relay:
        return ""
    if not relay["runs"]:
        return "the relay did not run"
    return (
        f"plus the relay, off the turn ({where}): {relay['wcu_per_save']:g} WCU per save "
        f"amortised ({relay['wcu_per_run']:g} WCU per run, {relay['runs']} runs, "
        f"{relay['events_written']} events written out)"
    )


def goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    cold = results["cold_start"]
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
    if cold.get("measured"):
        floor = cold["ratios"]["ours / floor"]
        targets = cold["targets"]
        found.append(
            _goal(
                "cold start, as deployed (median wall, process start → first answer)",
                f"≤ {COLD_START_FLOOR_RATIO}× the floor",
                f"{targets['ours']['median_wall_ms']} vs {targets['floor']['median_wall_ms']} ms: "
                + describe(floor["wall"]),
                floor["wall"]["median"] <= COLD_START_FLOOR_RATIO,
                f"CPU {describe(floor['cpu'])}",
            )
        )
        rss = cold["ratios"]["ours / baseline (sample-style bundle)"]["peak_rss"]
        found.append(
            _goal(
                "peak RSS at cold start (VmHWM), as deployed",
                "≤ the sample-style baseline's",
                f"{targets['ours']['median_peak_rss_mib']} vs "
                f"{targets['baseline']['median_peak_rss_mib']} MiB: {describe(rss)}",
                rss["median"] <= 1.0,
            )
        )
    else:
        found.append(
            _goal("cold start, as deployed", "", "not measured", False, cold.get("why", ""))
        )
    cpu = warm["ratios"]["ours / floor, DynamoDB"]["cpu_mean"]
    found.append(
        _goal(
            "warm client CPU per turn against DynamoDB (mean, same mix)",
            f"≤ {WARM_CPU_FLOOR_RATIO}× the floor",
            f"{warm['ours_dynamodb']['cpu_ms']['mean']:.3f} vs "
            f"{warm['floor_dynamodb']['cpu_ms']['mean']:.3f} ms: {describe(cpu)}",
            cpu["median"] <= WARM_CPU_FLOOR_RATIO,
        )
    )
    pure = warm["ours_memory"]
    p99 = pure["wall_p99_spread_ms"]
    found.append(
        _goal(
            "pure-compute per-turn p99 (in-memory store, wall)",
            f"≤ {PURE_COMPUTE_P99_MS} ms",
            f"{describe(p99, ' ms')} (CPU p99 {pure['cpu_ms']['p99']:.3f} ms over all rounds)",
            p99["median"] <= PURE_COMPUTE_P99_MS,
            load_note,
        )
    )
    history = results.get("history", {})
    if history.get("measured"):
        by_kind = history["by_kind"]
        history_note = (
            f"on the couple with {history['days']} days of history (the goal speaks of 1095: "
            "python -m bench --history-days 1095)"
        )
    else:
        by_kind = warm["ours_dynamodb"]["by_kind"]
        history_note = "the bench's mix couples, a few weeks of history: not three years"
    read_only = {k: v for k, v in by_kind.items() if v["read_only"] and v["reads_max"]}
    worst_read = max(read_only.items(), key=lambda kv: (kv[1]["rcu_max"], kv[1]["read_bytes_max"]))
    found.append(
        _goal(
            "read capacity of the read-only turns that read",
            f"≤ {READ_ONLY_RCU} RCU",
            f"max {worst_read[1]['rcu_max']} RCU ({worst_read[0]}, "
            f"{worst_read[1]['read_bytes_max']} bytes read)",
            worst_read[1]["rcu_max"] <= READ_ONLY_RCU,
            history_note,
        )
    )
    saving = {k: v for k, v in by_kind.items() if not v["read_only"]}
    worst_save = max(saving.items(), key=lambda kv: kv[1]["wcu_mean"])
    relay = history.get("relay") if history.get("measured") else None
    relay_where = f"after {history.get('days')} days of history"
    if not relay or not relay["runs"]:
        relay, relay_where = warm["ours_dynamodb"].get("relay"), "in the warm mix"
    found.append(
        _goal(
            "write capacity of a save",
            f"≤ {SAVE_WCU} WCU",
            f"up to {worst_save[1]['wcu_mean']} WCU on average ({worst_save[0]}; "
            f"max {worst_save[1]['wcu_max']})",
            worst_save[1]["wcu_mean"] <= SAVE_WCU,
            "; ".join(part for part in (history_note, relay_note(relay, relay_where)) if part),
        )
    )
    problems = store_call_violations(warm["ours_dynamodb"]["by_kind"])
    if history.get("measured"):
        problems += [f"long history: {p}" for p in store_call_violations(history["by_kind"])]
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
        "## Headline: every ratio, as deployed, with its spread over rounds\n",
        "Each ratio is computed within a round (the skills interleaved in it) and reported "
        "as the median of the per-round ratios, their interquartile range and their range.\n",
        _headline(results),
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


def _spread_cells(found: dict[str, Any]) -> list[Any]:
    if not found.get("n"):
        return ["", "", "", 0]
    return [
        f"**{found['median']}×**",
        f"{found['q1']}–{found['q3']}",
        f"{found['min']}–{found['max']}",
        found["n"],
    ]


def _headline(results: dict[str, Any]) -> str:
    rows = []
    cold = results["cold_start"]
    if cold.get("measured"):
        targets = cold["targets"]
        for label, found in cold["ratios"].items():
            first, second = found["of"]
            for figure, name, unit, key in (
                ("cold start wall", "wall", "ms", "median_wall_ms"),
                ("cold start CPU", "cpu", "ms", "median_cpu_ms"),
                ("peak RSS", "peak_rss", "MiB", "median_peak_rss_mib"),
            ):
                rows.append(
                    [
                        label,
                        figure,
                        *_spread_cells(found[name]),
                        f"{targets[first][key]} / {targets[second][key]} {unit}",
                    ]
                )
    warm = results["warm"]
    for label, found in warm["ratios"].items():
        first, second = found["of"]
        for figure, key, stat in (
            ("warm client CPU per turn (mean)", "cpu_mean", ("cpu_ms", "mean")),
            ("warm wall per turn (p50)", "wall_p50", ("wall_ms", "p50")),
        ):
            a = warm[first][stat[0]][stat[1]]
            b = warm[second][stat[0]][stat[1]]
            rows.append([label, figure, *_spread_cells(found[key]), f"{a:.3f} / {b:.3f} ms"])
    return _table(
        ["comparison", "figure", "median ratio", "IQR", "range", "rounds", "medians (a / b)"],
        rows,
    )


COLD_LABELS = {
    "ours": "ours, as `sam build` makes it (.pyc), key through the extension",
    "ours_botocore_key": "ours, key through a botocore SSM client (no extension)",
    "ours_full_botocore_data": "ours without its lean botocore data (botocore's own, as the floor)",
    "baseline": "baseline, sample-style bundle (pip -t .pyc, its own file as source)",
    "baseline_source": "baseline, no .pyc at all",
    "floor": "floor (ask-sdk-core + pynamodb, one read + one write, .pyc)",
}


def _cold_section(results: dict[str, Any]) -> list[str]:
    cold = results["cold_start"]
    if not cold.get("measured"):
        return ["## Cold start\n", f"Not measured: {cold.get('why', '')}\n"]
    rows = [
        [
            COLD_LABELS.get(name, name),
            found["runs"],
            found["median_wall_ms"],
            ", ".join(str(v) for v in found["round_median_wall_ms"]),
            found["median_cpu_ms"],
            found["median_import_ms"],
            found["median_first_answer_ms"],
            found["median_peak_rss_mib"],
            f"{cold['bundle_bytes'].get(name.removesuffix('_botocore_key'), 0) / 1e6:.1f} MB",
        ]
        for name, found in cold["targets"].items()
    ]
    return [
        f"## Cold start (LaunchRequest of a returning couple on DynamoDB; Python "
        f"{cold['python']}, {cold['architecture']}; {cold['rounds']} rounds × "
        f"{cold['runs_per_round']} runs per target, interleaved)\n",
        f"Interpreter: `{cold['interpreter']}`. The key was read through the fake "
        f"extension {cold['extension_key_reads']} times (once per run of `ours`, its "
        "warm-up run included).\n",
        _table(
            [
                "target",
                "runs",
                "median wall ms",
                "per-round median wall ms",
                "median CPU ms",
                "median import ms",
                "median first answer ms",
                "median peak RSS MiB",
                "bundle, unzipped",
            ],
            rows,
        ),
    ]


def _warm_section(results: dict[str, Any]) -> list[str]:
    warm = results["warm"]
    rows = []
    for name in (
        "ours_memory",
        "baseline_memory",
        "ours_dynamodb",
        "baseline_dynamodb",
        "floor_dynamodb",
    ):
        found = warm[name]
        store = name.split("_")[-1]
        rows.append(
            [
                store,
                name.split("_")[0],
                found["turns"],
                f"{found['wall_ms']['p50']:.3f}",
                f"{found['wall_ms']['p95']:.3f}",
                f"{found['wall_ms']['p99']:.3f}",
                ", ".join(f"{v:.3f}" for v in found["rounds"]["wall_p99_ms"]),
                f"{found['cpu_ms']['mean']:.3f}",
                f"{found['cpu_ms']['p99']:.3f}",
                found["reads_per_turn"],
                found["writes_per_turn"],
                found["rcu_per_turn"] if store == "dynamodb" else "",
                found["wcu_per_turn"] if store == "dynamodb" else "",
                found["errors"],
            ]
        )
    skipped = warm["skipped_episodes"]
    return [
        "## Warm turns (one request mix for every skill, interleaved rounds)\n",
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
                "wall p99 per round",
                "CPU mean",
                "CPU p99",
                "reads/turn",
                "writes/turn",
                "RCU/turn",
                "WCU/turn",
                "errors",
            ],
            rows,
        ),
    ]


def _calls_section(results: dict[str, Any]) -> list[str]:
    warm = results["warm"]
    by_kind = warm["ours_dynamodb"]["by_kind"]
    baseline = warm["baseline_dynamodb"]["by_kind"]
    floor = warm["floor_dynamodb"]["by_kind"]
    memory = warm["ours_memory"]["by_kind"]

    def units(found: dict[str, Any] | None) -> str:
        if not found:
            return ""
        return (
            f"{found['rcu_mean']:g} / {found['wcu_mean']:g} "
            f"(max {found['rcu_max']:g} / {found['wcu_max']:g})"
        )

    rows = [
        [
            kind,
            "yes" if found["read_only"] else "no",
            found["n"],
            f"{found['reads_mean']} (max {found['reads_max']})",
            f"{found['writes_mean']} (max {found['writes_max']})",
            units(found),
            f"{found['read_bytes_max']} / {found['write_bytes_max']}",
            units(baseline.get(kind)),
            units(floor.get(kind)),
            found["cpu_mean_ms"],
            memory.get(kind, {}).get("cpu_mean_ms", ""),
        ]
        for kind, found in by_kind.items()
    ]
    history = results.get("history", {})
    history_part: list[str] = []
    relay_rows = [
        [where, *_relay_cells(found["relay"])]
        for where, found in (
            ("the mix (warm turns)", warm["ours_dynamodb"]),
            (f"the mix after {history.get('days')} days of history", history),
        )
        if found.get("relay")
    ]
    relay_part = [
        "### The relay (ours): the table's stream writes the outbox out, off the turn\n",
        "Not in any turn's figures above: the stream invoked it between turns (bench/stream.py "
        "plays Lambda's event-source mapping, through the template's filter). Its writes are "
        "one BatchWriteItem of the events and one UpdateItem of the profile per run.\n",
        _table(
            [
                "where",
                "runs",
                "events written",
                "reads / writes",
                "RCU / WCU",
                "WCU per run",
                "saves",
                "WCU per save (amortised)",
            ],
            relay_rows,
        ),
    ]
    if history.get("measured"):
        history_part = [
            f"### Ours, on a couple with {history['days']} days of history\n",
            f"Played first: {', '.join(history['episodes_per_day'])}, every day "
            f"({history['seconds_to_play']} s; turns that failed on the way: "
            f"{history['errors_while_playing_the_history']}); then the mix once, now "
            f"(failed turns: {history['errors']}).\n",
            _table(
                ["turn type", "read-only", "reads", "writes", "RCU / WCU", "bytes read / written"],
                [
                    [
                        kind,
                        "yes" if found["read_only"] else "no",
                        found["reads_max"],
                        found["writes_max"],
                        units(found),
                        f"{found['read_bytes_max']} / {found['write_bytes_max']}",
                    ]
                    for kind, found in history["by_kind"].items()
                ],
            ),
        ]
    return [
        "## Store calls and capacity units per turn type (DynamoDB)\n",
        "Capacity units as DynamoDB would charge them for the items the local server "
        "received and returned (bench/capacity.py): RCU / WCU per turn, mean (max). "
        "Bytes: the largest item bytes read / written in one turn of the type.\n",
        _table(
            [
                "turn type",
                "read-only",
                "n",
                "reads",
                "writes",
                "ours RCU / WCU",
                "ours bytes read / written",
                "baseline RCU / WCU",
                "floor RCU / WCU",
                "ours CPU mean ms",
                "ours CPU mean ms, in-memory store",
            ],
            rows,
        ),
        *history_part,
        *(relay_part if relay_rows else []),
    ]


def _relay_cells(relay: dict[str, Any]) -> list[Any]:
    return [
        relay["runs"],
        relay["events_written"],
        f"{relay['reads']} / {relay['writes']}",
        f"{relay['rcu']:g} / {relay['wcu']:g}",
        relay["wcu_per_run"],
        relay["saves"],
        relay["wcu_per_save"],
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
    parts = ["## Import-time profile of the cold starts (median of 3 runs each)\n"]
    cold = results["cold_start"]
    for name, found in results["import_profile"].items():
        first_answer = cold["targets"][name]["median_first_answer_ms"]
        other = round(first_answer - found["first_request_imports_ms"], 1)
        parts.append(
            f"**{COLD_LABELS.get(name, name)}**: import of lambda_function "
            f"{found['import_ms']} ms ({found['modules_at_import']} modules), then "
            f"{found['first_request_imports_ms']} ms of imports while answering the first "
            f"request ({found['modules_on_first_request']} modules); the first answer's "
            f"median {first_answer} ms less those imports leaves ~{other} ms (clients, the "
            "key, the GetItem, the turn itself).\n"
        )
        rows = []
        columns = (
            found["top_cumulative"],
            found["packages_at_import_ms"],
            found["packages_on_first_request_ms"],
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
