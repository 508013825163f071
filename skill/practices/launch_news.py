"""What the skill brings up at launch before the menu (a due weekly review,
notes waiting for someone). Each practice module adds its own check here."""

from __future__ import annotations

from skill.speech.render import Reply
from skill.turn import Turn


def launch_news(turn: Turn) -> Reply | None:
    """The first practice that has something to bring up, or None."""
    from skill.practices.gratitude import notes_news
    from skill.practices.trust_review import review_news

    for news in (notes_news, review_news):
        reply = news(turn)
        if reply is not None:
            return reply
    return None
