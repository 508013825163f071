"""The turn's budget (skill.deadline) as the stores use it: a write that met another
device's is tried again after a jittered wait that grows, never past the budget; no
call starts without time for it; Lambda's own timeout shrinks the budget."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from skill.app import turn_budget
from skill.deadline import TURN_BUDGET_S, backoff, budget, time_left
from skill.domain.couple import Profile
from skill.store.base import (
    MAX_WRITE_ATTEMPTS,
    Commit,
    ProfileChange,
    StoreUnavailable,
    WriteConflict,
)
from skill.store.sqlite import SqliteStore

from .backends import CountedStore, MemoryBackend
from .profiles import COUPLE, bump, named


def outrun_by(echo: CountedStore) -> ProfileChange:
    """A change during whose every application the other device commits first."""

    def outrun(profile: Profile) -> None:
        echo.commit(COUPLE, echo.load(COUPLE), Commit([bump]))
        profile.repair_word = "mine"

    return outrun


def test_conflict_retries_wait_a_jittered_and_growing_while(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backend = MemoryBackend()
    phone, echo = backend.open(), backend.open()
    phone.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    ceilings: list[float] = []

    def uniform(low: float, high: float) -> float:
        ceilings.append(high)
        return high / 2

    monkeypatch.setattr("skill.deadline.random.uniform", uniform)
    with pytest.raises(WriteConflict):
        phone.commit(COUPLE, phone.load(COUPLE), Commit([outrun_by(echo)]))
    # Full jitter: a random wait up to a ceiling that doubles, before every retry.
    assert ceilings == [0.1, 0.2, 0.4, 0.8][: MAX_WRITE_ATTEMPTS - 1]


def test_conflict_retries_stop_inside_the_budget() -> None:
    backend = MemoryBackend()
    phone, echo = backend.open(), backend.open()
    phone.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    started = time.monotonic()
    with budget(0.4), pytest.raises(WriteConflict):
        phone.commit(COUPLE, phone.load(COUPLE), Commit([outrun_by(echo)]))
    assert time.monotonic() - started < 0.4
    stored = echo.load(COUPLE)
    assert stored is not None and stored.profile.repair_word is None  # nothing of ours


def test_no_call_starts_without_time_for_it(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "steady.sqlite3")
    with budget(0.01), pytest.raises(StoreUnavailable):
        store.commit(COUPLE, None, Commit([bump]))
    assert store.load(COUPLE) is None


def test_backoff_never_sleeps_into_the_time_kept() -> None:
    with budget(0.05):
        started = time.monotonic()
        assert not backoff(5, keep_s=0.1)
        assert time.monotonic() - started < 0.01
    assert time_left() == float("inf")


class LambdaContext:
    def __init__(self, remaining_ms: int) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def test_the_lambda_timeout_shrinks_the_turn_budget() -> None:
    assert turn_budget(None) == TURN_BUDGET_S
    assert turn_budget(LambdaContext(7000)) == TURN_BUDGET_S
    assert turn_budget(LambdaContext(3000)) == pytest.approx(2.5)
    assert turn_budget(LambdaContext(100)) == 0.0
