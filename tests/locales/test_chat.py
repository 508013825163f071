"""`steady chat --locale <locale>`: the chat hears with the locale's own model and
answers with the locale's own content."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import skill.app
from skill.chat.repl import run_chat
from skill.cli import main
from skill.store.memory import MemoryStore
from tests.dialog.harness import make_skill, test_settings

SETUP = "open steady together\nwe're Alex and Sam\nyes\n"


@pytest.fixture(autouse=True)
def _fresh_skill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chat uses the process's one skill object: a fresh one per test, in memory."""
    monkeypatch.setattr(skill.app, "_skill", make_skill(MemoryStore(), test_settings(tmp_path)))
    monkeypatch.setenv("STEADY_LOG_LEVEL", "WARNING")


def chat(locale: str, script: str) -> list[str]:
    out = io.StringIO()
    assert run_chat(io.StringIO(script + ":quit\n"), out, locale=locale) == 0
    return [line.removeprefix("Alexa: ") for line in out.getvalue().splitlines()]


def answer_to(lines: list[str], said: str) -> str:
    return lines[lines.index(f"You: {said}") + 1]


@pytest.mark.parametrize(
    ("locale", "local_words"),
    [
        ("en-GB", "let's have a natter"),
        ("en-AU", "let's have a yarn"),
        ("en-IN", "let us do our check in"),
        ("en-CA", "let's check in after supper"),
        ("en-US", "let's check in"),
    ],
)
def test_local_words_start_a_check_in(locale: str, local_words: str) -> None:
    lines = chat(locale, SETUP + local_words + "\n")
    assert "Alex" in answer_to(lines, local_words)
    assert "feeling" in answer_to(lines, local_words)


def test_en_us_does_not_know_a_natter() -> None:
    lines = chat("en-US", SETUP + "let's have a natter\n")
    # A: I'm not sure I can help with that one. ... (the check-in would ask Alex first)
    reply = answer_to(lines, "let's have a natter")
    assert "Alex" not in reply and "feel" not in reply


def test_a_british_check_in_hears_knackered_as_exhausted() -> None:
    script = SETUP + "let's have a natter\nfine\nknackered\ni need a cup of tea\n"
    script += "i'm chuffed\ni need a walk\n"
    lines = chat("en-GB", script)
    # A: Alex, a word like fine can hold a lot. Is it closer to ...?
    assert "fine" in answer_to(lines, "fine")
    closing = answer_to(lines, "i need a walk")
    assert "exhausted" in closing and "delighted" in closing
    assert "a cup of tea" in closing and "a walk" in closing


def test_the_safety_answer_in_the_chat_is_local() -> None:
    lines = chat("en-AU", "open steady together\ni don't feel safe at home\n")
    reply = answer_to(lines, "i don't feel safe at home")
    assert "000" in reply and "13 11 14" in reply


def test_the_cli_passes_the_locale_to_the_chat(monkeypatch: pytest.MonkeyPatch) -> None:
    script = io.StringIO(SETUP + "let's have a yarn\n:quit\n")
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", script)
    monkeypatch.setattr("sys.stdout", out)
    assert main(["chat", "--locale", "en-AU"]) == 0
    lines = [line.removeprefix("Alexa: ") for line in out.getvalue().splitlines()]
    assert "feeling" in answer_to(lines, "let's have a yarn")
