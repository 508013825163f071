"""Gratitude snapshots: a thank-you one partner leaves for the other, kept until the
recipient is there (a recognised voice, they say who they are, or "both of us") and
then read to them once, with its author's name. A note from before yesterday (on
the couple's calendar) is offered with its age and retired whether
heard or not. A note is never read to its author alone. In the evening ritual both
partners are there: what waits for either is delivered, and more than one thank-you
may be left."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from skill.domain.clock import LocalClock
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
    voice_partner,
)
from skill.privacy import request_key
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.turn import Turn

# A note left today or yesterday (the couple's days) is read; an older one is offered.
FRESH_FOR_DAYS = 1
WEEK_DAYS = 7
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


def is_fresh(note: GratitudeNote, clock: LocalClock) -> bool:
    return clock.days_since(note.at) <= FRESH_FOR_DAYS


def age_line(note: GratitudeNote, clock: LocalClock) -> Line:
    days = max(clock.days_since(note.at), FRESH_FOR_DAYS + 1)
    if days >= 2 * WEEK_DAYS:
        return say("gratitude.age_weeks", weeks=days // WEEK_DAYS)
    return say("gratitude.age_days", days=days)


def here_now(turn: Turn) -> tuple[PartnerIndex, ...]:
    """Who is known to be here: both (they said so), or the one speaking, or none."""
    if turn.state.together:
        return tuple(PartnerIndex)
    present = present_partner(turn)
    return (present,) if present is not None else ()


def notes_news(turn: Turn) -> Outcome | None:
    """At launch: deliver notes to a recipient who is here, or ask who is here."""
    profile = turn.profile
    if not profile.is_set_up or not profile.pending_notes:
        return None
    present = here_now(turn)
    if not present:
        return Who.asking(Flow.GRATITUDE, Purpose.AT_LAUNCH, say("gratitude.note_waiting"))
    if not any(notes_for(profile, p) for p in present):
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
    # Offering older notes: to whom, the newest one offered, what comes after, and
    # who else is here with older notes to be offered next.
    present: PartnerIndex = PartnerIndex.FIRST
    upto: str = ""
    delivery: Delivery = Delivery.ON_REQUEST
    after: tuple[PartnerIndex, ...] = ()
    # How many thank-yous were left this time (the evening ritual offers another).
    left: int = 0


ELICITS: dict[GratitudeStep, Elicits] = {
    GratitudeStep.AUTHOR: (Intent.NAME, "name"),
    GratitudeStep.NOTE: (Intent.NOTE_TEXT, "note"),
}


class Gratitude(Practice[GratitudeState]):
    flow = Flow.GRATITUDE
    state_type = GratitudeState
    speech = "gratitude"
    starts = frozenset({Intent.LEAVE_GRATITUDE, Intent.HEAR_NOTES})
    answers = frozenset({Intent.NAME, Intent.BOTH, Intent.NOTE_TEXT, Intent.YES, Intent.NO})

    def start(self, turn: Turn) -> Outcome:
        if turn.intent is Intent.HEAR_NOTES:
            return self.hear(turn)
        if turn.intent is not Intent.LEAVE_GRATITUDE and Flow.EVENING in turn.state.queue:
            return self._evening(turn)
        return self._leave(turn)

    def elicit(self, state: GratitudeState) -> Elicits | None:
        return ELICITS.get(state.step)

    # -- leaving a note -----------------------------------------------------------------

    def _leave(self, turn: Turn, *before: Line, left: int = 0) -> Outcome:
        lines = list(before)
        recipient = partner_in_slot(turn, "partner")
        if recipient is None and heard_in_slot(turn, "partner"):
            lines.append(say("gratitude.unknown_name", **both_names(turn)))
        elif recipient is None:
            # With both here (the evening), only this very voice says who is speaking.
            speaker = voice_partner(turn) if in_evening(turn) else present_partner(turn)
            recipient = speaker.other if speaker is not None else None
        heard = turn.slot("note").value if turn.intent is Intent.LEAVE_GRATITUDE else None
        note = cap_text(heard, NOTE_CHARS) if heard else ""
        if recipient is None:
            return Ask(GratitudeState(step=GratitudeStep.AUTHOR, note=note, left=left), *lines)
        if note:
            return self._keep(turn, recipient.other, note, *lines, left=left)
        state = GratitudeState(step=GratitudeStep.NOTE, recipient=recipient, left=left)
        return Ask(state, *lines)

    def _keep(
        self, turn: Turn, author: PartnerIndex, text: str, *before: Line, left: int = 0
    ) -> Outcome:
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
        kept = say("gratitude.kept", recipient=recipient, note=note.text)
        # The other's devices light up once the note is kept (or, once, how to allow it).
        # Imported here: a launch reads this module for its news, never sends alerts.
        from skill.practices.message_alert import alert_for_note

        ring = alert_for_note(turn, note)
        if in_evening(turn):
            # The evening ritual: another thank-you may follow.
            state = GratitudeState(step=GratitudeStep.OFFER_LEAVE, left=left + 1)
            return Ask(state, *before, kept, *ring)
        return Finish(*before, kept, *ring)

    # -- hearing notes ------------------------------------------------------------------

    def hear(self, turn: Turn) -> Outcome:
        present = here_now(turn)
        if present:
            return self.deliver(turn, present, Delivery.ON_REQUEST)
        if not turn.profile.pending_notes:
            return Finish(say("gratitude.no_notes"))
        return Who.asking(Flow.GRATITUDE, Purpose.ON_REQUEST)

    def speaker_known(
        self, turn: Turn, present: tuple[PartnerIndex, ...], purpose: Purpose
    ) -> Outcome:
        """Called through `Who` once the one here (or both) said who they are."""
        delivery = Delivery.AT_LAUNCH if purpose is Purpose.AT_LAUNCH else Delivery.ON_REQUEST
        return self.deliver(turn, present, delivery)

    def deliver(
        self,
        turn: Turn,
        present: Sequence[PartnerIndex],
        delivery: Delivery,
        *before: Line,
    ) -> Outcome:
        """Read fresh notes to each partner here (their recipient), then offer older
        ones with their age, one partner at a time; each note is removed once
        delivered or offered."""
        profile = turn.profile
        waiting = {p: notes_for(profile, p) for p in present}
        lines = list(before)
        for partner, mine in waiting.items():
            fresh = [note for note in mine if is_fresh(note, turn.clock)]
            lines += self._read(turn, fresh, profile.name_of(partner))
        if not any(waiting.values()):
            lines.extend(self._nothing_for(turn, tuple(present), delivery))
        return self._offer_older(turn, tuple(present), delivery, lines)

    def _offer_older(
        self,
        turn: Turn,
        present: tuple[PartnerIndex, ...],
        delivery: Delivery,
        lines: list[Line],
    ) -> Outcome:
        """Offer the older notes of the first partner here who has some; then what
        comes after the delivery."""
        for index, partner in enumerate(present):
            old = notes_for(turn.profile, partner)  # the fresh ones were read already
            if old:
                offer = GratitudeState(
                    step=GratitudeStep.OFFER_OLD,
                    present=partner,
                    upto=old[-1].at,
                    delivery=delivery,
                    after=present[index + 1 :],
                )
                return Ask(offer, *lines)
        return self._after_delivery(delivery, *lines)

    def _nothing_for(
        self, turn: Turn, present: tuple[PartnerIndex, ...], delivery: Delivery
    ) -> list[Line]:
        if len(present) != 1:
            return [] if delivery is Delivery.AT_LAUNCH else [say("gratitude.none_for_both")]
        (partner,) = present
        name = turn.profile.name_of(partner)
        if delivery is Delivery.AT_LAUNCH:
            return [say("who.thanks", name=name)]
        lines = [say("gratitude.none_for_you", name=name)]
        if notes_for(turn.profile, partner.other):
            lines.append(say("gratitude.waiting_for", name=turn.profile.name_of(partner.other)))
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

    # -- the evening ritual: deliver what is waiting, offer to leave one or more -------

    def _evening(self, turn: Turn) -> Outcome:
        # Both have just checked in: both are here.
        both = tuple(PartnerIndex)
        if any(notes_for(turn.profile, p) for p in both):
            return self.deliver(turn, both, Delivery.IN_EVENING)
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
        if state.left:
            return say("gratitude.offer_another"), say("gratitude.offer_leave_reprompt")
        return say("gratitude.offer_leave"), say("gratitude.offer_leave_reprompt")

    def _offer_question(self, turn: Turn, state: GratitudeState) -> tuple[Line, Line]:
        offered = self._offered(turn, state)
        if not offered:
            return say("launch.what_next"), say("launch.menu")
        age = turn.renderer.line(age_line(offered[0], turn.clock))
        if len(offered) == 1:
            author = turn.profile.name_of(offered[0].author)
            question = say("gratitude.offer_one", author=author, age=age)
        else:
            question = say("gratitude.offer_many", count=len(offered), age=age)
        return question, say("gratitude.offer_reprompt")

    def answer(self, turn: Turn, state: GratitudeState) -> Outcome:
        intent = turn.intent
        step = state.step
        if step is GratitudeStep.AUTHOR and intent is Intent.BOTH:
            # One note has one author: who starts?
            return AskAgain(state, say("gratitude.one_author"), missed=True)
        if step is GratitudeStep.AUTHOR and intent is Intent.NAME:
            return self._take_author(turn, state)
        if step is GratitudeStep.NOTE and intent is Intent.NOTE_TEXT:
            heard = turn.slot("note").value
            note = cap_text(heard, NOTE_CHARS) if heard else ""
            if note:
                return self._keep(turn, state.recipient.other, note, left=state.left)
        if step is GratitudeStep.OFFER_OLD and intent in (Intent.YES, Intent.NO):
            return self._answer_offer(turn, state, heard=intent is Intent.YES)
        if step is GratitudeStep.OFFER_LEAVE and intent is Intent.YES:
            return self._leave(turn, left=state.left)
        if step is GratitudeStep.OFFER_LEAVE and intent is Intent.NO:
            return Finish(say("gratitude.all_left" if state.left else "gratitude.maybe_later"))
        return self.unexpected(turn, state)

    def _take_author(self, turn: Turn, state: GratitudeState) -> Outcome:
        author = partner_in_slot(turn, "name")
        recipient = partner_in_slot(turn, "recipient")
        if author is None and recipient is not None:
            # "For Alex": then it is from the other one.
            author = recipient.other
        if author is None:
            if not heard_in_slot(turn, "name"):
                return self.unexpected(turn, state)
            return AskAgain(state, say("gratitude.unknown_name", **both_names(turn)), missed=True)
        turn.state.speaker = author
        if state.note:
            return self._keep(turn, author, state.note, left=state.left)
        return Ask(replace(state, step=GratitudeStep.NOTE, recipient=author.other))

    def _answer_offer(self, turn: Turn, state: GratitudeState, *, heard: bool) -> Outcome:
        offered = self._offered(turn, state)
        name = turn.profile.name_of(state.present)
        if heard:
            lines = self._read(turn, offered, name)
        else:
            self._retire(turn, offered, action="retired")
            lines = [say("gratitude.let_go")]
        return self._offer_older(turn, state.after, state.delivery, lines)

    def stopped(self, turn: Turn, state: GratitudeState) -> list[Line]:
        if state.step is GratitudeStep.OFFER_OLD:
            # Offered is enough: an older note is not offered twice.
            self._retire(turn, self._offered(turn, state), action="retired")
            return []
        if state.step in (GratitudeStep.AUTHOR, GratitudeStep.NOTE):
            return [say("gratitude.not_left")]
        return []


def in_evening(turn: Turn) -> bool:
    """Part of the evening ritual (it waits in the queue)."""
    return Flow.EVENING in turn.state.queue
