"""The trust bank: deposits (a kind act one partner noticed in the other) and,
honestly, withdrawals (a moment that felt dismissive), each with who did it, who
noticed it, a short note and the time. "What's our trust balance?" answers with
this week's picture per partner, read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from skill.domain.couple import Profile, TrustEntry, TrustKind, cap_text, iso, parse_iso
from skill.domain.events import EventKind
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.who import both_names, heard_in_slot, partner_in_slot, present_partner
from skill.session import Flow, Step
from skill.speech.render import Line, Reply, say
from skill.turn import Turn

WEEK = timedelta(days=7)
NOTE_CHARS = 160


@dataclass(frozen=True)
class Noticed:
    """What one partner noticed from the other over a window."""

    receiver: int
    giver: int
    deposits: int
    withdrawals: int
    example: str | None  # the latest deposit, in the receiver's own words


def week_picture(profile: Profile, now: datetime) -> list[Noticed]:
    """This week's deposits and withdrawals, per partner who noticed them."""
    since = now - WEEK
    recent = [entry for entry in profile.recent_trust if parse_iso(entry.at) >= since]
    picture = []
    for receiver in (0, 1):
        mine = [entry for entry in recent if entry.receiver == receiver]
        deposits = [entry for entry in mine if entry.kind == "deposit"]
        picture.append(
            Noticed(
                receiver=receiver,
                giver=1 - receiver,
                deposits=len(deposits),
                withdrawals=len(mine) - len(deposits),
                example=deposits[-1].note if deposits else None,
            )
        )
    return picture


def keep_trust(turn: Turn, kind: TrustKind, receiver: int, note: str, via: str) -> TrustEntry:
    """Add one entry to the bank (profile window and event history)."""
    entry = TrustEntry(
        at=iso(turn.now), kind=kind, giver=1 - receiver, receiver=receiver, note=note
    )
    today = turn.today

    def add(profile: Profile) -> None:
        # Idempotent: applying the change again (a replay) adds nothing more.
        if entry not in profile.recent_trust:
            profile.add_trust(entry)
        profile.mark_practice(today)

    turn.change(add)
    turn.record(
        EventKind.TRUST,
        kind=kind,
        giver=entry.giver,
        receiver=receiver,
        note=note,
        via=via,
    )
    return entry


def heard_note(turn: Turn) -> str | None:
    """The note as heard, trimmed to a short bound; None when nothing usable came."""
    raw = turn.slot("note").value
    note = cap_text(raw, NOTE_CHARS) if raw else ""
    return note or None


class Trust(Practice):
    flow = Flow.TRUST
    speech = "trust"
    starts = frozenset({Intent.TRUST_DEPOSIT, Intent.TRUST_WITHDRAWAL, Intent.TRUST_BALANCE})
    answers = frozenset({Intent.NAME, Intent.NOTE_TEXT})
    elicits: ClassVar[Elicits] = {"who": (Intent.NAME, "name"), "note": (Intent.NOTE_TEXT, "note")}

    def start(self, turn: Turn) -> Reply:
        if turn.intent is Intent.TRUST_BALANCE:
            return self.balance(turn)
        kind: TrustKind = "withdrawal" if turn.intent is Intent.TRUST_WITHDRAWAL else "deposit"
        before: list[Line] = [say(f"trust.intro_{kind}")]
        receiver = partner_in_slot(turn, "partner")
        if receiver is None and heard_in_slot(turn, "partner"):
            before.append(say("trust.unknown_name", **both_names(turn)))
        elif receiver is None:
            receiver = present_partner(turn)
        if receiver is None:
            step = turn.state.start(Flow.TRUST, "who", kind=kind)
        else:
            step = turn.state.start(Flow.TRUST, "note", kind=kind, receiver=receiver)
        return self.ask_again(turn, step, *before)

    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        kind = str(step.values.get("kind", "deposit"))
        if step.step == "who":
            names = both_names(turn)
            return say(f"trust.ask_who_{kind}", **names), say("trust.ask_who_reprompt", **names)
        receiver = int(step.values["receiver"])
        names = {
            "receiver": turn.profile.name_of(receiver),
            "giver": turn.profile.name_of(1 - receiver),
        }
        return say(f"trust.ask_note_{kind}", **names), say(
            f"trust.ask_note_{kind}_reprompt", **names
        )

    def answer(self, turn: Turn, step: Step) -> Reply:
        if step.step == "who" and turn.intent is Intent.NAME:
            receiver = partner_in_slot(turn, "name")
            if receiver is not None:
                return self.ask_again(turn, turn.state.goto("note", receiver=receiver))
            if heard_in_slot(turn, "name"):
                step.misses += 1
                return self.ask_again(turn, step, say("trust.unknown_name", **both_names(turn)))
        if step.step == "note" and turn.intent is Intent.NOTE_TEXT:
            note = heard_note(turn)
            if note is not None:
                return self._keep(turn, step, note)
        return self.unexpected(turn, step)

    def _keep(self, turn: Turn, step: Step, note: str) -> Reply:
        kind: TrustKind = "withdrawal" if step.values.get("kind") == "withdrawal" else "deposit"
        entry = keep_trust(turn, kind, int(step.values["receiver"]), note, via="bank")
        from skill.practices.registry import finish

        return finish(
            turn,
            say(
                f"trust.kept_{kind}",
                receiver=turn.profile.name_of(entry.receiver),
                giver=turn.profile.name_of(entry.giver),
                note=entry.note,
            ),
        )

    def stopped(self, turn: Turn, step: Step) -> list[Line]:
        return [say("trust.not_added")]

    # -- the balance: read-only ----------------------------------------------------------

    def balance(self, turn: Turn) -> Reply:
        from skill.practices.screens import show_trust_week

        lines = balance_lines(turn)
        current = turn.state.current
        if current is not None:
            # An aside: answer, then straight back to the question that was pending.
            if turn.state.paused is current:
                turn.state.paused = None
            from skill.practices.registry import practice_for

            reply = practice_for(current.flow).ask_again(turn, current, *lines)
        else:
            from skill.practices.registry import finish

            reply = finish(turn, *lines)
        show_trust_week(turn, reply)
        return reply


def balance_lines(turn: Turn) -> list[Line]:
    """This week's picture, per partner, in their own words; kind when it is empty."""
    profile = turn.profile
    picture = week_picture(profile, turn.now)
    deposits = sum(p.deposits for p in picture)
    withdrawals = sum(p.withdrawals for p in picture)
    if deposits == 0 and withdrawals == 0:
        return [say("trust.balance.empty_week")]
    lines = [_partner_line(profile, noticed) for noticed in picture]
    lines.extend(_harder_line(profile, noticed) for noticed in picture if noticed.withdrawals)
    lines.append(say("trust.balance.ahead" if deposits > withdrawals else "trust.balance.gentle"))
    return lines


def _partner_line(profile: Profile, noticed: Noticed) -> Line:
    names = {"receiver": profile.name_of(noticed.receiver), "giver": profile.name_of(noticed.giver)}
    if noticed.deposits == 0:
        return say("trust.balance.no_deposits", **names)
    example = noticed.example or ""
    if noticed.deposits == 1:
        return say("trust.balance.deposits_one", note=example, **names)
    return say("trust.balance.deposits_many", count=noticed.deposits, note=example, **names)


def _harder_line(profile: Profile, noticed: Noticed) -> Line:
    name = profile.name_of(noticed.receiver)
    if noticed.withdrawals == 1:
        return say("trust.balance.withdrawals_one", receiver=name)
    return say("trust.balance.withdrawals_many", receiver=name, count=noticed.withdrawals)
