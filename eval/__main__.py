"""`make eval` (`python -m eval`): score the skill's understanding on the evaluation
corpora (tests/eval/corpus) and write eval/results.json and eval/results.md.

- one-shot requests through the chat's understanding, and through an outside client:
  Bespoken's virtual-alexa (npm, eval/outside, pinned by its lockfile) driving the
  served skill (`steady serve --dev` on loopback) from the interaction model;
- scripted conversations through the chat's understanding against the skill, judged
  by what was stored and said.

`--no-outside` skips the outside client; `--sets` names the one-shot files to score."""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eval import conversations as scripted
from eval import one_shots
from eval.corpus import conversations
from eval.corpus import one_shots as read_one_shots

HERE = Path(__file__).resolve().parent
ONE_SHOT_SETS = {
    "development": "one_shots.jsonl",
    # A second development set, written in the fourth 2026-12-02 session by a writer who
    # saw only the product description and the intent and slot names; first scored
    # before anything was tuned to it, then tuned to like the first.
    "development_2": "one_shots_dev_2.jsonl",
    # A third, written later in the same session the same way (terse, varied verbs,
    # British, Australian, Indian and Canadian English); first scored before any tuning.
    "development_3": "one_shots_dev_3.jsonl",
    "held_out": "one_shots_held_out.jsonl",
    # Written last in the 2026-12-02 (third) session by a writer who saw only the
    # product description and the intent and slot names; scored, never read or tuned to.
    "held_out_2": "one_shots_held_out_2.jsonl",
}


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "unknown"


def _score_block(score: one_shots.Score) -> dict[str, Any]:
    return {
        "requests": score.total,
        "right_intent": score.right_intent,
        "intent_rate": round(score.intent_rate, 3),
        "right_slots": score.right_slots,
        "with_slots": score.with_slots,
        "slot_rate": round(score.slot_rate, 3),
        "per_intent": {k: list(v) for k, v in score.per_intent.items()},
        "misses": [list(m) for m in score.misses],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__.split("\n")[0])
    parser.add_argument("--no-outside", action="store_true", help="skip virtual-alexa")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "python": platform.python_version(),
        "one_shots": {},
    }
    served = None if args.no_outside else one_shots.ServedSkill()
    try:
        for label, name in ONE_SHOT_SETS.items():
            lines = read_one_shots(name)
            if not lines:
                continue
            block: dict[str, Any] = {
                "chat": _score_block(one_shots.score(lines, one_shots.through_chat(lines)))
            }
            if served is not None:
                heard = one_shots.through_outside(lines, served.url)
                block["outside"] = _score_block(one_shots.score(lines, heard))
            results["one_shots"][label] = block
    finally:
        if served is not None:
            served.close()
    outcomes = scripted.run(conversations())
    results["conversations"] = {
        "total": len(outcomes),
        "reached_end": sum(o.verdict.reached for o in outcomes),
        "meaning_right": sum(o.verdict.meaning for o in outcomes),
        "each": [
            {
                "id": o.id,
                "practice": o.practice,
                "reached": o.verdict.reached,
                "meaning": o.verdict.meaning,
                "why": o.verdict.why,
                "heard": list(o.heard),
            }
            for o in outcomes
        ],
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.out.with_suffix(".md")).write_text(report(results), encoding="utf-8")
    sys.stdout.write(report(results))
    return 0


def _pct(right: int, total: int) -> str:
    return f"{right}/{total} ({100 * right / total:.1f}%)" if total else "-"


def report(results: dict[str, Any]) -> str:
    lines = [
        "# Understanding, measured (`make eval`)",
        "",
        f"Commit {results['commit']}, {results['when']}, Python {results['python']}.",
        "",
        "| one-shot set | chat: right intent | outside client: right intent | chat: slots right |",
        "| --- | --- | --- | --- |",
    ]
    for label, block in results["one_shots"].items():
        chat = block["chat"]
        outside = block.get("outside")
        lines.append(
            f"| {label} | {_pct(chat['right_intent'], chat['requests'])} | "
            + (_pct(outside["right_intent"], outside["requests"]) if outside else "not run")
            + f" | {_pct(chat['right_slots'], chat['with_slots'])} |"
        )
    conv = results["conversations"]
    lines += [
        "",
        "Scripted conversations (chat): reached their end "
        f"{_pct(conv['reached_end'], conv['total'])}; with the right meaning kept "
        f"{_pct(conv['meaning_right'], conv['total'])}.",
        "",
    ]
    failed = [c for c in conv["each"] if not c["meaning"]]
    if failed:
        lines += ["| conversation | reached | why |", "| --- | --- | --- |"]
        lines += [f"| {c['id']} | {c['reached']} | {c['why'][:160]} |" for c in failed]
        lines.append("")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
