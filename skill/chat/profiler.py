"""`steady nlu`: what the chat's understanding makes of one utterance, shown the way the
developer console's utterance profiler shows it: the intent, each slot's value and
its entity resolution. A developer's tool; nothing of it runs on a turn."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TextIO

from skill.chat.model import load_model, model_path
from skill.chat.nlu import FALLBACK, SlotValue, Understanding, is_launch, understand


@dataclass(frozen=True)
class Profiled:
    """One utterance as understood, with whether it opened the skill."""

    text: str
    opens_skill: bool
    understood: Understanding | None  # None: a bare launch, no intent

    def as_json(self) -> dict[str, Any]:
        if self.understood is None:
            return {"intent": None, "slots": {}, "launch": True}
        understood = self.understood
        slots = {
            name: _slot_json(value)
            for name, value in understood.request_slots().items()
            if value is not None
        }
        profile: dict[str, Any] = {"intent": understood.intent, "slots": slots}
        if self.opens_skill:
            profile["launch"] = True
        return profile


def profile_utterance(
    text: str, locale: str = "en-US", *, eliciting: tuple[str, str] | None = None
) -> Profiled:
    """Hear `text` through the locale's model, as a one-shot or, with `eliciting`
    (intent, slot), as the answer to a question that asks for that slot."""
    model = load_model(model_path(locale))
    opens, rest = is_launch(text)
    if opens and rest is None:
        return Profiled(text, True, None)
    heard = rest if opens and rest is not None else text
    understood = understand(heard, model, eliciting=eliciting)
    return Profiled(text, opens, understood)


def _slot_json(slot: SlotValue) -> dict[str, Any]:
    out: dict[str, Any] = {"value": slot.value}
    resolution = slot.resolution
    if resolution is not None:
        best = resolution.best
        out["resolution"] = {
            "status": resolution.status.value,
            "authority": "dynamic" if resolution.dynamic else "static",
            "values": [{"id": best.id, "name": best.name}] if best else [],
        }
    return out


def print_profile(profiled: Profiled, out: TextIO, *, as_json: bool = False) -> None:
    document = profiled.as_json()
    if as_json:
        out.write(json.dumps(document, ensure_ascii=False) + "\n")
        return
    if profiled.understood is None:
        out.write("launch (no intent)\n")
        return
    intent = document["intent"]
    shown = "no intent matched (AMAZON.FallbackIntent)" if intent == FALLBACK else intent
    out.write(f"intent  {shown}{'  (opens the skill)' if profiled.opens_skill else ''}\n")
    for name, slot in document["slots"].items():
        line = f"  {name} = {slot['value']!r}"
        resolution = slot.get("resolution")
        if resolution is not None:
            values = resolution["values"]
            to = f" -> {values[0]['id']}" if values else ""
            line += f"{to}  [{resolution['status']}, {resolution['authority']}]"
        out.write(line + "\n")
