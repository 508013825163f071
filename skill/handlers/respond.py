"""Turn a Reply into an Alexa response: save first (so nothing is claimed saved
that was not), then render speech, reprompt, card and directives."""

from __future__ import annotations

from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill.practices.repair_word import repair_word_directives
from skill.practices.screens import align_screens
from skill.speech.render import Reply, say
from skill.speech.ssml import clean_text, strip_tags
from skill.turn import Turn


def respond(turn: Turn, reply: Reply) -> Response:
    # A screen's timing counts every line said before it, whoever added them.
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
    if reply.card is not None:
        title = strip_tags(renderer.line(say(reply.card.title_key)))
        builder.set_card(SimpleCard(title=title, content=clean_text(reply.card.body)))
    if turn.envelope.session is not None:
        turn.handler_input.attributes_manager.session_attributes = turn.session_attributes()
    response: Response = builder.response
    return response
