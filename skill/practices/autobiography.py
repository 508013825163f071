"""Emotional autobiographies: a prompt about a formative emotional moment, then a
timed turn for each partner with listener guidance before it, a chime at its end
and a swap. Prompts are not repeated until all of them have been used.

A turn of several minutes does not fit in one Alexa response (at most 240 s of
audio, five clips, breaks of ten seconds), so it runs in chunks of quiet of about
two minutes, each followed by "Still going?"."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache

from skill.audio.pacing import BACKGROUND_BED, CUE_DURATIONS_MS, TURN_END_CHIME, cue_url
from skill.domain.couple import PartnerIndex, Profile
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
# Quiet per response: well inside Alexa's 240 s of audio, with room for the chime.
CHUNK_SECONDS = 120
BED_SECONDS = CUE_DURATIONS_MS[BACKGROUND_BED] // 1000
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

    step: AutobiographyStep = AutobiographyStep.READY
    # Who speaks now and who spoke first; the prompt; the length of a turn.
    asked: PartnerIndex
    order: PartnerIndex
    prompt: int
    minutes: int
    # Seconds left of the speaker's turn, and how many turns are done.
    left: int
    turns: int = 0


class Autobiography(Practice[AutobiographyState]):
    flow = Flow.AUTOBIOGRAPHY
    state_type = AutobiographyState
    starts = frozenset({Intent.AUTOBIOGRAPHY})
    answers = frozenset({Intent.YES, Intent.NO, Intent.CONTINUE})
    speech = "autobio"

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
            left = state.left // 60
            reprompt_key = "autobio.going_reprompt_one" if left == 1 else "autobio.going_reprompt"
            return say("autobio.going", name=name), say(
                reprompt_key, name=name, listener=listener, left=left
            )
        return (
            say("autobio.ready", name=name, prompt=_prompt_text(turn, state)),
            say("autobio.ready_reprompt", name=name, minutes=state.minutes),
        )

    def answer(self, turn: Turn, state: AutobiographyState) -> Outcome:
        intent = turn.intent
        if intent in (Intent.YES, Intent.CONTINUE):
            return self._quiet_time(turn, state, first=state.step is AutobiographyStep.READY)
        if intent is Intent.NO:
            if state.step is AutobiographyStep.GOING:
                return self._end_turn(turn, state, [])
            return AskAgain(state, say("autobio.take_your_time"))
        return self.unexpected(turn, state)

    def _guidance(self, turn: Turn, state: AutobiographyState) -> Line:
        return say(
            "autobio.listener_guidance",
            name=turn.profile.name_of(state.asked),
            listener=turn.profile.name_of(state.asked.other),
        )

    def _quiet_time(self, turn: Turn, state: AutobiographyState, *, first: bool) -> Outcome:
        """One chunk of the speaker's turn; asks "still going?" while time is left."""
        chunk = min(state.left, CHUNK_SECONDS)
        left = state.left - chunk
        name = turn.profile.name_of(state.asked)
        lines = [
            say("autobio.go" if first else "autobio.more_time", name=name),
            say("autobio.quiet", quiet=quiet(turn, chunk)),
        ]
        if left > 0:
            return Ask(replace(state, step=AutobiographyStep.GOING, left=left), *lines)
        return self._end_turn(turn, state, lines)

    def _end_turn(self, turn: Turn, state: AutobiographyState, lines: list[Line]) -> Outcome:
        who = state.asked
        names = {"name": turn.profile.name_of(who), "listener": turn.profile.name_of(who.other)}
        turns = state.turns + 1
        lines = [
            *lines,
            say("autobio.chime", chime=turn_end_chime(turn)),
            say("autobio.time_up", **names),
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
        )
        return Ask(swapped, *lines, say("autobio.swap"), self._guidance(turn, swapped))

    def _keep(self, turn: Turn, state: AutobiographyState, turns: int) -> None:
        today = turn.today

        def mark(profile: Profile) -> None:
            profile.mark_practice(today)

        turn.change(mark)
        turn.record(
            EventKind.AUTOBIOGRAPHY, prompt=state.prompt, minutes=state.minutes, turns=turns
        )

    def stopped(self, turn: Turn, state: AutobiographyState) -> list[Line]:
        # The prompt was marked used when it was given; a finished turn still counts.
        if state.turns:
            self._keep(turn, state, state.turns)
        return [say("autobio.kept_prompt")]


def quiet(turn: Turn, seconds: int) -> Ssml:
    """Quiet background for the speaker: the hosted bed when configured, else breaks."""
    bed = cue_url(BACKGROUND_BED, turn.services.settings.audio_base_url)
    if bed is not None:
        clips = -(-seconds // BED_SECONDS)
        return Ssml("".join(audio(bed) for _ in range(clips)))
    return brk(seconds)


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
