"""`steady serve` as a person runs it: a real process on loopback. Unsigned requests
are refused while verification is on; `--dev` answers a LaunchRequest."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.chat import envelopes
from tests.dialog.harness import assert_valid_response

STEADY = Path(sys.executable).with_name("steady")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"


def _serve(tmp_path: Path, *flags: str) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "STEADY_DATA_DIR": str(tmp_path)}
    if "--dev" not in flags:
        env["STEADY_SKILL_ID"] = SKILL_ID
    process = subprocess.Popen(
        [str(STEADY), "serve", "--host", "127.0.0.1", "--port", str(port), *flags],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("steady serve did not come up")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def dev_server(tmp_path: Path) -> Iterator[str]:
    yield from _serve(tmp_path, "--dev")


@pytest.fixture
def verifying_server(tmp_path: Path) -> Iterator[str]:
    yield from _serve(tmp_path)


def _post(url: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def test_dev_server_answers_a_launch_request(dev_server: str) -> None:
    status, body = _post(dev_server + "/", json.dumps(envelopes.launch_request()).encode())
    assert status == 200
    answer = json.loads(body)
    assert_valid_response(answer)
    assert "first name" in answer["response"]["outputSpeech"]["ssml"]


def test_verifying_server_refuses_an_unsigned_request(verifying_server: str) -> None:
    status, _ = _post(verifying_server + "/", json.dumps(envelopes.launch_request()).encode())
    assert 400 <= status < 500


def test_dev_mode_refuses_a_public_address(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(STEADY), "serve", "--dev", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode != 0 and "loopback" in done.stderr.lower()


def test_serving_without_a_skill_id_is_refused_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "STEADY_DATA_DIR": str(tmp_path)}
    env.pop("STEADY_SKILL_ID", None)
    done = subprocess.run(
        [str(STEADY), "serve", "--host", "127.0.0.1", "--port", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "STEADY_SKILL_ID" in lines[0], done.stderr
