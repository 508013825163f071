"""Cross-cutting work around every turn: build the Turn, log the request's shape
(never its content) and the outcome with latency."""

from __future__ import annotations

import logging
import time

from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest, Response

from skill.practices.registry import state_types
from skill.turn import Services, Turn

log = logging.getLogger("skill.turns")


class TurnInterceptor(AbstractRequestInterceptor):
    def __init__(self, services: Services) -> None:
        self._services = services

    def process(self, handler_input: HandlerInput) -> None:
        Turn(handler_input, self._services, state_types()).attach()
        handler_input.attributes_manager.request_attributes["steady.started"] = time.perf_counter()


def request_shape(handler_input: HandlerInput) -> dict[str, str]:
    request = handler_input.request_envelope.request
    shape = {
        "request_id": str(getattr(request, "request_id", "")),
        "request_type": str(getattr(request, "object_type", "")),
    }
    if isinstance(request, IntentRequest) and request.intent is not None:
        shape["intent"] = str(request.intent.name)
    return shape


class TurnLogger(AbstractResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        if not log.isEnabledFor(logging.INFO):
            return  # the record would be dropped: build none of it
        started = handler_input.attributes_manager.request_attributes.get("steady.started")
        latency = (time.perf_counter() - started) * 1000 if isinstance(started, float) else -1.0
        ended = bool(response is not None and response.should_end_session)
        log.info(
            "turn",
            extra={
                **request_shape(handler_input),
                "latency_ms": round(latency, 2),
                "outcome": "ended" if ended else "ok",
            },
        )


class TurnEnd(AbstractResponseInterceptor):
    """The last response interceptor: the turn is done (see `Turn.detach`). A turn
    whose handler raised skips it, and its turn is freed by the cycle collector."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        Turn.detach(handler_input)
