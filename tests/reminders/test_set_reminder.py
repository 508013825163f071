"""Setting a reminder, as conversations, with the exact request the Reminders API gets.

The clock: Wednesday 1 May 2030, 18:30:15 UTC (the request timestamp), 11:30:15 on the
household's device in California (its zone from the Settings API)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from skill.speech.content import content_for
from skill.store.sqlite import SqliteStore
from tests.dialog.harness import test_settings
from tests.reminders.fake_alexa import FakeAlexaApi
from tests.reminders.support import ACCESS_TOKEN, AlexaHome, skill_with_api


def reminder_text(practice: str) -> str:
    return content_for("en-US").variants(f"reminders.text.{practice}")[0]


def expected_body(practice: str, first: str, rule: str) -> dict[str, Any]:
    return {
        "requestTime": "2030-05-01T11:30:15",
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "scheduledTime": first,
            "timeZoneId": "America/Los_Angeles",
            "recurrence": {"startDateTime": first, "recurrenceRules": [rule]},
        },
        "alertInfo": {
            "spokenInfo": {"content": [{"locale": "en-US", "text": reminder_text(practice)}]}
        },
        "pushNotification": {"status": "ENABLED"},
    }


def test_every_evening_at_nine_to_check_in(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    # U: Alexa, ask Steady Together to remind us every evening at nine to check in.
    said = home.intent("SetReminderIntent", practice="check in", time="09:00", day="every evening")
    # A: Done. I'll remind you every day at 9 PM about your check-in.
    assert said.says("every day at 9 PM", "check-in")
    assert said.ended
    (created,) = fake_alexa.created
    assert created.body == expected_body(
        "check_in",
        "2030-05-01T21:00:00",
        "FREQ=DAILY;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1",
    )
    assert created.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert created.path == "/v1/alerts/reminders"


def test_on_sunday_for_our_trust_review(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    # U: Remind us on Sunday for our trust review.
    said = home.intent("SetReminderIntent", practice="trust review", day="sunday")
    # A: What time should I remind you about your weekly trust review?
    assert said.listening
    assert said.says("what time", "weekly trust review")
    assert fake_alexa.created == []
    # U: At seven P M.
    said = home.intent("SetReminderIntent", time="19:00")
    # A: Done. I'll remind you every Sunday at 7 PM about your weekly trust review.
    assert said.says("every Sunday at 7 PM", "trust review")
    (created,) = fake_alexa.created
    assert created.body == expected_body(
        "trust_review",
        "2030-05-05T19:00:00",
        "FREQ=WEEKLY;BYDAY=SU;BYHOUR=19;BYMINUTE=0;BYSECOND=0;INTERVAL=1",
    )


def test_nine_without_a_part_of_the_day_is_asked_about(
    home: AlexaHome, fake_alexa: FakeAlexaApi
) -> None:
    # U: Remind us to check in at nine.
    said = home.intent("SetReminderIntent", practice="check in", time="09:00")
    # A: Is that 9 in the morning, or 9 in the evening?
    assert said.says("morning", "evening")
    assert said.reprompt != said.text
    # U: The evening.
    said = home.intent("SetReminderIntent", time="EV")
    assert said.says("every day at 9 PM")
    assert fake_alexa.created[0].body["trigger"]["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1"
    ]


def test_the_minutes_are_kept_while_asking(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    said = home.intent("SetReminderIntent", practice="silent sync", time="07:30")
    assert said.says("7:30 in the morning")
    said = home.intent("SetReminderIntent", time="MO")
    assert said.says("every day at 7:30 AM")
    assert fake_alexa.created[0].body["trigger"]["scheduledTime"] == "2030-05-02T07:30:00"


def test_morning_in_the_day_slot_keeps_the_morning(
    home: AlexaHome, fake_alexa: FakeAlexaApi
) -> None:
    # U: Remind us every morning at seven thirty to do a silent sync.
    said = home.intent(
        "SetReminderIntent", practice="silent sync", time="07:30", day="every morning"
    )
    assert said.says("every day at 7:30 AM", "silent sync")
    (created,) = fake_alexa.created
    assert created.body["trigger"]["scheduledTime"] == "2030-05-02T07:30:00"


def test_the_evening_ritual_is_in_the_evening(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    said = home.intent("SetReminderIntent", practice="evening ritual", time="09:00")
    assert said.says("every day at 9 PM", "evening ritual")
    assert "BYHOUR=21;" in fake_alexa.created[0].body["trigger"]["recurrence"]["recurrenceRules"][0]


def test_one_question_at_a_time(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    # U: Set a reminder.
    said = home.intent("SetReminderIntent")
    # A: What would you like a reminder for: your check-in, a silent sync, ...?
    assert said.says("check-in", "silent sync", "evening ritual")
    assert said.reprompt and said.reprompt != said.text
    # U: The weekly review.   (heard as TrustReviewIntent: the practice's own name)
    said = home.intent("TrustReviewIntent")
    # A: What time should I remind you about your weekly trust review?
    assert said.says("what time")
    # U: Nine.
    said = home.intent("SetReminderIntent", time="09:00")
    assert said.says("morning", "evening")
    # U: Morning.
    said = home.intent("SetReminderIntent", time="MO")
    # A: Which day of the week suits you for your weekly trust review?
    assert said.says("which day")
    # U: On Saturday.
    said = home.intent("SetReminderIntent", day="saturday")
    assert said.says("every Saturday at 9 AM")
    assert said.ended
    assert (
        fake_alexa.created[0].body["trigger"]["recurrence"]["recurrenceRules"][0]
        == "FREQ=WEEKLY;BYDAY=SA;BYHOUR=9;BYMINUTE=0;BYSECOND=0;INTERVAL=1"
    )


def test_help_mid_way_then_back_to_the_question(home: AlexaHome) -> None:
    asked = home.intent("SetReminderIntent", practice="check in")
    assert asked.says("what time")
    said = home.intent("AMAZON.HelpIntent")
    assert said.says("remind you at that time")
    assert said.says("what time")
    said = home.intent("SetReminderIntent", time="21:00")
    assert said.says("every day at 9 PM")


def test_silence_hears_a_reprompt_that_adds_something(home: AlexaHome) -> None:
    said = home.intent("SetReminderIntent", practice="check in")
    assert said.reprompt and said.reprompt != said.text
    assert "nine in the evening" in said.reprompt.lower() or "p m" in said.reprompt.lower()
    home.silence()
    # Silence ended the session: nothing half-set lingers in the next one.
    said = home.intent("SetReminderIntent", time="21:00")
    assert said.says("what would you like a reminder for") or said.says("which practice")


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stopping_mid_way_sets_nothing(
    home: AlexaHome, fake_alexa: FakeAlexaApi, intent: str
) -> None:
    home.intent("SetReminderIntent", practice="check in")
    said = home.intent(intent)
    assert said.matches(r"no reminder was set|haven't set a reminder")
    assert said.ended
    assert fake_alexa.requests == []


def test_cancel_the_reminder_while_setting_it(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    home.intent("SetReminderIntent", practice="check in")
    # U: Cancel the reminder.
    said = home.intent("CancelRemindersIntent")
    assert said.matches(r"no reminder was set|haven't set a reminder")
    assert fake_alexa.created == []


def test_an_unexpected_answer_is_asked_again_then_a_way_out(home: AlexaHome) -> None:
    first = home.intent("SetReminderIntent", practice="check in")
    said = home.intent("AMAZON.YesIntent")
    assert said.listening
    assert said.says("what time")
    assert said.text != first.text
    said = home.intent("AMAZON.YesIntent")
    assert said.listening
    assert said.says("stop")  # the way out is named


def test_lets_continue_after_an_interruption(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    home.intent("SetReminderIntent", practice="check in")
    # U: Give me a tip.   (another practice interrupts; it ends and offers to go back)
    home.intent("TipsIntent")
    said = home.intent("ContinueIntent")
    assert said.says("what time")
    said = home.intent("SetReminderIntent", time="21:00")
    assert said.says("every day at 9 PM", "check-in")
    assert len(fake_alexa.created) == 1


def test_list_mid_way_then_back_to_the_question(home: AlexaHome) -> None:
    home.intent("SetReminderIntent", practice="check in")
    said = home.intent("ListRemindersIntent")
    assert said.matches(r"no (steady together )?reminders")
    assert said.says("what time")
    assert said.listening


def test_a_practice_we_do_not_have(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    # U: Remind us to walk the dog at nine p m.
    said = home.intent("SetReminderIntent", practice="walk the dog", time="21:00")
    assert said.says("practices")
    assert said.says("check-in", "silent sync")
    assert "dog" not in said.text
    # U: The check-in.
    said = home.intent("CheckInIntent")
    assert said.says("every day at 9 PM", "check-in")
    assert len(fake_alexa.created) == 1


def test_an_unknown_day_is_not_guessed(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    said = home.intent("SetReminderIntent", practice="trust review", time="19:00", day="someday")
    assert said.says("which day")
    assert fake_alexa.created == []


def test_a_time_we_cannot_read_is_asked_for(home: AlexaHome) -> None:
    said = home.intent("SetReminderIntent", practice="check in", time="XXXX-WXX-6")
    assert said.says("what time")


@pytest.mark.parametrize("text", ['<speak>& "quotes" <break time="60s"/>', "x" * 10_000, "]]><!--"])
def test_user_text_never_reaches_the_speech(home: AlexaHome, text: str) -> None:
    said = home.intent("SetReminderIntent", practice=text, time=text, day=text)
    assert said.listening
    assert "xxxx" not in said.text
    assert "quotes" not in said.text
    assert len(said.ssml) < 1000


def test_a_slow_reminders_api_gets_a_kind_answer_in_time(
    home: AlexaHome, fake_alexa: FakeAlexaApi
) -> None:
    fake_alexa.delay = 5.0
    started = time.monotonic()
    said = home.intent("SetReminderIntent", practice="check in", time="21:00")
    elapsed = time.monotonic() - started
    assert elapsed < 3.0
    assert said.says("couldn't reach", "nothing has changed") or said.says("didn't answer in time")
    assert not said.says("I'll remind you")


def test_a_failing_reminders_api_claims_nothing(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    fake_alexa.stop()  # nobody answers at the endpoint any more
    said = home.intent("SetReminderIntent", practice="check in", time="21:00")
    assert said.says("nothing has changed") or said.says("nothing")
    assert not said.says("I'll remind you")


def test_without_the_alexa_apis_it_says_so(fake_alexa: FakeAlexaApi, tmp_path: Path) -> None:
    from skill.store.memory import MemoryStore
    from tests.dialog.harness import make_skill

    # A skill built with no API client (the chat with STEADY_ALEXA_API=off).
    plain = AlexaHome(
        make_skill(MemoryStore(), test_settings(tmp_path)), api_endpoint=fake_alexa.url
    )
    said = plain.intent("SetReminderIntent", practice="check in", time="21:00")
    assert said.says("aren't available here") or said.says("can't set reminders from here")
    assert fake_alexa.requests == []


def test_happy_path_on_the_sqlite_store(
    fake_alexa: FakeAlexaApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEADY_ALLOW_LOCAL_API", "1")
    monkeypatch.delenv("STEADY_ALEXA_API", raising=False)
    store = SqliteStore(tmp_path / "s.sqlite3")
    home = AlexaHome(skill_with_api(store, test_settings(tmp_path)), api_endpoint=fake_alexa.url)
    said = home.intent("SetReminderIntent", practice="trust review", day="sunday")
    assert said.says("what time")
    said = home.intent("SetReminderIntent", time="19:00")
    assert said.says("every Sunday at 7 PM")
    assert len(fake_alexa.created) == 1


@pytest.mark.parametrize(
    ("part", "first"),
    # 11:30 on the device: the morning's is tomorrow, the evening's today.
    [
        ("morning", "2030-05-02T07:30"),
        ("the evening", "2030-05-01T19:30"),
        ("night", "2030-05-01T19:30"),
    ],
)
def test_the_part_of_the_day_said_with_the_time_is_not_asked_again(
    home: AlexaHome, fake_alexa: FakeAlexaApi, part: str, first: str
) -> None:
    # U: Remind us to do a silent sync at seven thirty in the morning.
    said = home.intent("SetReminderIntent", practice="silent sync", time="07:30", part=part)
    # A: Done. I'll remind you every day at 7:30 AM about your silent sync.
    assert said.ended and not said.says("or in the evening")
    (created,) = fake_alexa.created
    assert created.body["trigger"]["scheduledTime"] == f"{first}:00"
