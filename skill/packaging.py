"""Deployment packaging. Stdlib only: it runs before anything else is installed.

- `build_lambda_bundle(out)`: the Lambda code for `sam build` (lambda/Makefile runs
  `python -m skill.packaging bundle $ARTIFACTS_DIR`). The `[project] dependencies` of
  pyproject.toml are installed as wheels for the function's platform (the `Runtime` and
  `Architectures` of template.yaml), minus what the Lambda Python runtime already ships
  (boto3 and its dependencies); then the `skill` package, `lambda/lambda_function.py`
  and `lambda/relay_function.py` are copied next to them, and everything is compiled
  by a Python of the runtime's own version (found, or named by STEADY_LAMBDA_PYTHON);
  any other Python stops the build.
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
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_NAME = "template.yaml"

# What the function in template.yaml runs on is read from the template itself
# (`Runtime: python3.N`, `Architectures: [arm64]`), so the bundle cannot drift from it.
PLATFORMS_BY_ARCHITECTURE = {
    # Amazon Linux 2023 (glibc 2.34), the OS of the python3.12+ runtimes.
    "arm64": ("manylinux_2_28_aarch64", "manylinux2014_aarch64"),
    "x86_64": ("manylinux_2_28_x86_64", "manylinux2014_x86_64"),
}
# pip 23.2 (what Python 3.11.7 and 3.12.1 bundle) refuses --platform/--abi without
# --target, even for --dry-run; the build environment gets a pip at least this new.
BUILD_PIP = "pip>=24.1"
# An interpreter of the runtime's version, when it is not on PATH as python3.N.
PYTHON_ENV_VAR = "STEADY_LAMBDA_PYTHON"
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


@dataclass(frozen=True)
class FunctionTarget:
    """What template.yaml says the function runs on."""

    python_version: str  # "3.12"
    architecture: str  # "arm64"

    @property
    def runtime(self) -> str:
        return f"python{self.python_version}"

    @property
    def platforms(self) -> tuple[str, ...]:
        return PLATFORMS_BY_ARCHITECTURE[self.architecture]


_RUNTIME_LINE = re.compile(r"^\s+Runtime:\s*python(3\.\d+)\s*(?:#.*)?$", re.MULTILINE)
_ARCHITECTURES_LINE = re.compile(
    r"^\s+Architectures:\s*\[\s*(arm64|x86_64)\s*\]\s*(?:#.*)?$", re.MULTILINE
)


def function_target(template: Path) -> FunctionTarget:
    """The one `Runtime: python3.N` and `Architectures: [...]` of template.yaml (read
    as text: this module runs before anything that parses YAML is installed)."""
    text = template.read_text(encoding="utf-8")
    runtimes = sorted(set(_RUNTIME_LINE.findall(text)))
    architectures = sorted(set(_ARCHITECTURES_LINE.findall(text)))
    if len(runtimes) != 1 or len(architectures) != 1:
        raise PackagingError(
            f"{template}: expected one literal `Runtime: python3.N` and one "
            f"`Architectures: [arm64|x86_64]`, found runtimes {runtimes} and "
            f"architectures {architectures}"
        )
    return FunctionTarget(runtimes[0], architectures[0])


@dataclass(frozen=True)
class Interpreter:
    """A Python that can write the bundle's bytecode."""

    path: str
    version: str  # "3.12"
    cache_tag: str  # "cpython-312": the name part of its __pycache__ files
    magic: bytes  # importlib.util.MAGIC_NUMBER: the first 4 bytes of its .pyc


_PROBE = (
    "import importlib.util, json, sys; print(json.dumps({"
    "'version': '%d.%d' % sys.version_info[:2], "
    "'cache_tag': sys.implementation.cache_tag, "
    "'magic': importlib.util.MAGIC_NUMBER.hex()}))"
)


