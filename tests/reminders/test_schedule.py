"""What a reminder is, before any Alexa: recurrence rules, the first time it is due,
the permission token that carries it, and what "nine" means."""

from __future__ import annotations

from datetime import datetime

import pytest

from skill.practices.reminders import DAYS, PRACTICES, Schedule, resolved_hour

WEDNESDAY_1830 = datetime(2030, 5, 1, 18, 30)


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        ("every_day", "FREQ=DAILY;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1"),
        ("sunday", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1"),
        ("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1"),
        ("weekends", "FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1"),
    ],
)
def test_recurrence_rules(day: str, rule: str) -> None:
    assert Schedule("check_in", 21, 0, day).rrule() == rule


def test_the_rule_carries_the_minutes() -> None:
    assert "BYHOUR=7;BYMINUTE=30;" in Schedule("silent_sync", 7, 30).rrule()


@pytest.mark.parametrize(
    ("schedule", "first"),
    [
        # Later today.
        (Schedule("check_in", 21, 0), datetime(2030, 5, 1, 21, 0)),
        # Already past today: tomorrow.
        (Schedule("check_in", 9, 0), datetime(2030, 5, 2, 9, 0)),
        # Exactly now is not "after now".
        (Schedule("check_in", 18, 30), datetime(2030, 5, 2, 18, 30)),
        # The coming Sunday.
        (Schedule("trust_review", 19, 0, "sunday"), datetime(2030, 5, 5, 19, 0)),
        # Today is a Wednesday: this very evening.
        (Schedule("trust_review", 20, 0, "wednesday"), datetime(2030, 5, 1, 20, 0)),
        # A Wednesday already past: next week.
        (Schedule("trust_review", 8, 0, "wednesday"), datetime(2030, 5, 8, 8, 0)),
        (Schedule("silent_sync", 7, 0, "weekends"), datetime(2030, 5, 4, 7, 0)),
        (Schedule("silent_sync", 7, 0, "weekdays"), datetime(2030, 5, 2, 7, 0)),
    ],
)
def test_first_time_due(schedule: Schedule, first: datetime) -> None:
    assert schedule.first_after(WEDNESDAY_1830) == first


@pytest.mark.parametrize("day", sorted(DAYS))
@pytest.mark.parametrize("practice", PRACTICES)
def test_the_permission_token_brings_the_reminder_back(practice: str, day: str) -> None:
    schedule = Schedule(practice, 7, 5, day)
    assert Schedule.from_token(schedule.token()) == schedule


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "user-id-could-go-here",
        "steady.reminder.v1|check_in|21:00",
        "steady.reminder.v2|check_in|21:00|every_day",
        "steady.reminder.v1|walk_the_dog|21:00|every_day",
        "steady.reminder.v1|check_in|25:00|every_day",
        "steady.reminder.v1|check_in|9pm|every_day",
        "steady.reminder.v1|check_in|21:00|fortnightly",
        "steady.reminder.v1|check_in|21:00|every_day|extra",
    ],
)
def test_a_token_we_did_not_write_is_refused(token: str | None) -> None:
    assert Schedule.from_token(token) is None


@pytest.mark.parametrize("day", sorted(DAYS))
def test_a_rule_we_wrote_reads_back(day: str) -> None:
    schedule = Schedule("check_in", 21, 15, day)
    assert Schedule.from_rule("check_in", schedule.rrule()) == schedule


@pytest.mark.parametrize(
    "rule", ["FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9;BYMINUTE=0", "nonsense"]
)
def test_a_rule_we_did_not_write_is_not_guessed(rule: str) -> None:
    assert Schedule.from_rule("check_in", rule) is None


@pytest.mark.parametrize(
    ("hour", "part", "practice", "expected"),
    [
        (9, None, "check_in", None),  # "at nine": morning or evening?
        (9, "pm", "check_in", 21),  # "every evening at nine"
        (9, "am", "check_in", 9),
        (9, None, "evening_ritual", 21),  # the evening ritual is in the evening
        (21, None, "check_in", 21),
        (21, "am", "check_in", 21),  # an explicit 24-hour time wins
        (12, None, "check_in", 12),
        (12, "am", "check_in", 0),
        (0, None, "check_in", 0),
        (7, "pm", None, 19),
    ],
)
def test_what_an_hour_means(
    hour: int, part: str | None, practice: str | None, expected: int | None
) -> None:
    assert resolved_hour(hour, part, practice) == expected


@pytest.mark.parametrize(
    ("practice", "hour", "minute", "day"),
    [
        ("walk_the_dog", 9, 0, "every_day"),
        ("check_in", 24, 0, "every_day"),
        ("check_in", 9, 60, "every_day"),
        ("check_in", 9, 0, ""),
    ],
)
def test_a_schedule_is_always_valid(practice: str, hour: int, minute: int, day: str) -> None:
    with pytest.raises(ValueError, match=r"unknown|time"):
        Schedule(practice, hour, minute, day)
