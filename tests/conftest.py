"""Shared fixtures. Tests never reach AWS: fake credentials, a region, no
instance-metadata probing, and local servers on 127.0.0.1 only."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

for _key, _value in (
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
    ("AWS_SESSION_TOKEN", "testing"),
    ("AWS_DEFAULT_REGION", "us-east-1"),
    ("AWS_REGION", "us-east-1"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
    ("STEADY_ALEXA_API", "off"),  # never Amazon's real API; reminder tests use a local fake
):
    os.environ[_key] = _value
for _key in (
    "STEADY_TABLE",
    "STEADY_DYNAMODB_ENDPOINT",
    "STEADY_SKILL_ID",
    "STEADY_AUDIO_BASE_URL",
):
    os.environ.pop(_key, None)

from ask_sdk_core.skill import CustomSkill  # noqa: E402

from skill.logs import configure_logging  # noqa: E402
from skill.store.memory import MemoryStore  # noqa: E402
from tests import private_logs  # noqa: E402
from tests.dialog.harness import (  # noqa: E402
    Conversation,
    make_skill,
    set_up_couple,
    test_settings,
)
from tests.fixtures.moto_server import (  # noqa: E402, F401 -- shared fixtures
    aws_credentials,
    dynamo_table,
    moto_endpoint,
)
from tests.ssml import outside_check  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _logs_never_carry_what_was_said() -> Iterator[None]:
    """Production logging for the whole run; at the end, no spoken value in any log."""
    configure_logging()
    root = logging.getLogger()
    root.addHandler(private_logs.CAPTURE)
    yield
    root.removeHandler(private_logs.CAPTURE)
    if private_logs.SPOKEN.values:
        assert private_logs.CAPTURE.lines, "no log lines captured: the check would prove nothing"
    found = private_logs.leaks()
    assert not found, f"log lines carry spoken values: {found[:5]}"


@pytest.fixture(scope="session", autouse=True)
def _every_speech_passes_an_outside_ssml_checker() -> Iterator[None]:
    yield
    found = outside_check.faults()
    assert not found, f"ssml-check-core faults {len(found)} responses, e.g. {found[:3]}"


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEADY_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def skill(store: MemoryStore, tmp_path: Path) -> CustomSkill:
    return make_skill(store, test_settings(tmp_path))


@pytest.fixture
def conversation(skill: CustomSkill) -> Conversation:
    return Conversation(skill)


@pytest.fixture
def couple(conversation: Conversation) -> Conversation:
    """A couple already set up as Alex and Sam, between sessions."""
    return set_up_couple(conversation)
