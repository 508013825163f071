"""The home-server deployments: the Dockerfile (parsed with dockerfile-parse; built only
where a container engine answers, which this machine's docker client has none of) and
the sandboxed systemd unit (read with configparser; checked by systemd-analyze where it
is installed)."""

from __future__ import annotations

import configparser
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from dockerfile_parse import DockerfileParser

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
UNIT = ROOT / "deploy" / "systemd" / "steady-together.service"
SECRET_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|_KEY\b|API_KEY", re.I)


def _final_stage() -> list[dict[str, Any]]:
    structure = DockerfileParser(path=str(DOCKERFILE)).structure
    starts = [n for n, item in enumerate(structure) if item["instruction"] == "FROM"]
    return structure[starts[-1] :]


def _values(stage: list[dict[str, Any]], instruction: str) -> list[str]:
    return [str(item["value"]) for item in stage if item["instruction"] == instruction]


def _exec_form(value: str) -> list[str]:
    parsed = json.loads(value)
    assert isinstance(parsed, list), f"not exec form: {value}"
    return [str(part) for part in parsed]


def test_the_image_is_python_312_slim_with_the_web_extra_only() -> None:
    parser = DockerfileParser(path=str(DOCKERFILE))
    assert parser.baseimage == "python:3.12-slim"
    assert set(parser.parent_images) == {"python:3.12-slim"}
    installs = [v for v in _values(parser.structure, "RUN") if "pip install" in v]
    assert any('".[web]"' in v for v in installs), installs
    assert not any(re.search(r"\[(?:[^\]]*,)?\s*(dev|audio)", v) for v in installs)


def test_it_runs_as_a_user_that_is_not_root() -> None:
    stage = _final_stage()
    users = _values(stage, "USER")
    assert users, "no USER in the final stage"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0", ""}
    order = [item["instruction"] for item in stage]
    assert order.index("CMD") > max(n for n, name in enumerate(order) if name == "USER")


def test_the_data_folder_is_a_volume_and_the_store_lives_there() -> None:
    stage = _final_stage()
    envs = DockerfileParser(path=str(DOCKERFILE)).envs
    data_dir = envs["STEADY_DATA_DIR"]
    volumes = [part for value in _values(stage, "VOLUME") for part in _exec_form(value)]
    assert data_dir in volumes
    # Made 0700 and owned by the service user before the volume is declared.
    assert any("chmod 0700 " + data_dir in v for v in _values(stage, "RUN"))
    assert envs.get("PYTHONDONTWRITEBYTECODE") == "1"  # a read-only root filesystem


def test_serves_on_all_addresses_in_the_container_never_in_dev_mode() -> None:
    stage = _final_stage()
    [cmd] = _values(stage, "CMD")
    command = _exec_form(cmd)
    assert command[:2] == ["steady", "serve"]
    instructions = [
        line for line in DOCKERFILE.read_text().splitlines() if not line.startswith("#")
    ]
    assert "--dev" not in command and not any("--dev" in line for line in instructions)
    host = command[command.index("--host") + 1]
    port = command[command.index("--port") + 1]
    assert host == "0.0.0.0"
    assert _values(stage, "EXPOSE") == [port]


def test_the_health_check_calls_get_health_with_python() -> None:
    [check] = _values(_final_stage(), "HEALTHCHECK")
    assert "/health" in check and "urllib.request" in check
    assert not re.search(r"\b(curl|wget)\b", check)
    port = _exec_form(_values(_final_stage(), "CMD")[0])[-1]
    assert f"127.0.0.1:{port}/health" in check


def test_no_secrets_are_baked_in() -> None:
    parser = DockerfileParser(path=str(DOCKERFILE))
    names = [*parser.envs, *parser.args]
    assert not [name for name in names if SECRET_NAME.search(name)]
    assert "STEADY_USER_ID_SECRET" not in DOCKERFILE.read_text().split("#")[0]
    assert "STEADY_SKILL_ID" not in parser.envs  # given at run time
    copied = " ".join(_values(parser.structure, "COPY") + _values(parser.structure, "ADD"))
    assert "keys" not in copied and ".sqlite3" not in copied


def test_dockerignore_keeps_everything_but_the_sources_out() -> None:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert patterns[0] == "*"
    assert {p for p in patterns if p.startswith("!")} == {
        "!pyproject.toml",
        "!README.md",
        "!skill/",
    }


def _engine_answers() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    done = subprocess.run([docker, "info"], capture_output=True, timeout=30, check=False)
    return done.returncode == 0


@pytest.mark.slow
def test_the_image_builds_where_a_container_engine_answers() -> None:
    if not _engine_answers():
        pytest.skip("no container engine answers here (docker client without a daemon)")
    done = subprocess.run(
        ["docker", "build", "-q", "-t", "steady-together:test", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


# -- systemd ------------------------------------------------------------------------


def _unit() -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(UNIT)
    return unit


def test_the_unit_is_sandboxed() -> None:
    service = _unit()["Service"]
    assert service.get("DynamicUser") == "yes" or service.get("User") not in {None, "root", "0"}
    expected = {
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "NoNewPrivileges": "yes",
        "StateDirectory": "steady-together",
        "StateDirectoryMode": "0700",
        "UMask": "0077",
        "CapabilityBoundingSet": "",
        "PrivateDevices": "yes",
        "RestrictSUIDSGID": "yes",
    }
    assert {key: service.get(key) for key in expected} == expected
    families = set(service["RestrictAddressFamilies"].split())
    assert families <= {"AF_INET", "AF_INET6", "AF_UNIX"}


def test_the_unit_keeps_the_store_in_its_state_directory_and_serves_on_loopback() -> None:
    service = _unit()["Service"]
    assert service["Environment"] == "STEADY_DATA_DIR=%S/steady-together"
    command = service["ExecStart"].split()
    assert command[1:3] == ["serve", "--host"] and command[3] == "127.0.0.1"
    assert "--dev" not in command
    assert service["EnvironmentFile"].startswith("/etc/")  # the skill id, not in the unit


def test_systemd_rates_the_unit_well_where_it_is_installed() -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    done = subprocess.run(
        [analyze, "security", "--offline=yes", "--threshold=20", str(UNIT)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if "--offline" in done.stderr:
        pytest.skip("this systemd-analyze cannot check units offline")
    assert done.returncode == 0, done.stdout[-1500:]
    score = re.search(r"Overall exposure level for \S+: ([\d.]+)", done.stdout)
    assert score is not None and float(score.group(1)) <= 2.0, done.stdout[-500:]
