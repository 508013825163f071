"""Scripted conversations through the chat's understanding, against the skill in
process (memory store, a local stand-in for the Reminders API)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from eval.chat_driver import Household
from eval.corpus import Scripted
from eval.expectations import Verdict, judge
from skill.app import build_skill
from skill.domain.couple import Profile
from skill.privacy import couple_key
from skill.store.base import Commit
from skill.store.memory import MemoryStore
from skill.turn import Services
from tests.dialog.harness import test_settings
from tests.reminders.fake_alexa import FakeAlexaApi

SECRET = "eval-secret"


@dataclass(frozen=True)
class Outcome:
    id: str
    practice: str
    verdict: Verdict
    heard: tuple[str, ...]


def run(scripts: list[Scripted], locale: str = "en-US") -> list[Outcome]:
    os.environ["STEADY_ALLOW_LOCAL_API"] = "1"
    os.environ["STEADY_ALEXA_API"] = "on"
    from skill.alexa_api import client_from_env

    api = FakeAlexaApi().start()
    try:
        return [_one(script, locale, api, client_from_env()) for script in scripts]
    finally:
        api.stop()
        os.environ["STEADY_ALEXA_API"] = "off"


def _one(script: Scripted, locale: str, api: FakeAlexaApi, client: object) -> Outcome:
    store = MemoryStore()
    with tempfile.TemporaryDirectory() as folder:
        settings = test_settings(Path(folder), user_id_secret_value=SECRET)
        skill = build_skill(Services(settings, lambda _s: store), api_client=client)  # type: ignore[arg-type]
        home = _Home(skill=skill, locale=locale, user_id=f"amzn1.ask.account.{script.id}")
        home.api = api.url
        if script.setup == "couple":
            for line in ("open steady together", "we are alex and sam", "yes", "stop"):
                home.say(line)
            if script.practice == "repair":
                # The repair scripts are of a couple who chose their word already.
                _keep_repair_word(store, couple_key(SECRET.encode(), home.user_id))
        before = len(api.created)
        spoken: list[str] = []
        for turn in script.turns:
            body = home.say(turn.say)
            speech = ((body.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")
            spoken.append(str(speech))
        created = [r.body for r in api.created[before:]]
        couple = couple_key(SECRET.encode(), home.user_id)
        verdict = judge(script.expect, store, couple, spoken, created)
    return Outcome(script.id, script.practice, verdict, tuple(home.heard))


REPAIR_WORD = "pineapple"


def _keep_repair_word(store: MemoryStore, couple: str) -> None:
    def choose(profile: Profile) -> None:
        profile.repair_word = REPAIR_WORD

    store.commit(couple, store.load(couple), Commit(changes=[choose]))


class _Home(Household):
    api: str = ""

    def _common(self, new: bool) -> dict[str, object]:
        return {
            **super()._common(new),
            "api_endpoint": self.api,
            "api_access_token": "eval-token",
            "permissions_consent_token": "eval-consent",
        }
