"""Lambda-shaped code bundles built from this virtualenv (offline, host platform), so
that our skill and the baseline cold-start the way Lambda runs them: the bundle
directory first on sys.path, boto3/botocore from the "runtime" (here: the venv), and no
.pyc in the bundle unless asked for (Lambda's /var/task is read-only, so nothing
compiled at run time is kept).

`lambda_bundle_size` measures the real deployment bundle (skill.packaging, wheels for
the function's platform) when it can be built."""

from __future__ import annotations

import compileall
import shutil
import tempfile
from dataclasses import dataclass
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bench.env import BASELINE_DIR, FLOOR_DIR, LAMBDA_DIR, REPO_ROOT
from skill.packaging import RUNTIME_PROVIDED, directory_size, runtime_requirements

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

    def compile(self) -> None:
        """Add .pyc for this interpreter (what shipping compiled files would give)."""
        compileall.compile_dir(self.path, quiet=1, workers=1)


def our_bundle(out: Path) -> Bundle:
    dists = dependency_closure(runtime_requirements(REPO_ROOT / "pyproject.toml"))
    for dist in dists:
        _copy_distribution(dist, out)
    shutil.copytree(REPO_ROOT / "skill", out / "skill", ignore=_SKIP)
    shutil.copy2(LAMBDA_DIR / "lambda_function.py", out / "lambda_function.py")
    return Bundle(out, [f"{d.metadata['Name']}=={d.version}" for d in dists])


def floor_bundle(out: Path) -> Bundle:
    """The bare stack (our runtime dependencies, none of our code) and bench/floor."""
    dists = dependency_closure(runtime_requirements(REPO_ROOT / "pyproject.toml"))
    for dist in dists:
        _copy_distribution(dist, out)
    shutil.copy2(FLOOR_DIR / "lambda_function.py", out / "lambda_function.py")
    return Bundle(out, [f"{d.metadata['Name']}=={d.version}" for d in dists])


def baseline_bundle(out: Path) -> Bundle:
    dists = dependency_closure(BASELINE_REQUIREMENTS)
    for dist in dists:
        _copy_distribution(dist, out)
    shutil.copy2(BASELINE_DIR / "lambda_function.py", out / "lambda_function.py")
    return Bundle(out, [f"{d.metadata['Name']}=={d.version}" for d in dists])


def lambda_runtime(out: Path) -> Path:
    """What the Lambda Python runtime puts on sys.path after the bundle: boto3 and its
    dependencies (symlinks into this venv, whose .pyc are kept, as the runtime's are)."""
    out.mkdir(parents=True, exist_ok=True)
    for dist in dependency_closure(["boto3"], exclude=frozenset()):
        tops = {
            file.parts[0]
            for file in dist.files or []
            if file.parts[0] != ".." and not file.parts[0].endswith(".dist-info")
        }
        for top in tops - {"__pycache__"}:
            source = Path(str(dist.locate_file(top)))
            if source.exists() and not (out / top).exists():
                (out / top).symlink_to(source)
    return out


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
