"""The turn's time budget, shared by every network call a turn makes (the store, the
Alexa APIs): one deadline per request, in a context variable, that nested budgets
only shrink. Alexa waits about 8 s for an answer; `handle_event` gives a turn
`TURN_BUDGET_S` for its calls, so it answers within 6 s whatever they do."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# What a turn's calls may take together; rendering and everything else fit in the rest
# of the 6 s every turn answers within.
TURN_BUDGET_S = 5.0
ANSWER_WITHIN_S = 6.0

_deadline: ContextVar[float | None] = ContextVar("steady_deadline", default=None)


@contextmanager
def budget(seconds: float) -> Iterator[None]:
    """Every call inside shares at most `seconds` (nested budgets only shrink)."""
    end = time.monotonic() + seconds
    outer = _deadline.get()
    token = _deadline.set(end if outer is None else min(outer, end))
    try:
        yield
    finally:
        _deadline.reset(token)


def deadline() -> float | None:
    """The end of the current budget (time.monotonic()), or None outside any."""
    return _deadline.get()


def time_left() -> float:
    """Seconds left in the current budget; infinity outside any."""
    end = _deadline.get()
    return math.inf if end is None else end - time.monotonic()


def backoff(attempt: int, base_s: float = 0.05, cap_s: float = 1.0, keep_s: float = 0.0) -> bool:
    """Sleep before retry number `attempt` (1, 2, ...): "full jitter", a random wait
    between 0 and base * 2^attempt (at most `cap_s`), never into the last `keep_s` of
    the budget. False, without sleeping, when no time is left for another try."""
    room = time_left() - keep_s
    if room <= 0:
        return False
    wait = random.uniform(0, min(cap_s, base_s * 2**attempt))
    time.sleep(min(wait, room))
    return time_left() > keep_s
