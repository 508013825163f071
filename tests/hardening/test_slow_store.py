"""Every turn answers in time whatever DynamoDB does, and nothing is claimed saved
that was not. DynamoDB here is moto behind a proxy that holds every request 1.3 s (as
slow as issue 18 measured it: 1.3 s more a call, here 1.6 s, so that without the budget
a turn that meets the other device's write takes 6.4 s or more), with two devices of one
household saving at once:
their store calls share the turn's budget (`skill.deadline`), and a write that meets
the other device's is tried again after a jittered wait only while the budget allows."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.deadline import ANSWER_WITHIN_S
from skill.domain.events import EventKind
from skill.privacy import couple_key
from skill.store.dynamo import DynamoStore
from tests.dialog.harness import SECRET, Conversation, make_skill, set_up_couple, test_settings
from tests.fixtures.moto_server import DynamoTable

pytestmark = pytest.mark.dynamodb

# STEADY_TEST_SLOW_S=1.3 re-runs issue 18's own figure.
SLOW_S = float(os.environ.get("STEADY_TEST_SLOW_S", "1.6"))


class SlowProxy:
    """A TCP proxy to `upstream` that holds each request `delay_s` before passing it
    on (the answer comes back as fast as the server gives it)."""

    def __init__(self, upstream: str) -> None:
        host, port = upstream.removeprefix("http://").split(":")
        self._upstream = (host, int(port))
        self.delay_s = 0.0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._running = True
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def close(self) -> None:
        self._running = False
        self._listener.close()

    def _accept(self) -> None:
        while self._running:
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(self._upstream)
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, hold: bool) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if hold and self.delay_s:
                    time.sleep(self.delay_s)
                    source.settimeout(0.01)  # the rest of this request, if it came apart
                    with contextlib.suppress(TimeoutError):
                        while more := source.recv(65536):
                            data += more
                    source.settimeout(None)
                target.sendall(data)
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()


@pytest.fixture
def slow_dynamo(dynamo_table: DynamoTable) -> Iterator[tuple[SlowProxy, DynamoTable]]:
    proxy = SlowProxy(dynamo_table.endpoint)
    yield proxy, dynamo_table
    proxy.close()


def device(
    proxy: SlowProxy, table: DynamoTable, tmp_path: Path
) -> tuple[Conversation, DynamoStore]:
    store = DynamoStore(table.name, region=table.region, endpoint=proxy.endpoint)
    return Conversation(make_skill(store, test_settings(tmp_path))), store


def test_with_dynamodb_slow_and_two_devices_every_turn_answers_in_time(
    slow_dynamo: tuple[SlowProxy, DynamoTable], tmp_path: Path
) -> None:
    proxy, table = slow_dynamo
    phone, store = device(proxy, table, tmp_path)
    echo, _ = device(proxy, table, tmp_path)
    set_up_couple(phone)
    # Each device asks for a deposit (A: "What did Sam do?") ...
    phone.intent("TrustDepositIntent", partner="Sam")
    echo.intent("TrustDepositIntent", partner="Alex")
    proxy.delay_s = SLOW_S
    # ... and both answer at the same moment: both read, both write, one of the two
    # writes meets the other's and has to read and write again.
    together = threading.Barrier(2)
    timings: dict[str, float] = {}
    claimed: dict[str, bool] = {}

    def answer(home: Conversation, note: str) -> None:
        together.wait()
        started = time.monotonic()
        said = home.intent("NoteTextIntent", note=note)
        timings[note] = time.monotonic() - started
        claimed[note] = said.ended and said.says(note)
        if not claimed[note]:
            assert said.matches("couldn't save|wasn't saved|can't reach|isn't answering")

    devices = [
        threading.Thread(target=answer, args=(phone, "made tea")),
        threading.Thread(target=answer, args=(echo, "took the bins out")),
    ]
    for thread in devices:
        thread.start()
    for thread in devices:
        thread.join()

    assert len(timings) == 2
    assert max(timings.values()) < ANSWER_WITHIN_S, timings
    proxy.delay_s = 0.0
    stored = {
        str(e.data.get("note"))
        for e in store.events(couple_key(SECRET, phone.user_id), EventKind.TRUST)
    }
    # Whatever was said to be saved is stored; the first write always lands.
    assert {note for note, saved in claimed.items() if saved} <= stored
    assert any(claimed.values())
