"""Settings: read once from the environment; the user-id key from the environment,
SSM Parameter Store (a SecureString, as on Lambda) or a local key file."""

from __future__ import annotations

import stat
from pathlib import Path

import boto3
import pytest

from skill.privacy import couple_key
from skill.settings import Settings


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
