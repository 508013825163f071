"""Lambda-shaped code bundles, so that our skill, the baseline and the floor cold-start
the way Lambda runs them: the bundle directory first on sys.path, boto3/botocore from
the "runtime", nothing compiled at run time kept (Lambda's /var/task is read-only).

`cold_start_bundles` builds them with the build itself (skill.packaging.
build_lambda_bundle, a Python of the template's runtime version, wheels from the
package index), for this machine's architecture so that they run here: ours exactly
as `sam build` makes it (.pyc for the runtime); the floor the same way; the baseline
as sample skills are bundled (`pip install -t` of its requirements, which compiles
what it installs, and its own lambda_function.py as source), and once more with no
.pyc at all (a folder zipped by hand, or installed by a Python of another version).
The runtime directory is boto3 and its dependencies installed (and compiled) by the
same Python, as the Lambda runtime has them.

`our_bundle` and `baseline_bundle` (host copies of this virtualenv, the old way) are
kept for the size figures; `lambda_bundle_size` measures the real deployment bundle."""

from __future__ import annotations

import platform
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from importlib.metadata import version as installed_version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bench.env import BASELINE_DIR, FLOOR_DIR, LAMBDA_DIR, REPO_ROOT
from skill.packaging import (
    RUNTIME_PROVIDED,
    Interpreter,
    PackagingError,
    build_environment,
    build_lambda_bundle,
    directory_size,
    find_interpreter,
    function_target,
    runtime_requirements,
)

BASELINE_REQUIREMENTS = ("ask-sdk-core", "ask-sdk-dynamodb-persistence-adapter")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")


def dependency_closure(
    requirements: list[str] | tuple[str, ...], exclude: frozenset[str] = RUNTIME_PROVIDED
) -> list[Distribution]:
    """The installed distributions `requirements` pull in, less `exclude` (by default
    what the Lambda runtime provides)."""
    found: dict[str, Distribution] = {}
    queue = [(Requirement(text), "") for text in requirements]
    while queue:
        requirement, extra = queue.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        if name in found or name in exclude:
            continue
        try:
            dist = distribution(requirement.name)
        except PackageNotFoundError:
            continue  # an optional dependency that is not installed here
        found[name] = dist
        for text in dist.requires or []:
            queue.extend((Requirement(text), wanted) for wanted in ("", *requirement.extras))
    return sorted(found.values(), key=lambda d: canonicalize_name(d.metadata["Name"]))


def _copy_distribution(dist: Distribution, out: Path) -> None:
    for file in dist.files or []:
        parts = file.parts
        if parts[0] == ".." or "__pycache__" in parts or file.suffix in (".pyc", ".pyo"):
            continue
        source = Path(str(dist.locate_file(file)))
        if source.is_file():
            target = out.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


@dataclass(frozen=True)
class Bundle:
    path: Path
    distributions: list[str]

    @property
    def size(self) -> int:
        return directory_size(self.path)


def our_bundle(out: Path) -> Bundle:
    dists = dependency_closure(runtime_requirements(REPO_ROOT / "pyproject.toml"))
    for dist in dists:
        _copy_distribution(dist, out)
    shutil.copytree(REPO_ROOT / "skill", out / "skill", ignore=_SKIP)
    shutil.copy2(LAMBDA_DIR / "lambda_function.py", out / "lambda_function.py")
    return Bundle(out, [f"{d.metadata['Name']}=={d.version}" for d in dists])


def baseline_bundle(out: Path) -> Bundle:
    dists = dependency_closure(BASELINE_REQUIREMENTS)
    for dist in dists:
        _copy_distribution(dist, out)
    shutil.copy2(BASELINE_DIR / "lambda_function.py", out / "lambda_function.py")
    return Bundle(out, [f"{d.metadata['Name']}=={d.version}" for d in dists])


def top_entries(path: Path, count: int = 6) -> list[tuple[str, int]]:
    """The largest top-level entries of a bundle, in bytes."""
    sizes = [
        (entry.name, directory_size(entry) if entry.is_dir() else entry.stat().st_size)
        for entry in path.iterdir()
        if not entry.name.endswith(".dist-info")
    ]
    return sorted(sizes, key=lambda item: item[1], reverse=True)[:count]


def lambda_bundle_size() -> dict[str, object]:
    """The real deployment bundle (skill.packaging.build_lambda_bundle: python3.12,
    arm64 wheels from the package index), unzipped; its largest entries."""
    try:
        from skill.packaging import build_lambda_bundle
    except ImportError:
        return {"built": False, "why": "skill.packaging.build_lambda_bundle is missing"}
    with tempfile.TemporaryDirectory(prefix="steady-bundle-") as tmp:
        try:
            path = build_lambda_bundle(Path(tmp) / "bundle")
        except Exception as error:  # offline, or a packaging failure: report, go on
            return {"built": False, "why": f"{type(error).__name__}: {str(error)[:300]}"}
        return {
            "built": True,
            "method": "skill.packaging.build_lambda_bundle (python3.12 arm64 wheels)",
            "bytes": directory_size(path),
            "largest": top_entries(path),
        }


@dataclass(frozen=True)
class ColdStartBundles:
    interpreter: Interpreter
    runtime: Path
    ours: Path
    floor: Path
    baseline: Path
    baseline_source: Path
    architecture: str
    ours_full_botocore_data: Path  # ours without its lean botocore data


def host_architecture() -> str:
    machine = platform.machine().lower()
    return "arm64" if machine in ("aarch64", "arm64") else "x86_64"


def cold_start_bundles(out: Path) -> ColdStartBundles:
    """Every bundle the cold starts run (see the module's docstring). Raises
    PackagingError (offline, or no Python of the runtime's version here)."""
    target = function_target(REPO_ROOT / "template.yaml")
    interpreter = find_interpreter(target)
    architecture = host_architecture()
    python, arch = interpreter.path, architecture
    ours = build_lambda_bundle(out / "ours", python=python, architecture=arch)
    floor = build_lambda_bundle(
        out / "floor",
        handler=FLOOR_DIR / "lambda_function.py",
        include_skill=False,
        python=python,
        architecture=arch,
    )
    baseline = build_lambda_bundle(
        out / "baseline",
        requirements=list(BASELINE_REQUIREMENTS),
        handler=BASELINE_DIR / "lambda_function.py",
        include_skill=False,
        python=python,
        architecture=arch,
    )
    # pip install -t compiles what it installs, never the sample's own file.
    for stale in (baseline / "__pycache__").glob("lambda_function.*.pyc"):
        stale.unlink()
    baseline_source = out / "baseline-source"
    shutil.copytree(baseline, baseline_source, ignore=_SKIP)
    runtime = out / "runtime"
    build_python = build_environment(interpreter, REPO_ROOT / "build" / f"lambda-{target.runtime}")
    done = subprocess.run(
        [
            build_python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
            str(runtime),
            f"boto3=={installed_version('boto3')}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise PackagingError(f"the runtime's boto3 could not be installed: {done.stderr[-500:]}")
    # Ours as it would be without the lean botocore data (skill.store.botocore_data):
    # its clients then read botocore's own data, as the floor's does.
    ours_full_data = out / "ours-full-botocore-data"
    shutil.copytree(ours, ours_full_data)
    shutil.rmtree(ours_full_data / "skill" / "store" / "botocore_data")
    return ColdStartBundles(
        interpreter, runtime, ours, floor, baseline, baseline_source, architecture, ours_full_data
    )
