"""The repair ritual: either partner says the couple's word and the skill runs a
short reconnection (a soft chime, one shared breath, an invitation to reconnect
rather than blame), logs it, and offers one way on: a guided pause or looking at
the issue together."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from skill.audio.pacing import DEFAULT_PACE, EXHALE, INHALE, REPAIR_CHIME, cue_url
from skill.domain.couple import Profile
from skill.domain.events import EventKind
from skill.intents import Intent
from skill.practices.base import Practice
from skill.practices.outcomes import Ask, Finish, HandOver, Outcome
from skill.practices.repair_word_heard import (
    REPAIR_WORD_ENTITY_ID,
    is_repair_word,
    says_repair_word,
)
from skill.practices.screens import repair_screen
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.speech.ssml import Ssml, audio, brk
from skill.turn import Turn

SOFT_CHIME = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"
# Roughly how long a spoken breathing cue takes, taken out of the pause after it.
SPOKEN_CUE_SECONDS = 0.7
# Where the offer can lead, by the intent that names it.
NEXT_PRACTICES: dict[Intent, Flow] = {
    Intent.PAUSE_ATTEND_REFLECT: Flow.PAUSE_ATTEND_REFLECT,
    Intent.US_VS_ISSUE: Flow.US_VS_ISSUE,
}


class RepairStep(StrEnum):
    # No word matched: offer to set (or change) the couple's word.
    OFFER_SET = "offer_set"
    # After the ritual: one way on, a guided pause or the issue together?
    OFFER = "offer"
    CHOOSE = "choose"


@dataclass(frozen=True, kw_only=True)
class RepairState(PracticeState):
    flow = Flow.REPAIR

    step: RepairStep
    # The couple already had a word (the one heard did not match it).
    had_word: bool = False


class Repair(Practice[RepairState]):
    flow = Flow.REPAIR
    state_type = RepairState
    starts = frozenset({Intent.SAY_REPAIR_WORD})
    # The next practices are taken here (not left to routing) so that the repair
    # is not kept as an interrupted practice to come back to.
    answers = frozenset({Intent.YES, Intent.NO, *NEXT_PRACTICES})
    speech = "repair"
    # Saying a word needs no names; choosing one (offered below) asks for them.
    needs_couple = False

    def start(self, turn: Turn) -> Outcome:
        reading = turn.slot("repair_word")
        saved = turn.profile.repair_word
        if is_repair_word(reading, saved):
            return self._reconnect(turn, by_entity=reading.resolved_id == REPAIR_WORD_ENTITY_ID)
        if saved and (says_repair_word(turn, saved) or not reading.raw):
            # The word said where something else was asked ("pineapple" for a
            # feeling), or "we need a repair": the ritual, with the word they chose.
            return self._reconnect(turn, by_entity=False)
        state = RepairState(step=RepairStep.OFFER_SET, had_word=bool(saved))
        return Ask(state, say("repair.no_match" if saved else "repair.none_set"))

    def question(self, turn: Turn, state: RepairState) -> tuple[Line, Line]:
        if state.step is RepairStep.OFFER_SET:
            if state.had_word:
                return say("repair.offer_change"), say("repair.offer_change_reprompt")
            return say("repair.offer_set"), say("repair.offer_set_reprompt")
        if state.step is RepairStep.CHOOSE:
            return say("repair.ask_which"), say("repair.ask_which_reprompt")
        return say("repair.offer_next"), say("repair.offer_next_reprompt")

    def answer(self, turn: Turn, state: RepairState) -> Outcome:
        intent = turn.intent
        if intent is not None and intent in NEXT_PRACTICES:
            # What the repair interrupted (a guided pause) begins again from the start.
            return HandOver(NEXT_PRACTICES[intent], anew=True)
        if state.step is RepairStep.OFFER_SET:
            if intent is Intent.YES:
                return HandOver(Flow.REPAIR_WORD, anew=True)
            if intent is Intent.NO:
                return Finish(say("repair.later"))
        elif intent is Intent.YES and state.step is RepairStep.OFFER:
            return Ask(replace(state, step=RepairStep.CHOOSE))
        elif intent is Intent.NO:
            return Finish(say("repair.close"))
        return self.unexpected(turn, state)

    def _reconnect(self, turn: Turn, *, by_entity: bool) -> Outcome:
        today = turn.today

        def count_repair(profile: Profile) -> None:
            profile.repair_count += 1
            profile.mark_practice(today)

        turn.change(count_repair)
        speaker = turn.state.speaker
        details: dict[str, str | int] = {"heard": "entity" if by_entity else "word"}
        if speaker is not None:
            details["by"] = int(speaker)
        turn.record(EventKind.REPAIR, **details)
        return Ask(
            RepairState(step=RepairStep.OFFER),
            say("repair.arrive", chime=_chime(turn)),
            say("repair.breath", breath=_one_breath(turn)),
            say("repair.invite"),
            directives=[repair_screen(turn)],
        )


def _chime(turn: Turn) -> Ssml:
    hosted = cue_url(REPAIR_CHIME, turn.services.settings.audio_base_url)
    return audio(hosted or SOFT_CHIME)


def _one_breath(turn: Turn) -> Ssml:
    """One shared breath: spoken cues with hosted breath tones when there are
    some, else with pauses of the default pace's length."""
    base_url = turn.services.settings.audio_base_url
    breathe_in = turn.renderer.line(say("repair.cue_in"))
    breathe_out = turn.renderer.line(say("repair.cue_out"))
    inhale, exhale = cue_url(INHALE, base_url), cue_url(EXHALE, base_url)
    if inhale and exhale:
        return Ssml(f"{breathe_in} {audio(inhale)} {breathe_out} {audio(exhale)}")
    return Ssml(
        f"{breathe_in} {brk(DEFAULT_PACE.inhale_s - SPOKEN_CUE_SECONDS)} "
        f"{breathe_out} {brk(DEFAULT_PACE.exhale_s - SPOKEN_CUE_SECONDS)}"
    )
