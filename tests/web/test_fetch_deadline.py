"""The production certificate fetcher against a local HTTPS server that trickles: one
deadline covers the whole fetch (name lookup, connect, handshake, every read), so a
server sending a byte a second cannot hold it past the deadline."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from skill.web.fetch import HttpsFetcher
from skill.web.testing_chain import SigningChain
from skill.web.verifier import RequestVerifier, VerificationError

from .helpers import FakeClock
from .tls_trickle import trickle_server

URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
DEADLINE_S = 2.0
SLACK_S = 0.5
BodyFactory = Callable[..., bytes]


def _timed(call: Callable[[], Any]) -> tuple[BaseException | None, float]:
    started = time.monotonic()
    try:
        call()
    except Exception as error:
        return error, time.monotonic() - started
    return None, time.monotonic() - started


@pytest.mark.parametrize("mode", ["trickle_body", "trickle_headers"])
def test_a_trickling_server_is_cut_off_at_the_deadline(tmp_path: Path, mode: str) -> None:
    with trickle_server(tmp_path, mode) as server:
        error, elapsed = _timed(lambda: server.fetcher()(URL, DEADLINE_S))
    assert isinstance(error, TimeoutError), error
    assert DEADLINE_S - 0.1 < elapsed < DEADLINE_S + SLACK_S, f"took {elapsed:.2f}s"


def test_a_slow_name_lookup_counts_against_the_deadline(tmp_path: Path) -> None:
    def slow_lookup(host: str, port: int) -> Sequence[tuple[int, int, int, str, Any]]:
        time.sleep(5)
        return []

    fetcher = HttpsFetcher(resolve=slow_lookup)
    error, elapsed = _timed(lambda: fetcher(URL, DEADLINE_S))
    assert isinstance(error, TimeoutError) and elapsed < DEADLINE_S + SLACK_S


@pytest.mark.parametrize("mode", ["ok", "chunked"])
def test_a_prompt_server_gives_the_chain(tmp_path: Path, chain: SigningChain, mode: str) -> None:
    with trickle_server(tmp_path, mode, chain.chain_pem) as server:
        assert server.fetcher()(URL, DEADLINE_S) == chain.chain_pem


def test_an_http_error_is_a_failure(tmp_path: Path) -> None:
    with trickle_server(tmp_path, "forbidden") as server, pytest.raises(OSError, match="403"):
        server.fetcher()(URL, DEADLINE_S)


def test_only_https_is_fetched() -> None:
    with pytest.raises(ValueError, match="https"):
        HttpsFetcher()("http://s3.amazonaws.com/echo.api/x.pem", DEADLINE_S)


def test_a_verification_against_a_trickling_server_ends_in_time_and_is_remembered(
    tmp_path: Path, chain: SigningChain, clock: FakeClock, fresh_body: BodyFactory
) -> None:
    with trickle_server(tmp_path, "trickle_body") as server:
        verifier = RequestVerifier(roots=[chain.root], fetcher=server.fetcher(), clock=clock)
        body = fresh_body()
        error, elapsed = _timed(lambda: verifier.verify(URL, chain.sign(body), body))
        assert isinstance(error, VerificationError) and elapsed < DEADLINE_S + SLACK_S
        # The next forged request for that URL is refused at once, without a connection.
        error, elapsed = _timed(lambda: verifier.verify(URL, chain.sign(body), body))
        assert isinstance(error, VerificationError) and elapsed < 0.1
        assert server.connections == 1
