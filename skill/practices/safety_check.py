"""The gentle safety check: when words may speak of harm but do not clearly say so,
the skill keeps nothing of them and asks, once and kindly, whether the person is safe
right now.

- "Yes", "I'm fine", "I'm safe": thanks, and back to what they were doing, its
  question asked again (what they said was not kept, so they can say it again, or
  say something else).
- "No", or words that are a disclosure: the help response (`safety.help_reply`).
- Anything unclear is asked once more; unclear again, the help lines are given
  anyway, kindly: better a number they did not need than one they did.

The router starts it (never an intent), before any practice reads what was said."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from skill.intents import Intent
from skill.practices.base import Practice
from skill.practices.outcomes import Ask, AskAgain, Menu, Outcome, Resume
from skill.practices.safety import help_reply
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.turn import Turn

# Feelings that answer "are you safe right now?" with a yes.
SAFE_FEELINGS = frozenset({"fine", "okay", "ok", "good", "alright", "all right", "safe", "great"})


class SafetyCheckStep(StrEnum):
    ASK = "ask"


@dataclass(frozen=True, kw_only=True)
class SafetyCheckState(PracticeState):
    flow = Flow.SAFETY_CHECK

    step: SafetyCheckStep = SafetyCheckStep.ASK


class SafetyCheck(Practice[SafetyCheckState]):
    flow = Flow.SAFETY_CHECK
    state_type = SafetyCheckState
    speech = "safety_check"
    answers = frozenset({Intent.YES, Intent.NO, Intent.FEELING, Intent.FALLBACK})
    needs_couple = False

    def start(self, turn: Turn) -> Outcome:
        # Whatever the request would have kept is dropped: nothing of it is read.
        turn.forget_pending()
        return Ask(SafetyCheckState(), say("safety_check.intro"))

    def question(self, turn: Turn, state: SafetyCheckState) -> tuple[Line, Line]:
        return say("safety_check.ask"), say("safety_check.ask_reprompt")

    def answer(self, turn: Turn, state: SafetyCheckState) -> Outcome:
        if turn.intent is Intent.NO:
            return help_reply(turn)
        if turn.intent is Intent.YES or _says_safe(turn):
            if turn.state.paused is not None:
                return Resume(say("safety_check.glad"))
            return Menu(say("safety_check.glad"))
        if state.misses >= 1:
            return help_reply(turn)
        return AskAgain(state, say("safety_check.unclear"), missed=True)

    def help(self, turn: Turn, state: SafetyCheckState) -> Outcome:
        return AskAgain(state, say("safety_check.help"))


def _says_safe(turn: Turn) -> bool:
    if turn.intent is not Intent.FEELING:
        return False
    feeling = (turn.slot("feeling").value or "").lower()
    return feeling in SAFE_FEELINGS
