"""The Alexa API client: a short deadline on every call, the bearer token only for
Alexa's HTTPS hosts, and the local test endpoint only when explicitly allowed."""

from __future__ import annotations

import json
import time

import pytest
from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClientRequest

from skill.alexa_api import (
    ApiRefusedError,
    ApiTimeoutError,
    TimeoutApiClient,
    budget,
    client_from_env,
)
from tests.reminders.fake_alexa import REMINDERS, FakeAlexaApi


def _get(url: str) -> ApiClientRequest:
    return ApiClientRequest(url=url, method="GET", headers=[("Authorization", "Bearer t")])


def test_the_local_endpoint_needs_the_explicit_flag(fake_alexa: FakeAlexaApi) -> None:
    with pytest.raises(ApiRefusedError):
        TimeoutApiClient().invoke(_get(f"{fake_alexa.url}{REMINDERS}"))
    assert fake_alexa.requests == []


@pytest.mark.parametrize(
    ("env", "allows_local"),
    [
        ({}, False),
        ({"STEADY_ALLOW_LOCAL_API": "true"}, False),
        ({"STEADY_ALLOW_LOCAL_API": "0"}, False),
        ({"STEADY_ALLOW_LOCAL_API": "1"}, True),
    ],
)
def test_only_steady_allow_local_api_1_allows_it(env: dict[str, str], allows_local: bool) -> None:
    client = client_from_env(env)
    assert client is not None
    assert client.allow_local is allows_local


@pytest.mark.parametrize("value", ["off", "OFF", "0", "false"])
def test_the_alexa_apis_can_be_turned_off(value: str) -> None:
    assert client_from_env({"STEADY_ALEXA_API": value}) is None


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://api.amazonalexa.com/v1/alerts/reminders", True),
        ("https://api.eu.amazonalexa.com/v1/directives", True),
        ("https://api.fe.amazonalexa.com/v1/directives", True),
        ("https://API.AMAZONALEXA.COM/v1/directives", True),
        ("http://api.amazonalexa.com/v1/directives", False),  # never without TLS
        ("https://example.com/v1/alerts/reminders", False),
        ("https://api.amazonalexa.com.example.com/v1", False),
        ("https://evilamazonalexa.com/v1", False),
        ("http://127.0.0.1:8080/v1/alerts/reminders", True),  # allowed locally, below
        ("http://localhost:8080/v1/alerts/reminders", False),
        ("http://10.0.0.2/v1/alerts/reminders", False),
        ("ftp://127.0.0.1/v1", False),
    ],
)
def test_where_the_token_may_go(url: str, allowed: bool) -> None:
    assert TimeoutApiClient(allow_local=True).may_call(url) is allowed
    if "127.0.0.1" in url:
        assert not TimeoutApiClient().may_call(url)


def test_a_request_and_its_answer(fake_alexa: FakeAlexaApi) -> None:
    request = ApiClientRequest(
        url=f"{fake_alexa.url}{REMINDERS}",
        method="POST",
        headers=[("Authorization", "Bearer abc"), ("Content-type", "application/json")],
        body={
            "trigger": {"type": "SCHEDULED_ABSOLUTE"},
            "alertInfo": {},
            "pushNotification": {"status": "ENABLED"},
        },
    )
    answer = TimeoutApiClient(allow_local=True).invoke(request)
    assert answer.status_code == 201
    assert json.loads(answer.body)["alertToken"].startswith("amzn1.alert.")
    (sent,) = fake_alexa.created
    assert sent.headers["Authorization"] == "Bearer abc"
    assert sent.body["pushNotification"] == {"status": "ENABLED"}


def test_an_error_status_is_an_answer_not_an_exception(fake_alexa: FakeAlexaApi) -> None:
    fake_alexa.unauthorized = True
    answer = TimeoutApiClient(allow_local=True).invoke(_get(f"{fake_alexa.url}{REMINDERS}"))
    assert answer.status_code == 401


def test_an_unknown_method_is_not_sent(fake_alexa: FakeAlexaApi) -> None:
    request = ApiClientRequest(url=f"{fake_alexa.url}{REMINDERS}", method="PATCH")
    with pytest.raises(ApiRefusedError):
        TimeoutApiClient(allow_local=True).invoke(request)
    assert fake_alexa.requests == []


def test_a_slow_api_times_out(fake_alexa: FakeAlexaApi) -> None:
    fake_alexa.delay = 5.0
    started = time.monotonic()
    with pytest.raises(ApiTimeoutError):
        TimeoutApiClient(timeout=0.4, allow_local=True).invoke(_get(f"{fake_alexa.url}{REMINDERS}"))
    assert time.monotonic() - started < 1.5


def test_a_turn_budget_shortens_every_call(fake_alexa: FakeAlexaApi) -> None:
    fake_alexa.delay = 5.0
    client = TimeoutApiClient(timeout=2.0, allow_local=True)
    started = time.monotonic()
    with budget(0.3), pytest.raises(ApiTimeoutError):
        client.invoke(_get(f"{fake_alexa.url}{REMINDERS}"))
    assert time.monotonic() - started < 1.0


def test_a_spent_budget_sends_nothing(fake_alexa: FakeAlexaApi) -> None:
    client = TimeoutApiClient(allow_local=True)
    with budget(0.0), pytest.raises(ApiTimeoutError):
        client.invoke(_get(f"{fake_alexa.url}{REMINDERS}"))
    assert fake_alexa.requests == []


def test_nobody_listening_is_a_client_error() -> None:
    fake = FakeAlexaApi().start()
    url = f"{fake.url}{REMINDERS}"
    fake.stop()
    with pytest.raises(ApiClientException):
        TimeoutApiClient(timeout=0.5, allow_local=True).invoke(_get(url))
