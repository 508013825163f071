"""Every verification rule, end to end through the Flask app: a refused request gets a
4xx and never reaches the skill; a valid one gets the skill's answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from skill.web.testing_chain import LocalCA, SigningChain

from .helpers import ALEXA_RESPONSE, FakeClock, RecordingFetcher, SkillSpy

BodyFactory = Callable[..., bytes]


def post(client: FlaskClient, body: bytes, headers: dict[str, str]) -> tuple[int, object]:
    response = client.post("/", data=body, headers=headers)
    return response.status_code, response.get_json(silent=True)


def test_valid_signed_request_reaches_the_skill(
    client: FlaskClient, chain: SigningChain, skill: SkillSpy, fresh_body: BodyFactory
) -> None:
    body = fresh_body()
    status, payload = post(client, body, chain.headers(body))
    assert status == 200
    assert payload == ALEXA_RESPONSE
    assert len(skill.events) == 1
    assert skill.events[0]["request"]["type"] == "LaunchRequest"


def test_tampered_body_is_refused(
    client: FlaskClient, chain: SigningChain, skill: SkillSpy, fresh_body: BodyFactory
) -> None:
    body = fresh_body()
    headers = chain.headers(body)
    tampered = body.replace(b"LaunchRequest", b"SessionEndedRequest")
    assert post(client, tampered, headers)[0] == 400
    assert skill.events == []


def test_signature_from_another_key_is_refused(
    client: FlaskClient,
    other_ca: LocalCA,
    chain: SigningChain,
    skill: SkillSpy,
    fresh_body: BodyFactory,
) -> None:
    body = fresh_body()
    headers = chain.headers(body)
    headers["Signature-256"] = other_ca.issue().sign(body)
    assert post(client, body, headers)[0] == 400
    assert skill.events == []


@pytest.mark.parametrize("signature", ["", "not base64!!", "c2hvcnQ="])
def test_malformed_signature_is_refused(
    client: FlaskClient,
    chain: SigningChain,
    skill: SkillSpy,
    fresh_body: BodyFactory,
    signature: str,
) -> None:
    body = fresh_body()
    headers = chain.headers(body)
    headers["Signature-256"] = signature
    assert post(client, body, headers)[0] == 400
    assert skill.events == []


@pytest.mark.parametrize("header", ["SignatureCertChainUrl", "Signature-256"])
def test_missing_header_is_refused(
    client: FlaskClient,
    chain: SigningChain,
    skill: SkillSpy,
    fresh_body: BodyFactory,
    header: str,
) -> None:
    body = fresh_body()
    headers = chain.headers(body)
    del headers[header]
    assert post(client, body, headers)[0] == 400
    assert skill.events == []


def test_header_names_are_case_insensitive(
    client: FlaskClient, chain: SigningChain, skill: SkillSpy, fresh_body: BodyFactory
) -> None:
    body = fresh_body()
    headers = {name.lower(): value for name, value in chain.headers(body).items()}
    assert post(client, body, headers)[0] == 200
    assert len(skill.events) == 1


@pytest.mark.parametrize(
    ("case", "issue_kwargs"),
    [
        ("expired", {"days_from": -30, "days_to": -1}),
        ("not yet valid", {"days_from": 1, "days_to": 30}),
    ],
)
def test_leaf_outside_its_validity_is_refused(
    local_ca: LocalCA,
    clock: FakeClock,
    fetcher: RecordingFetcher,
    client: FlaskClient,
    skill: SkillSpy,
    fresh_body: BodyFactory,
    case: str,
    issue_kwargs: dict[str, int],
) -> None:
    leaf = local_ca.issue(
        not_before=clock.now + timedelta(days=issue_kwargs["days_from"]),
        not_after=clock.now + timedelta(days=issue_kwargs["days_to"]),
    )
    fetcher.default = leaf.chain_pem
    body = fresh_body()
    assert post(client, body, leaf.headers(body))[0] == 400, case
    assert skill.events == []


def test_leaf_for_another_name_is_refused(
    local_ca: LocalCA,
    fetcher: RecordingFetcher,
    client: FlaskClient,
    skill: SkillSpy,
    fresh_body: BodyFactory,
) -> None:
    wrong_name = local_ca.issue(dns_name="echo-api.example.com")
    fetcher.default = wrong_name.chain_pem
    body = fresh_body()
    assert post(client, body, wrong_name.headers(body))[0] == 400
    assert skill.events == []


def test_chain_from_an_untrusted_ca_is_refused(
    other_ca: LocalCA,
    fetcher: RecordingFetcher,
    client: FlaskClient,
    skill: SkillSpy,
    fresh_body: BodyFactory,
) -> None:
    untrusted = other_ca.issue()
    fetcher.default = untrusted.chain_pem
    body = fresh_body()
    assert post(client, body, untrusted.headers(body))[0] == 400
    assert skill.events == []


def test_leaf_without_its_intermediate_is_refused(
    chain: SigningChain,
    fetcher: RecordingFetcher,
    client: FlaskClient,
    skill: SkillSpy,
    fresh_body: BodyFactory,
) -> None:
    fetcher.default = chain.chain_pem.split(b"-----END CERTIFICATE-----")[0] + (
        b"-----END CERTIFICATE-----\n"
    )
    body = fresh_body()
    assert post(client, body, chain.headers(body))[0] == 400
    assert skill.events == []


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
        "https://evil.example/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../evil/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/%2e%2e/evil/echo-api-cert.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api",
        "https://s3.amazonaws.com:8443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem",
        "https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem?x=1",
        "ftp://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    ],
)
def test_bad_certificate_url_is_refused_without_fetching(
    client: FlaskClient,
    chain: SigningChain,
    fetcher: RecordingFetcher,
    skill: SkillSpy,
    fresh_body: BodyFactory,
    url: str,
) -> None:
    body = fresh_body()
    assert post(client, body, chain.headers(body, cert_url=url))[0] == 400
    assert fetcher.calls == []
    assert skill.events == []


@pytest.mark.parametrize(
    "url",
    [
        "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/./echo-api-cert.pem",
    ],
)
def test_equivalent_certificate_urls_are_accepted_and_fetched_canonically(
    client: FlaskClient,
    chain: SigningChain,
    fetcher: RecordingFetcher,
    skill: SkillSpy,
    fresh_body: BodyFactory,
    url: str,
) -> None:
    body = fresh_body()
    assert post(client, body, chain.headers(body, cert_url=url))[0] == 200
    assert fetcher.urls == ["https://s3.amazonaws.com/echo.api/echo-api-cert.pem"]
    assert len(skill.events) == 1


@pytest.mark.parametrize(
    ("seconds_ago", "status"), [(149, 200), (-149, 200), (151, 400), (-151, 400)]
)
def test_timestamp_must_be_within_150_seconds(
    client: FlaskClient,
    chain: SigningChain,
    skill: SkillSpy,
    fresh_body: BodyFactory,
    seconds_ago: int,
    status: int,
) -> None:
    body = fresh_body(seconds_ago=seconds_ago)
    assert post(client, body, chain.headers(body))[0] == status
    assert len(skill.events) == (1 if status == 200 else 0)


@pytest.mark.parametrize(("minutes_ago", "status"), [(30, 200), (120, 400)])
def test_skill_events_get_an_hour(
    client: FlaskClient,
    chain: SigningChain,
    skill: SkillSpy,
    fresh_body: BodyFactory,
    minutes_ago: int,
    status: int,
) -> None:
    body = fresh_body("AlexaSkillEvent.SkillDisabled", seconds_ago=minutes_ago * 60)
    assert post(client, body, chain.headers(body))[0] == status
    assert len(skill.events) == (1 if status == 200 else 0)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2, 3]",
        b'"a string"',
        b"\xff\xfe\x00garbage",
        b'{"request": {"type": "LaunchRequest"}}',
        b'{"request": {"type": "LaunchRequest", "timestamp": "yesterday"}}',
        b'{"request": "LaunchRequest"}',
        b'{"request": {"type": "LaunchRequest", "timestamp": "0001-01-01T00:00:00+23:00"}}',
    ],
)
def test_signed_garbage_is_refused(
    client: FlaskClient, chain: SigningChain, skill: SkillSpy, body: bytes
) -> None:
    status, payload = post(client, body, chain.headers(body))
    assert status == 400
    assert skill.events == []
    assert isinstance(payload, dict)
    assert "error" in payload


def test_oversized_body_is_refused_before_verification(
    client: FlaskClient, chain: SigningChain, fetcher: RecordingFetcher, skill: SkillSpy
) -> None:
    body = b"{" + b" " * (128 * 1024) + b"}"
    assert post(client, body, chain.headers(body))[0] == 413
    assert fetcher.calls == []
    assert skill.events == []


def test_body_at_the_size_bound_is_accepted(
    client: FlaskClient, chain: SigningChain, skill: SkillSpy, fresh_body: BodyFactory
) -> None:
    body = fresh_body()
    body = body[:-1] + b" " * (128 * 1024 - len(body)) + b"}"
    assert len(body) == 128 * 1024
    assert post(client, body, chain.headers(body))[0] == 200
    assert len(skill.events) == 1


def test_unreachable_certificate_is_refused(
    client: FlaskClient,
    chain: SigningChain,
    fetcher: RecordingFetcher,
    skill: SkillSpy,
    fresh_body: BodyFactory,
) -> None:
    fetcher.error = TimeoutError("timed out")
    body = fresh_body()
    assert post(client, body, chain.headers(body))[0] == 400
    assert skill.events == []


def test_garbage_certificate_is_refused(
    client: FlaskClient,
    chain: SigningChain,
    fetcher: RecordingFetcher,
    skill: SkillSpy,
    fresh_body: BodyFactory,
) -> None:
    fetcher.default = b"<html>Access Denied</html>"
    body = fresh_body()
    assert post(client, body, chain.headers(body))[0] == 400
    assert skill.events == []
