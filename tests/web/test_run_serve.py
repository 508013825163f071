"""`steady serve`: verification on by default, `--dev` only on loopback."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from skill.settings import settings
from skill.web import server
from skill.web.server import is_loopback, run_serve

from .helpers import SkillSpy


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LocalHost"]
)
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize(
    "host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "example.com", "", "localhost.evil"]
)
def test_non_loopback_hosts(host: str) -> None:
    assert not is_loopback(host)


SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"


@pytest.fixture(autouse=True)
def skill_id(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """STEADY_SKILL_ID set, and the settings read afresh (they are cached per process)."""
    monkeypatch.setenv("STEADY_SKILL_ID", SKILL_ID)
    settings.cache_clear()
    yield
    settings.cache_clear()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Replace the real skill and the blocking server; capture what would be served."""
    captured: dict[str, Any] = {"skill": SkillSpy()}
    fake_app_module = types.ModuleType("skill.app")
    fake_app_module.handle_event = captured["skill"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "skill.app", fake_app_module)

    def fake_serve(app: Flask, host: str, port: int) -> None:
        captured.update(app=app, host=host, port=port)

    monkeypatch.setattr(server, "_serve_forever", fake_serve)
    monkeypatch.setattr("skill.logs.configure_logging", lambda: None)  # keep global logging
    return captured


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20"])
def test_dev_mode_refuses_a_public_host(
    served: dict[str, Any], capsys: pytest.CaptureFixture[str], host: str
) -> None:
    assert run_serve(host=host, port=8080, dev=True) == 2
    assert "loopback" in capsys.readouterr().err
    assert "app" not in served


def test_default_mode_verifies_requests(served: dict[str, Any]) -> None:
    assert run_serve(host="0.0.0.0", port=8080, dev=False) == 0
    assert (served["host"], served["port"]) == ("0.0.0.0", 8080)
    client = served["app"].test_client()
    response = client.post("/", data=b'{"request": {}}', content_type="application/json")
    assert response.status_code == 400
    assert served["skill"].events == []


def test_default_mode_refuses_to_start_without_a_skill_id(
    served: dict[str, Any], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STEADY_SKILL_ID")
    settings.cache_clear()
    assert run_serve(host="127.0.0.1", port=8080, dev=False) == 2
    err = capsys.readouterr().err
    assert "STEADY_SKILL_ID" in err and err.count("\n") == 1
    assert "app" not in served


def test_dev_mode_needs_no_skill_id(
    served: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STEADY_SKILL_ID")
    settings.cache_clear()
    assert run_serve(host="127.0.0.1", port=8080, dev=True) == 0
    assert "app" in served


def test_dev_mode_on_loopback_serves_without_verification(
    served: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_serve(host="127.0.0.1", port=8080, dev=True) == 0
    assert "WITHOUT request verification" in capsys.readouterr().err
    client = served["app"].test_client()
    response = client.post("/", data=b'{"request": {}}', content_type="application/json")
    assert response.status_code == 200
    assert len(served["skill"].events) == 1


def test_cli_serve_dev_refuses_a_public_host(capsys: pytest.CaptureFixture[str]) -> None:
    from skill.cli import main

    assert main(["serve", "--host", "0.0.0.0", "--dev"]) == 2
    assert "loopback" in capsys.readouterr().err
