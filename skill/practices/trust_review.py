"""The weekly trust review: once a week each partner names one kind thing they saw
the other do; each is kept as a deposit, then the review itself is recorded. The
skill brings it up at launch when it is due; "no" leaves it for next time."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from skill.domain.couple import PartnerIndex, Profile, iso
from skill.domain.events import EventKind
from skill.domain.review import review_due
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.outcomes import Ask, AskAgain, Finish, Menu, Outcome
from skill.practices.who import present_partner, voice_partner
from skill.progress import send_progress
from skill.session import Flow, PracticeState
from skill.speech.render import Card, Line, say
from skill.turn import Turn


class ReviewStep(StrEnum):
    OFFER = "offer"
    SEEN = "seen"


@dataclass(frozen=True, kw_only=True)
class ReviewState(PracticeState):
    flow = Flow.TRUST_REVIEW

    step: ReviewStep
    # Whose turn it is to name a kind thing, who went first, and what each named.
    asked: PartnerIndex = PartnerIndex.FIRST
    order: PartnerIndex = PartnerIndex.FIRST
    seen: dict[PartnerIndex, str] = field(default_factory=dict)


def review_news(turn: Turn) -> Outcome | None:
    """At launch: offer the review when it is due."""
    if not review_due(turn.profile, turn.clock):
        return None
    return Ask(ReviewState(step=ReviewStep.OFFER))


class TrustReview(Practice[ReviewState]):
    flow = Flow.TRUST_REVIEW
    state_type = ReviewState
    speech = "review"
    starts = frozenset({Intent.TRUST_REVIEW})
    answers = frozenset({Intent.NOTE_TEXT, Intent.YES, Intent.NO})

    def start(self, turn: Turn) -> Outcome:
        return self._begin_review(turn)

    def elicit(self, state: ReviewState) -> Elicits | None:
        return (Intent.NOTE_TEXT, "note") if state.step is ReviewStep.SEEN else None

    def _begin_review(self, turn: Turn) -> Outcome:
        # Looking back over the week can take a moment: say so while it loads.
        send_progress(turn, say("progress.review"))
        first = present_partner(turn)
        first = first if first is not None else PartnerIndex.FIRST
        return Ask(ReviewState(step=ReviewStep.SEEN, asked=first, order=first), say("review.intro"))

    def question(self, turn: Turn, state: ReviewState) -> tuple[Line, Line]:
        if state.step is ReviewStep.OFFER:
            return say("review.offer"), say("review.offer_reprompt")
        who = state.asked
        names = {"name": turn.profile.name_of(who), "other": turn.profile.name_of(who.other)}
        return say("review.ask_seen", **names), say("review.ask_seen_reprompt", **names)

    def answer(self, turn: Turn, state: ReviewState) -> Outcome:
        intent = turn.intent
        if state.step is ReviewStep.OFFER:
            if intent is Intent.YES:
                return self._begin_review(turn)
            if intent is Intent.NO:
                # Postponed: nothing is written, so it comes up again next session.
                return Menu(say("review.later"))
            return self.unexpected(turn, state)
        if intent is Intent.NOTE_TEXT:
            from skill.practices.trust_bank import heard_note

            note = heard_note(turn)
            if note is not None:
                return self._take(turn, state, note)
        if intent is Intent.NO:
            return AskAgain(state, say("review.think_small"), missed=True)
        return self.unexpected(turn, state)

    def _take(self, turn: Turn, state: ReviewState, note: str) -> Outcome:
        # Imported here, not at the top: a launch reads this module for its news only.
        from skill.domain.credit import Credit, answerer
        from skill.practices.trust_bank import keep_trust

        # A recognised voice answers as itself, whoever was asked.
        who = answerer(state.asked, voice_partner(turn))
        entry = keep_trust(turn, "deposit", Credit.seen_by(who), note, via="review")
        state = replace(state, seen={**state.seen, who: entry.note})
        waiting = [p for p in (state.asked, state.asked.other) if p not in state.seen]
        if waiting:
            thanks = say("review.thanks_next")
            if who is not state.asked:
                thanks = say("review.taken_as_yours", name=turn.profile.name_of(who))
            return Ask(replace(state, asked=waiting[0]), thanks)
        return self._complete(turn, state)

    def _complete(self, turn: Turn, state: ReviewState) -> Outcome:
        done_at = iso(turn.now)

        def mark_reviewed(profile: Profile) -> None:
            profile.last_review_at = done_at

        turn.change(mark_reviewed)
        turn.record(EventKind.REVIEW, deposits=2)
        order = state.order
        profile = turn.profile
        seen = [(p, state.seen[p]) for p in (order, order.other)]
        lines = [
            say(
                "review.summary", name=profile.name_of(p), other=profile.name_of(p.other), note=note
            )
            for p, note in seen
        ]
        card = Card(
            "review.card_title",
            "\n".join(f"{profile.name_of(p)}: {note}" for p, note in seen),
        )
        return Finish(*lines, say("review.close"), card=card)

    def stopped(self, turn: Turn, state: ReviewState) -> list[Line]:
        done = [p for p in PartnerIndex if p in state.seen]
        if not done:
            return []
        # The deposit is already kept; the review stays due until both have spoken.
        return [say("review.kept_partial", name=turn.profile.name_of(done[0]))]
