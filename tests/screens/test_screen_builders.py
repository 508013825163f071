"""The screen builders on a real Turn: the trust week view, the repair screen,
and the breathing start re-estimated when lines come in front."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from skill.audio.pacing import DEFAULT_PACE, NORMAL
from skill.domain.couple import Profile, TrustEntry, TrustKind, iso
from skill.practices.screens import (
    MAX_NOTE_CHARS,
    MAX_WORD_CHARS,
    REPAIR_BREATH,
    REPAIR_SCREEN,
    SYNC_BREATHING,
    TRUST_WEEK_SCREEN,
    align_screens,
    lead_in_ms,
    show_breathing,
    show_check_in,
    show_repair,
    show_trust_week,
)
from skill.speech.render import Line, Reply, say
from skill.speech.ssml import Ssml, audio, brk
from skill.store.memory import MemoryStore
from skill.turn import Services, Turn
from tests.dialog.harness import test_settings
from tests.screens.support import alex_and_sam, assert_bound, turn_for

NOW = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)


@pytest.fixture
def services(tmp_path: Path) -> Services:
    store = MemoryStore()
    return Services(test_settings(tmp_path), lambda _settings: store)


def rendered(directive: object) -> dict[str, Any]:
    """The directive as it goes out in the response JSON."""
    from ask_sdk_core.serialize import DefaultSerializer

    body = DefaultSerializer().serialize(directive)
    assert isinstance(body, dict)
    return body


def trust(*entries: tuple[int, TrustKind, str, int]) -> list[TrustEntry]:
    """(receiver, kind, note, days ago) -> entries, oldest first."""
    return [
        TrustEntry(iso(NOW - timedelta(days=ago)), kind, 1 - receiver, receiver, note)
        for receiver, kind, note, ago in entries
    ]


def with_trust(entries: list[TrustEntry]) -> Callable[[Profile], None]:
    def setup(profile: Profile) -> None:
        alex_and_sam(profile)
        profile.recent_trust = entries

    return setup


def test_trust_week_shows_each_partners_deposits_with_the_latest_example(
    services: Services,
) -> None:
    entries = trust(
        (0, "deposit", "an old kindness", 9),  # outside the week
        (0, "deposit", "made tea when I was stressed", 3),
        (0, "deposit", "listened without fixing", 1),
        (0, "withdrawal", "scrolled while I talked", 1),
        (1, "deposit", "x" * 10_000, 2),
    )
    turn = turn_for(services, apl=True, setup=with_trust(entries), timestamp=NOW)
    reply = Reply.tell(say("trust.balance.ahead"))
    show_trust_week(turn, reply)
    (directive,) = reply.directives
    body = rendered(directive)
    assert body["token"] == TRUST_WEEK_SCREEN
    assert_bound(body)
    data = body["datasources"]["trustWeek"]
    alex, sam = data["partners"]
    assert alex["heading"] == "What Alex noticed from Sam"
    assert alex["deposits"] == 2 and alex["count"] == "2 deposits"
    assert alex["example"] == "“listened without fixing”"
    assert sam["heading"] == "What Sam noticed from Alex" and sam["count"] == "1 deposit"
    assert len(sam["example"]) <= MAX_NOTE_CHARS + 2
    assert data["empty"] == ""


def test_a_quiet_week_says_so_kindly(services: Services) -> None:
    entries = trust((0, "withdrawal", "snapped at me", 1))
    turn = turn_for(services, apl=True, setup=with_trust(entries), timestamp=NOW)
    reply = Reply.tell()
    show_trust_week(turn, reply)
    data = rendered(reply.directives[0])["datasources"]["trustWeek"]
    assert data["empty"] and data["partners"] == []


def test_no_screen_without_apl(services: Services) -> None:
    turn = turn_for(services, apl=False, setup=with_trust([]), timestamp=NOW)
    reply = Reply.tell()
    show_trust_week(turn, reply)
    show_repair(turn, reply)
    show_breathing(turn, reply, NORMAL, 5)
    assert reply.directives == []
    assert not turn.supports("alexa_presentation_apl")


def with_word(word: str | None) -> Callable[[Profile], None]:
    def setup(profile: Profile) -> None:
        alex_and_sam(profile)
        profile.repair_word = word

    return setup


def repair_lines(turn: Turn) -> list[Line]:
    cue_in = turn.renderer.line(say("repair.cue_in"))
    cue_out = turn.renderer.line(say("repair.cue_out"))
    breath = Ssml(f"{cue_in}{brk(3.3)}{cue_out}{brk(5.3)}")
    chime = audio("soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01")
    return [say("repair.arrive", chime=chime), say("repair.breath", breath=breath)]


def test_repair_screen_shows_the_word_and_one_breath_after_the_arrival(
    services: Services,
) -> None:
    turn = turn_for(services, apl=True, setup=with_word("pineapple & <sun>"))
    reply = Reply.ask(*repair_lines(turn), say("repair.invite"), question=say("repair.offer_next"))
    show_repair(turn, reply)
    (directive,) = reply.directives
    body = rendered(directive)
    assert body["token"] == REPAIR_SCREEN
    assert_bound(body)
    data = body["datasources"]["repair"]
    assert data["word"] == "pineapple & <sun>"
    assert data["invite"] == "Breathe together"
    assert data["inhaleMs"] == DEFAULT_PACE.inhale_s * 1000
    assert data["exhaleMs"] == DEFAULT_PACE.exhale_s * 1000
    lead_in = lead_in_ms(turn, reply.lines, REPAIR_BREATH)
    assert lead_in is not None and lead_in > 0
    assert data["startDelayMs"] == lead_in


def test_repair_word_is_capped_and_no_word_means_no_screen(services: Services) -> None:
    turn = turn_for(services, apl=True, setup=with_word("sun " * 100))
    reply = Reply.tell(*repair_lines(turn))
    show_repair(turn, reply)
    data = rendered(reply.directives[0])["datasources"]["repair"]
    assert 0 < len(data["word"]) <= MAX_WORD_CHARS
    turn = turn_for(services, apl=True, setup=with_word(None))
    reply = Reply.tell(*repair_lines(turn))
    show_repair(turn, reply)
    assert reply.directives == []


def test_a_response_carries_one_screen_the_first_attached(services: Services) -> None:
    turn = turn_for(services, apl=True, setup=with_word("pineapple"))
    reply = Reply.tell(*repair_lines(turn))
    show_breathing(turn, reply, NORMAL, 5)
    show_repair(turn, reply)
    show_check_in(turn, reply, [])
    assert len(reply.directives) == 1


def sync_lines(turn: Turn) -> list[Line]:
    cue_in = turn.renderer.line(say("sync.cue_in"))
    cues = Ssml(f"{audio('soundbank://soundlibrary/bell/chimes/chimes_01')}{brk(1)}{cue_in}")
    return [
        say("sync.intro", breaths=5),
        say("sync.breathing", lead=Ssml(""), cues=cues),
        say("sync.close"),
    ]


def test_lines_put_in_front_later_are_counted_by_align_screens(services: Services) -> None:
    turn = turn_for(services, apl=True, setup=alex_and_sam)
    reply = Reply.tell(*sync_lines(turn))
    show_breathing(turn, reply, NORMAL, 5)
    data = rendered(reply.directives[0])["datasources"]["breathing"]
    alone = data["startDelayMs"]
    assert alone > 0 and alone == lead_in_ms(turn, reply.lines, SYNC_BREATHING)
    # Another practice's closing words come first (as registry.begin does).
    reply.lines[0:0] = [say("checkin.close"), say("sync.breaths_limited", low=3, high=10)]
    align_screens(turn, reply)
    data = rendered(reply.directives[0])["datasources"]["breathing"]
    assert data["startDelayMs"] == lead_in_ms(turn, reply.lines, SYNC_BREATHING) > alone + 3_000


def test_lead_in_is_none_without_the_breathing_line(services: Services) -> None:
    turn = turn_for(services, apl=True, setup=alex_and_sam)
    assert lead_in_ms(turn, [say("sync.goodbye")], SYNC_BREATHING) is None


def test_apl_support_is_read_from_the_device_interfaces(services: Services) -> None:
    # context.System.device.supportedInterfaces["Alexa.Presentation.APL"]
    assert turn_for(services, apl=True).supports("alexa_presentation_apl")
    assert not turn_for(services, apl=False).supports("alexa_presentation_apl")
