"""waitress as `steady serve` configures it refuses an over-size body as soon as the
headers declare it: a raw socket declares 10 MiB, sends a little, and gets 413 at once,
before waitress reads, buffers or spools the body (its own default limit is 1 GiB)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from skill.web.server import DEFAULT_MAX_BODY_BYTES, create_app, make_server
from skill.web.verifier import RequestVerifier

from .helpers import SkillSpy

TEN_MIB = 10 * 1024 * 1024
PROMPT_S = 2.0


@pytest.fixture
def served_port(skill: SkillSpy, verifier: RequestVerifier) -> Iterator[int]:
    from waitress import wasyncore

    server = make_server(create_app(skill, verifier), "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield int(server.effective_port)  # type: ignore[union-attr]
    finally:
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))  # type: ignore[union-attr]
        thread.join(timeout=5)
        server.task_dispatcher.shutdown()


def _ask(port: int, declared: int, sent: bytes) -> tuple[bytes, float]:
    """Send headers declaring `declared` bytes and only `sent`; read what comes back
    until the server closes or PROMPT_S passes."""
    with socket.create_connection(("127.0.0.1", port), timeout=PROMPT_S) as sock:
        started = time.monotonic()
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\n"
            + f"Content-Length: {declared}\r\n\r\n".encode()
            + sent
        )
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except TimeoutError:
            pass
        return answer, time.monotonic() - started


def test_a_declared_ten_mib_body_is_refused_before_it_is_read(
    served_port: int, skill: SkillSpy
) -> None:
    answer, elapsed = _ask(served_port, TEN_MIB, b'{"version": "1.0", ' + b" " * 4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:80]
    assert elapsed < 1.0
    assert skill.events == []


def test_a_body_at_the_bound_still_reaches_the_app(served_port: int) -> None:
    body = b"{" + b" " * (DEFAULT_MAX_BODY_BYTES - 2) + b"}"
    answer, _ = _ask(served_port, len(body), body)
    # Reaches our app, which refuses it for its missing signature, not for its size.
    assert answer.startswith(b"HTTP/1.1 400"), answer[:80]


def test_one_byte_over_the_bound_is_refused_by_waitress(served_port: int) -> None:
    answer, elapsed = _ask(served_port, DEFAULT_MAX_BODY_BYTES + 1, b"{")
    assert answer.startswith(b"HTTP/1.1 413") and elapsed < 1.0
