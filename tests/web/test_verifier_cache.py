"""The verifier's certificate handling: fetch timeout, expiring LRU cache, clean reasons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from skill.web.testing_chain import LocalCA, SigningChain
from skill.web.verifier import (
    RequestVerifier,
    VerificationError,
    canonical_cert_url,
    load_pem_roots,
)

from .helpers import FakeClock, RecordingFetcher

BodyFactory = Callable[..., bytes]
URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"


def url_number(n: int) -> str:
    return f"https://s3.amazonaws.com/echo.api/cert-{n}.pem"


def verify(verifier: RequestVerifier, chain: SigningChain, body: bytes, url: str = URL) -> None:
    verifier.verify(url, chain.sign(body), body)


def test_fetch_gets_the_canonical_url_and_the_short_timeout(
    verifier: RequestVerifier,
    chain: SigningChain,
    fetcher: RecordingFetcher,
    fresh_body: BodyFactory,
) -> None:
    verify(verifier, chain, fresh_body())
    assert fetcher.calls == [(URL, 2.0)]


def test_fetch_timeout_is_configurable(
    local_ca: LocalCA,
    chain: SigningChain,
    fetcher: RecordingFetcher,
    clock: FakeClock,
    fresh_body: BodyFactory,
) -> None:
    verifier = RequestVerifier(
        roots=[local_ca.root], fetcher=fetcher, clock=clock, fetch_timeout=0.5
    )
    verify(verifier, chain, fresh_body())
    assert fetcher.calls == [(URL, 0.5)]


def test_second_request_with_the_same_url_does_not_fetch_again(
    verifier: RequestVerifier,
    chain: SigningChain,
    fetcher: RecordingFetcher,
    fresh_body: BodyFactory,
) -> None:
    verify(verifier, chain, fresh_body())
    verify(verifier, chain, fresh_body("IntentRequest"))
    assert len(fetcher.calls) == 1


def test_expired_cache_entry_is_fetched_again(
    verifier: RequestVerifier,
    chain: SigningChain,
    fetcher: RecordingFetcher,
    clock: FakeClock,
    fresh_body: BodyFactory,
) -> None:
    verify(verifier, chain, fresh_body())
    clock.advance(minutes=59)
    verify(verifier, chain, fresh_body())
    assert len(fetcher.calls) == 1
    clock.advance(minutes=2)
    verify(verifier, chain, fresh_body())
    assert len(fetcher.calls) == 2


def test_cache_entry_expires_with_the_signing_certificate(
    local_ca: LocalCA,
    verifier: RequestVerifier,
    fetcher: RecordingFetcher,
    clock: FakeClock,
    fresh_body: BodyFactory,
) -> None:
    short_lived = local_ca.issue(
        not_before=clock.now - timedelta(days=1), not_after=clock.now + timedelta(minutes=10)
    )
    fetcher.default = short_lived.chain_pem
    verify(verifier, short_lived, fresh_body())
    clock.advance(minutes=11)
    with pytest.raises(VerificationError, match="expired"):
        verify(verifier, short_lived, fresh_body())
    assert len(fetcher.calls) == 2


def test_cache_is_bounded_and_evicts_the_least_recently_used(
    local_ca: LocalCA,
    chain: SigningChain,
    fetcher: RecordingFetcher,
    clock: FakeClock,
    fresh_body: BodyFactory,
) -> None:
    verifier = RequestVerifier(roots=[local_ca.root], fetcher=fetcher, clock=clock, cache_size=2)
    for n in (1, 2):
        verify(verifier, chain, fresh_body(), url_number(n))
    verify(verifier, chain, fresh_body(), url_number(1))  # 1 is now the most recent
    verify(verifier, chain, fresh_body(), url_number(3))  # evicts 2
    assert len(verifier.cache) == 2
    assert url_number(1) in verifier.cache
    assert url_number(2) not in verifier.cache
    assert fetcher.urls == [url_number(1), url_number(2), url_number(3)]
    verify(verifier, chain, fresh_body(), url_number(2))
    assert fetcher.urls[-1] == url_number(2)


def test_default_cache_holds_at_most_32_entries(
    verifier: RequestVerifier, chain: SigningChain, fresh_body: BodyFactory
) -> None:
    body = fresh_body()
    for n in range(40):
        verify(verifier, chain, body, url_number(n))
    assert len(verifier.cache) == 32


def test_failed_chain_is_remembered_briefly_then_fetched_again(
    verifier: RequestVerifier,
    chain: SigningChain,
    fetcher: RecordingFetcher,
    other_ca: LocalCA,
    clock: FakeClock,
    fresh_body: BodyFactory,
) -> None:
    fetcher.default = other_ca.issue().chain_pem
    with pytest.raises(VerificationError, match="not trusted"):
        verify(verifier, chain, fresh_body())
    fetcher.default = chain.chain_pem
    with pytest.raises(VerificationError, match=r"not trusted.*recent failure"):
        verify(verifier, chain, fresh_body())
    assert len(fetcher.calls) == 1
    assert len(verifier.cache) == 0
    clock.advance(seconds=31)
    verify(verifier, chain, fresh_body())
    assert len(fetcher.calls) == 2


def test_reasons_never_quote_the_request(
    verifier: RequestVerifier, chain: SigningChain, fetcher: RecordingFetcher
) -> None:
    secret = "I-feel-lonely-SECRET"
    bodies = [
        f'{{"request": {{"type": "{secret}", "timestamp": "{secret}"}}}}'.encode(),
        f'{{"{secret}": 1'.encode(),
    ]
    urls = [URL, f"https://{secret}.example/echo.api/x.pem", f"{URL}/../../{secret}"]
    for body in bodies:
        for url in urls:
            with pytest.raises(VerificationError) as caught:
                verifier.verify(url, chain.sign(body), body)
            assert secret not in caught.value.reason
            assert secret not in str(caught.value)


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("wrong name", "not for echo-api.amazon.com"),
        ("expired", "expired"),
        ("not yet valid", "not valid yet"),
    ],
)
def test_leaf_checks_give_specific_reasons(
    local_ca: LocalCA,
    verifier: RequestVerifier,
    fetcher: RecordingFetcher,
    clock: FakeClock,
    fresh_body: BodyFactory,
    case: str,
    reason: str,
) -> None:
    day = timedelta(days=1)
    leaf = {
        "wrong name": lambda: local_ca.issue(dns_name="echo-api.amazon.com.evil.example"),
        "expired": lambda: local_ca.issue(not_before=clock.now - 9 * day, not_after=clock.now),
        "not yet valid": lambda: local_ca.issue(not_before=clock.now + day),
    }[case]()
    fetcher.default = leaf.chain_pem
    with pytest.raises(VerificationError, match=reason):
        verify(verifier, leaf, fresh_body())


def test_canonical_url_strips_port_and_dot_segments() -> None:
    assert (
        canonical_cert_url("HTTPS://S3.AmazonAWS.com:443/echo.api/a/../cert.pem")
        == "https://s3.amazonaws.com/echo.api/cert.pem"
    )


def test_default_roots_come_from_a_real_bundle() -> None:
    import certifi

    with open(certifi.where(), "rb") as bundle:
        roots = load_pem_roots(bundle.read())
    assert len(roots) > 50
    assert any("Amazon Root CA 1" in root.subject.rfc4514_string() for root in roots)


def test_verifier_without_roots_is_refused() -> None:
    with pytest.raises(ValueError, match="no trusted root"):
        RequestVerifier(roots=[])
