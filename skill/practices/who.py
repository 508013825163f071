"""Knowing who is here, when it matters (a note meant for one partner only).

Shared helpers: `present_partner` (a recognised voice, else who said so earlier this
session), `partner_in_slot` (a first name heard in a slot, matched to a partner).
The `Who` practice asks "Is this Alex or Sam?" and hands back to the practice that
needed to know: that practice implements `SpeakerAware.speaker_known`, or is simply
begun again once the speaker is known."""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

from skill.domain.couple import Profile
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
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
    starts = frozenset({Intent.LINK_VOICE})
    answers = frozenset({Intent.NAME})
    elicits: ClassVar[Elicits] = {"ask": (Intent.NAME, "name")}

    @classmethod
    def begin(cls, turn: Turn, then: Flow | None, purpose: str, *before: Line) -> Reply:
        then_value = then.value if then is not None else ""
        step = turn.state.start(Flow.WHO, "ask", then=then_value, purpose=purpose)
        return cls().ask_again(turn, step, *before)

    def start(self, turn: Turn) -> Reply:
        """ "Learn my voice" (or "start over" while asking): link this voice."""
        voice = turn.voice_id
        if voice is None:
            return Reply.tell(say("who.no_voice_profile"))
        known = turn.profile.partner_with_voice(voice)
        if known is not None:
            turn.state.speaker = known
            return Reply.tell(say("who.voice_known", name=turn.profile.name_of(known)))
        return self.begin(turn, None, LINK_VOICE)

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

        name = turn.profile.name_of(speaker)
        linked = link_voice(turn, speaker)
        purpose = str(step.values.get("purpose", ""))
        then = _flow_named(str(step.values.get("then", "")))
        if then is None or then not in practices():
            if purpose == LINK_VOICE:
                return Reply.tell(say("who.voice_linked", name=name))
            from skill.practices.launch_news import launch_news

            thanks = say("who.voice_linked_short" if linked else "who.thanks", name=name)
            news = launch_news(turn) if purpose == AT_LAUNCH else None
            if news is not None:
                news.lines.insert(0, thanks)
                return news
            return Reply.ask(thanks, question=say("launch.what_next"), reprompt=say("launch.menu"))
        practice = practice_for(then)
        if isinstance(practice, SpeakerAware):
            return practice.speaker_known(turn, speaker, str(step.values.get("purpose", "")))
        return begin(turn, then)


LINK_VOICE = "link_voice"
AT_LAUNCH = "launch_voice"
MAX_VOICES_PER_PARTNER = 3


def unknown_voice(turn: Turn) -> bool:
    """A recognised Alexa voice profile that we have not linked to either partner."""
    voice = turn.voice_id
    return (
        voice is not None
        and turn.profile.is_set_up
        and turn.profile.partner_with_voice(voice) is None
    )


def link_voice(turn: Turn, speaker: int) -> bool:
    """Remember this request's voice profile as `speaker`'s; True when newly linked."""
    voice = turn.voice_id
    if voice is None or turn.profile.partner_with_voice(voice) == speaker:
        return False

    def link(profile: Profile) -> None:
        for index, partner in enumerate(profile.partners):
            others = [v for v in partner.voice_ids if v != voice]
            if index == speaker:
                others = [*others, voice][-MAX_VOICES_PER_PARTNER:]
            partner.voice_ids = others

    turn.change(link)
    return True


def _flow_named(value: str) -> Flow | None:
    try:
        return Flow(value)
    except ValueError:
        return None
