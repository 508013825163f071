"""What every practice offers the router: how it starts, which answers it takes
while active, its step's question, help and the kind way out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import ClassVar

from skill.intents import Intent
from skill.session import Flow, Step
from skill.speech.render import Elicit, Line, Reply, say
from skill.turn import Turn

MAX_MISSES_BEFORE_WAY_OUT = 2

# Step name -> (intent, slot) its question asks for.
Elicits = Mapping[str, tuple[Intent, str]]


class Practice(ABC):
    flow: ClassVar[Flow]
    # Intents that start this practice from anywhere.
    starts: ClassVar[frozenset[Intent]] = frozenset()
    # Intents this practice takes while it is active (beyond help/stop/cancel...).
    answers: ClassVar[frozenset[Intent]] = frozenset()
    # Needs the couple's two names first.
    needs_couple: ClassVar[bool] = True
    # Prefix of this practice's speech keys in the content files.
    speech: ClassVar[str]

    @abstractmethod
    def start(self, turn: Turn) -> Reply:
        """Begin (the intent that started it may carry slots)."""

    @abstractmethod
    def answer(self, turn: Turn, step: Step) -> Reply:
        """Take one of `answers` for the current step."""

    @abstractmethod
    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        """The current step's question and its reprompt (which adds information)."""

    # -- shared behaviour, overridable ----------------------------------------------

    # The slot each step's question asks for, by step name (see `Elicit`).
    elicits: ClassVar[Elicits] = {}

    def ask_again(self, turn: Turn, step: Step, *before: Line) -> Reply:
        question, reprompt = self.question(turn, step)
        wanted = self.elicits.get(step.step)
        elicit = Elicit(wanted[0].value, wanted[1]) if wanted else None
        return Reply.ask(*before, question=question, reprompt=reprompt, elicit=elicit)

    def help(self, turn: Turn, step: Step) -> Reply:
        key = f"{self.speech}.help.{step.step}"
        line = say(key) if key in turn.content.phrases else say(f"{self.speech}.help")
        return self.ask_again(turn, step, line)

    def unexpected(self, turn: Turn, step: Step) -> Reply:
        """Re-ask once in other words, then offer a way out."""
        step.misses += 1
        if step.misses >= MAX_MISSES_BEFORE_WAY_OUT:
            return self.ask_again(turn, step, say("common.way_out"))
        return self.ask_again(turn, step, say("common.didnt_catch"))

    def stopped(self, turn: Turn, step: Step) -> list[Line]:
        """Said when the couple stops mid-practice; progress that matters is kept."""
        return []

    def resume(self, turn: Turn, step: Step) -> Reply:
        return self.ask_again(turn, step, say("common.resuming"))
