"""Alexa request verification for the self-hosted web service, on pyca/cryptography.

Alexa signs every request it sends to a self-hosted endpoint. A request is accepted only
when all of these hold (Alexa's "host a custom skill as a web service" rules):

* headers `SignatureCertChainUrl` and `Signature-256` are present;
* the certificate URL is https, host `s3.amazonaws.com`, port 443 if given, and its path
  starts with `/echo.api/` after normalisation (no `..` escapes, even percent-encoded);
* the PEM chain behind that URL builds to a trusted root (certifi's bundle by default),
  under the Web PKI rules of `cryptography.x509.verification`;
* the signing certificate is valid now and names `echo-api.amazon.com` in its SAN;
* `Signature-256` is an RSA PKCS#1 v1.5 / SHA-256 signature of the raw body by that key;
* `request.timestamp` is within 150 s of now (3600 s for `AlexaSkillEvent.*` requests).

We do not use `ask_sdk_webservice_support`: its certvalidator -> oscrypto chain fails to
import on OpenSSL 3.0.1x, and it fetches with no timeout into an unbounded, eternal cache.
Here the fetch has one overall deadline, DNS included (skill.web.fetch); concurrent
fetches of one URL are merged, few URLs are fetched at once, and failures are remembered
briefly (skill.web.fetch_gate); the verified key is cached with an expiry and an LRU
bound. Every failure raises `VerificationError` whose reason never quotes the request.
"""

from __future__ import annotations

import base64
import binascii
import json
import posixpath
import re
import ssl
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import verification

from skill.web.fetch import MAX_CHAIN_BYTES, fetch_https
from skill.web.fetch_gate import FetchGate, FetchRefusedError

__all__ = ["MAX_CHAIN_BYTES", "RequestVerifier", "VerificationError", "fetch_https"]

SIGNATURE_HEADER = "Signature-256"
CERT_URL_HEADER = "SignatureCertChainUrl"
ALEXA_SIGNING_NAME = "echo-api.amazon.com"
CERT_HOST = "s3.amazonaws.com"
CERT_PATH_PREFIX = "/echo.api/"
SKILL_EVENT_PREFIX = "AlexaSkillEvent."
_FOLLOWER_SLACK_S = 0.5  # a request sharing another's fetch waits this past its deadline

_PEM_BLOCK = re.compile(
    rb"-----BEGIN CERTIFICATE-----\r?\n.+?\r?\n-----END CERTIFICATE-----", re.DOTALL
)

CertFetcher = Callable[[str, float], bytes]
"""Fetches a URL with a timeout in seconds and returns the body; raises on failure."""
Clock = Callable[[], datetime]
"""Returns the current time as an aware UTC datetime."""


class VerificationError(Exception):
    """The request is not provably from Alexa. `reason` never contains request content."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def utc_now() -> datetime:
    return datetime.now(UTC)


def load_pem_roots(pem: bytes) -> list[x509.Certificate]:
    """Parse a CA bundle one certificate at a time, skipping any that cannot be parsed
    (some bundles carry legacy roots that newer cryptography releases refuse)."""
    roots: list[x509.Certificate] = []
    for block in _PEM_BLOCK.findall(pem):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            try:
                roots.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue
    return roots


def _certifi_bundle() -> str | None:
    try:
        import certifi
    except ImportError:  # pragma: no cover - certifi is in the `web` extra
        return None
    return str(certifi.where())


def default_roots() -> list[x509.Certificate]:
    """Mozilla's roots from certifi; the system bundle if certifi is not installed."""
    paths = ssl.get_default_verify_paths()
    bundle = _certifi_bundle() or paths.cafile or paths.openssl_cafile
    return load_pem_roots(Path(bundle).read_bytes())


