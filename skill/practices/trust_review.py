"""The weekly trust review: once a week each partner names one kind thing they saw
the other do; each is kept as a deposit, then the review itself is recorded. The
skill brings it up at launch when it is due; "no" leaves it for next time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from skill.domain.couple import Profile, iso, parse_iso
from skill.domain.events import EventKind
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.trust_bank import heard_note, keep_trust
from skill.practices.who import present_partner
from skill.progress import send_progress
from skill.session import Flow, Step
from skill.speech.render import Card, Line, Reply, say
from skill.turn import Turn

REVIEW_EVERY = timedelta(days=7)


def review_anchor(profile: Profile) -> datetime | None:
    """Since when the next review is counted: the last review; before the first one,
    the earliest we know of the couple (set-up time, or their first trust entry for a
    profile kept before set-up times were)."""
    if profile.last_review_at:
        return parse_iso(profile.last_review_at)
    known = [entry.at for entry in profile.recent_trust]
    if profile.created_at:
        known.append(profile.created_at)
    return min((parse_iso(at) for at in known), default=None)


def review_due(profile: Profile, now: datetime) -> bool:
    anchor = review_anchor(profile)
    return profile.is_set_up and anchor is not None and now >= anchor + REVIEW_EVERY


def review_news(turn: Turn) -> Reply | None:
    """At launch: offer the review when it is due."""
    if not review_due(turn.profile, turn.now):
        return None
    step = turn.state.start(Flow.TRUST_REVIEW, "offer")
    return TrustReview().ask_again(turn, step)


class TrustReview(Practice):
    flow = Flow.TRUST_REVIEW
    speech = "review"
    starts = frozenset({Intent.TRUST_REVIEW})
    answers = frozenset({Intent.NOTE_TEXT, Intent.YES, Intent.NO})
    elicits: ClassVar[Elicits] = {"seen": (Intent.NOTE_TEXT, "note")}

    def start(self, turn: Turn) -> Reply:
        return self._begin_review(turn)

    def _begin_review(self, turn: Turn) -> Reply:
        # Looking back over the week can take a moment: say so while it loads.
        send_progress(turn, say("progress.review"))
        first = present_partner(turn)
        first = first if first is not None else 0
        step = turn.state.start(Flow.TRUST_REVIEW, "seen", who=first, order=first)
        return self.ask_again(turn, step, say("review.intro"))

    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        if step.step == "offer":
            return say("review.offer"), say("review.offer_reprompt")
        who = int(step.values["who"])
        names = {"name": turn.profile.name_of(who), "other": turn.profile.name_of(1 - who)}
        return say("review.ask_seen", **names), say("review.ask_seen_reprompt", **names)

    def answer(self, turn: Turn, step: Step) -> Reply:
        intent = turn.intent
        if step.step == "offer":
            if intent is Intent.YES:
                return self._begin_review(turn)
            if intent is Intent.NO:
                # Postponed: nothing is written, so it comes up again next session.
                turn.state.current = None
                return Reply.ask(
                    say("review.later"),
                    question=say("launch.what_next"),
                    reprompt=say("launch.menu"),
                )
            return self.unexpected(turn, step)
        if intent is Intent.NOTE_TEXT:
            note = heard_note(turn)
            if note is not None:
                return self._take(turn, step, note)
        if intent is Intent.NO:
            step.misses += 1
            return self.ask_again(turn, step, say("review.think_small"))
        return self.unexpected(turn, step)

    def _take(self, turn: Turn, step: Step, note: str) -> Reply:
        who = int(step.values["who"])
        entry = keep_trust(turn, "deposit", who, note, via="review")
        step.values[f"n{who}"] = entry.note
        other = 1 - who
        if f"n{other}" not in step.values:
            step = turn.state.goto("seen", who=other)
            return self.ask_again(turn, step, say("review.thanks_next"))
        return self._complete(turn, step)

    def _complete(self, turn: Turn, step: Step) -> Reply:
        done_at = iso(turn.now)

        def mark_reviewed(profile: Profile) -> None:
            profile.last_review_at = done_at

        turn.change(mark_reviewed)
        turn.record(EventKind.REVIEW, deposits=2)
        order = int(step.values["order"])
        profile = turn.profile
        seen = [(p, str(step.values[f"n{p}"])) for p in (order, 1 - order)]
        lines = [
            say("review.summary", name=profile.name_of(p), other=profile.name_of(1 - p), note=note)
            for p, note in seen
        ]
        from skill.practices.registry import finish

        reply = finish(turn, *lines, say("review.close"))
        reply.card = Card(
            "review.card_title",
            "\n".join(f"{profile.name_of(p)}: {note}" for p, note in seen),
        )
        return reply

    def stopped(self, turn: Turn, step: Step) -> list[Line]:
        done = [p for p in (0, 1) if f"n{p}" in step.values]
        if not done:
            return []
        # The deposit is already kept; the review stays due until both have spoken.
        return [say("review.kept_partial", name=turn.profile.name_of(done[0]))]
