"""A turn is let go of when its response is made: nothing it built is left for the
cycle collector (which would otherwise free every turn, inside later turns)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import mix
from skill.app import handle_event
from skill.chat.envelopes import Conversation
from skill.store.memory import MemoryStore
from tests.dialog.harness import make_skill, test_settings


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_a_turn_leaves_no_cycles(tmp_path: Path, collector_off: None) -> None:
    skill = make_skill(MemoryStore(), test_settings(tmp_path))
    conversation = Conversation(user_id="amzn1.ask.account.RELEASE")

    def answer(request: mix.JsonDict) -> mix.JsonDict:
        return handle_event(request, skill=skill)

    for episode in (mix.SETUP, *mix.EPISODES):  # reads, saves, questions and ends
        for _ in mix.run_episode(conversation, episode, answer):
            pass
    gc.collect()  # first uses (content, the screen, lazy imports) are not turns
    for episode in mix.EPISODES:
        for _ in mix.run_episode(conversation, episode, answer):
            pass
    assert gc.collect() == 0
