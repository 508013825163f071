"""Screens for devices with APL, and the check-in card for the Alexa app.

A practice puts a screen's directive (`*_screen(turn, ...)`, None without APL) in
the outcome it returns; the router attaches it (`attach`). A response carries at
most one RenderDocument: when a practice ends and the next one begins in the same
response (the evening ritual), the next one's screen was attached first and is
kept. The card does not depend on the device.

Everything bound into a document is plain text (APL does not read SSML), from
screens.json or in the couple's own words, capped in length.

Timing. A breathing animation must move with the audio, which follows the spoken
intro. The document waits `startDelayMs` (an Idle command in its onMount) and
then runs on the same `Pace` numbers the audio uses. `startDelayMs` is estimated
(skill.screens.timing) from the reply's lines spoken before the first "in" cue;
`align_screens` re-estimates it from the final lines. Lines that another
practice puts in front later (after setup, or a ritual step's closing lines) are
only counted if `align_screens` runs once more just before the response is
rendered."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from skill.audio.pacing import DEFAULT_PACE, Pace
from skill.domain.couple import CheckInRecord, cap_text
from skill.domain.trust import week_picture
from skill.screens import SYNC_BREATHING_LINE, is_screen, loader
from skill.screens.timing import spoken_ms
from skill.speech.render import Card, Line, Reply, say
from skill.speech.ssml import Ssml
from skill.turn import Turn

APL = "alexa_presentation_apl"
# Directive tokens: which screen is showing.
BREATHING_SCREEN = "steady-breathing"
CHECK_IN_SCREEN = "steady-check-in"
TRUST_WEEK_SCREEN = "steady-trust-week"
REPAIR_SCREEN = "steady-repair"

# The circle at rest, as a fraction of its full (breathed-in) size.
REST_SCALE = 0.55
REPAIR_FADE_IN_MS = 1_500

# Bounds for the couple's words on a screen or a card.
MAX_NAME_CHARS = 40
MAX_FEELING_CHARS = 40
MAX_NEED_CHARS = 120
MAX_NOTE_CHARS = 160
MAX_WORD_CHARS = 60

TIMES_OF_DAY = ("morning", "afternoon", "evening")

_CONTROL = re.compile(r"[\x00-\x1f\x7f\ufffe\uffff]")
# Marks where breathing starts, for the estimate only (never sent to Alexa).
_BREATH_STARTS = "breath-starts"


@dataclass(frozen=True)
class BreathCue:
    """Where a practice's breathing starts in its speech: the line that carries
    it, that line's SSML parameter, and the key of the first "in" cue."""

    line_key: str
    param: str
    first_cue_key: str


SYNC_BREATHING = BreathCue(SYNC_BREATHING_LINE, "cues", "sync.cue_in")
REPAIR_BREATH = BreathCue("repair.breath", "breath", "repair.cue_in")
_TIMED: Mapping[str, tuple[str, BreathCue]] = {
    BREATHING_SCREEN: ("breathing", SYNC_BREATHING),
    REPAIR_SCREEN: ("repair", REPAIR_BREATH),
}


# -- the practices' screens ---------------------------------------------------------------
# Each builder returns the screen's directive, or None on a device without APL; a
# practice hands it to the router in its outcome. `show_*` attach one to a reply.


def breathing_screen(turn: Turn, pace: Pace, breaths: int) -> object | None:
    """Silent Sync: the circle grows over each inhale and shrinks over each exhale,
    `breaths` times, starting when the first "in" cue is heard."""
    if not turn.supports(APL):
        return None
    data: dict[str, Any] = {
        "title": _text(turn, "screen.sync.title", breaths=breaths),
        "readyLabel": _text(turn, "screen.sync.ready"),
        "inLabel": _text(turn, "screen.sync.in"),
        "outLabel": _text(turn, "screen.sync.out"),
        "restLabel": _text(turn, "screen.sync.rest"),
        "inhaleMs": pace.inhale_ms,
        "exhaleMs": pace.exhale_ms,
        "repeatCount": max(breaths - 1, 0),
        "restScale": REST_SCALE,
        "startDelayMs": 0,
    }
    return _document(BREATHING_SCREEN, loader.BREATHING, data)


