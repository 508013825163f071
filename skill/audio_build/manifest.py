"""The build manifest (`manifest.json` in the build output directory): one entry per
generated file, written by the build and read by publish. Stdlib only."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

MANIFEST_FILE = "manifest.json"
MANIFEST_VERSION = 1
AUDIO_FORMAT: dict[str, Any] = {
    "container": "mp3",
    "mpeg_version": "2",
    "layer": 3,
    "bitrate_kbps": 48,
    "sample_rate_hz": 24_000,
    "channels": 1,
}


@dataclass(frozen=True)
class BuiltCue:
    name: str  # logical cue name, e.g. "sync-normal-05"
    file: str  # file name in the build directory, e.g. "sync-normal-05.mp3"
    duration_ms: int  # measured by decoding the written file
    sha256: str  # hex digest of the file's bytes
    bytes: int


class ManifestError(Exception):
    """The build manifest is missing, malformed, or does not match the files."""


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_json_atomically(path: Path, data: object) -> None:
    """Write JSON through a temporary file and a rename: readers never see half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def write_manifest(out_dir: Path, cues: Sequence[BuiltCue]) -> Path:
    path = out_dir / MANIFEST_FILE
    write_json_atomically(
        path,
        {
            "version": MANIFEST_VERSION,
            "format": AUDIO_FORMAT,
            "cues": [asdict(cue) for cue in cues],
        },
    )
    return path


def read_manifest(source: Path) -> list[BuiltCue]:
    """The cues listed in `source/manifest.json`, each checked against its file."""
    path = source / MANIFEST_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        cues = [BuiltCue(**entry) for entry in data["cues"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ManifestError(f"cannot read {path}: {error}") from error
    for cue in cues:
        file = source / cue.file
        if Path(cue.file).name != cue.file or not file.is_file():
            raise ManifestError(f"{cue.name}: no file {cue.file} in {source}")
        if sha256_file(file) != cue.sha256:
            raise ManifestError(f"{cue.name}: {cue.file} does not match its sha256; rebuild")
    return cues
