"""What the skill brings up at launch before the menu (a due weekly review,
notes waiting for someone).

The practices themselves load only when they have something to bring up: most
launches have neither, and a cold start should not pay for them."""

from __future__ import annotations

from skill.domain.review import review_due
from skill.practices.outcomes import Outcome
from skill.turn import Turn


def launch_news(turn: Turn) -> Outcome | None:
    """The first practice that has something to bring up, or None."""
    profile = turn.profile
    if profile.is_set_up and profile.pending_notes:
        from skill.practices.gratitude import notes_news

        found = notes_news(turn)
        if found is not None:
            return found
    if review_due(profile, turn.clock):
        from skill.practices.trust_review import review_news

        return review_news(turn)
    return None