def show_breathing(turn: Turn, reply: Reply, pace: Pace, breaths: int) -> None:
    attach(turn, reply, breathing_screen(turn, pace, breaths))


def check_in_screen(turn: Turn, records: Sequence[CheckInRecord]) -> object | None:
    """Both partners' feeling and need, on a device with APL."""
    if not records or not turn.supports(APL):
        return None
    partners = [
        {
            "name": _user_text(turn.profile.name_of(record.partner), MAX_NAME_CHARS),
            "feelingLabel": _text(turn, "screen.check_in.feeling"),
            "feeling": _user_text(record.feeling, MAX_FEELING_CHARS),
            "needLabel": _text(turn, "screen.check_in.need"),
            "need": _user_text(turn.profile.read_back(record.partner, record.need), MAX_NEED_CHARS),
        }
        for record in records
    ]
    data = {"title": _text(turn, _check_in_title_key(records)), "partners": partners}
    return _document(CHECK_IN_SCREEN, loader.CHECK_IN, data)


def show_check_in(turn: Turn, reply: Reply, records: Sequence[CheckInRecord]) -> None:
    """Both partners' feeling and need: a card in the Alexa app always, and a
    summary screen on a device with APL."""
    if not records:
        return
    reply.card = check_in_card(turn, records)
    attach(turn, reply, check_in_screen(turn, records))


def check_in_card(turn: Turn, records: Sequence[CheckInRecord]) -> Card:
    """A Simple card: one short line per partner, in their own words."""
    lines = [
        _text(
            turn,
            "card.check_in.line",
            name=_user_text(turn.profile.name_of(record.partner), MAX_NAME_CHARS),
            feeling=_user_text(record.feeling, MAX_FEELING_CHARS),
            need=_user_text(turn.profile.read_back(record.partner, record.need), MAX_NEED_CHARS),
        )
        for record in records
    ]
    return Card(_check_in_title_key(records), "\n".join(lines))


def trust_week_screen(turn: Turn) -> object | None:
    """This week's trust bank: per partner, the deposits they noticed from the
    other and the latest one in their own words."""
    if not turn.supports(APL):
        return None
    profile = turn.profile
    picture = week_picture(profile, turn.clock)
    partners: list[dict[str, Any]] = []
    for noticed in picture:
        names = {
            "receiver": _user_text(profile.name_of(noticed.receiver), MAX_NAME_CHARS),
            "giver": _user_text(profile.name_of(noticed.giver), MAX_NAME_CHARS),
        }
        example = ""
        if noticed.deposits and noticed.example:
            note = _user_text(noticed.example, MAX_NOTE_CHARS)
            example = _text(turn, "screen.trust.example", note=note)
        partners.append(
            {
                "heading": _text(turn, "screen.trust.heading", **names),
                "deposits": noticed.deposits,
                "count": _deposit_count(turn, noticed.deposits),
                "example": example,
            }
        )
    quiet = all(noticed.deposits == 0 for noticed in picture)
    data = {
        "title": _text(turn, "screen.trust.title"),
        "empty": _text(turn, "screen.trust.empty") if quiet else "",
        "partners": [] if quiet else partners,
    }
    return _document(TRUST_WEEK_SCREEN, loader.TRUST_WEEK, data)


def show_trust_week(turn: Turn, reply: Reply) -> None:
    attach(turn, reply, trust_week_screen(turn))