def canonical_cert_url(url: str) -> str:
    """Check the certificate URL against Alexa's rules; return the URL to fetch.

    The returned URL is rebuilt from the checked parts (scheme, host, normalised path),
    so what is fetched is exactly what was checked.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise VerificationError("certificate URL is malformed") from exc
    if parts.scheme.lower() != "https":
        raise VerificationError("certificate URL scheme is not https")
    if (parts.hostname or "").lower() != CERT_HOST:
        raise VerificationError("certificate URL host is not s3.amazonaws.com")
    if port is not None and port != 443:
        raise VerificationError("certificate URL port is not 443")
    if parts.username is not None or parts.password is not None:
        raise VerificationError("certificate URL has user information")
    if parts.query or parts.fragment:
        raise VerificationError("certificate URL has a query or fragment")
    path = posixpath.normpath(parts.path) if parts.path else ""
    decoded = posixpath.normpath(unquote(parts.path)) if parts.path else ""
    if not (path.startswith(CERT_PATH_PREFIX) and decoded.startswith(CERT_PATH_PREFIX)):
        raise VerificationError("certificate URL path is outside /echo.api/")
    return f"https://{CERT_HOST}{path}"


@dataclass(frozen=True)
class _TrustedKey:
    public_key: rsa.RSAPublicKey
    valid_from: datetime
    expires_at: datetime


class SigningKeyCache:
    """Verified signing keys by certificate URL: expiring, LRU-bounded, thread-safe."""

    def __init__(self, max_entries: int) -> None:
        self._max_entries = max_entries
        self._entries: OrderedDict[str, _TrustedKey] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str, now: datetime) -> _TrustedKey | None:
        with self._lock:
            entry = self._entries.get(url)
            if entry is None:
                return None
            if not entry.valid_from <= now < entry.expires_at:
                del self._entries[url]
                return None
            self._entries.move_to_end(url)
            return entry

    def put(self, url: str, entry: _TrustedKey) -> None:
        with self._lock:
            self._entries[url] = entry
            self._entries.move_to_end(url)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __contains__(self, url: object) -> bool:
        with self._lock:
            return url in self._entries


def _has_signing_name(leaf: x509.Certificate) -> bool:
    try:
        san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    return any(name.lower() == ALEXA_SIGNING_NAME for name in san.get_values_for_type(x509.DNSName))


def _parse_timestamp(value: object) -> datetime:
    if not isinstance(value, str):
        raise VerificationError("request timestamp is missing")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise VerificationError("request timestamp is not ISO 8601") from exc
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


class RequestVerifier:
    """Verifies that a raw HTTP request body was signed by Alexa, and is fresh.

    Everything that touches the outside is injectable: `roots` (trust anchors), `fetcher`
    (`fetcher(url, timeout)` -> PEM bytes) and `clock`. Safe to share between threads.
    """

    def __init__(
        self,
        *,
        roots: Sequence[x509.Certificate] | None = None,
        fetcher: CertFetcher = fetch_https,
        clock: Clock = utc_now,
        fetch_timeout: float = 2.0,
        cache_ttl: timedelta = timedelta(hours=1),
        cache_size: int = 32,
        timestamp_tolerance: timedelta = timedelta(seconds=150),
        skill_event_tolerance: timedelta = timedelta(seconds=3600),
        failure_ttl: timedelta = timedelta(seconds=30),
        max_fetches_in_flight: int = 2,
    ) -> None:
        anchors = list(roots) if roots is not None else default_roots()
        if not anchors:
            raise ValueError("no trusted root certificates")
        self._store = verification.Store(anchors)
        self._fetcher = fetcher
        self._clock = clock
        self._fetch_timeout = fetch_timeout
        self._cache_ttl = cache_ttl
        self._cache = SigningKeyCache(cache_size)
        self._timestamp_tolerance = timestamp_tolerance
        self._skill_event_tolerance = skill_event_tolerance
        self._fetches: FetchGate[_TrustedKey] = FetchGate(
            clock=clock,
            wait_limit=fetch_timeout + _FOLLOWER_SLACK_S,
            failure_ttl=failure_ttl,
            max_in_flight=max_fetches_in_flight,
        )

    @property
    def cache(self) -> SigningKeyCache:
        return self._cache

    @property
    def fetches(self) -> FetchGate[_TrustedKey]:
        return self._fetches

    def verify(self, cert_chain_url: str | None, signature: str | None, body: bytes) -> None:
        """Signature and timestamp together, for callers that have not parsed the body."""
        self.verify_signature(cert_chain_url, signature, body)
        try:
            event = json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise VerificationError("body is not JSON") from exc
        if not isinstance(event, dict):
            raise VerificationError("body is not a JSON object")
        self.verify_timestamp(event)

    def verify_signature(
        self, cert_chain_url: str | None, signature: str | None, body: bytes
    ) -> None:
        """Check the two headers and the signature of the raw body."""
        if not cert_chain_url:
            raise VerificationError(f"missing {CERT_URL_HEADER} header")
        if not signature:
            raise VerificationError(f"missing {SIGNATURE_HEADER} header")
        try:
            raw_signature = base64.b64decode(signature.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise VerificationError("signature is not base64") from exc
        public_key = self._trusted_key(canonical_cert_url(cert_chain_url))
        try:
            public_key.verify(raw_signature, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature as exc:
            raise VerificationError("signature does not match the body") from exc

    def verify_timestamp(self, event: Mapping[str, Any]) -> None:
        """Check `request.timestamp` against the clock (wider window for skill events)."""
        request = event.get("request")
        if not isinstance(request, Mapping):
            raise VerificationError("request object is missing")
        timestamp = _parse_timestamp(request.get("timestamp"))
        request_type = request.get("type")
        is_skill_event = isinstance(request_type, str) and request_type.startswith(
            SKILL_EVENT_PREFIX
        )
        tolerance = self._skill_event_tolerance if is_skill_event else self._timestamp_tolerance
        try:
            skew = abs(self._clock() - timestamp)
        except OverflowError as exc:
            raise VerificationError("request timestamp is out of range") from exc
        if skew > tolerance:
            raise VerificationError("request timestamp is outside the allowed window")

    def _trusted_key(self, url: str) -> rsa.RSAPublicKey:
        now = self._clock()
        cached = self._cache.get(url, now)
        if cached is not None:
            return cached.public_key
        try:
            entry = self._fetches.run(
                url, lambda: self._fetch_and_verify(url, now), VerificationError
            )
        except FetchRefusedError as refused:
            raise VerificationError(refused.reason) from refused
        return entry.public_key

    def _fetch_and_verify(self, url: str, now: datetime) -> _TrustedKey:
        try:
            pem = self._fetcher(url, self._fetch_timeout)
        except Exception as exc:  # whatever the fetcher raises, the request is refused
            raise VerificationError("certificate chain could not be fetched") from exc
        entry = self._verify_chain(pem, now)
        self._cache.put(url, entry)
        return entry

    def _verify_chain(self, pem: bytes, now: datetime) -> _TrustedKey:
        try:
            certs = x509.load_pem_x509_certificates(pem)
        except ValueError as exc:
            raise VerificationError("certificate chain is not PEM") from exc
        leaf, intermediates = certs[0], certs[1:]
        if now < leaf.not_valid_before_utc:
            raise VerificationError("signing certificate is not valid yet")
        if now >= leaf.not_valid_after_utc:
            raise VerificationError("signing certificate has expired")
        if not _has_signing_name(leaf):
            raise VerificationError(f"signing certificate is not for {ALEXA_SIGNING_NAME}")
        try:
            public_key = leaf.public_key()
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise VerificationError("signing certificate key is unsupported") from exc
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise VerificationError("signing certificate key is not RSA")
        verifier = (
            verification.PolicyBuilder()
            .store(self._store)
            .time(now)
            .build_server_verifier(x509.DNSName(ALEXA_SIGNING_NAME))
        )
        try:
            chain = verifier.verify(leaf, intermediates)
        except verification.VerificationError as exc:
            raise VerificationError("certificate chain is not trusted") from exc
        expires_at = min([now + self._cache_ttl, *(cert.not_valid_after_utc for cert in chain)])
        return _TrustedKey(public_key=public_key, valid_from=now, expires_at=expires_at)
