"""Silent Sync on an Echo Show: a breathing circle paced by the same numbers as the
audio, starting when the first "in" cue is heard; nothing on a voice-only device."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from skill.audio.pacing import FASTER, NORMAL, SLOWER, Pace
from skill.practices.screens import BREATHING_SCREEN
from skill.store.memory import MemoryStore
from skill.store.sqlite import SqliteStore
from tests.dialog.harness import Conversation, Said, make_skill, test_settings
from tests.screens.conftest import set_up
from tests.screens.support import assert_bound, heard_before, only_screen, screens

SPOKEN_IN = '<prosody rate="slow" volume="soft">in</prosody>'
CUES = "https://cues.example.com/steady"


def breathing_data(said: Said) -> dict[str, Any]:
    directive = only_screen(said)
    assert directive["token"] == BREATHING_SCREEN
    assert_bound(directive)
    data: dict[str, Any] = directive["datasources"]["breathing"]
    return data


def assert_paced(data: dict[str, Any], pace: Pace, breaths: int) -> None:
    assert data["inhaleMs"] == pace.inhale_s * 1000
    assert data["exhaleMs"] == pace.exhale_s * 1000
    assert data["repeatCount"] == breaths - 1


def test_default_sync_shows_one_circle_paced_like_the_audio(show: Conversation) -> None:
    # U: let's do a silent sync
    said = show.intent("SilentSyncIntent")
    # A: intro, chime, "in" ... "out" x5, rest, "another round?" -- and the circle
    data = breathing_data(said)
    assert_paced(data, NORMAL, 5)
    assert said.ssml.count(">in<") == 5 and said.listening
    # The circle starts growing when the first spoken "in" is heard.
    assert data["startDelayMs"] == heard_before(said, SPOKEN_IN) > 5_000
    for label in ("title", "readyLabel", "inLabel", "outLabel", "restLabel"):
        text = str(data[label])
        assert text and "<" not in text and "{" not in text


def test_slower_eight_breaths_then_a_faster_round(show: Conversation) -> None:
    # U: silent sync, eight breaths, slower
    said = show.intent("SilentSyncIntent", breaths="8", pace="slower")
    assert_paced(breathing_data(said), SLOWER, 8)
    # U: faster -- another round, at the faster pace
    said = show.intent("PaceIntent", pace="faster")
    data = breathing_data(said)
    assert_paced(data, FASTER, 8)
    assert data["startDelayMs"] == heard_before(said, SPOKEN_IN)
    # U: no -- goodbye, and no circle for a goodbye
    said = show.intent("AMAZON.NoIntent")
    assert said.ended and not screens(said)


def test_breaths_out_of_range_are_clamped_on_screen_too(show: Conversation) -> None:
    said = show.intent("SilentSyncIntent", breaths="40")
    assert said.says("between 3 and 10")
    assert_paced(breathing_data(said), NORMAL, 10)


def test_with_hosted_tones_the_circle_starts_with_the_track(
    store: MemoryStore, tmp_path: Path
) -> None:
    show = set_up(
        Conversation(make_skill(store, test_settings(tmp_path, audio_base_url=CUES)), apl=True)
    )
    said = show.intent("SilentSyncIntent")
    assert f'<audio src="{CUES}/sync-normal-05.mp3"/>' in said.ssml
    data = breathing_data(said)
    assert_paced(data, NORMAL, 5)
    # The track begins with the first inhale: only the intro comes before it.
    assert data["startDelayMs"] == heard_before(said, f'<audio src="{CUES}')


def test_a_voice_only_device_never_gets_a_screen(voice: Conversation) -> None:
    said = voice.intent("SilentSyncIntent")
    assert said.ssml.count(">in<") == 5
    assert not screens(said)
    said = voice.intent("AMAZON.YesIntent")
    assert said.ssml.count(">in<") == 5 and not screens(said)


@pytest.mark.parametrize("apl", [True, False])
def test_interrupting_a_check_in_with_a_sync(show: Conversation, apl: bool) -> None:
    show.apl = apl
    show.intent("CheckInIntent")
    show.intent("FeelingIntent", feeling="calm")
    said = show.intent("SilentSyncIntent", breaths="3")
    assert len(screens(said)) == (1 if apl else 0)
    said = show.intent("ContinueIntent")
    assert said.matches("need|would help") and not screens(said)


def test_happy_path_on_the_sqlite_store(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    show = set_up(Conversation(make_skill(store, test_settings(tmp_path)), apl=True))
    said = show.intent("SilentSyncIntent", breaths="4")
    assert_paced(breathing_data(said), NORMAL, 4)
    said = show.intent("AMAZON.YesIntent")
    assert_paced(breathing_data(said), NORMAL, 4)


def evening_ritual_to_the_sync(show: Conversation) -> Said:
    show.intent("EveningRitualIntent")
    for feeling, need in (("calm", "rest"), ("content", "tea")):
        show.intent("FeelingIntent", feeling=feeling)
        said = show.intent("NeedIntent", need=need)
    for _ in range(3):  # gratitude: "nothing today, thanks"
        if ">in<" in said.ssml:
            return said
        said = show.intent("AMAZON.NoIntent")
    raise AssertionError("the ritual never reached its silent sync")


def test_the_evening_ritual_closes_with_the_circle(show: Conversation) -> None:
    said = evening_ritual_to_the_sync(show)
    # A: ... a silent sync of 5 breaths ... good night -- the session ends
    assert said.ended and said.ssml.count(">in<") == 5
    data = breathing_data(said)
    assert_paced(data, NORMAL, 5)
    assert data["startDelayMs"] > 5_000


def test_in_the_ritual_the_circle_waits_for_every_line_before_it(show: Conversation) -> None:
    said = evening_ritual_to_the_sync(show)
    data = breathing_data(said)
    assert data["startDelayMs"] == heard_before(said, SPOKEN_IN)
