"""The skill as a self-hosted Alexa web service (Flask), for `steady serve`.

`create_app` builds the Flask app around any `handle_event(event) -> response` callable;
`run_serve` wires in the real skill and serves it with waitress.

Why waitress: it is a production-grade, pure-Python WSGI server with no dependencies of
its own, runs the same on every platform, and does not print Werkzeug's "development
server" warning. It is meant to sit behind a TLS reverse proxy (see docs/web.md), which
is what Alexa needs anyway: the endpoint must be HTTPS on port 443.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ask_sdk_runtime.exceptions import AskSdkException
from flask import Flask, Response, request

from skill.web.verifier import (
    CERT_URL_HEADER,
    SIGNATURE_HEADER,
    RequestVerifier,
    VerificationError,
)

if TYPE_CHECKING:
    from waitress.server import BaseWSGIServer, MultiSocketServer

HandleEvent = Callable[[dict[str, Any]], dict[str, Any]]

DEFAULT_MAX_BODY_BYTES = 128 * 1024
SERVER_THREADS = 4
HEALTH_BODY = '{"status": "ok"}'

logger = logging.getLogger(__name__)


def _error(status: int, message: str) -> Response:
    return Response(json.dumps({"error": message}), status=status, mimetype="application/json")


def _read_body(max_body_bytes: int) -> bytes | None:
    """The raw body, or None when it is larger than the bound (checked while reading,
    so a missing or lying Content-Length cannot get past it)."""
    declared = request.content_length
    if declared is not None and declared > max_body_bytes:
        return None
    chunks: list[bytes] = []
    received = 0
    while received <= max_body_bytes:
        chunk = request.stream.read(max_body_bytes + 1 - received)
        if not chunk:
            break
        chunks.append(chunk)
        received += len(chunk)
    return None if received > max_body_bytes else b"".join(chunks)


def _parse_event(body: bytes) -> dict[str, Any] | None:
    try:
        event = json.loads(body)
    except (ValueError, RecursionError):  # includes UnicodeDecodeError
        return None
    return event if isinstance(event, dict) else None


def _log_failure(exc: Exception) -> None:
    """Log the exception type and stack only: its message may carry user content."""
    stack = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("skill handler failed with %s\n%s", type(exc).__name__, stack)


def create_app(
    handle_event: HandleEvent,
    verifier: RequestVerifier | None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Flask:
    """A Flask app serving Alexa requests on `POST /` and a liveness probe on `GET /health`
    (the only route that answers without verification).

        With `verifier=None` requests are not verified: only for local development.
    """
    app = Flask(__name__)

    @app.get("/health")
    def health() -> Response:
        # For container and proxy health checks: no store, no verification, no content.
        return Response(HEALTH_BODY, status=200, mimetype="application/json")

    @app.post("/")
    def alexa() -> Response:
        body = _read_body(max_body_bytes)
        if body is None:
            return _error(413, "request body too large")
        if verifier is not None:
            try:
                verifier.verify_signature(
                    request.headers.get(CERT_URL_HEADER),
                    request.headers.get(SIGNATURE_HEADER),
                    body,
                )
            except VerificationError as exc:
                logger.warning("refused request: %s", exc.reason)
                return _error(400, "request verification failed")
        event = _parse_event(body)
        if event is None:
            return _error(400, "body is not a JSON object")
        if verifier is not None:
            try:
                verifier.verify_timestamp(event)
            except VerificationError as exc:
                logger.warning("refused request: %s", exc.reason)
                return _error(400, "request verification failed")
        try:
            response = handle_event(event)
        except AskSdkException as exc:
            logger.warning("skill refused request: %s", type(exc).__name__)
            return _error(400, "request refused by the skill")
        except Exception as exc:
            _log_failure(exc)
            return _error(500, "internal error")
        return Response(json.dumps(response), status=200, mimetype="application/json")

    return app


def is_loopback(host: str) -> bool:
    """True for `localhost`, 127.0.0.0/8 and ::1 (with or without brackets)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def make_server(
    app: Flask, host: str, port: int, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> BaseWSGIServer | MultiSocketServer:
    """waitress, configured for Alexa: its own body limit at our bound, so a request that
    declares more is refused with 413 as soon as its headers are read, before waitress
    buffers or spools any of it (its default limit is 1 GiB). waitress refuses a body of
    `max_request_body_size` or more, hence the + 1: the bound itself is still accepted."""
    from waitress.server import create_server

    return create_server(
        app,
        host=host.strip("[]"),
        port=port,
        threads=SERVER_THREADS,
        max_request_body_size=max_body_bytes + 1,
    )


def _serve_forever(app: Flask, host: str, port: int) -> None:
    make_server(app, host, port).run()


def run_serve(host: str, port: int, dev: bool) -> int:
    """Entry point of `steady serve`: verification on, and the skill id required, unless
    `--dev` on a loopback host."""
    if dev and not is_loopback(host):
        print(
            f"steady serve: --dev turns request verification off, so it only binds to "
            f"loopback addresses (127.0.0.1, ::1, localhost), not {host!r}.",
            file=sys.stderr,
        )
        return 2
    from skill.settings import settings

    if not dev and settings().skill_id is None:
        print(
            "steady serve: set STEADY_SKILL_ID to your skill's id (amzn1.ask.skill...); "
            "Alexa requires a web service to refuse requests for other skills.",
            file=sys.stderr,
        )
        return 2
    from skill.app import handle_event
    from skill.logs import configure_logging

    configure_logging()

    verifier = None if dev else RequestVerifier()
    app = create_app(handle_event, verifier)
    mode = "WITHOUT request verification (dev)" if dev else "with Alexa request verification"
    print(f"steady serve: http://{host}:{port}/ {mode}", file=sys.stderr)
    try:
        _serve_forever(app, host, port)
    except KeyboardInterrupt:
        return 0
    return 0
