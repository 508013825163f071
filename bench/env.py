"""Where things are and the environment every benchmark process runs with: fake AWS
credentials, a region, no instance-metadata lookups, loopback endpoints only."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LAMBDA_DIR = REPO_ROOT / "lambda"
BASELINE_DIR = Path(__file__).resolve().parent / "baseline"
FLOOR_DIR = Path(__file__).resolve().parent / "floor"
PYTHON = sys.executable
REGION = "us-east-1"
USER_ID_SECRET = "bench-user-id-secret"

FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
}

# Settings a benchmark child must not inherit from the developer's shell.
_DROPPED = ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "PYTHONPATH")


def use_fake_aws() -> None:
    """Put the fake credentials into this process's environment."""
    for name in _DROPPED:
        os.environ.pop(name, None)
    os.environ.update(FAKE_AWS_ENV)
    os.environ["STEADY_ALEXA_API"] = "off"


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a benchmark subprocess: ours, plus `extra`."""
    env = {key: value for key, value in os.environ.items() if key not in _DROPPED}
    env.update(FAKE_AWS_ENV)
    env["STEADY_LOG_LEVEL"] = "WARNING"
    env["STEADY_ALEXA_API"] = "off"  # never call Alexa's APIs from a benchmark
    env.update(extra)
    return env
