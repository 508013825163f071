"""The local chat's way of hearing, in process: typed text -> the request the chat
would send, with what the last answer asked for (Dialog.ElicitSlot, dynamic entities)
carried over as on a device."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ask_sdk_core.skill import CustomSkill

from skill.app import handle_event
from skill.chat import envelopes
from skill.chat.model import InteractionModel, load_model, model_path
from skill.chat.nlu import Understanding, is_launch, understand
from skill.chat.repl import _expected, eliciting_slot
from skill.session import SessionState


def hear(
    text: str,
    model: InteractionModel,
    *,
    attributes: dict[str, Any] | None = None,
    eliciting: tuple[str, str] | None = None,
    dynamic: dict[str, list[tuple[str, str, list[str]]]] | None = None,
) -> tuple[bool, Understanding | None]:
    """(opens the skill, what was heard); (True, None) for a bare launch."""
    launch, rest = is_launch(text)
    if launch and rest is None:
        return True, None
    words = rest if launch else text
    prefer = _expected(_Chat(attributes or {}))
    return launch, understand(words, model, dynamic or None, prefer=prefer, eliciting=eliciting)


@dataclass
class _Chat:
    attributes: dict[str, Any]


@dataclass
class Household:
    """One couple talking to the skill through the chat's understanding."""

    skill: CustomSkill
    locale: str = "en-US"
    user_id: str = "amzn1.ask.account.EVAL"
    session: int = 0
    attributes: dict[str, Any] = field(default_factory=dict)
    open: bool = False
    eliciting: tuple[str, str] | None = None
    dynamic: dict[str, list[tuple[str, str, list[str]]]] = field(default_factory=dict)
    last: dict[str, Any] = field(default_factory=dict)
    heard: list[str] = field(default_factory=list)

    @property
    def model(self) -> InteractionModel:
        return load_model(model_path(self.locale))

    def _common(self, new: bool) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "session_id": f"amzn1.echo-api.session.eval-{self.session}",
            "new_session": new,
            "attributes": self.attributes,
            "locale": self.locale,
        }

    def say(self, text: str) -> dict[str, Any]:
        opens, heard = hear(
            text,
            self.model,
            attributes=self.attributes if self.open else {},
            eliciting=self.eliciting if self.open else None,
            dynamic=self.dynamic if self.open else None,
        )
        if opens or not self.open:
            self.session += 1
            self.attributes, self.eliciting, self.dynamic = {}, None, {}
            new = True
        else:
            new = False
        if heard is None:
            self.heard.append("LaunchRequest")
            event = envelopes.launch_request(**self._common(True))
        else:
            self.heard.append(heard.intent)
            event = envelopes.intent_request(
                heard.intent, heard.request_slots(), **self._common(new)
            )
        return self._send(event)

    def _send(self, event: dict[str, Any]) -> dict[str, Any]:
        body = handle_event(event, skill=self.skill)
        response = body.get("response") or {}
        directives = response.get("directives") or []
        self.eliciting = eliciting_slot(directives)
        for directive in directives:
            if directive.get("type") == "Dialog.UpdateDynamicEntities":
                for slot_type in directive.get("types") or []:
                    self.dynamic[slot_type["name"]] = [
                        (v.get("id", ""), v["name"]["value"], list(v["name"].get("synonyms") or []))
                        for v in slot_type.get("values") or []
                    ]
        self.open = response.get("shouldEndSession") is False
        self.attributes = dict(body.get("sessionAttributes") or {}) if self.open else {}
        self.last = body
        return body

    def state(self) -> SessionState:
        return SessionState.from_attributes(self.attributes)


def data_dir(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    return root
