"""A couple already set up as Alex and Sam, talking to an Echo Show (APL)."""

from __future__ import annotations

import pytest
from ask_sdk_core.skill import CustomSkill

from tests.dialog.harness import Conversation, set_up_couple

set_up = set_up_couple


@pytest.fixture
def show(skill: CustomSkill) -> Conversation:
    """Alex and Sam on a screen device, between sessions."""
    return set_up(Conversation(skill, apl=True))


@pytest.fixture
def voice(skill: CustomSkill) -> Conversation:
    """Alex and Sam on a voice-only device, between sessions."""
    return set_up(Conversation(skill))