def repair_screen(turn: Turn) -> object | None:
    """The repair ritual: a soft screen with the couple's word, "breathe together",
    and a circle for the one shared breath (the default pace, as the audio)."""
    word = turn.profile.repair_word
    if not word or not turn.supports(APL):
        return None
    data: dict[str, Any] = {
        "title": _text(turn, "screen.repair.title"),
        "word": _user_text(word, MAX_WORD_CHARS),
        "invite": _text(turn, "screen.repair.invite"),
        "fadeInMs": REPAIR_FADE_IN_MS,
        "inhaleMs": DEFAULT_PACE.inhale_ms,
        "exhaleMs": DEFAULT_PACE.exhale_ms,
        "restScale": REST_SCALE,
        "startDelayMs": 0,
    }
    return _document(REPAIR_SCREEN, loader.REPAIR, data)


def show_repair(turn: Turn, reply: Reply) -> None:
    attach(turn, reply, repair_screen(turn))


def attach(turn: Turn, reply: Reply, directive: object | None) -> None:
    """Add a directive to `reply`. A response carries at most one screen: one is
    added only when the reply has none yet (the first attached is kept). Screens
    are then timed from the reply's lines as they stand."""
    if directive is None:
        return
    if not (is_screen(directive) and has_screen(reply)):
        reply.directives.append(directive)
    align_screens(turn, reply)


def align_screens(turn: Turn, reply: Reply) -> None:
    """Start each breathing animation in `reply` when its first "in" cue is heard,
    estimated from the lines as they stand now. Safe to call more than once."""
    for directive in reply.directives:
        if not is_screen(directive):
            continue
        timed = _TIMED.get(str(directive.token))
        if timed is None or not isinstance(directive.datasources, dict):
            continue
        name, cue = timed
        data = directive.datasources.get(name)
        lead_in = lead_in_ms(turn, reply.lines, cue)
        if lead_in is not None and isinstance(data, dict):
            data["startDelayMs"] = lead_in


def lead_in_ms(turn: Turn, lines: Sequence[Line], cue: BreathCue) -> int | None:
    """Estimated milliseconds of speech before the first "in" cue of `cue`'s line;
    None when the lines do not contain it."""
    spoken: list[str] = []
    for line in lines:
        if line.key != cue.line_key:
            spoken.append(turn.renderer.line(line))
            continue
        breathing = str(line.params.get(cue.param, ""))
        first_cue = turn.renderer.line(say(cue.first_cue_key))
        at = breathing.find(first_cue) if first_cue else -1
        # Hosted tones start breathing at once: nothing of the breathing comes first.
        at = max(at, 0)
        marked = Ssml(f"{breathing[:at]}<{_BREATH_STARTS}/>{breathing[at:]}")
        spoken.append(turn.renderer.line(Line(line.key, {**line.params, cue.param: marked})))
        return spoken_ms(" ".join(spoken), until=_BREATH_STARTS)
    return None


# -- helpers ------------------------------------------------------------------------------


def has_screen(reply: Reply) -> bool:
    return any(is_screen(d) for d in reply.directives)


def _document(token: str, name: str, data: dict[str, Any]) -> object:
    # Imported here: voice-only devices never pay for the APL models.
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    (parameter,) = loader.parameters(name)
    directive: object = RenderDocumentDirective(
        token=token, document=loader.document(name), datasources={parameter: data}
    )
    return directive


def _text(turn: Turn, key: str, **values: str | int) -> str:
    """Plain text from the content files (screen texts hold no SSML)."""
    template = turn.content.variants(key)[0]
    return template.format_map({name: str(value) for name, value in values.items()})


def _user_text(text: str, limit: int) -> str:
    """The couple's words for a screen or a card: no control characters, capped."""
    return cap_text(_CONTROL.sub(" ", text), limit)


def _deposit_count(turn: Turn, deposits: int) -> str:
    if deposits == 0:
        return _text(turn, "screen.trust.count_none")
    if deposits == 1:
        return _text(turn, "screen.trust.count_one")
    return _text(turn, "screen.trust.count_many", count=deposits)


def _check_in_title_key(records: Sequence[CheckInRecord]) -> str:
    time_of_day = records[0].time_of_day
    return f"screen.check_in.title.{time_of_day if time_of_day in TIMES_OF_DAY else 'today'}"
