"""First use: learn the couple's two first names, confirm them, then go on to
whatever they asked for. A heard name is checked first (skill.domain.names): wake words
and what is not a name are refused kindly and asked for again."""

from __future__ import annotations

from typing import ClassVar

from skill.domain.couple import MAX_NAME, Partner, Profile, cap_text, iso
from skill.domain.names import HeardName, NameRefusal, check_name
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.session import Flow, Step
from skill.speech.render import Line, Reply, say
from skill.turn import Turn


class Setup(Practice):
    flow = Flow.SETUP
    speech = "setup"
    answers = frozenset({Intent.COUPLE_NAMES, Intent.NAME, Intent.YES, Intent.NO})
    elicits: ClassVar[Elicits] = {
        "names": (Intent.COUPLE_NAMES, "first_name"),
        "second": (Intent.NAME, "name"),
    }
    needs_couple = False

    @classmethod
    def begin(cls, turn: Turn, then: Flow | None, before: tuple[Line, ...] = ()) -> Reply:
        step = turn.state.start(Flow.SETUP, "names", then=then.value if then else "")
        return cls().ask_again(turn, step, *before, say("setup.welcome"))

    def start(self, turn: Turn) -> Reply:
        return self.begin(turn, None)

    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        if step.step == "second":
            first = str(step.values["first"])
            return say("setup.ask_second", first=first), say("setup.ask_second_reprompt")
        if step.step == "confirm":
            names = {"first": str(step.values["first"]), "second": str(step.values["second"])}
            return say("setup.confirm", **names), say("setup.confirm_reprompt", **names)
        return say("setup.ask_names"), say("setup.ask_names_reprompt")

    def answer(self, turn: Turn, step: Step) -> Reply:
        intent = turn.intent
        if step.step == "confirm":
            if intent is Intent.YES:
                return self._save(turn, step)
            if intent is Intent.NO:
                turn.state.goto("names")
                return self.ask_again(turn, step, say("setup.try_again"))
            return self.unexpected(turn, step)
        first_heard = _heard(turn, "first_name") or _heard(turn, "name")
        second_heard = _heard(turn, "second_name")
        for heard in (first_heard, second_heard):
            if heard is not None and heard.refusal is NameRefusal.EMPTY:
                return self.unexpected(turn, step)
            if heard is not None and heard.refusal is not None:
                return self.ask_again(turn, step, say(f"setup.refused_{heard.refusal.value}"))
        first = _spoken(first_heard)
        second = _spoken(second_heard)
        if intent is Intent.COUPLE_NAMES and first and second:
            return self._confirm(turn, first, second)
        if first and step.step == "second":
            return self._confirm(turn, str(step.values["first"]), first)
        if first:
            turn.state.goto("second", first=first)
            return self.ask_again(turn, step)
        return self.unexpected(turn, step)

    def _confirm(self, turn: Turn, first: str, second: str) -> Reply:
        if first.casefold() == second.casefold():
            step = turn.state.goto("names")
            return self.ask_again(turn, step, say("setup.same_names"))
        step = turn.state.goto("confirm", first=first, second=second)
        return self.ask_again(turn, step)

    def _save(self, turn: Turn, step: Step) -> Reply:
        from skill.practices.registry import begin, practices

        names = [str(step.values["first"]), str(step.values["second"])]
        created = iso(turn.now)

        def set_names(profile: Profile) -> None:
            profile.partners = [Partner(name) for name in names]
            profile.created_at = profile.created_at or created

        turn.change(set_names)
        then = str(step.values.get("then", ""))
        turn.state.current = None
        done = say("setup.done", first=names[0], second=names[1])
        if then and Flow(then) in practices():
            return begin(turn, Flow(then), done)
        return Reply.ask(done, question=say("launch.what_next"), reprompt=say("launch.menu"))


def _heard(turn: Turn, slot: str) -> HeardName | None:
    """What the slot carried, checked as a name; None when it carried nothing."""
    heard = turn.slot(slot).value
    return check_name(heard) if heard else None


def _spoken(heard: HeardName | None) -> str | None:
    if heard is None or heard.name is None:
        return None
    name = cap_text(heard.name, MAX_NAME)
    return name[:1].upper() + name[1:]
