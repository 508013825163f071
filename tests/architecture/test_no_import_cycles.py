"""No import cycle anywhere in `skill/`: every module can be read, and imported,
after the modules it needs. Imports inside functions count (they used to hide one)."""

from __future__ import annotations

from pathlib import Path

from tests.architecture.import_graph import cycles, import_graph, skill_graph


def test_the_skill_package_has_no_import_cycle() -> None:
    found = cycles(skill_graph())
    assert found == [], "import cycles in skill/:\n" + "\n".join(" -> ".join(c) for c in found)


def test_the_graph_sees_every_module_and_the_imports_that_matter() -> None:
    graph = skill_graph()
    assert len(graph) > 80
    assert "skill.practices.registry" in graph["skill.handlers.conversation"]
    # A module imported with `from package import module` is an edge to the module.
    assert "skill.chat.envelopes" in graph["skill.chat.repl"]


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import thing\n",
            "pkg/b.py": "def thing():\n    from pkg import a\n    return a\n",
            "pkg/c.py": "import pkg.a\n",
        },
    )
    graph = import_graph(root, "pkg")
    assert graph["pkg.b"] == {"pkg.a"}
    assert cycles(graph) == [["pkg.a", "pkg.b"]]


def test_relative_and_type_checking_imports_count_too(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/sub/__init__.py": "from .x import X\n",
            "pkg/sub/x.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from ..y import Y\nX = 1\n"
            ),
            "pkg/y.py": "from pkg.sub import X\nY = X\n",
        },
    )
    graph = import_graph(root, "pkg")
    assert graph["pkg.sub"] == {"pkg.sub.x"}
    assert graph["pkg.sub.x"] == {"pkg.y"}
    assert cycles(graph) == [["pkg.sub", "pkg.sub.x", "pkg.y"]]


def test_no_cycle_means_an_empty_answer(tmp_path: Path) -> None:
    root = _package(
        tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "import pkg.b\n", "pkg/b.py": "import os\n"}
    )
    assert cycles(import_graph(root, "pkg")) == []
