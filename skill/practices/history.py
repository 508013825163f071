"""Questions about the couple's own history, answered from the profile's recent
windows (one read, no write): needs, feelings this week, the streak."""

from __future__ import annotations

from datetime import timedelta

from skill.domain.couple import CheckInRecord, PartnerIndex, parse_iso
from skill.intents import Intent
from skill.practices.base import OneTurnPractice
from skill.practices.outcomes import End, Outcome
from skill.session import Flow
from skill.speech.render import say
from skill.turn import Turn


class History(OneTurnPractice):
    flow = Flow.HISTORY
    speech = "history"
    starts = frozenset({Intent.HISTORY_NEED, Intent.HISTORY_FEELING, Intent.STREAK})

    def start(self, turn: Turn) -> Outcome:
        if turn.intent is Intent.STREAK:
            return _streak(turn)
        who = _partner(turn)
        if who is None:
            names = turn.profile.partners
            return End(say("history.who", first=names[0].name, second=names[1].name))
        if turn.intent is Intent.HISTORY_NEED:
            return _need(turn, who)
        return _feelings_this_week(turn, who)


def _partner(turn: Turn) -> PartnerIndex | None:
    heard = turn.slot("partner").value
    if heard:
        return turn.profile.partner_named(heard)
    return turn.state.speaker


def _day_name(turn: Turn, record: CheckInRecord) -> str:
    day = parse_iso(record.at).date()
    if day == turn.today:
        return turn.renderer.line(say("history.today"))
    if day == turn.today - timedelta(days=1):
        return turn.renderer.line(say("history.yesterday"))
    weekdays: list[str] = turn.content.data["calendar"]["weekdays"]
    return turn.renderer.line(say("history.on_day", day=weekdays[day.weekday()]))


def _need(turn: Turn, who: int) -> Outcome:
    name = turn.profile.name_of(who)
    wanted = turn.slot("time_of_day").resolved_id
    mine = [r for r in turn.profile.recent_check_ins if r.partner == who]
    if not mine:
        return End(say("history.no_check_ins", name=name))
    matching = [
        r
        for r in mine
        if parse_iso(r.at).date() == turn.today and (not wanted or r.time_of_day == wanted)
    ]
    if matching:
        latest = matching[-1]
        return End(say("history.needed", name=name, need=latest.need))
    latest = mine[-1]
    return End(
        say("history.not_then", name=name),
        say("history.last_need", name=name, when=_day_name(turn, latest), need=latest.need),
    )


def _feelings_this_week(turn: Turn, who: int) -> Outcome:
    name = turn.profile.name_of(who)
    since = turn.now - timedelta(days=7)
    week = [
        r.feeling
        for r in turn.profile.recent_check_ins
        if r.partner == who and parse_iso(r.at) >= since
    ]
    if not week:
        return End(say("history.no_feelings_week", name=name))
    distinct = list(dict.fromkeys(reversed(week)))[:5]
    listed = _join(turn, distinct)
    return End(say("history.feelings_week", name=name, count=len(week), feelings=listed))


def _streak(turn: Turn) -> Outcome:
    days = turn.profile.streak(turn.today)
    syncs = turn.profile.sync_count
    if days == 0:
        streak = say("history.streak_none")
    elif days == 1:
        streak = say("history.streak_one")
    else:
        streak = say("history.streak", days=days)
    if syncs == 0:
        return End(streak)
    if syncs == 1:
        return End(streak, say("history.one_sync"))
    return End(streak, say("history.syncs", syncs=syncs))


def _join(turn: Turn, words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' — the joining word comes from the content."""
    if len(words) == 1:
        return words[0]
    conjunction = turn.content.data["calendar"]["and"]
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
