"""Screens for devices with APL (filled in by the audio-and-screens work)."""

from __future__ import annotations

from typing import Any

from skill.audio.pacing import Pace
from skill.turn import Turn


def breathing_screen(turn: Turn, pace: Pace, breaths: int) -> list[Any]:
    """No screen directives yet: every device gets the voice experience."""
    return []
