"""One-shot requests: the intent heard (and its slots), through the chat's
understanding and through an outside client (virtual-alexa on the served skill)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.chat_driver import hear
from eval.corpus import OneShot
from eval.expectations import norm
from skill.chat.model import load_model, model_path
from skill.chat.nlu import is_launch

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = Path(__file__).resolve().parent / "outside"
LAUNCH_NAMES = ("LaunchRequest",)


@dataclass(frozen=True)
class Heard:
    intent: str | None
    slots: dict[str, str]


@dataclass(frozen=True)
class Score:
    total: int
    right_intent: int
    right_slots: int
    with_slots: int
    misses: tuple[tuple[str, str, str | None], ...]  # (text, wanted, heard)
    per_intent: dict[str, tuple[int, int]]

    @property
    def intent_rate(self) -> float:
        return self.right_intent / self.total if self.total else 0.0

    @property
    def slot_rate(self) -> float:
        return self.right_slots / self.with_slots if self.with_slots else 0.0


def score(lines: list[OneShot], heard: list[Heard]) -> Score:
    right = slots_right = with_slots = 0
    misses: list[tuple[str, str, str | None]] = []
    tally: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for line, got in zip(lines, heard, strict=True):
        tally[line.intent] += 1
        if got.intent == line.intent:
            right += 1
            hits[line.intent] += 1
            if line.slots:
                with_slots += 1
                slots_right += _slots_match(line.slots, got.slots)
        else:
            misses.append((line.text, line.intent, got.intent))
            if line.slots:
                with_slots += 1
    per_intent = {intent: (hits[intent], count) for intent, count in sorted(tally.items())}
    return Score(len(lines), right, slots_right, with_slots, tuple(misses), per_intent)


def _slots_match(wanted: dict[str, str], got: dict[str, str]) -> bool:
    for name, value in wanted.items():
        found = got.get(name)
        if found is None:
            return False
        a, b = norm(value), norm(found)
        if a != b and a not in b and b not in a:
            return False
    return True


# -- the chat ---------------------------------------------------------------------------------


def through_chat(lines: list[OneShot], locale: str = "en-US") -> list[Heard]:
    model = load_model(model_path(locale))
    out: list[Heard] = []
    for line in lines:
        _opens, understood = hear(line.text, model)
        if understood is None:
            out.append(Heard("LaunchRequest", {}))
            continue
        slots = {
            name: (value.resolved_id or value.value)
            for name, value in understood.slots.items()
            if value is not None
        }
        out.append(Heard(understood.intent, slots))
    return out


# -- the outside client ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def npm_install() -> None:
    if (OUTSIDE / "node_modules" / "virtual-alexa").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed for the outside client")
    subprocess.run(
        [npm, "ci", "--silent", "--no-audit", "--no-fund"], cwd=OUTSIDE, check=True, timeout=600
    )


class ServedSkill:
    """`steady serve --dev` on a free loopback port, with its own embedded store."""

    def __init__(self) -> None:
        self.port = _free_port()
        self._folder = tempfile.TemporaryDirectory()
        env = {
            **os.environ,
            "STEADY_DATA_DIR": self._folder.name,
            "STEADY_ALEXA_API": "off",
            "STEADY_LOG_LEVEL": "WARNING",
        }
        env.pop("STEADY_TABLE", None)
        steady = Path(sys.executable).with_name("steady")
        self._process = subprocess.Popen(
            [str(steady), "serve", "--dev", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}health", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("steady serve did not start")

    def close(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=10)
        self._folder.cleanup()


def drive(
    conversations: list[list[str]], url: str, locale: str = "en-US"
) -> list[list[dict[str, Any]]]:
    npm_install()
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is needed for the outside client")
    job = {
        "model": str(model_path(locale)),
        "url": url,
        "locale": locale,
        "conversations": conversations,
    }
    done = subprocess.run(
        [node, str(OUTSIDE / "drive.js")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    result: list[list[dict[str, Any]]] = json.loads(done.stdout)
    return result


# What Alexa's speech recognition hands a skill's model: lower case, no punctuation
# but the apostrophe, and no filled pauses ("um", "uh"), which it does not transcribe.
_FILLED_PAUSES = re.compile(r"\b(?:um+|uhm+|erm*)\b|\buh+\b(?! huh)")
_PUNCTUATION = re.compile(r"[^\w\s'.:]|(?<!\w)\.|\.(?!\w)")


def as_recognised(text: str) -> str:
    """`text` as Alexa's recogniser would pass it on (see `_FILLED_PAUSES`)."""
    plain = _PUNCTUATION.sub(" ", text.lower())
    return " ".join(_FILLED_PAUSES.sub(" ", plain).split())


def through_outside(lines: list[OneShot], url: str, locale: str = "en-US") -> list[Heard]:
    """Each request its own session: a one-shot as recognised (`as_recognised`); a
    request made once the skill is open after "open steady together"."""
    conversations = []
    for line in lines:
        said = as_recognised(line.text)
        launch, _rest = is_launch(said)
        conversations.append([said] if launch else ["open steady together", said])
    out: list[Heard] = []
    for turns in drive(conversations, url, locale):
        last = turns[-1]
        out.append(Heard(last.get("intent"), dict(last.get("slots") or {})))
    return out
