"""Progressive responses: a short line spoken while the weekly review is prepared,
sent only where Alexa accepts one, and never a reason for the turn to fail."""

from __future__ import annotations

import logging
import time

import pytest

from skill.speech.content import content_for
from skill.speech.ssml import check
from tests.dialog.harness import set_up_couple
from tests.reminders.fake_alexa import DIRECTIVES, FakeAlexaApi
from tests.reminders.support import ACCESS_TOKEN, AlexaHome


def set_up(home: AlexaHome) -> AlexaHome:
    return set_up_couple(home, end_session=False)


def progress_lines() -> set[str]:
    return {f"<speak>{line}</speak>" for line in content_for("en-US").variants("progress.review")}


def test_the_weekly_review_says_one_moment_first(home: AlexaHome, fake_alexa: FakeAlexaApi) -> None:
    set_up(home)
    assert fake_alexa.directives == []
    # U: Let's do our weekly review.
    said = home.intent("TrustReviewIntent")
    # A (at once, progressive): One moment while I open your week.
    # A: Let's look back on your week. ... Alex, what's one kind thing you saw Sam do?
    assert said.says("Alex")
    (sent,) = fake_alexa.directives
    assert sent.path == DIRECTIVES
    assert sent.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert sent.body["header"] == {"requestId": home.last_request_id}
    assert sent.body["directive"]["type"] == "VoicePlayer.Speak"
    assert sent.body["directive"]["speech"] in progress_lines()
    assert check(sent.body["directive"]["speech"]).ok


def test_no_progressive_response_without_an_api_access_token(
    home: AlexaHome, fake_alexa: FakeAlexaApi
) -> None:
    set_up(home)
    home.api_access_token = None
    said = home.intent("TrustReviewIntent")
    assert said.says("Alex")  # the review itself goes on
    assert fake_alexa.directives == []


def test_no_progressive_response_for_a_connections_response(
    home: AlexaHome, fake_alexa: FakeAlexaApi
) -> None:
    home.permission_answer("ACCEPTED", "steady.reminder.v1|check_in|21:00|every_day")
    assert fake_alexa.directives == []


def test_a_refused_progressive_response_is_only_logged(
    home: AlexaHome, fake_alexa: FakeAlexaApi, caplog: pytest.LogCaptureFixture
) -> None:
    set_up(home)
    fake_alexa.directive_status = 403
    with caplog.at_level(logging.WARNING, logger="skill.progress"):
        said = home.intent("TrustReviewIntent")
    assert said.says("Alex")
    assert said.listening
    (record,) = [r for r in caplog.records if r.name == "skill.progress"]
    assert record.getMessage() == "progressive response not sent"
    assert "One moment" not in record.getMessage()
    assert record.__dict__["error_type"] == "ServiceException"


def test_a_slow_directive_service_does_not_hold_the_review(
    home: AlexaHome, fake_alexa: FakeAlexaApi
) -> None:
    set_up(home)
    fake_alexa.delay = 5.0
    started = time.monotonic()
    said = home.intent("TrustReviewIntent")
    assert time.monotonic() - started < 3.0
    assert said.says("Alex")
