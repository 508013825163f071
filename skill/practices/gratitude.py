"""Gratitude snapshots: a thank-you one partner leaves for the other, kept until the
recipient is there (a recognised voice, or they say who they are) and then read to
them once, with its author's name. A note older than two days is offered with its
age and retired whether heard or not. A note is never read to its author."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from skill.domain.couple import (
    MAX_TEXT,
    GratitudeNote,
    PartnerIndex,
    Profile,
    cap_text,
    iso,
    parse_iso,
)
from skill.domain.events import EventKind
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.outcomes import Ask, AskAgain, Finish, Menu, Outcome, Purpose
from skill.practices.who import (
    Who,
    both_names,
    heard_in_slot,
    partner_in_slot,
    present_partner,
)
from skill.privacy import request_key
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.turn import Turn

FRESH_FOR = timedelta(hours=48)
NOTE_CHARS = MAX_TEXT


class Delivery(StrEnum):
    """Where a delivery was asked from, which decides what comes after it."""

    AT_LAUNCH = "launch"
    ON_REQUEST = "hear"
    IN_EVENING = "evening"


def notes_for(profile: Profile, recipient: int) -> list[GratitudeNote]:
    """Pending notes meant for `recipient`, oldest first."""
    mine = [note for note in profile.pending_notes if note.recipient == recipient]
    return sorted(mine, key=lambda note: parse_iso(note.at))


def is_fresh(note: GratitudeNote, now: datetime) -> bool:
    return now - parse_iso(note.at) <= FRESH_FOR


def age_line(note: GratitudeNote, now: datetime) -> Line:
    days = max((now - parse_iso(note.at)).days, 2)
    if days >= 14:
        return say("gratitude.age_weeks", weeks=days // 7)
    return say("gratitude.age_days", days=days)


def notes_news(turn: Turn) -> Outcome | None:
    """At launch: deliver notes to a recognised recipient, or ask who is here."""
    profile = turn.profile
    if not profile.is_set_up or not profile.pending_notes:
        return None
    present = present_partner(turn)
    if present is None:
        return Who.asking(Flow.GRATITUDE, Purpose.AT_LAUNCH, say("gratitude.note_waiting"))
    if not notes_for(profile, present):
        return None
    return Gratitude().deliver(turn, present, Delivery.AT_LAUNCH)


class GratitudeStep(StrEnum):
    AUTHOR = "author"
    NOTE = "note"
    OFFER_OLD = "offer_old"
    OFFER_LEAVE = "offer_leave"


@dataclass(frozen=True, kw_only=True)
class GratitudeState(PracticeState):
    flow = Flow.GRATITUDE

    step: GratitudeStep
    # Leaving a note: the note, when it came before we knew who left it; for whom.
    note: str = ""
    recipient: PartnerIndex = PartnerIndex.FIRST
    # Offering older notes: to whom, the newest one offered, and what comes after.
    present: PartnerIndex = PartnerIndex.FIRST
    upto: str = ""
    delivery: Delivery = Delivery.ON_REQUEST


ELICITS: dict[GratitudeStep, Elicits] = {
    GratitudeStep.AUTHOR: (Intent.NAME, "name"),
    GratitudeStep.NOTE: (Intent.NOTE_TEXT, "note"),
}


class Gratitude(Practice[GratitudeState]):
    flow = Flow.GRATITUDE
    state_type = GratitudeState
    speech = "gratitude"
    starts = frozenset({Intent.LEAVE_GRATITUDE, Intent.HEAR_NOTES})
    answers = frozenset({Intent.NAME, Intent.NOTE_TEXT, Intent.YES, Intent.NO})

    def start(self, turn: Turn) -> Outcome:
        if turn.intent is Intent.HEAR_NOTES:
            return self.hear(turn)
        if turn.intent is not Intent.LEAVE_GRATITUDE and Flow.EVENING in turn.state.queue:
            return self._evening(turn)
        return self._leave(turn)

    def elicit(self, state: GratitudeState) -> Elicits | None:
        return ELICITS.get(state.step)

    # -- leaving a note -----------------------------------------------------------------

    def _leave(self, turn: Turn, *before: Line) -> Outcome:
        lines = list(before)
        recipient = partner_in_slot(turn, "partner")
        if recipient is None and heard_in_slot(turn, "partner"):
            lines.append(say("gratitude.unknown_name", **both_names(turn)))
        elif recipient is None:
            speaker = present_partner(turn)
            recipient = speaker.other if speaker is not None else None
        heard = turn.slot("note").value if turn.intent is Intent.LEAVE_GRATITUDE else None
        note = cap_text(heard, NOTE_CHARS) if heard else ""
        if recipient is None:
            return Ask(GratitudeState(step=GratitudeStep.AUTHOR, note=note), *lines)
        if note:
            return self._keep(turn, recipient.other, note, *lines)
        return Ask(GratitudeState(step=GratitudeStep.NOTE, recipient=recipient), *lines)

    def _keep(self, turn: Turn, author: PartnerIndex, text: str, *before: Line) -> Outcome:
        note = GratitudeNote(
            id=request_key(turn.request_id),
            at=iso(turn.now),
            author=int(author),
            recipient=int(author.other),
            text=text,
        )

        def add(profile: Profile) -> None:
            profile.add_note(note)

        turn.change(add)
        turn.record(
            EventKind.NOTE,
            action="left",
            note_id=note.id,
            author=note.author,
            recipient=note.recipient,
            text=note.text,
        )
        recipient = turn.profile.name_of(note.recipient)
        return Finish(*before, say("gratitude.kept", recipient=recipient, note=note.text))

    # -- hearing notes ------------------------------------------------------------------

    def hear(self, turn: Turn) -> Outcome:
        present = present_partner(turn)
        if present is not None:
            return self.deliver(turn, present, Delivery.ON_REQUEST)
        if not turn.profile.pending_notes:
            return Finish(say("gratitude.no_notes"))
        return Who.asking(Flow.GRATITUDE, Purpose.ON_REQUEST)

    def speaker_known(self, turn: Turn, speaker: PartnerIndex, purpose: Purpose) -> Outcome:
        """Called through `Who` once the one here has said who they are."""
        delivery = Delivery.AT_LAUNCH if purpose is Purpose.AT_LAUNCH else Delivery.ON_REQUEST
        return self.deliver(turn, speaker, delivery)

    def deliver(
        self, turn: Turn, present: PartnerIndex, delivery: Delivery, *before: Line
    ) -> Outcome:
        """Read fresh notes to `present` (their recipient, never their author), then
        offer older ones with their age; each is removed once delivered or offered."""
        profile = turn.profile
        name = profile.name_of(present)
        mine = notes_for(profile, present)
        fresh = [note for note in mine if is_fresh(note, turn.now)]
        old = [note for note in mine if not is_fresh(note, turn.now)]
        lines = [*before, *self._read(turn, fresh, name)]
        if old:
            offer = GratitudeState(
                step=GratitudeStep.OFFER_OLD, present=present, upto=old[-1].at, delivery=delivery
            )
            return Ask(offer, *lines)
        if not mine:
            lines.extend(self._nothing_for(turn, present, delivery))
        return self._after_delivery(delivery, *lines)

    def _nothing_for(self, turn: Turn, present: PartnerIndex, delivery: Delivery) -> list[Line]:
        name = turn.profile.name_of(present)
        if delivery is Delivery.AT_LAUNCH:
            return [say("who.thanks", name=name)]
        lines = [say("gratitude.none_for_you", name=name)]
        if notes_for(turn.profile, present.other):
            lines.append(say("gratitude.waiting_for", name=turn.profile.name_of(present.other)))
        return lines

    def _read(self, turn: Turn, notes: list[GratitudeNote], name: str) -> list[Line]:
        if not notes:
            return []
        profile = turn.profile
        lines = [
            say("gratitude.read", name=name, author=profile.name_of(note.author), note=note.text)
            for note in notes
        ]
        self._retire(turn, notes, action="delivered")
        return lines

    def _retire(self, turn: Turn, notes: list[GratitudeNote], action: str) -> None:
        ids = {note.id for note in notes}

        def remove(profile: Profile) -> None:
            profile.remove_notes(ids)

        turn.change(remove)
        for note in notes:
            turn.record(EventKind.NOTE, action=action, note_id=note.id)

    def _offered(self, turn: Turn, state: GratitudeState) -> list[GratitudeNote]:
        """The older notes the pending offer is about (newer ones wait for next time)."""
        upto = parse_iso(state.upto)
        mine = notes_for(turn.profile, state.present)
        return [note for note in mine if parse_iso(note.at) <= upto]

    def _after_delivery(self, delivery: Delivery, *lines: Line) -> Outcome:
        if delivery is Delivery.AT_LAUNCH:
            return Menu(*lines, news=True)
        if delivery is Delivery.IN_EVENING:
            return Ask(GratitudeState(step=GratitudeStep.OFFER_LEAVE), *lines)
        return Finish(*lines)

    # -- the evening ritual: deliver what is waiting, offer to leave one -----------------

    def _evening(self, turn: Turn) -> Outcome:
        present = present_partner(turn)
        if present is not None and notes_for(turn.profile, present):
            return self.deliver(turn, present, Delivery.IN_EVENING)
        return Ask(GratitudeState(step=GratitudeStep.OFFER_LEAVE))

    # -- the questions ------------------------------------------------------------------

    def question(self, turn: Turn, state: GratitudeState) -> tuple[Line, Line]:
        if state.step is GratitudeStep.AUTHOR:
            names = both_names(turn)
            return say("gratitude.ask_author", **names), say(
                "gratitude.ask_author_reprompt", **names
            )
        if state.step is GratitudeStep.NOTE:
            recipient = turn.profile.name_of(state.recipient)
            return say("gratitude.ask_note", recipient=recipient), say(
                "gratitude.ask_note_reprompt", recipient=recipient
            )
        if state.step is GratitudeStep.OFFER_OLD:
            return self._offer_question(turn, state)
        return say("gratitude.offer_leave"), say("gratitude.offer_leave_reprompt")

    def _offer_question(self, turn: Turn, state: GratitudeState) -> tuple[Line, Line]:
        offered = self._offered(turn, state)
        if not offered:
            return say("launch.what_next"), say("launch.menu")
        age = turn.renderer.line(age_line(offered[0], turn.now))
        if len(offered) == 1:
            author = turn.profile.name_of(offered[0].author)
            question = say("gratitude.offer_one", author=author, age=age)
        else:
            question = say("gratitude.offer_many", count=len(offered), age=age)
        return question, say("gratitude.offer_reprompt")

    def answer(self, turn: Turn, state: GratitudeState) -> Outcome:
        intent = turn.intent
        step = state.step
        if step is GratitudeStep.AUTHOR and intent is Intent.NAME:
            return self._take_author(turn, state)
        if step is GratitudeStep.NOTE and intent is Intent.NOTE_TEXT:
            heard = turn.slot("note").value
            note = cap_text(heard, NOTE_CHARS) if heard else ""
            if note:
                return self._keep(turn, state.recipient.other, note)
        if step is GratitudeStep.OFFER_OLD and intent in (Intent.YES, Intent.NO):
            return self._answer_offer(turn, state, heard=intent is Intent.YES)
        if step is GratitudeStep.OFFER_LEAVE and intent is Intent.YES:
            return self._leave(turn)
        if step is GratitudeStep.OFFER_LEAVE and intent is Intent.NO:
            return Finish(say("gratitude.maybe_later"))
        return self.unexpected(turn, state)

    def _take_author(self, turn: Turn, state: GratitudeState) -> Outcome:
        author = partner_in_slot(turn, "name")
        if author is None:
            if not heard_in_slot(turn, "name"):
                return self.unexpected(turn, state)
            return AskAgain(state, say("gratitude.unknown_name", **both_names(turn)), missed=True)
        turn.state.speaker = author
        if state.note:
            return self._keep(turn, author, state.note)
        return Ask(replace(state, step=GratitudeStep.NOTE, recipient=author.other))

    def _answer_offer(self, turn: Turn, state: GratitudeState, *, heard: bool) -> Outcome:
        offered = self._offered(turn, state)
        name = turn.profile.name_of(state.present)
        if heard:
            lines = self._read(turn, offered, name)
        else:
            self._retire(turn, offered, action="retired")
            lines = [say("gratitude.let_go")]
        return self._after_delivery(state.delivery, *lines)

    def stopped(self, turn: Turn, state: GratitudeState) -> list[Line]:
        if state.step is GratitudeStep.OFFER_OLD:
            # Offered is enough: an older note is not offered twice.
            self._retire(turn, self._offered(turn, state), action="retired")
            return []
        if state.step in (GratitudeStep.AUTHOR, GratitudeStep.NOTE):
            return [say("gratitude.not_left")]
        return []
