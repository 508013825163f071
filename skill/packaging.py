"""Deployment packaging. Stdlib only: it runs before anything else is installed.

- `build_lambda_bundle(out)`: the Lambda code for `sam build` (lambda/Makefile runs
  `python -m skill.packaging bundle $ARTIFACTS_DIR`). The `[project] dependencies` of
  pyproject.toml are installed as wheels for the function's platform (python3.12, arm64),
  minus what the Lambda Python runtime already ships (boto3 and its dependencies); then
  the `skill` package and `lambda/lambda_function.py` are copied next to them.
- `write_ask_project(out)`: an ASK CLI v2 project for `ask deploy` (`steady package`):
  `ask-resources.json`, `skill-package/skill.json` and one
  `skill-package/interactionModels/custom/<locale>.json` per interaction model present.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent

# The function in template.yaml: python3.12 on arm64 (Amazon Linux 2023, glibc 2.34).
LAMBDA_PYTHON_VERSION = "3.12"
LAMBDA_PLATFORMS = ("manylinux_2_28_aarch64", "manylinux2014_aarch64")
# Shipped by the Lambda Python runtime. A second copy only adds size, and a newer urllib3
# than the runtime's botocore expects would shadow the runtime's own.
RUNTIME_PROVIDED = frozenset({"boto3", "botocore", "s3transfer", "jmespath", "urllib3"})
_SOURCE_IGNORE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.pyo", ".mypy_cache", ".pytest_cache", ".ruff_cache"
)

MODEL_FILE = re.compile(r"^(?P<locale>[a-z]{2}-[A-Z]{2})\.json$")
MANIFEST_FILE = "skill.json"
ENDPOINT_PLACEHOLDER = "{{STEADY_LAMBDA_ARN}}"
LAMBDA_ARN = re.compile(
    r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$"
)
ASK_RESOURCES_VERSION = "2020-03-31"
# Skill metadata only: the function is deployed by SAM, so no `code` and no
# `skillInfrastructure` (ask deploy skips both when they are absent).
ASK_RESOURCES: dict[str, Any] = {
    "askcliResourcesVersion": ASK_RESOURCES_VERSION,
    "profiles": {"default": {"skillMetadata": {"src": "./skill-package"}}},
}


class PackagingError(Exception):
    """A Lambda bundle or a skill project could not be produced."""


# ------------------------------------------------------------------------ Lambda bundle


@dataclass(frozen=True, order=True)
class Pin:
    """One distribution at an exact version."""

    name: str
    version: str

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"


def normalize_name(name: str) -> str:
    """PEP 503 normalized distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_requirements(pyproject: Path) -> list[str]:
    """The `[project] dependencies` of a pyproject.toml: what the skill needs at run time."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    dependencies = project.get("dependencies")
    if not isinstance(dependencies, list) or not all(isinstance(d, str) for d in dependencies):
        raise PackagingError(f"{pyproject}: [project] dependencies must be a list of strings")
    return list(dependencies)


def _platform_args() -> list[str]:
    args = ["--only-binary=:all:", "--implementation", "cp"]
    args += ["--python-version", LAMBDA_PYTHON_VERSION]
    for platform in LAMBDA_PLATFORMS:
        args += ["--platform", platform]
    return args


def _pip(python: str, args: Sequence[str]) -> None:
    command = [python, "-m", "pip", "--disable-pip-version-check", "--no-input", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise PackagingError(f"pip {args[0]} failed:\n{result.stderr[-3000:]}")


def resolve_pins(requirements: Sequence[str], *, python: str = sys.executable) -> list[Pin]:
    """Every distribution `requirements` need on the Lambda platform (pip's resolver)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        _pip(
            python,
            [
                "install",
                "--dry-run",
                "--ignore-installed",
                "--quiet",
                "--report",
                str(report),
                *_platform_args(),
                *requirements,
            ],
        )
        installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    return sorted(Pin(i["metadata"]["name"], i["metadata"]["version"]) for i in installs)


def bundled_pins(pins: Iterable[Pin]) -> list[Pin]:
    """`pins` without what the Lambda runtime already provides."""
    return [pin for pin in pins if normalize_name(pin.name) not in RUNTIME_PROVIDED]


