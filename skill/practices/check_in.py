"""The 60-second check-in: each partner in turn says a feeling and a need; a vague
feeling word gets one gentle nudge; the skill reflects both back and keeps them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from skill.domain.couple import MAX_NAME, CheckInRecord, PartnerIndex, Profile, cap_text, iso
from skill.domain.events import EventKind
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.feelings import wheel
from skill.practices.outcomes import Ask, Finish, Outcome
from skill.practices.screens import check_in_card, check_in_screen
from skill.practices.who import present_partner
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.turn import Turn

TIMES_OF_DAY = ("morning", "afternoon", "evening")


class CheckInStep(StrEnum):
    FEELING = "feeling"
    NUDGE = "nudge"
    NEED = "need"


@dataclass(frozen=True, kw_only=True)
class CheckInState(PracticeState):
    flow = Flow.CHECK_IN

    step: CheckInStep = CheckInStep.FEELING
    # Whose turn it is, and who went first (the reflections follow that order).
    asked: PartnerIndex
    order: PartnerIndex
    time_of_day: str
    feelings: dict[PartnerIndex, str] = field(default_factory=dict)
    needs: dict[PartnerIndex, str] = field(default_factory=dict)
    # Who has had their one nudge for a vague word, and the word being nudged.
    nudged: tuple[PartnerIndex, ...] = ()
    vague: str = ""


ELICITS: dict[CheckInStep, Elicits] = {
    CheckInStep.FEELING: (Intent.FEELING, "feeling"),
    CheckInStep.NUDGE: (Intent.FEELING, "feeling"),
    CheckInStep.NEED: (Intent.NEED, "need"),
}


class CheckIn(Practice[CheckInState]):
    flow = Flow.CHECK_IN
    state_type = CheckInState
    starts = frozenset({Intent.CHECK_IN})
    speech = "checkin"
    answers = frozenset({Intent.FEELING, Intent.NEED, Intent.NOTE_TEXT})

    def start(self, turn: Turn) -> Outcome:
        heard = turn.slot("time_of_day").resolved_id or ""
        time_of_day = heard if heard in TIMES_OF_DAY else _time_of_day_now(turn)
        if Flow.EVENING in turn.state.queue:
            time_of_day = "evening"
        speaker = present_partner(turn)
        first = speaker if speaker is not None else PartnerIndex.FIRST
        state = CheckInState(asked=first, order=first, time_of_day=time_of_day)
        return Ask(state, say("checkin.intro"))

    def elicit(self, state: CheckInState) -> Elicits | None:
        return ELICITS.get(state.step)

    def question(self, turn: Turn, state: CheckInState) -> tuple[Line, Line]:
        name = turn.profile.name_of(state.asked)
        if state.step is CheckInStep.NUDGE:
            one, two, three = wheel(turn.content).nudge_options(state.vague)
            return (
                say("checkin.nudge", name=name, word=state.vague, one=one, two=two, three=three),
                say("checkin.nudge_reprompt", name=name),
            )
        if state.step is CheckInStep.NEED:
            feeling = state.feelings[state.asked]
            return say("checkin.ask_need", name=name, feeling=feeling), say(
                "checkin.ask_need_reprompt", name=name
            )
        return say("checkin.ask_feeling", name=name), say("checkin.ask_feeling_reprompt", name=name)

    def answer(self, turn: Turn, state: CheckInState) -> Outcome:
        if state.step in (CheckInStep.FEELING, CheckInStep.NUDGE) and turn.intent is Intent.FEELING:
            return self._take_feeling(turn, state)
        if state.step is CheckInStep.NEED and turn.intent in (Intent.NEED, Intent.NOTE_TEXT):
            need = turn.slot("need").value or turn.slot("note").value
            if need:
                return self._take_need(turn, state, cap_text(need, 120))
        return self.unexpected(turn, state)

    def _take_feeling(self, turn: Turn, state: CheckInState) -> Outcome:
        heard = turn.slot("feeling").value
        if not heard:
            return self.unexpected(turn, state)
        feeling = cap_text(heard.lower(), MAX_NAME)
        who = state.asked
        if wheel(turn.content).is_vague(feeling) and who not in state.nudged:
            nudged = (*state.nudged, who)
            return Ask(replace(state, step=CheckInStep.NUDGE, vague=feeling, nudged=nudged))
        feelings = {**state.feelings, who: feeling}
        return Ask(replace(state, step=CheckInStep.NEED, feelings=feelings))

    def _take_need(self, turn: Turn, state: CheckInState, need: str) -> Outcome:
        state = replace(state, needs={**state.needs, state.asked: need})
        other = state.asked.other
        if other not in state.feelings:
            following = replace(state, step=CheckInStep.FEELING, asked=other)
            return Ask(following, say("checkin.thanks_next"))
        records = self._keep(turn, state, partners=tuple(PartnerIndex))
        order = state.order
        reflections = [self._reflection(turn, state, p) for p in (order, order.other)]
        shown = sorted(records, key=lambda r: r.partner != order)
        return Finish(
            *reflections,
            say("checkin.close"),
            card=check_in_card(turn, shown),
            directives=[check_in_screen(turn, shown)],
        )

    def _reflection(self, turn: Turn, state: CheckInState, who: PartnerIndex) -> Line:
        return say(
            "checkin.reflect",
            name=turn.profile.name_of(who),
            feeling=state.feelings[who],
            need=state.needs[who],
        )

    def _keep(
        self, turn: Turn, state: CheckInState, partners: tuple[PartnerIndex, ...]
    ) -> list[CheckInRecord]:
        at, today = iso(turn.now), turn.today
        records = [
            CheckInRecord(
                at=at,
                time_of_day=state.time_of_day,
                partner=int(p),
                feeling=state.feelings[p],
                need=state.needs[p],
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

    def stopped(self, turn: Turn, state: CheckInState) -> list[Line]:
        done = tuple(p for p in PartnerIndex if p in state.needs)
        if not done:
            return []
        self._keep(turn, state, partners=done)
        return [say("checkin.kept_partial", name=turn.profile.name_of(done[0]))]


def _time_of_day_now(turn: Turn) -> str:
    # Without the device's time zone, the hour in UTC is only a guess; keep it neutral.
    return "today"
