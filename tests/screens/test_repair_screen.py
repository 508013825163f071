"""The repair word on an Echo Show: a soft screen with the couple's word and "breathe
together", the circle taking the one shared breath with the audio."""

from __future__ import annotations

from skill.audio.pacing import DEFAULT_PACE
from skill.practices.screens import REPAIR_SCREEN
from tests.dialog.harness import Conversation
from tests.screens.support import assert_bound, heard_before, only_screen, screens


def choose_word(home: Conversation, word: str) -> None:
    """Both partners agree on `word`, then leave without trying it."""
    home.intent("SetRepairWordIntent")
    home.intent("RepairPhraseIntent", phrase=word)
    home.intent("AMAZON.YesIntent")
    said = home.intent("AMAZON.YesIntent")
    assert said.says(word) and not screens(said)
    home.intent("AMAZON.NoIntent")


def test_saying_the_word_shows_it_softly_with_one_breath(show: Conversation) -> None:
    choose_word(show, "pineapple")
    # U: Alexa, tell Steady Together pineapple
    said = show.intent("SayRepairWordIntent", repair_word="pineapple")
    # A: <chime> ... breathe in ... and out ... -- and the word on screen
    directive = only_screen(said)
    assert directive["token"] == REPAIR_SCREEN
    assert_bound(directive)
    data = directive["datasources"]["repair"]
    assert data["word"] == "pineapple" and data["invite"] == "Breathe together"
    assert (data["inhaleMs"], data["exhaleMs"]) == (DEFAULT_PACE.inhale_ms, DEFAULT_PACE.exhale_ms)
    # The circle starts with "Breathe in", after the chime and the slow opening words.
    assert data["startDelayMs"] == heard_before(said, "Breathe in") > 3_000
    # U: no -- and nothing more on screen for the goodbye
    said = show.intent("AMAZON.NoIntent")
    assert not screens(said)


def test_a_voice_only_device_hears_the_ritual_without_a_screen(voice: Conversation) -> None:
    choose_word(voice, "pineapple")
    said = voice.intent("SayRepairWordIntent", repair_word="pineapple")
    assert said.listening and not screens(said)


def test_a_word_that_is_not_theirs_shows_nothing(show: Conversation) -> None:
    choose_word(show, "pineapple")
    said = show.intent("SayRepairWordIntent", repair_word="banana")
    assert said.listening and not screens(said)
