"""Raw Alexa ids never reach the store: they are replaced by keyed hashes."""

from __future__ import annotations

import hashlib
import hmac


def couple_key(secret: bytes, alexa_user_id: str) -> str:
    """The couple's partition key: HMAC-SHA256 of the Alexa user id.

    Rotating the secret gives every couple a new, empty partition: the old items
    become unreachable and expire with their TTL (or are removed by an operator)."""
    return "C#" + hmac.new(secret, alexa_user_id.encode(), hashlib.sha256).hexdigest()


def voice_key(secret: bytes, person_id: str) -> str:
    """A recognised speaker, hashed the same way before it is kept in the profile."""
    return hmac.new(secret, b"person:" + person_id.encode(), hashlib.sha256).hexdigest()[:32]


def request_key(request_id: str) -> str:
    """A short stable id for the events one request writes (makes retries idempotent)."""
    return hashlib.sha256(request_id.encode()).hexdigest()[:16]
