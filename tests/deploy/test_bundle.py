"""The Lambda bundle `sam build` ships: runtime dependencies only, small, and
`lambda_function` imports with nothing but the bundle and what the Lambda runtime has.

Builds the bundle once with pip (local cache or the package index); skipped when pip
cannot reach either.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from skill.packaging import RUNTIME_PROVIDED, PackagingError, build_lambda_bundle, directory_size

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


def test_lambda_function_imports_in_a_simulated_runtime(bundle: Path, tmp_path: Path) -> None:
    """No site-packages: only the bundle plus the runtime's own boto3 and its dependencies."""
    if not (ROOT / "skill" / "app.py").is_file():
        pytest.skip("skill/app.py not there yet")
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    site_packages = Path(sysconfig.get_paths()["purelib"])
    for name in RUNTIME_PROVIDED:
        (runtime / name).symlink_to(site_packages / name)
    env = {
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
    }
    check = (
        "import sys, lambda_function; "
        "assert callable(lambda_function.lambda_handler); "
        "assert not [m for m in sys.modules if m.split('.')[0] in {'flask', 'pydub', 'moto'}]"
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", check],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
