"""The floor: the bare stack our skill is built on, doing the least a persistent
skill does. ask-sdk-core's CustomSkillBuilder, built once; one pynamodb model; every
turn of the benchmark's mix reads the couple's one item, and a turn that records
something (the same turns that save in our skill and the baseline) writes it back:
at most one read and one write per turn. Help and stop touch no storage. No product.

Only the benchmark uses it, to show what our cold start and warm turns cost over the
bare stack. Environment: FLOOR_TABLE (hash key `id`), FLOOR_DYNAMODB_ENDPOINT,
AWS_REGION."""

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


RECORDING_INTENTS = frozenset({"AMAZON.YesIntent", "NoteTextIntent", "SilentSyncIntent"})
NO_STORAGE_INTENTS = frozenset({"AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent"})


def _visit(handler_input: HandlerInput, record: bool) -> Visit:
    envelope: Any = handler_input.request_envelope
    user = envelope.context.system.user.user_id
    try:
        visit = Visit.get(f"floor-{user}", consistent_read=True)
    except DoesNotExist:
        visit = Visit(f"floor-{user}")
    if record:
        visit.visits = (visit.visits or 0) + 1
        visit.save()
    return visit


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        _visit(handler_input, record=False)
        return handler_input.response_builder.speak("Welcome back.").ask("Well?").response


class IntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        name = str(handler_input.request_envelope.request.intent.name)  # type: ignore[attr-defined]
        if name in NO_STORAGE_INTENTS:
            return (
                handler_input.response_builder.speak("Bye.").set_should_end_session(True).response
            )
        record = name in RECORDING_INTENTS
        if name == "NeedIntent":  # the second need of a check-in records it
            session = handler_input.attributes_manager.session_attributes
            session["needs"] = int(session.get("needs", 0)) + 1
            record = session["needs"] % 2 == 0
        _visit(handler_input, record)
        return handler_input.response_builder.speak("Okay.").ask("Well?").response


_builder = CustomSkillBuilder()
_builder.add_request_handler(LaunchRequestHandler())
_builder.add_request_handler(IntentHandler())
_skill = _builder.create()


def lambda_handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    envelope = _skill.serializer.deserialize(
        payload=__import__("json").dumps(event), obj_type="ask_sdk_model.RequestEnvelope"
    )
    answer: Any = _skill.serializer.serialize(_skill.invoke(envelope, context))
    return dict(answer)
