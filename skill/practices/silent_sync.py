"""Silent Sync: a few shared breaths, paced by tones (hosted cues) or by spoken
cues and SSML breaks, then a quiet close and the offer of another round.

The pace and the number of breaths last chosen are kept for next time, and said
when they are not the usual ones ("At the slower pace you chose last time").

Every round is locked to the wall clock (`skill.audio.phase`): each breath begins
at a whole multiple of the breath cycle from a fixed epoch, so two partners in two
rooms who each start a sync on their own device breathe in step ("together,
apart"). The silence before the first inhale is worked out when the response is
rendered (`lock_breathing`), from the request timestamp and every line said before
the breathing, whichever practice put them there."""

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
from skill.audio.phase import Lock, lock
from skill.domain.couple import Profile
from skill.domain.events import EventKind
from skill.intents import Intent
from skill.practices.base import Practice
from skill.practices.outcomes import Ask, AskAgain, Finish, Outcome
from skill.practices.screens import SYNC_BREATHING, breathing_screen, lead_in_ms
from skill.practices.who import partner_in_slot, present_partner
from skill.screens.timing import spoken_ms
from skill.session import Flow, PracticeState
from skill.speech.render import Line, Reply, say
from skill.speech.ssml import Ssml, audio, brk
from skill.turn import Turn

START_CHIME = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"
END_CHIME = "soundbank://soundlibrary/musical/amzn_sfx_bell_med_chime_02"
DEFAULT_PACE_NAME = DEFAULT_PACE.name
# The breathing line's parameters: the silence before the first inhale (set by
# `lock_breathing`), the cues, and the breath cycle they run on.
LEAD = "lead"
CUES = "cues"
CYCLE = "cycle_ms"


class SyncStep(StrEnum):
    AGAIN = "again"


@dataclass(frozen=True, kw_only=True)
class SyncState(PracticeState):
    """After a round: another one, at this pace and length?"""

    flow = Flow.SILENT_SYNC

    step: SyncStep = SyncStep.AGAIN
    pace: str = DEFAULT_PACE_NAME
    breaths: int = 5
    # Started as "together, apart": each partner on their own device.
    apart: bool = False


class SilentSync(Practice[SyncState]):
    flow = Flow.SILENT_SYNC
    state_type = SyncState
    # A pace asked for with no sync going ("slower please") begins one at that pace.
    starts = frozenset({Intent.SILENT_SYNC, Intent.SYNC_APART, Intent.PACE})
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
        apart = turn.intent is Intent.SYNC_APART
        return self._round(turn, pace, breaths, first=True, before=before, apart=apart)

    def help(self, turn: Turn, state: SyncState) -> Outcome:
        key = "sync.help" if _hosted(turn) else "sync.help_spoken"
        return AskAgain(state, say(key))

    def question(self, turn: Turn, state: SyncState) -> tuple[Line, Line]:
        return say("sync.again"), say("sync.again_reprompt")

    def answer(self, turn: Turn, state: SyncState) -> Outcome:
        pace = pace_for(state.pace)
        if turn.intent is Intent.YES:
            return self._round(turn, pace, state.breaths, first=False, apart=state.apart)
        if turn.intent is Intent.PACE:
            asked = _requested_pace(turn)
            if asked is None:
                return self.unexpected(turn, state)
            # "Slower please": said back, so they know it was heard.
            before = [say(f"sync.pace_now_{asked.name}")] if asked.name != pace.name else []
            return self._round(
                turn, asked, state.breaths, first=False, before=before, apart=state.apart
            )
        return Finish(say("sync.goodbye"))

    def _round(
        self,
        turn: Turn,
        pace: Pace,
        breaths: int,
        *,
        first: bool,
        before: list[Line] | None = None,
        apart: bool = False,
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
        lines.append(_intro(turn, breaths, first=first, apart=apart))
        lines.append(breathing_line(turn, pace, breaths))
        lines.append(say("sync.close", breaths=breaths))
        screen = [breathing_screen(turn, pace, breaths)]
        if turn.state.queue:
            # Part of the evening ritual: no "another round?", the ritual goes on.
            return Finish(*lines, directives=screen)
        state = SyncState(pace=pace.name, breaths=breaths, apart=apart)
        return Ask(state, *lines, directives=screen)


def _intro(turn: Turn, breaths: int, *, first: bool, apart: bool) -> Line:
    if not first:
        return say("sync.intro_again_apart" if apart else "sync.intro_again", breaths=breaths)
    tones = "" if _hosted(turn) else "_spoken"
    if not apart:
        return say(f"sync.intro{tones}", breaths=breaths)
    other = _other_partner(turn)
    if other is None:
        return say(f"sync.intro_apart{tones}", breaths=breaths)
    return say(f"sync.intro_apart_named{tones}", breaths=breaths, partner=other)


def _other_partner(turn: Turn) -> str | None:
    """The partner in the other room: the one named ("breathe with Sam"), else the
    one who is not speaking, when that is known."""
    if not turn.profile.is_set_up:
        return None
    named = partner_in_slot(turn, "partner")
    if named is not None:
        return turn.profile.name_of(named)
    speaker = present_partner(turn)
    return turn.profile.name_of(speaker.other) if speaker is not None else None


def breathing_line(turn: Turn, pace: Pace, breaths: int) -> Line:
    """The breathing, with no silence before it yet (`lock_breathing` adds it)."""
    return say(
        "sync.breathing",
        lead=Ssml(""),
        cues=breathing(turn, pace, breaths),
        cycle_ms=pace.breath_ms,
    )


def lock_breathing(turn: Turn, reply: Reply) -> Lock | None:
    """Put the breathing in `reply` on the wall clock: the silence before its first
    inhale is set so that the inhale falls on a whole multiple of the breath cycle,
    counted from every line said before it (whoever added them) and the request's
    timestamp. Safe to call more than once; None when the reply has no breathing."""
    for index, line in enumerate(reply.lines):
        if line.key != SYNC_BREATHING.line_key:
            continue
        cycle = line.params.get(CYCLE)
        if not isinstance(cycle, int) or cycle <= 0:
            return None
        quiet = Line(line.key, {**line.params, LEAD: Ssml("")})
        lines = [*reply.lines[:index], quiet]
        before = lead_in_ms(turn, lines, SYNC_BREATHING) or 0
        planned = lock(turn.now, before, cycle)
        reply.lines[index] = Line(line.key, {**line.params, LEAD: brk(planned.lead_in_ms / 1000)})
        return planned
    return None


def breathing(turn: Turn, pace: Pace, breaths: int) -> Ssml:
    """The breathing itself, as SSML: hosted tones when configured, else spoken cues."""
    base_url = turn.services.settings.audio_base_url
    if base_url:
        return Ssml("".join(audio(url) for url in sync_audio_plan(pace, breaths, base_url)))
    breathe_in = turn.renderer.line(say("sync.cue_in"))
    breathe_out = turn.renderer.line(say("sync.cue_out"))
    # Each cue word is taken out of its phase at the same estimate the lead-in uses,
    # so every breath lasts one cycle and the lock holds from the first to the last.
    after_in = max(pace.inhale_ms - spoken_ms(breathe_in), 0) / 1000
    after_out = max(pace.exhale_ms - spoken_ms(breathe_out), 0) / 1000
    parts = [audio(START_CHIME), brk(1.0)]
    for _ in range(breaths):
        parts += [breathe_in, brk(after_in)]
        parts += [breathe_out, brk(after_out)]
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
