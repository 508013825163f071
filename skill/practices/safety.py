"""The help response: when anyone speaks of suicide, self-harm, violence, threats,
coercive control or fear for their safety, the skill stops coaching and points to
real help for the user's country (the numbers live per locale in
`content/<locale>/safety.json`, with their sources in `data_help_lines.json`).

It is the same kind answer from any state: whatever practice was going on ends,
nothing said this turn is kept, and the session closes. Nothing here is therapy or
medical advice."""

from __future__ import annotations

from skill.practices.outcomes import End
from skill.speech.render import Card, say
from skill.turn import Turn


def help_reply(turn: Turn) -> End:
    """Real help, at once; every practice ends (`End`) and this turn writes nothing."""
    turn.forget_pending()
    # The card is plain text as the content writes it, a help line to a line; it never
    # passes through SSML (whose parser refused "&" and joined the lines into one).
    body = turn.content.variants("safety.card")[0]
    return End(say("safety.message"), card=Card("safety.card_title", body))
