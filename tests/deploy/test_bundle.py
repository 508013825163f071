"""The Lambda bundle `sam build` ships: runtime dependencies only, small, compiled for
the template's runtime, and `lambda_function` imports with nothing but the bundle and
what the Lambda runtime has, from its .pyc. Real turns answered from the bundle import
no build-time code (the audio build, the chat, packaging, the web service) and none of
their libraries.

Builds the bundle once with pip (local cache or the package index), with a Python of
the template's runtime version; skipped when pip cannot reach an index or no such
Python is on this machine. The mismatch tests need neither.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from skill.chat import envelopes
from skill.packaging import (
    RUNTIME_PROVIDED,
    FunctionTarget,
    Interpreter,
    PackagingError,
    build_lambda_bundle,
    directory_size,
    find_interpreter,
    function_target,
    missing_bytecode,
)
from tests.dialog.harness import assert_valid_response
from tests.fixtures.moto_server import DynamoTable

from .support import ROOT, TEMPLATE

MAX_UNZIPPED_BYTES = 20_000_000  # measured 5.9 MB; Lambda allows 250 MB
NEVER_BUNDLED = {
    "pydub",
    "imageio",
    "imageio_ffmpeg",
    "flask",
    "werkzeug",
    "waitress",
    "cryptography",
    "moto",
    "pytest",
    "hypothesis",
    "mypy",
    "ruff",
    "cfnlint",
    "samtranslator",
    *(name.replace("-", "_") for name in RUNTIME_PROVIDED),
}
OFFLINE_SIGNS = ("No matching distribution", "Could not find a version", "NewConnectionError")


@pytest.fixture(scope="module")
def target() -> FunctionTarget:
    return function_target(TEMPLATE)


@pytest.fixture(scope="module")
def interpreter(target: FunctionTarget) -> Interpreter:
    try:
        return find_interpreter(target)
    except PackagingError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, interpreter: Interpreter) -> Path:
    try:
        return build_lambda_bundle(
            tmp_path_factory.mktemp("bundle") / "code", python=interpreter.path
        )
    except PackagingError as exc:
        if any(sign in str(exc) for sign in OFFLINE_SIGNS):
            pytest.skip(f"pip cannot reach a package index: {str(exc)[-200:]}")
        raise


def _top_level_names(bundle: Path) -> set[str]:
    names = {p.name.split("-")[0].lower() for p in bundle.iterdir()}
    return {name.removesuffix(".py") for name in names}


@pytest.mark.slow
def test_bundle_holds_the_runtime_dependencies_and_the_skill(bundle: Path) -> None:
    names = _top_level_names(bundle)
    assert {"ask_sdk_core", "ask_sdk_model", "ask_sdk_runtime", "pynamodb"} <= names
    assert (bundle / "lambda_function.py").read_bytes() == (
        ROOT / "lambda" / "lambda_function.py"
    ).read_bytes()
    assert (bundle / "relay_function.py").read_bytes() == (
        ROOT / "lambda" / "relay_function.py"
    ).read_bytes()
    assert (bundle / "skill" / "__init__.py").is_file()


@pytest.mark.slow
def test_every_module_has_bytecode_for_the_runtime(
    bundle: Path, interpreter: Interpreter, target: FunctionTarget
) -> None:
    """Each .py has a __pycache__ .pyc whose magic number is the runtime's, read from the
    interpreter itself, and nothing compiled for another version is left behind."""
    assert interpreter.version == target.python_version
    magic = subprocess.run(
        [interpreter.path, "-c", "import importlib.util; print(importlib.util.MAGIC_NUMBER.hex())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    sources = sorted(bundle.rglob("*.py"))
    assert len(sources) > 500
    for source in sources:
        cached = source.parent / "__pycache__" / f"{source.stem}.{interpreter.cache_tag}.pyc"
        assert cached.is_file(), source
        assert cached.read_bytes()[:4].hex() == magic, cached
    assert missing_bytecode(bundle, interpreter) == []
    others = [p for p in bundle.rglob("*.pyc") if f".{interpreter.cache_tag}." not in p.name]
    assert others == []


@pytest.mark.slow
def test_bundle_has_no_dev_audio_web_or_runtime_provided_packages(bundle: Path) -> None:
    assert _top_level_names(bundle) & NEVER_BUNDLED == set()


@pytest.mark.slow
def test_bundle_size(bundle: Path) -> None:
    size = directory_size(bundle)
    print(f"\nLambda bundle: {size / 1e6:.1f} MB unzipped ({size} bytes)")
    assert size < MAX_UNZIPPED_BYTES


def _simulated_runtime(bundle: Path, tmp_path: Path, **env: str) -> dict[str, str]:
    """No site-packages: only the bundle plus the runtime's own boto3 and its dependencies."""
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    site_packages = Path(sysconfig.get_paths()["purelib"])
    for name in RUNTIME_PROVIDED:
        (runtime / name).symlink_to(site_packages / name)
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(bundle), str(runtime)]),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "STEADY_TABLE": "steady-test",
        "STEADY_DATA_DIR": str(tmp_path / "data"),
        "PYTHONDONTWRITEBYTECODE": "1",  # the runtime's boto3 is this venv's: leave it be
        **env,
    }


