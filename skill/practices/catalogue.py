"""The practices beyond the foundation (repair, trust bank, gratitude, ...)."""

from __future__ import annotations

from skill.practices.base import Practice


def more_practices() -> list[Practice]:
    return []
