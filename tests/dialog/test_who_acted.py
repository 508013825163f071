"""Who acted, who noticed, as couples say it: each wording is heard through the
interaction model (as Alexa would hear it), and the stored TrustEntry is checked, with
and without voice profiles. The partner named is the one who acted; the recognised
voice, else the other partner, the one who noticed; otherwise one question settles it."""

from __future__ import annotations

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.domain.couple import TrustEntry
from skill.store.memory import MemoryStore
from tests.dialog.harness import ALEX_VOICE, SAM_VOICE, Clocked, link_voices, profile_of, set_up

NAMES = ("Alex", "Sam")
VOICES = {"Alex": ALEX_VOICE, "Sam": SAM_VOICE}

# Wordings that name the one who acted ({name}) and wordings that name no one.
DEPOSITS_NAMED = (
    "make a deposit for {name}",
    "{name} did something kind",
    "{name} showed up for me",
    "i want to credit {name}",
    "add a trust deposit for {name}",
    "log a deposit for {name}",
    "record a deposit for {name}",
    "give {name} a deposit",
    "a deposit for {name}",
    "{name} earned a deposit",
    "i noticed something {name} did",
    "put something in the trust bank for {name}",
    "{name} made a deposit",
    "{name} was there for me",
    "{name} was kind to me",
)
DEPOSITS_UNNAMED = (
    "make a deposit",
    "make a trust deposit",
    "i want to make a deposit",
    "add to the trust bank",
    "put a deposit in the trust bank",
)
WITHDRAWALS_NAMED = (
    "i felt dismissed by {name}",
    "{name} let me down",
    "a withdrawal for {name}",
    "log a withdrawal for {name}",
    "record a withdrawal for {name}",
    "{name} made a withdrawal",
    "a withdrawal from {name}",
    "record that {name} dismissed me",
    "{name} brushed me off",
    "i felt let down by {name}",
    "i felt ignored by {name}",
    "{name} wasn't there for me",
    "{name} didn't listen to me",
)
WITHDRAWALS_UNNAMED = (
    "make a withdrawal",
    "log a withdrawal",
    "i need to log a withdrawal",
    "take something out of the trust bank",
    "i want to note a withdrawal",
)


def test_at_least_fifteen_wordings_each_way() -> None:
    assert len(DEPOSITS_NAMED) + len(DEPOSITS_UNNAMED) >= 15
    assert len(WITHDRAWALS_NAMED) + len(WITHDRAWALS_UNNAMED) >= 15


def other(name: str) -> str:
    return NAMES[1 - NAMES.index(name)]


def last_entry(store: MemoryStore, home: Clocked) -> TrustEntry:
    return profile_of(store, home).recent_trust[-1]


def assert_kept(
    store: MemoryStore, home: Clocked, kind: str, acted: str, noticed: str, note: str
) -> None:
    entry = last_entry(store, home)
    assert (entry.kind, NAMES[entry.giver], NAMES[entry.receiver], entry.note) == (
        kind,
        acted,
        noticed,
        note,
    ), home.transcript[-3:]


def tell(
    home: Clocked,
    store: MemoryStore,
    wording: str,
    kind: str,
    acted: str,
    noticed: str,
    *,
    asked: bool,
) -> None:
    """Say the wording; answer the one question if it is asked; check what was kept."""
    expected_intent = "TrustDepositIntent" if kind == "deposit" else "TrustWithdrawalIntent"
    said = home.say(wording)
    assert expected_intent in home.transcript[-1][0], home.transcript[-1]
    if asked:
        # A: Who did the kind thing, Alex or Sam?  /  Who felt it, Alex or Sam?
        assert said.listening and said.says("Alex or Sam"), said.text
        said = home.say(acted if kind == "deposit" else noticed)
    else:
        assert not said.says("Alex or Sam"), said.text
    # A: Alex, what did Sam do?   /   Alex, in a few words, what happened?
    assert said.listening and said.says(f"{noticed}, "), said.text
    if kind == "deposit":
        assert said.says(acted), said.text
    note = f"note {len(home.transcript)}"
    said = home.intent("NoteTextIntent", note=note)
    # A: A deposit for Sam, noticed by Alex: "...".
    assert said.ended and said.says(acted, noticed, note), said.text
    if kind == "deposit":
        assert said.says(f"for {acted}, noticed by {noticed}"), said.text
    else:
        assert said.says(f"with {acted}"), said.text
    assert_kept(store, home, kind, acted, noticed, note)


@pytest.fixture
def home(skill: CustomSkill) -> Clocked:
    return set_up(skill)


WORDINGS = [
    pytest.param("deposit", DEPOSITS_NAMED, DEPOSITS_UNNAMED, id="deposits"),
    pytest.param("withdrawal", WITHDRAWALS_NAMED, WITHDRAWALS_UNNAMED, id="withdrawals"),
]


@pytest.mark.parametrize(("kind", "named", "unnamed"), WORDINGS)
def test_without_voice_profiles(
    home: Clocked,
    store: MemoryStore,
    kind: str,
    named: tuple[str, ...],
    unnamed: tuple[str, ...],
) -> None:
    for wording in named:
        for acted in NAMES:
            # "make a deposit for Sam": Sam did it, Alex noticed; no question.
            tell(home, store, wording.format(name=acted), kind, acted, other(acted), asked=False)
    for wording in unnamed:
        for acted in NAMES:
            # "make a deposit": the one question that settles it.
            tell(home, store, wording, kind, acted, other(acted), asked=True)


@pytest.mark.parametrize(("kind", "named", "unnamed"), WORDINGS)
def test_with_voice_profiles(
    home: Clocked,
    store: MemoryStore,
    kind: str,
    named: tuple[str, ...],
    unnamed: tuple[str, ...],
) -> None:
    link_voices(store, home)
    for speaker in NAMES:
        home.person_id = VOICES[speaker]
        for wording in named:
            # Alex's voice: "a deposit for Sam" -> for Sam, noticed by Alex.
            credited = wording.format(name=other(speaker))
            tell(home, store, credited, kind, other(speaker), speaker, asked=False)
            # Alex's voice: "a deposit for Alex" -> crediting oneself? Asked.
            own = wording.format(name=speaker)
            tell(home, store, own, kind, speaker, other(speaker), asked=True)
        for wording in unnamed:
            # Alex's voice: "make a deposit" -> Alex noticed, Sam did it.
            tell(home, store, wording, kind, other(speaker), speaker, asked=False)
