"""A waiting thank-you lights the ring: leaving a note sends one message alert
(AMAZON.MessageAlert.Activated, the sender's first name, never the note's words)
inside that request, with a Login with Amazon token that is cached; without the
notification permission the skill says once how to allow it; nothing of Amazon's
is ever called (a local fake answers on 127.0.0.1)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.app import handle_event
from skill.chat import envelopes
from skill.privacy import request_key
from skill.proactive import (
    ALERT_BUDGET_SECONDS,
    EVENT_NAME,
    MAX_EXPIRY,
    MIN_EXPIRY,
    NOTIFICATIONS_PERMISSION,
    Credentials,
    expiry,
    forget_cached,
)
from skill.store.memory import MemoryStore
from tests.dialog.harness import SKILL_ID, Said, set_up_couple, test_settings
from tests.proactive.fake_events import (
    CLIENT_ID,
    CLIENT_SECRET,
    DEVELOPMENT,
    LIVE,
    TOKEN_PATH,
    FakeEvents,
)
from tests.reminders.support import WEDNESDAY_EVENING, AlexaHome, skill_with_api

USER = "amzn1.ask.account.TESTCOUPLE"
CREDENTIALS = json.dumps({"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET})


@pytest.fixture
def fake() -> Iterator[FakeEvents]:
    running = FakeEvents().start()
    yield running
    running.stop()


def make(
    store: MemoryStore, tmp_path: Path, fake: FakeEvents, **settings: Any
) -> tuple[CustomSkill, AlexaHome]:
    values: dict[str, Any] = {
        "lwa_credentials_value": CREDENTIALS,
        "lwa_token_url": f"{fake.url}{TOKEN_PATH}",
        **settings,
    }
    skill = skill_with_api(store, test_settings(tmp_path, **values))
    home = set_up_couple(AlexaHome(skill, user_id=USER, api_endpoint=fake.url))
    return skill, home


@pytest.fixture
def api_allowed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("STEADY_ALLOW_LOCAL_API", "1")
    monkeypatch.delenv("STEADY_ALEXA_API", raising=False)
    forget_cached()
    yield
    forget_cached()


@pytest.fixture
def home(api_allowed: None, store: MemoryStore, tmp_path: Path, fake: FakeEvents) -> AlexaHome:
    """A couple whose account has turned on the skill's notifications."""
    skill, home = make(store, tmp_path, fake)
    subscribe(skill, [EVENT_NAME])
    return home


def subscribe(skill: CustomSkill, names: list[str]) -> None:
    event = envelopes.proactive_subscription_changed_event(names, skill_id=SKILL_ID, user_id=USER)
    handle_event(event, skill=skill)


def leave_note(home: AlexaHome, note: str = "the chamomile") -> Said:
    # U: leave Sam a thank you for the chamomile  (so it is from Alex)
    return home.intent("LeaveGratitudeIntent", partner="Sam", note=note)


