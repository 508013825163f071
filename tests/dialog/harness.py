"""Talk to the skill the way Alexa does: real request envelopes in, real response
JSON out, every answer checked against Alexa's SSML rules and size limits."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from ask_sdk_core.skill import CustomSkill

from skill.app import build_skill, handle_event
from skill.chat import envelopes
from skill.chat.model import load_model, model_path
from skill.chat.nlu import SlotValue, understand
from skill.chat.repl import eliciting_slot
from skill.domain.couple import Profile
from skill.privacy import couple_key, voice_key
from skill.screens.timing import spoken_ms
from skill.settings import Settings
from skill.speech.ssml import check, strip_tags
from skill.store.base import Commit, CoupleStore
from skill.turn import Services
from tests.private_logs import SPOKEN
from tests.ssml.outside_check import remember

MAX_RESPONSE_BYTES = 120 * 1024
# How long a spoken breathing cue ("in", "out") is taken to last: each phase's pause
# is the phase less this, so that every breath lasts exactly one cycle.
CUE_MS = spoken_ms('<prosody rate="slow" volume="soft">in</prosody>')
SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"


def test_settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "table": None,
        "dynamodb_endpoint": None,
        "data_dir": data_dir,
        "skill_id": None,
        "audio_base_url": None,
        "region": "us-east-1",
        "event_ttl_days": 400,
        "user_id_secret_param": None,
        "user_id_secret_value": "test-secret",
    }
    values.update(overrides)
    return Settings(**values)


test_settings.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def make_skill(store: CoupleStore, settings: Settings) -> CustomSkill:
    return build_skill(Services(settings, lambda _settings: store))


def assert_valid_response(body: dict[str, Any]) -> None:
    """Every response: well-formed SSML within Alexa's limits, small enough."""
    raw = json.dumps(body)
    assert len(raw.encode()) < MAX_RESPONSE_BYTES, "response over Alexa's size limit"
    response = body["response"]
    for key in ("outputSpeech", "reprompt"):
        holder = response.get(key)
        speech = holder.get("outputSpeech", holder) if holder else None
        if not speech:
            continue
        assert speech["type"] == "SSML", speech
        remember(speech["ssml"])
        report = check(speech["ssml"])
        assert report.ok, f"{key}: {report.problems}\n{speech['ssml']}"
    if response.get("reprompt"):
        assert response.get("shouldEndSession") is False


def resolve_slot(intent: str, slot: str, value: Any, locale: str) -> Any:
    """A plain string for a custom-typed slot is resolved as Alexa would: a match
    against the model's values and synonyms, or no match."""
    if not isinstance(value, str):
        return value
    model = load_model(model_path(locale))
    declared = model.intent(intent).slot(slot)
    slot_type = model.slot_type(declared.type) if declared else None
    if slot_type is None:
        return value
    wanted = value.strip().lower()
    for candidate in slot_type.values:
        if wanted in (phrase.lower() for phrase in candidate.phrases):
            return SlotValue.match(
                value, slot_type.name, candidate.id or candidate.value, candidate.value
            )
    return SlotValue.no_match(value, slot_type.name)


@dataclass
class Said:
    """What Alexa answered one turn."""

    body: dict[str, Any]

    @property
    def response(self) -> dict[str, Any]:
        return dict(self.body.get("response") or {})

    @property
    def ssml(self) -> str:
        return str((self.response.get("outputSpeech") or {}).get("ssml", ""))

    @property
    def text(self) -> str:
        return strip_tags(self.ssml) if self.ssml else ""

    @property
    def reprompt(self) -> str:
        holder = self.response.get("reprompt") or {}
        return strip_tags(str((holder.get("outputSpeech") or {}).get("ssml", "")))

    @property
    def ended(self) -> bool:
        return self.response.get("shouldEndSession") is True

    @property
    def listening(self) -> bool:
        return self.response.get("shouldEndSession") is False

    @property
    def directives(self) -> list[dict[str, Any]]:
        return list(self.response.get("directives") or [])

    @property
    def card(self) -> dict[str, Any] | None:
        return self.response.get("card")

    def says(self, *fragments: str) -> bool:
        lowered = self.text.lower()
        return all(fragment.lower() in lowered for fragment in fragments)

    def matches(self, pattern: str) -> bool:
        return re.search(pattern, self.text, re.IGNORECASE) is not None


