"""Guards around certificate fetches, so forged requests cannot tie up the workers.

* Single flight: concurrent requests that need the same URL share one fetch; the
  others wait for its result (never longer than the fetch deadline plus a little).
* A bounded number of different URLs are fetched at once; past that, refuse at once.
* Failures are remembered for a short while (bounded, least recently used evicted),
  so a URL that just failed is refused without being fetched again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

T = TypeVar("T")


class FetchRefusedError(Exception):
    """No result for this URL now; `reason` never contains request content."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Flight(Generic[T]):
    done: threading.Event = field(default_factory=threading.Event)
    result: T | None = None
    failure: str | None = None


@dataclass(frozen=True)
class _Failure:
    reason: str
    until: datetime


class FetchGate(Generic[T]):
    """Runs `load()` for a URL at most once at a time, and remembers recent failures."""

    def __init__(
        self,
        *,
        clock: Callable[[], datetime],
        wait_limit: float,
        failure_ttl: timedelta = timedelta(seconds=30),
        max_failures: int = 256,
        max_in_flight: int = 2,
    ) -> None:
        self._clock = clock
        self._wait_limit = wait_limit
        self._failure_ttl = failure_ttl
        self._max_failures = max_failures
        self._max_in_flight = max_in_flight
        self._lock = threading.Lock()
        self._flights: dict[str, _Flight[T]] = {}
        self._failures: OrderedDict[str, _Failure] = OrderedDict()

    def run(self, url: str, load: Callable[[], T], failed: type[Exception]) -> T:
        """The result of `load()` for `url`. A `failed` exception from `load` (its
        `reason` attribute, or its text) is remembered and raised again as FetchRefusedError."""
        with self._lock:
            self._refuse_if_failed_recently(url)
            flight = self._flights.get(url)
            leading = flight is None
            if flight is None:
                if len(self._flights) >= self._max_in_flight:
                    raise FetchRefusedError("too many certificate fetches in progress")
                flight = self._flights[url] = _Flight()
        if leading:
            self._lead(url, flight, load, failed)
        elif not flight.done.wait(self._wait_limit):
            raise FetchRefusedError("the certificate fetch did not finish in time")
        if flight.failure is not None:
            raise FetchRefusedError(flight.failure)
        assert flight.result is not None
        return flight.result

    def _lead(
        self, url: str, flight: _Flight[T], load: Callable[[], T], failed: type[Exception]
    ) -> None:
        try:
            flight.result = load()
        except failed as error:
            flight.failure = str(getattr(error, "reason", error))
        finally:
            with self._lock:
                del self._flights[url]
                if flight.failure is not None or flight.result is None:
                    flight.failure = flight.failure or "the certificate fetch failed"
                    self._remember(url, flight.failure)
            flight.done.set()

    def _refuse_if_failed_recently(self, url: str) -> None:
        failure = self._failures.get(url)
        if failure is None:
            return
        if self._clock() < failure.until:
            self._failures.move_to_end(url)
            raise FetchRefusedError(f"{failure.reason} (a recent failure, not fetched again yet)")
        del self._failures[url]

    def _remember(self, url: str, reason: str) -> None:
        self._failures[url] = _Failure(reason, self._clock() + self._failure_ttl)
        self._failures.move_to_end(url)
        while len(self._failures) > self._max_failures:
            self._failures.popitem(last=False)

    def remembered_failures(self) -> int:
        with self._lock:
            return len(self._failures)

    def in_flight(self) -> int:
        with self._lock:
            return len(self._flights)
