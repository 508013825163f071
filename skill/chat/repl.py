"""`steady chat`: type what you would say to Alexa. Text becomes an intent with
slots (from the interaction model's own samples), then a real request envelope,
answered by the same skill object as on Lambda. Lines come from the terminal or,
when piped, from standard input, so a conversation can be scripted."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from skill.chat import envelopes
from skill.chat.model import load_model, model_path
from skill.chat.nlu import SlotValue, is_launch, understand

HELP = """Chat commands:
  :new        start a new session (as if you had just said "Alexa")
  :as NAME    the next turns come from a recognised voice profile for NAME
  :as         no recognised voice
  :nfi TEXT   what the skill answers if Alexa asks whether it can take TEXT said
              without its name (a CanFulfillIntentRequest); the chat goes on as before
  :quit       leave the chat
An empty line is silence (Alexa plays the reprompt; twice ends the session)."""

_AUDIO = re.compile(r"<audio\b[^>]*/>")
_BREAK = re.compile(r'<break\s+time="(\d+(?:\.\d+)?)(ms|s)"\s*/>')
_TAG = re.compile(r"<[^>]+>")


def plain(ssml: str) -> str:
    """SSML to something readable: chimes and long pauses shown, tags dropped."""
    text = _AUDIO.sub(" ♪ ", ssml)

    def pause(match: re.Match[str]) -> str:
        seconds = float(match.group(1)) / (1000 if match.group(2) == "ms" else 1)
        return " … " if seconds >= 2 else " "

    text = _BREAK.sub(pause, text)
    text = _TAG.sub("", text)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'")):
        text = text.replace(entity, char)
    text = text.replace("&amp;", "&")
    text = re.sub(r"(\s*…\s*)+", " … ", text)
    return " ".join(text.split())


@dataclass
class ChatSession:
    locale: str
    screen: bool
    user_id: str = "amzn1.ask.account.LOCALCHAT"
    device_id: str = "amzn1.ask.device.LOCALCHAT"
    session_id: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    open: bool = False
    new: bool = True
    person_id: str | None = None
    silences: int = 0
    reprompt: str = ""
    dynamic: dict[str, list[tuple[str, str, list[str]]]] = field(default_factory=dict)
    # The slot the last answer asked for (Dialog.ElicitSlot), as Alexa would hear it.
    eliciting: tuple[str, str] | None = None

    def common(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "device_id": self.device_id,
            "session_id": self.session_id,
            "new_session": self.new,
            "attributes": self.attributes,
            "locale": self.locale,
            "person_id": self.person_id,
            "apl": self.screen,
        }

    def begin(self) -> None:
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.attributes, self.new, self.open, self.silences = {}, True, True, 0

    def close(self) -> None:
        self.open, self.attributes, self.reprompt, self.dynamic = False, {}, "", {}


def _use_fake_aws_credentials_for_local_endpoints() -> None:
    if os.environ.get("STEADY_TABLE") and os.environ.get("STEADY_DYNAMODB_ENDPOINT"):
        for key, value in (
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_DEFAULT_REGION", "us-east-1"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ):
            os.environ.setdefault(key, value)


def machine_zone(env: dict[str, str] | None = None, root: Path = Path("/")) -> str:
    """This machine's IANA time zone: $TZ, /etc/timezone or the /etc/localtime link;
    UTC when none of them names one."""
    from skill.domain.clock import zone_named

    env = dict(os.environ) if env is None else env
    candidates = [env.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append((root / "etc" / "timezone").read_text(encoding="utf-8").strip())
    with contextlib.suppress(OSError):
        candidates.append(os.readlink(root / "etc" / "localtime").split("zoneinfo/", 1)[-1])
    return next((name for name in candidates if zone_named(name) is not None), "UTC")


def run_chat(  # noqa: PLR0915 -- one readable loop
    stdin: TextIO,
    stdout: TextIO,
    locale: str = "en-US",
    screen: bool = False,
    tz: str | None = None,
) -> int:
    from skill.domain.clock import zone_named

    _use_fake_aws_credentials_for_local_endpoints()
    zone = tz or machine_zone()
    if zone_named(zone) is None:
        stdout.write(f"Unknown time zone {zone!r}: use an IANA name such as Asia/Kolkata.\n")
        return 2
    # The couple's clock: the chat has no device to ask, so the zone is given.
    os.environ["STEADY_TIME_ZONE"] = zone
    # The chat is for people: only warnings from the logs, not every turn.
    os.environ.setdefault("STEADY_LOG_LEVEL", "WARNING")
    # The chat's requests carry no real Alexa token: never call Amazon's API from it.
    os.environ.setdefault("STEADY_ALEXA_API", "off")
    # Nor Login with Amazon: no client credentials, so no message alert and no hint.
    for name in ("STEADY_LWA_CREDENTIALS", "STEADY_LWA_CREDENTIALS_PARAM"):
        os.environ.pop(name, None)
    from skill.app import get_skill, handle_event

    model = load_model(model_path(locale))
    skill = get_skill()
    chat = ChatSession(locale=locale, screen=screen)
    interactive = stdin.isatty()

    def out(line: str) -> None:
        stdout.write(line + "\n")
        stdout.flush()

    def send(event: dict[str, Any]) -> None:
        body = handle_event(event, skill=skill)
        chat.new = False
        response = body.get("response") or {}
        speech = (response.get("outputSpeech") or {}).get("ssml", "")
        if speech:
            out(f"Alexa: {plain(speech)}")
        card = response.get("card")
        if card:
            out(f"  [card] {card.get('title', '')}: {card.get('content', '')}")
        for directive in response.get("directives") or []:
            if directive.get("type") == "Alexa.Presentation.APL.RenderDocument":
                out(f"  [screen] {directive.get('token', '')}")
        _remember_dynamic_entities(chat, response.get("directives") or [])
        chat.eliciting = eliciting_slot(response.get("directives") or [])
        reprompt = ((response.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml", "")
        chat.reprompt = plain(reprompt) if reprompt else ""
        if response.get("shouldEndSession") is False:
            chat.attributes = dict(body.get("sessionAttributes") or {})
        else:
            chat.close()
            out("  (session ended)")

    out("Steady Together — local chat. Say “open steady together” to begin; “:help” for commands.")
    while True:
        if interactive:
            stdout.write("You: ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        text = line.strip()
        if not interactive and text:
            out(f"You: {text}")
        if text.startswith(":nfi"):
            asked = text.removeprefix(":nfi").strip()
            for line in name_free(asked, model, chat, skill) if asked else [HELP]:
                out(line)
            continue
        if text.startswith(":"):
            if not _command(chat, text, out):
                break
            continue
        if not text:
            if chat.open:
                _silence(chat, send, out)
            continue
        launch, rest = is_launch(text)
        if launch or not chat.open:
            chat.begin()
            if launch and rest is None:
                send(envelopes.launch_request(**chat.common()))
                continue
            text = rest or text
        heard = understand(
            text, model, chat.dynamic or None, prefer=_expected(chat), eliciting=chat.eliciting
        )
        slots: dict[str, SlotValue | None] = heard.request_slots()
        send(envelopes.intent_request(heard.intent, slots, **chat.common()))
    return 0


def name_free(text: str, model: Any, chat: ChatSession, skill: Any) -> list[str]:
    """What the skill answers a CanFulfillIntentRequest for `text`, heard as Alexa
    would hear it said without the skill's name. Nothing of the chat's session is
    sent or changed."""
    from skill.app import handle_event

    heard = understand(text, model)
    event = envelopes.can_fulfill_request(
        heard.intent,
        heard.request_slots(),
        model=model,
        user_id=chat.user_id,
        device_id=chat.device_id,
        locale=chat.locale,
        apl=chat.screen,
    )
    body = handle_event(event, skill=skill)
    answer = (body.get("response") or {}).get("canFulfillIntent") or {}
    lines = [f"  (name-free) {heard.intent}: {answer.get('canFulfill', 'no answer')}"]
    for name, slot in sorted((answer.get("slots") or {}).items()):
        value = heard.value(name) or ""
        lines.append(
            f"    {name} {value!r}: understood {slot.get('canUnderstand')}, "
            f"can act on it {slot.get('canFulfill')}"
        )
    return lines


def _expected(chat: ChatSession) -> frozenset[str]:
    """The intents the skill is waiting for: a real device hears without this
    hint, but short answers ("sam", "okay") are easier to place with it."""
    from skill.practices.registry import in_progress, state_types
    from skill.session import SessionState

    state = SessionState.from_attributes(chat.attributes, state_types()).current
    if state is None:
        return frozenset()
    return frozenset(intent.value for intent in in_progress(state).takes())


def _silence(chat: ChatSession, send: Any, out: Any) -> None:
    chat.silences += 1
    if chat.silences == 1 and chat.reprompt:
        out(f"Alexa: {chat.reprompt}")
        return
    send(envelopes.session_ended_request(reason="EXCEEDED_MAX_REPROMPTS", **chat.common()))


def _command(chat: ChatSession, text: str, out: Any) -> bool:
    command, _, argument = text.partition(" ")
    if command in (":quit", ":q", ":exit"):
        return False
    if command == ":new":
        chat.close()
        out("  (new session: say “open steady together”)")
    elif command == ":as":
        name = argument.strip()
        chat.person_id = f"amzn1.ask.person.LOCAL{name.upper()}" if name else None
        out(f"  (voice: {name or 'not recognised'})")
    else:
        out(HELP)
    return True


def eliciting_slot(directives: list[dict[str, Any]]) -> tuple[str, str] | None:
    """(intent, slot) of a Dialog.ElicitSlot directive in a response, if any."""
    for directive in directives:
        if directive.get("type") == "Dialog.ElicitSlot":
            intent = (directive.get("updatedIntent") or {}).get("name")
            slot = directive.get("slotToElicit")
            if intent and slot:
                return str(intent), str(slot)
    return None


def _remember_dynamic_entities(chat: ChatSession, directives: list[dict[str, Any]]) -> None:
    for directive in directives:
        if directive.get("type") != "Dialog.UpdateDynamicEntities":
            continue
        if directive.get("updateBehavior") == "CLEAR":
            chat.dynamic = {}
            continue
        for slot_type in directive.get("types") or []:
            chat.dynamic[slot_type["name"]] = [
                (
                    value.get("id", ""),
                    value["name"]["value"],
                    list(value["name"].get("synonyms") or []),
                )
                for value in slot_type.get("values") or []
            ]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run_chat(sys.stdin, sys.stdout))
