"""The 60-second check-in: each partner in turn says a feeling and a need; a vague
feeling word gets one gentle nudge; the skill reflects both back and keeps them."""

from __future__ import annotations

from typing import ClassVar

from skill.domain.couple import MAX_NAME, CheckInRecord, Profile, cap_text, iso
from skill.domain.events import EventKind
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.feelings import wheel
from skill.session import Flow, Step
from skill.speech.render import Line, Reply, say
from skill.turn import Turn

TIMES_OF_DAY = ("morning", "afternoon", "evening")


class CheckIn(Practice):
    flow = Flow.CHECK_IN
    starts = frozenset({Intent.CHECK_IN})
    speech = "checkin"
    answers = frozenset({Intent.FEELING, Intent.NEED, Intent.NOTE_TEXT})
    elicits: ClassVar[Elicits] = {
        "feeling": (Intent.FEELING, "feeling"),
        "nudge": (Intent.FEELING, "feeling"),
        "need": (Intent.NEED, "need"),
    }

    def start(self, turn: Turn) -> Reply:
        heard = turn.slot("time_of_day").resolved_id or ""
        time_of_day = heard if heard in TIMES_OF_DAY else _time_of_day_now(turn)
        if Flow.EVENING in turn.state.queue:
            time_of_day = "evening"
        from skill.practices.who import present_partner

        speaker = present_partner(turn)
        first = speaker if speaker is not None else 0
        step = turn.state.start(Flow.CHECK_IN, "feeling", who=first, order=first, tod=time_of_day)
        return self.ask_again(turn, step, say("checkin.intro"))

    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        name = turn.profile.name_of(int(step.values["who"]))
        if step.step == "nudge":
            options = wheel(turn.content).nudge_options(str(step.values["vague"]))
            return (
                say(
                    "checkin.nudge",
                    name=name,
                    word=str(step.values["vague"]),
                    one=options[0],
                    two=options[1],
                    three=options[2],
                ),
                say("checkin.nudge_reprompt", name=name),
            )
        if step.step == "need":
            feeling = str(step.values[f"f{step.values['who']}"])
            return say("checkin.ask_need", name=name, feeling=feeling), say(
                "checkin.ask_need_reprompt", name=name
            )
        return say("checkin.ask_feeling", name=name), say("checkin.ask_feeling_reprompt", name=name)

    def answer(self, turn: Turn, step: Step) -> Reply:
        who = int(step.values["who"])
        if step.step in ("feeling", "nudge") and turn.intent is Intent.FEELING:
            return self._take_feeling(turn, step, who)
        if step.step == "need" and turn.intent in (Intent.NEED, Intent.NOTE_TEXT):
            need = turn.slot("need").value or turn.slot("note").value
            if need:
                return self._take_need(turn, step, who, cap_text(need, 120))
        return self.unexpected(turn, step)

    def _take_feeling(self, turn: Turn, step: Step, who: int) -> Reply:
        heard = turn.slot("feeling").value
        if not heard:
            return self.unexpected(turn, step)
        feeling = cap_text(heard.lower(), MAX_NAME)
        nudged = step.values.get(f"nudged{who}") == 1
        if wheel(turn.content).is_vague(feeling) and not nudged:
            step = turn.state.goto("nudge", vague=feeling, **{f"nudged{who}": 1})
            return self.ask_again(turn, step)
        step = turn.state.goto("need", **{f"f{who}": feeling})
        return self.ask_again(turn, step)

    def _take_need(self, turn: Turn, step: Step, who: int, need: str) -> Reply:
        step.values[f"n{who}"] = need
        other = 1 - who
        if f"f{other}" not in step.values:
            step = turn.state.goto("feeling", who=other)
            return self.ask_again(turn, step, say("checkin.thanks_next"))
        records = self._keep(turn, step, partners=(0, 1))
        from skill.practices.registry import finish
        from skill.practices.screens import show_check_in

        order = int(step.values["order"])
        reflections = [self._reflection(turn, step, p) for p in (order, 1 - order)]
        reply = finish(turn, *reflections, say("checkin.close"))
        show_check_in(turn, reply, sorted(records, key=lambda r: r.partner != order))
        return reply

    def _reflection(self, turn: Turn, step: Step, who: int) -> Line:
        return say(
            "checkin.reflect",
            name=turn.profile.name_of(who),
            feeling=str(step.values[f"f{who}"]),
            need=str(step.values[f"n{who}"]),
        )

    def _keep(self, turn: Turn, step: Step, partners: tuple[int, ...]) -> list[CheckInRecord]:
        at, today = iso(turn.now), turn.today
        records = [
            CheckInRecord(
                at=at,
                time_of_day=str(step.values["tod"]),
                partner=p,
                feeling=str(step.values[f"f{p}"]),
                need=str(step.values[f"n{p}"]),
            )
            for p in partners
        ]

        def add(profile: Profile) -> None:
            for record in records:
                profile.add_check_in(record)
            profile.mark_practice(today)

        turn.change(add)
        for record in records:
            turn.record(
                EventKind.CHECK_IN,
                partner=record.partner,
                tod=record.time_of_day,
                feeling=record.feeling,
                need=record.need,
            )
        return records

    def stopped(self, turn: Turn, step: Step) -> list[Line]:
        done = tuple(p for p in (0, 1) if f"n{p}" in step.values)
        if not done:
            return []
        self._keep(turn, step, partners=done)
        return [say("checkin.kept_partial", name=turn.profile.name_of(done[0]))]


def _time_of_day_now(turn: Turn) -> str:
    # Without the device's time zone, the hour in UTC is only a guess; keep it neutral.
    return "today"
