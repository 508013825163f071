"""Emotional autobiographies: a prompt about a formative emotional moment, then a
timed turn for each partner with listener guidance before it, a chime at its end
and a swap. Prompts are not repeated until all of them have been used.

A turn runs on the request clock, to its chosen length: a response holds up to
`OUT_QUIET_SECONDS` of quiet, and a turn that does not fit ends quietly with the
microphone open and no words (nobody is cut off). Whatever is heard then, speech of
any kind, continues the quiet for the time left; silence plays the reprompt, which is
more quiet, and rings the chime when it reaches the end. The turn ends with the chime.
Cut off (two silences, or stop), it is kept in the profile, and "let's continue"
picks it up, in this session or the next, for `RESUMABLE_FOR`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum
from functools import cache

from skill.audio.pacing import BACKGROUND_BED, CUE_DURATIONS_MS, TURN_END_CHIME, cue_url
from skill.domain.clock import as_utc
from skill.domain.couple import AutobiographyBreak, PartnerIndex, Profile, iso
from skill.domain.events import EventKind
from skill.intents import Intent
from skill.practices.base import Practice
from skill.practices.outcomes import Ask, AskAgain, Finish, Outcome
from skill.session import Flow, PracticeState
from skill.speech.content import Content, content_for
from skill.speech.render import Line, say
from skill.speech.ssml import Ssml, audio, brk
from skill.store.base import ProfileChange
from skill.turn import Turn

PROMPTS_DATA = "autobiography_prompts"
MIN_MINUTES = 1
MAX_MINUTES = 5
MAX_DIGITS = 6
# Quiet per response: with the hosted bed, three 60 s clips and breaks for the rest,
# within Alexa's 240 s of audio and five clips, with room for the chime.
OUT_QUIET_SECONDS = 220
# Quiet in a reprompt (at most 90 s of audio there).
REPROMPT_QUIET_SECONDS = 80
# How long the device listens after a response before the reprompt plays.
LISTEN_SECONDS = 8
# Less than this left of a turn: the turn is over.
END_SLACK_SECONDS = 10
MAX_BED_CLIPS = 3
BED_SECONDS = CUE_DURATIONS_MS[BACKGROUND_BED] // 1000
RESUMABLE_FOR = timedelta(hours=12)
# The first chunk of a turn, kept for the tests that read it.
CHUNK_SECONDS = OUT_QUIET_SECONDS
# Time for the listener to say back what they heard, after a turn.
REFLECT_SECONDS = 30.0
TURN_END_SOUND = "soundbank://soundlibrary/bell/chimes/chimes_01"


@dataclass(frozen=True)
class Prompt:
    id: int
    text: str


def prompt_library(content: Content) -> tuple[Prompt, ...]:
    return _library_for_locale(content.locale)


@cache
def _library_for_locale(locale: str) -> tuple[Prompt, ...]:
    body = content_for(locale).data[PROMPTS_DATA]
    return tuple(Prompt(int(p["id"]), str(p["text"])) for p in body["prompts"])


def choose_prompt(library: Sequence[Prompt], used: Sequence[int], seed: str) -> tuple[Prompt, bool]:
    """An unused prompt (varied by `seed`), and whether the library starts afresh
    because every prompt has been used."""
    unused = [prompt for prompt in library if prompt.id not in used]
    fresh = not unused
    pool = list(library) if fresh else unused
    digest = hashlib.blake2s(seed.encode(), digest_size=4).digest()
    return pool[int.from_bytes(digest, "big") % len(pool)], fresh


def use_prompt(prompt_id: int, known: frozenset[int], fresh: bool) -> ProfileChange:
    """Mark a prompt used; starting afresh forgets the earlier ones."""

    def change(profile: Profile) -> None:
        kept = [] if fresh else [p for p in profile.used_prompts if p in known and p != prompt_id]
        profile.used_prompts = [*kept, prompt_id]

    return change


def clamp_minutes(minutes: int) -> int:
    return max(MIN_MINUTES, min(MAX_MINUTES, minutes))


class AutobiographyStep(StrEnum):
    READY = "ready"
    GOING = "going"


@dataclass(frozen=True, kw_only=True)
class AutobiographyState(PracticeState):
    flow = Flow.AUTOBIOGRAPHY
    version = 2

    step: AutobiographyStep = AutobiographyStep.READY
    # Who speaks now and who spoke first; the prompt; the length of a turn.
    asked: PartnerIndex
    order: PartnerIndex
    prompt: int
    minutes: int
    # Seconds left of the speaker's turn (when it starts), and how many turns are done.
    left: int
    turns: int = 0
    # While a turn runs: when it ends (UTC), the quiet the reprompt holds, and when the
    # reprompt rings the chime ("" when it does not reach the end).
    ends_at: str = ""
    reprompt_quiet: int = 0
    rings_at: str = ""


class Autobiography(Practice[AutobiographyState]):
    flow = Flow.AUTOBIOGRAPHY
    state_type = AutobiographyState
    starts = frozenset({Intent.AUTOBIOGRAPHY})
    answers = frozenset({Intent.YES, Intent.NO, Intent.CONTINUE})
    speech = "autobio"
    # While a turn runs, whatever is heard is the speaker still talking.
    ALWAYS_GLOBAL = frozenset(
        {Intent.STOP, Intent.CANCEL, Intent.NAVIGATE_HOME, Intent.HELP, Intent.SAFETY}
    )

    def takes(self, state: AutobiographyState) -> frozenset[Intent]:
        if state.step is AutobiographyStep.GOING:
            return frozenset(Intent) - self.ALWAYS_GLOBAL
        return self.answers

    def start(self, turn: Turn) -> Outcome:
        before: list[Line] = []
        heard = _requested_minutes(turn)
        minutes = clamp_minutes(heard if heard is not None else turn.profile.turn_minutes)
        if heard is not None:
            if heard != minutes:
                before.append(say("autobio.minutes_limited", low=MIN_MINUTES, high=MAX_MINUTES))
            chosen = minutes

            def remember(profile: Profile) -> None:
                profile.turn_minutes = chosen

            turn.change(remember)
        library = prompt_library(turn.content)
        prompt, fresh = choose_prompt(library, turn.profile.used_prompts, turn.request_id)
        turn.change(use_prompt(prompt.id, frozenset(p.id for p in library), fresh))
        if fresh:
            before.append(say("autobio.library_fresh"))
        speaker = turn.state.speaker
        first = speaker if speaker is not None else PartnerIndex.FIRST
        state = AutobiographyState(
            asked=first, order=first, prompt=prompt.id, minutes=minutes, left=minutes * 60
        )
        intro = say("autobio.intro", minutes=minutes, name=turn.profile.name_of(first))
        return Ask(state, *before, intro, self._guidance(turn, state))

    def question(self, turn: Turn, state: AutobiographyState) -> tuple[Line, Line]:
        name = turn.profile.name_of(state.asked)
        listener = turn.profile.name_of(state.asked.other)
        if state.step is AutobiographyStep.GOING:
            # No words after the quiet: the mic opens for whoever is still talking.
            hold = quiet(turn, state.reprompt_quiet, clips=1)
            if state.rings_at:
                names = {"name": name, "listener": listener}
                return say("autobio.listening"), say(
                    "autobio.reprompt_end", quiet=hold, chime=turn_end_chime(turn), **names
                )
            return say("autobio.listening"), say("autobio.reprompt_quiet", quiet=hold)
        return (
            say("autobio.ready", name=name, prompt=_prompt_text(turn, state)),
            say("autobio.ready_reprompt", name=name, minutes=state.minutes),
        )

    def answer(self, turn: Turn, state: AutobiographyState) -> Outcome:
        intent = turn.intent
        if state.step is AutobiographyStep.GOING:
            if intent is Intent.NO:
                # "No" (not still going): the turn ends now.
                return self._end_turn(turn, state, [], chime=not self._rang(turn, state))
            return self._quiet_time(turn, state, first=False)
        if intent in (Intent.YES, Intent.CONTINUE):
            return self._quiet_time(turn, state, first=True)
        if intent is Intent.NO:
            return AskAgain(state, say("autobio.take_your_time"))
        return self.unexpected(turn, state)

    def _rang(self, turn: Turn, state: AutobiographyState) -> bool:
        """Whether the reprompt has rung the chime already."""
        return bool(state.rings_at) and turn.now >= as_utc(state.rings_at)

    def _guidance(self, turn: Turn, state: AutobiographyState) -> Line:
        return say(
            "autobio.listener_guidance",
            name=turn.profile.name_of(state.asked),
            listener=turn.profile.name_of(state.asked.other),
        )

    def _quiet_time(self, turn: Turn, state: AutobiographyState, *, first: bool) -> Outcome:
        """Quiet for the speaker, up to the end of the turn (on the request clock)."""
        if first:
            left = state.left
            ends_at = iso(turn.now + timedelta(seconds=left))
        else:
            ends_at = state.ends_at
            left = int((as_utc(ends_at) - turn.now).total_seconds())
            if left <= END_SLACK_SECONDS:
                return self._end_turn(turn, state, [], chime=not self._rang(turn, state))
        name = turn.profile.name_of(state.asked)
        chunk = min(left, OUT_QUIET_SECONDS)
        lines = [
            say("autobio.go" if first else "autobio.more_time", name=name),
            say("autobio.quiet", quiet=quiet(turn, chunk)),
        ]
        rest = left - chunk - LISTEN_SECONDS
        if rest <= END_SLACK_SECONDS:
            return self._end_turn(turn, state, lines)
        held = min(rest, REPROMPT_QUIET_SECONDS)
        rings = rest <= REPROMPT_QUIET_SECONDS
        going = replace(
            state,
            step=AutobiographyStep.GOING,
            ends_at=ends_at,
            reprompt_quiet=held,
            rings_at=iso(turn.now + timedelta(seconds=chunk + LISTEN_SECONDS + held))
            if rings
            else "",
        )
        return Ask(going, *lines)

    def _end_turn(
        self, turn: Turn, state: AutobiographyState, lines: list[Line], *, chime: bool = True
    ) -> Outcome:
        who = state.asked
        names = {"name": turn.profile.name_of(who), "listener": turn.profile.name_of(who.other)}
        turns = state.turns + 1
        ending = [say("autobio.chime", chime=turn_end_chime(turn)), say("autobio.time_up", **names)]
        lines = [
            *lines,
            *(ending if chime else []),
            say("autobio.reflect", pause=brk(REFLECT_SECONDS), **names),
        ]
        if turns >= 2:
            self._keep(turn, state, turns)
            return Finish(*lines, say("autobio.close"))
        swapped = replace(
            state,
            step=AutobiographyStep.READY,
            asked=who.other,
            left=state.minutes * 60,
            turns=turns,
            ends_at="",
            reprompt_quiet=0,
            rings_at="",
        )
        return Ask(swapped, *lines, say("autobio.swap"), self._guidance(turn, swapped))

    def _keep(self, turn: Turn, state: AutobiographyState, turns: int) -> None:
        today = turn.today

        def mark(profile: Profile) -> None:
            profile.mark_practice(today)
            profile.autobiography_break = None

        turn.change(mark)
        turn.record(
            EventKind.AUTOBIOGRAPHY, prompt=state.prompt, minutes=state.minutes, turns=turns
        )

    def stopped(self, turn: Turn, state: AutobiographyState) -> list[Line]:
        """Cut off (stop, or two silences): kept to be picked up with "let's continue"."""
        asked, left, turns = state.asked, state.left, state.turns
        if state.step is AutobiographyStep.GOING:
            left = int((as_utc(state.ends_at) - turn.now).total_seconds())
            if left <= END_SLACK_SECONDS:
                # The turn ran to its end (the reprompt rang the chime): the swap is next.
                asked, left, turns = asked.other, state.minutes * 60, turns + 1
        if turns >= 2:
            self._keep(turn, state, turns)
            return [say("autobio.close")]
        if state.turns:
            turn.record(
                EventKind.AUTOBIOGRAPHY, prompt=state.prompt, minutes=state.minutes, turns=turns
            )
        cut = AutobiographyBreak(
            at=iso(turn.now),
            prompt=state.prompt,
            asked=int(asked),
            order=int(state.order),
            minutes=state.minutes,
            left=max(left, MIN_MINUTES * 60 // 2),
            turns=turns,
        )
        today = turn.today

        def keep(profile: Profile) -> None:
            profile.autobiography_break = cut
            if turns:
                profile.mark_practice(today)

        turn.change(keep)
        return [say("autobio.kept_for_later")]

    def resume_later(self, turn: Turn) -> Outcome | None:
        """ "Let's continue" with nothing going on: an autobiography cut off lately."""
        cut = turn.profile.autobiography_break if turn.profile.is_set_up else None
        if cut is None or turn.now - as_utc(cut.at) > RESUMABLE_FOR:
            return None

        def clear(profile: Profile) -> None:
            profile.autobiography_break = None

        turn.change(clear)
        state = AutobiographyState(
            asked=PartnerIndex(cut.asked),
            order=PartnerIndex(cut.order),
            prompt=cut.prompt,
            minutes=cut.minutes,
            left=cut.left,
            turns=cut.turns,
        )
        name = turn.profile.name_of(state.asked)
        minutes_left = max(1, round(cut.left / 60))
        if minutes_left == 1:
            return Ask(state, say("autobio.picking_up_one", name=name))
        return Ask(state, say("autobio.picking_up", name=name, left=minutes_left))


def quiet(turn: Turn, seconds: int, clips: int = MAX_BED_CLIPS) -> Ssml:
    """Quiet background for the speaker: whole loops of the hosted bed when configured
    (at most `clips`), and breaks for the rest."""
    if seconds <= 0:
        return Ssml("")
    bed = cue_url(BACKGROUND_BED, turn.services.settings.audio_base_url)
    if bed is None:
        return brk(seconds)
    loops = min(seconds // BED_SECONDS, clips)
    rest = seconds - loops * BED_SECONDS
    return Ssml("".join(audio(bed) for _ in range(loops)) + (brk(rest) if rest else ""))


def turn_end_chime(turn: Turn) -> Ssml:
    hosted = cue_url(TURN_END_CHIME, turn.services.settings.audio_base_url)
    return audio(hosted or TURN_END_SOUND)


def _prompt_text(turn: Turn, state: AutobiographyState) -> str:
    wanted = state.prompt
    library = prompt_library(turn.content)
    found = next((p for p in library if p.id == wanted), None)
    return (found or library[0]).text


def _requested_minutes(turn: Turn) -> int | None:
    raw = (turn.slot("minutes").raw or "").strip()
    if not raw.lstrip("-").isdigit():
        return None
    # A very long number is just "a lot" (and int() refuses thousands of digits).
    return int(raw[:MAX_DIGITS])
