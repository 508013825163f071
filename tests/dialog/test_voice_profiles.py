"""Voice profiles: a recognised voice is asked "Alex or Sam?" once, then greeted
by name and credited without asking; without a profile, the skill asks who is
speaking only when it matters."""

from __future__ import annotations

from ask_sdk_core.skill import CustomSkill

from skill.store.memory import MemoryStore
from tests.dialog.harness import Conversation, profile_of, set_up, set_up_couple

ALEX = "amzn1.ask.person.VOICEALEX"
SAM = "amzn1.ask.person.VOICESAM"


def test_a_new_voice_is_asked_once_then_greeted_by_name(
    skill: CustomSkill, store: MemoryStore
) -> None:
    home = set_up(skill)
    home.person_id = SAM
    # U: open steady together   (Alexa recognises a voice we have not met)
    said = home.launch()
    # A: ... Is this Alex or Sam?
    assert said.says("Alex or Sam") and said.listening
    # U: it's Sam
    said = home.intent("NameIntent", name="Sam")
    assert said.says("Sam") and said.matches("remember your voice|know your voice")
    assert said.listening
    home.intent("AMAZON.StopIntent")
    partners = profile_of(store, home).partners
    assert partners[1].voice_ids and not partners[0].voice_ids
    # Next time: no question, a greeting by name.
    said = home.launch()
    assert said.says("Sam") and not said.says("Alex or Sam")


def test_raw_person_ids_are_not_stored(skill: CustomSkill, store: MemoryStore) -> None:
    home = set_up(skill)
    home.person_id = ALEX
    home.launch()
    home.intent("NameIntent", name="Alex")
    [voice] = profile_of(store, home).partners[0].voice_ids
    assert ALEX not in voice and "VOICEALEX" not in voice


def test_known_voice_goes_first_in_the_check_in(skill: CustomSkill, store: MemoryStore) -> None:
    home = set_up(skill)
    home.person_id = SAM
    home.launch()
    home.intent("NameIntent", name="Sam")
    said = home.intent("CheckInIntent")
    assert said.says("Sam") and not said.says("Alex,")


def test_without_a_profile_launch_does_not_ask_who(conversation: Conversation) -> None:
    set_up_couple(conversation)
    said = conversation.launch()
    assert not said.says("Alex or Sam")


def test_learn_my_voice_on_request(skill: CustomSkill, store: MemoryStore) -> None:
    home = set_up(skill)
    said = home.intent("LinkVoiceIntent")
    assert said.says("voice profile") and said.ended
    home.person_id = ALEX
    said = home.intent("LinkVoiceIntent")
    assert said.says("Alex or Sam")
    said = home.intent("NameIntent", name="Alex")
    assert said.says("Alex") and said.ended
    said = home.intent("LinkVoiceIntent")
    assert said.says("Alex") and said.matches("already know|it's you")
