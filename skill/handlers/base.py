"""The base of every handler: find the turn, compute a Reply, respond."""

from __future__ import annotations

from abc import abstractmethod

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest, Response

from skill.handlers.respond import respond
from skill.intents import Intent
from skill.speech.render import Reply
from skill.turn import Turn


class TurnHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return self.accepts(Turn.of(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        return respond(turn, self.reply(turn))

    @abstractmethod
    def accepts(self, turn: Turn) -> bool: ...

    @abstractmethod
    def reply(self, turn: Turn) -> Reply: ...


def is_intent_request(turn: Turn) -> bool:
    return isinstance(turn.request, IntentRequest)


def intent_of(turn: Turn) -> Intent | None:
    return turn.intent if is_intent_request(turn) else None
