"""Us vs. the Issue: name a problem, set the stance (it sits between you, you sit
side by side), hear the core feeling each partner needs protected, collect
cooperative steps, and keep the issue with its steps until it is resolved.

Also answers, from anywhere: which issues are open, "we resolved the holidays
issue", and "what did we agree for the holidays issue?"."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache

from skill.domain.couple import (
    MAX_NAME,
    MAX_STEPS,
    IssueRecord,
    PartnerIndex,
    Profile,
    cap_text,
    iso,
)
from skill.domain.events import EventKind
from skill.domain.spoken_answer import bare_feeling, is_done
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.outcomes import Aside, Ask, AskAgain, Finish, Outcome
from skill.session import Flow, PracticeState
from skill.speech.content import content_for
from skill.speech.render import Line, say
from skill.speech.ssml import Ssml, brk, escape
from skill.turn import Turn

MAX_TITLE = 80
MAX_STEP_TEXT = 150
STANCE_PAUSE_SECONDS = 5.0
# How many issues are read out in a list or a "which one?" question.
MAX_READ_OUT = 4
WORDS_DATA = "issue_words"


class IssueStep(StrEnum):
    TOPIC = "topic"
    FEELING = "feeling"
    STEP = "step"
    MORE = "more"
    # Resolving: which of the open issues?
    WHICH = "which"


# The steps of naming a new issue.
CREATING = frozenset({IssueStep.TOPIC, IssueStep.FEELING, IssueStep.STEP, IssueStep.MORE})
# Where each step's answer may be heard, by slot, most specific first. A bare
# phrase often arrives as FeelingIntent (its "{feeling}" sample takes anything).
FREE_ANSWER_SLOTS: dict[IssueStep, tuple[str, ...]] = {
    IssueStep.TOPIC: ("topic", "note", "feeling", "need", "step"),
    IssueStep.FEELING: ("feeling", "need", "note"),
    IssueStep.STEP: ("step", "note", "topic", "need"),
    IssueStep.MORE: ("step",),
    IssueStep.WHICH: ("topic", "note", "step", "feeling"),
}
# The slot each question asks for (Alexa then listens for that slot's own samples).
ISSUE_ELICITS: dict[IssueStep, Elicits] = {
    IssueStep.TOPIC: (Intent.TOPIC, "topic"),
    IssueStep.FEELING: (Intent.FEELING, "feeling"),
    IssueStep.STEP: (Intent.ISSUE_STEP, "step"),
    # "Another step?" is often answered with the step itself.
    IssueStep.MORE: (Intent.ISSUE_STEP, "step"),
    IssueStep.WHICH: (Intent.TOPIC, "topic"),
}
QUERIES = frozenset({Intent.LIST_ISSUES, Intent.RESOLVE_ISSUE, Intent.ISSUE_AGREEMENT})


@dataclass(frozen=True, kw_only=True)
class IssueState(PracticeState):
    flow = Flow.US_VS_ISSUE

    step: IssueStep = IssueStep.TOPIC
    # The issue being named (kept in the profile as it comes).
    issue_id: str = ""
    title: str = ""
    # Whose core feeling is asked for, and the feelings heard so far.
    asked: PartnerIndex = PartnerIndex.FIRST
    feelings: dict[PartnerIndex, str] = field(default_factory=dict)
    # How many cooperative steps were noted.
    steps: int = 0


class UsVsIssue(Practice[IssueState]):
    flow = Flow.US_VS_ISSUE
    state_type = IssueState
    starts = frozenset({Intent.US_VS_ISSUE, *QUERIES})
    answers = frozenset(
        {
            Intent.TOPIC,
            Intent.NOTE_TEXT,
            Intent.FEELING,
            Intent.NEED,
            Intent.ISSUE_STEP,
            Intent.YES,
            Intent.NO,
        }
    )
    speech = "issue"

    # -- starting ---------------------------------------------------------------------

    def start(self, turn: Turn) -> Outcome:
        intent = turn.intent
        if intent is Intent.LIST_ISSUES:
            return self._answered(*self._list_lines(turn))
        current = _ours(turn.state.current)
        if intent is Intent.RESOLVE_ISSUE:
            if current is not None and current.step is IssueStep.WHICH:
                return self._which(turn, current)
            return self._resolve(turn, turn.slot("topic").value)
        if intent is Intent.ISSUE_AGREEMENT:
            return self._agreement(turn, turn.slot("topic").value)
        if current is not None and current.step in CREATING:
            return AskAgain(current, say("issue.already_on_it"))
        named = turn.slot("topic").value
        if named and cap_text(named, MAX_TITLE):
            # "We keep arguing about money": the issue is named already.
            title = cap_text(named, MAX_TITLE)
            return self._take_topic(turn, IssueState(), title)
        return Ask(IssueState(), say("issue.intro"))

    # -- the step's question -------------------------------------------------------------

    def elicit(self, state: IssueState) -> Elicits | None:
        return ISSUE_ELICITS.get(state.step)

    def question(self, turn: Turn, state: IssueState) -> tuple[Line, Line]:
        if state.step is IssueStep.FEELING:
            name = turn.profile.name_of(state.asked)
            return say("issue.ask_feeling", name=name), say("issue.ask_feeling_reprompt", name=name)
        if state.step is IssueStep.STEP:
            key = "issue.ask_first_step" if state.steps == 0 else "issue.ask_next_step"
            return say(key), say("issue.ask_step_reprompt")
        if state.step is IssueStep.MORE:
            return say("issue.ask_more"), say("issue.ask_more_reprompt", high=MAX_STEPS)
        if state.step is IssueStep.WHICH:
            titles = [issue.title for issue in turn.profile.open_issues()][-MAX_READ_OUT:]
            return (
                say("issue.ask_which", titles=_or_list(turn, titles)),
                say("issue.ask_which_reprompt", last=titles[-1] if titles else ""),
            )
        return say("issue.ask_topic"), say("issue.ask_topic_reprompt")

    # -- answers -------------------------------------------------------------------------

    def answer(self, turn: Turn, state: IssueState) -> Outcome:
        intent = turn.intent
        step = state.step
        if step is IssueStep.MORE and intent is Intent.YES:
            return Ask(replace(state, step=IssueStep.STEP))
        if step is IssueStep.MORE and intent is Intent.NO:
            return self._close(turn, state)
        if step is IssueStep.WHICH:
            return self._which(turn, state)
        # A short free answer may arrive as any of the one-slot intents.
        heard = _free_answer(turn, FREE_ANSWER_SLOTS.get(step, ()))
        if step is IssueStep.MORE and is_done(heard or ""):
            # "Nope, that's it", heard as a step by a recogniser listening for one.
            return self._close(turn, state)
        if step is IssueStep.TOPIC and heard and cap_text(heard, MAX_TITLE):
            return self._take_topic(turn, state, cap_text(heard, MAX_TITLE))
        if step is IssueStep.FEELING and heard and cap_text(heard, MAX_NAME):
            return self._take_feeling(turn, state, cap_text(bare_feeling(heard).lower(), MAX_NAME))
        if step in (IssueStep.STEP, IssueStep.MORE) and heard and cap_text(heard, MAX_STEP_TEXT):
            return self._take_step(turn, state, cap_text(heard, MAX_STEP_TEXT))
        return self.unexpected(turn, state)

    def unexpected(self, turn: Turn, state: IssueState) -> Outcome:
        """The first miss gets a hint on how to answer this step, if there is one."""
        hint = f"issue.hint.{state.step.value}"
        if state.misses == 0 and hint in turn.content.phrases:
            return AskAgain(state, say(hint), missed=True)
        return super().unexpected(turn, state)

    def _take_topic(self, turn: Turn, state: IssueState, title: str) -> Outcome:
        issue_id = _new_issue_id(turn.request_id)
        created = iso(turn.now)

        def open_issue(profile: Profile) -> None:
            profile.upsert_issue(IssueRecord(id=issue_id, title=title, created_at=created))

        turn.change(open_issue)
        named = replace(
            state,
            step=IssueStep.FEELING,
            issue_id=issue_id,
            title=title,
            asked=PartnerIndex.FIRST,
            steps=0,
        )
        stance = say(
            "issue.stance",
            title=title,
            Title=sentence_start(title),
            pause=brk(STANCE_PAUSE_SECONDS),
        )
        return Ask(named, stance)

    def _take_feeling(self, turn: Turn, state: IssueState, feeling: str) -> Outcome:
        who = state.asked
        heard = {**{p: state.feelings[p] for p in PartnerIndex if p < who}, who: feeling}
        feelings = [heard[p] for p in PartnerIndex if p in heard]
        _change_issue(turn, state.issue_id, lambda issue: _set_feelings(issue, feelings))
        thanks = say("issue.feeling_heard", name=turn.profile.name_of(who), feeling=feeling)
        if who is PartnerIndex.FIRST:
            following = replace(state, asked=PartnerIndex.SECOND, feelings=heard)
            return Ask(following, thanks)
        steps = replace(state, step=IssueStep.STEP, feelings={**state.feelings, who: feeling})
        return Ask(steps, thanks, say("issue.steps_intro"))

    def _take_step(self, turn: Turn, state: IssueState, text: str) -> Outcome:
        _change_issue(turn, state.issue_id, lambda issue: _add_step(issue, text))
        more = replace(state, step=IssueStep.MORE, steps=state.steps + 1)
        noted = say("issue.step_noted", step=text)
        if more.steps >= MAX_STEPS:
            return self._close(turn, more, say("issue.steps_full", high=MAX_STEPS))
        return Ask(more, noted)

    def _close(self, turn: Turn, state: IssueState, *before: Line) -> Outcome:
        self._keep(turn, state)
        if state.steps == 0:
            return Finish(*before, say("issue.close_no_steps", title=state.title))
        return Finish(
            *before, _steps_count(state.title, state.steps), say("issue.close", title=state.title)
        )

    def _keep(self, turn: Turn, state: IssueState) -> None:
        today = turn.today

        def mark(profile: Profile) -> None:
            profile.mark_practice(today)

        turn.change(mark)
        turn.record(
            EventKind.ISSUE,
            action="opened",
            issue=state.issue_id,
            title=state.title,
            steps=state.steps,
        )

    def stopped(self, turn: Turn, state: IssueState) -> list[Line]:
        if state.step in CREATING and state.issue_id:
            # The issue and its steps were kept as they came; say so.
            self._keep(turn, state)
            return [say("issue.kept_partial", title=state.title)]
        return []

    # -- open issues: list, resolve, read back ----------------------------------------------

    def _list_lines(self, turn: Turn) -> list[Line]:
        open_issues = turn.profile.open_issues()
        if not open_issues:
            return [say("issue.none_open")]
        shown = open_issues[-MAX_READ_OUT:]
        lines = [
            say(
                "issue.list_one" if len(open_issues) == 1 else "issue.list_many",
                count=len(open_issues),
            )
        ]
        lines += [_steps_count(issue.title, len(issue.steps)) for issue in reversed(shown)]
        if len(open_issues) > len(shown):
            lines.append(say("issue.list_more", count=len(open_issues) - len(shown)))
        return lines

    def _resolve(self, turn: Turn, topic: str | None) -> Outcome:
        open_issues = turn.profile.open_issues()
        if not open_issues:
            return self._answered(say("issue.none_open"))
        found = best_match(open_issues, topic, _ignored_words(turn.locale))
        if found is None and topic is None and len(open_issues) == 1:
            found = open_issues[0]
        if found is not None:
            return self._answered(self._mark_resolved(turn, found))
        current = _ours(turn.state.current)
        before = [say("issue.no_match")] if topic else []
        if current is not None and current.step in CREATING:
            # Mid-way through naming another issue: say which are open, then carry on.
            return AskAgain(current, *before, *self._list_lines(turn), say("issue.resolve_later"))
        return Ask(IssueState(step=IssueStep.WHICH), *before)

    def _which(self, turn: Turn, state: IssueState) -> Outcome:
        if turn.intent is Intent.NO:
            return Finish(say("issue.left_open"))
        heard = _free_answer(turn, FREE_ANSWER_SLOTS[IssueStep.WHICH])
        open_issues = turn.profile.open_issues()
        found = best_match(open_issues, heard, _ignored_words(turn.locale))
        if found is None:
            return self.unexpected(turn, state)
        return Finish(self._mark_resolved(turn, found))

    def _mark_resolved(self, turn: Turn, issue: IssueRecord) -> Line:
        issue_id, resolved_at = issue.id, iso(turn.now)

        def resolve(found: IssueRecord) -> None:
            found.resolved_at = found.resolved_at or resolved_at

        _change_issue(turn, issue_id, resolve)
        turn.record(EventKind.ISSUE, action="resolved", issue=issue_id, title=issue.title)
        return say("issue.resolved", title=issue.title, Title=sentence_start(issue.title))

    def _agreement(self, turn: Turn, topic: str | None) -> Outcome:
        issues = turn.profile.issues
        if not issues:
            return self._answered(say("issue.none_yet"))
        open_first = [*turn.profile.open_issues(), *[i for i in issues if i.resolved_at]]
        matched = best_match(open_first, topic, _ignored_words(turn.locale))
        found = matched or (turn.profile.open_issues() or issues)[-1]
        lines: list[Line] = []
        if topic and matched is None:
            lines.append(say("issue.no_match_latest", title=found.title))
        if not found.steps:
            lines.append(say("issue.agreement_none", title=found.title))
        else:
            lines.append(say("issue.agreement_intro", title=found.title))
            lines += [say("issue.agreement_step", step=text) for text in found.steps]
        if len(found.feelings) == 2 and turn.profile.is_set_up:
            lines.append(
                say(
                    "issue.agreement_feelings",
                    first=turn.profile.name_of(0),
                    second=turn.profile.name_of(1),
                    first_feeling=found.feelings[0],
                    second_feeling=found.feelings[1],
                )
            )
        if found.resolved_at:
            lines.append(say("issue.agreement_resolved"))
        return self._answered(*lines)

    def _answered(self, *lines: Line) -> Outcome:
        """A question answered in passing: go straight back to what was going on
        (an issue being named carries on; another practice, after "where were we")."""
        return Aside(*lines, resuming=True)


def _ours(state: object) -> IssueState | None:
    """The practice going on, when it is this one."""
    return state if isinstance(state, IssueState) else None


# -- matching an issue by the words heard ---------------------------------------------------


def best_match(
    issues: Sequence[IssueRecord], heard: str | None, ignored: frozenset[str]
) -> IssueRecord | None:
    """The one issue sharing the most words with `heard`; None when nothing matches
    or when two issues match equally well."""
    wanted = _words(heard or "", ignored)
    if not wanted:
        return None
    scored = [(len(wanted & _words(issue.title, ignored)), issue) for issue in issues]
    best = max((score for score, _ in scored), default=0)
    if best == 0:
        return None
    winners = [issue for score, issue in scored if score == best]
    return winners[0] if len(winners) == 1 else None


def _words(text: str, ignored: frozenset[str]) -> frozenset[str]:
    tokens = re.findall(r"[^\W_]+", text.casefold())
    return frozenset(_stem(t) for t in tokens if t not in ignored and len(t) > 1)


def _stem(word: str) -> str:
    """A crude plural fold ("holidays" ~ "holiday"), enough for a short title."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@cache
