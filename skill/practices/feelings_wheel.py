"""The feelings wheel, as a short practice: from a broad feeling to a finer word in
two or three turns, then the word reflected back and the offer of a check-in.

It also takes a feeling said out of the blue ("I feel anxious"): a gentle
reflection, then the offer to go finer. Inside a check-in the check-in takes
feeling words itself (answers win while a practice is active)."""

from __future__ import annotations

from typing import ClassVar

from skill.domain.couple import MAX_NAME, cap_text
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.feelings import Core, wheel
from skill.session import Flow, Step
from skill.speech.render import Line, Reply, say
from skill.speech.ssml import Ssml, escape
from skill.turn import Turn

# Broad feelings named in the first question; the rest are offered in its reprompt.
CORES_ASKED = 4
FINE_OFFERED = 4
# A word of their own is welcome; a longer unknown phrase is asked again.
MAX_OWN_WORDS = 2


class FeelingsWheel(Practice):
    flow = Flow.FEELINGS_WHEEL
    starts = frozenset({Intent.FEELINGS_WHEEL, Intent.FEELING})
    answers = frozenset({Intent.FEELING, Intent.YES, Intent.NO})
    elicits: ClassVar[Elicits] = {
        "core": (Intent.FEELING, "feeling"),
        "fine": (Intent.FEELING, "feeling"),
    }
    needs_couple = False
    speech = "wheel"

    def start(self, turn: Turn) -> Reply:
        heard = _heard_feeling(turn) if turn.intent is Intent.FEELING else None
        if heard is not None:
            turn.state.start(Flow.FEELINGS_WHEEL, "core")
            return self._out_of_the_blue(turn, heard)
        step = turn.state.start(Flow.FEELINGS_WHEEL, "core")
        return self.ask_again(turn, step, say("wheel.intro"))

    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        the_wheel = wheel(turn.content)
        core = the_wheel.core_named(str(step.values.get("core", "")))
        if step.step == "fine" and core is not None:
            offered = fine_words(core)
            others = [w for w in core.words if w not in offered][:3]
            return (
                say("wheel.ask_fine", core=core.name, options=or_list(turn, offered)),
                say("wheel.ask_fine_reprompt", core=core.name, others=or_list(turn, others)),
            )
        if step.step == "offer_finer":
            return say("wheel.offer_finer"), say("wheel.offer_finer_reprompt")
        if step.step == "offer_check_in":
            return say("wheel.offer_check_in"), say("wheel.offer_check_in_reprompt")
        names = [c.name for c in the_wheel.cores]
        return (
            say("wheel.ask_core", options=or_list(turn, names[:CORES_ASKED])),
            say("wheel.ask_core_reprompt", others=or_list(turn, names[CORES_ASKED:])),
        )

    def answer(self, turn: Turn, step: Step) -> Reply:
        intent = turn.intent
        if intent is Intent.FEELING:
            heard = _heard_feeling(turn)
            if heard is None:
                return self.unexpected(turn, step)
            if step.step == "fine":
                return self._take_fine(turn, step, heard)
            return self._take_broad(turn, step, heard)
        if step.step == "offer_finer" and intent is Intent.YES:
            core = str(step.values.get("core", ""))
            return self.ask_again(turn, turn.state.goto("fine" if core else "core"))
        if step.step == "fine" and intent is Intent.NO:
            # None of the finer words fit: the broad one is the word.
            return self._reflect(turn, str(step.values["core"]))
        if step.step == "offer_check_in" and intent is Intent.YES:
            from skill.practices.registry import begin

            turn.state.current = None
            return begin(turn, Flow.CHECK_IN)
        if step.step in ("offer_finer", "offer_check_in") and intent is Intent.NO:
            from skill.practices.registry import finish

            return finish(turn, say("wheel.goodbye"))
        return self.unexpected(turn, step)

    # -- the words -----------------------------------------------------------------------

    def _take_broad(self, turn: Turn, step: Step, word: str) -> Reply:
        the_wheel = wheel(turn.content)
        core = the_wheel.core_named(word)
        if core is not None:
            step = turn.state.goto("fine", core=core.name)
            return self.ask_again(turn, step, say("wheel.core_heard", core=core.name))
        if the_wheel.is_vague(word) and step.values.get("nudged") != 1:
            step = turn.state.goto("core", nudged=1)
            return self.ask_again(turn, step, say("wheel.vague_nudge", word=_spoken(word)))
        return self._reflect(turn, word)

    def _take_fine(self, turn: Turn, step: Step, word: str) -> Reply:
        if wheel(turn.content).is_vague(word):
            return self._reflect(turn, str(step.values["core"]))
        return self._reflect(turn, word)

    def _out_of_the_blue(self, turn: Turn, word: str) -> Reply:
        """A feeling said with no practice going on: reflect it, offer to go finer."""
        the_wheel = wheel(turn.content)
        core = the_wheel.core_named(word)
        if core is not None:
            step = turn.state.goto("offer_finer", core=core.name)
            return self.ask_again(turn, step, say("wheel.reflect_broad", word=_spoken(word)))
        if the_wheel.is_vague(word):
            step = turn.state.goto("offer_finer", core="")
            return self.ask_again(turn, step, say("wheel.vague_heard", word=_spoken(word)))
        if the_wheel.core_of(word) is None:
            step = turn.state.goto("offer_finer", core="")
            return self.ask_again(turn, step, say("wheel.reflect_own", word=_spoken(word)))
        return self._reflect(turn, word)

    def _reflect(self, turn: Turn, word: str) -> Reply:
        """Say the word back; then go back to what was interrupted, or offer a check-in."""
        the_wheel = wheel(turn.content)
        known = the_wheel.core_of(word) is not None
        reflection = say(
            "wheel.reflect" if known else "wheel.reflect_own_final", word=_spoken(word)
        )
        state = turn.state
        interrupted = state.paused
        if interrupted is not None:
            from skill.practices.registry import practice_for

            state.current, state.paused = interrupted, None
            practice = practice_for(interrupted.flow)
            return practice.ask_again(turn, interrupted, reflection, say("common.resuming"))
        step = state.goto("offer_check_in")
        return self.ask_again(turn, step, reflection)


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
