"""The feelings wheel, as a short practice: from a broad feeling to a finer word in
two or three turns, then the word reflected back and the offer of a check-in.

It also takes a feeling said out of the blue ("I feel anxious"): a gentle
reflection, then the offer to go finer. Inside a check-in the check-in takes
feeling words itself (answers win while a practice is active)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from skill.domain.couple import MAX_NAME, cap_text
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.feelings import Core, wheel
from skill.practices.outcomes import Ask, Finish, HandOver, Outcome, Resume
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.speech.ssml import Ssml, escape
from skill.turn import Turn

# Broad feelings named in the first question; the rest are offered in its reprompt.
CORES_ASKED = 4
FINE_OFFERED = 4
# A word of their own is welcome; a longer unknown phrase is asked again.
MAX_OWN_WORDS = 2


class WheelStep(StrEnum):
    CORE = "core"
    FINE = "fine"
    OFFER_FINER = "offer_finer"
    OFFER_CHECK_IN = "offer_check_in"


@dataclass(frozen=True, kw_only=True)
class WheelState(PracticeState):
    flow = Flow.FEELINGS_WHEEL

    step: WheelStep = WheelStep.CORE
    # The broad feeling chosen (empty until one is), and whether a vague word had
    # its one nudge.
    core: str = ""
    nudged: bool = False


ASKS_FOR_A_FEELING = frozenset({WheelStep.CORE, WheelStep.FINE})


class FeelingsWheel(Practice[WheelState]):
    flow = Flow.FEELINGS_WHEEL
    state_type = WheelState
    starts = frozenset({Intent.FEELINGS_WHEEL, Intent.FEELING})
    answers = frozenset({Intent.FEELING, Intent.YES, Intent.NO})
    needs_couple = False
    speech = "wheel"

    def start(self, turn: Turn) -> Outcome:
        heard = _heard_feeling(turn) if turn.intent is Intent.FEELING else None
        if heard is not None:
            return self._out_of_the_blue(turn, heard)
        return Ask(WheelState(), say("wheel.intro"))

    def elicit(self, state: WheelState) -> Elicits | None:
        return (Intent.FEELING, "feeling") if state.step in ASKS_FOR_A_FEELING else None

    def question(self, turn: Turn, state: WheelState) -> tuple[Line, Line]:
        the_wheel = wheel(turn.content)
        core = the_wheel.core_named(state.core)
        if state.step is WheelStep.FINE and core is not None:
            offered = fine_words(core)
            others = [w for w in core.words if w not in offered][:3]
            return (
                say("wheel.ask_fine", core=core.name, options=or_list(turn, offered)),
                say("wheel.ask_fine_reprompt", core=core.name, others=or_list(turn, others)),
            )
        if state.step is WheelStep.OFFER_FINER:
            return say("wheel.offer_finer"), say("wheel.offer_finer_reprompt")
        if state.step is WheelStep.OFFER_CHECK_IN:
            return say("wheel.offer_check_in"), say("wheel.offer_check_in_reprompt")
        names = [c.name for c in the_wheel.cores]
        return (
            say("wheel.ask_core", options=or_list(turn, names[:CORES_ASKED])),
            say("wheel.ask_core_reprompt", others=or_list(turn, names[CORES_ASKED:])),
        )

    def answer(self, turn: Turn, state: WheelState) -> Outcome:
        intent = turn.intent
        step = state.step
        if intent is Intent.FEELING:
            heard = _heard_feeling(turn)
            if heard is None:
                return self.unexpected(turn, state)
            if step is WheelStep.FINE:
                return self._take_fine(turn, state, heard)
            return self._take_broad(turn, state, heard)
        if step is WheelStep.OFFER_FINER and intent is Intent.YES:
            return Ask(replace(state, step=WheelStep.FINE if state.core else WheelStep.CORE))
        if step is WheelStep.FINE and intent is Intent.NO:
            # None of the finer words fit: the broad one is the word.
            return self._reflect(turn, state, state.core)
        if step is WheelStep.OFFER_CHECK_IN and intent is Intent.YES:
            return HandOver(Flow.CHECK_IN)
        if step in (WheelStep.OFFER_FINER, WheelStep.OFFER_CHECK_IN) and intent is Intent.NO:
            return Finish(say("wheel.goodbye"))
        return self.unexpected(turn, state)

    # -- the words -----------------------------------------------------------------------

    def _take_broad(self, turn: Turn, state: WheelState, word: str) -> Outcome:
        the_wheel = wheel(turn.content)
        core = the_wheel.core_named(word)
        if core is not None:
            fine = replace(state, step=WheelStep.FINE, core=core.name)
            return Ask(fine, say("wheel.core_heard", core=core.name))
        if the_wheel.is_vague(word) and not state.nudged:
            nudged = replace(state, step=WheelStep.CORE, nudged=True)
            return Ask(nudged, say("wheel.vague_nudge", word=_spoken(word)))
        return self._reflect(turn, state, word)

    def _take_fine(self, turn: Turn, state: WheelState, word: str) -> Outcome:
        if wheel(turn.content).is_vague(word):
            return self._reflect(turn, state, state.core)
        return self._reflect(turn, state, word)

    def _out_of_the_blue(self, turn: Turn, word: str) -> Outcome:
        """A feeling said with no practice going on: reflect it, offer to go finer."""
        the_wheel = wheel(turn.content)
        core = the_wheel.core_named(word)
        if core is not None:
            offer = WheelState(step=WheelStep.OFFER_FINER, core=core.name)
            return Ask(offer, say("wheel.reflect_broad", word=_spoken(word)))
        if the_wheel.is_vague(word):
            offer = WheelState(step=WheelStep.OFFER_FINER)
            return Ask(offer, say("wheel.vague_heard", word=_spoken(word)))
        if the_wheel.core_of(word) is None:
            offer = WheelState(step=WheelStep.OFFER_FINER)
            return Ask(offer, say("wheel.reflect_own", word=_spoken(word)))
        return self._reflect(turn, WheelState(), word)

    def _reflect(self, turn: Turn, state: WheelState, word: str) -> Outcome:
        """Say the word back; then go back to what was interrupted, or offer a check-in."""
        the_wheel = wheel(turn.content)
        known = the_wheel.core_of(word) is not None
        reflection = say(
            "wheel.reflect" if known else "wheel.reflect_own_final", word=_spoken(word)
        )
        if turn.state.paused is not None:
            return Resume(reflection, say("common.resuming"))
        return Ask(replace(state, step=WheelStep.OFFER_CHECK_IN), reflection)


def fine_words(core: Core) -> list[str]:
    """Three or four finer words under a broad one: its offer first, then the next."""
    offered = list(core.offer)
    extra = [w for w in core.words if w not in offered]
    return (offered + extra)[:FINE_OFFERED]


def or_list(turn: Turn, words: list[str]) -> Ssml:
    """Words as "a, b, or c" in the locale's words (escaped)."""
    if len(words) <= 1:
        return escape(words[0] if words else "")
    head = Ssml(", ".join(escape(word) for word in words[:-1]))
    return turn.renderer.line(say("wheel.or_list", head=head, last=words[-1]))


def _heard_feeling(turn: Turn) -> str | None:
    """The feeling word heard. A longer phrase the wheel does not know ("none of
    those") is not taken for a feeling: the open slot catches almost anything."""
    heard = turn.slot("feeling").value
    if not heard:
        return None
    word = cap_text(heard.lower(), MAX_NAME)
    known = wheel(turn.content).core_of(word) is not None or wheel(turn.content).is_vague(word)
    if not word or (len(word.split()) > MAX_OWN_WORDS and not known):
        return None
    return word


def _spoken(word: str) -> str:
    """The word to start a sentence with."""
    return word[:1].upper() + word[1:]
