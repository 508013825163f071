"""Builds the one skill object, served by the Lambda handler, the web service and
the local chat alike."""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope
from ask_sdk_model.services import ApiClient

from skill.alexa_api import client_from_env
from skill.deadline import TURN_BUDGET_S, budget
from skill.envelope_codec import EnvelopeSerializer
from skill.handlers.conversation import INTENT_HANDLERS
from skill.handlers.errors import CatchAllHandler, StoreFailureHandler
from skill.handlers.interceptors import TurnEnd, TurnInterceptor, TurnLogger
from skill.handlers.lifecycle import LIFECYCLE_HANDLERS
from skill.logs import configure_logging
from skill.settings import settings
from skill.turn import Services

log = logging.getLogger(__name__)

_lock = threading.Lock()
_skill: CustomSkill | None = None
_services: Services | None = None


class RequestRefused(AskSdkException):
    """The request is not one this skill answers (wrong skill id, malformed)."""


def build_skill(
    services: Services | None = None, api_client: ApiClient | None = None
) -> CustomSkill:
    """`api_client` reaches the Alexa APIs (reminders, progressive responses); without
    one (tests, benchmarks) the skill makes no network calls to Alexa."""
    services = services or Services(settings())
    builder = CustomSkillBuilder(api_client=api_client) if api_client else CustomSkillBuilder()
    builder.skill_id = services.settings.skill_id  # type: ignore[assignment]
    builder.add_global_request_interceptor(TurnInterceptor(services))
    builder.add_global_response_interceptor(TurnLogger())
    builder.add_global_response_interceptor(TurnEnd())  # last
    for handler in (*LIFECYCLE_HANDLERS, *INTENT_HANDLERS):
        builder.add_request_handler(handler())
    builder.add_exception_handler(StoreFailureHandler())
    builder.add_exception_handler(CatchAllHandler())
    skill: CustomSkill = builder.create()
    # The same objects and JSON as ask-sdk-core's DefaultSerializer, built faster.
    skill.serializer = EnvelopeSerializer()
    return skill


def get_skill() -> CustomSkill:
    global _skill, _services  # noqa: PLW0603 -- the one skill object of this process
    if _skill is None:
        with _lock:
            if _skill is None:
                configure_logging()
                _services = Services(settings())
                _skill = build_skill(_services, api_client=client_from_env())
    return _skill


def warm() -> None:
    """Build the skill and its connections during Lambda init. Failures are left for
    the first request to meet (and answer kindly), never raised at import."""
    get_skill()
    if _services is None:
        return
    _rebuild_connections_after_snapstart_restore(_services)
    _warm_services(_services)


def _warm_services(services: Services) -> None:
    """The store's client now; the user-id key too unless it comes through the
    Parameters and Secrets extension, which answers only once the function is invoked
    (the first turn reads it then, a local HTTP call)."""
    try:
        if services.settings.key_readable_at_init:
            services.warm()
            return
        warm_store = getattr(services.store, "warm", None)
        if callable(warm_store):
            warm_store()
    except Exception as error:  # init must not fail; the first turn will retry
        log.warning("warm-up incomplete", extra={"error_type": type(error).__name__})


def _rebuild_connections_after_snapstart_restore(services: Services) -> None:
    """With SnapStart, init runs once and is restored many times: sockets and
    credentials made during init must be made again. Nothing else of ours is drawn at
    init (no random state, no cached time). The hook module exists only on Lambda."""
    try:
        from snapshot_restore_py import register_after_restore  # type: ignore[import-not-found]
    except ImportError:
        return

    def rebuild() -> None:
        services.forget_connections()
        _warm_services(services)

    register_after_restore(rebuild)


def handle_event(
    event: dict[str, Any], context: object | None = None, skill: CustomSkill | None = None
) -> dict[str, Any]:
    """Answer one Alexa request envelope (as parsed JSON) with a response envelope."""
    skill = skill or get_skill()
    try:
        envelope: RequestEnvelope = skill.serializer.deserialize(
            payload=json.dumps(event), obj_type=RequestEnvelope
        )
    except Exception as error:
        raise RequestRefused("not an Alexa request envelope") from error
    if envelope.request is None or envelope.context is None or envelope.context.system is None:
        raise RequestRefused("the request envelope has no request or context")
    application = envelope.context.system.application
    if skill.skill_id is not None and (
        application is None or application.application_id != skill.skill_id
    ):
        log.warning("refused a request for another skill")
        raise RequestRefused("skill id verification failed")
    with budget(turn_budget(context)):
        response = skill.invoke(request_envelope=envelope, context=context)
    body = skill.serializer.serialize(response)
    if not isinstance(body, dict):
        raise TypeError("the serializer did not produce a JSON object")
    return body


# What a Lambda invocation keeps for itself after the turn's calls (rendering, the
# response), when the function's own timeout is nearer than the turn budget.
LAMBDA_RESERVE_S = 0.5


def turn_budget(context: object | None) -> float:
    """The time the turn's calls (store, Alexa APIs) share: `TURN_BUDGET_S`, or less
    when the Lambda function's own timeout comes sooner."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if callable(remaining):
        try:
            left_s = float(remaining()) / 1000 - LAMBDA_RESERVE_S
        except (TypeError, ValueError):
            return TURN_BUDGET_S
        return max(0.0, min(TURN_BUDGET_S, left_s))
    return TURN_BUDGET_S


def lambda_handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    return handle_event(event, context)
