"""Turn a Reply into an Alexa response: save first (so nothing is claimed saved
that was not), then render speech, reprompt, card and directives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ask_sdk_model import (
    Intent,
    IntentConfirmationStatus,
    IntentRequest,
    Response,
    Slot,
    SlotConfirmationStatus,
)
from ask_sdk_model.ui import SimpleCard

from skill.intents import Intent as IntentName
from skill.intents import slots_of
from skill.practices.repair_word_heard import repair_word_directives
from skill.screens import SYNC_BREATHING_LINE, is_screen
from skill.speech.render import Elicit, Reply, say
from skill.speech.ssml import clean_text, strip_tags
from skill.turn import Turn

if TYPE_CHECKING:
    from ask_sdk_model.dialog import ElicitSlotDirective


def respond(turn: Turn, reply: Reply) -> Response:
    # Breathing on the wall clock, then a screen's timing: both count every line
    # said before them, whoever added them. Their modules load with the first reply
    # that has breathing or a screen.
    if any(line.key == SYNC_BREATHING_LINE for line in reply.lines):
        from skill.practices.silent_sync import lock_breathing

        lock_breathing(turn, reply)
    if any(is_screen(directive) for directive in reply.directives):
        from skill.practices.screens import align_screens

        align_screens(turn, reply)
    turn.save()
    if turn.is_new_session and not reply.end_session:
        # The couple's repair word, so recognition hears it all session.
        reply.directives.extend(repair_word_directives(turn))
    renderer = turn.renderer
    builder = turn.handler_input.response_builder
    speech = renderer.lines(reply.lines)
    if reply.question is not None:
        question = renderer.line(reply.question)
        reprompt = renderer.line(reply.reprompt or reply.question)
        builder.speak(f"{speech} {question}".strip()).ask(reprompt)
        turn.state.last_question = question
    else:
        builder.speak(speech)
        builder.set_should_end_session(reply.end_session)
        turn.state.last_question = ""
    for directive in reply.directives:
        builder.add_directive(directive)
    if reply.question is not None and reply.elicit is not None and _may_elicit(turn):
        builder.add_directive(elicit_directive(reply.elicit))
    if reply.card is not None:
        title = strip_tags(renderer.line(say(reply.card.title_key)))
        builder.set_card(SimpleCard(title=title, content=clean_text(reply.card.body)))
    if turn.envelope.session is not None:
        turn.handler_input.attributes_manager.session_attributes = turn.session_attributes()
    response: Response = builder.response
    return response


def _may_elicit(turn: Turn) -> bool:
    """Alexa takes dialog directives in answer to an intent request (intent chaining);
    a launch or a permission answer asks without one."""
    return isinstance(turn.request, IntentRequest)


def elicit_directive(elicit: Elicit) -> ElicitSlotDirective:
    """Ask for one slot of `elicit.intent`, every slot of it empty."""
    # ask_sdk_model.dialog (fifteen modules) loads with the first question that
    # elicits a slot, never for a launch's menu.
    from ask_sdk_model.dialog import ElicitSlotDirective

    empty = {
        slot.name: Slot(name=slot.name, confirmation_status=SlotConfirmationStatus.NONE)
        for slot in slots_of(IntentName(elicit.intent))
    }
    intent = Intent(
        name=elicit.intent, confirmation_status=IntentConfirmationStatus.NONE, slots=empty
    )
    return ElicitSlotDirective(slot_to_elicit=elicit.slot, updated_intent=intent)
