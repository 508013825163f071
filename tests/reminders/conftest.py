"""Reminders talk to a local fake of the Alexa API; the skill may call it only because
these tests set STEADY_ALLOW_LOCAL_API=1 (never on by default)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.chat.envelopes import DEFAULT_DEVICE_ID
from skill.store.memory import MemoryStore
from tests.dialog.harness import test_settings
from tests.reminders.fake_alexa import FakeAlexaApi
from tests.reminders.support import AlexaHome, skill_with_api

# The test household's device, in California (the request clock is a Wednesday 18:30
# UTC: 11:30 there).
HOME_ZONE = "America/Los_Angeles"


@pytest.fixture
def fake_alexa() -> Iterator[FakeAlexaApi]:
    fake = FakeAlexaApi(time_zones={DEFAULT_DEVICE_ID: HOME_ZONE}).start()
    yield fake
    fake.stop()


@pytest.fixture
def api_skill(store: MemoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CustomSkill:
    monkeypatch.setenv("STEADY_ALLOW_LOCAL_API", "1")
    monkeypatch.delenv("STEADY_ALEXA_API", raising=False)
    return skill_with_api(store, test_settings(tmp_path))


@pytest.fixture
def home(api_skill: CustomSkill, fake_alexa: FakeAlexaApi) -> AlexaHome:
    """A household that has granted the reminders permission."""
    return AlexaHome(api_skill, api_endpoint=fake_alexa.url)


@pytest.fixture
def new_home(api_skill: CustomSkill, fake_alexa: FakeAlexaApi) -> AlexaHome:
    """A household that has not granted the reminders permission yet."""
    return AlexaHome(api_skill, api_endpoint=fake_alexa.url, consent_token=None)
