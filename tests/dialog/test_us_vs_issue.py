"""Us vs. the Issue, as conversations: name it, set the stance, protect a feeling
each, collect steps, keep it until resolved; list, resolve and read back."""

from __future__ import annotations

from pathlib import Path

from skill.domain.couple import MAX_STEPS, IssueRecord, Profile
from skill.domain.events import EventKind
from skill.practices.us_vs_issue import best_match
from skill.privacy import couple_key
from skill.store.base import CoupleStore
from skill.store.memory import MemoryStore
from skill.store.sqlite import SqliteStore
from tests.dialog.harness import Conversation, make_skill, set_up_couple, test_settings


def profile_of(store: CoupleStore, conv: Conversation) -> Profile:
    stored = store.load(couple_key(b"test-secret", conv.user_id))
    assert stored is not None
    return stored.profile


def issue_events(store: CoupleStore, conv: Conversation) -> list[dict[str, str | int]]:
    events = store.events(couple_key(b"test-secret", conv.user_id), EventKind.ISSUE)
    return [event.data for event in events]


def name_issue(conv: Conversation, topic: str, steps: list[str]) -> None:
    conv.intent("UsVsIssueIntent")
    conv.intent("TopicIntent", topic=topic)
    conv.intent("FeelingIntent", feeling="safe")
    conv.intent("FeelingIntent", feeling="respected")
    for index, step in enumerate(steps):
        if index:
            conv.intent("AMAZON.YesIntent")
        conv.intent("IssueStepIntent", step=step)
    conv.intent("AMAZON.NoIntent")


def run_happy_path(conv: Conversation, store: CoupleStore) -> None:
    # U: us versus the issue
    said = conv.intent("UsVsIssueIntent")
    assert said.listening and said.matches(r"issue|problem")
    # U: it's about money for the holidays
    said = conv.intent("TopicIntent", topic="money for the holidays")
    # A: money for the holidays. Write it down... sit side by side... Alex, what feeling...
    assert said.says("money for the holidays", "side by side", "Alex")
    assert said.matches(r"write")
    assert '<break time="5000ms"/>' in said.ssml
    # U: safe  /  U: respected
    assert conv.intent("FeelingIntent", feeling="safe").says("Alex", "safe", "Sam")
    said = conv.intent("FeelingIntent", feeling="respected")
    assert said.says("Sam", "respected") and said.matches(r"step")
    # U: we could set a budget together on Sunday
    said = conv.intent("IssueStepIntent", step="set a budget together on Sunday")
    assert said.says("set a budget together on Sunday") and said.matches(r"another|other step")
    # U: yes / U: visit one family each year / U: no
    assert conv.intent("AMAZON.YesIntent").matches(r"next step|what else")
    conv.intent("IssueStepIntent", step="visit one family each year")
    said = conv.intent("AMAZON.NoIntent")
    assert said.ended and said.says("money for the holidays", "2 steps")

    [issue] = profile_of(store, conv).issues
    assert issue.title == "money for the holidays"
    assert issue.feelings == ["safe", "respected"]
    assert issue.steps == ["set a budget together on Sunday", "visit one family each year"]
    assert issue.resolved_at is None
    assert [e["action"] for e in issue_events(store, conv)] == ["opened"]
    assert issue_events(store, conv)[0]["steps"] == 2


def test_happy_path(couple: Conversation, store: MemoryStore) -> None:
    run_happy_path(couple, store)


