"""The couples, profiles and events the store tests write: one couple's key, a
fixed now, small changes, and a profile with every list at its cap."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from skill.domain.couple import (
    MAX_ISSUES,
    MAX_NAME,
    MAX_PENDING_NOTES,
    MAX_STEPS,
    MAX_TEXT,
    RECENT_CHECK_INS,
    RECENT_PRACTICE_DAYS,
    RECENT_TRUST,
    CheckInRecord,
    GratitudeNote,
    IssueRecord,
    Partner,
    Profile,
    TrustEntry,
    TrustKind,
    iso,
)
from skill.domain.events import Event, EventKind

COUPLE = "couple-1f3a"
OTHER_COUPLE = "couple-77b0"
NOW = datetime.now(UTC).replace(microsecond=0)


def bump(profile: Profile) -> None:
    profile.sync_count += 1


def named(first: str, second: str) -> Any:
    def change(profile: Profile) -> None:
        profile.partners = [Partner(first), Partner(second)]

    return change


def event(kind: EventKind, at: datetime, event_id: str) -> Event:
    return Event(kind, at, event_id, {"note": f"n-{event_id}", "n": 1})


def sync_event(event_id: str, at: datetime = NOW) -> Event:
    return event(EventKind.SYNC, at, event_id)


def full_profile(char: str = "a") -> Profile:
    """Every list at its cap, every text at its longest."""
    text, stamp = char * MAX_TEXT, iso(NOW)
    voice = "amzn1.ask.person." + "X" * 100
    profile = Profile(
        partners=[Partner(char * MAX_NAME, [voice] * 4) for _ in range(2)],
        repair_word=text,
        created_at=stamp,
        last_review_at=stamp,
        used_prompts=list(range(100)),
    )
    for day in range(RECENT_PRACTICE_DAYS + 5):
        profile.mark_practice((NOW - timedelta(days=day)).date())
    for _ in range(RECENT_CHECK_INS + 5):
        profile.add_check_in(CheckInRecord(stamp, "evening", 0, text, text))
    for _ in range(RECENT_TRUST + 5):
        profile.add_trust(TrustEntry(stamp, "withdrawal", 1, 0, text))
    for n in range(MAX_PENDING_NOTES + 5):
        profile.add_note(GratitudeNote(f"note-{n:032d}", stamp, 0, 1, text))
    for n in range(MAX_ISSUES + 5):
        steps = [text] * (MAX_STEPS + 5)
        profile.upsert_issue(IssueRecord(f"issue-{n:032d}", text, stamp, [text, text], steps))
    return profile


_FEELINGS = ["calm", "tired", "anxious", "hopeful", "frustrated", "grateful", "lonely", "sad"]
_NEEDS = ["rest", "a hug", "time alone", "a walk", "to be heard", "quiet", "reassurance"]
_WORDS = [
    *("made", "tea", "picked", "me", "up", "listened", "without", "fixing", "called"),
    *("my", "mum", "booked", "the", "table", "fixed", "the", "tap", "cleaned", "up"),
    *("after", "dinner", "remembered", "the", "appointment", "left", "a", "note"),
]


def lived_in_profile(seed: int = 1) -> Profile:
    """A couple three years in: the windows full, with varied words and times (not the
    repeated text of `full_profile`, which compresses far better than real use)."""
    pick = random.Random(seed)

    def note() -> str:
        return " ".join(pick.choice(_WORDS) for _ in range(pick.randint(3, 9)))

    profile = Profile(
        partners=[Partner("Alexandra", ["a" * 40]), Partner("Samuel", ["b" * 40])],
        repair_word="pineapple",
        created_at=iso(NOW - timedelta(days=1095)),
        used_prompts=list(range(40)),
    )
    for n in range(RECENT_CHECK_INS):
        at = iso(NOW - timedelta(hours=13 * n + pick.randint(0, 5)))
        tod = pick.choice(["morning", "evening"])
        feeling, need = pick.choice(_FEELINGS), pick.choice(_NEEDS)
        profile.add_check_in(CheckInRecord(at, tod, n % 2, feeling, need))
    for n in range(RECENT_TRUST):
        at = iso(NOW - timedelta(hours=17 * n + pick.randint(0, 9)))
        kind: TrustKind = pick.choice(["deposit", "withdrawal"])
        profile.add_trust(TrustEntry(at, kind, n % 2, 1 - n % 2, note()))
    for n in range(8):
        profile.add_note(
            GratitudeNote(f"n{n}", iso(NOW - timedelta(days=n)), n % 2, 1 - n % 2, note())
        )
    for n in range(6):
        steps = [note() for _ in range(pick.randint(2, 6))]
        feelings = [pick.choice(_FEELINGS) for _ in range(3)]
        created = iso(NOW - timedelta(days=30 * n))
        profile.upsert_issue(IssueRecord(f"i{n}", note()[:40], created, feelings, steps))
    for day in range(RECENT_PRACTICE_DAYS):
        profile.mark_practice((NOW - timedelta(days=day)).date())
    return profile
