"""The floor: the bare stack our skill is built on, doing the least a persistent
skill does. ask-sdk-core's CustomSkillBuilder, built once; one pynamodb model; a
Launch handler that reads one item and writes it back. No product at all.

Only the benchmark uses it, to show what our cold start costs over the bare stack.
Environment: FLOOR_TABLE (hash key `id`), FLOOR_DYNAMODB_ENDPOINT, AWS_REGION."""

from __future__ import annotations

import os
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model


class Visit(Model):
    class Meta:
        table_name = os.environ.get("FLOOR_TABLE", "floor")
        host = os.environ.get("FLOOR_DYNAMODB_ENDPOINT") or None
        region = os.environ.get("AWS_REGION", "us-east-1")

    id = UnicodeAttribute(hash_key=True)
    visits = NumberAttribute(default=0)


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        envelope: Any = handler_input.request_envelope
        user = envelope.context.system.user.user_id
        try:
            visit = Visit.get(f"floor-{user}", consistent_read=True)
        except DoesNotExist:
            visit = Visit(f"floor-{user}")
        visit.visits = (visit.visits or 0) + 1
        visit.save()
        return handler_input.response_builder.speak("Welcome back.").ask("Well?").response


_builder = CustomSkillBuilder()
_builder.add_request_handler(LaunchRequestHandler())
_skill = _builder.create()


def lambda_handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    envelope = _skill.serializer.deserialize(
        payload=__import__("json").dumps(event), obj_type="ask_sdk_model.RequestEnvelope"
    )
    answer: Any = _skill.serializer.serialize(_skill.invoke(envelope, context))
    return dict(answer)
