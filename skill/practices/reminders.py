"""Reminders for the couple's practices, through the Alexa Reminders API.

"Remind us every evening at nine to check in" sets a recurring reminder; what is
missing (which practice, what time, morning or evening, which day for the weekly
review) is asked for one question at a time. Without the reminders permission the
skill asks for it by voice (a `Connections.SendRequest` "AskFor" whose token carries
the reminder to set); the `Connections.Response` that comes back sets it, or explains
kindly how to allow it in the Alexa app. "What reminders do we have" reads ours back;
"cancel our reminders" deletes them after a yes. Reminders are only ever created in a
session, at the couple's own request (Alexa's rule)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.services.reminder_management import (
    AlertInfo,
    PushNotification,
    PushNotificationStatus,
    Recurrence,
    ReminderRequest,
    SpokenInfo,
    SpokenText,
    Trigger,
    TriggerType,
)
from ask_sdk_model.ui import AskForPermissionsConsentCard

from skill.alexa_api import (
    AlexaReminders,
    ReminderPermissionError,
    RemindersApiError,
    RemindersUnavailableError,
    StoredReminder,
    budget,
)
from skill.domain.clock import LocalClock, ZoneSource
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.outcomes import Ask, AskAgain, End, Finish, HandOver, Outcome
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.speech.ssml import Ssml, speak, strip_tags
from skill.turn import Turn

log = logging.getLogger(__name__)

REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
PENDING_TAG = "steady.reminder.v1"
CREATE_BUDGET_SECONDS = 2.5
CANCEL_BUDGET_SECONDS = 4.5
MAX_READ_OUT = 4

# PracticeType ids (interaction model) a reminder can be for.
PRACTICES = ("check_in", "silent_sync", "trust_review", "evening_ritual")
# A practice named by its own starting intent is an answer to "which practice?".
PRACTICE_INTENTS: dict[Intent, str] = {
    Intent.CHECK_IN: "check_in",
    Intent.SILENT_SYNC: "silent_sync",
    Intent.TRUST_REVIEW: "trust_review",
    Intent.EVENING_RITUAL: "evening_ritual",
}
# ... and, said while cancelling, starts that practice instead (its starting intent).
PRACTICE_FLOWS: dict[Intent, Flow] = {
    Intent.CHECK_IN: Flow.CHECK_IN,
    Intent.SILENT_SYNC: Flow.SILENT_SYNC,
    Intent.TRUST_REVIEW: Flow.TRUST_REVIEW,
    Intent.EVENING_RITUAL: Flow.EVENING,
}
WEEKLY_PRACTICES = frozenset({"trust_review"})  # asks which day when none was said
EVENING_PRACTICES = frozenset({"evening_ritual"})  # "at nine" means 21:00
EVERY_DAY = "every_day"
# DayType ids -> RRULE BYDAY (empty: daily).
DAYS: dict[str, tuple[str, ...]] = {
    "monday": ("MO",),
    "tuesday": ("TU",),
    "wednesday": ("WE",),
    "thursday": ("TH",),
    "friday": ("FR",),
    "saturday": ("SA",),
    "sunday": ("SU",),
    EVERY_DAY: (),
    "weekdays": ("MO", "TU", "WE", "TH", "FR"),
    "weekends": ("SA", "SU"),
}
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# AMAZON.TIME parts of the day.
PART_OF_DAY = {"MO": "am", "AF": "pm", "EV": "pm", "NI": "pm"}
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


# ---------------------------------------------------------------------------------------
# What a reminder is: pure rules, no Alexa.


@dataclass(frozen=True)
class Schedule:
    """A recurring reminder for one practice at a local wall-clock time."""

    practice: str
    hour: int
    minute: int
    day: str = EVERY_DAY

    def __post_init__(self) -> None:
        if self.practice not in PRACTICES or self.day not in DAYS:
            raise ValueError("unknown practice or day")
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError("not a time of day")

    @property
    def by_day(self) -> tuple[str, ...]:
        return DAYS[self.day]

    def rrule(self) -> str:
        days = f"BYDAY={','.join(self.by_day)};" if self.by_day else ""
        freq = "WEEKLY" if self.by_day else "DAILY"
        return f"FREQ={freq};{days}BYHOUR={self.hour};BYMINUTE={self.minute};BYSECOND=0;INTERVAL=1"

    def first_after(self, moment: datetime) -> datetime:
        """The first time the reminder is due after `moment` (a naive wall-clock time)."""
        candidate = moment.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        while candidate <= moment or (
            self.by_day and WEEKDAY_CODES[candidate.weekday()] not in self.by_day
        ):
            candidate += timedelta(days=1)
        return candidate

    def token(self) -> str:
        return f"{PENDING_TAG}|{self.practice}|{self.hour:02d}:{self.minute:02d}|{self.day}"

    @classmethod
    def from_token(cls, token: str | None) -> Schedule | None:
        parts = (token or "").split("|")
        if len(parts) != 4 or parts[0] != PENDING_TAG:
            return None
        clock = _CLOCK.match(parts[2])
        if clock is None:
            return None
        try:
            return cls(parts[1], int(clock.group(1)), int(clock.group(2)), parts[3])
        except ValueError:
            return None

    @classmethod
    def from_rule(cls, practice: str, rule: str) -> Schedule | None:
        """Read back a rule this skill wrote (FREQ, BYDAY, BYHOUR, BYMINUTE)."""
        fields = dict(part.split("=", 1) for part in rule.strip(";").split(";") if "=" in part)
        by_day = tuple(d for d in fields.get("BYDAY", "").split(",") if d)
        day = next((name for name, codes in DAYS.items() if codes == by_day), None)
        try:
            return cls(practice, int(fields["BYHOUR"]), int(fields.get("BYMINUTE", 0)), day or "")
        except (KeyError, ValueError):
            return None


def reminder_request(
    schedule: Schedule, clock: LocalClock, locale: str, text: str
) -> ReminderRequest:
    """The API body. Times are the couple's local wall-clock times; `timeZoneId` names
    their zone when it is known (from the device or the configuration). With only the
    locale's guess it is left out, and Alexa reads the times in the device's zone."""
    wall_now = clock.wall_now()
    first = schedule.first_after(wall_now)
    known = clock.source is not ZoneSource.LOCALE
    return ReminderRequest(
        request_time=wall_now,
        trigger=Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE,
            scheduled_time=first,
            time_zone_id=clock.zone_name if known else None,
            recurrence=Recurrence(start_date_time=first, recurrence_rules=[schedule.rrule()]),
        ),
        alert_info=AlertInfo(
            spoken_info=SpokenInfo(content=[SpokenText(locale=locale, text=text)])
        ),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
    )


def resolved_hour(hour: int, part: str | None, practice: str | None) -> int | None:
    """The 24-hour hour, or None while "nine" could be morning or evening."""
    if hour >= 12 or hour == 0:
        return 0 if (hour == 12 and part == "am") else hour
    if part == "pm" or (part is None and practice in EVENING_PRACTICES):
        return hour + 12
    if part == "am":
        return hour
    return None


# ---------------------------------------------------------------------------------------
# The conversation.


class ReminderStep(StrEnum):
    PRACTICE = "practice"
    TIME = "time"
    PART = "part"
    DAY = "day"
    # Cancelling: all of them?
    CANCEL = "cancel"


@dataclass(frozen=True, kw_only=True)
class ReminderState(PracticeState):
    flow = Flow.REMINDERS

    step: ReminderStep = ReminderStep.PRACTICE
    # The reminder being set, as far as it has been said (a PracticeType id, the
    # clock time, am or pm, a DayType id).
    practice: str = ""
    hour: int | None = None
    minute: int = 0
    part: str | None = None
    day: str | None = None
    # Cancelling: how many reminders would go.
    count: int = 0


class Reminders(Practice[ReminderState]):
    flow = Flow.REMINDERS
    state_type = ReminderState
    speech = "reminders"
    starts = frozenset({Intent.SET_REMINDER, Intent.LIST_REMINDERS, Intent.CANCEL_REMINDERS})
    answers = frozenset(
        {
            Intent.SET_REMINDER,
            Intent.LIST_REMINDERS,
            Intent.CANCEL_REMINDERS,
            Intent.YES,
            Intent.NO,
            *PRACTICE_INTENTS,
        }
    )
    needs_couple = False

    def start(self, turn: Turn) -> Outcome:
        if turn.intent is Intent.LIST_REMINDERS:
            return Finish(*_list_lines(turn))
        if turn.intent is Intent.CANCEL_REMINDERS:
            return self._offer_cancel(turn)
        return self._advance(turn, ReminderState(), answering=False)

    def elicit(self, state: ReminderState) -> Elicits | None:
        return (Intent.SET_REMINDER, "time") if state.step is ReminderStep.TIME else None

    def question(self, turn: Turn, state: ReminderState) -> tuple[Line, Line]:
        practice = _practice_line(turn, state.practice)
        if state.step is ReminderStep.TIME:
            return say("reminders.ask_time", practice=practice), say("reminders.ask_time_reprompt")
        if state.step is ReminderStep.PART:
            hour, minute = state.hour or 0, state.minute
            said = f"{hour}:{minute:02d}" if minute else str(hour)
            return say("reminders.ask_part", hour=said), say("reminders.ask_part_reprompt")
        if state.step is ReminderStep.DAY:
            return say("reminders.ask_day", practice=practice), say("reminders.ask_day_reprompt")
        if state.step is ReminderStep.CANCEL:
            return _cancel_question(state.count)
        return say("reminders.ask_practice"), say("reminders.ask_practice_reprompt")

    def answer(self, turn: Turn, state: ReminderState) -> Outcome:
        intent = turn.intent
        if intent is Intent.LIST_REMINDERS:
            # Heard mid-way: read them out, then back to the question.
            return AskAgain(state, *_list_lines(turn))
        if state.step is ReminderStep.CANCEL:
            if intent in (Intent.YES, Intent.CANCEL_REMINDERS):
                return _cancel_all(turn)
            if intent is Intent.NO:
                return Finish(say("reminders.kept"))
            if intent is not None and intent in PRACTICE_FLOWS:
                return HandOver(PRACTICE_FLOWS[intent])
            return self.unexpected(turn, state)
        if intent is Intent.CANCEL_REMINDERS:
            # "Cancel the reminder" while setting one: never mind.
            return Finish(say("reminders.not_set"))
        if intent in (Intent.YES, Intent.NO):
            return self.unexpected(turn, state)
        return self._advance(turn, state, answering=True)

    def _advance(self, turn: Turn, state: ReminderState, *, answering: bool) -> Outcome:
        """Take what this turn said, then ask for what is still missing, or set it."""
        heard = _heard(turn)
        merged = heard.onto(state)
        before = [say("reminders.unknown_practice")] if heard.unknown_practice else []
        missing = _missing(merged)
        if missing is None:
            return set_reminder(turn, _schedule_of(merged), may_ask=True).outcome
        if answering and missing is state.step and not heard.anything and not before:
            return self.unexpected(turn, state)
        return Ask(replace(merged, step=missing), *before)

    def _offer_cancel(self, turn: Turn) -> Outcome:
        found = _ours(turn)
        if isinstance(found, Line):
            return Finish(found)
        if not found:
            return Finish(say("reminders.none_to_cancel"))
        state = ReminderState(step=ReminderStep.CANCEL, count=len(found))
        if len(found) == 1:
            return Ask(state, say("reminders.list_one", item=_item(turn, found[0])))
        return Ask(state)

    def stopped(self, turn: Turn, state: ReminderState) -> list[Line]:
        if state.step is ReminderStep.CANCEL:
            return [say("reminders.kept")]
        return [say("reminders.not_set")]


@dataclass(frozen=True)
class _Heard:
    """What one request said of the reminder to set (None: not said)."""

    practice: str | None = None
    hour: int | None = None
    minute: int | None = None
    part: str | None = None
    day: str | None = None
    unknown_practice: bool = False

    @property
    def anything(self) -> bool:
        said = (self.practice, self.hour, self.minute, self.part, self.day)
        return any(value is not None for value in said)

    def onto(self, state: ReminderState) -> ReminderState:
        """`state` with what was heard now in place of what was heard before."""
        return replace(
            state,
            practice=self.practice if self.practice is not None else state.practice,
            hour=self.hour if self.hour is not None else state.hour,
            minute=self.minute if self.minute is not None else state.minute,
            part=self.part if self.part is not None else state.part,
            day=self.day if self.day is not None else state.day,
        )


def _heard(turn: Turn) -> _Heard:
    practice, hour, minute, part, day = None, None, None, None, None
    unknown = False
    said_practice = turn.slot("practice")
    intent = turn.intent
    if intent is not None and intent in PRACTICE_INTENTS:
        practice = PRACTICE_INTENTS[intent]
    elif said_practice.resolved_id in PRACTICES:
        practice = str(said_practice.resolved_id)
    elif said_practice.raw:
        unknown = True
    said_day = turn.slot("day")
    if said_day.resolved_id in DAYS:
        day = str(said_day.resolved_id)
    part = _part_in_words(turn, said_day.raw or "")
    said_part = turn.slot("part").resolved_id
    if said_part in ("am", "pm"):
        # "seven thirty in the morning": the part of the day in a slot of its own.
        part = str(said_part)
    time_heard = (turn.slot("time").raw or "").strip().upper()
    clock = _CLOCK.match(time_heard)
    if clock and int(clock.group(1)) <= 23 and int(clock.group(2)) <= 59:
        hour, minute = int(clock.group(1)), int(clock.group(2))
    elif time_heard in PART_OF_DAY:
        part = PART_OF_DAY[time_heard]
    return _Heard(practice, hour, minute, part, day, unknown)


def _part_in_words(turn: Turn, said: str) -> str | None:
    """'every evening', 'every night' (a DayType synonym) say which half of the day."""
    words = set(said.lower().split())
    for part in ("pm", "am"):
        if words & set(turn.content.variants(f"reminders.words.{part}")):
            return part
    return None


def _missing(state: ReminderState) -> ReminderStep | None:
    """The first thing still to ask for, or None when the reminder can be set."""
    if not state.practice:
        return ReminderStep.PRACTICE
    if state.hour is None:
        return ReminderStep.TIME
    if resolved_hour(state.hour, state.part, state.practice) is None:
        return ReminderStep.PART
    if state.practice in WEEKLY_PRACTICES and state.day is None:
        return ReminderStep.DAY
    return None


def _schedule_of(state: ReminderState) -> Schedule:
    assert state.hour is not None
    hour = resolved_hour(state.hour, state.part, state.practice)
    assert hour is not None
    return Schedule(state.practice, hour, state.minute, state.day or EVERY_DAY)


# ---------------------------------------------------------------------------------------
# Setting one, and the permission it needs.


@dataclass(frozen=True)
class PermissionAnswer:
    """What happens next, and whether the Alexa app should get a permissions card."""

    outcome: Outcome
    consent_card: bool = False


def consent_card() -> AskForPermissionsConsentCard:
    return AskForPermissionsConsentCard(permissions=[REMINDERS_SCOPE])


def has_consent(turn: Turn) -> bool:
    system = turn.envelope.context.system if turn.envelope.context else None
    permissions = system.user.permissions if system is not None and system.user else None
    if permissions is None:
        return False
    scope = (permissions.scopes or {}).get(REMINDERS_SCOPE)
    granted = scope is not None and str(getattr(scope.status, "value", "")) == "GRANTED"
    return bool(permissions.consent_token) or granted


def ask_permission(turn: Turn, schedule: Schedule) -> Outcome:
    """Alexa asks for the permission by voice; the token brings the reminder back."""
    ask_for = SendRequestDirective(
        name="AskFor",
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}],
        },
        token=schedule.token(),
    )
    return End(say("reminders.need_permission"), directives=[ask_for])


def set_reminder(turn: Turn, schedule: Schedule, *, may_ask: bool) -> PermissionAnswer:
    """Create the reminder and say so; without permission, ask for it (`may_ask`) or
    explain how to allow it."""
    try:
        api = AlexaReminders(turn.handler_input)
    except RemindersUnavailableError:
        return PermissionAnswer(Finish(say("reminders.unavailable")))
    if may_ask and not has_consent(turn):
        return PermissionAnswer(ask_permission(turn, schedule))
    text = strip_tags(speak(turn.renderer.line(say(f"reminders.text.{schedule.practice}"))))
    try:
        with budget(CREATE_BUDGET_SECONDS):
            api.create(reminder_request(schedule, turn.clock, turn.locale, text))
    except ReminderPermissionError:
        if may_ask:
            return PermissionAnswer(ask_permission(turn, schedule))
        return PermissionAnswer(Finish(say("reminders.permission_denied")), True)
    except RemindersApiError:
        return PermissionAnswer(Finish(say("reminders.failed")))
    log.info("reminder created", extra={"event": "reminder_created"})
    return PermissionAnswer(Finish(say("reminders.created", **_describe(turn, schedule))))


def permission_result(turn: Turn) -> PermissionAnswer:
    """The `Connections.Response` to our AskFor: set the pending reminder, or explain."""
    request = turn.request
    payload: dict[str, Any] = getattr(request, "payload", None) or {}
    status = str(payload.get("status") or "")
    code = str(getattr(getattr(request, "status", None), "code", "") or "")
    pending = Schedule.from_token(getattr(request, "token", None))
    log.info("permission answer", extra={"event": "permission", "outcome": status or code})
    if getattr(request, "name", None) != "AskFor" or code not in ("", "200"):
        return PermissionAnswer(Finish(say("reminders.permission_unclear")), True)
    if status != "ACCEPTED":
        return PermissionAnswer(Finish(say("reminders.permission_denied")), True)
    if pending is None:
        return PermissionAnswer(Finish(say("reminders.permission_granted")))
    return set_reminder(turn, pending, may_ask=False)


# ---------------------------------------------------------------------------------------
# Reading them back, and cancelling them.


def _ours(turn: Turn) -> list[StoredReminder] | Line:
    """This skill's active reminders, or the line that says why we cannot tell."""
    try:
        api = AlexaReminders(turn.handler_input)
        if not has_consent(turn):
            return say("reminders.list_no_permission")
        with budget(CREATE_BUDGET_SECONDS):
            return [r for r in api.list_all() if r.status.upper() != "COMPLETED"]
    except RemindersUnavailableError:
        return say("reminders.unavailable")
    except ReminderPermissionError:
        return say("reminders.list_no_permission")
    except RemindersApiError:
        return say("reminders.failed")


