"""Questions about the couple's own history, answered from the profile's recent
windows (one read, no write): needs, feelings this week, the streak. Days are the
couple's own (`turn.clock`): "this morning" is their morning.

Whose history: the partner named, else the one speaking (a recognised voice, or who
said so this session); else "Whose history would you like?" is asked, with the
microphone open. Asked in the middle of a practice, the answer comes, then the
offer to go back to it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from skill.domain.clock import LocalClock, TimeOfDay
from skill.domain.couple import CheckInRecord, PartnerIndex
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.outcomes import Ask, AskAgain, Finish, Outcome
from skill.practices.who import both_names, heard_in_slot, partner_in_slot, present_partner
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.turn import Turn

TIMES_OF_DAY = frozenset(t.value for t in TimeOfDay)
TODAY = "today"
YESTERDAY = "yesterday"
MAX_FEELINGS_SAID = 5


class HistoryStep(StrEnum):
    WHO = "who"


class Question(StrEnum):
    NEED = "need"
    FEELING = "feeling"


@dataclass(frozen=True, kw_only=True)
class HistoryState(PracticeState):
    """Asking whose history: the question waiting for the answer, and when it asked
    about (a TimeOfDayType id, or "")."""

    flow = Flow.HISTORY

    step: HistoryStep = HistoryStep.WHO
    question: Question = Question.NEED
    when: str = ""


QUESTIONS = {Intent.HISTORY_NEED: Question.NEED, Intent.HISTORY_FEELING: Question.FEELING}


class History(Practice[HistoryState]):
    flow = Flow.HISTORY
    state_type = HistoryState
    speech = "history"
    starts = frozenset({Intent.HISTORY_NEED, Intent.HISTORY_FEELING, Intent.STREAK})
    answers = frozenset({Intent.NAME, Intent.BOTH, Intent.HISTORY_NEED, Intent.HISTORY_FEELING})

    def start(self, turn: Turn) -> Outcome:
        if turn.intent is Intent.STREAK:
            return Finish(*_streak(turn))
        intent = turn.intent
        question = QUESTIONS.get(intent, Question.NEED) if intent else Question.NEED
        state = HistoryState(question=question, when=turn.slot("time_of_day").resolved_id or "")
        if heard_in_slot(turn, "partner"):
            named = partner_in_slot(turn, "partner")
            if named is None:
                return Ask(state, say("history.unknown_name", **both_names(turn)))
            return Finish(*_answer(turn, state, named))
        speaker = present_partner(turn)
        if speaker is None:
            return Ask(state)
        return Finish(*_answer(turn, state, speaker))

    def elicit(self, state: HistoryState) -> Elicits | None:
        return (Intent.NAME, "name")

    def question(self, turn: Turn, state: HistoryState) -> tuple[Line, Line]:
        names = both_names(turn)
        return say("history.who", **names), say("history.who_reprompt", **names)

    def answer(self, turn: Turn, state: HistoryState) -> Outcome:
        intent = turn.intent
        if intent is Intent.BOTH:
            return Finish(*(line for p in PartnerIndex for line in _answer(turn, state, p)))
        if intent in QUESTIONS:
            # Asked again, in full ("how has Sam been feeling?"): that question now.
            return self.start(turn)
        named = partner_in_slot(turn, "name")
        if named is not None:
            return Finish(*_answer(turn, state, named))
        if heard_in_slot(turn, "name"):
            return AskAgain(state, say("history.unknown_name", **both_names(turn)), missed=True)
        return self.unexpected(turn, state)


def _answer(turn: Turn, state: HistoryState, who: PartnerIndex) -> list[Line]:
    if state.question is Question.FEELING:
        return [_feelings_this_week(turn, who)]
    return _need(turn, who, state.when)


def _day_name(turn: Turn, record: CheckInRecord) -> str:
    clock = turn.clock
    day = clock.day_of(record.at)
    if day == clock.today:
        return turn.renderer.line(say("history.today"))
    if day == clock.yesterday:
        return turn.renderer.line(say("history.yesterday"))
    weekdays: list[str] = turn.content.data["calendar"]["weekdays"]
    return turn.renderer.line(say("history.on_day", day=weekdays[day.weekday()]))


def _time_of_day(clock: LocalClock, record: CheckInRecord) -> str:
    """The part of the day a check-in belongs to: as it was named, else (a check-in
    kept before they were named) from its local hour."""
    if record.time_of_day in TIMES_OF_DAY:
        return record.time_of_day
    return clock.time_of_day_of(record.at).value


def _is_when(clock: LocalClock, record: CheckInRecord, wanted: str) -> bool:
    """Whether a check-in answers "this morning", "today", "yesterday"... (local)."""
    day = clock.day_of(record.at)
    if wanted == YESTERDAY:
        return day == clock.yesterday
    if day != clock.today:
        return False
    return wanted not in TIMES_OF_DAY or _time_of_day(clock, record) == wanted


def _need(turn: Turn, who: int, wanted: str) -> list[Line]:
    name = turn.profile.name_of(who)
    mine = [r for r in turn.profile.recent_check_ins if r.partner == who]
    if not mine:
        return [say("history.no_check_ins", name=name)]
    clock = turn.clock
    matching = [r for r in mine if _is_when(clock, r, wanted or TODAY)]
    if matching:
        need = turn.profile.read_back(who, matching[-1].need)
        return [say("history.needed", name=name, need=need)]
    latest = mine[-1]
    need = turn.profile.read_back(who, latest.need)
    last = say("history.last_need", name=name, when=_day_name(turn, latest), need=need)
    if not wanted:
        # Nothing today, and no time was asked about: simply the most recent one.
        return [last]
    return [say("history.not_then", name=name), last]


def _feelings_this_week(turn: Turn, who: int) -> Line:
    name = turn.profile.name_of(who)
    clock = turn.clock
    week = [
        r.feeling
        for r in turn.profile.recent_check_ins
        if r.partner == who and clock.in_this_week(r.at)
    ]
    if not week:
        return say("history.no_feelings_week", name=name)
    if len(week) == 1:
        return say("history.feelings_week_one", name=name, feelings=week[0])
    distinct = list(dict.fromkeys(reversed(week)))[:MAX_FEELINGS_SAID]
    listed = _join(turn, distinct)
    return say("history.feelings_week", name=name, count=len(week), feelings=listed)


def _streak(turn: Turn) -> list[Line]:
    today = turn.today
    days = turn.profile.streak(today)
    syncs = turn.profile.sync_count
    # The streak may end yesterday: then today is still to come, and it is said so.
    practiced_today = today.isoformat() in turn.profile.practice_days
    if days == 0:
        streak = say("history.streak_none")
    elif days == 1:
        streak = say("history.streak_one" if practiced_today else "history.streak_one_yesterday")
    elif practiced_today:
        streak = say("history.streak", days=days)
    else:
        streak = say("history.streak_to_yesterday", days=days, next=days + 1)
    if syncs == 0:
        return [streak]
    if syncs == 1:
        return [streak, say("history.one_sync")]
    return [streak, say("history.syncs", syncs=syncs)]


def _join(turn: Turn, words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' — the joining word comes from the content."""
    if len(words) == 1:
        return words[0]
    conjunction = turn.content.data["calendar"]["and"]
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
