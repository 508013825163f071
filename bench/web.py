"""The self-hosted web service under a bounded loopback load, verification ON.

A server subprocess (bench.web_server: waitress, the real Flask app and skill, the
embedded SQLite store in a temporary directory) trusts only a throwaway local CA; the
load generator signs every body with that CA's Alexa-style chain beforehand, then
`workers` threads, each with one keep-alive connection, send them as fast as answers
come, until `max_requests` are done or `max_seconds` have passed. Both processes share
the machine's cores: the figures are for client and server together on one box."""

from __future__ import annotations

import http.client
import itertools
import json
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from bench.env import PYTHON, REPO_ROOT, USER_ID_SECRET, child_env
from bench.mix import SETUP, JsonDict, run_episode
from bench.stats import Summary
from skill.chat import envelopes
from skill.web.testing_chain import LocalCA, SigningChain
from skill.web.verifier import RequestVerifier

# One-shot requests of returning couples: a read-only launch, a practice that saves,
# three read-only questions.
LOAD_MIX: tuple[tuple[str, str | None, dict[str, str]], ...] = (
    ("launch", None, {}),
    ("silent sync (saves)", "SilentSyncIntent", {"breaths": "3"}),
    ("launch", None, {}),
    ("trust balance", "TrustBalanceIntent", {}),
    ("streak", "StreakIntent", {}),
    ("help", "AMAZON.HelpIntent", {}),
)


@dataclass
class Signed:
    kind: str
    body: bytes
    headers: dict[str, str]


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, latency: float, status: int) -> None:
        with self.lock:
            self.latencies.append(latency)
            self.statuses[status] = self.statuses.get(status, 0) + 1


def _pem(chain: SigningChain) -> dict[str, str]:
    return {
        "root_pem": chain.root.public_bytes(serialization.Encoding.PEM).decode(),
        "chain_pem": chain.chain_pem.decode(),
    }


def _server_cpu_s(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Client:
    def __init__(self, port: int, chain: SigningChain) -> None:
        self.port = port
        self.chain = chain
        self._connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def sign(self, kind: str, event: JsonDict) -> Signed:
        body = json.dumps(event).encode()
        return Signed(kind, body, self.chain.headers(body))

    def post(self, signed: Signed) -> tuple[int, bytes]:
        self._connection.request("POST", "/", body=signed.body, headers=signed.headers)
        response = self._connection.getresponse()
        return response.status, response.read()

    def answer(self, event: JsonDict) -> JsonDict:
        status, payload = self.post(self.sign("setup", event))
        if status != 200:
            raise RuntimeError(f"web service answered {status} during setup")
        answer: JsonDict = json.loads(payload)
        return answer

    def close(self) -> None:
        self._connection.close()


def _load(
    port: int, chain: SigningChain, bodies: list[Signed], workers: int, max_seconds: float
) -> tuple[LoadResult, float]:
    result = LoadResult()
    tickets = itertools.count()
    deadline = time.perf_counter() + max_seconds

    def worker() -> None:
        client = Client(port, chain)
        try:
            while time.perf_counter() < deadline:
                index = next(tickets)
                if index >= len(bodies):
                    return
                started = time.perf_counter()
                status, _ = client.post(bodies[index])
                result.record(time.perf_counter() - started, status)
        finally:
            client.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result, time.perf_counter() - started


def verification_cost(chain: SigningChain, root_pem: str, repeats: int = 300) -> dict[str, float]:
    """Microseconds per verification of one signed body (chain cached after the first)."""
    from cryptography import x509

    verifier = RequestVerifier(
        roots=[x509.load_pem_x509_certificate(root_pem.encode())],
        fetcher=lambda url, timeout: chain.chain_pem,
    )
    body = json.dumps(envelopes.launch_request()).encode()
    headers = chain.headers(body)
    url, signature = headers["SignatureCertChainUrl"], headers["Signature-256"]
    first = time.perf_counter()
    verifier.verify(url, signature, body)
    first = time.perf_counter() - first
    started = time.perf_counter()
    for _ in range(repeats):
        verifier.verify(url, signature, body)
    cached = (time.perf_counter() - started) / repeats
    return {"first_us": round(first * 1e6, 1), "cached_us": round(cached * 1e6, 1)}


def measure(
    data_dir: Path,
    *,
    max_requests: int = 2000,
    max_seconds: float = 20.0,
    workers: int = 4,
    couples: int = 12,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    chain = LocalCA(label="Bench").issue()
    pem = _pem(chain)
    env = child_env(
        STEADY_DATA_DIR=str(data_dir),
        STEADY_USER_ID_SECRET=USER_ID_SECRET,
        STEADY_SKILL_ID=envelopes.DEFAULT_SKILL_ID,
    )
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [PYTHON, "-m", "bench.web_server"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        server_log = ""
        try:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(json.dumps(pem) + "\n")
            process.stdin.close()
            line = process.stdout.readline()
            if not line:
                errors.seek(0)
                raise RuntimeError(f"web server did not start: {errors.read()[-2000:]!r}")
            port = int(json.loads(line)["port"])
            setup = Client(port, chain)
            users = [f"amzn1.ask.account.WEB-{number:03d}" for number in range(couples)]
            for user in users:
                conversation = envelopes.Conversation(user_id=user)
                for _ in run_episode(conversation, SETUP, setup.answer):
                    pass
            for _kind, intent, slots in LOAD_MIX:  # warm every path once
                setup.answer(_event(users[0], intent, slots))
            setup.close()
            bodies = [
                setup.sign(kind, _event(users[index % couples], intent, slots))
                for index, (kind, intent, slots) in zip(
                    range(max_requests), itertools.cycle(LOAD_MIX), strict=False
                )
            ]
            progress(f"  web: {len(bodies)} signed requests, {workers} client threads")
            cpu_before = _server_cpu_s(process.pid)
            client_cpu = time.process_time()
            result, elapsed = _load(port, chain, bodies, workers, max_seconds)
            client_cpu = time.process_time() - client_cpu
            server_cpu = _server_cpu_s(process.pid) - cpu_before
        finally:
            process.terminate()
            process.wait(timeout=10)
            errors.seek(0)
            server_log = errors.read().decode(errors="replace")
    done = len(result.latencies)
    return {
        "requests": done,
        "seconds": round(elapsed, 2),
        "requests_per_second": round(done / elapsed, 1),
        "latency_ms": Summary.of(result.latencies).as_dict(),
        "statuses": {str(code): count for code, count in sorted(result.statuses.items())},
        "server_cpu_ms_per_request": round(server_cpu / done * 1000, 3) if done else None,
        "client_cpu_ms_per_request": round(client_cpu / done * 1000, 3) if done else None,
        "server_errors_logged": sum(
            server_log.count(marker) for marker in ("handler failed", "store failed")
        ),
        "workers": workers,
        "mix": [kind for kind, _, _ in LOAD_MIX],
        "verification_us": verification_cost(chain, pem["root_pem"]),
    }


def _event(user_id: str, intent: str | None, slots: dict[str, str]) -> JsonDict:
    if intent is None:
        return envelopes.launch_request(user_id=user_id)
    return envelopes.intent_request(intent, slots or None, user_id=user_id)
