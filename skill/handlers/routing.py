"""Which handler takes a request: one decision, so the handlers' predicates never
overlap (a routing test checks every intent in every state)."""

from __future__ import annotations

import weakref
from enum import StrEnum

from ask_sdk_model import IntentRequest, LaunchRequest, SessionEndedRequest

from skill.intents import Intent
from skill.practices.registry import claims, starting_intents
from skill.practices.repair_word_heard import says_repair_word
from skill.session import Flow
from skill.store.base import StoreError
from skill.turn import Turn


class Route(StrEnum):
    SAFETY = "safety"
    SAFETY_CHECK = "safety_check"
    REPAIR = "repair"
    LAUNCH = "launch"
    ANSWER = "answer"
    START = "start"
    HELP = "help"
    STOP = "stop"
    REPEAT = "repeat"
    CONTINUE = "continue"
    START_OVER = "start_over"
    FALLBACK = "fallback"
    OUT_OF_CONTEXT = "out_of_context"
    SESSION_ENDED = "session_ended"
    SYSTEM_EXCEPTION = "system_exception"
    SKILL_EVENT = "skill_event"
    CONNECTION_RESPONSE = "connection_response"
    CAN_FULFILL = "can_fulfill"
    UNSUPPORTED = "unsupported"


_GLOBAL: dict[Intent, Route] = {
    Intent.HELP: Route.HELP,
    Intent.STOP: Route.STOP,
    Intent.CANCEL: Route.STOP,
    Intent.NAVIGATE_HOME: Route.STOP,
    Intent.REPEAT: Route.REPEAT,
    Intent.CONTINUE: Route.CONTINUE,
    Intent.START_OVER: Route.START_OVER,
    Intent.FALLBACK: Route.FALLBACK,
}


# Every routed handler asks during dispatch, before any handler runs: decided once per
# turn (the repair word, the safety screen and the practices' claims are not cheap).
_decided: weakref.WeakKeyDictionary[Turn, Route] = weakref.WeakKeyDictionary()


def route_of(turn: Turn) -> Route:
    """The one route of this turn, decided on the first ask."""
    found = _decided.get(turn)
    if found is None:
        found = _decided[turn] = _route(turn)
    return found


def _route(turn: Turn) -> Route:
    request = turn.request
    if isinstance(request, LaunchRequest):
        return Route.LAUNCH
    if isinstance(request, SessionEndedRequest):
        return Route.SESSION_ENDED
    if isinstance(request, IntentRequest):
        return _intent_route(turn)
    kind = str(getattr(request, "object_type", "") or "")
    if kind == "CanFulfillIntentRequest":
        # Alexa asking whether a name-free request is ours: answered, never acted on.
        return Route.CAN_FULFILL
    if kind == "System.ExceptionEncountered":
        return Route.SYSTEM_EXCEPTION
    if kind.startswith("AlexaSkillEvent."):
        return Route.SKILL_EVENT
    if kind == "Connections.Response":
        # The answer to a permission request (the reminders "AskFor").
        return Route.CONNECTION_RESPONSE
    return Route.UNSUPPORTED


# A repair word is a word or a short line ("here comes the sun").
_REPAIR_WORDS_AT_MOST = 4


def _checking(turn: Turn) -> bool:
    current = turn.state.current
    return current is not None and current.flow is Flow.SAFETY_CHECK


def _says_the_repair_word(turn: Turn, intent: Intent) -> bool:
    if intent is Intent.SAY_REPAIR_WORD or not turn.heard_texts():
        return False
    current = turn.state.current
    if current is not None and current.flow in (Flow.REPAIR_WORD, Flow.REPAIR):
        return False  # choosing a word, or in the ritual already
    if current is not None and current.flow is Flow.SETUP:
        return False  # a couple still giving their names has no word yet
    try:
        saved = turn.profile.repair_word
    except StoreError:
        return False
    return says_repair_word(turn, saved)


def _saved_word(turn: Turn) -> str:
    try:
        return turn.profile.repair_word or ""
    except StoreError:
        return ""


def _not_theirs(turn: Turn) -> bool:
    """Words in the repair-word slot, not resolved as theirs and not their word."""
    reading = turn.slot("repair_word")
    if not reading.raw or reading.resolved_id is not None:
        return False
    return not says_repair_word(turn, _saved_word(turn))


def _not_a_repair_word(turn: Turn) -> bool:
    """More words in the repair-word slot than any repair word of theirs, or words of
    asking ("the silent sync thing please"): a request that missed, not a word."""
    from skill.domain.spoken_answer import asks_for_something

    raw = turn.slot("repair_word").raw or ""
    longest = max(_REPAIR_WORDS_AT_MOST, len(_saved_word(turn).split()) + 1)
    return len(raw.split()) > longest or asks_for_something(raw)


def _intent_route(turn: Turn) -> Route:
    intent = turn.intent
    if intent is Intent.SAFETY or turn.disclosure is not None:
        # Safety wins from any state, before any practice reads what was said:
        # a disclosure is never an answer, a note, a need or a feeling.
        return Route.SAFETY
    if turn.unsure and not _checking(turn):
        # Words that may speak of harm: asked about gently, and nothing of them kept.
        return Route.SAFETY_CHECK
    if intent is None:
        return Route.OUT_OF_CONTEXT
    if _says_the_repair_word(turn, intent):
        # Their word, said whatever was asked: the repair comes first.
        return Route.REPAIR
    if claims(turn, intent):
        return Route.ANSWER
    if (
        intent is Intent.SAY_REPAIR_WORD
        and (turn.state.current is not None or _not_a_repair_word(turn))
        and _not_theirs(turn)
    ):
        # Words the bare "{repair_word}" sample caught that are not theirs: a whole
        # sentence or a request ("the silent sync thing please"), or inside a practice
        # (names being asked at first use, say) a short phrase that is an answer which
        # missed; not a repair, nor a wish to choose one.
        return Route.OUT_OF_CONTEXT
    if intent is Intent.PACE and turn.slot("pace").resolved_id is None:
        # "{pace} please" heard with no pace of ours in it: not a request to breathe.
        return Route.OUT_OF_CONTEXT
    if intent in starting_intents():
        return Route.START
    if intent in _GLOBAL:
        return _GLOBAL[intent]
    if intent in (Intent.YES, Intent.NO) and turn.state.current is None and turn.state.paused:
        return Route.CONTINUE
    return Route.OUT_OF_CONTEXT
