"""A week-long scripted conversation, Monday to the next Monday, for couples in three
zones (California across the spring DST change, India's half hour, London). Every
history, streak and review answer is checked against a table this test computes on
its own, from the local times it scripts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from skill.store.memory import MemoryStore
from tests.dialog.harness import Clocked, make_skill, profile_of, set_up_couple, test_settings

MONDAY = date(2030, 3, 4)  # to Monday 11 March; California moves its clocks on the 10th
ZONES = ("America/Los_Angeles", "Asia/Kolkata", "Europe/London")
FEELINGS = ("calm", "tired", "hopeful", "stretched", "content", "anxious", "grateful", "tender")
NEEDS = ("a walk", "an early night", "a hug", "quiet", "help with dinner", "a chat", "tea", "sleep")
# Days (0 = Monday) the couple does nothing at all, and days without a morning check-in.
IDLE_DAYS = frozenset({3})
NO_CHECK_IN_DAYS = frozenset({3, 5})
# Days with a deposit for Sam in the evening (noticed by Alex).
DEPOSIT_DAYS = frozenset({0, 1, 4, 6})


@dataclass
class Table:
    """What the couple did, on their own calendar: the expected answers come from here."""

    practice_days: set[date] = field(default_factory=set)
    check_ins: list[tuple[date, str, str, str]] = field(default_factory=list)  # day, who, f, n
    deposits: list[date] = field(default_factory=list)

    def streak(self, today: date) -> tuple[int, bool]:
        cursor = today if today in self.practice_days else today - timedelta(days=1)
        count = 0
        while cursor in self.practice_days:
            count += 1
            cursor -= timedelta(days=1)
        return count, today in self.practice_days

    def week(self, today: date) -> list[tuple[date, str, str, str]]:
        return [c for c in self.check_ins if today - timedelta(days=6) <= c[0] <= today]


def at(zone: ZoneInfo, day: int, hour: int, minute: int = 0) -> datetime:
    """A local wall-clock time on day `day` of the week, as the request's UTC timestamp."""
    local = datetime.combine(MONDAY + timedelta(days=day), time(hour, minute), tzinfo=zone)
    return local.astimezone(UTC)


def assert_streak(home: Clocked, table: Table, today: date) -> None:
    said = home.intent("StreakIntent")
    days, includes_today = table.streak(today)
    if days == 0:
        assert said.says("fresh start"), said.text
    elif days == 1:
        assert said.matches("practi[cs]ed today" if includes_today else "yesterday"), said.text
    elif includes_today:
        assert said.matches(f"{days} days in a row|{days} day streak"), said.text
        assert "yesterday" not in said.text
    else:
        assert said.matches(f"{days} days in a row"), said.text
        assert said.matches("up to yesterday|until yesterday"), said.text


def assert_feelings(home: Clocked, table: Table, today: date, who: str) -> None:
    said = home.intent("HistoryFeelingIntent", partner=who)
    mine = [c for c in table.week(today) if c[1] == who]
    if not mine:
        assert said.says("hasn't checked in this week"), said.text
        return
    if len(mine) == 1:
        assert said.says("once", mine[0][2]), said.text
        return
    assert said.matches(f"{len(mine)} times|{len(mine)} check-ins"), said.text
    recent = list(dict.fromkeys(c[2] for c in reversed(mine)))[:5]
    assert said.says(*recent), (recent, said.text)


def assert_need_this_morning(home: Clocked, table: Table, today: date) -> None:
    said = home.intent("HistoryNeedIntent", partner="Alex", time_of_day="morning")
    mine = [c for c in table.check_ins if c[1] == "Alex"]
    todays = [c for c in mine if c[0] == today]
    if todays:
        assert said.says(todays[-1][3]) and "for then" not in said.text, said.text
        return
    assert said.says("for then"), said.text
    latest = mine[-1]
    when = "yesterday" if latest[0] == today - timedelta(days=1) else latest[0].strftime("%A")
    assert said.says(when, latest[3]), (when, said.text)


def assert_balance(home: Clocked, table: Table, today: date) -> None:
    said = home.intent("TrustBalanceIntent")
    week = [d for d in table.deposits if today - timedelta(days=6) <= d <= today]
    if not week:
        assert said.matches("quiet this week|nothing in the trust bank"), said.text
    elif len(week) == 1:
        assert said.says("Alex", "one kind moment from Sam") or said.says("Alex noticed Sam")
    else:
        assert said.says(f"{len(week)} kind moments from Sam"), (len(week), said.text)


@pytest.mark.parametrize("zone_name", ZONES)
def test_a_week_monday_to_monday(tmp_path: Path, zone_name: str) -> None:
    zone = ZoneInfo(zone_name)
    store = MemoryStore()
    skill = make_skill(store, test_settings(tmp_path, time_zone=zone_name))
    home = Clocked(skill, now=at(zone, 0, 6, 45))
    set_up_couple(home)
    table = Table()
    for day in range(8):
        today = MONDAY + timedelta(days=day)
        # Launch in the morning: the weekly review comes up from the next Monday on.
        home.now = at(zone, day, 7, 0)
        said = home.launch()
        assert ("review" in said.text) == (day >= 7), (day, said.text)
        home.intent("AMAZON.StopIntent")
        if day in IDLE_DAYS:
            home.now = at(zone, day, 22, 30)
            assert_streak(home, table, today)
            continue
        if day not in NO_CHECK_IN_DAYS:
            home.now = at(zone, day, 7, 30)
            home.intent("CheckInIntent")
            for who, offset in (("Alex", 0), ("Sam", 1)):
                feeling = FEELINGS[(day + offset) % len(FEELINGS)]
                need = NEEDS[(day + 3 * offset) % len(NEEDS)]
                home.intent("FeelingIntent", feeling=feeling)
                said = home.intent("NeedIntent", need=need)
                table.check_ins.append((today, who, feeling, need))
            assert said.ended
            assert profile_of(store, home).recent_check_ins[-1].time_of_day == "morning"
            table.practice_days.add(today)
        # The evening, late: for some zones past midnight UTC.
        home.now = at(zone, day, 21, 15)
        home.intent("SilentSyncIntent", breaths="3")
        home.intent("AMAZON.NoIntent")
        table.practice_days.add(today)
        if day in DEPOSIT_DAYS:
            home.intent("TrustDepositIntent", partner="Sam")
            home.intent("NoteTextIntent", note=f"kind thing {day}")
            table.deposits.append(today)
        home.now = at(zone, day, 23, 40)
        assert_streak(home, table, today)
        assert_need_this_morning(home, table, today)
        assert_feelings(home, table, today, "Sam")
        assert_balance(home, table, today)
    stored = profile_of(store, home)
    assert sorted(stored.practice_days) == sorted(d.isoformat() for d in table.practice_days)