def _ignored_words(locale: str) -> frozenset[str]:
    body = content_for(locale).data.get(WORDS_DATA, {})
    return frozenset(str(w).casefold() for w in body.get("ignore", []))


# -- helpers ----------------------------------------------------------------------------------


def _free_answer(turn: Turn, slots: tuple[str, ...]) -> str | None:
    for slot in slots:
        value = turn.slot(slot).value
        if value and value.strip():
            return value
    return None


def _new_issue_id(request_id: str) -> str:
    return "i" + hashlib.blake2s(request_id.encode(), digest_size=5).hexdigest()


def _change_issue(turn: Turn, issue_id: str, edit: Callable[[IssueRecord], None]) -> None:
    """Edit one issue by id (re-applied cleanly to a fresher profile on a conflict)."""

    def change(profile: Profile) -> None:
        for issue in profile.issues:
            if issue.id == issue_id:
                edit(issue)
                profile.upsert_issue(issue)
                return

    turn.change(change)


def _set_feelings(issue: IssueRecord, feelings: list[str]) -> None:
    issue.feelings = list(feelings)


def _add_step(issue: IssueRecord, text: str) -> None:
    # Idempotent: re-applying the change never adds the same step twice.
    if text not in issue.steps and len(issue.steps) < MAX_STEPS:
        issue.steps = [*issue.steps, text]


def _steps_count(title: str, count: int) -> Line:
    if count == 0:
        return say("issue.entry_no_steps", Title=sentence_start(title))
    if count == 1:
        return say("issue.entry_one_step", Title=sentence_start(title))
    return say("issue.entry_steps", Title=sentence_start(title), count=count)


def sentence_start(title: str) -> str:
    """A title as the start of a sentence: "money for the holidays" -> "Money for...",
    the rest as they said it."""
    return title[:1].upper() + title[1:]


def _or_list(turn: Turn, items: list[str]) -> Ssml:
    """Issue titles as "a, b, or c" in the locale's words (user text escaped)."""
    if len(items) <= 1:
        return escape(items[0] if items else "")
    head = Ssml(", ".join(escape(item) for item in items[:-1]))
    return turn.renderer.line(say("issue.or_list", head=head, last=items[-1]))
