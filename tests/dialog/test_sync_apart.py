"""Breathing in step, apart: every Silent Sync breath begins on the wall clock, at a
whole multiple of its cycle from a fixed epoch, so two devices started seconds apart
breathe together; pace and breath-count changes keep the lock.

The moment of each inhale is read back from the response the way the skill plans it:
the request timestamp, plus the start of speech, plus the estimated speech (and the
exact silences) before the cue."""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from skill.audio.pacing import FASTER, NORMAL, SLOWER, Pace
from skill.audio.phase import (
    MIN_SETTLE_MS,
    RESPONSE_START_MS,
    epoch_ms,
    estimate_error_ms,
    lock,
    next_on_grid,
    phase_gap_ms,
)
from skill.screens.timing import spoken_ms
from skill.store.memory import MemoryStore
from tests.dialog.harness import T0, Clocked, Said, make_skill, set_up_couple, test_settings

SPOKEN_IN = '<prosody rate="slow" volume="soft">in</prosody>'
CUES = "https://cues.example.com/steady"
_MARK = "<inhale-here/>"
_BREAK = re.compile(r'<break time="(\d+)ms"/>')


@pytest.fixture
def home(store: MemoryStore, tmp_path: Path) -> Clocked:
    return set_up_couple(Clocked(make_skill(store, test_settings(tmp_path))))


def other_device(home: Clocked) -> Clocked:
    """The same couple's second device, in the other room (same store and account)."""
    device = Clocked(home.skill, user_id=home.user_id, now=home.now)
    device.session_number = 100
    return device


def planned_inhales(said: Said, at: datetime, cue: str = SPOKEN_IN) -> list[int]:
    """When each inhale begins (ms since the epoch), as the response plans it: each
    occurrence of `cue`, from the request's timestamp `at` (which Alexa, and the
    test envelopes, write in whole seconds)."""
    ssml = said.ssml
    starts = [m.start() for m in re.finditer(re.escape(cue), ssml)]
    assert starts, "no breathing in this response"
    heard = epoch_ms(at.replace(microsecond=0)) + RESPONSE_START_MS
    return [heard + spoken_ms(f"{ssml[:i]}{_MARK}{ssml[i:]}", until="inhale-here") for i in starts]


def on_grid(moments: list[int], pace: Pace) -> bool:
    return all(phase_gap_ms(t, 0, pace.breath_ms) <= 1 for t in moments)


def spaced(moments: list[int], pace: Pace) -> bool:
    return all(abs((b - a) - pace.breath_ms) <= 1 for a, b in itertools.pairwise(moments))


# -- the clock itself ------------------------------------------------------------------


def test_the_grid_counts_from_the_epoch() -> None:
    assert next_on_grid(0, 10_000) == 0
    assert next_on_grid(1, 10_000) == 10_000
    assert next_on_grid(20_000, 10_000) == 20_000
    planned = lock(T0 + timedelta(seconds=3), 8_000, NORMAL.breath_ms)
    assert planned.first_inhale_ms % NORMAL.breath_ms == 0
    assert MIN_SETTLE_MS <= planned.lead_in_ms < MIN_SETTLE_MS + NORMAL.breath_ms
    assert planned.inhale_ms(4) - planned.inhale_ms(0) == 4 * NORMAL.breath_ms


def test_two_plans_seconds_apart_share_their_first_inhale() -> None:
    # Device A at :01, device B at :04, the same intro: one moment for both.
    one = lock(T0 + timedelta(seconds=1), 7_000, NORMAL.breath_ms)
    other = lock(T0 + timedelta(seconds=4), 7_000, NORMAL.breath_ms)
    assert one.first_inhale_ms == other.first_inhale_ms
    assert other.lead_in_ms == one.lead_in_ms - 3_000


def test_the_stated_error_grows_with_the_speech_it_estimates() -> None:
    assert estimate_error_ms(0, chime=False) == 1_000
    assert estimate_error_ms(10_000, chime=True) > estimate_error_ms(10_000, chime=False)
    assert estimate_error_ms(20_000, chime=False) > estimate_error_ms(10_000, chime=False)


# -- in conversation -----------------------------------------------------------------


def test_every_spoken_breath_begins_on_the_grid(home: Clocked) -> None:
    # U: let's do a silent sync
    at = home.later(seconds=3).now
    said = home.intent("SilentSyncIntent")
    # A: the intro, a quiet lead-in, the chime, then "in" ... on the clock
    moments = planned_inhales(said, at)
    assert len(moments) == 5
    assert on_grid(moments, NORMAL) and spaced(moments, NORMAL)
    assert moments[0] - (epoch_ms(at) + RESPONSE_START_MS) > MIN_SETTLE_MS


def test_two_devices_started_seconds_apart_breathe_in_step(home: Clocked) -> None:
    # Alex starts a sync in the living room; Sam, three seconds later, in the study.
    for offset in range(10):
        at = home.now + timedelta(seconds=offset)
        home.now = at
        said = home.intent("SyncApartIntent", partner="Sam")
        first = planned_inhales(said, at)
        if first[0] - epoch_ms(at) >= 12_000:  # room for the second device to join it
            break
        home.intent("AMAZON.StopIntent")
    else:  # pragma: no cover
        pytest.fail("no start with a long enough lead-in")
    study = other_device(home)
    study.now = at + timedelta(seconds=3)
    said_there = study.intent("SyncApartIntent", partner="Alex")
    there = planned_inhales(said_there, study.now)
    # Both first inhales fall at the same absolute moment, every breath after too.
    assert abs(there[0] - first[0]) <= 1
    assert all(abs(a - b) <= 1 for a, b in zip(first, there, strict=True))
    # What the estimate cannot know (timestamp, latency, speech rate) stays within
    # the stated error, which is under half a breath.
    before = max(
        m - epoch_ms(t) - RESPONSE_START_MS for m, t in ((first[0], at), (there[0], study.now))
    )
    assert estimate_error_ms(before, chime=True) < NORMAL.breath_ms / 2


