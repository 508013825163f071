"""This week's picture of the trust bank, per partner: pure rules over the profile's
recent trust entries (read by the trust balance and its screen)."""

from __future__ import annotations

from dataclasses import dataclass

from skill.domain.clock import LocalClock
from skill.domain.couple import PartnerIndex, Profile


@dataclass(frozen=True)
class Noticed:
    """What one partner noticed from the other over a window."""

    receiver: int
    giver: int
    deposits: int
    withdrawals: int
    example: str | None  # the latest deposit, in the receiver's own words


def week_picture(profile: Profile, clock: LocalClock) -> list[Noticed]:
    """This week's deposits and withdrawals (the last seven days on the couple's
    calendar, today included), per partner who noticed them."""
    recent = [entry for entry in profile.recent_trust if clock.in_this_week(entry.at)]
    picture = []
    for receiver in PartnerIndex:
        mine = [entry for entry in recent if entry.receiver == receiver]
        deposits = [entry for entry in mine if entry.kind == "deposit"]
        picture.append(
            Noticed(
                receiver=int(receiver),
                giver=int(receiver.other),
                deposits=len(deposits),
                withdrawals=len(mine) - len(deposits),
                example=deposits[-1].note if deposits else None,
            )
        )
    return picture
