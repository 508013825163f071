"""What the skill brings up at launch before the menu (a due weekly review,
notes waiting for someone). Each practice module adds its own check here."""

from __future__ import annotations

from skill.practices.gratitude import notes_news
from skill.practices.outcomes import Outcome
from skill.practices.trust_review import review_news
from skill.turn import Turn


def launch_news(turn: Turn) -> Outcome | None:
    """The first practice that has something to bring up, or None."""
    for news in (notes_news, review_news):
        found = news(turn)
        if found is not None:
            return found
    return None
