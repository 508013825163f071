"""Without the reminders permission the skill asks the right way: a voice permission
request (Connections.SendRequest "AskFor") whose token carries the reminder, then
Alexa's Connections.Response sets it, or the couple hears how to allow it later."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reminders.fake_alexa import FakeAlexaApi
from tests.reminders.support import SCOPE, AlexaHome

PENDING = "steady.reminder.v1|check_in|21:00|every_day"
ASK_FOR = {
    "type": "Connections.SendRequest",
    "name": "AskFor",
    "payload": {
        "@type": "AskForPermissionsConsentRequest",
        "@version": "2",
        "permissionScopes": [{"permissionScope": SCOPE, "consentLevel": "ACCOUNT"}],
    },
    "token": PENDING,
}


def the_permission_request(said: Any) -> dict[str, Any]:
    (directive,) = [d for d in said.directives if d["type"] == "Connections.SendRequest"]
    return dict(directive)


def test_no_consent_token_asks_by_voice(new_home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    # U: Remind us every evening at nine to check in.
    said = new_home.intent(
        "SetReminderIntent", practice="check in", time="09:00", day="every evening"
    )
    # A: To set reminders, Steady Together needs your permission.
    #    (Alexa then asks: "Do you give Steady Together permission...")
    assert said.says("permission") or said.says("okay")
    assert the_permission_request(said) == ASK_FOR
    assert said.ended  # Alexa takes over the conversation; no reprompt of ours
    assert said.reprompt == ""
    assert fake_alexa.requests == []  # nothing was tried without permission


def test_accepted_sets_the_pending_reminder(new_home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    said = new_home.intent(
        "SetReminderIntent", practice="check in", time="09:00", day="every evening"
    )
    token = the_permission_request(said)["token"]
    # A (Alexa): ...You can say I approve or no.   U: I approve.
    new_home.consent_token = "granted-consent-token"
    said = new_home.permission_answer("ACCEPTED", token)
    # A: Done. I'll remind you every day at 9 PM about your check-in.
    assert said.says("every day at 9 PM", "check-in")
    assert said.card is None
    (created,) = fake_alexa.created
    assert created.body["trigger"]["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1"
    ]
    assert created.body["trigger"]["scheduledTime"] == "2030-05-01T21:00:00"


@pytest.mark.parametrize("status", ["DENIED", "NOT_ANSWERED"])
def test_not_granted_is_answered_kindly_with_a_card(
    new_home: AlexaHome, fake_alexa: FakeAlexaApi, status: str
) -> None:
    said = new_home.intent("SetReminderIntent", practice="trust review", day="sunday")
    said = new_home.intent("SetReminderIntent", time="19:00")
    token = the_permission_request(said)["token"]
    assert token == "steady.reminder.v1|trust_review|19:00|sunday"
    said = new_home.permission_answer(status, token)
    # A: That's fine, no reminder is set. If you change your mind, open the Alexa app...
    assert said.says("Alexa app")
    assert said.matches(r"no reminder is set|nothing is set")
    assert said.card == {"type": "AskForPermissionsConsent", "permissions": [SCOPE]}
    assert fake_alexa.created == []


def test_a_401_with_a_consent_token_asks_again(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    fake_alexa.unauthorized = True  # revoked in the Alexa app since
    said = home.intent("SetReminderIntent", practice="check in", time="21:00")
    assert the_permission_request(said) == ASK_FOR
    assert len(fake_alexa.created) == 1  # tried once, answered 401


def test_accepted_but_still_refused_does_not_loop(
    new_home: AlexaHome, fake_alexa: FakeAlexaApi
) -> None:
    fake_alexa.unauthorized = True
    said = new_home.permission_answer("ACCEPTED", PENDING)
    assert not [d for d in said.directives if d["type"] == "Connections.SendRequest"]
    assert said.says("Alexa app")
    assert said.card is not None


def test_accepted_without_a_token_of_ours(new_home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    said = new_home.permission_answer("ACCEPTED", "something-else")
    assert said.says("reminders are allowed now")
    assert fake_alexa.created == []


def test_a_failed_connection_is_explained(new_home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    said = new_home.permission_answer("ACCEPTED", PENDING, code="500")
    assert said.says("nothing is set", "Alexa app")
    assert fake_alexa.created == []


def test_list_without_permission_says_how(new_home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    said = new_home.intent("ListRemindersIntent")
    assert said.matches(r"allow|okay")
    assert fake_alexa.requests == []
