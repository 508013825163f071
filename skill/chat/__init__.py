"""The local text chat: language understanding over the interaction model and
builders of real Alexa request envelopes. The REPL lives in `skill.chat.repl`."""

from skill.chat.model import InteractionModel, load_model
from skill.chat.nlu import (
    ResolutionStatus,
    Resolved,
    ResolvedValue,
    SlotValue,
    Understanding,
    is_launch,
    resolve_value,
    understand,
)

__all__ = [
    "InteractionModel",
    "ResolutionStatus",
    "Resolved",
    "ResolvedValue",
    "SlotValue",
    "Understanding",
    "is_launch",
    "load_model",
    "resolve_value",
    "understand",
]
