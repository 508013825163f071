"""The trust bank: deposits (a kind act one partner noticed in the other) and,
honestly, withdrawals (a moment that felt dismissive), each with who did it, who
noticed it, a short note and the time. Who is who follows one rule
(`skill.domain.credit`): the partner named is the one who acted, the recognised
voice (else the other partner) the one who noticed; when that does not settle it,
one question does. "What's our trust balance?" answers with this week's picture per
partner, read-only."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from skill.domain.couple import PartnerIndex, Profile, TrustEntry, TrustKind, cap_text, iso
from skill.domain.credit import Credit, credit
from skill.domain.events import EventKind
from skill.domain.trust import Noticed, week_picture
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.outcomes import Aside, Ask, AskAgain, Finish, Outcome
from skill.practices.screens import trust_week_screen
from skill.practices.who import both_names, heard_in_slot, partner_in_slot, voice_partner
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.turn import Turn

NOTE_CHARS = 160


def keep_trust(turn: Turn, kind: TrustKind, moment: Credit, note: str, via: str) -> TrustEntry:
    """Add one entry to the bank (profile window and event history): `giver` is the
    one who acted, `receiver` the one who noticed."""
    entry = TrustEntry(
        at=iso(turn.now),
        kind=kind,
        giver=int(moment.acted),
        receiver=int(moment.noticed),
        note=note,
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
        receiver=entry.receiver,
        note=note,
        via=via,
    )
    return entry


def heard_note(turn: Turn) -> str | None:
    """The note as heard, trimmed to a short bound; None when nothing usable came."""
    raw = turn.slot("note").value
    note = cap_text(raw, NOTE_CHARS) if raw else ""
    return note or None


class TrustStep(StrEnum):
    WHO = "who"
    NOTE = "note"


@dataclass(frozen=True, kw_only=True)
class TrustState(PracticeState):
    flow = Flow.TRUST
    version = 2

    step: TrustStep
    kind: TrustKind = "deposit"
    # Who did it (the other partner noticed it); asked for when not known.
    acted: PartnerIndex = PartnerIndex.SECOND
    # What happened, when it came with the request ("...because he made dinner"):
    # kept once we know who, rather than asked for again.
    note: str | None = None

    @property
    def moment(self) -> Credit:
        return Credit.by(self.acted)


ELICITS: dict[TrustStep, Elicits] = {
    TrustStep.WHO: (Intent.NAME, "name"),
    TrustStep.NOTE: (Intent.NOTE_TEXT, "note"),
}


class Trust(Practice[TrustState]):
    flow = Flow.TRUST
    state_type = TrustState
    speech = "trust"
    starts = frozenset({Intent.TRUST_DEPOSIT, Intent.TRUST_WITHDRAWAL, Intent.TRUST_BALANCE})
    answers = frozenset({Intent.NAME, Intent.NOTE_TEXT})

    def start(self, turn: Turn) -> Outcome:
        if turn.intent is Intent.TRUST_BALANCE:
            return self.balance(turn)
        kind: TrustKind = "withdrawal" if turn.intent is Intent.TRUST_WITHDRAWAL else "deposit"
        before: list[Line] = [say(f"trust.intro_{kind}")]
        named = partner_in_slot(turn, "partner")
        voice = voice_partner(turn)
        if named is None and heard_in_slot(turn, "partner"):
            # A name we do not know: say whom we know, and ask rather than guess.
            before.append(say("trust.unknown_name", **both_names(turn)))
            voice = None
        moment = credit(named, voice)
        note = heard_note(turn)
        if moment is None:
            return Ask(TrustState(step=TrustStep.WHO, kind=kind, note=note), *before)
        state = TrustState(step=TrustStep.NOTE, kind=kind, acted=moment.acted)
        if note is not None:
            return self._keep(turn, state, note)
        return Ask(state, *before)

    def elicit(self, state: TrustState) -> Elicits | None:
        return ELICITS.get(state.step)

    def question(self, turn: Turn, state: TrustState) -> tuple[Line, Line]:
        kind = state.kind
        if state.step is TrustStep.WHO:
            names = both_names(turn)
            return say(f"trust.ask_who_{kind}", **names), say(
                f"trust.ask_who_{kind}_reprompt", **names
            )
        moment = state.moment
        names = {
            "receiver": turn.profile.name_of(moment.noticed),
            "giver": turn.profile.name_of(moment.acted),
        }
        return say(f"trust.ask_note_{kind}", **names), say(
            f"trust.ask_note_{kind}_reprompt", **names
        )

    def answer(self, turn: Turn, state: TrustState) -> Outcome:
        if state.step is TrustStep.WHO and turn.intent is Intent.NAME:
            named = partner_in_slot(turn, "name")
            if named is not None:
                # A deposit asks who did the kind thing; a withdrawal, who felt it.
                moment = Credit.by(named) if state.kind == "deposit" else Credit.seen_by(named)
                known = replace(state, step=TrustStep.NOTE, acted=moment.acted, note=None)
                if state.note is not None:
                    return self._keep(turn, known, state.note)
                return Ask(known)
            if heard_in_slot(turn, "name"):
                return AskAgain(state, say("trust.unknown_name", **both_names(turn)), missed=True)
        if state.step is TrustStep.NOTE and turn.intent is Intent.NOTE_TEXT:
            note = heard_note(turn)
            if note is not None:
                return self._keep(turn, state, note)
        return self.unexpected(turn, state)

    def _keep(self, turn: Turn, state: TrustState, note: str) -> Outcome:
        entry = keep_trust(turn, state.kind, state.moment, note, via="bank")
        return Finish(
            say(
                f"trust.kept_{state.kind}",
                receiver=turn.profile.name_of(entry.receiver),
                giver=turn.profile.name_of(entry.giver),
                note=entry.note,
            ),
        )

    def stopped(self, turn: Turn, state: TrustState) -> list[Line]:
        return [say("trust.not_added")]

    # -- the balance: read-only ----------------------------------------------------------

    def balance(self, turn: Turn) -> Outcome:
        """An aside: answer, then straight back to the question that was pending."""
        return Aside(*balance_lines(turn), directives=[trust_week_screen(turn)])


def balance_lines(turn: Turn) -> list[Line]:
    """This week's picture, per partner, in their own words; kind when it is empty."""
    profile = turn.profile
    picture = week_picture(profile, turn.clock)
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
