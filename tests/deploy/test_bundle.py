"""The Lambda bundle `sam build` ships: runtime dependencies only, small, and
`lambda_function` imports with nothing but the bundle and what the Lambda runtime has.
Real turns answered from the bundle import no build-time code (the audio build, the
chat, packaging, the web service) and none of their libraries.

Builds the bundle once with pip (local cache or the package index); skipped when pip
cannot reach either.
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
from skill.packaging import RUNTIME_PROVIDED, PackagingError, build_lambda_bundle, directory_size
from tests.dialog.harness import assert_valid_response
from tests.fixtures.moto_server import DynamoTable

from .support import ROOT

pytestmark = pytest.mark.slow

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
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        return build_lambda_bundle(tmp_path_factory.mktemp("bundle") / "code")
    except PackagingError as exc:
        if any(sign in str(exc) for sign in OFFLINE_SIGNS):
            pytest.skip(f"pip cannot reach a package index: {str(exc)[-200:]}")
        raise


def _top_level_names(bundle: Path) -> set[str]:
    names = {p.name.split("-")[0].lower() for p in bundle.iterdir()}
    return {name.removesuffix(".py") for name in names}


def test_bundle_holds_the_runtime_dependencies_and_the_skill(bundle: Path) -> None:
    names = _top_level_names(bundle)
    assert {"ask_sdk_core", "ask_sdk_model", "ask_sdk_runtime", "pynamodb"} <= names
    assert (bundle / "lambda_function.py").read_bytes() == (
        ROOT / "lambda" / "lambda_function.py"
    ).read_bytes()
    assert (bundle / "skill" / "__init__.py").is_file()
    assert not list(bundle.rglob("__pycache__"))


def test_bundle_has_no_dev_audio_web_or_runtime_provided_packages(bundle: Path) -> None:
    assert _top_level_names(bundle) & NEVER_BUNDLED == set()


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
        **env,
    }


def _run_in_runtime(code: str, env: dict[str, str], cwd: Path, stdin: str = "") -> str:
    result = subprocess.run(
        [sys.executable, "-S", "-c", code],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_lambda_function_imports_in_a_simulated_runtime(bundle: Path, tmp_path: Path) -> None:
    check = (
        "import sys, lambda_function; "
        "assert callable(lambda_function.lambda_handler); "
        "assert not [m for m in sys.modules if m.split('.')[0] in {'flask', 'pydub', 'moto'}]"
    )
    _run_in_runtime(check, _simulated_runtime(bundle, tmp_path), tmp_path)


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
import json, sys
from lambda_function import lambda_handler
answers, attributes = [], {}
for event in json.load(sys.stdin):
    if "session" in event and not event["session"]["new"]:
        event["session"]["attributes"] = attributes
    answer = lambda_handler(event, None)
    answers.append(answer)
    ended = answer["response"].get("shouldEndSession") is not False
    attributes = {} if ended else answer.get("sessionAttributes", {})
print(json.dumps({"answers": answers, "modules": sorted(sys.modules)}))
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


def test_real_turns_import_no_build_time_code(
    bundle: Path, tmp_path: Path, dynamo_table: DynamoTable
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
    out = _run_in_runtime(TURNS_RUNNER, env, tmp_path, stdin=json.dumps(_first_evening()))
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
