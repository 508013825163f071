"""An in-memory persistence adapter for the baseline's pure-compute measurement: the
stock adapter's behaviour (whole blob by user id, deep-copied) without the network."""

from __future__ import annotations

import copy
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope


class MemoryAdapter(AbstractPersistenceAdapter):
    def __init__(self) -> None:
        self._items: dict[str, dict[str, Any]] = {}
        self.reads = 0
        self.writes = 0

    @staticmethod
    def _key(request_envelope: RequestEnvelope) -> str:
        context = request_envelope.context
        system = context.system if context else None
        return str(system.user.user_id if system and system.user else "")

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        self.reads += 1
        return copy.deepcopy(self._items.get(self._key(request_envelope), {}))

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any]
    ) -> None:
        self.writes += 1
        self._items[self._key(request_envelope)] = copy.deepcopy(attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.writes += 1
        self._items.pop(self._key(request_envelope), None)
