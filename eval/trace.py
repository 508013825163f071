"""One scripted conversation, turn by turn, as the chat heard it and as the skill
answered: `python -m eval.trace setup-01 [checkin-02 ...]`. For finding why a
conversation of the corpus does not reach its end."""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from pathlib import Path

from eval.conversations import SECRET, _Home, _keep_repair_word
from eval.corpus import conversations
from skill.app import build_skill
from skill.privacy import couple_key
from skill.store.memory import MemoryStore
from skill.turn import Services
from tests.dialog.harness import test_settings
from tests.reminders.fake_alexa import FakeAlexaApi


def _plain(ssml: str) -> str:
    return re.sub(r"<[^>]+>", "", ssml)


def trace(script_id: str, locale: str = "en-US") -> None:
    [script] = [s for s in conversations() if s.id == script_id]
    os.environ["STEADY_ALLOW_LOCAL_API"] = "1"
    os.environ["STEADY_ALEXA_API"] = "on"
    from skill.alexa_api import client_from_env

    api = FakeAlexaApi().start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            settings = test_settings(Path(folder), user_id_secret_value=SECRET)
            store = MemoryStore()
            skill = build_skill(Services(settings, lambda _s: store), api_client=client_from_env())  # type: ignore[arg-type]
            home = _Home(skill=skill, locale=locale, user_id=f"amzn1.ask.account.{script.id}")
            home.api = api.url
            lines = list(script.turns)
            if script.setup == "couple":
                for said in ("open steady together", "we are alex and sam", "yes", "stop"):
                    home.say(said)
                if script.practice == "repair":
                    _keep_repair_word(store, couple_key(SECRET.encode(), home.user_id))
            print(f"== {script.id} ({script.practice})")
            for turn in lines:
                body = home.say(turn.say)
                response = body.get("response") or {}
                speech = (response.get("outputSpeech") or {}).get("ssml", "")
                print(f"U: {turn.say}\n   heard {home.heard[-1]}  eliciting next: {home.eliciting}")
                print(f"A: {_plain(str(speech))[:300]}")
    finally:
        api.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ids", nargs="+")
    for script_id in parser.parse_args().ids:
        trace(script_id)


if __name__ == "__main__":
    main()
