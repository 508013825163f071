"""Knowing who is here, when it matters (a note meant for one partner only).

Shared helpers: `present_partner` (a recognised voice, else who said so earlier this
session), `partner_in_slot` (a first name heard in a slot, matched to a partner).
The `Who` practice asks "Is this Alex or Sam?" and hands back (`HandBack`) to the
practice that needed to know: that practice implements `SpeakerAware.speaker_known`,
or is simply begun again once the speaker is known."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from skill.domain.couple import PartnerIndex, Profile
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.outcomes import Ask, AskAgain, End, HandBack, Menu, Outcome, Purpose
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.turn import Turn

MAX_VOICES_PER_PARTNER = 3
_WORDS = re.compile(r"[^\W\d_]+")


@runtime_checkable
class SpeakerAware(Protocol):
    def speaker_known(
        self, turn: Turn, present: tuple[PartnerIndex, ...], purpose: Purpose
    ) -> Outcome:
        """Carry on now that `present` (one partner, or both) are known to be here."""
        ...


def present_partner(turn: Turn) -> PartnerIndex | None:
    """Who is speaking: a voice profile linked to a partner wins (it is this very
    request); else who told us earlier this session. Remembered for the session."""
    if not turn.profile.is_set_up:
        return None
    by_voice = voice_partner(turn)
    return by_voice if by_voice is not None else turn.state.speaker


def voice_partner(turn: Turn) -> PartnerIndex | None:
    """The partner whose linked voice profile made this very request, or None. What
    someone said earlier in the session ("it's Alex") does not count here: on a
    shared device the other partner may be the one speaking now."""
    profile = turn.profile
    voice = turn.voice_id
    if voice is None or not profile.is_set_up:
        return None
    found = profile.partner_with_voice(voice)
    if found is not None:
        turn.state.speaker = found
    return found


def partner_in_slot(turn: Turn, slot: str) -> PartnerIndex | None:
    """The partner whose first name was heard in `slot`, or None."""
    heard = turn.slot(slot).value
    if not heard or not turn.profile.is_set_up:
        return None
    return turn.profile.partner_named(heard)


def both_here(turn: Turn) -> bool:
    """ "Both of us", "we're both here", "Alex and Sam": the answer to "who's here?"
    that names the two of them."""
    if turn.intent is Intent.BOTH:
        return True
    profile = turn.profile
    if not profile.is_set_up:
        return False
    names = {partner.name.casefold() for partner in profile.partners}
    if turn.intent is Intent.COUPLE_NAMES:
        heard = {(turn.slot(slot).value or "").casefold() for slot in ("first_name", "second_name")}
        return heard == names
    if turn.intent is Intent.NAME:
        words = set(_WORDS.findall((turn.slot("name").value or "").casefold()))
        return names <= words
    return False


def heard_in_slot(turn: Turn, slot: str) -> bool:
    return bool(turn.slot(slot).value)


def both_names(turn: Turn) -> dict[str, str]:
    """The two names as speech parameters `first` and `second`."""
    return {"first": turn.profile.name_of(0), "second": turn.profile.name_of(1)}


class WhoStep(StrEnum):
    ASK = "ask"


@dataclass(frozen=True, kw_only=True)
class WhoState(PracticeState):
    """Asking who is speaking: the step, and the practice to hand back to once known."""

    flow = Flow.WHO

    step: WhoStep = WhoStep.ASK
    # The practice to hand back to once we know, and why it asked.
    then: Flow | None = None
    purpose: Purpose = Purpose.LINK_VOICE


class Who(Practice[WhoState]):
    """Asks who is here, then hands back to the practice that asked."""

    flow = Flow.WHO
    state_type = WhoState
    speech = "who"
    starts = frozenset({Intent.LINK_VOICE})
    answers = frozenset({Intent.NAME, Intent.BOTH, Intent.COUPLE_NAMES})

    @staticmethod
    def asking(then: Flow | None, purpose: Purpose, *before: Line) -> Ask:
        """Ask who is here; the answer goes back to `then` (if any) with `purpose`."""
        return Ask(WhoState(then=then, purpose=purpose), *before)

    def start(self, turn: Turn) -> Outcome:
        """ "Learn my voice" (or "start over" while asking): link this voice."""
        voice = turn.voice_id
        if voice is None:
            return End(say("who.no_voice_profile"))
        known = turn.profile.partner_with_voice(voice)
        if known is not None:
            turn.state.speaker = known
            return End(say("who.voice_known", name=turn.profile.name_of(known)))
        return self.asking(None, Purpose.LINK_VOICE)

    def elicit(self, state: WhoState) -> Elicits | None:
        return (Intent.NAME, "name")

    def question(self, turn: Turn, state: WhoState) -> tuple[Line, Line]:
        names = both_names(turn)
        return say("who.ask", **names), say("who.ask_reprompt", **names)

    def answer(self, turn: Turn, state: WhoState) -> Outcome:
        if both_here(turn):
            return self._both(turn, state)
        if turn.intent is Intent.COUPLE_NAMES:
            return self.unexpected(turn, state)
        speaker = partner_in_slot(turn, "name")
        recipient = partner_in_slot(turn, "recipient")
        if speaker is None and recipient is not None and state.then is Flow.GRATITUDE:
            # "For Alex", answering who is leaving the note: it is from the other one.
            speaker = recipient.other
        if speaker is None:
            if not heard_in_slot(turn, "name"):
                return self.unexpected(turn, state)
            return AskAgain(state, say("who.unknown", **both_names(turn)), missed=True)
        turn.state.speaker = speaker
        name = turn.profile.name_of(speaker)
        linked = link_voice(turn, speaker)
        if state.then is not None:
            return HandBack(state.then, (speaker,), state.purpose)
        if state.purpose is Purpose.LINK_VOICE:
            return End(say("who.voice_linked", name=name))
        thanks = say("who.voice_linked_short" if linked else "who.thanks", name=name)
        return Menu(thanks, news=state.purpose is Purpose.UNKNOWN_VOICE)

    def _both(self, turn: Turn, state: WhoState) -> Outcome:
        """Both here: what is meant for either may be shared; a voice is learnt one
        at a time."""
        turn.state.together = True
        if state.then is not None:
            return HandBack(state.then, tuple(PartnerIndex), state.purpose)
        if state.purpose is Purpose.LINK_VOICE:
            return End(say("who.one_voice_at_a_time"))
        return Menu(say("who.both_welcome"), news=state.purpose is Purpose.UNKNOWN_VOICE)


def unknown_voice(turn: Turn) -> bool:
    """A recognised Alexa voice profile that we have not linked to either partner."""
    voice = turn.voice_id
    return (
        voice is not None
        and turn.profile.is_set_up
        and turn.profile.partner_with_voice(voice) is None
    )


def link_voice(turn: Turn, speaker: PartnerIndex) -> bool:
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
