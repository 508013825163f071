"""Real HTTP on 127.0.0.1: a signed request through werkzeug's and waitress's servers."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from skill.web.server import create_app
from skill.web.testing_chain import SigningChain
from skill.web.verifier import RequestVerifier

from .helpers import ALEXA_RESPONSE, SkillSpy

BodyFactory = Callable[..., bytes]


def _post(
    base_url: str, body: bytes | Iterator[bytes], headers: dict[str, str]
) -> tuple[int, bytes]:
    request = urllib.request.Request(base_url + "/", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def app(skill: SkillSpy, verifier: RequestVerifier) -> Flask:
    return create_app(skill, verifier)


@pytest.fixture
def werkzeug_url(app: Flask) -> Iterator[str]:
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def waitress_url(app: Flask) -> Iterator[str]:
    from waitress import wasyncore
    from waitress.server import create_server

    httpd = create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=httpd.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.effective_port}"  # type: ignore[union-attr]
    finally:
        # Close every socket from inside the server's own loop thread (closing them from
        # here races with its select()); the loop ends once its socket map is empty.
        httpd.trigger.pull_trigger(lambda: wasyncore.close_all(httpd._map))  # type: ignore[union-attr]
        thread.join(timeout=5)
        httpd.task_dispatcher.shutdown()
        assert not thread.is_alive()


def test_signed_request_over_http(
    werkzeug_url: str, chain: SigningChain, skill: SkillSpy, fresh_body: BodyFactory
) -> None:
    body = fresh_body()
    status, payload = _post(werkzeug_url, body, chain.headers(body))
    assert status == 200
    assert json.loads(payload) == ALEXA_RESPONSE
    assert len(skill.events) == 1

    status, _ = _post(werkzeug_url, body + b" ", chain.headers(body))
    assert status == 400
    assert len(skill.events) == 1


def test_signed_request_through_waitress(
    waitress_url: str, chain: SigningChain, skill: SkillSpy, fresh_body: BodyFactory
) -> None:
    body = fresh_body()
    status, payload = _post(waitress_url, body, chain.headers(body))
    assert status == 200
    assert json.loads(payload) == ALEXA_RESPONSE
    with urllib.request.urlopen(waitress_url + "/health", timeout=5) as response:
        assert json.loads(response.read()) == {"status": "ok"}


def test_oversized_chunked_body_is_refused(
    werkzeug_url: str, chain: SigningChain, skill: SkillSpy
) -> None:
    body = b"{" + b" " * (200 * 1024) + b"}"
    chunks = iter([body[i : i + 8192] for i in range(0, len(body), 8192)])
    headers = {**chain.headers(body), "Transfer-Encoding": "chunked"}
    status, _ = _post(werkzeug_url, chunks, headers)
    assert status == 413
    assert skill.events == []


def test_chunked_body_within_the_bound_is_accepted(
    werkzeug_url: str, chain: SigningChain, skill: SkillSpy, fresh_body: BodyFactory
) -> None:
    body = fresh_body()
    chunks = iter([body[:10], body[10:]])
    headers = {**chain.headers(body), "Transfer-Encoding": "chunked"}
    status, _ = _post(werkzeug_url, chunks, headers)
    assert status == 200
    assert len(skill.events) == 1