def _list_lines(turn: Turn) -> list[Line]:
    found = _ours(turn)
    if isinstance(found, Line):
        return [found]
    if not found:
        return [say("reminders.none")]
    items = [_item(turn, reminder) for reminder in found[:MAX_READ_OUT]]
    if len(found) == 1:
        return [say("reminders.list_one", item=items[0])]
    return [say("reminders.list_many", count=len(found), items=_join(turn, items))]


def _cancel_question(count: int) -> tuple[Line, Line]:
    if count == 1:
        return say("reminders.confirm_cancel_one"), say("reminders.confirm_cancel_reprompt")
    return say("reminders.confirm_cancel", count=count), say("reminders.confirm_cancel_reprompt")


def _cancel_all(turn: Turn) -> Outcome:
    deleted = failed = 0
    try:
        api = AlexaReminders(turn.handler_input)
        with budget(CANCEL_BUDGET_SECONDS):
            for reminder in api.list_all():
                try:
                    api.delete(reminder.alert_token)
                    deleted += 1
                except RemindersApiError:
                    failed += 1
    except RemindersUnavailableError:
        return Finish(say("reminders.unavailable"))
    except ReminderPermissionError:
        return Finish(say("reminders.list_no_permission"))
    except RemindersApiError:
        failed += 1
    log.info("reminders cancelled", extra={"event": "reminders_cancelled", "items": deleted})
    if failed and not deleted:
        return Finish(say("reminders.failed"))
    if failed:
        return Finish(say("reminders.cancel_partial", count=deleted))
    if deleted == 1:
        return Finish(say("reminders.cancelled_one"))
    return Finish(say("reminders.cancelled", count=deleted))