def test_started_a_minute_apart_they_are_still_in_phase(home: Clocked) -> None:
    at = home.later(seconds=2).now
    here = planned_inhales(home.intent("SyncApartIntent"), at)
    study = other_device(home)
    study.now = at + timedelta(seconds=47)
    there = planned_inhales(study.intent("SyncApartIntent"), study.now)
    assert (there[0] - here[0]) % NORMAL.breath_ms <= 1


def test_pace_and_count_changes_keep_the_lock(home: Clocked) -> None:
    at = home.later(seconds=1).now
    said = home.intent("SilentSyncIntent", breaths="8", pace="slower")
    moments = planned_inhales(said, at)
    assert len(moments) == 8 and on_grid(moments, SLOWER) and spaced(moments, SLOWER)
    # U: faster -- another round at the new pace, on its own grid
    at = home.later(seconds=100, milliseconds=700).now
    said = home.intent("PaceIntent", pace="faster")
    moments = planned_inhales(said, at)
    assert len(moments) == 8 and on_grid(moments, FASTER) and spaced(moments, FASTER)
    # U: yes -- and again, still locked
    at = home.later(seconds=70).now
    moments = planned_inhales(home.intent("AMAZON.YesIntent"), at)
    assert on_grid(moments, FASTER)
    home.intent("AMAZON.NoIntent")
    # Three breaths, a new session: the grid of the normal pace.
    at = home.later(minutes=5, seconds=4).now
    said = home.intent("SilentSyncIntent", breaths="3", pace="normal")
    moments = planned_inhales(said, at)
    assert len(moments) == 3 and on_grid(moments, NORMAL) and spaced(moments, NORMAL)


def test_hosted_tones_start_their_track_on_the_grid(store: MemoryStore, tmp_path: Path) -> None:
    home = set_up_couple(Clocked(make_skill(store, test_settings(tmp_path, audio_base_url=CUES))))
    at = home.later(seconds=6).now
    said = home.intent("SilentSyncIntent")
    track = f'<audio src="{CUES}/sync-normal-05.mp3"/>'
    (start,) = planned_inhales(said, at, cue=track)
    # The track is breaths x cycle long with no lead-in: every breath on the grid too.
    assert phase_gap_ms(start, 0, NORMAL.breath_ms) <= 1


def test_lines_another_practice_says_first_are_counted(home: Clocked) -> None:
    # The evening ritual: the check-in and gratitude come before the breathing.
    home.intent("EveningRitualIntent")
    home.intent("FeelingIntent", feeling="calm")
    home.intent("NeedIntent", need="rest")
    home.intent("FeelingIntent", feeling="hopeful")
    home.intent("NeedIntent", need="a walk")
    at = home.later(seconds=5).now
    said = home.intent("AMAZON.NoIntent")  # no thank-you tonight: on to the breathing
    moments = planned_inhales(said, at)
    assert on_grid(moments, NORMAL) and spaced(moments, NORMAL)


def test_the_lead_in_stays_within_alexas_limits(home: Clocked) -> None:
    for seconds in range(0, 12):
        home.now = T0 + timedelta(minutes=10, seconds=seconds)
        said = home.intent("SilentSyncIntent", pace="slower")
        # Every break at most 10 s (the harness checks the whole response too).
        assert max(int(ms) for ms in _BREAK.findall(said.ssml)) <= 10_000
        home.intent("AMAZON.StopIntent")


def test_the_screen_circle_starts_with_the_first_inhale(store: MemoryStore, tmp_path: Path) -> None:
    show = set_up_couple(Clocked(make_skill(store, test_settings(tmp_path)), apl=True))
    at = show.later(seconds=4).now
    said = show.intent("SilentSyncIntent")
    (screen,) = [d for d in said.directives if d.get("token") == "steady-breathing"]
    delay = screen["datasources"]["breathing"]["startDelayMs"]
    first = planned_inhales(said, at)[0]
    assert epoch_ms(at) + RESPONSE_START_MS + delay == first
    assert phase_gap_ms(first, 0, NORMAL.breath_ms) == 0


# -- offered by voice ------------------------------------------------------------------


def test_together_apart_by_voice(home: Clocked) -> None:
    # U: together, apart
    said = home.say("together apart")
    # A: each on your own device, every breath on the clock
    assert said.says("your own device", "in step")
    assert said.listening
    # U: breathe with Sam from the other room
    home.intent("AMAZON.StopIntent")
    said = home.say("breathe with Sam from the other room")
    assert said.says("Sam", "another device")
    # U: yes -- another round, still in step with the other room
    said = home.intent("AMAZON.YesIntent")
    assert said.says("in step with the other room")


def test_help_offers_it(home: Clocked) -> None:
    home.intent("SilentSyncIntent")
    said = home.intent("AMAZON.HelpIntent")
    assert said.says("together, apart")
