"""Certificate fetches cannot be multiplied by forged requests: concurrent requests for
one URL share one fetch, failures are remembered for a short, bounded while, and only a
few URLs are fetched at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from skill.web.fetch_gate import FetchGate, FetchRefusedError
from skill.web.testing_chain import LocalCA, SigningChain
from skill.web.verifier import RequestVerifier, VerificationError

from .helpers import FakeClock

BodyFactory = Callable[..., bytes]
URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
CONCURRENT = 16


@dataclass
class SlowFetcher:
    """Takes `delay` seconds per fetch, counting calls; fails when `error` is set."""

    pem: bytes
    delay: float = 0.3
    error: Exception | None = None
    calls: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, url: str, timeout: float) -> bytes:
        with self._lock:
            self.calls.append(url)
        time.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return self.pem


def _all_at_once(count: int, work: Callable[[], None]) -> list[BaseException | None]:
    barrier = threading.Barrier(count)
    outcomes: list[BaseException | None] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            work()
        except Exception as error:
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return outcomes


def test_concurrent_verifications_of_one_url_make_exactly_one_fetch(
    local_ca: LocalCA, chain: SigningChain, clock: FakeClock, fresh_body: BodyFactory
) -> None:
    fetcher = SlowFetcher(chain.chain_pem)
    verifier = RequestVerifier(roots=[local_ca.root], fetcher=fetcher, clock=clock)
    body = fresh_body()
    outcomes = _all_at_once(CONCURRENT, lambda: verifier.verify(URL, chain.sign(body), body))
    assert outcomes == [None] * CONCURRENT
    assert fetcher.calls == [URL]


def test_concurrent_requests_share_a_failure_too(
    local_ca: LocalCA, chain: SigningChain, clock: FakeClock, fresh_body: BodyFactory
) -> None:
    fetcher = SlowFetcher(chain.chain_pem, error=TimeoutError("stalled"))
    verifier = RequestVerifier(roots=[local_ca.root], fetcher=fetcher, clock=clock)
    body = fresh_body()
    outcomes = _all_at_once(CONCURRENT, lambda: verifier.verify(URL, chain.sign(body), body))
    assert all(isinstance(outcome, VerificationError) for outcome in outcomes)
    assert fetcher.calls == [URL]


def test_a_failed_url_is_not_fetched_again_within_the_window(
    local_ca: LocalCA, chain: SigningChain, clock: FakeClock, fresh_body: BodyFactory
) -> None:
    fetcher = SlowFetcher(chain.chain_pem, delay=0, error=OSError("refused"))
    verifier = RequestVerifier(roots=[local_ca.root], fetcher=fetcher, clock=clock)
    body = fresh_body()
    for _ in range(40):
        with pytest.raises(VerificationError, match="could not be fetched"):
            verifier.verify(URL, chain.sign(body), body)
    assert len(fetcher.calls) == 1
    clock.advance(seconds=29)
    with pytest.raises(VerificationError, match="recent failure"):
        verifier.verify(URL, chain.sign(body), body)
    assert len(fetcher.calls) == 1
    fetcher.error = None
    clock.advance(seconds=2)
    verifier.verify(URL, chain.sign(fresh_body()), fresh_body())
    assert len(fetcher.calls) == 2


def test_remembered_failures_are_bounded() -> None:
    gate: FetchGate[bytes] = FetchGate(clock=lambda: datetime.now(UTC), wait_limit=1)

    def fail() -> bytes:
        raise ValueError("no")

    for n in range(300):
        with pytest.raises(FetchRefusedError):
            gate.run(f"https://s3.amazonaws.com/echo.api/{n}.pem", fail, ValueError)
    assert gate.remembered_failures() == 256


def test_only_a_few_urls_are_fetched_at_once(
    local_ca: LocalCA, chain: SigningChain, clock: FakeClock, fresh_body: BodyFactory
) -> None:
    fetcher = SlowFetcher(chain.chain_pem, delay=0.5)
    verifier = RequestVerifier(roots=[local_ca.root], fetcher=fetcher, clock=clock)
    body = fresh_body()
    urls = iter(f"https://s3.amazonaws.com/echo.api/cert-{n}.pem" for n in range(8))
    lock = threading.Lock()

    def forged() -> None:
        with lock:
            url = next(urls)
        verifier.verify(url, chain.sign(body), body)

    started = time.monotonic()
    outcomes = _all_at_once(8, forged)
    refused = [o for o in outcomes if isinstance(o, VerificationError)]
    assert len(fetcher.calls) == 2 and len(refused) == 6
    assert all("in progress" in error.reason for error in refused)
    assert time.monotonic() - started < 2


def test_a_follower_never_waits_past_the_deadline() -> None:
    clock = FakeClock(datetime.now(UTC))
    gate: FetchGate[bytes] = FetchGate(clock=clock, wait_limit=0.2)
    release = threading.Event()

    def slow() -> bytes:
        release.wait(5)
        return b"chain"

    leader = threading.Thread(target=gate.run, args=("u", slow, ValueError))
    leader.start()
    while gate.in_flight() == 0:
        time.sleep(0.01)
    started = time.monotonic()
    with pytest.raises(FetchRefusedError, match="did not finish in time"):
        gate.run("u", lambda: b"never called", ValueError)
    assert time.monotonic() - started < 0.5
    release.set()
    leader.join()
    assert gate.in_flight() == 0
