"""Gratitude snapshots: a thank-you one partner leaves for the other, kept until the
recipient is there (a recognised voice, or they say who they are) and then read to
them once, with its author's name. A note older than two days is offered with its
age and retired whether heard or not. A note is never read to its author."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from skill.domain.couple import MAX_TEXT, GratitudeNote, Profile, cap_text, iso, parse_iso
from skill.domain.events import EventKind
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.who import (
    Who,
    both_names,
    heard_in_slot,
    partner_in_slot,
    present_partner,
)
from skill.privacy import request_key
from skill.session import Flow, Step
from skill.speech.render import Line, Reply, say
from skill.turn import Turn

FRESH_FOR = timedelta(hours=48)
NOTE_CHARS = MAX_TEXT

# Where a delivery was asked from, which decides what comes after it.
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


def notes_news(turn: Turn) -> Reply | None:
    """At launch: deliver notes to a recognised recipient, or ask who is here."""
    profile = turn.profile
    if not profile.is_set_up or not profile.pending_notes:
        return None
    present = present_partner(turn)
    if present is None:
        return Who.begin(turn, Flow.GRATITUDE, AT_LAUNCH, say("gratitude.note_waiting"))
    if not notes_for(profile, present):
        return None
    return Gratitude().deliver(turn, present, AT_LAUNCH)


class Gratitude(Practice):
    flow = Flow.GRATITUDE
    speech = "gratitude"
    starts = frozenset({Intent.LEAVE_GRATITUDE, Intent.HEAR_NOTES})
    answers = frozenset({Intent.NAME, Intent.NOTE_TEXT, Intent.YES, Intent.NO})
    elicits: ClassVar[Elicits] = {
        "author": (Intent.NAME, "name"),
        "note": (Intent.NOTE_TEXT, "note"),
    }

    def start(self, turn: Turn) -> Reply:
        if turn.intent is Intent.HEAR_NOTES:
            return self.hear(turn)
        if turn.intent is not Intent.LEAVE_GRATITUDE and Flow.EVENING in turn.state.queue:
            return self._evening(turn)
        return self._leave(turn)

    # -- leaving a note -----------------------------------------------------------------

    def _leave(self, turn: Turn, *before: Line) -> Reply:
        lines = list(before)
        recipient = partner_in_slot(turn, "partner")
        if recipient is None and heard_in_slot(turn, "partner"):
            lines.append(say("gratitude.unknown_name", **both_names(turn)))
        elif recipient is None:
            speaker = present_partner(turn)
            recipient = 1 - speaker if speaker is not None else None
        heard = turn.slot("note").value if turn.intent is Intent.LEAVE_GRATITUDE else None
        note = cap_text(heard, NOTE_CHARS) if heard else ""
        if recipient is None:
            extra = {"note": note} if note else {}
            step = turn.state.start(Flow.GRATITUDE, "author", **extra)
            return self.ask_again(turn, step, *lines)
        if note:
            return self._keep(turn, 1 - recipient, note, *lines)
        step = turn.state.start(Flow.GRATITUDE, "note", recipient=recipient)
        return self.ask_again(turn, step, *lines)

    def _keep(self, turn: Turn, author: int, text: str, *before: Line) -> Reply:
        note = GratitudeNote(
            id=request_key(turn.request_id),
            at=iso(turn.now),
            author=author,
            recipient=1 - author,
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
        from skill.practices.registry import finish

        recipient = turn.profile.name_of(note.recipient)
        return finish(turn, *before, say("gratitude.kept", recipient=recipient, note=note.text))

    # -- hearing notes ------------------------------------------------------------------

    def hear(self, turn: Turn) -> Reply:
        present = present_partner(turn)
        if present is not None:
            return self.deliver(turn, present, ON_REQUEST)
        if not turn.profile.pending_notes:
            from skill.practices.registry import finish

            return finish(turn, say("gratitude.no_notes"))
        return Who.begin(turn, Flow.GRATITUDE, ON_REQUEST)

    def speaker_known(self, turn: Turn, speaker: int, purpose: str) -> Reply:
        """Called by `Who` once the one here has said who they are."""
        context = purpose if purpose in (AT_LAUNCH, IN_EVENING) else ON_REQUEST
        return self.deliver(turn, speaker, context)

    def deliver(self, turn: Turn, present: int, context: str, *before: Line) -> Reply:
        """Read fresh notes to `present` (their recipient, never their author), then
        offer older ones with their age; each is removed once delivered or offered."""
        profile = turn.profile
        name = profile.name_of(present)
        mine = notes_for(profile, present)
        fresh = [note for note in mine if is_fresh(note, turn.now)]
        old = [note for note in mine if not is_fresh(note, turn.now)]
        lines = [*before, *self._read(turn, fresh, name)]
        if old:
            step = turn.state.start(
                Flow.GRATITUDE, "offer_old", present=present, upto=old[-1].at, context=context
            )
            return self.ask_again(turn, step, *lines)
        if not mine:
            lines.extend(self._nothing_for(turn, present, context))
        return self._after_delivery(turn, context, *lines)

    def _nothing_for(self, turn: Turn, present: int, context: str) -> list[Line]:
        name = turn.profile.name_of(present)
        if context == AT_LAUNCH:
            return [say("who.thanks", name=name)]
        lines = [say("gratitude.none_for_you", name=name)]
        if notes_for(turn.profile, 1 - present):
            lines.append(say("gratitude.waiting_for", name=turn.profile.name_of(1 - present)))
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

    def _offered(self, turn: Turn, step: Step) -> list[GratitudeNote]:
        """The older notes the pending offer is about (newer ones wait for next time)."""
        upto = parse_iso(str(step.values["upto"]))
        mine = notes_for(turn.profile, int(step.values["present"]))
        return [note for note in mine if parse_iso(note.at) <= upto]

    def _after_delivery(self, turn: Turn, context: str, *lines: Line) -> Reply:
        if context == AT_LAUNCH:
            turn.state.current = None
            from skill.practices.launch_news import launch_news

            news = launch_news(turn)
            if news is not None:
                news.lines[0:0] = list(lines)
                return news
            return Reply.ask(*lines, question=say("launch.what_next"), reprompt=say("launch.menu"))
        if context == IN_EVENING:
            step = turn.state.start(Flow.GRATITUDE, "offer_leave")
            return self.ask_again(turn, step, *lines)
        from skill.practices.registry import finish

        return finish(turn, *lines)

    # -- the evening ritual: deliver what is waiting, offer to leave one -----------------

    def _evening(self, turn: Turn) -> Reply:
        present = present_partner(turn)
        if present is not None and notes_for(turn.profile, present):
            return self.deliver(turn, present, IN_EVENING)
        step = turn.state.start(Flow.GRATITUDE, "offer_leave")
        return self.ask_again(turn, step)

    # -- the questions ------------------------------------------------------------------

    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        if step.step == "author":
            names = both_names(turn)
            return say("gratitude.ask_author", **names), say(
                "gratitude.ask_author_reprompt", **names
            )
        if step.step == "note":
            recipient = turn.profile.name_of(int(step.values["recipient"]))
            return say("gratitude.ask_note", recipient=recipient), say(
                "gratitude.ask_note_reprompt", recipient=recipient
            )
        if step.step == "offer_old":
            return self._offer_question(turn, step)
        return say("gratitude.offer_leave"), say("gratitude.offer_leave_reprompt")

    def _offer_question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        offered = self._offered(turn, step)
        if not offered:
            return say("launch.what_next"), say("launch.menu")
        age = turn.renderer.line(age_line(offered[0], turn.now))
        if len(offered) == 1:
            author = turn.profile.name_of(offered[0].author)
            question = say("gratitude.offer_one", author=author, age=age)
        else:
            question = say("gratitude.offer_many", count=len(offered), age=age)
        return question, say("gratitude.offer_reprompt")

    def answer(self, turn: Turn, step: Step) -> Reply:
        intent = turn.intent
        if step.step == "author" and intent is Intent.NAME:
            return self._take_author(turn, step)
        if step.step == "note" and intent is Intent.NOTE_TEXT:
            heard = turn.slot("note").value
            note = cap_text(heard, NOTE_CHARS) if heard else ""
            if note:
                return self._keep(turn, 1 - int(step.values["recipient"]), note)
        if step.step == "offer_old" and intent in (Intent.YES, Intent.NO):
            return self._answer_offer(turn, step, heard=intent is Intent.YES)
        if step.step == "offer_leave" and intent is Intent.YES:
            return self._leave(turn)
        if step.step == "offer_leave" and intent is Intent.NO:
            from skill.practices.registry import finish

            return finish(turn, say("gratitude.maybe_later"))
        return self.unexpected(turn, step)

    def _take_author(self, turn: Turn, step: Step) -> Reply:
        author = partner_in_slot(turn, "name")
        if author is None:
            if not heard_in_slot(turn, "name"):
                return self.unexpected(turn, step)
            step.misses += 1
            return self.ask_again(turn, step, say("gratitude.unknown_name", **both_names(turn)))
        turn.state.speaker = author
        note = str(step.values.get("note", ""))
        if note:
            return self._keep(turn, author, note)
        step = turn.state.goto("note", recipient=1 - author)
        return self.ask_again(turn, step)

    def _answer_offer(self, turn: Turn, step: Step, *, heard: bool) -> Reply:
        offered = self._offered(turn, step)
        name = turn.profile.name_of(int(step.values["present"]))
        context = str(step.values.get("context", ON_REQUEST))
        if heard:
            lines = self._read(turn, offered, name)
        else:
            self._retire(turn, offered, action="retired")
            lines = [say("gratitude.let_go")]
        return self._after_delivery(turn, context, *lines)

    def stopped(self, turn: Turn, step: Step) -> list[Line]:
        if step.step == "offer_old":
            # Offered is enough: an older note is not offered twice.
            self._retire(turn, self._offered(turn, step), action="retired")
            return []
        if step.step in ("author", "note"):
            return [say("gratitude.not_left")]
        return []
