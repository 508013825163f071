"""When the store fails, the couple hears a kind message, nothing is claimed
saved, and simply saying it again works."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from skill.domain.events import Event, EventKind
from skill.store.base import (
    Commit,
    StoredProfile,
    StoreError,
    StoreUnavailable,
    WriteConflict,
)
from skill.store.memory import MemoryStore
from tests.dialog.harness import Conversation, make_skill, set_up_couple, test_settings


class FaultyStore:
    """A MemoryStore that fails the next N calls of a kind, then behaves."""

    def __init__(self) -> None:
        self.inner = MemoryStore()
        self.fail_loads = 0
        self.fail_commits = 0
        self.error: type[StoreError] = StoreUnavailable

    def load(self, couple_id: str) -> StoredProfile | None:
        if self.fail_loads:
            self.fail_loads -= 1
            raise self.error("injected")
        return self.inner.load(couple_id)

    def commit(self, couple_id: str, base: StoredProfile | None, commit: Commit) -> StoredProfile:
        if self.fail_commits:
            self.fail_commits -= 1
            raise self.error("injected")
        return self.inner.commit(couple_id, base, commit)

    def events(
        self, couple_id: str, kind: EventKind, since: datetime | None = None, limit: int = 50
    ) -> list[Event]:
        return self.inner.events(couple_id, kind, since, limit)

    def delete_couple(self, couple_id: str) -> int:
        return self.inner.delete_couple(couple_id)


@pytest.fixture
def faulty() -> FaultyStore:
    return FaultyStore()


@pytest.fixture
def talk(faulty: FaultyStore, tmp_path: Path) -> Conversation:
    conversation = Conversation(make_skill(faulty, test_settings(tmp_path)))  # type: ignore[arg-type]
    return set_up_couple(conversation)


@pytest.mark.parametrize("error", [StoreUnavailable, WriteConflict])
def test_a_failed_check_in_save_is_never_reported_as_saved(
    talk: Conversation, faulty: FaultyStore, error: type[StoreError]
) -> None:
    talk.intent("CheckInIntent")
    talk.intent("FeelingIntent", feeling="calm")
    talk.intent("NeedIntent", need="rest")
    talk.intent("FeelingIntent", feeling="hopeful")
    faulty.error, faulty.fail_commits = error, 1
    said = talk.intent("NeedIntent", need="a walk")
    assert said.matches("couldn't save|wasn't saved") and said.listening
    assert not said.says("thank you both")
    assert not any(r.need == "a walk" for r in _profile(faulty).recent_check_ins)
    # U: (says it again) -> saved this time, the reflection follows.
    said = talk.intent("NeedIntent", need="a walk")
    assert said.says("a walk") and said.ended
    assert any(r.need == "a walk" for r in _profile(faulty).recent_check_ins)


def test_an_unreachable_store_at_launch_is_answered_kindly_then_recovers(
    talk: Conversation, faulty: FaultyStore
) -> None:
    faulty.fail_loads = 1
    said = talk.launch()
    assert said.matches("can't reach|isn't answering") and said.listening
    assert not said.matches("couldn't save|wasn't saved")
    said = talk.launch()
    assert said.says("silent sync")


def test_a_failed_sync_count_keeps_the_streak_honest(
    talk: Conversation, faulty: FaultyStore
) -> None:
    faulty.fail_commits = 1
    said = talk.intent("SilentSyncIntent", breaths="3")
    assert said.matches("couldn't save|wasn't saved")
    assert ">in<" not in said.ssml
    assert _profile(faulty).sync_count == 0


def _profile(faulty: FaultyStore):  # type: ignore[no-untyped-def]
    stored = faulty.inner.load(next(iter(faulty.inner._profiles)))
    assert stored is not None
    return stored.profile
