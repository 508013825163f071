"""Fixtures for the web-service tests: one throwaway CA chain per session, fresh fakes
per test, and a Flask test client wired to a verifier that trusts only the local CA."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from skill.web.server import create_app
from skill.web.testing_chain import LocalCA, SigningChain
from skill.web.verifier import RequestVerifier

from .helpers import FakeClock, RecordingFetcher, SkillSpy, encode, make_event


@pytest.fixture(scope="session")
def local_ca() -> LocalCA:
    return LocalCA(label="Trusted")


@pytest.fixture(scope="session")
def other_ca() -> LocalCA:
    return LocalCA(label="Untrusted")


@pytest.fixture(scope="session")
def chain(local_ca: LocalCA) -> SigningChain:
    return local_ca.issue()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def fetcher(chain: SigningChain) -> RecordingFetcher:
    return RecordingFetcher(default=chain.chain_pem)


@pytest.fixture
def verifier(local_ca: LocalCA, fetcher: RecordingFetcher, clock: FakeClock) -> RequestVerifier:
    return RequestVerifier(roots=[local_ca.root], fetcher=fetcher, clock=clock)


@pytest.fixture
def skill() -> SkillSpy:
    return SkillSpy()


@pytest.fixture
def client(skill: SkillSpy, verifier: RequestVerifier) -> FlaskClient:
    return create_app(skill, verifier).test_client()


@pytest.fixture
def fresh_body(clock: FakeClock) -> Callable[..., bytes]:
    """A request body stamped with the fake clock's current time."""

    def build(request_type: str = "LaunchRequest", seconds_ago: float = 0) -> bytes:
        return encode(make_event(clock.now - timedelta(seconds=seconds_ago), request_type))

    return build
