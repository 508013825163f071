"""A minimal persistent skill, written the way Amazon's Python samples are: the whole
skill in one file, ask-sdk-core's CustomSkillBuilder with the stock DynamoDB
persistence adapter (a boto3 resource made at import), handlers reading the persistent
attributes and writing the whole blob back, `sb.lambda_handler()`.

It saves only when a turn changed something (the turns of the benchmark's mix that
save for our skill too: the confirmed names, the end of a check-in, a note, a Silent
Sync); every other turn only reads, and help and stop touch no storage at all.

Only the benchmark uses it: it is what our skill is measured against.
Environment: DYNAMODB_PERSISTENCE_TABLE_NAME, DYNAMODB_PERSISTENCE_REGION (as in the
Alexa-hosted template) and BASELINE_DYNAMODB_ENDPOINT (the local server)."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from typing import Any

import boto3
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_dynamodb.adapter import DynamoDbAdapter
from ask_sdk_model import IntentRequest, Response

logger = logging.getLogger(__name__)
logger.setLevel(logging.WARNING)

HISTORY_LENGTH = 20


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        attributes: dict[str, Any] = handler_input.attributes_manager.persistent_attributes
        if not attributes.get("names"):
            speak_output = "Welcome to Steady Together. What are your two first names?"
        else:
            speak_output = "Welcome back. Would you like a silent sync or a check-in?"
        return (
            handler_input.response_builder.speak(speak_output)
            .ask("Would you like a silent sync or a check-in?")
            .response
        )


RECORDING_INTENTS = frozenset({"AMAZON.YesIntent", "NoteTextIntent", "SilentSyncIntent"})


def records_something(handler_input: HandlerInput, intent_name: str) -> bool:
    """Whether this turn changes what is kept: the confirmed names, a note, a Silent
    Sync, or the second need of a check-in (the first one waits in the session)."""
    if intent_name in RECORDING_INTENTS:
        return True
    if intent_name == "NeedIntent":
        session = handler_input.attributes_manager.session_attributes
        session["needs"] = int(session.get("needs", 0)) + 1
        return bool(session["needs"] % 2 == 0)
    return False


class PracticeIntentHandler(AbstractRequestHandler):
    """Any practice intent: read the persistent attributes; when the turn records
    something, note it and save the whole blob."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input) and not (
            is_intent_name("AMAZON.HelpIntent")(handler_input)
            or is_intent_name("AMAZON.StopIntent")(handler_input)
            or is_intent_name("AMAZON.CancelIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        assert isinstance(request, IntentRequest) and request.intent is not None
        intent = request.intent
        slots = {name: slot.value for name, slot in (intent.slots or {}).items() if slot.value}
        attributes_manager = handler_input.attributes_manager
        attributes: dict[str, Any] = attributes_manager.persistent_attributes
        if not records_something(handler_input, str(intent.name)):
            noted = len(attributes.get("history", []))
            speak_output = f"Okay. {noted} things noted so far. What next?"
            return handler_input.response_builder.speak(speak_output).ask("What next?").response
        history: list[dict[str, Any]] = list(attributes.get("history", []))
        history.append({"intent": intent.name, "slots": slots, "at": datetime.now(UTC).isoformat()})
        attributes["history"] = history[-HISTORY_LENGTH:]
        if intent.name == "AMAZON.YesIntent":
            attributes["names"] = True
        attributes_manager.persistent_attributes = attributes
        attributes_manager.save_persistent_attributes()
        speak_output = f"Okay. {intent.name} noted. What next?"
        return handler_input.response_builder.speak(speak_output).ask("What next?").response


class HelpIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        speak_output = "You can say silent sync, or check in. What would you like?"
        return handler_input.response_builder.speak(speak_output).ask(speak_output).response


class CancelOrStopIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.CancelIntent")(handler_input) or is_intent_name(
            "AMAZON.StopIntent"
        )(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return (
            handler_input.response_builder.speak("Goodbye!").set_should_end_session(True).response
        )


class SessionEndedRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        logger.error(exception, exc_info=True)
        speak_output = "Sorry, I had trouble doing what you asked. Please try again."
        return handler_input.response_builder.speak(speak_output).ask(speak_output).response


def skill_builder(persistence_adapter: AbstractPersistenceAdapter) -> CustomSkillBuilder:
    sb = CustomSkillBuilder(persistence_adapter=persistence_adapter)
    sb.add_request_handler(LaunchRequestHandler())
    sb.add_request_handler(PracticeIntentHandler())
    sb.add_request_handler(HelpIntentHandler())
    sb.add_request_handler(CancelOrStopIntentHandler())
    sb.add_request_handler(SessionEndedRequestHandler())
    sb.add_exception_handler(CatchAllExceptionHandler())
    return sb


ddb_region = os.environ.get("DYNAMODB_PERSISTENCE_REGION")
ddb_table_name = os.environ.get("DYNAMODB_PERSISTENCE_TABLE_NAME", "baseline")
ddb_resource = boto3.resource(
    "dynamodb",
    region_name=ddb_region,
    # Required: this copy of the sample only ever talks to a local server.
    endpoint_url=os.environ["BASELINE_DYNAMODB_ENDPOINT"],
)
dynamodb_adapter = DynamoDbAdapter(
    table_name=ddb_table_name, create_table=False, dynamodb_resource=ddb_resource
)

sb = skill_builder(dynamodb_adapter)
lambda_handler = sb.lambda_handler()
