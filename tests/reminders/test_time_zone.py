"""The couple's local time, from the device's zone on a local fake of the Settings API:
couples in four zones (India's half hour, and California across a DST change),
requests timed across midnight UTC, the zone kept and read again at most once a day,
and the locale's main zone, silently, when the device cannot say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from skill.chat.envelopes import DEFAULT_DEVICE_ID
from skill.store.memory import MemoryStore
from tests.dialog.harness import profile_of, set_up_couple
from tests.reminders.fake_alexa import FakeAlexaApi
from tests.reminders.support import AlexaHome

ZONES = ("America/Los_Angeles", "Asia/Kolkata", "Europe/London", "Pacific/Auckland")
# Monday 13 May 2030, 23:30 UTC, and an hour later: across midnight UTC.
BEFORE_MIDNIGHT = datetime(2030, 5, 13, 23, 30, tzinfo=UTC)


def expected_part(moment: datetime, zone: str) -> str:
    """Written out here, apart from the skill: morning 4-12, afternoon 12-17, else evening."""
    hour = moment.astimezone(ZoneInfo(zone)).hour
    if 4 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    return "evening"


def couple_in(home: AlexaHome, fake: FakeAlexaApi, zone: str | None, now: datetime) -> AlexaHome:
    fake.time_zones[DEFAULT_DEVICE_ID] = zone
    home.now = now
    return set_up_couple(home)


def check_in(home: AlexaHome, feeling: str, need: str) -> None:
    home.intent("CheckInIntent")
    home.intent("FeelingIntent", feeling=feeling)
    home.intent("NeedIntent", need=need)
    home.intent("AMAZON.StopIntent")  # Alex's half is kept


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("gap", [timedelta(hours=1), timedelta(hours=12)])
def test_a_check_in_and_a_question_across_midnight_utc(
    home: AlexaHome, fake_alexa: FakeAlexaApi, store: MemoryStore, zone: str, gap: timedelta
) -> None:
    couple_in(home, fake_alexa, zone, BEFORE_MIDNIGHT - timedelta(minutes=5))
    home.now = BEFORE_MIDNIGHT
    check_in(home, "calm", "a long bath")
    [record] = profile_of(store, home).recent_check_ins
    part = expected_part(BEFORE_MIDNIGHT, zone)
    assert record.time_of_day == part
    asked = BEFORE_MIDNIGHT + gap
    home.now = asked
    said = home.intent("HistoryNeedIntent", partner="Alex", time_of_day=part)
    local = ZoneInfo(zone)
    same_day = BEFORE_MIDNIGHT.astimezone(local).date() == asked.astimezone(local).date()
    if same_day:
        assert said.says("Alex needed a long bath") or said.says("needed a long bath"), said.text
    else:
        assert said.says("for then", "yesterday", "a long bath"), (zone, said.text)
    streak = home.intent("StreakIntent")
    if same_day:
        assert streak.matches("practi[cs]ed today"), (zone, streak.text)
    else:
        assert streak.says("yesterday"), (zone, streak.text)


def test_the_zone_is_kept_and_read_again_at_most_once_a_day(
    home: AlexaHome, fake_alexa: FakeAlexaApi, store: MemoryStore
) -> None:
    couple_in(home, fake_alexa, "Asia/Kolkata", BEFORE_MIDNIGHT)
    for minutes in range(0, 600, 60):
        home.now = BEFORE_MIDNIGHT + timedelta(minutes=minutes)
        home.intent("StreakIntent")
    assert len(fake_alexa.time_zone_reads) == 1
    profile = profile_of(store, home)
    assert profile.time_zone == "Asia/Kolkata"
    # They moved: the next day the device says so, and it is read again.
    fake_alexa.time_zones[DEFAULT_DEVICE_ID] = "Europe/London"
    home.now = BEFORE_MIDNIGHT + timedelta(days=1, hours=1)
    home.intent("StreakIntent")
    assert len(fake_alexa.time_zone_reads) == 2
    assert profile_of(store, home).time_zone == "Europe/London"
    read = fake_alexa.time_zone_reads[-1]
    assert read.headers["Authorization"].startswith("Bearer ")
    assert read.path == f"/v2/devices/{DEFAULT_DEVICE_ID}/settings/System.timeZone"


@pytest.mark.parametrize("failure", ["none set", "403", "500", "slow"])
def test_without_the_device_zone_the_locales_main_zone_is_used_silently(
    home: AlexaHome, fake_alexa: FakeAlexaApi, store: MemoryStore, failure: str
) -> None:
    if failure == "slow":
        fake_alexa.time_zones[DEFAULT_DEVICE_ID] = "Asia/Kolkata"
        fake_alexa.time_zone_delay = 3.0
    elif failure != "none set":
        fake_alexa.time_zone_status = int(failure)
    # Monday 23:30 UTC: 19:30 in New York (en-US's main zone), evening.
    couple_in(home, fake_alexa, None if failure != "slow" else "Asia/Kolkata", BEFORE_MIDNIGHT)
    started = datetime.now(UTC)
    home.now = BEFORE_MIDNIGHT
    said = home.intent("CheckInIntent")
    assert (datetime.now(UTC) - started).total_seconds() < 2.5, "within the short deadline"
    assert said.says("Alex") and not said.matches("sorry|error|time zone|couldn't")
    home.intent("FeelingIntent", feeling="calm")
    home.intent("NeedIntent", need="quiet")
    home.intent("AMAZON.StopIntent")
    profile = profile_of(store, home)
    assert profile.time_zone is None
    assert profile.recent_check_ins[0].time_of_day == expected_part(
        BEFORE_MIDNIGHT, "America/New_York"
    )
    # Tried once that day, not at every turn.
    reads = len(fake_alexa.time_zone_reads)
    home.intent("StreakIntent")
    assert len(fake_alexa.time_zone_reads) == reads


def test_a_reminder_names_the_devices_zone(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    couple_in(home, fake_alexa, "Asia/Kolkata", BEFORE_MIDNIGHT)
    # Tuesday 05:00 in India: "every evening at nine" is first due that evening, 21:00.
    home.intent("SetReminderIntent", practice="check in", time="21:00", day="every evening")
    (created,) = fake_alexa.created
    trigger = created.body["trigger"]
    assert trigger["timeZoneId"] == "Asia/Kolkata"
    assert trigger["scheduledTime"] == "2030-05-14T21:00:00"
    assert created.body["requestTime"] == "2030-05-14T05:00:00"


def test_without_a_device_zone_a_reminder_leaves_the_zone_to_alexa(
    home: AlexaHome, fake_alexa: FakeAlexaApi
) -> None:
    couple_in(home, fake_alexa, None, BEFORE_MIDNIGHT)
    home.intent("SetReminderIntent", practice="check in", time="21:00", day="every evening")
    (created,) = fake_alexa.created
    assert "timeZoneId" not in created.body["trigger"]


def test_a_streak_across_the_spring_dst_change_in_california(
    home: AlexaHome, fake_alexa: FakeAlexaApi, store: MemoryStore
) -> None:
    zone = ZoneInfo("America/Los_Angeles")
    # Saturday 9 March 2030, 20:00 PST; Sunday 10 March, 20:00 PDT (clocks went forward
    # at 2:00 that morning); Monday 11 March, 00:30 PDT (07:30 UTC).
    saturday = datetime(2030, 3, 9, 20, 0, tzinfo=zone).astimezone(UTC)
    sunday = datetime(2030, 3, 10, 20, 0, tzinfo=zone).astimezone(UTC)
    monday = datetime(2030, 3, 11, 0, 30, tzinfo=zone).astimezone(UTC)
    assert sunday - saturday == timedelta(hours=23)
    couple_in(home, fake_alexa, "America/Los_Angeles", saturday)
    for moment in (saturday, sunday, monday):
        home.now = moment
        home.intent("SilentSyncIntent", breaths="3")
        home.intent("AMAZON.NoIntent")
    assert profile_of(store, home).practice_days[-3:] == ["2030-03-09", "2030-03-10", "2030-03-11"]
    home.now = monday + timedelta(minutes=5)
    assert home.intent("StreakIntent").matches("3 days|3 day streak")
