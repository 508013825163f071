"""The router's half of a transition: apply what a practice returned (an `Outcome`,
skill.practices.outcomes) to the session, and build the Reply it asks for.

This is the only code that starts, finishes, pauses and resumes practices. A
practice says what happens next; here it happens: `begin` pauses what it
interrupts, `Finish` offers to resume it or goes on to the evening ritual's queue,
`HandBack` returns to the practice that asked who is here."""

from __future__ import annotations

from dataclasses import replace
from typing import assert_never

from skill.practices.launch_news import launch_news
from skill.practices.outcomes import (
    Aside,
    Ask,
    AskAgain,
    Chain,
    End,
    Finish,
    HandBack,
    HandOver,
    Menu,
    Outcome,
    Resume,
)
from skill.practices.registry import in_progress, practice_for
from skill.practices.who import SpeakerAware
from skill.session import Flow, PracticeState
from skill.speech.render import Elicit, Line, Reply, say
from skill.speech.ssml import Ssml
from skill.turn import Turn


def apply(turn: Turn, outcome: Outcome, by: Flow | None = None) -> Reply:
    """Carry out `outcome`, returned by the practice of flow `by` (None: no practice)."""
    reply = _carry_out(turn, outcome, by)
    if outcome.card is not None:
        reply.card = outcome.card
    if outcome.directives:
        # Only a reply with directives (a screen, dynamic entities) needs the screens'
        # rules: a launch without one never loads them.
        from skill.practices.screens import attach

        for directive in outcome.directives:
            attach(turn, reply, directive)
    return reply


def _carry_out(turn: Turn, outcome: Outcome, by: Flow | None) -> Reply:
    session = turn.state
    lines = outcome.lines
    if isinstance(outcome, Ask):
        # A new question: the count of answers not understood starts again.
        session.current = replace(outcome.state, misses=0)
        return ask(turn, session.current, *lines)
    if isinstance(outcome, AskAgain):
        state = outcome.state
        if outcome.missed:
            state = replace(state, misses=state.misses + 1)
        session.current = state
        return ask(turn, state, *lines)
    if isinstance(outcome, Finish):
        return finish(turn, *lines)
    if isinstance(outcome, HandOver):
        if not outcome.come_back:
            session.current = None
        if outcome.anew and session.paused is not None and session.paused.flow is outcome.to:
            # Begun again from the start: the older one is not offered back.
            session.paused = None
        return begin(turn, outcome.to, *lines)
    if isinstance(outcome, HandBack):
        session.current = None
        practice = practice_for(outcome.to)
        if isinstance(practice, SpeakerAware):
            carried_on = practice.speaker_known(turn, outcome.present, outcome.purpose)
            return apply(turn, carried_on.preceded_by(*lines), outcome.to)
        return begin(turn, outcome.to, *lines)
    if isinstance(outcome, Chain):
        session.current, session.paused = None, None
        first, *rest = outcome.flows
        session.queue = rest
        return begin(turn, first, *lines)
    if isinstance(outcome, Aside):
        return _aside(turn, outcome, by)
    if isinstance(outcome, Resume):
        paused = session.paused
        if paused is None:
            return finish(turn, *lines)
        session.current, session.paused = paused, None
        return ask(turn, paused, *lines)
    if isinstance(outcome, Menu):
        session.current = None
        news = launch_news(turn) if outcome.news else None
        if news is not None:
            return apply(turn, news.preceded_by(*lines))
        return menu(*lines)
    if isinstance(outcome, End):
        session.current, session.paused, session.queue = None, None, []
        return Reply.tell(*lines)
    assert_never(outcome)


def _aside(turn: Turn, outcome: Aside, by: Flow | None) -> Reply:
    """Answered in passing: the question pending when the request came is asked
    again (this practice did not replace it), else this closes like a finish."""
    session = turn.state
    pending = session.current
    if pending is None:
        return finish(turn, *outcome.lines)
    if session.paused is pending:
        # `begin` paused it for this practice, which is over already.
        session.paused = None
    back = [say("common.resuming")] if outcome.resuming and pending.flow is not by else []
    return ask(turn, pending, *outcome.lines, *back)


def ask(turn: Turn, state: PracticeState, *lines: Line) -> Reply:
    """The lines, then the question of the practice standing at `state`."""
    running = in_progress(state)
    question, reprompt = running.question(turn)
    wanted = running.elicit()
    elicit = Elicit(wanted[0].value, wanted[1]) if wanted else None
    return Reply.ask(*lines, question=question, reprompt=reprompt, elicit=elicit)


def menu(*lines: Line) -> Reply:
    """ "What would you like to do?" """
    return Reply.ask(*lines, question=say("launch.what_next"), reprompt=say("launch.menu"))


def begin(turn: Turn, flow: Flow, *before: Line) -> Reply:
    """Start a practice, first learning the couple's names if it needs them. A
    practice going on is paused, to be offered again when this one finishes."""
    practice = practice_for(flow)
    if practice.needs_couple and not turn.profile.is_set_up:
        from skill.practices.setup import Setup

        return apply(
            turn, Setup.asking_names(flow, *before, carried=turn.heard_slots()), Flow.SETUP
        )
    interrupted = turn.state.current
    # The safety check is never offered back: moving on from it answers it.
    if interrupted is not None and interrupted.flow not in (flow, Flow.SAFETY_CHECK):
        turn.state.paused = interrupted
    return apply(turn, practice.start(turn).preceded_by(*before), flow)


def finish(turn: Turn, *closing: Line) -> Reply:
    """End the current practice: offer to resume one it interrupted, else go on to
    the next queued one (the evening ritual), else close kindly."""
    turn.state.current = None
    paused = turn.state.paused
    if paused is not None:
        return Reply.ask(
            *closing,
            question=say("common.offer_resume", practice=say_practice(turn, paused.flow)),
            reprompt=say("common.offer_resume_reprompt"),
        )
    next_flow = turn.state.next_queued()
    if next_flow is not None:
        return begin(turn, next_flow, *closing)
    return Reply.tell(*closing)


def say_practice(turn: Turn, flow: Flow) -> Ssml:
    return turn.renderer.line(say(f"practice.{flow.value}"))