# ---------------------------------------------------------------------------------------
# Saying a schedule.


def _describe(turn: Turn, schedule: Schedule) -> dict[str, Ssml]:
    render = turn.renderer.line
    return {
        "when": render(say(f"reminders.when.{schedule.day}")),
        "time": _clock(turn, schedule.hour, schedule.minute),
        "practice": _practice_line(turn, schedule.practice),
    }


def _clock(turn: Turn, hour: int, minute: int) -> Ssml:
    if minute == 0 and hour in (0, 12):
        return turn.renderer.line(
            say("reminders.clock.midnight" if hour == 0 else "reminders.clock.noon")
        )
    twelve = hour % 12 or 12
    shown = f"{twelve}:{minute:02d}" if minute else str(twelve)
    return turn.renderer.line(say(f"reminders.clock.{'pm' if hour >= 12 else 'am'}", hour=shown))


def _practice_line(turn: Turn, practice: str) -> Ssml:
    key = f"reminders.practice.{practice}" if practice in PRACTICES else "reminders.practice.any"
    return turn.renderer.line(say(key))


def _item(turn: Turn, reminder: StoredReminder) -> Ssml:
    practice = next(
        (
            p
            for p in PRACTICES
            if strip_tags(speak(turn.renderer.line(say(f"reminders.text.{p}")))) == reminder.text
        ),
        None,
    )
    schedule = (
        Schedule.from_rule(practice or PRACTICES[0], reminder.rules[0]) if reminder.rules else None
    )
    if schedule is None:
        return turn.renderer.line(say("reminders.item_other"))
    described = _describe(turn, schedule)
    if practice is None:
        return turn.renderer.line(
            say("reminders.item_unknown", when=described["when"], time=described["time"])
        )
    return turn.renderer.line(say("reminders.item", **described))


def _join(turn: Turn, items: list[Ssml]) -> Ssml:
    if len(items) == 1:
        return items[0]
    conjunction = turn.content.data["calendar"]["and"]
    return Ssml(f"{', '.join(items[:-1])} {conjunction} {items[-1]}")
