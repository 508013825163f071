"""The Flask app's behaviour around the skill: health, dev mode, skill failures, logs."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from ask_sdk_core.exceptions import AskSdkException
from flask.testing import FlaskClient

from skill.web.server import create_app
from skill.web.testing_chain import SigningChain

from .helpers import ALEXA_RESPONSE, SkillSpy

BodyFactory = Callable[..., bytes]
SECRET = "my-partner-never-listens-SECRET"


def test_health_answers_ok(client: FlaskClient, skill: SkillSpy) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert len(response.data) < 32 and skill.events == []


@pytest.mark.parametrize("path", ["/health/", "/admin", "/debug", "/static/x", "/healthz"])
def test_nothing_else_answers_without_verification(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404
    assert client.post(path, data=b"{}").status_code in (404, 405)


def test_get_on_root_is_not_allowed(client: FlaskClient, skill: SkillSpy) -> None:
    assert client.get("/").status_code == 405
    assert skill.events == []


def test_dev_mode_skips_verification(skill: SkillSpy, fresh_body: BodyFactory) -> None:
    dev_client = create_app(skill, None).test_client()
    response = dev_client.post("/", data=fresh_body(), content_type="application/json")
    assert response.status_code == 200
    assert response.get_json() == ALEXA_RESPONSE
    assert len(skill.events) == 1


def test_dev_mode_still_refuses_garbage_and_oversized_bodies(skill: SkillSpy) -> None:
    dev_client = create_app(skill, None, max_body_bytes=64).test_client()
    assert dev_client.post("/", data=b"not json").status_code == 400
    assert dev_client.post("/", data=b"[]").status_code == 400
    assert dev_client.post("/", data=b"{" + b" " * 64 + b"}").status_code == 413
    assert skill.events == []


def test_skill_sdk_exception_is_a_bad_request(
    client: FlaskClient, chain: SigningChain, skill: SkillSpy, fresh_body: BodyFactory
) -> None:
    skill.error = AskSdkException("Skill ID Verification failed")
    body = fresh_body()
    response = client.post("/", data=body, headers=chain.headers(body))
    assert response.status_code == 400
    assert len(skill.events) == 1


def test_skill_crash_is_a_generic_500_logged_without_content(
    client: FlaskClient,
    chain: SigningChain,
    skill: SkillSpy,
    fresh_body: BodyFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    skill.error = KeyError(SECRET)
    body = fresh_body().replace(b"LaunchRequest", SECRET.encode())
    with caplog.at_level(logging.DEBUG):
        response = client.post("/", data=body, headers=chain.headers(body))
    assert response.status_code == 500
    assert SECRET.encode() not in response.data
    assert response.get_json() == {"error": "internal error"}
    assert "KeyError" in caplog.text
    assert SECRET not in caplog.text


def test_refusals_are_logged_without_content(
    client: FlaskClient, chain: SigningChain, skill: SkillSpy, caplog: pytest.LogCaptureFixture
) -> None:
    body = f'{{"request": {{"type": "{SECRET}", "timestamp": "{SECRET}"}}}}'.encode()
    headers = chain.headers(body)
    with caplog.at_level(logging.DEBUG):
        assert client.post("/", data=body, headers=headers).status_code == 400
        headers["Signature-256"] = chain.sign(b"other")
        assert client.post("/", data=body, headers=headers).status_code == 400
    assert "refused request" in caplog.text
    assert SECRET not in caplog.text
    assert skill.events == []


def test_deeply_nested_json_is_a_bad_request_not_a_crash(skill: SkillSpy) -> None:
    dev_client = create_app(skill, None).test_client()
    body = b"[" * 60_000 + b"]" * 60_000
    assert dev_client.post("/", data=body).status_code == 400
    assert skill.events == []
