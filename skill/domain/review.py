"""When the weekly trust review is due: pure dates from the profile, read at every
launch without loading the review practice itself."""

from __future__ import annotations

from datetime import datetime, timedelta

from skill.domain.clock import LocalClock
from skill.domain.couple import Profile, parse_iso

REVIEW_EVERY = timedelta(days=7)


def review_anchor(profile: Profile) -> datetime | None:
    """Since when the next review is counted: the last review; before the first one,
    the earliest we know of the couple (set-up time, or their first trust entry for a
    profile kept before set-up times were)."""
    if profile.last_review_at:
        return parse_iso(profile.last_review_at)
    known = [entry.at for entry in profile.recent_trust]
    if profile.created_at:
        known.append(profile.created_at)
    return min((parse_iso(at) for at in known), default=None)


def review_due(profile: Profile, clock: LocalClock) -> bool:
    """Due from the same local day of the next week (a review on Sunday evening is
    due again from next Sunday morning)."""
    anchor = review_anchor(profile)
    if not profile.is_set_up or anchor is None:
        return False
    return clock.today >= clock.day_of(anchor) + REVIEW_EVERY


__all__ = ["REVIEW_EVERY", "review_anchor", "review_due"]
