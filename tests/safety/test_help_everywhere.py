"""Every disclosure of the corpus gets the help response, at the top level and as
the answer at each step of every practice, in every locale; nothing of it is
stored (the store is not written), logged (the session-wide log check) or read back.

Two ways in, as on a device:
- the local chat: the typed sentence through the chat's understanding, then the
  request it builds, to the skill;
- the request Alexa would send: the sentence as the value of the slot the step asks
  for (Dialog.ElicitSlot), and of every other free-answer slot the skill takes."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.chat import envelopes
from skill.chat.model import load_model, model_path
from skill.chat.nlu import understand
from skill.chat.repl import eliciting_slot
from skill.store.memory import MemoryStore
from tests.dialog.harness import (
    Conversation,
    Said,
    make_skill,
    set_up_couple,
    test_settings,
    walk,
)
from tests.private_logs import SPOKEN
from tests.safety import corpus
from tests.safety.paths import CARRIERS, PATHS, SETUP_PATHS


def is_help(said: Said) -> bool:
    card = said.card or {}
    return said.ended and "medical advice" in str(card.get("content", ""))


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


_HOMES = itertools.count()


def household(
    store: MemoryStore, tmp_path: Path, locale: str, *, set_up: bool = True
) -> Conversation:
    """A new household (its own Alexa account) on the shared store."""
    conv = Conversation(
        make_skill(store, test_settings(tmp_path)),
        user_id=f"amzn1.ask.account.HOME{next(_HOMES)}",
        locale=locale,
    )
    return set_up_couple(conv) if set_up else conv


def chat_request(conv: Conversation, text: str, eliciting: tuple[str, str] | None) -> Said:
    """What the local chat sends for a typed sentence at this point."""
    heard = understand(text, load_model(model_path(conv.locale)), eliciting=eliciting)
    SPOKEN.add(text)
    event = envelopes.intent_request(heard.intent, heard.request_slots(), **conv._common())
    return conv._send(event, f"chat: {heard.intent}")


# -- the chat, at the top level ---------------------------------------------------------------


@pytest.mark.parametrize("locale", corpus.LOCALES)
def test_every_disclosure_typed_in_the_chat_gets_help(
    locale: str, store: MemoryStore, tmp_path: Path
) -> None:
    conv = household(store, tmp_path, locale)
    writes = store.writes
    missed = []
    for line in corpus.disclosures():
        conv.launch()
        said = chat_request(conv, line.text, None)
        if not is_help(said):
            missed.append(line.text)
    assert missed == []
    assert store.writes == writes


@pytest.mark.parametrize("locale", corpus.LOCALES)
def test_no_harmless_sentence_typed_in_the_chat_gets_help(
    locale: str, store: MemoryStore, tmp_path: Path
) -> None:
    conv = household(store, tmp_path, locale)
    wrongly = []
    for line in corpus.harmless():
        conv.launch()
        if is_help(chat_request(conv, line.text, None)):
            wrongly.append(line.text)
    assert wrongly == []


# -- at every step of every practice ---------------------------------------------------------


def steps(
    store: MemoryStore, tmp_path: Path, locale: str
) -> Iterator[tuple[str, Conversation, Said]]:
    """(label, household standing at that step, what the skill just asked)."""
    for label, path in PATHS.items():
        conv = household(store, tmp_path, locale)
        yield label, conv, walk(conv, path)
    for label, path in SETUP_PATHS.items():
        conv = household(store, tmp_path, locale, set_up=False)
        yield label, conv, walk(conv, path)


def inject(conv: Conversation, intent: str, slot: str, text: str) -> Said:
    saved = dict(conv.attributes), conv.new_session, conv.session_number
    said = conv.intent(intent, **{slot: text})
    conv.attributes, conv.new_session, conv.session_number = saved
    return said


def _sample(lines: tuple[corpus.Line, ...], offset: int, stride: int) -> list[corpus.Line]:
    return [line for index, line in enumerate(lines) if index % stride == offset % stride]


def test_every_path_reaches_a_question(store: MemoryStore, tmp_path: Path) -> None:
    for label, _conv, said in steps(store, tmp_path, "en-US"):
        assert said.listening, f"{label} does not end on a question: {said.text}"


def test_every_disclosure_is_help_as_the_answer_the_step_asks_for(
    store: MemoryStore, tmp_path: Path
) -> None:
    """en-US: every disclosure, in the slot each step elicits, at every step."""
    lines = corpus.disclosures()
    for label, conv, said in steps(store, tmp_path, "en-US"):
        asked = eliciting_slot(said.directives)
        if asked is None:
            continue
        writes = store.writes
        missed = [line.text for line in lines if not is_help(inject(conv, *asked, line.text))]
        assert missed == [], label
        assert store.writes == writes, f"{label}: something was written"


@pytest.mark.parametrize("locale", corpus.LOCALES)
def test_disclosures_are_help_in_any_answer_slot_at_every_step(
    locale: str, store: MemoryStore, tmp_path: Path
) -> None:
    """Every locale: at each step, in every free-answer slot Alexa might fill, a
    rotating share of the corpus (each disclosure is used at several steps)."""
    lines = corpus.disclosures()
    for number, (label, conv, _said) in enumerate(steps(store, tmp_path, locale)):
        writes = store.writes
        for offset, (intent, slot) in enumerate(CARRIERS):
            for line in _sample(lines, number * len(CARRIERS) + offset, 160):
                said = inject(conv, intent, slot, line.text)
                assert is_help(said), (label, intent, line.text)
        assert store.writes == writes, f"{label}: something was written"


def test_a_disclosed_need_is_never_read_back(store: MemoryStore, tmp_path: Path) -> None:
    conv = household(store, tmp_path, "en-US")
    walk(conv, PATHS["check-in: first need"])
    said = conv.intent("NeedIntent", need="to not be alive anymore")
    assert is_help(said)
    conv.launch()
    asked: dict[str, Any] = {"partner": "Alex"}
    back = conv.intent("HistoryNeedIntent", **asked)
    assert "alive" not in back.text
