"""Typed settings, read from the environment once per process."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# The AWS Parameters and Secrets Lambda Extension (a layer, template.yaml): a local HTTP
# server that reads SSM parameters with the function's role and caches them.
EXTENSION_PORT_VARIABLE = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"
EXTENSION_DEFAULT_PORT = 2773
EXTENSION_TOKEN_HEADER = "X-Aws-Parameters-Secrets-Token"  # noqa: S105 - a header name
# Local, but on a cold environment the extension itself asks SSM (and KMS) first.
EXTENSION_TIMEOUT_S = 2.0
_MAX_ANSWER_BYTES = 64 * 1024


# Login with Amazon's token endpoint (the client-credentials grant).
LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"  # noqa: S105 - a URL, not a secret
PROACTIVE_STAGES = ("development", "live")


class SecretUnavailable(RuntimeError):  # noqa: N818 - named for what happened
    """The user-id key could not be read (the message never holds the key)."""


@dataclass(frozen=True)
class Settings:
    """How this process was configured (from the environment), read once."""

    table: str | None
    dynamodb_endpoint: str | None
    data_dir: Path
    skill_id: str | None
    audio_base_url: str | None
    region: str
    event_ttl_days: int
    user_id_secret_param: str | None
    user_id_secret_value: str | None
    # On Lambda (AWS_LAMBDA_FUNCTION_NAME is set) the key parameter is read through the
    # Parameters and Secrets extension on this port; anywhere else nothing is sent there.
    on_lambda: bool = False
    secrets_extension_port: int = EXTENSION_DEFAULT_PORT
    # One IANA zone for every couple in place of the device's (the local chat's --tz).
    time_zone: str | None = None
    # The skill's Login with Amazon client credentials (a JSON object with clientId and
    # clientSecret), for the Proactive Events API: an SSM SecureString by name (read
    # like the user-id key), or the value itself (self-hosting). Neither: no alerts.
    lwa_credentials_param: str | None = None
    lwa_credentials_value: str | None = None
    # "development" until the skill is certified, then "live" (docs/notifications.md).
    proactive_stage: str = "development"
    lwa_token_url: str = LWA_TOKEN_URL

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
            on_lambda=bool(env.get("AWS_LAMBDA_FUNCTION_NAME")),
            secrets_extension_port=int(env.get(EXTENSION_PORT_VARIABLE) or EXTENSION_DEFAULT_PORT),
            time_zone=env.get("STEADY_TIME_ZONE") or None,
            lwa_credentials_param=env.get("STEADY_LWA_CREDENTIALS_PARAM") or None,
            lwa_credentials_value=env.get("STEADY_LWA_CREDENTIALS") or None,
            proactive_stage=_stage(env.get("STEADY_PROACTIVE_STAGE")),
            lwa_token_url=env.get("STEADY_LWA_TOKEN_URL") or LWA_TOKEN_URL,
        )

    @property
    def alerts_configured(self) -> bool:
        """Whether the skill has client credentials for the Proactive Events API."""
        return bool(self.lwa_credentials_value or self.lwa_credentials_param)

    def lwa_credentials(self) -> bytes:
        """The LWA client credentials (JSON): the value, else the SSM parameter, read
        the way the user-id key is (the extension on Lambda, botocore elsewhere)."""
        if self.lwa_credentials_value:
            return self.lwa_credentials_value.encode()
        if not self.lwa_credentials_param:
            raise SecretUnavailable("no LWA client credentials are configured")
        if self.on_lambda:
            found = secret_from_extension(self.lwa_credentials_param, self.secrets_extension_port)
            if found is not None:
                return found
        return _secret_from_ssm(self.lwa_credentials_param, self.region)

    @property
    def key_readable_at_init(self) -> bool:
        """False when the key comes through the Parameters and Secrets extension, which
        answers only once the function is invoked (not during Lambda's INIT phase, nor
        a SnapStart restore): the first turn reads it then."""
        return not (self.user_id_secret_param and not self.user_id_secret_value and self.on_lambda)

    def user_id_secret(self) -> bytes:
        """The key of the user-id hash: env value, else SSM parameter (on Lambda through
        the Parameters and Secrets extension, with a botocore client only when the
        extension is not there), else a local key file."""
        if self.user_id_secret_value:
            return self.user_id_secret_value.encode()
        if self.user_id_secret_param:
            if self.on_lambda:
                found = secret_from_extension(
                    self.user_id_secret_param, self.secrets_extension_port
                )
                if found is not None:
                    return found
                log.warning(
                    "the Parameters and Secrets extension is not running: reading the "
                    "user-id key with a botocore SSM client",
                    extra={"extension_port": self.secrets_extension_port},
                )
            return _secret_from_ssm(self.user_id_secret_param, self.region)
        from skill.keyfile import local_secret

        return local_secret(self.data_dir)


def _stage(value: str | None) -> str:
    stage = (value or "development").strip().lower()
    if stage not in PROACTIVE_STAGES:
        raise ValueError("STEADY_PROACTIVE_STAGE must be development or live")
    return stage


def _default_data_dir(env: Mapping[str, str]) -> str:
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "steady-together")


def _session_token() -> str:
    """The token the extension expects: the function's session token. Lambda sets
    AWS_SESSION_TOKEN, except where credentials come from a container endpoint
    (SnapStart): then the botocore credential chain has it."""
    token = os.environ.get("AWS_SESSION_TOKEN")
    if token:
        return token
    import botocore.session

    credentials = botocore.session.get_session().get_credentials()
    frozen = credentials.get_frozen_credentials() if credentials is not None else None
    if frozen is None or not frozen.token:
        raise SecretUnavailable("no session token for the Parameters and Secrets extension")
    return str(frozen.token)


def secret_from_extension(name: str, port: int) -> bytes | None:
    """The SecureString `name`, decrypted, from the Parameters and Secrets extension on
    localhost:`port`; None when nothing listens there (the layer is missing). Any other
    failure raises SecretUnavailable: with the extension present, a second path would
    only double the wait."""
    import http.client
    from urllib.parse import urlencode

    query = urlencode({"name": name, "withDecryption": "true"})
    connection = http.client.HTTPConnection("localhost", port, timeout=EXTENSION_TIMEOUT_S)
    try:
        connection.request(
            "GET",
            f"/systemsmanager/parameters/get?{query}",
            headers={EXTENSION_TOKEN_HEADER: _session_token()},
        )
        answer = connection.getresponse()
        body = answer.read(_MAX_ANSWER_BYTES)
    except ConnectionRefusedError:
        return None
    except OSError as error:
        raise SecretUnavailable(
            f"the Parameters and Secrets extension did not answer ({type(error).__name__})"
        ) from None
    finally:
        connection.close()
    if answer.status != 200:
        raise SecretUnavailable(f"the Parameters and Secrets extension answered {answer.status}")
    try:
        value = json.loads(body)["Parameter"]["Value"]
    except (ValueError, KeyError, TypeError):
        raise SecretUnavailable(
            "the Parameters and Secrets extension's answer has no value"
        ) from None
    if not isinstance(value, str) or not value:
        raise SecretUnavailable("the user-id key parameter is empty")
    return value.encode()


def _secret_from_ssm(name: str, region: str) -> bytes:
    """Read the SecureString once. botocore alone (pynamodb already loads it), so a
    cold start does not also import boto3."""
    import botocore.session
    from botocore.config import Config

    from skill.store.botocore_data import made_from_lean_data

    session = botocore.session.get_session()
    config = Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 2})
    client: Any = made_from_lean_data(  # the bundle's lean copy: ssm is in it
        session, lambda: session.create_client("ssm", region_name=region, config=config)
    )
    answer = client.get_parameter(Name=name, WithDecryption=True)
    return str(answer["Parameter"]["Value"]).encode()


@cache
def settings() -> Settings:
    return Settings.from_env()
