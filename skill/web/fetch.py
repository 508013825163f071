"""The production certificate-chain fetcher: an HTTPS GET under one overall deadline.

urllib's timeout applies to each socket operation, so a server that trickles a byte a
second holds a fetch for as long as it likes. Here one deadline covers everything: the
name lookup (run in a helper thread, since `getaddrinfo` takes no timeout), connecting,
the TLS handshake, sending, and every read. Each step gets only the time that is left,
and CPython bounds a whole TLS call by its socket timeout, so a trickle is cut off at
the deadline. No redirects are followed, and the response is size-bounded.
"""

from __future__ import annotations

import http.client
import io
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, cast
from urllib.parse import urlsplit

MAX_CHAIN_BYTES = 64 * 1024
MAX_HEADER_BYTES = 16 * 1024
MAX_LOOKUPS_IN_FLIGHT = 4

Address = tuple[Any, ...]
Resolver = Callable[[str, int], Sequence[tuple[int, int, int, str, Address]]]

_lookup_slots = threading.BoundedSemaphore(MAX_LOOKUPS_IN_FLIGHT)


def _getaddrinfo(host: str, port: int) -> Sequence[tuple[int, int, int, str, Address]]:
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


def _certifi_context() -> ssl.SSLContext:
    try:
        import certifi
    except ImportError:  # pragma: no cover - certifi is in the `web` extra
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


class HttpsFetcher:
    """`fetcher(url, timeout)` for the verifier: the body of a 200 answer, or an error.

    `context` (TLS trust) and `resolve` (name lookup) are injectable for tests.
    """

    def __init__(
        self, context: ssl.SSLContext | None = None, resolve: Resolver = _getaddrinfo
    ) -> None:
        self._context = context
        self._resolve = resolve

    def __call__(self, url: str, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("only https URLs are fetched")
        host, port, path = parts.hostname, parts.port or 443, parts.path or "/"
        if any(ch.isspace() or ord(ch) < 0x20 for ch in path):
            raise ValueError("the URL path has spaces or control characters")
        context = self._context or _certifi_context()
        addresses = _lookup(self._resolve, host, port, deadline)
        with (
            _connect(addresses, deadline) as raw,
            context.wrap_socket(raw, server_hostname=host, do_handshake_on_connect=False) as tls,
        ):
            tls.settimeout(_left(deadline))
            tls.do_handshake()
            host_header = host if port == 443 else f"{host}:{port}"
            tls.settimeout(_left(deadline))
            tls.sendall(
                f"GET {path} HTTP/1.1\r\nHost: {host_header}\r\nAccept: */*\r\n"
                "Connection: close\r\nUser-Agent: steady-together\r\n\r\n".encode("ascii")
            )
            raw_response = _read_to_end(tls, deadline, MAX_CHAIN_BYTES + MAX_HEADER_BYTES)
        return _body_of(raw_response)


def fetch_https(url: str, timeout: float) -> bytes:
    """The default fetcher: certifi's roots, the system's resolver."""
    return HttpsFetcher()(url, timeout)


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the certificate fetch ran out of time")
    return left


def _lookup(
    resolve: Resolver, host: str, port: int, deadline: float
) -> Sequence[tuple[int, int, int, str, Address]]:
    """The resolver in a daemon thread, waited for until the deadline. At most a few
    lookups at once: a stuck resolver cannot pile up threads."""
    if not _lookup_slots.acquire(blocking=False):
        raise TimeoutError("too many name lookups in progress")
    found: list[tuple[int, int, int, str, Address]] = []
    failed: list[BaseException] = []
    done = threading.Event()

    def work() -> None:
        try:
            found.extend(resolve(host, port))
        except BaseException as error:  # handed to the waiting caller
            failed.append(error)
        finally:
            _lookup_slots.release()
            done.set()

    threading.Thread(target=work, name="cert-lookup", daemon=True).start()
    if not done.wait(max(0.0, deadline - time.monotonic())):
        raise TimeoutError("the name lookup ran out of time")
    if failed:
        raise OSError("the name lookup failed") from failed[0]
    if not found:
        raise OSError("the name lookup found no address")
    return found


def _connect(
    addresses: Sequence[tuple[int, int, int, str, Address]], deadline: float
) -> socket.socket:
    last_error: OSError = OSError("no address to connect to")
    for family, kind, protocol, _, address in addresses:
        sock = socket.socket(family, kind, protocol)
        try:
            sock.settimeout(_left(deadline))
            sock.connect(address)
        except OSError as error:
            sock.close()
            if isinstance(error, TimeoutError):
                raise
            last_error = error
            continue
        return sock
    raise last_error


def _read_to_end(tls: ssl.SSLSocket, deadline: float, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        tls.settimeout(_left(deadline))
        chunk = tls.recv(16 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise ValueError("certificate chain too large")
        chunks.append(chunk)


class _Recorded:
    """What http.client needs of a socket, over bytes already read."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw

    def makefile(self, *_: object, **__: object) -> io.BytesIO:
        return io.BytesIO(self._raw)


def _body_of(raw: bytes) -> bytes:
    """Parse a complete HTTP/1.1 response (length-delimited or chunked)."""
    response = http.client.HTTPResponse(cast(socket.socket, _Recorded(raw)), method="GET")
    response.begin()
    if response.status != 200:
        raise OSError(f"the certificate URL answered HTTP {response.status}")
    body = response.read()
    if len(body) > MAX_CHAIN_BYTES:
        raise ValueError("certificate chain too large")
    return body
