"""Issue 14 in every locale: who acted and who noticed, voices in the check-in, the
couple's own clock, no dead ends, and the small wrongs, each as a short dialog heard
through that locale's interaction model, checked on what was stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from skill.practices.autobiography import TURN_END_SOUND
from skill.store.memory import MemoryStore
from tests.dialog.harness import (
    ALEX_VOICE,
    SAM_VOICE,
    Clocked,
    link_voices,
    make_skill,
    profile_of,
    set_up_couple,
    test_settings,
)
from tests.locales.support import ALL_LOCALES

ZONE_OF = {
    "en-US": "America/Los_Angeles",
    "en-GB": "Europe/London",
    "en-CA": "America/Toronto",
    "en-AU": "Australia/Sydney",
    "en-IN": "Asia/Kolkata",
}


def household(tmp_path: Path, locale: str, now: datetime) -> tuple[Clocked, MemoryStore]:
    store = MemoryStore()
    skill = make_skill(store, test_settings(tmp_path, time_zone=ZONE_OF[locale]))
    home = set_up_couple(Clocked(skill, locale=locale, now=now))
    return home, store


@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_issue_14_in_every_locale(tmp_path: Path, locale: str) -> None:
    # Tuesday 14 May 2030, 07:30 on the couple's own clock.
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(ZONE_OF[locale])
    morning = datetime(2030, 5, 14, 7, 30, tzinfo=zone).astimezone(UTC)
    home, store = household(tmp_path, locale, morning - timedelta(minutes=10))
    home.now = morning

    # 1. Who acted, who noticed.
    for wording, kind, acted in (
        ("make a deposit for Sam", "deposit", 1),
        ("Sam showed up for me", "deposit", 1),
        ("I felt dismissed by Sam", "withdrawal", 1),
        ("Alex let me down", "withdrawal", 0),
    ):
        said = home.say(wording)
        said = home.intent("NoteTextIntent", note=f"moment {wording}")
        assert said.ended, (wording, said.text)
        entry = profile_of(store, home).recent_trust[-1]
        assert (entry.kind, entry.giver, entry.receiver) == (kind, acted, 1 - acted), wording
    said = home.say("make a deposit")
    assert said.says("Alex or Sam") and said.listening
    home.say("Sam")
    said = home.intent("NoteTextIntent", note="made breakfast")
    assert said.says("for Sam, noticed by Alex")
    link_voices(store, home)
    home.person_id = SAM_VOICE
    home.say("make a deposit")
    home.intent("NoteTextIntent", note="took the bins out")
    entry = profile_of(store, home).recent_trust[-1]
    assert (entry.giver, entry.receiver) == (0, 1)

    # 2. Voices in the check-in: Sam's voice answers Alex's question.
    home.intent("CheckInIntent")
    home.intent("FeelingIntent", feeling="hopeful")
    said = home.intent("NeedIntent", need="a walk")
    assert said.says("Alex")
    home.person_id = ALEX_VOICE
    home.intent("FeelingIntent", feeling="calm")
    said = home.intent("NeedIntent", need="coffee")
    assert said.ended
    kept = {(r.partner, r.feeling, r.need) for r in profile_of(store, home).recent_check_ins}
    assert kept == {(0, "calm", "coffee"), (1, "hopeful", "a walk")}
    # 3. The couple's clock: a morning check-in, by their local hour.
    assert {r.time_of_day for r in profile_of(store, home).recent_check_ins} == {"morning"}
    home.person_id = None
    home.now = morning + timedelta(hours=14)  # 21:30 local, whatever UTC says
    said = home.intent("HistoryNeedIntent", partner="Alex", time_of_day="morning")
    assert said.says("coffee") and "for then" not in said.text
    assert home.intent("StreakIntent").matches("today")

    # 4. No dead ends: whose history (mic open), "both of us", back to a practice.
    said = home.intent("HistoryFeelingIntent")
    assert said.listening
    said = home.say("both of us")
    assert said.says("calm", "hopeful", "once")
    home.intent("CheckInIntent")
    said = home.intent("HistoryNeedIntent", partner="Sam")
    assert said.says("a walk", "check-in") and said.listening
    said = home.intent("AMAZON.YesIntent")
    assert said.listening and said.says("Alex")
    home.intent("AMAZON.StopIntent")

    # 5. The small wrongs: no tones without hosting, a kept pace said, names refused.
    said = home.intent("SilentSyncIntent")
    assert "tone" not in said.text
    home.intent("PaceIntent", pace="slower")
    home.intent("AMAZON.NoIntent")
    said = home.later(days=1).intent("SilentSyncIntent")
    assert said.says("slower") and said.matches("last time")
    home.intent("AMAZON.NoIntent")
    home.intent("UsVsIssueIntent")
    assert home.intent("TopicIntent", topic="money for the holidays").says("Money for the")
    home.intent("AMAZON.StopIntent")

    # 4. The autobiography: cut off by two silences, picked up with "let's continue".
    home.intent("AutobiographyIntent", minutes="5")
    home.intent("AMAZON.YesIntent")
    home.later(seconds=100).silence()
    said = home.later(minutes=5).intent("ContinueIntent")
    assert said.says("Alex") and said.listening
    said = home.intent("AMAZON.YesIntent")
    assert TURN_END_SOUND in said.ssml and said.says("Sam")
