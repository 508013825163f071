"""A local stand-in for the AWS Parameters and Secrets Lambda Extension: an HTTP server on
127.0.0.1 that answers `GET /systemsmanager/parameters/get?name=...&withDecryption=true`
the way the extension does (the GetParameter answer as JSON, `{"Parameter": {"Value":
...}}`), only when the `X-Aws-Parameters-Secrets-Token` header carries the session token.

Used by the benchmark (the key path as deployed) and by the tests. Stdlib only; it
serves from a thread of the process that starts it."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

PATH = "/systemsmanager/parameters/get"
TOKEN_HEADER = "X-Aws-Parameters-Secrets-Token"


@dataclass(frozen=True)
class Seen:
    """One request as the fake saw it (never the token itself)."""

    path: str
    name: str | None
    with_decryption: bool
    token_ok: bool
    status: int


class FakeSecretsExtension:
    """`with FakeSecretsExtension({"/p": "v"}, token="t") as fake:` serves on `fake.port`."""

    def __init__(self, parameters: dict[str, str], token: str, port: int = 0) -> None:
        self.parameters = dict(parameters)
        self.token = token
        self.requests: list[Seen] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._answer(self)

            def log_message(self, format: str, *args: object) -> None:
                """No access log."""

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def _answer(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        query = parse_qs(parts.query)
        name = (query.get("name") or [None])[0]
        decrypt = (query.get("withDecryption") or ["false"])[0].lower() == "true"
        token_ok = request.headers.get(TOKEN_HEADER) == self.token
        if parts.path.rstrip("/") != PATH:
            status, body = 404, {"message": "not found"}
        elif not token_ok:
            status, body = 401, {"message": "missing or wrong token"}
        elif name not in self.parameters:
            status, body = 400, {"message": f"parameter {name} not found"}
        else:
            status = 200
            body = {
                "Parameter": {
                    "ARN": f"arn:aws:ssm:us-east-1:123456789012:parameter{name}",
                    "DataType": "text",
                    "LastModifiedDate": "2026-12-01T00:00:00Z",
                    "Name": name,
                    "Selector": None,
                    "SourceResult": None,
                    "Type": "SecureString",
                    "Value": self.parameters[name] if decrypt else "(encrypted)",
                    "Version": 1,
                },
                "ResultMetadata": {},
            }
        self.requests.append(Seen(parts.path, name, decrypt, token_ok, status))
        payload = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)

    def start(self) -> FakeSecretsExtension:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeSecretsExtension:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
