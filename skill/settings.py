"""Typed settings, read from the environment once per process."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    table: str | None
    dynamodb_endpoint: str | None
    data_dir: Path
    skill_id: str | None
    audio_base_url: str | None
    region: str
    event_ttl_days: int
    user_id_secret_param: str | None
    user_id_secret_value: str | None
    # One IANA zone for every couple in place of the device's (the local chat's --tz).
    time_zone: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        audio = env.get("STEADY_AUDIO_BASE_URL") or None
        if audio is not None and not audio.startswith("https://"):
            raise ValueError("STEADY_AUDIO_BASE_URL must be an https:// URL")
        return cls(
            table=env.get("STEADY_TABLE") or None,
            dynamodb_endpoint=env.get("STEADY_DYNAMODB_ENDPOINT") or None,
            data_dir=Path(env.get("STEADY_DATA_DIR") or _default_data_dir(env)),
            skill_id=env.get("STEADY_SKILL_ID") or None,
            audio_base_url=audio.rstrip("/") if audio else None,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
            event_ttl_days=int(env.get("STEADY_EVENT_TTL_DAYS") or 400),
            user_id_secret_param=env.get("STEADY_USER_ID_SECRET_PARAM") or None,
            user_id_secret_value=env.get("STEADY_USER_ID_SECRET") or None,
            time_zone=env.get("STEADY_TIME_ZONE") or None,
        )

    def user_id_secret(self) -> bytes:
        """The key of the user-id hash: env value, else SSM parameter, else a local key file."""
        if self.user_id_secret_value:
            return self.user_id_secret_value.encode()
        if self.user_id_secret_param:
            return _secret_from_ssm(self.user_id_secret_param, self.region)
        from skill.keyfile import local_secret

        return local_secret(self.data_dir)


def _default_data_dir(env: Mapping[str, str]) -> str:
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "steady-together")


def _secret_from_ssm(name: str, region: str) -> bytes:
    """Read the SecureString once. botocore alone (pynamodb already loads it), so a
    cold start does not also import boto3."""
    import botocore.session
    from botocore.config import Config

    client: Any = botocore.session.get_session().create_client(
        "ssm",
        region_name=region,
        config=Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 2}),
    )
    answer = client.get_parameter(Name=name, WithDecryption=True)
    return str(answer["Parameter"]["Value"]).encode()


@cache
def settings() -> Settings:
    return Settings.from_env()
