"""Shared fixtures: one full build per test session, and every file decoded.

Durations and formats are checked on what ffmpeg decodes from the written files,
never on the generator's own numbers.
"""

from __future__ import annotations

import io
from array import array
from dataclasses import dataclass
from pathlib import Path

import pytest

from skill.audio_build import cli as audio_cli

from .decoding import decode


@dataclass(frozen=True)
class Build:
    out: Path
    progress: str


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Every cue, built once through the CLI entry point."""
    out = tmp_path_factory.mktemp("audio-build")
    progress = io.StringIO()
    assert audio_cli.build(out, progress=progress) == 0, progress.getvalue()
    return Build(out, progress.getvalue())


@pytest.fixture(scope="session")
def decoded(build: Build) -> dict[str, array[int]]:
    """Every built MP3, decoded: cue name -> samples."""
    return {path.stem: decode(path) for path in sorted(build.out.glob("*.mp3"))}