def build_lambda_bundle(
    out: Path, *, source_root: Path = REPO_ROOT, python: str = sys.executable
) -> Path:
    """Write the unzipped Lambda code bundle into `out` (absent or empty); return its path."""
    out = out.resolve()
    if out.exists() and any(out.iterdir()):
        raise PackagingError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    requirements = runtime_requirements(source_root / "pyproject.toml")
    pins = bundled_pins(resolve_pins(requirements, python=python))
    _pip(
        python,
        [
            "install",
            "--no-deps",
            "--no-compile",  # .pyc from the build machine's Python would not be used
            "--quiet",
            "--target",
            str(out),
            *_platform_args(),
            *(pin.requirement for pin in pins),
        ],
    )
    shutil.rmtree(out / "bin", ignore_errors=True)  # console scripts of the dependencies
    shutil.copytree(source_root / "skill", out / "skill", ignore=_SOURCE_IGNORE)
    shutil.copy2(source_root / "lambda" / "lambda_function.py", out / "lambda_function.py")
    compile_bytecode(out, python=python)
    return out


def compile_bytecode(out: Path, *, python: str = sys.executable) -> bool:
    """Ship .pyc: Lambda's code directory is read-only, so without them every cold
    start compiles every module again. Only an interpreter of the function's own
    version can write them; hash-checked .pyc do not depend on the zip's file times.
    Returns False (and compiles nothing) for any other interpreter."""
    version = subprocess.run(  # noqa: S603
        [python, "-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if version != LAMBDA_PYTHON_VERSION:
        print(
            f"note: Python {version} is not the function's {LAMBDA_PYTHON_VERSION}; "
            "the bundle ships without .pyc (cold starts compile them)",
            file=sys.stderr,
        )
        return False
    command = [python, "-m", "compileall", "-q", "-j", "0"]
    command += ["--invalidation-mode", "unchecked-hash", str(out)]
    subprocess.run(command, check=True)  # noqa: S603
    return True


def directory_size(path: Path) -> int:
    """Total size in bytes of the regular files under `path`."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


# ------------------------------------------------------------------------ ASK project


def model_files(models_dir: Path) -> dict[str, Path]:
    """Interaction model files (`<locale>.json`) in `models_dir`, by locale."""
    return {
        match["locale"]: path
        for path in sorted(models_dir.glob("*.json"))
        if (match := MODEL_FILE.match(path.name))
    }


def _load_json_object(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise PackagingError(f"{path}: expected a JSON object")
    return data


def build_manifest(
    manifest: Mapping[str, Any],
    locales: Sequence[str],
    *,
    lambda_arn: str | None,
    privacy_policy_url: str | None = None,
    terms_of_use_url: str | None = None,
) -> dict[str, Any]:
    """The skill.json to deploy: only `locales`, the endpoint filled in (or left out)."""
    result = copy.deepcopy(dict(manifest))
    body = result["manifest"]
    publishing = body["publishingInformation"]
    privacy = body["privacyAndCompliance"]
    missing = [loc for loc in locales if loc not in publishing["locales"]]
    missing += [loc for loc in locales if loc not in privacy["locales"]]
    if missing:
        raise PackagingError(f"{MANIFEST_FILE} has no entry for locale(s) {sorted(set(missing))}")
    publishing["locales"] = {loc: publishing["locales"][loc] for loc in locales}
    privacy["locales"] = {loc: privacy["locales"][loc] for loc in locales}
    publishing["isAvailableWorldwide"] = False
    publishing["distributionCountries"] = sorted({loc.split("-")[1] for loc in locales})
    for entry in privacy["locales"].values():
        if privacy_policy_url:
            entry["privacyPolicyUrl"] = privacy_policy_url
        if terms_of_use_url:
            entry["termsOfUseUrl"] = terms_of_use_url
    custom = body["apis"]["custom"]
    if lambda_arn:
        custom["endpoint"] = {"uri": lambda_arn}
        if "events" in body:
            body["events"]["endpoint"] = {"uri": lambda_arn}
    else:
        # First deploy, before the function exists: the skill is created without an
        # endpoint (and without event subscriptions, which need one).
        if custom.get("endpoint", {}).get("uri") == ENDPOINT_PLACEHOLDER:
            del custom["endpoint"]
        if body.get("events", {}).get("endpoint", {}).get("uri") == ENDPOINT_PLACEHOLDER:
            del body["events"]
    return result


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _https_or_none(value: str | None, name: str) -> str | None:
    if value and not value.startswith("https://"):
        raise PackagingError(f"{name} must be an https:// URL")
    return value or None


def write_ask_project(
    out: Path,
    *,
    lambda_arn: str | None = None,
    source_root: Path = REPO_ROOT,
    env: Mapping[str, str] = os.environ,
) -> int:
    """Write an ASK CLI v2 project into `out`; print what was written. Returns an exit code.

    The endpoint is `lambda_arn`, else env STEADY_LAMBDA_ARN (the stack output
    SkillEndpointArn); without either the skill is packaged without an endpoint. Env
    STEADY_PRIVACY_POLICY_URL / STEADY_TERMS_OF_USE_URL replace the manifest's URLs, and
    STEADY_SKILL_ID seeds `.ask/ask-states.json` (never overwritten) for an existing skill.
    """
    models_dir = source_root / "interaction_models"
    try:
        models = model_files(models_dir)
        if not models:
            raise PackagingError(f"no interaction model (<locale>.json) in {models_dir}")
        arn = lambda_arn or env.get("STEADY_LAMBDA_ARN") or None
        if arn is not None and not LAMBDA_ARN.match(arn):
            raise PackagingError(f"not a Lambda function ARN: {arn!r}")
        manifest = build_manifest(
            _load_json_object(models_dir / MANIFEST_FILE),
            list(models),
            lambda_arn=arn,
            privacy_policy_url=_https_or_none(
                env.get("STEADY_PRIVACY_POLICY_URL"), "STEADY_PRIVACY_POLICY_URL"
            ),
            terms_of_use_url=_https_or_none(
                env.get("STEADY_TERMS_OF_USE_URL"), "STEADY_TERMS_OF_USE_URL"
            ),
        )
        model_data = {locale: _load_json_object(path) for locale, path in models.items()}
    except (OSError, ValueError, KeyError, PackagingError) as exc:
        print(f"steady package: {exc}", file=sys.stderr)
        return 1

    written: list[Path] = []
    _write_json(out / "ask-resources.json", ASK_RESOURCES)
    written.append(out / "ask-resources.json")
    package = out / "skill-package"
    _write_json(package / MANIFEST_FILE, manifest)
    written.append(package / MANIFEST_FILE)
    custom_dir = package / "interactionModels" / "custom"
    custom_dir.mkdir(parents=True, exist_ok=True)
    for stale in custom_dir.glob("*.json"):
        if stale.stem not in model_data:
            stale.unlink()
    for locale, data in model_data.items():
        _write_json(custom_dir / f"{locale}.json", data)
        written.append(custom_dir / f"{locale}.json")
    states = out / ".ask" / "ask-states.json"
    skill_id = env.get("STEADY_SKILL_ID")
    if skill_id and not states.exists():
        states_data = {
            "askcliStatesVersion": ASK_RESOURCES_VERSION,
            "profiles": {"default": {"skillId": skill_id}},
        }
        _write_json(states, states_data)
        written.append(states)

    for path in written:
        print(f"wrote {path}")
    print(f"locales: {', '.join(model_data)}")
    if arn:
        print(f"endpoint: {arn}")
    else:
        print("endpoint: none yet (set STEADY_LAMBDA_ARN to the stack output SkillEndpointArn)")
    print(f"next: cd {out} && ask deploy")
    return 0


# ------------------------------------------------------------------------ entry point


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skill.packaging")
    commands = parser.add_subparsers(dest="command", required=True)
    bundle = commands.add_parser("bundle", help="build the Lambda code bundle (sam build)")
    bundle.add_argument("out", type=Path)
    project = commands.add_parser("ask-project", help="write the ASK CLI v2 skill project")
    project.add_argument("out", type=Path, nargs="?", default=Path("build/ask-project"))
    project.add_argument("--lambda-arn", help="skill endpoint (default: env STEADY_LAMBDA_ARN)")
    args = parser.parse_args(argv)
    if args.command == "ask-project":
        return write_ask_project(args.out, lambda_arn=args.lambda_arn)
    try:
        out = build_lambda_bundle(args.out)
    except (OSError, PackagingError) as exc:
        print(f"bundle: {exc}", file=sys.stderr)
        return 1
    print(f"Lambda bundle in {out}: {directory_size(out) / 1e6:.1f} MB unzipped")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
