"""The web extra's version floors sit past the releases with known fixes, so no
install that satisfies pyproject.toml can pick a vulnerable version."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"

# package -> (the last release still affected, the first fixed release, why)
FIXES = {
    "waitress": ("3.0.0", "3.0.1", "CVE-2024-49768, CVE-2024-49769"),
    "cryptography": ("44.0.0", "44.0.1", "CVE-2024-12797"),
    "certifi": ("2024.6.2", "2024.7.4", "CVE-2024-39689, GLOBALTRUST roots"),
    "flask": ("3.1.0", "3.1.1", "GHSA-4grg-w6v8-c28g"),
}


def _web_requirements() -> dict[str, Requirement]:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    requirements = [Requirement(line) for line in project["optional-dependencies"]["web"]]
    return {requirement.name.lower(): requirement for requirement in requirements}


@pytest.mark.parametrize("package", sorted(FIXES))
def test_floor_excludes_the_affected_release(package: str) -> None:
    affected, fixed, why = FIXES[package]
    specifier = _web_requirements()[package].specifier
    assert not specifier.contains(affected), f"{package} {affected} is allowed ({why})"
    assert specifier.contains(fixed), f"{package} {fixed} should be allowed"
