"""The gratitude practice's hook where a note is left: light the other partner's
devices (a message alert, skill.proactive) once the note is kept, or, when the
account has not allowed notifications, say once how to allow them.

Whether notifications are allowed is what Alexa's skill events last said
(`AlexaSkillEvent.ProactiveSubscriptionChanged`, `SkillPermissionAccepted`,
`SkillPermissionChanged`), kept in the profile. A skill with no LWA credentials
configured sends nothing and says nothing of it."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from ask_sdk_core.handler_input import HandlerInput

from skill.domain.couple import GratitudeNote, Profile, parse_iso
from skill.proactive import MessageAlert, expiry, send_alert
from skill.settings import Settings
from skill.speech.render import Line, say
from skill.turn import Turn

# A note is read as fresh today and tomorrow on the couple's calendar (gratitude.py:
# FRESH_FOR_DAYS = 1), and from the day after it is only offered, then retired.
RETIRES_AFTER_DAYS = 2


def alert_for_note(turn: Turn, note: GratitudeNote) -> list[Line]:
    """What to say, if anything, about lighting the recipient's ring for `note`; the
    alert itself goes once the note is saved, inside this request."""
    settings = turn.services.settings
    if not settings.alerts_configured:
        return []
    profile = turn.profile
    if not profile.notifications:
        if profile.notifications_hint_given:
            return []

        def hinted(changed: Profile) -> None:
            changed.notifications_hint_given = True

        turn.change(hinted)
        return [say("gratitude.notifications_hint", recipient=profile.name_of(note.recipient))]
    waiting = sum(
        1
        for pending in profile.pending_notes
        if pending.recipient == note.recipient and pending.author == note.author
    )
    left_at = parse_iso(note.at)
    alert = MessageAlert(
        reference_id=f"steadynote{note.id}",
        sender=profile.name_of(note.author),
        count=waiting,
        user_id=turn.user_id,
        at=left_at,
        expires=expiry(left_at, _retires_at(turn, left_at)),
    )
    handler_input = turn.handler_input
    turn.after_save(lambda: _send(handler_input, settings, alert))
    return []


def _send(handler_input: HandlerInput, settings: Settings, alert: MessageAlert) -> None:
    send_alert(handler_input, settings, alert)


def _retires_at(turn: Turn, left_at: datetime) -> datetime:
    """The start of the couple's day on which a note left at `left_at` is no longer
    read as fresh."""
    zone = turn.clock.zone
    day = left_at.astimezone(zone).date() + timedelta(days=RETIRES_AFTER_DAYS)
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def keep_notifications(turn: Turn, allowed: bool) -> None:
    """Keep what a skill event said of notifications, to be saved this turn."""

    def keep(profile: Profile) -> None:
        profile.notifications = allowed

    turn.change(keep)
    turn.save()
