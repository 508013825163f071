"""DynamoDB round-trips per turn, counted as they leave botocore: at most one read
and one write per turn, none written by a turn that only reads, and no read at all
for a turn that needs no state."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.store.dynamo import DynamoStore
from tests.dialog.harness import Conversation, Said, make_skill, test_settings
from tests.fixtures.moto_server import DynamoTable

pytestmark = pytest.mark.dynamodb


class Counted:
    def __init__(self, store: DynamoStore, conversation: Conversation) -> None:
        self.store, self.conversation = store, conversation
        self.turns: dict[str, tuple[int, int]] = {}

    def turn(self, label: str, intent: str | None = None, **slots: str) -> Said:
        reads, writes = self.store.reads, self.store.writes
        if intent is None:
            said = self.conversation.launch()
        else:
            said = self.conversation.intent(intent, **slots)
        self.turns[label] = (self.store.reads - reads, self.store.writes - writes)
        return said


def test_round_trips_per_turn_type(dynamo_table: DynamoTable, tmp_path: Path) -> None:
    store = DynamoStore(
        dynamo_table.name, region=dynamo_table.region, endpoint=dynamo_table.endpoint
    )
    home = Counted(store, Conversation(make_skill(store, test_settings(tmp_path))))
    home.turn("first launch")
    home.turn("names", "CoupleNamesIntent", first_name="Alex", second_name="Sam")
    home.turn("names confirmed", "AMAZON.YesIntent")
    home.turn("stop", "AMAZON.StopIntent")
    home.turn("launch")
    home.turn("check-in start", "CheckInIntent")
    home.turn("check-in feeling", "FeelingIntent", feeling="calm")
    home.turn("check-in need", "NeedIntent", need="rest")
    home.turn("check-in feeling 2", "FeelingIntent", feeling="hopeful")
    home.turn("check-in last answer", "NeedIntent", need="a walk")
    home.turn("deposit", "TrustDepositIntent", partner="Alex")
    home.turn("deposit note", "NoteTextIntent", note="made tea")
    home.turn("balance", "TrustBalanceIntent")
    home.turn("silent sync", "SilentSyncIntent")
    home.turn("help mid-flow", "AMAZON.HelpIntent")
    home.turn("no more", "AMAZON.NoIntent")
    home.turn("streak", "StreakIntent")

    for label, (reads, writes) in home.turns.items():
        assert reads <= 1, f"{label}: {reads} reads"
        assert writes <= 1, f"{label}: {writes} writes"
    saving = {"names confirmed", "check-in last answer", "deposit note", "silent sync"}
    for label in saving:
        assert home.turns[label] == (1, 1), (label, home.turns[label])
    for label in set(home.turns) - saving:
        assert home.turns[label][1] == 0, f"{label} wrote"
    # Turns that need no couple state read nothing.
    assert home.turns["names"] == (0, 0)
    assert home.turns["no more"] == (0, 0)
