"""Knowing who is here, when it matters (a note meant for one partner only).

Shared helpers: `present_partner` (a recognised voice, else who said so earlier this
session), `partner_in_slot` (a first name heard in a slot, matched to a partner).
The `Who` practice asks "Is this Alex or Sam?" and hands back to the practice that
needed to know: that practice implements `SpeakerAware.speaker_known`, or is simply
begun again once the speaker is known."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from skill.intents import Intent
from skill.practices.base import Practice
from skill.session import Flow, Step
from skill.speech.render import Line, Reply, say
from skill.turn import Turn


@runtime_checkable
class SpeakerAware(Protocol):
    def speaker_known(self, turn: Turn, speaker: int, purpose: str) -> Reply:
        """Carry on now that `speaker` (a partner index) is known to be here."""
        ...


def present_partner(turn: Turn) -> int | None:
    """Who is speaking: a voice profile linked to a partner wins (it is this very
    request); else who told us earlier this session. Remembered for the session."""
    profile = turn.profile
    if not profile.is_set_up:
        return None
    voice = turn.voice_id
    if voice is not None:
        by_voice = profile.partner_with_voice(voice)
        if by_voice is not None:
            turn.state.speaker = by_voice
            return by_voice
    return turn.state.speaker


def partner_in_slot(turn: Turn, slot: str) -> int | None:
    """The partner whose first name was heard in `slot`, or None."""
    heard = turn.slot(slot).value
    if not heard or not turn.profile.is_set_up:
        return None
    return turn.profile.partner_named(heard)


def heard_in_slot(turn: Turn, slot: str) -> bool:
    return bool(turn.slot(slot).value)


def both_names(turn: Turn) -> dict[str, str]:
    """The two names as speech parameters `first` and `second`."""
    return {"first": turn.profile.name_of(0), "second": turn.profile.name_of(1)}


class Who(Practice):
    """Asks who is here, then hands back to the practice that asked."""

    flow = Flow.WHO
    speech = "who"
    answers = frozenset({Intent.NAME})

    @classmethod
    def begin(cls, turn: Turn, then: Flow | None, purpose: str, *before: Line) -> Reply:
        then_value = then.value if then is not None else ""
        step = turn.state.start(Flow.WHO, "ask", then=then_value, purpose=purpose)
        return cls().ask_again(turn, step, *before)

    def start(self, turn: Turn) -> Reply:
        # No intent of its own starts it; "start over" lands here: ask, then the menu.
        return self.begin(turn, None, "")

    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        names = both_names(turn)
        return say("who.ask", **names), say("who.ask_reprompt", **names)

    def answer(self, turn: Turn, step: Step) -> Reply:
        speaker = partner_in_slot(turn, "name")
        if speaker is None:
            if not heard_in_slot(turn, "name"):
                return self.unexpected(turn, step)
            step.misses += 1
            return self.ask_again(turn, step, say("who.unknown", **both_names(turn)))
        turn.state.speaker = speaker
        turn.state.current = None
        from skill.practices.registry import begin, practice_for, practices

        then = _flow_named(str(step.values.get("then", "")))
        if then is None or then not in practices():
            return Reply.ask(
                say("who.thanks", name=turn.profile.name_of(speaker)),
                question=say("launch.what_next"),
                reprompt=say("launch.menu"),
            )
        practice = practice_for(then)
        if isinstance(practice, SpeakerAware):
            return practice.speaker_known(turn, speaker, str(step.values.get("purpose", "")))
        return begin(turn, then)


def _flow_named(value: str) -> Flow | None:
    try:
        return Flow(value)
    except ValueError:
        return None