def test_leaving_a_note_sends_one_alert_with_exactly_this_json(
    home: AlexaHome, fake: FakeEvents
) -> None:
    said = leave_note(home)
    # A: I'll keep that for Sam ... (and nothing about notifications)
    assert said.says("Sam") and not said.says("notifications")
    (token,) = fake.token_requests
    assert token.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert token.form == {
        "grant_type": ["client_credentials"],
        "client_id": [CLIENT_ID],
        "client_secret": [CLIENT_SECRET],
        "scope": ["alexa::proactive_events"],
    }
    (event,) = fake.events
    assert event.method == "POST" and event.path == DEVELOPMENT
    assert event.headers["Authorization"] == "Bearer Atc|fake-1"
    assert event.headers["Content-Type"] == "application/json"
    left = WEDNESDAY_EVENING.replace(microsecond=0)
    assert event.json == {
        "timestamp": left.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "referenceId": f"steadynote{request_key(home.last_request_id)}",
        # The note is fresh until the couple's midnight after tomorrow: the API's day
        # is the shorter.
        "expiryTime": (left + timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "event": {
            "name": "AMAZON.MessageAlert.Activated",
            "payload": {
                "state": {"status": "UNREAD", "freshness": "NEW"},
                "messageGroup": {"creator": {"name": "Alex"}, "count": 1},
            },
        },
        "relevantAudience": {"type": "Unicast", "payload": {"user": USER}},
    }
    # Never the note's words.
    assert b"chamomile" not in event.raw


def test_the_token_is_cached_and_the_count_grows(home: AlexaHome, fake: FakeEvents) -> None:
    leave_note(home)
    home.intent("AMAZON.StopIntent")
    leave_note(home, "the flowers")
    assert len(fake.token_requests) == 1
    first, second = fake.events
    assert first.headers["Authorization"] == second.headers["Authorization"]
    assert second.json["event"]["payload"]["messageGroup"]["count"] == 2
    assert first.json["referenceId"] != second.json["referenceId"]


def test_an_expired_token_is_fetched_again(home: AlexaHome, fake: FakeEvents) -> None:
    fake.expires_in = 30  # less than the minute kept in hand: never reused
    leave_note(home)
    home.intent("AMAZON.StopIntent")
    leave_note(home, "the flowers")
    assert len(fake.token_requests) == 2 and len(fake.events) == 2


def test_a_revoked_token_is_replaced_once(home: AlexaHome, fake: FakeEvents) -> None:
    leave_note(home)
    fake.issued.clear()  # Amazon no longer honours the cached token
    home.intent("AMAZON.StopIntent")
    leave_note(home, "the flowers")
    assert len(fake.token_requests) == 2
    assert [e.headers["Authorization"] for e in fake.events][-2:] == [
        "Bearer Atc|fake-1",
        "Bearer Atc|fake-2",
    ]


def test_the_live_stage_after_certification(
    api_allowed: None, store: MemoryStore, tmp_path: Path, fake: FakeEvents
) -> None:
    skill, home = make(store, tmp_path, fake, proactive_stage="live")
    subscribe(skill, [EVENT_NAME])
    leave_note(home)
    assert [e.path for e in fake.events] == [LIVE]


def test_without_notifications_it_says_once_how_to_allow_them(
    api_allowed: None, store: MemoryStore, tmp_path: Path, fake: FakeEvents
) -> None:
    _, home = make(store, tmp_path, fake)
    said = leave_note(home)
    # A: ... If you'd like Sam's Echo to glow when a thank-you is waiting, turn on
    #    notifications for Steady Together in the Alexa app.
    assert said.says("Sam", "turn on notifications", "Alexa app")
    home.intent("AMAZON.StopIntent")
    said = leave_note(home, "the flowers")
    assert said.says("Sam") and not said.says("notifications")
    assert fake.token_requests == [] and fake.events == []


def test_turning_notifications_off_stops_the_alerts(home: AlexaHome, fake: FakeEvents) -> None:
    subscribe(home.skill, [])
    leave_note(home)
    assert fake.events == []


def test_the_notifications_permission_counts_too(
    api_allowed: None, store: MemoryStore, tmp_path: Path, fake: FakeEvents
) -> None:
    skill, home = make(store, tmp_path, fake)
    handle_event(
        envelopes.skill_permission_changed_event(
            [NOTIFICATIONS_PERMISSION], skill_id=SKILL_ID, user_id=USER
        ),
        skill=skill,
    )
    leave_note(home)
    assert len(fake.events) == 1
    handle_event(
        envelopes.skill_permission_changed_event([], skill_id=SKILL_ID, user_id=USER),
        skill=skill,
    )
    home.intent("AMAZON.StopIntent")
    leave_note(home, "the flowers")
    assert len(fake.events) == 1


def test_a_failing_api_never_fails_the_note(home: AlexaHome, fake: FakeEvents) -> None:
    fake.event_status = 500
    said = leave_note(home)
    assert said.says("Sam") and not said.says("sorry")
    # Sam hears it later all the same.
    home.intent("AMAZON.StopIntent")
    home.person_id = None
    said = home.intent("HearNotesIntent")
    said = home.intent("NameIntent", name="Sam")
    assert said.says("the chamomile")


def test_a_slow_api_is_given_up_within_the_budget(home: AlexaHome, fake: FakeEvents) -> None:
    fake.delay = 5.0
    started = time.monotonic()
    said = leave_note(home)
    assert time.monotonic() - started < ALERT_BUDGET_SECONDS + 1.5
    assert said.says("Sam")


def test_the_raw_user_id_is_never_stored(home: AlexaHome, store: MemoryStore) -> None:
    leave_note(home)
    kept = json.dumps(store._profiles, default=str) + json.dumps(
        {key: [vars(e) for e in events.values()] for key, events in store._events.items()},
        default=str,
    )
    assert USER not in kept and "TESTCOUPLE" not in kept


def test_delivering_the_note_calls_nothing(home: AlexaHome, fake: FakeEvents) -> None:
    leave_note(home)
    home.intent("AMAZON.StopIntent")
    before = len(fake.requests)
    home.intent("HearNotesIntent")
    said = home.intent("NameIntent", name="Sam")
    assert said.says("the chamomile")
    # The API cannot withdraw an alert: it expires on its own.
    assert [r for r in fake.requests[before:] if r.path.startswith(LIVE)] == []


def test_no_credentials_no_alert_and_no_hint(
    api_allowed: None, store: MemoryStore, tmp_path: Path, fake: FakeEvents
) -> None:
    skill, home = make(store, tmp_path, fake, lwa_credentials_value=None)
    subscribe(skill, [EVENT_NAME])
    said = leave_note(home)
    assert not said.says("notifications")
    assert fake.requests == [] or all(not r.path.startswith(LIVE) for r in fake.requests)


# -- the pieces ----------------------------------------------------------------------


def test_expiry_matches_the_notes_retirement_within_the_apis_bounds() -> None:
    left = datetime(2030, 5, 1, 23, 0, tzinfo=UTC)
    assert expiry(left, left + timedelta(hours=2)) == left + timedelta(hours=2)
    assert expiry(left, left + timedelta(days=3)) == left + MAX_EXPIRY
    assert expiry(left, left) == left + MIN_EXPIRY


def test_credentials_never_show_the_secret() -> None:
    found = Credentials.parse(CREDENTIALS.encode())
    assert found.client_id == CLIENT_ID
    assert CLIENT_SECRET not in repr(found)
