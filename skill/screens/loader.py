"""The APL documents shipped in this package, read from disk once per process.

Each call hands out a fresh copy, so a caller may change its document without
touching the cached one (or another request's)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

# Read as files (the bundle is a directory), not through importlib.resources.
_DOCUMENTS = Path(__file__).resolve().parent / "documents"
BREATHING = "breathing"
CHECK_IN = "check_in"
TRUST_WEEK = "trust_week"
REPAIR = "repair"
DOCUMENT_NAMES: tuple[str, ...] = (BREATHING, CHECK_IN, TRUST_WEEK, REPAIR)


class DocumentError(Exception):
    pass


@cache
def _parsed(name: str) -> dict[str, Any]:
    if name not in DOCUMENT_NAMES:
        raise DocumentError(f"no APL document called {name!r}")
    resource = _DOCUMENTS / f"{name}.json"
    body = json.loads(resource.read_text(encoding="utf-8"))
    if not isinstance(body, dict) or body.get("type") != "APL":
        raise DocumentError(f"{name}.json is not an APL document")
    return body


def document(name: str) -> dict[str, Any]:
    """A copy of the APL document `name` (one of DOCUMENT_NAMES)."""
    copied: dict[str, Any] = _copy_json(_parsed(name))
    return copied


def _copy_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists and immutable leaves), several times
    faster than copy.deepcopy, which a screen turn paid on every document."""
    if isinstance(value, dict):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy_json(item) for item in value]
    return value


def parameters(name: str) -> tuple[str, ...]:
    """The names the document's mainTemplate binds its data sources to."""
    return tuple(_parsed(name)["mainTemplate"].get("parameters", ()))
