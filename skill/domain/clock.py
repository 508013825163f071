"""The couple's own clock: everything dated is local to them.

Moments are stored in UTC (ISO 8601); days, "this morning", "this week", streaks,
note ages and review due dates are read on the couple's local calendar, in the time
zone of their device (the Alexa Settings API, kept in the profile), or else the main
zone of their locale. Pure rules: no ASK imports, no clock of its own (the request's
timestamp is "now")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The zone of most of each locale's people, used when the device's is not known.
LOCALE_ZONES = {
    "en-US": "America/New_York",
    "en-GB": "Europe/London",
    "en-CA": "America/Toronto",
    "en-AU": "Australia/Sydney",
    "en-IN": "Asia/Kolkata",
}
DEFAULT_ZONE = "America/New_York"
# How long a zone read from the device is trusted before it is read again.
REFRESH_EVERY = timedelta(days=1)
# Local hours: morning from 4:00, afternoon from 12:00, evening from 17:00 (the small
# hours count as evening too: nobody checks in "this morning" at one a.m.).
MORNING_FROM = 4
AFTERNOON_FROM = 12
EVENING_FROM = 17
WEEK_DAYS = 7
# IANA names: "Area/Location[/More]" or a few bare ones ("UTC"); nothing else is tried.
_ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}$")
MAX_ZONE_CHARS = 64


class ZoneSource(StrEnum):
    """Where the zone came from: the device (Settings API), the configuration (the
    chat's --tz), or only the locale's main zone (a guess)."""

    DEVICE = "device"
    FIXED = "fixed"
    LOCALE = "locale"


class TimeOfDay(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


@cache
def zone_named(name: str | None) -> ZoneInfo | None:
    """The zone of an IANA name, or None for anything that is not one we know."""
    if not name or len(name) > MAX_ZONE_CHARS or not _ZONE_NAME.match(name):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def locale_zone(locale: str) -> ZoneInfo:
    found = zone_named(LOCALE_ZONES.get(locale, DEFAULT_ZONE))
    assert found is not None, "every locale's main zone is a known IANA name"
    return found


def time_of_day(hour: int) -> TimeOfDay:
    """Morning, afternoon or evening for a local hour (0-23)."""
    if MORNING_FROM <= hour < AFTERNOON_FROM:
        return TimeOfDay.MORNING
    if AFTERNOON_FROM <= hour < EVENING_FROM:
        return TimeOfDay.AFTERNOON
    return TimeOfDay.EVENING


def as_utc(moment: datetime | str) -> datetime:
    """A stored moment (ISO text or datetime) as an aware UTC datetime; a naive one is
    taken as UTC (how every moment is stored)."""
    found = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


def zone_is_fresh(checked_at: str | None, now: datetime) -> bool:
    """True when the zone was read from the device less than a day ago."""
    if not checked_at:
        return False
    try:
        checked = as_utc(checked_at)
    except ValueError:
        return False
    return timedelta(0) <= now - checked < REFRESH_EVERY


@dataclass(frozen=True)
class LocalClock:
    """ "Now" on the couple's own clock."""

    zone: ZoneInfo
    now: datetime  # aware, UTC
    source: ZoneSource = ZoneSource.LOCALE

    @property
    def zone_name(self) -> str:
        return self.zone.key

    def local(self, moment: datetime | str) -> datetime:
        """A stored moment on the local clock."""
        return as_utc(moment).astimezone(self.zone)

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.zone)

    @property
    def today(self) -> date:
        return self.local_now.date()

    @property
    def yesterday(self) -> date:
        return self.today - timedelta(days=1)

    def day_of(self, moment: datetime | str) -> date:
        """The local calendar day a stored moment fell on."""
        return self.local(moment).date()

    def days_since(self, moment: datetime | str) -> int:
        """Local calendar days from a stored moment to today (0: today)."""
        return (self.today - self.day_of(moment)).days

    @property
    def week_start(self) -> date:
        """The first day of "this week": the last seven local days, today included."""
        return self.today - timedelta(days=WEEK_DAYS - 1)

    def in_this_week(self, moment: datetime | str) -> bool:
        return self.week_start <= self.day_of(moment) <= self.today

    @property
    def time_of_day(self) -> TimeOfDay:
        return time_of_day(self.local_now.hour)

    def time_of_day_of(self, moment: datetime | str) -> TimeOfDay:
        return time_of_day(self.local(moment).hour)

    def wall_now(self) -> datetime:
        """Now as a local wall-clock time without a zone (whole seconds)."""
        return self.local_now.replace(tzinfo=None, microsecond=0)