@dataclass
class Conversation:
    """One household talking to the skill across sessions."""

    skill: CustomSkill
    user_id: str = "amzn1.ask.account.TESTCOUPLE"
    locale: str = "en-US"
    person_id: str | None = None
    apl: bool = False
    attributes: dict[str, Any] = field(default_factory=dict)
    new_session: bool = True
    session_number: int = 0
    transcript: list[tuple[str, str]] = field(default_factory=list)
    # The slot the last answer asked for (Dialog.ElicitSlot), as Alexa would hear it.
    eliciting: tuple[str, str] | None = None

    def _common(self) -> dict[str, Any]:
        return {
            "skill_id": SKILL_ID,
            "user_id": self.user_id,
            "session_id": f"amzn1.echo-api.session.test-{self.session_number}",
            "new_session": self.new_session,
            "attributes": self.attributes,
            "locale": self.locale,
            "person_id": self.person_id,
            "apl": self.apl,
        }

    def _send(self, event: dict[str, Any], label: str) -> Said:
        body = handle_event(event, skill=self.skill)
        assert_valid_response(body)
        said = Said(body)
        self.transcript.append((label, said.text))
        self.eliciting = eliciting_slot(said.directives) if said.listening else None
        self.new_session = said.ended
        if said.ended:
            self.attributes = {}
            self.session_number += 1
        else:
            self.attributes = dict(body.get("sessionAttributes") or {})
        return said

    def launch(self) -> Said:
        self.new_session = True
        self.attributes = {}
        return self._send(envelopes.launch_request(**self._common()), "launch")

    def intent(self, intent_name: str, /, **slots: Any) -> Said:
        resolved = {
            slot: resolve_slot(intent_name, slot, value, self.locale)
            for slot, value in slots.items()
        }
        for value in slots.values():
            SPOKEN.add(value)
        event = envelopes.intent_request(intent_name, resolved, **self._common())
        return self._send(event, f"{intent_name} {slots}" if slots else intent_name)

    def say(self, text: str) -> Said:
        """What someone says, heard as Alexa would with this locale's model: the
        intent and slots its samples give (the slot asked for, if one, first)."""
        heard = understand(text, load_model(model_path(self.locale)), eliciting=self.eliciting)
        slots = {name: value for name, value in heard.request_slots().items() if value}
        for value in slots.values():
            SPOKEN.add(value.value)
        event = envelopes.intent_request(heard.intent, heard.request_slots(), **self._common())
        return self._send(event, f"{text!r} -> {heard.intent} {slots}")

    def silence(self) -> Said:
        """No answer: Alexa plays the reprompt (already in the last response) and,
        after a second silence, ends the session."""
        event = envelopes.session_ended_request(reason="EXCEEDED_MAX_REPROMPTS", **self._common())
        body = handle_event(event, skill=self.skill)
        self.attributes, self.new_session = {}, True
        self.session_number += 1
        return Said(body)


C = TypeVar("C", bound=Conversation)


def walk(conv: Conversation, path: Iterable[tuple[str, dict[str, Any]]]) -> Said:
    """Play a path of (intent, slots) turns; "launch" opens the skill, and "voice"
    makes the next turns come from that recognised person. The last answer."""
    said: Said | None = None
    for intent, slots in path:
        if intent == "voice":
            conv.person_id = slots["person"]
            continue
        said = conv.launch() if intent == "launch" else conv.intent(intent, **slots)
    assert said is not None
    return said


def set_up_couple(
    conversation: C, first: str = "Alex", second: str = "Sam", *, end_session: bool = True
) -> C:
    """First use: the couple gives their two names and confirms them; by default the
    session is then closed, so the test starts between sessions."""
    conversation.launch()
    conversation.intent("CoupleNamesIntent", first_name=first, second_name=second)
    assert conversation.intent("AMAZON.YesIntent").says(first, second)
    if end_session:
        conversation.intent("AMAZON.StopIntent")
    return conversation


# -- a household on a clock, and a look at what it stored ---------------------------------

SECRET = b"test-secret"  # test_settings' user-id secret
ALEX_VOICE = "amzn1.ask.person.ALEX"
SAM_VOICE = "amzn1.ask.person.SAM"
# A fixed Monday evening, a few weeks back (events older than their TTL are hidden).
_base = date.today() - timedelta(days=35)
T0 = datetime.combine(_base - timedelta(days=_base.weekday()), time(19, 0), tzinfo=UTC)


@dataclass
class Clocked(Conversation):
    """A household on a clock the test moves."""

    now: datetime = T0

    def _common(self) -> dict[str, Any]:
        return {**super()._common(), "timestamp": self.now}

    def later(self, **delta: float) -> Clocked:
        self.now += timedelta(**delta)
        return self


def set_up(skill: CustomSkill) -> Clocked:
    return set_up_couple(Clocked(skill))


def profile_of(store: CoupleStore, home: Conversation) -> Profile:
    stored = store.load(couple_key(SECRET, home.user_id))
    assert stored is not None
    return stored.profile


def link_voices(store: CoupleStore, home: Conversation) -> None:
    couple = couple_key(SECRET, home.user_id)

    def link(profile: Profile) -> None:
        profile.partners[0].voice_ids = [voice_key(SECRET, ALEX_VOICE)]
        profile.partners[1].voice_ids = [voice_key(SECRET, SAM_VOICE)]

    store.commit(couple, store.load(couple), Commit(changes=[link]))