def _run_in_runtime(
    interpreter: Interpreter, args: list[str], env: dict[str, str], cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [interpreter.path, "-S", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.mark.slow
def test_lambda_function_imports_in_a_simulated_runtime(
    bundle: Path, interpreter: Interpreter, tmp_path: Path
) -> None:
    """No site-packages: only the bundle plus the runtime's own boto3 and its dependencies,
    run by the runtime's Python version; every module of the bundle it imports comes from
    its shipped .pyc (`-v` says "matches" for each), none is compiled."""
    check = (
        "import sys, lambda_function; "
        "assert callable(lambda_function.lambda_handler); "
        "assert not [m for m in sys.modules if m.split('.')[0] in {'flask', 'pydub', 'moto'}]"
    )
    env = _simulated_runtime(bundle, tmp_path)
    result = _run_in_runtime(interpreter, ["-v", "-c", check], env, tmp_path)
    prefix = f"# {bundle}/"
    from_source = [
        line
        for line in result.stderr.splitlines()
        if line.startswith("# code object from ") and str(bundle) in line and ".py'" in line
    ]
    used_pyc = [line for line in result.stderr.splitlines() if line.startswith(prefix)]
    assert from_source == []
    assert len([line for line in used_pyc if " matches " in line]) > 100


@pytest.mark.slow
def test_relay_function_imports_in_a_simulated_runtime_without_the_skill_sdk(
    bundle: Path, interpreter: Interpreter, tmp_path: Path
) -> None:
    """The relay's entry point: the store and its client only (no ask_sdk, no turn)."""
    check = (
        "import sys, relay_function; "
        "assert callable(relay_function.lambda_handler); "
        "loaded = [m for m in sys.modules if m.split('.')[0] in "
        "{'ask_sdk_core', 'ask_sdk_model', 'flask', 'moto'} or m == 'skill.app']; "
        "assert not loaded, loaded"
    )
    env = _simulated_runtime(bundle, tmp_path)
    result = _run_in_runtime(interpreter, ["-c", check], env, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]


# What a Lambda turn must never import: the skill's build-time and local tools, and
# the libraries only they use.
BUILD_TIME_MODULES = (
    "skill.audio_build",
    "skill.chat",
    "skill.packaging",
    "skill.web",
    "skill.cli",
)
BUILD_TIME_LIBRARIES = frozenset(
    {"pydub", "imageio_ffmpeg", "flask", "werkzeug", "waitress", "cryptography", "moto", "boto3"}
)

# One household's first evening, each request in the session the last answer left.
TURNS_RUNNER = """
import json, os, sys
data_read = []
def audit(event, args):
    if event in ("open", "os.listdir") and args and "botocore" in str(args[0]):
        data_read.append(os.fspath(args[0]) if args[0] is not None else "")
sys.addaudithook(audit)
from lambda_function import lambda_handler
answers, attributes = [], {}
for event in json.load(sys.stdin):
    if "session" in event and not event["session"]["new"]:
        event["session"]["attributes"] = attributes
    answer = lambda_handler(event, None)
    answers.append(answer)
    ended = answer["response"].get("shouldEndSession") is not False
    attributes = {} if ended else answer.get("sessionAttributes", {})
print(json.dumps({"answers": answers, "modules": sorted(sys.modules), "botocore_data": data_read}))
"""


def _first_evening() -> list[dict[str, Any]]:
    def said(intent: str, new: bool = False, **slots: str) -> dict[str, Any]:
        return envelopes.intent_request(intent, dict(slots), new_session=new, apl=True)

    return [
        envelopes.launch_request(apl=True),
        said("CoupleNamesIntent", first_name="Alex", second_name="Sam"),
        said("AMAZON.YesIntent"),
        said("SilentSyncIntent", breaths="3"),
        said("AMAZON.NoIntent"),
        said("CheckInIntent", new=True),
        said("FeelingIntent", feeling="tired"),
        said("NeedIntent", need="a quiet hour"),
        said("AMAZON.HelpIntent"),
        said("FeelingIntent", feeling="hopeful"),
        said("NeedIntent", need="a walk together"),
        said("SetRepairWordIntent", new=True),
        said("RepairPhraseIntent", phrase="pineapple"),
        said("AMAZON.StopIntent"),
        said("TrustBalanceIntent", new=True),
        said("HistoryNeedIntent", new=True, partner="Alex"),
    ]


@pytest.mark.slow
def test_real_turns_import_no_build_time_code(
    bundle: Path, interpreter: Interpreter, tmp_path: Path, dynamo_table: DynamoTable
) -> None:
    """A fresh process answers a first evening from the bundle, on DynamoDB: not one
    module of the audio build, the chat or the web service is imported."""
    env = _simulated_runtime(
        bundle,
        tmp_path,
        STEADY_TABLE=dynamo_table.name,
        STEADY_DYNAMODB_ENDPOINT=dynamo_table.endpoint,
        STEADY_USER_ID_SECRET="bundle-test-secret",
        STEADY_LOG_LEVEL="WARNING",
        STEADY_ALEXA_API="off",
    )
    stdin = json.dumps(_first_evening())
    out = _run_in_runtime(interpreter, ["-c", TURNS_RUNNER], env, tmp_path, stdin=stdin).stdout
    ran = json.loads(out)
    answers: list[dict[str, Any]] = ran["answers"]
    for answer in answers:
        assert_valid_response(answer)
    speech = [a["response"].get("outputSpeech", {}).get("ssml", "") for a in answers]
    assert "Alex" in speech[2] and speech[3].count(">in<") == 3
    assert "a walk together" in speech[10] and "pineapple" in speech[12]
    assert "quiet hour" in speech[15]
    modules: list[str] = ran["modules"]
    assert "skill.practices.check_in" in modules and "skill.store.dynamo" in modules
    build_time = [m for m in modules if m.startswith(BUILD_TIME_MODULES) or m in BUILD_TIME_MODULES]
    assert build_time == []
    assert {m.split(".")[0] for m in modules} & BUILD_TIME_LIBRARIES == set()
    # The store's client was made from the bundle's lean botocore data alone: botocore's
    # own data tree (its 1.2 MB endpoints.json, its ~450 service folders) never read.
    lean = bundle / "skill" / "store" / "botocore_data"
    data_files = [
        path
        for path in ran["botocore_data"]
        if "/botocore/data" in path or "/botocore_data/" in path
    ]
    assert data_files, "no botocore data read at all"
    assert [path for path in data_files if not path.startswith(str(lean))] == []
    assert any(path.endswith("dynamodb/2012-08-10/service-2.json") for path in data_files)


# --------------------------------------------------------------- runtime mismatch

FAKE_PROBE = """#!/bin/sh
# Answers the packaging probe as a Python {version} would (it never runs anything else).
echo '{{"version": "{version}", "cache_tag": "cpython-{tag}", "magic": "a70d0d0a"}}'
"""


def _fake_python(tmp_path: Path, version: str) -> Path:
    fake = tmp_path / f"python{version}"
    fake.write_text(FAKE_PROBE.format(version=version, tag=version.replace(".", "")))
    fake.chmod(0o755)
    return fake


def test_template_runtime_is_read_as_cloudformation_reads_it(target: FunctionTarget) -> None:
    from cfnlint.decode import decode

    decoded, errors = decode(str(TEMPLATE))
    assert not errors and decoded is not None
    function = decoded["Resources"]["SkillFunction"]["Properties"]
    assert target.runtime == function["Runtime"]
    assert [target.architecture] == list(function["Architectures"])


def test_a_build_interpreter_of_another_version_stops_the_build(tmp_path: Path) -> None:
    other = _fake_python(
        tmp_path, "3.11" if function_target(TEMPLATE).python_version != "3.11" else "3.13"
    )
    out = tmp_path / "out"
    with pytest.raises(PackagingError, match=r"Runtime is python3\.\d+ but the build interpreter"):
        build_lambda_bundle(out, python=str(other))
    assert not out.exists()


def test_sam_build_recipe_fails_with_one_line_on_a_mismatch(tmp_path: Path) -> None:
    """What `sam build` runs (lambda/Makefile), with STEADY_LAMBDA_PYTHON naming a Python of
    another version: exit 1, one line that says why, and nothing in the artifacts."""
    runtime = function_target(TEMPLATE).python_version
    other = _fake_python(tmp_path, "3.11" if runtime != "3.11" else "3.13")
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    env = {**os.environ, "STEADY_LAMBDA_PYTHON": str(other), "PYTHON": sys.executable}
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-s",
            "-f",
            str(ROOT / "lambda" / "Makefile"),
            "build-SkillFunction",
            f"ARTIFACTS_DIR={artifacts}",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"bundle: template.yaml's Runtime is python{runtime} but ")
    assert "would never be used by Lambda" in lines[0]
    assert list(artifacts.iterdir()) == []


def test_no_interpreter_of_the_runtime_version_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    monkeypatch.setenv("UV_PYTHON_INSTALL_DIR", str(tmp_path / "no-uv"))
    monkeypatch.delenv("STEADY_LAMBDA_PYTHON", raising=False)
    with pytest.raises(PackagingError) as caught:
        find_interpreter(FunctionTarget("3.99", "arm64"))
    message = str(caught.value)
    assert "\n" not in message
    assert "Runtime is python3.99 but no Python 3.99 was found" in message
    assert "STEADY_LAMBDA_PYTHON" in message