def test_happy_path_on_sqlite(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    conv = Conversation(make_skill(store, test_settings(tmp_path)))
    set_up_couple(conv, end_session=False)
    run_happy_path(conv, store)


def test_silence_gets_a_reprompt_that_adds_an_example(couple: Conversation) -> None:
    said = couple.intent("UsVsIssueIntent")
    assert said.reprompt and said.reprompt not in said.text
    assert "for example" in said.reprompt.lower() or "like" in said.reprompt.lower()
    couple.intent("TopicIntent", topic="chores")
    said = couple.intent("FeelingIntent", feeling="safe")
    assert said.reprompt.startswith("Sam,") and said.reprompt not in said.text


def test_stop_mid_way_keeps_the_issue_with_its_steps(
    couple: Conversation, store: MemoryStore
) -> None:
    couple.intent("UsVsIssueIntent")
    couple.intent("TopicIntent", topic="chores on weekends")
    couple.intent("FeelingIntent", feeling="appreciated")
    couple.intent("FeelingIntent", feeling="free")
    couple.intent("IssueStepIntent", step="make a rota")
    said = couple.intent("AMAZON.StopIntent")
    assert said.ended and said.says("kept", "chores on weekends")
    [issue] = profile_of(store, couple).issues
    assert issue.steps == ["make a rota"] and issue.resolved_at is None
    assert issue_events(store, couple)[0]["steps"] == 1
    assert couple.intent("ListIssuesIntent").says("chores on weekends", "one step")


def test_cancel_before_naming_keeps_nothing(couple: Conversation, store: MemoryStore) -> None:
    couple.intent("UsVsIssueIntent")
    said = couple.intent("AMAZON.CancelIntent")
    assert said.ended
    assert profile_of(store, couple).issues == []


def test_silence_mid_way_keeps_the_issue(couple: Conversation, store: MemoryStore) -> None:
    couple.intent("UsVsIssueIntent")
    couple.intent("TopicIntent", topic="screen time")
    couple.silence()
    assert [i.title for i in profile_of(store, couple).issues] == ["screen time"]


def test_help_mid_flow_then_back_to_the_step(couple: Conversation) -> None:
    couple.intent("UsVsIssueIntent")
    couple.intent("TopicIntent", topic="chores")
    said = couple.intent("AMAZON.HelpIntent")
    assert said.says("core feeling", "Alex")
    assert said.listening
    couple.intent("FeelingIntent", feeling="safe")
    couple.intent("FeelingIntent", feeling="calm")
    said = couple.intent("AMAZON.HelpIntent")
    assert said.says("A step is") and said.matches(r"step")


def test_unexpected_answer_then_a_way_out(couple: Conversation) -> None:
    couple.intent("UsVsIssueIntent")
    first = couple.intent("AMAZON.YesIntent")
    assert first.listening and first.matches(r"issue|problem")
    second = couple.intent("AMAZON.FallbackIntent")
    assert second.says("stop")
    assert couple.intent("TopicIntent", topic="chores").says("chores")


def test_missing_slots_are_asked_again(couple: Conversation, store: MemoryStore) -> None:
    couple.intent("UsVsIssueIntent")
    assert couple.intent("TopicIntent").listening
    couple.intent("TopicIntent", topic="chores")
    assert couple.intent("FeelingIntent").says("Alex")
    couple.intent("FeelingIntent", feeling="safe")
    couple.intent("FeelingIntent", feeling="seen")
    assert couple.intent("IssueStepIntent").matches(r"step")
    assert profile_of(store, couple).issues[0].steps == []


def test_need_phrasing_is_taken_as_the_core_feeling(
    couple: Conversation, store: MemoryStore
) -> None:
    couple.intent("UsVsIssueIntent")
    couple.intent("TopicIntent", topic="chores")
    said = couple.intent("NeedIntent", need="Respected")
    assert said.says("respected", "Sam")


def test_steps_are_capped(couple: Conversation, store: MemoryStore) -> None:
    couple.intent("UsVsIssueIntent")
    couple.intent("TopicIntent", topic="the move")
    couple.intent("FeelingIntent", feeling="safe")
    couple.intent("FeelingIntent", feeling="secure")
    said = couple.intent("IssueStepIntent", step="step 0")
    for n in range(1, MAX_STEPS):
        said = couple.intent("IssueStepIntent", step=f"step {n}")
    assert said.ended and said.says(f"{MAX_STEPS} steps")
    assert len(profile_of(store, couple).issues[0].steps) == MAX_STEPS


def test_list_resolve_and_read_back(couple: Conversation, store: MemoryStore) -> None:
    assert couple.intent("ListIssuesIntent").matches(r"(no|any) open issues")
    name_issue(couple, "money for the holidays", ["set a budget", "alternate the visits"])
    name_issue(couple, "chores on weekends", ["make a rota"])
    writes = store.writes

    # U: what issues do we have?
    said = couple.intent("ListIssuesIntent")
    assert said.says("2 open issues", "money for the holidays", "chores on weekends")
    # U: what did we agree for the holidays issue?
    said = couple.intent("IssueAgreementIntent", topic="the holidays issue")
    assert said.says("set a budget", "alternate the visits", "Alex", "safe", "Sam", "respected")
    assert not said.says("make a rota")
    # U: what did we agree?  (no topic: the latest open issue)
    assert couple.intent("IssueAgreementIntent").says("chores on weekends", "make a rota")
    assert store.writes == writes, "listing and reading back change nothing"

    # U: we resolved the holidays
    said = couple.intent("ResolveIssueIntent", topic="the holiday money")
    assert said.says("money for the holidays", "resolved")
    profile = profile_of(store, couple)
    assert [i.title for i in profile.open_issues()] == ["chores on weekends"]
    actions = sorted(str(e["action"]) for e in issue_events(store, couple))
    assert actions == ["opened", "opened", "resolved"]
    # Resolved issues are still read back, and say so.
    assert couple.intent("IssueAgreementIntent", topic="holidays").says("set a budget", "resolved")
    assert couple.intent("ListIssuesIntent").says("one open issue", "chores on weekends")


def test_resolve_without_a_topic_asks_which(couple: Conversation, store: MemoryStore) -> None:
    name_issue(couple, "money for the holidays", ["set a budget"])
    name_issue(couple, "chores on weekends", ["make a rota"])
    # U: the issue is resolved
    said = couple.intent("ResolveIssueIntent")
    assert said.listening and said.says("money for the holidays", "chores on weekends")
    assert said.reprompt and said.reprompt not in said.text
    # U: chores
    said = couple.intent("TopicIntent", topic="the chores")
    assert said.says("chores on weekends", "resolved")
    assert [i.title for i in profile_of(store, couple).open_issues()] == ["money for the holidays"]


def test_resolve_an_unknown_topic_asks_which_then_no_leaves_them_open(
    couple: Conversation, store: MemoryStore
) -> None:
    name_issue(couple, "money for the holidays", ["set a budget"])
    name_issue(couple, "chores on weekends", ["make a rota"])
    said = couple.intent("ResolveIssueIntent", topic="the car")
    assert said.says("not sure which") or said.says("couldn't tell")
    assert couple.intent("AMAZON.NoIntent").says("open")
    assert len(profile_of(store, couple).open_issues()) == 2


def test_the_only_open_issue_is_resolved_without_asking(
    couple: Conversation, store: MemoryStore
) -> None:
    name_issue(couple, "screen time", ["phones away at dinner"])
    said = couple.intent("ResolveIssueIntent")
    assert said.says("screen time", "resolved")
    assert profile_of(store, couple).open_issues() == []


def test_a_question_mid_check_in_goes_straight_back(couple: Conversation) -> None:
    name_issue(couple, "chores", ["make a rota"])
    couple.intent("CheckInIntent")
    # U: what are our open issues?   (mid check-in)
    said = couple.intent("ListIssuesIntent")
    assert said.says("chores", "Alex") and said.listening
    # The check-in carries on.
    assert couple.intent("FeelingIntent", feeling="calm").matches(r"need|help you")


def test_lets_continue_after_an_interruption(couple: Conversation) -> None:
    couple.intent("UsVsIssueIntent")
    couple.intent("TopicIntent", topic="chores")
    couple.intent("SilentSyncIntent")
    assert couple.intent("AMAZON.NoIntent").says("your issue")
    said = couple.intent("ContinueIntent")
    assert said.says("Alex") and said.listening
    assert couple.intent("FeelingIntent", feeling="safe").says("Sam")


def test_user_text_is_escaped_and_capped(couple: Conversation, store: MemoryStore) -> None:
    couple.intent("UsVsIssueIntent")
    said = couple.intent("TopicIntent", topic='Money & <holidays> "again"')
    assert "Money &amp; &lt;holidays&gt;" in said.ssml
    assert said.says('Money & <holidays> "again"')
    couple.intent("FeelingIntent", feeling="safe")
    couple.intent("FeelingIntent", feeling="x" * 10_000)
    said = couple.intent("IssueStepIntent", step="talk " * 2_000)
    assert said.listening
    [issue] = profile_of(store, couple).issues
    assert issue.title == 'Money & <holidays> "again"'
    assert len(issue.feelings[1]) <= 40
    assert len(issue.steps[0]) <= 150


def test_a_ten_thousand_character_topic_is_capped(couple: Conversation, store: MemoryStore) -> None:
    couple.intent("UsVsIssueIntent")
    assert couple.intent("TopicIntent", topic="a" * 10_000).listening
    assert len(profile_of(store, couple).issues[0].title) <= 80


def test_best_match_is_by_words_and_refuses_ties() -> None:
    ignored = frozenset({"the", "about", "issue"})
    issues = [
        IssueRecord("a", "money for the holidays", "2026-01-01T00:00:00"),
        IssueRecord("b", "chores on weekends", "2026-01-01T00:00:00"),
        IssueRecord("c", "money for the car", "2026-01-01T00:00:00"),
    ]
    assert best_match(issues, "the holiday issue", ignored) is issues[0]
    assert best_match(issues, "weekend chores", ignored) is issues[1]
    assert best_match(issues, "money", ignored) is None
    assert best_match(issues, "the issue", ignored) is None
    assert best_match(issues, None, ignored) is None


def test_bare_answers_heard_as_other_intents_are_taken(
    couple: Conversation, store: MemoryStore
) -> None:
    # A bare phrase often reaches the skill as FeelingIntent (its "{feeling}" sample).
    couple.intent("UsVsIssueIntent")
    said = couple.intent("FeelingIntent", feeling="chores")
    assert said.says("chores", "Alex")
    couple.intent("FeelingIntent", feeling="safe")
    couple.intent("FeelingIntent", feeling="free")
    # U: done   (heard as a feeling word, when a step is asked for): a hint, no step
    said = couple.intent("FeelingIntent", feeling="done")
    assert said.says("we could") and said.listening
    assert profile_of(store, couple).issues[0].steps == []
    couple.intent("NoteTextIntent", note="take turns cooking")
    couple.intent("AMAZON.NoIntent")
    name_issue(couple, "money for the holidays", ["set a budget"])
    couple.intent("ResolveIssueIntent")
    said = couple.intent("FeelingIntent", feeling="chores")
    assert said.says("chores", "resolved")
