"""SnapStart: the connections made during init are made again after a restore."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from skill import app
from skill.store.memory import MemoryStore
from skill.turn import Services
from tests.dialog.harness import test_settings


def test_after_restore_the_store_is_built_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks: list[Callable[[], None]] = []
    runtime = types.ModuleType("snapshot_restore_py")
    runtime.register_after_restore = hooks.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", runtime)
    built: list[MemoryStore] = []

    def factory(_settings: object) -> MemoryStore:
        built.append(MemoryStore())
        return built[-1]

    services = Services(test_settings(tmp_path), factory)  # type: ignore[arg-type]
    monkeypatch.setattr(app, "_services", services)
    monkeypatch.setattr(app, "_skill", app.build_skill(services))
    app.warm()
    assert len(built) == 1 and len(hooks) == 1
    hooks[0]()  # what the runtime does after restoring the snapshot
    assert len(built) == 2 and services.store is built[1]
