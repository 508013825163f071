"""Reading the couple's reminders back, and cancelling them after a yes."""

from __future__ import annotations

import time

import pytest

from tests.reminders.fake_alexa import REMINDERS, FakeAlexaApi
from tests.reminders.support import ACCESS_TOKEN, AlexaHome


def two_reminders(home: AlexaHome) -> None:
    home.intent("SetReminderIntent", practice="check in", time="21:00")
    home.intent("SetReminderIntent", practice="trust review", day="sunday", time="19:00")


def test_reading_them_back(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    two_reminders(home)
    # U: What reminders do we have?
    said = home.intent("ListRemindersIntent")
    # A: You have 2 reminders: your check-in every day at 9 PM and your weekly
    #    trust review every Sunday at 7 PM.
    assert said.says("2 reminders")
    assert said.says("check-in every day at 9 PM")
    assert said.says("weekly trust review every Sunday at 7 PM")
    (listed,) = fake_alexa.calls("GET", REMINDERS)
    assert listed.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert listed.body is None


def test_one_reminder(home: AlexaHome) -> None:
    home.intent("SetReminderIntent", practice="silent sync", time="19:30", day="weekdays")
    said = home.intent("ListRemindersIntent")
    assert said.says("one reminder", "silent sync every weekday at 7:30 PM")


def test_none_yet(home: AlexaHome) -> None:
    said = home.intent("ListRemindersIntent")
    assert said.matches(r"no (steady together )?reminders")
    assert said.says("remind us")  # and how to set one


def test_a_reminder_not_written_by_this_version(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    fake_alexa.reminders["amzn1.alert.old"] = {
        "alertToken": "amzn1.alert.old",
        "status": "ON",
        "trigger": {"type": "SCHEDULED_RELATIVE", "offsetInSeconds": 3600},
        "alertInfo": {"spokenInfo": {"content": [{"locale": "en-US", "text": "Something else"}]}},
    }
    said = home.intent("ListRemindersIntent")
    assert said.says("one reminder", "earlier version")


def test_cancelling_after_a_yes(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    two_reminders(home)
    # U: Cancel our reminders.
    said = home.intent("CancelRemindersIntent")
    # A: You have 2 reminders from Steady Together. Cancel them all?
    assert said.listening
    assert said.says("2")
    assert said.reprompt != said.text
    assert fake_alexa.calls("DELETE", REMINDERS) == []
    # U: Yes.
    said = home.intent("AMAZON.YesIntent")
    assert said.says("cancelled 2 reminders") or said.says("cancelled: 2 reminders")
    deleted = sorted(r.path for r in fake_alexa.calls("DELETE", REMINDERS))
    assert deleted == [f"{REMINDERS}/amzn1.alert.fake-1", f"{REMINDERS}/amzn1.alert.fake-2"]
    assert all(r.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}" for r in fake_alexa.requests)
    assert fake_alexa.reminders == {}


def test_one_to_cancel_is_named(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    home.intent("SetReminderIntent", practice="check in", time="21:00")
    said = home.intent("CancelRemindersIntent")
    assert said.says("check-in every day at 9 PM")
    said = home.intent("AMAZON.YesIntent")
    assert said.says("cancel")
    assert fake_alexa.reminders == {}


def test_no_keeps_them(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    two_reminders(home)
    home.intent("CancelRemindersIntent")
    said = home.intent("AMAZON.NoIntent")
    assert said.matches(r"stay as they are|left your reminders alone")
    assert len(fake_alexa.reminders) == 2
    assert fake_alexa.calls("DELETE", REMINDERS) == []


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stopping_at_the_question_keeps_them(
    home: AlexaHome, fake_alexa: FakeAlexaApi, intent: str
) -> None:
    two_reminders(home)
    home.intent("CancelRemindersIntent")
    said = home.intent(intent)
    assert said.ended
    assert said.matches(r"stay as they are|left your reminders alone")
    assert len(fake_alexa.reminders) == 2


def test_help_at_the_question(home: AlexaHome) -> None:
    two_reminders(home)
    home.intent("CancelRemindersIntent")
    said = home.intent("AMAZON.HelpIntent")
    assert said.says("practices and history stay")
    assert said.listening


def test_nothing_to_cancel(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    said = home.intent("CancelRemindersIntent")
    assert said.says("nothing to cancel") or said.says("no steady together reminders to cancel")
    assert said.ended
    assert fake_alexa.calls("DELETE", REMINDERS) == []


def test_a_slow_api_while_cancelling(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    two_reminders(home)
    home.intent("CancelRemindersIntent")
    fake_alexa.delay = 5.0
    started = time.monotonic()
    said = home.intent("AMAZON.YesIntent")
    assert time.monotonic() - started < 3.0
    assert not said.says("cancelled 2")
    assert said.says("try again") or said.says("another try")
