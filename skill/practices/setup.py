"""First use: learn the couple's two first names, confirm them, then go on to
whatever they asked for. A heard name is checked first (skill.domain.names): wake words
and what is not a name are refused kindly and asked for again."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from skill.domain.couple import MAX_NAME, Partner, Profile, cap_text, iso
from skill.domain.names import HeardName, NameRefusal, check_name
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.outcomes import Ask, AskAgain, HandOver, Menu, Outcome
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.turn import Turn


class SetupStep(StrEnum):
    NAMES = "names"
    SECOND = "second"
    CONFIRM = "confirm"


@dataclass(frozen=True, kw_only=True)
class SetupState(PracticeState):
    flow = Flow.SETUP

    step: SetupStep = SetupStep.NAMES
    # What the couple asked for before we knew them, begun once they are set up.
    then: Flow | None = None
    # What that request said (the slots' words and resolved ids), for when it begins.
    carried: dict[str, str] = field(default_factory=dict)
    carried_ids: dict[str, str] = field(default_factory=dict)
    first: str = ""
    second: str = ""


ELICITS: dict[SetupStep, Elicits] = {
    SetupStep.NAMES: (Intent.COUPLE_NAMES, "first_name"),
    SetupStep.SECOND: (Intent.NAME, "name"),
}


class Setup(Practice[SetupState]):
    flow = Flow.SETUP
    state_type = SetupState
    speech = "setup"
    # A feeling too: "I'm Alex", said after the welcome (which cannot ask for a slot),
    # is heard as "I'm <a feeling>" with a word that is no feeling: that word is a name.
    answers = frozenset({Intent.COUPLE_NAMES, Intent.NAME, Intent.FEELING, Intent.YES, Intent.NO})
    needs_couple = False

    @staticmethod
    def asking_names(
        then: Flow | None, *before: Line, carried: tuple[dict[str, str], dict[str, str]] = ({}, {})
    ) -> Ask:
        """Welcome, and ask for the two names; `then` begins once they are known, with
        the slots the request for it carried ("a thank-you for Sam")."""
        state = SetupState(then=then, carried=carried[0], carried_ids=carried[1])
        return Ask(state, *before, say("setup.welcome"))

    def start(self, turn: Turn) -> Outcome:
        return self.asking_names(None)

    def elicit(self, state: SetupState) -> Elicits | None:
        return ELICITS.get(state.step)

    def question(self, turn: Turn, state: SetupState) -> tuple[Line, Line]:
        if state.step is SetupStep.SECOND:
            return say("setup.ask_second", first=state.first), say("setup.ask_second_reprompt")
        if state.step is SetupStep.CONFIRM:
            names = {"first": state.first, "second": state.second}
            return say("setup.confirm", **names), say("setup.confirm_reprompt", **names)
        return say("setup.ask_names"), say("setup.ask_names_reprompt")

    def answer(self, turn: Turn, state: SetupState) -> Outcome:
        intent = turn.intent
        if state.step is SetupStep.CONFIRM:
            if intent is Intent.YES:
                return self._save(turn, state)
            if intent is Intent.NO:
                return Ask(replace(state, step=SetupStep.NAMES), say("setup.try_again"))
            return self.unexpected(turn, state)
        first_heard = _heard(turn, "first_name") or _heard(turn, "name") or _feeling_as_name(turn)
        second_heard = _heard(turn, "second_name")
        for heard in (first_heard, second_heard):
            if heard is not None and heard.refusal is NameRefusal.EMPTY:
                return self.unexpected(turn, state)
            if heard is not None and heard.refusal is not None:
                return AskAgain(state, say(f"setup.refused_{heard.refusal.value}"))
        first = _spoken(first_heard)
        second = _spoken(second_heard)
        if intent is Intent.COUPLE_NAMES and first and second:
            return self._confirm(state, first, second)
        if first and state.step is SetupStep.SECOND:
            return self._confirm(state, state.first, first)
        if first:
            return Ask(replace(state, step=SetupStep.SECOND, first=first))
        return self.unexpected(turn, state)

    def _confirm(self, state: SetupState, first: str, second: str) -> Outcome:
        if first.casefold() == second.casefold():
            return Ask(replace(state, step=SetupStep.NAMES), say("setup.same_names"))
        return Ask(replace(state, step=SetupStep.CONFIRM, first=first, second=second))

    def _save(self, turn: Turn, state: SetupState) -> Outcome:
        names = [state.first, state.second]
        created = iso(turn.now)

        def set_names(profile: Profile) -> None:
            profile.partners = [Partner(name) for name in names]
            profile.created_at = profile.created_at or created

        turn.change(set_names)
        done = say("setup.done", first=names[0], second=names[1])
        if state.then is not None:
            turn.carry(state.carried, state.carried_ids)
            return HandOver(state.then, done)
        return Menu(done)


def _heard(turn: Turn, slot: str) -> HeardName | None:
    """What the slot carried, checked as a name; None when it carried nothing."""
    heard = turn.slot(slot).value
    return check_name(heard) if heard else None


def _feeling_as_name(turn: Turn) -> HeardName | None:
    """ "I'm Alex" heard as a feeling Alexa could not resolve: the word, as a name."""
    if turn.intent is not Intent.FEELING:
        return None
    reading = turn.slot("feeling")
    if not reading.no_match or not reading.raw:
        return None
    return check_name(reading.raw)


def _spoken(heard: HeardName | None) -> str | None:
    if heard is None or heard.name is None:
        return None
    name = cap_text(heard.name, MAX_NAME)
    return name[:1].upper() + name[1:]
