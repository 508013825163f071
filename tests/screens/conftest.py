"""A couple already set up as Alex and Sam, talking to an Echo Show (APL)."""

from __future__ import annotations

import pytest
from ask_sdk_core.skill import CustomSkill

from tests.dialog.harness import Conversation


def set_up(conversation: Conversation) -> Conversation:
    conversation.launch()
    conversation.intent("CoupleNamesIntent", first_name="Alex", second_name="Sam")
    assert conversation.intent("AMAZON.YesIntent").says("Alex", "Sam")
    conversation.intent("AMAZON.StopIntent")
    return conversation


@pytest.fixture
def show(skill: CustomSkill) -> Conversation:
    """Alex and Sam on a screen device, between sessions."""
    return set_up(Conversation(skill, apl=True))


@pytest.fixture
def voice(skill: CustomSkill) -> Conversation:
    """Alex and Sam on a voice-only device, between sessions."""
    return set_up(Conversation(skill))
