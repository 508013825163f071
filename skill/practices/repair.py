"""The repair ritual: either partner says the couple's word and the skill runs a
short reconnection (a soft chime, one shared breath, an invitation to reconnect
rather than blame), logs it, and offers one way on: a guided pause or looking at
the issue together."""

from __future__ import annotations

from skill.audio.pacing import DEFAULT_PACE, EXHALE, INHALE, REPAIR_CHIME, cue_url
from skill.domain.couple import Profile
from skill.domain.events import EventKind
from skill.intents import Intent
from skill.practices.base import Practice
from skill.practices.repair_word import REPAIR_WORD_ENTITY_ID, is_repair_word
from skill.session import Flow, Step
from skill.speech.render import Line, Reply, say
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


class Repair(Practice):
    flow = Flow.REPAIR
    starts = frozenset({Intent.SAY_REPAIR_WORD})
    # The next practices are taken here (not left to routing) so that the repair
    # is not kept as an interrupted practice to come back to.
    answers = frozenset({Intent.YES, Intent.NO, *NEXT_PRACTICES})
    speech = "repair"
    # Saying a word needs no names; choosing one (offered below) asks for them.
    needs_couple = False

    def start(self, turn: Turn) -> Reply:
        reading = turn.slot("repair_word")
        saved = turn.profile.repair_word
        if is_repair_word(reading, saved):
            return self._reconnect(turn, by_entity=reading.resolved_id == REPAIR_WORD_ENTITY_ID)
        step = turn.state.start(Flow.REPAIR, "offer_set", had=1 if saved else 0)
        return self.ask_again(turn, step, say("repair.no_match" if saved else "repair.none_set"))

    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        if step.step == "offer_set":
            if step.values.get("had") == 1:
                return say("repair.offer_change"), say("repair.offer_change_reprompt")
            return say("repair.offer_set"), say("repair.offer_set_reprompt")
        if step.step == "choose":
            return say("repair.ask_which"), say("repair.ask_which_reprompt")
        return say("repair.offer_next"), say("repair.offer_next_reprompt")

    def answer(self, turn: Turn, step: Step) -> Reply:
        intent = turn.intent
        from skill.practices.registry import finish

        if intent in NEXT_PRACTICES:
            return self._go_on(turn, step, NEXT_PRACTICES[intent])
        if step.step == "offer_set":
            if intent is Intent.YES:
                return self._go_on(turn, step, Flow.REPAIR_WORD)
            if intent is Intent.NO:
                return finish(turn, say("repair.later"))
        elif intent is Intent.YES and step.step == "offer":
            return self.ask_again(turn, turn.state.goto("choose"))
        elif intent is Intent.NO:
            return finish(turn, say("repair.close"))
        return self.unexpected(turn, step)

    def _go_on(self, turn: Turn, step: Step, flow: Flow) -> Reply:
        from skill.practices.registry import begin, practices

        if flow not in practices():
            return self.unexpected(turn, step)
        turn.state.current = None
        if turn.state.paused is not None and turn.state.paused.flow is flow:
            turn.state.paused = None
        return begin(turn, flow)

    def _reconnect(self, turn: Turn, *, by_entity: bool) -> Reply:
        today = turn.today

        def count_repair(profile: Profile) -> None:
            profile.repair_count += 1
            profile.mark_practice(today)

        turn.change(count_repair)
        speaker = turn.state.speaker
        details: dict[str, str | int] = {"heard": "entity" if by_entity else "word"}
        if speaker is not None:
            details["by"] = speaker
        turn.record(EventKind.REPAIR, **details)
        step = turn.state.start(Flow.REPAIR, "offer")
        reply = self.ask_again(
            turn,
            step,
            say("repair.arrive", chime=_chime(turn)),
            say("repair.breath", breath=_one_breath(turn)),
            say("repair.invite"),
        )
        from skill.practices.screens import show_repair

        show_repair(turn, reply)
        return reply


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