def probe_interpreter(python: str) -> Interpreter | None:
    """What `python` is, or None when it does not run (a pyenv shim of a version that
    is not selected fails here too)."""
    try:
        done = subprocess.run(  # noqa: S603
            [python, "-c", _PROBE], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    try:
        found = json.loads(done.stdout)
        return Interpreter(
            python, found["version"], found["cache_tag"], bytes.fromhex(found["magic"])
        )
    except (ValueError, KeyError, TypeError):
        return None


def _candidates(version: str) -> list[str]:
    """Where a Python of `version` usually is: PATH, pyenv, uv's managed Pythons and
    the system's own directories."""
    name = f"python{version}"
    found: list[str] = []
    on_path = shutil.which(name)
    if on_path:
        found.append(on_path)
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    pyenv = sorted(
        (pyenv_root / "versions").glob(f"{version}.*/bin/{name}"),
        key=lambda p: [int(x) if x.isdigit() else -1 for x in p.parts[-3].split(".")],
        reverse=True,
    )
    found += [str(p) for p in pyenv]
    uv_root = Path(
        os.environ.get("UV_PYTHON_INSTALL_DIR") or Path.home() / ".local/share/uv/python"
    )
    found += [str(p) for p in sorted(uv_root.glob(f"cpython-{version}.*/bin/{name}"), reverse=True)]
    found += [f"/usr/local/bin/{name}", f"/usr/bin/{name}"]
    return list(dict.fromkeys(found))


def find_interpreter(target: FunctionTarget, env: Mapping[str, str] = os.environ) -> Interpreter:
    """A Python of the template's runtime version: $STEADY_LAMBDA_PYTHON if set (and it
    must be that version), else the first that runs of python3.N on PATH, pyenv's, uv's
    and the system's. Raises PackagingError with a one-line reason otherwise."""
    chosen = env.get(PYTHON_ENV_VAR)
    if chosen:
        found = probe_interpreter(chosen)
        if found is None:
            raise PackagingError(f"{PYTHON_ENV_VAR}={chosen} does not run")
        return check_interpreter(found, target)
    for candidate in _candidates(target.python_version):
        found = probe_interpreter(candidate)
        if found is not None and found.version == target.python_version:
            return found
    raise PackagingError(
        f"template.yaml's Runtime is {target.runtime} but no Python {target.python_version} "
        f"was found to build with: install one (pyenv install {target.python_version}, "
        f"uv python install {target.python_version}, or apt install "
        f"python{target.python_version}-venv) or set {PYTHON_ENV_VAR}=/path/to/"
        f"python{target.python_version}"
    )


def check_interpreter(found: Interpreter, target: FunctionTarget) -> Interpreter:
    """`found`, if it is the runtime's version; else the one-line reason to stop."""
    if found.version != target.python_version:
        raise PackagingError(
            f"template.yaml's Runtime is {target.runtime} but the build interpreter "
            f"{found.path} is Python {found.version}: its .pyc would never be used by "
            f"Lambda, so no bundle was built (set {PYTHON_ENV_VAR} to a Python "
            f"{target.python_version}, or change the Runtime)"
        )
    return found


def build_environment(interpreter: Interpreter, env_dir: Path) -> str:
    """A virtualenv of `interpreter` with a pip new enough for the platform options
    (made once, reused while its interpreter and pip floor are the same). Returns its
    python."""
    python = env_dir / "bin" / "python"
    stamp = env_dir / ".steady-build-env"
    wanted = f"{interpreter.path}\n{interpreter.version}\n{BUILD_PIP}\n"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted and python.exists():
        return str(python)
    shutil.rmtree(env_dir, ignore_errors=True)
    env_dir.parent.mkdir(parents=True, exist_ok=True)
    made = subprocess.run(  # noqa: S603
        [interpreter.path, "-m", "venv", str(env_dir)], capture_output=True, text=True, check=False
    )
    if made.returncode != 0:
        raise PackagingError(f"python{interpreter.version} -m venv failed: {made.stderr[-500:]}")
    _pip(str(python), ["install", "--quiet", "--upgrade", BUILD_PIP])
    stamp.write_text(wanted, encoding="utf-8")
    return str(python)


def _platform_args(target: FunctionTarget) -> list[str]:
    args = ["--only-binary=:all:", "--implementation", "cp"]
    args += ["--python-version", target.python_version]
    for platform in target.platforms:
        args += ["--platform", platform]
    return args


def _pip(python: str, args: Sequence[str]) -> None:
    command = [python, "-m", "pip", "--disable-pip-version-check", "--no-input", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise PackagingError(f"pip {args[0]} failed:\n{result.stderr[-3000:]}")


def resolve_pins(
    requirements: Sequence[str], target: FunctionTarget, *, python: str = sys.executable
) -> list[Pin]:
    """Every distribution `requirements` need on the function's platform (pip's
    resolver). `--target` as well as `--dry-run`, so that any pip takes the platform
    options."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        _pip(
            python,
            [
                "install",
                "--dry-run",
                "--ignore-installed",
                "--quiet",
                "--target",
                str(Path(tmp) / "unused"),
                "--report",
                str(report),
                *_platform_args(target),
                *requirements,
            ],
        )
        installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    return sorted(Pin(i["metadata"]["name"], i["metadata"]["version"]) for i in installs)


def bundled_pins(pins: Iterable[Pin]) -> list[Pin]:
    """`pins` without what the Lambda runtime already provides."""
    return [pin for pin in pins if normalize_name(pin.name) not in RUNTIME_PROVIDED]


def build_lambda_bundle(
    out: Path,
    *,
    source_root: Path = REPO_ROOT,
    python: str | None = None,
    architecture: str | None = None,
    env_dir: Path | None = None,
    requirements: Sequence[str] | None = None,
    handler: Path | None = None,
    include_skill: bool = True,
) -> Path:
    """Write the unzipped Lambda code bundle into `out` (absent or empty); return its path.

    The build runs with a Python of the template's runtime version (`python`, else
    found: `find_interpreter`), in its own virtualenv (`env_dir`, default
    build/lambda-python3.N) with a current pip, and every module of the bundle gets a
    .pyc of that version; anything else stops the build with PackagingError.
    `architecture` (default the template's), `requirements` (default the `[project]
    dependencies`), `handler` and `include_skill` exist for the benchmark's bundles."""
    template = function_target(source_root / TEMPLATE_NAME)
    target = FunctionTarget(template.python_version, architecture or template.architecture)
    if python is not None:
        probed = probe_interpreter(python)
        if probed is None:
            raise PackagingError(f"the build interpreter {python} does not run")
        interpreter = check_interpreter(probed, target)
    else:
        interpreter = find_interpreter(target)
    out = out.resolve()
    if out.exists() and any(out.iterdir()):
        raise PackagingError(f"{out} is not empty")
    build_python = build_environment(
        interpreter, env_dir or source_root / "build" / f"lambda-{target.runtime}"
    )
    out.mkdir(parents=True, exist_ok=True)
    wanted = (
        list(requirements)
        if requirements is not None
        else runtime_requirements(source_root / "pyproject.toml")
    )
    resolved = resolve_pins(wanted, target, python=build_python)
    pins = bundled_pins(resolved)
    _pip(
        build_python,
        [
            "install",
            "--no-deps",
            "--no-compile",  # compiled below, with hash-checked .pyc
            "--quiet",
            "--target",
            str(out),
            *_platform_args(target),
            *(pin.requirement for pin in pins),
        ],
    )
    shutil.rmtree(out / "bin", ignore_errors=True)  # console scripts of the dependencies
    if include_skill:
        shutil.copytree(source_root / "skill", out / "skill", ignore=_SOURCE_IGNORE)
        write_botocore_data(out, resolved, python=build_python)
    shutil.copy2(
        handler or source_root / "lambda" / "lambda_function.py", out / "lambda_function.py"
    )
    if handler is None:
        # The relay's entry point (template.yaml: RelayFunction ships this same bundle).
        shutil.copy2(source_root / "lambda" / "relay_function.py", out / "relay_function.py")
    compile_bytecode(out, python=build_python)
    missing = missing_bytecode(out, interpreter)
    if missing:
        raise PackagingError(
            f"{len(missing)} module(s) have no {interpreter.cache_tag} .pyc, e.g. {missing[0]}"
        )
    return out


def write_botocore_data(out: Path, pins: Iterable[Pin], *, python: str) -> Path:
    """The lean botocore data the bundle's clients read (skill.store.botocore_data),
    taken from the wheel of the botocore release the bundle was resolved against (the
    runtime provides botocore's code, and uses the copy only if it is that release or
    newer)."""
    from skill.store import botocore_data

    version = next((p.version for p in pins if normalize_name(p.name) == "botocore"), None)
    if version is None:
        raise PackagingError("the resolved dependencies have no botocore")
    target = out / "skill" / "store" / botocore_data.DATA_DIR.name
    with tempfile.TemporaryDirectory() as tmp:
        wanted = f"botocore=={version}"
        _pip(python, ["download", "--no-deps", "--only-binary=:all:", "-q", "-d", tmp, wanted])
        wheel = next(Path(tmp).glob("botocore-*.whl"), None)
        if wheel is None:
            raise PackagingError(f"pip download {wanted} left no wheel")
        with zipfile.ZipFile(wheel) as archive:
            try:
                botocore_data.write_lean_data(
                    zipfile.Path(archive, "botocore/data/"), target, botocore_version=version
                )
            except (KeyError, ValueError) as error:
                raise PackagingError(f"botocore {version}: {error}") from error
    return target


def compile_bytecode(out: Path, *, python: str) -> None:
    """Ship .pyc: Lambda's code directory is read-only, so without them every cold
    start compiles every module again. Hash-checked .pyc do not depend on the zip's
    file times, and `python` must be of the runtime's version (build_lambda_bundle
    checks)."""
    command = [python, "-m", "compileall", "-q", "-j", "0"]
    command += ["--invalidation-mode", "unchecked-hash", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise PackagingError(f"compileall failed: {(done.stdout + done.stderr)[-1000:]}")


def missing_bytecode(out: Path, interpreter: Interpreter) -> list[str]:
    """The .py files under `out` without a `__pycache__/<name>.<cache tag>.pyc` that
    starts with `interpreter`'s magic number (relative paths)."""
    missing = []
    for source in sorted(out.rglob("*.py")):
        cached = source.parent / "__pycache__" / f"{source.stem}.{interpreter.cache_tag}.pyc"
        try:
            with cached.open("rb") as handle:
                ok = handle.read(4) == interpreter.magic
        except OSError:
            ok = False
        if not ok:
            missing.append(str(source.relative_to(out)))
    return missing


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
    bundle.add_argument(
        "--python",
        help=f"a Python of the template's runtime version (default: ${PYTHON_ENV_VAR}, "
        "else found on PATH, pyenv, uv or the system)",
    )
    project = commands.add_parser("ask-project", help="write the ASK CLI v2 skill project")
    project.add_argument("out", type=Path, nargs="?", default=Path("build/ask-project"))
    project.add_argument("--lambda-arn", help="skill endpoint (default: env STEADY_LAMBDA_ARN)")
    args = parser.parse_args(argv)
    if args.command == "ask-project":
        return write_ask_project(args.out, lambda_arn=args.lambda_arn)
    try:
        out = build_lambda_bundle(args.out, python=args.python)
    except (OSError, PackagingError) as exc:
        print(f"bundle: {exc}", file=sys.stderr)  # the reason first, pip's output after it
        return 1
    print(f"Lambda bundle in {out}: {directory_size(out) / 1e6:.1f} MB unzipped, .pyc included")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
