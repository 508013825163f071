""" "What's our trust balance?" on an Echo Show: this week's picture per partner,
as said, on screen; nothing on a voice-only device."""

from __future__ import annotations

from skill.practices.screens import TRUST_WEEK_SCREEN
from tests.dialog.harness import Conversation
from tests.screens.support import assert_bound, only_screen, screens


def deposit(home: Conversation, acted: str, note: str) -> None:
    """A deposit for `acted`, noticed by the other."""
    home.intent("TrustDepositIntent", partner=acted)
    said = home.intent("NoteTextIntent", note=note)
    assert said.ended and not screens(said)


def test_the_balance_shows_the_week_per_partner(show: Conversation) -> None:
    deposit(show, "Sam", "made tea when I was stressed")
    deposit(show, "Sam", "listened without fixing")
    deposit(show, "Alex", "picked me up & <drove> home")
    # U: what's our trust balance?
    said = show.intent("TrustBalanceIntent")
    # A: Alex noticed 2 ... Sam noticed ... -- and the same picture on screen
    assert said.says("listened without fixing")
    directive = only_screen(said)
    assert directive["token"] == TRUST_WEEK_SCREEN
    assert_bound(directive)
    alex, sam = directive["datasources"]["trustWeek"]["partners"]
    assert (alex["deposits"], alex["example"]) == (2, "“listened without fixing”")
    assert (sam["deposits"], sam["example"]) == (1, "“picked me up & <drove> home”")


def test_an_empty_week_is_said_kindly_on_screen(show: Conversation) -> None:
    said = show.intent("TrustBalanceIntent")
    data = only_screen(said)["datasources"]["trustWeek"]
    assert data["empty"] and data["partners"] == []


def test_a_voice_only_device_gets_no_view(voice: Conversation) -> None:
    deposit(voice, "Sam", "a kind word")
    said = voice.intent("TrustBalanceIntent")
    assert said.says("a kind word") and not screens(said)


def test_asked_mid_check_in_the_view_shows_and_the_question_returns(show: Conversation) -> None:
    show.intent("CheckInIntent")
    said = show.intent("TrustBalanceIntent")
    assert said.listening and said.says("Alex") and only_screen(said)
    said = show.intent("FeelingIntent", feeling="calm")
    assert said.matches("need|would help") and not screens(said)
