"""Settings: read once from the environment; the user-id key from the environment,
SSM Parameter Store (a SecureString, as on Lambda) or a local key file."""

from __future__ import annotations

import dataclasses
import logging
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from bench.fake_extension import FakeSecretsExtension
from skill import settings as settings_module
from skill.privacy import couple_key
from skill.settings import SecretUnavailable, Settings


def test_defaults_mean_the_embedded_store(tmp_path: Path) -> None:
    settings = Settings.from_env({"STEADY_DATA_DIR": str(tmp_path)})
    assert settings.table is None and settings.skill_id is None
    assert settings.audio_base_url is None and settings.event_ttl_days == 400


def test_audio_base_url_must_be_https(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="https"):
        Settings.from_env({"STEADY_AUDIO_BASE_URL": "http://cdn.example/audio"})
    ok = Settings.from_env({"STEADY_AUDIO_BASE_URL": "https://cdn.example/audio/"})
    assert ok.audio_base_url == "https://cdn.example/audio"


def test_local_key_is_created_once_private_and_stable(tmp_path: Path) -> None:
    settings = Settings.from_env({"STEADY_DATA_DIR": str(tmp_path)})
    first = settings.user_id_secret()
    assert first == settings.user_id_secret()
    key_file = tmp_path / "keys" / "user-id.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) >= 32


def test_key_from_ssm_secure_string(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", moto_endpoint)
    ssm = boto3.client("ssm", region_name="us-east-1", endpoint_url=moto_endpoint)
    ssm.put_parameter(
        Name="/steady-together/test-secret", Value="from-ssm", Type="SecureString", Overwrite=True
    )
    settings = Settings.from_env({"STEADY_USER_ID_SECRET_PARAM": "/steady-together/test-secret"})
    assert settings.user_id_secret() == b"from-ssm"


def test_raw_user_ids_become_keyed_hashes() -> None:
    user = "amzn1.ask.account.ABCDEF"
    key = couple_key(b"one", user)
    assert user not in key and "ABCDEF" not in key
    assert key == couple_key(b"one", user)
    assert key != couple_key(b"two", user)  # rotating the secret: a fresh partition


# ------------------------------------- the key through the Parameters and Secrets extension

PARAM = "/steady-together/user-id-secret"
TOKEN = "session-token-of-the-function"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _on_lambda(port: int) -> Settings:
    return Settings.from_env(
        {
            "STEADY_USER_ID_SECRET_PARAM": PARAM,
            "AWS_LAMBDA_FUNCTION_NAME": "steady-skill",
            "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": str(port),
            "AWS_REGION": "us-east-1",
        }
    )


def _no_botocore_client(*_: object) -> bytes:
    raise AssertionError("a botocore SSM client was made although the extension is there")


@pytest.fixture
def extension(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSecretsExtension]:
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    with FakeSecretsExtension({PARAM: "from-the-extension"}, token=TOKEN) as fake:
        yield fake


def test_on_lambda_the_key_comes_from_the_extension_with_the_session_token(
    extension: FakeSecretsExtension, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings_module, "_secret_from_ssm", _no_botocore_client)
    settings = _on_lambda(extension.port)
    assert not settings.key_readable_at_init  # the extension answers only once invoked
    assert settings.user_id_secret() == b"from-the-extension"
    [seen] = extension.requests
    assert seen.status == 200 and seen.token_ok and seen.with_decryption
    assert seen.name == PARAM  # sent URL-encoded (%2F), read back as the name


def test_a_refusing_extension_is_an_error_not_a_second_client(
    extension: FakeSecretsExtension, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings_module, "_secret_from_ssm", _no_botocore_client)
    monkeypatch.setenv("AWS_SESSION_TOKEN", "another-token")
    with pytest.raises(SecretUnavailable, match="answered 401") as caught:
        _on_lambda(extension.port).user_id_secret()
    assert "from-the-extension" not in str(caught.value)


def test_a_missing_extension_falls_back_to_botocore_with_one_log_line(
    moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", moto_endpoint)
    ssm = boto3.client("ssm", region_name="us-east-1", endpoint_url=moto_endpoint)
    ssm.put_parameter(Name=PARAM, Value="from-moto-ssm", Type="SecureString", Overwrite=True)
    with caplog.at_level(logging.INFO, logger="skill.settings"):
        assert _on_lambda(_closed_port()).user_id_secret() == b"from-moto-ssm"
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert "extension is not running" in record.getMessage()
    assert "from-moto-ssm" not in caplog.text


def test_off_lambda_the_extension_port_is_never_contacted(
    extension: FakeSecretsExtension, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Elsewhere anything could listen on that port: the session token is not sent there."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", moto_endpoint)
    ssm = boto3.client("ssm", region_name="us-east-1", endpoint_url=moto_endpoint)
    ssm.put_parameter(Name=PARAM, Value="from-moto-ssm", Type="SecureString", Overwrite=True)
    settings = Settings.from_env(
        {
            "STEADY_USER_ID_SECRET_PARAM": PARAM,
            "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": str(extension.port),
        }
    )
    assert settings.key_readable_at_init
    assert settings.user_id_secret() == b"from-moto-ssm"
    assert extension.requests == []


def test_lambda_init_makes_the_store_client_but_leaves_the_key_to_the_first_turn(
    extension: FakeSecretsExtension, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skill import app
    from skill.store.memory import MemoryStore
    from skill.turn import Services

    built: list[MemoryStore] = []

    def factory(_settings: object) -> MemoryStore:
        built.append(MemoryStore())
        return built[-1]

    settings = dataclasses.replace(_on_lambda(extension.port), data_dir=tmp_path)
    services = Services(settings, factory)
    monkeypatch.setattr(app, "_services", services)
    monkeypatch.setattr(app, "_skill", app.build_skill(services))
    app.warm()  # Lambda's INIT phase: the extension would not answer yet
    assert len(built) == 1 and extension.requests == []
    assert services.secret == b"from-the-extension"  # the first turn
    assert services.secret == b"from-the-extension"
    assert len(extension.requests) == 1
