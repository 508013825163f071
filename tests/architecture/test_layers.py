"""The layers run one way: entry -> app -> handlers -> practices -> turn and
session -> store, speech, domain. Practices say what happens next (an Outcome) and
never reach back into the registry or the router, nor move the session themselves."""

from __future__ import annotations

import ast

import pytest

from tests.architecture.import_graph import modules, reaches, skill_graph

PRACTICES = "skill.practices"
ROUTER = ("skill.practices.registry", "skill.handlers")
LOWER_LAYERS = (
    "skill.session",
    "skill.state_codec",
    "skill.turn",
    "skill.speech",
    "skill.domain",
    "skill.store",
    "skill.audio",
    "skill.screens",
)
# Facts a practice may not set: what is going on, paused or queued is the router's.
TRANSITION_FIELDS = {"current", "paused", "queue"}


def _practice_modules() -> list[str]:
    return sorted(
        name
        for name in skill_graph()
        if name.startswith(f"{PRACTICES}.") and name != "skill.practices.registry"
    )


@pytest.mark.parametrize("module", _practice_modules())
def test_no_practice_imports_the_registry_or_the_router(module: str) -> None:
    reached = reaches(skill_graph(), module)
    assert not [m for m in reached if m.startswith(ROUTER)], module


@pytest.mark.parametrize("module", sorted(m for m in skill_graph() if m.startswith(LOWER_LAYERS)))
def test_lower_layers_never_import_practices_or_handlers(module: str) -> None:
    reached = reaches(skill_graph(), module)
    assert not [m for m in reached if m.startswith(("skill.practices", "skill.handlers"))]


def _transitions_set(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and part.attr in TRANSITION_FIELDS:
                    found.append(f"line {part.lineno}: .{part.attr}")
    return found


@pytest.mark.parametrize("module", _practice_modules())
def test_no_practice_sets_what_is_going_on_paused_or_queued(module: str) -> None:
    path = modules()[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _transitions_set(tree) == []


def test_the_transition_check_sees_an_assignment() -> None:
    tree = ast.parse("turn.state.current = None\nstate.paused, x = a, b\n")
    assert _transitions_set(tree) == ["line 1: .current", "line 2: .paused"]
