"""What the skill says, per locale, loaded once per process.

Content lives in `skill/content/<language>/*.json` (shared English) with optional
overrides in `skill/content/<locale>/*.json` (en-GB spelling, local help lines...).
Each file maps keys to a list of variants; the files of a folder are merged, and a
key may be defined only once per folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

# Package data read as files: the bundle is a directory, and importlib.resources would
# bring tempfile, shutil, bz2 and lzma into every cold start for nothing.
_CONTENT = Path(__file__).resolve().parent.parent / "content"
SUPPORTED_LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
DEFAULT_LOCALE = "en-US"


class ContentError(Exception):
    pass


@dataclass(frozen=True)
class Content:
    """One locale's words: the phrase variants by key, and the data lists the practices read."""

    locale: str
    phrases: dict[str, tuple[str, ...]]
    data: dict[str, Any]

    def variants(self, key: str) -> tuple[str, ...]:
        try:
            return self.phrases[key]
        except KeyError:
            raise ContentError(f"no speech for {key!r} in {self.locale}") from None


def _read_folder(folder: str) -> tuple[dict[str, tuple[str, ...]], dict[str, Any]]:
    phrases: dict[str, tuple[str, ...]] = {}
    data: dict[str, Any] = {}
    root = _CONTENT / folder
    if not root.is_dir():
        return phrases, data
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        body = json.loads(entry.read_text(encoding="utf-8"))
        if entry.name.startswith("data_") or "phrases" not in body:
            data[entry.name.removesuffix(".json").removeprefix("data_")] = body
            continue
        for key, value in body["phrases"].items():
            if key in phrases:
                raise ContentError(f"{key!r} defined twice in {folder}")
            variants = (value,) if isinstance(value, str) else tuple(value)
            if not variants:
                raise ContentError(f"{key!r} has no variants in {folder}")
            phrases[key] = variants
    return phrases, data


def folder_phrases(folder: str) -> dict[str, tuple[str, ...]]:
    """The phrases of one content folder on its own, without any overlay ("en")."""
    return _read_folder(folder)[0]


@cache
def content_for(locale: str) -> Content:
    """Shared language content overlaid with the locale's own, merged once."""
    if locale not in SUPPORTED_LOCALES:
        locale = DEFAULT_LOCALE
    language = locale.split("-")[0]
    phrases, data = _read_folder(language)
    local_phrases, local_data = _read_folder(locale)
    return Content(locale, {**phrases, **local_phrases}, {**data, **local_data})
