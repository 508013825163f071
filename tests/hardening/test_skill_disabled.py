"""Disabling the skill deletes the couple, or the invocation fails so the event is
delivered again: Lambda reports an error, the web service answers 500, and nothing
answers as if the delete had happened. "Forget us" never claims more than was done."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill.app import handle_event
from skill.chat import envelopes
from skill.handlers.errors import EventNotHandled
from skill.privacy import couple_key
from skill.store.base import Deletion, StoreUnavailable
from skill.store.memory import MemoryStore
from skill.web.server import create_app
from tests.dialog.harness import SECRET, Conversation, make_skill, set_up_couple, test_settings


class FailingDeletes(MemoryStore):
    """A MemoryStore whose deletes fail (the store is down) or stop short."""

    def __init__(self) -> None:
        super().__init__()
        self.outage = True
        self.cut_short = False

    def delete_couple(self, couple_id: str) -> Deletion:
        if self.outage:
            raise StoreUnavailable("injected")
        if self.cut_short:
            return Deletion(1, finished=False)
        return super().delete_couple(couple_id)


@pytest.fixture
def home(tmp_path: Path) -> tuple[Conversation, FailingDeletes]:
    store = FailingDeletes()
    return set_up_couple(Conversation(make_skill(store, test_settings(tmp_path)))), store


def disabled(home: Conversation) -> dict[str, Any]:
    return envelopes.skill_disabled_event(user_id=home.user_id)


def test_a_failed_delete_fails_the_invocation_and_the_retry_deletes(
    home: tuple[Conversation, FailingDeletes],
) -> None:
    conversation, store = home
    couple = couple_key(SECRET, conversation.user_id)
    with pytest.raises(EventNotHandled):
        handle_event(disabled(conversation), skill=conversation.skill)
    assert store.load(couple) is not None  # nothing pretended

    store.outage = False  # Alexa delivers the event again
    handle_event(disabled(conversation), skill=conversation.skill)
    assert store.load(couple) is None
    assert couple not in store._profiles
    assert couple not in store._events


def test_a_delete_cut_short_fails_the_invocation_too(
    home: tuple[Conversation, FailingDeletes],
) -> None:
    conversation, store = home
    store.outage, store.cut_short = False, True
    with pytest.raises(EventNotHandled):
        handle_event(disabled(conversation), skill=conversation.skill)


def test_the_web_service_answers_500_so_the_event_is_sent_again(
    home: tuple[Conversation, FailingDeletes],
) -> None:
    conversation, store = home
    client = create_app(lambda event: handle_event(event, skill=conversation.skill), None)
    web = client.test_client()
    body = json.dumps(disabled(conversation))
    assert web.post("/", data=body, content_type="application/json").status_code == 500
    store.outage = False
    assert web.post("/", data=body, content_type="application/json").status_code == 200
    assert store.load(couple_key(SECRET, conversation.user_id)) is None


def test_forget_us_cut_short_says_what_is_left_and_when_it_goes(
    home: tuple[Conversation, FailingDeletes],
) -> None:
    conversation, store = home
    store.outage, store.cut_short = False, True
    conversation.intent("ForgetUsIntent")
    said = conversation.intent("AMAZON.YesIntent")
    assert said.ended
    assert said.says("still being deleted", "the next time", "within 400 days")
    assert not said.says("Everything I knew about you both has been deleted")

    store.cut_short = False
    conversation.intent("ForgetUsIntent")
    said = conversation.intent("AMAZON.YesIntent")
    assert said.says("Everything I knew about you both has been deleted")
    assert store.load(couple_key(SECRET, conversation.user_id)) is None
