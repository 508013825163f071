"""The skill as the platform meets it: hosted audio cues, routines and one-shots
from a cold start, the skill id, and bounded session attributes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ask_sdk_core.skill import CustomSkill

from skill.app import handle_event
from skill.audio.pacing import PACES, all_tracks, sync_track_name
from skill.chat import envelopes
from skill.session import MAX_SESSION_BYTES, MAX_VALUE_CHARS, Flow, PracticeState, SessionState
from skill.speech.ssml import check
from skill.store.memory import MemoryStore
from skill.web.server import create_app
from tests.dialog.harness import Conversation, make_skill, set_up_couple, test_settings

CDN = "https://cdn.example.com/audio"


def test_silent_sync_plays_the_hosted_track_when_audio_is_configured(tmp_path: Path) -> None:
    skill = make_skill(MemoryStore(), test_settings(tmp_path, audio_base_url=CDN))
    home = set_up_couple(Conversation(skill))
    said = home.intent("SilentSyncIntent", breaths="7", pace="slower")
    track = sync_track_name(PACES["slower"], 7)
    assert f'src="{CDN}/{track}' in said.ssml
    assert ">in<" not in said.ssml  # the tones pace the breath, not spoken cues
    seconds = {
        src: all_tracks()[track] / 1000 for src in [f"{CDN}/{track}.mp3"] if track in all_tracks()
    }
    report = check(said.ssml, seconds)
    assert report.ok and report.audio_clips <= 5


def test_silent_sync_falls_back_to_breaks_and_sound_library_chimes(couple: Conversation) -> None:
    said = couple.intent("SilentSyncIntent")
    assert "soundbank://soundlibrary/" in said.ssml and "https://" not in said.ssml
    assert said.ssml.count(">in<") == 5


def test_evening_ritual_from_a_routine_runs_to_good_night(couple: Conversation) -> None:
    # An Alexa routine sends the intent in a brand-new session.
    couple.new_session = True
    said = couple.intent("EveningRitualIntent")
    assert said.says("Alex") and said.listening
    couple.intent("FeelingIntent", feeling="content")
    couple.intent("NeedIntent", need="an early night")
    couple.intent("FeelingIntent", feeling="tired")
    said = couple.intent("NeedIntent", need="a foot rub")
    # Check-in reflected, then gratitude: would either of you like to leave a thank-you?
    assert said.says("an early night", "a foot rub") and said.listening
    said = couple.intent("AMAZON.NoIntent")
    # Then the Silent Sync, and good night, all in one go.
    assert said.ssml.count(">in<") == 5
    assert said.ended and said.matches("good night|sleep well")


def test_evening_ritual_can_be_left_at_any_step(couple: Conversation) -> None:
    couple.intent("EveningRitualIntent")
    said = couple.intent("AMAZON.StopIntent")
    assert said.ended
    said = couple.launch()
    assert said.listening and not said.says("feeling")


def test_one_shot_repair_word_from_a_cold_start(couple: Conversation) -> None:
    couple.intent("RepairPhraseIntent", phrase="pineapple")
    couple.intent("AMAZON.YesIntent")
    couple.intent("AMAZON.YesIntent")
    couple.intent("AMAZON.StopIntent")
    # "Alexa, tell steady together pineapple": a new session, the word as said.
    couple.new_session = True
    said = couple.intent("SayRepairWordIntent", repair_word="pineapple")
    assert "soundbank://" in said.ssml or "https://" in said.ssml  # the soft chime
    assert said.matches("breath|breathe")


def test_one_shot_silent_sync_from_a_cold_start(couple: Conversation) -> None:
    couple.new_session = True
    said = couple.intent("SilentSyncIntent", breaths="3")
    assert said.ssml.count(">in<") == 3


def test_web_service_refuses_another_skills_request(tmp_path: Path) -> None:
    ours = "amzn1.ask.skill.ours"
    skill: CustomSkill = make_skill(MemoryStore(), test_settings(tmp_path, skill_id=ours))
    client = create_app(lambda event: handle_event(event, skill=skill), verifier=None).test_client()
    theirs = client.post("/", json=envelopes.launch_request(skill_id="amzn1.ask.skill.theirs"))
    assert theirs.status_code == 400
    mine = client.post("/", json=envelopes.launch_request(skill_id=ours))
    assert mine.status_code == 200


class _RoomyStep(StrEnum):
    ANY = "any"


@dataclass(frozen=True, kw_only=True)
class _RoomyState(PracticeState):
    """A practice state as large as a practice would keep: a dozen texts."""

    flow = Flow.CHECK_IN

    step: _RoomyStep = _RoomyStep.ANY
    texts: tuple[str, ...] = ()


def test_session_attributes_stay_small_when_a_paused_practice_and_a_long_question_pile_up() -> None:
    # Practices keep at most a dozen values, each capped at MAX_VALUE_CHARS.
    state = SessionState(
        current=_RoomyState(texts=("x" * MAX_VALUE_CHARS,) * 12),
        paused=_RoomyState(texts=("y" * MAX_VALUE_CHARS,) * 12),
        last_question="z" * 5000,
    )
    attributes = state.to_attributes()
    assert len(json.dumps(attributes)) <= MAX_SESSION_BYTES
    restored = SessionState.from_attributes(attributes, {Flow.CHECK_IN: _RoomyState})
    # What goes first is what matters least: the repeat text, then the paused practice.
    assert restored.current is not None and restored.paused is None
