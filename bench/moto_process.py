"""A local DynamoDB (moto's server app) in its own process, on 127.0.0.1 only, so
its CPU time never counts as the client's.

Run as `python -m bench.moto_process`: prints the endpoint URL on one line, serves
until stdin closes. `MotoProcess` starts and stops it from the benchmark.

Like tests/fixtures/moto_server.py, moto's WSGI app is served behind a lock (moto's
DynamoDB backend is not thread-safe), with one thread per keep-alive connection. Inside
the lock, bench.capacity.CapacityMeter sizes every DynamoDB item sent and returned and
tallies the capacity units DynamoDB would charge (GET /_bench/capacity reads and resets).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

from bench.env import PYTHON, REGION, REPO_ROOT, child_env

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

BASELINE_KEY = "id"  # the ASK SDK DynamoDbAdapter's default partition key name


class _OneRequestAtATime:
    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        with self._lock:
            return list(self._app(environ, start_response))


def serve() -> None:
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    class QuietHandler(MotoRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            """No access log."""

    from bench.capacity import CapacityMeter

    app = _OneRequestAtATime(CapacityMeter(DomainDispatcherApplication(create_backend_app)))
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    host, port = server.server_address[:2]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    print(f"http://{host!s}:{port}", flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    server.shutdown()


class MotoProcess:
    """`with MotoProcess() as moto:` a moto server subprocess; `moto.endpoint`."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self.endpoint = ""

    def __enter__(self) -> MotoProcess:
        self._process = subprocess.Popen(
            [PYTHON, "-m", "bench.moto_process"],
            cwd=REPO_ROOT,
            env=child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()
        if not line.startswith("http://127.0.0.1:"):
            self._process.kill()
            raise RuntimeError(f"moto server did not start: {line!r}")
        self.endpoint = line
        return self

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._process is None:
            return
        assert self._process.stdin is not None
        self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def create_our_table(endpoint: str, name: str) -> None:
    from skill.store.admin import ensure_table

    ensure_table(endpoint, name, REGION)


def create_baseline_table(endpoint: str, name: str) -> None:
    """The table the ASK SDK adapter expects: partition key `id` (string)."""
    import boto3

    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION)
    client.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": BASELINE_KEY, "AttributeType": "S"}],
        KeySchema=[{"AttributeName": BASELINE_KEY, "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.get_waiter("table_exists").wait(
        TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 20}
    )


if __name__ == "__main__":
    serve()
