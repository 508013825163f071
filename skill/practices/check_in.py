"""The 60-second check-in: each partner in turn says a feeling and a need; a vague
feeling word gets one gentle nudge; the skill reflects both back and keeps them.

A recognised voice answers as itself: when the partner asked is not the one speaking,
the answer is kept as the speaker's and the partner asked is asked next. What comes
next is worked out from what is known: the partner asked, their feeling, then their
need, then the other partner's."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from skill.domain.couple import MAX_NAME, CheckInRecord, PartnerIndex, Profile, cap_text, iso
from skill.domain.credit import answerer
from skill.domain.events import EventKind
from skill.domain.reflection import Voice, reflected
from skill.domain.spoken_answer import bare_feeling, for_both, who_goes_first
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.feelings import wheel
from skill.practices.outcomes import Ask, AskAgain, Finish, Outcome
from skill.practices.screens import check_in_card, check_in_screen
from skill.practices.who import present_partner, voice_partner
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
    # Who has had their one nudge for a vague word, and the word being nudged (the
    # nudge is for the last of `nudged`).
    nudged: tuple[PartnerIndex, ...] = ()
    vague: str = ""

    @property
    def addressed(self) -> PartnerIndex:
        """Whom the question now is for: the one nudged, else the partner asked."""
        if self.step is CheckInStep.NUDGE and self.nudged:
            return self.nudged[-1]
        return self.asked


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
        name = turn.profile.name_of(state.addressed)
        if state.step is CheckInStep.NUDGE:
            the_wheel = wheel(turn.content)
            one, two, three = the_wheel.nudge_options(state.vague)
            if the_wheel.is_not_knowing(state.vague):
                return (
                    say("checkin.not_sure", name=name, one=one, two=two, three=three),
                    say("checkin.nudge_reprompt", name=name),
                )
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
        first = self._goes_first(turn, state)
        if first is not None:
            return first
        if state.step in (CheckInStep.FEELING, CheckInStep.NUDGE) and turn.intent is Intent.FEELING:
            return self._take_feeling(turn, state)
        if state.step is CheckInStep.NEED and turn.intent is Intent.FEELING:
            # "Actually, more like restless": the feeling again, said better.
            return self._take_feeling(turn, state)
        if state.step is CheckInStep.NEED and turn.intent in (Intent.NEED, Intent.NOTE_TEXT):
            need = turn.slot("need").value or turn.slot("note").value
            if need and wheel(turn.content).is_feeling(need):
                # A feeling word where the need was asked: "fine", "more like restless".
                return self._take_feeling(turn, state, heard=need)
            if need:
                return self._take_need(turn, state, cap_text(need, 120))
        return self.unexpected(turn, state)

    def _goes_first(self, turn: Turn, state: CheckInState) -> Outcome | None:
        """ "Sam first", or only "Sam": before anyone has answered, the partner named
        starts."""
        if state.feelings or state.needs or state.step is not CheckInStep.FEELING:
            return None
        heard = turn.slot("feeling").value or turn.slot("need").value or turn.slot("note").value
        named = who_goes_first(heard or "") or heard
        partner = turn.profile.partner_named(named) if named else None
        if partner is None:
            return None
        state = replace(state, asked=partner, order=partner)
        return Ask(state, say("checkin.goes_first", name=turn.profile.name_of(partner)))

    def _take_feeling(self, turn: Turn, state: CheckInState, heard: str | None = None) -> Outcome:
        heard = heard or turn.slot("feeling").value
        if not heard:
            return self.unexpected(turn, state)
        feeling = cap_text(bare_feeling(heard).lower(), MAX_NAME)
        if turn.profile.partner_named(feeling) is not None:
            # A name is never a feeling: the question stays with the one asked.
            return self.unexpected(turn, state)
        # A recognised voice answers as itself, whoever the question was for.
        who = answerer(state.addressed, voice_partner(turn))
        if who in state.feelings and who is not state.addressed:
            # Said again by someone who has already answered: not for the one asked.
            return self._not_yours(turn, state, who)
        # "I'm stressed and I need help with dinner": the need comes with the feeling.
        need = turn.slot("need").value if turn.intent is Intent.FEELING else None
        if need and who not in state.needs:
            state = replace(state, needs={**state.needs, who: cap_text(need, 120)})
        the_wheel = wheel(turn.content)
        if state.step is CheckInStep.FEELING and the_wheel.sounds_like_need(feeling):
            # "Just a hug", said when the feeling was asked: kept as the need (their
            # own, over one said for both of them), and the feeling asked again.
            need = cap_text(heard, 120)
            state = replace(state, needs={**state.needs, who: need}, asked=who)
            return Ask(state, say("checkin.need_first", name=turn.profile.name_of(who)))
        if the_wheel.is_not_knowing(feeling) and state.step is not CheckInStep.NUDGE:
            # "Not sure": three words to choose from; not sure still, that is the answer.
            return Ask(replace(state, step=CheckInStep.NUDGE, vague=feeling))
        if the_wheel.is_vague(feeling) and who not in state.nudged:
            nudged = (*state.nudged, who)
            return Ask(replace(state, step=CheckInStep.NUDGE, vague=feeling, nudged=nudged))
        state = replace(state, feelings={**state.feelings, who: feeling}, vague="")
        return self._next(turn, state, who)

    def _take_need(self, turn: Turn, state: CheckInState, need: str) -> Outcome:
        who = answerer(state.asked, voice_partner(turn))
        if who in state.needs and who is not state.asked:
            return self._not_yours(turn, state, who)
        need, both = for_both(need)
        needs = {**state.needs, who: need}
        if both and who.other not in needs:
            # "Both of us need a quiet night": the other's need too, unless said.
            needs[who.other] = need
        return self._next(turn, replace(state, needs=needs), who)

    def _not_yours(self, turn: Turn, state: CheckInState, who: PartnerIndex) -> Outcome:
        """Someone who has already answered spoke again: the question stays with
        the partner it was for."""
        name = turn.profile.name_of(who)
        return AskAgain(state, say("checkin.already_yours", name=name), missed=True)

    def _next(self, turn: Turn, state: CheckInState, who: PartnerIndex) -> Outcome:
        """The next question from what is known: the partner asked first (their
        feeling, then their need), then the other; or, with everything heard, the
        reflections."""
        before: list[Line] = []
        if who is not state.asked:
            before.append(say("checkin.took_as_speaker", name=turn.profile.name_of(who)))
        for partner in (state.asked, state.asked.other):
            if partner not in state.feelings:
                step = CheckInStep.FEELING
            elif partner not in state.needs:
                step = CheckInStep.NEED
            else:
                continue
            if partner is not state.asked and not before:
                before.append(say("checkin.thanks_next"))
            return Ask(replace(state, step=step, asked=partner), *before)
        return self._close(turn, state, before)

    def _close(self, turn: Turn, state: CheckInState, before: list[Line]) -> Outcome:
        records = self._keep(turn, state, partners=tuple(PartnerIndex))
        order = state.order
        reflections = [self._reflection(turn, state, p) for p in (order, order.other)]
        shown = sorted(records, key=lambda r: r.partner != order)
        return Finish(
            *before,
            *reflections,
            say("checkin.close"),
            card=check_in_card(turn, shown),
            directives=[check_in_screen(turn, shown)],
        )

    def _reflection(self, turn: Turn, state: CheckInState, who: PartnerIndex) -> Line:
        name, partner = turn.profile.name_of(who), turn.profile.name_of(who.other)
        need = state.needs[who]
        return say(
            "checkin.reflect",
            name=name,
            feeling=state.feelings[who],
            need=turn.profile.read_back(who, need),
            need_to_you=reflected(need, partner=partner, voice=Voice.TO, names=[name]),
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
        done = tuple(p for p in PartnerIndex if p in state.needs and p in state.feelings)
        if not done:
            return []
        self._keep(turn, state, partners=done)
        return [say("checkin.kept_partial", name=turn.profile.name_of(done[0]))]


def _time_of_day_now(turn: Turn) -> str:
    """Morning, afternoon or evening by the couple's local hour."""
    return turn.clock.time_of_day.value
