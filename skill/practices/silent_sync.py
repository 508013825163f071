"""Silent Sync: a few shared breaths, paced by tones (hosted cues) or by spoken
cues and SSML breaks, then a quiet close and the offer of another round.

The pace and the number of breaths last chosen are kept for next time, and said
when they are not the usual ones ("At the slower pace you chose last time")."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from skill.audio.pacing import (
    DEFAULT_BREATHS,
    DEFAULT_PACE,
    MAX_BREATHS,
    MIN_BREATHS,
    PACES,
    Pace,
    clamp_breaths,
    pace_for,
    sync_audio_plan,
)
from skill.domain.couple import Profile
from skill.domain.events import EventKind
from skill.intents import Intent
from skill.practices.base import Practice
from skill.practices.outcomes import Ask, AskAgain, Finish, Outcome
from skill.practices.screens import breathing_screen
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.speech.ssml import Ssml, audio, brk
from skill.turn import Turn

START_CHIME = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"
END_CHIME = "soundbank://soundlibrary/musical/amzn_sfx_bell_med_chime_02"
# Roughly how long a one-word spoken cue takes, taken out of the pause after it.
SPOKEN_CUE_SECONDS = 0.7
DEFAULT_PACE_NAME = DEFAULT_PACE.name


class SyncStep(StrEnum):
    AGAIN = "again"


@dataclass(frozen=True, kw_only=True)
class SyncState(PracticeState):
    """After a round: another one, at this pace and length?"""

    flow = Flow.SILENT_SYNC

    step: SyncStep = SyncStep.AGAIN
    pace: str = DEFAULT_PACE_NAME
    breaths: int = 5


class SilentSync(Practice[SyncState]):
    flow = Flow.SILENT_SYNC
    state_type = SyncState
    # A pace asked for with no sync going ("slower please") begins one at that pace.
    starts = frozenset({Intent.SILENT_SYNC, Intent.PACE})
    speech = "sync"
    answers = frozenset({Intent.YES, Intent.NO, Intent.PACE})

    def start(self, turn: Turn) -> Outcome:
        profile = turn.profile
        asked_pace = _requested_pace(turn)
        pace = asked_pace or pace_for(profile.pace)
        requested = _requested_breaths(turn)
        breaths = clamp_breaths(requested if requested is not None else profile.breaths)
        before: list[Line] = []
        if requested is not None and requested != breaths:
            before.append(say("sync.breaths_limited", low=MIN_BREATHS, high=MAX_BREATHS))
        remembered = _remembered(
            pace if asked_pace is None and pace.name != DEFAULT_PACE_NAME else None,
            breaths if requested is None and breaths != DEFAULT_BREATHS else None,
        )
        if remembered is not None:
            before.append(remembered)
        return self._round(turn, pace, breaths, first=True, before=before)

    def help(self, turn: Turn, state: SyncState) -> Outcome:
        key = "sync.help" if _hosted(turn) else "sync.help_spoken"
        return AskAgain(state, say(key))

    def question(self, turn: Turn, state: SyncState) -> tuple[Line, Line]:
        return say("sync.again"), say("sync.again_reprompt")

    def answer(self, turn: Turn, state: SyncState) -> Outcome:
        pace = pace_for(state.pace)
        if turn.intent is Intent.YES:
            return self._round(turn, pace, state.breaths, first=False)
        if turn.intent is Intent.PACE:
            asked = _requested_pace(turn)
            if asked is None:
                return self.unexpected(turn, state)
            return self._round(turn, asked, state.breaths, first=False)
        return Finish(say("sync.goodbye"))

    def _round(
        self, turn: Turn, pace: Pace, breaths: int, *, first: bool, before: list[Line] | None = None
    ) -> Outcome:
        today = turn.today
        chosen_pace, chosen_breaths = pace.name, breaths

        def count_sync(profile: Profile) -> None:
            profile.sync_count += 1
            profile.pace = chosen_pace
            profile.breaths = chosen_breaths
            profile.mark_practice(today)

        turn.change(count_sync)
        turn.record(EventKind.SYNC, pace=pace.name, breaths=breaths)
        lines = [*(before or [])]
        intro = (
            ("sync.intro" if _hosted(turn) else "sync.intro_spoken")
            if first
            else "sync.intro_again"
        )
        lines.append(say(intro, breaths=breaths))
        lines.append(say("sync.breathing", cues=breathing(turn, pace, breaths)))
        lines.append(say("sync.close", breaths=breaths))
        screen = [breathing_screen(turn, pace, breaths)]
        if turn.state.queue:
            # Part of the evening ritual: no "another round?", the ritual goes on.
            return Finish(*lines, directives=screen)
        return Ask(SyncState(pace=pace.name, breaths=breaths), *lines, directives=screen)


def breathing(turn: Turn, pace: Pace, breaths: int) -> Ssml:
    """The breathing itself, as SSML: hosted tones when configured, else spoken cues."""
    base_url = turn.services.settings.audio_base_url
    if base_url:
        return Ssml("".join(audio(url) for url in sync_audio_plan(pace, breaths, base_url)))
    breathe_in = turn.renderer.line(say("sync.cue_in"))
    breathe_out = turn.renderer.line(say("sync.cue_out"))
    parts = [audio(START_CHIME), brk(1.0)]
    for _ in range(breaths):
        parts += [breathe_in, brk(pace.inhale_s - SPOKEN_CUE_SECONDS)]
        parts += [breathe_out, brk(pace.exhale_s - SPOKEN_CUE_SECONDS)]
    parts.append(audio(END_CHIME))
    return Ssml("".join(parts))


def _hosted(turn: Turn) -> bool:
    """Whether the breathing is paced by hosted tones (else by spoken cues)."""
    return bool(turn.services.settings.audio_base_url)


def _remembered(pace: Pace | None, breaths: int | None) -> Line | None:
    """What was kept from last time and is not the usual, said so it never sticks
    silently."""
    if pace is not None and breaths is not None:
        return say("sync.remembered_both", pace=pace.name, breaths=breaths)
    if pace is not None:
        return say("sync.remembered_pace", pace=pace.name)
    if breaths is not None:
        return say("sync.remembered_breaths", breaths=breaths)
    return None


def _requested_pace(turn: Turn) -> Pace | None:
    reading = turn.slot("pace")
    key = reading.resolved_id or (reading.raw or "").lower()
    return PACES.get(key)


def _requested_breaths(turn: Turn) -> int | None:
    raw = (turn.slot("breaths").raw or "").strip()
    digits = raw.lstrip("-")
    if not digits.isdigit():
        return None
    if len(digits) > 3:
        # Far outside 3..10 either way; no need to read all of it.
        return -1000 if raw.startswith("-") else 1000
    return int(raw)
