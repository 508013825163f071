"""Pause-Attend-Reflect, for a tense moment: a short guided pause, a quiet minute
to notice what is visible in the partner (two cues from a pool, varied), then
help to put a reflection into words ("I hear how <feeling> you feel about
<topic>"), then an offer to swap roles. Slow, calm speech; few words.

Nothing is kept but the practice day: the feelings and topics stay in the room."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from enum import StrEnum

from skill.audio.pacing import TURN_END_CHIME, cue_url
from skill.domain.couple import MAX_NAME, PartnerIndex, Profile, cap_text
from skill.domain.spoken_answer import bare_topic, feeling_and_topic
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.outcomes import Ask, Finish, HandOver, Outcome
from skill.practices.repair_word_heard import is_repair_word
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.speech.ssml import audio, brk
from skill.turn import Turn

CUE_PREFIX = "par.cue."
CUES_PER_ROUND = 2
# Quiet time for the speaking partner while the listener attends.
ATTEND_SECONDS = 30.0
# Time to say the reflection aloud, and to answer it, before the next words.
REFLECT_SECONDS = 6.0
ANSWER_SECONDS = 8.0
MAX_TOPIC = 100
SOFT_CHIME = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"


class ParStep(StrEnum):
    FEELING = "feeling"
    TOPIC = "topic"
    SWAP = "swap"


@dataclass(frozen=True, kw_only=True)
class ParState(PracticeState):
    flow = Flow.PAUSE_ATTEND_REFLECT

    step: ParStep = ParStep.FEELING
    # The partner who attends and reflects (the other one speaks), and which round.
    listener: PartnerIndex = PartnerIndex.FIRST
    round: int = 1
    # What the reflection is made of, as it is heard (either may come first).
    feeling: str = ""
    topic: str | None = None


class PauseAttendReflect(Practice[ParState]):
    flow = Flow.PAUSE_ATTEND_REFLECT
    state_type = ParState
    starts = frozenset({Intent.PAUSE_ATTEND_REFLECT})
    # A short free answer may arrive as any of the one-slot intents.
    answers = frozenset(
        {
            Intent.FEELING,
            Intent.TOPIC,
            Intent.NOTE_TEXT,
            Intent.SAY_REPAIR_WORD,
            Intent.YES,
            Intent.NO,
        }
    )
    speech = "par"

    def start(self, turn: Turn) -> Outcome:
        speaker = turn.state.speaker
        state = ParState(listener=speaker if speaker is not None else PartnerIndex.FIRST)
        return Ask(state, say("par.pause"), *self._attend(turn, state))

    def elicit(self, state: ParState) -> Elicits | None:
        if state.step is ParStep.FEELING:
            return (Intent.FEELING, "feeling")
        if state.step is ParStep.TOPIC:
            return (Intent.TOPIC, "topic")
        return None

    def question(self, turn: Turn, state: ParState) -> tuple[Line, Line]:
        names = _roles(turn, state)
        if state.step is ParStep.TOPIC:
            return (
                say("par.ask_topic", feeling=state.feeling, **names),
                say("par.ask_topic_reprompt", **names),
            )
        if state.step is ParStep.SWAP:
            return say("par.ask_swap", **names), say("par.ask_swap_reprompt", **names)
        return say("par.ask_feeling", **names), say("par.ask_feeling_reprompt", **names)

    def answer(self, turn: Turn, state: ParState) -> Outcome:
        intent = turn.intent
        if intent is Intent.SAY_REPAIR_WORD and is_repair_word(
            turn.slot("repair_word"), turn.profile.repair_word
        ):
            # Their repair word, mid-pause: the repair comes first, this waits.
            return HandOver(Flow.REPAIR, come_back=True)
        if state.step is ParStep.SWAP:
            return self._swap(turn, state)
        heard = _free_answer(turn)
        if not heard or turn.profile.partner_named(heard) is not None:
            # Nothing, or only a name ("Alex", saying who speaks): not the feeling, nor
            # what it is about; the question stays.
            return self.unexpected(turn, state)
        if state.step is ParStep.TOPIC:
            return self._reflect(turn, state, cap_text(bare_topic(heard), MAX_TOPIC))
        if intent is Intent.TOPIC:
            # The topic came first: keep it, and still ask for the feeling.
            topic_first = replace(state, step=ParStep.FEELING, topic=cap_text(heard, MAX_TOPIC))
            return Ask(topic_first, say("par.topic_first"))
        # "Sad, about the weekend plans": heard in two slots, or in one.
        feeling, topic = feeling_and_topic(heard)
        topic = turn.slot("topic").value or topic
        state = replace(state, step=ParStep.TOPIC, feeling=cap_text(feeling.lower(), MAX_NAME))
        if topic and state.topic is None:
            # "Sad, about the weekend plans": the feeling and what it is about at once.
            state = replace(state, topic=cap_text(topic, MAX_TOPIC))
        if state.topic is not None:
            return self._reflect(turn, state, state.topic)
        return Ask(state)

    # -- steps ------------------------------------------------------------------------

    def _attend(self, turn: Turn, state: ParState) -> list[Line]:
        names = _roles(turn, state)
        cues = [say(key, **names) for key in _pick_cues(turn, state.round)]
        chime = audio(cue_url(TURN_END_CHIME, turn.services.settings.audio_base_url) or SOFT_CHIME)
        return [
            say("par.attend", **names),
            *cues,
            say("par.wait", wait=brk(ATTEND_SECONDS), chime=chime),
        ]

    def _reflect(self, turn: Turn, state: ParState, topic: str) -> Outcome:
        names = _roles(turn, state)
        today = turn.today

        def count_day(profile: Profile) -> None:
            profile.mark_practice(today)

        turn.change(count_day)
        reflection = say(
            "par.reflect",
            feeling=state.feeling,
            topic=topic,
            wait=brk(REFLECT_SECONDS),
            **names,
        )
        answer_back = say("par.answer_back", wait=brk(ANSWER_SECONDS), **names)
        if state.round >= 2:
            return Finish(reflection, answer_back, say("par.close"))
        return Ask(replace(state, step=ParStep.SWAP), reflection, answer_back)

    def _swap(self, turn: Turn, state: ParState) -> Outcome:
        if turn.intent is Intent.YES:
            swapped = ParState(listener=state.listener.other, round=2)
            return Ask(swapped, say("par.swap_intro"), *self._attend(turn, swapped))
        if turn.intent is Intent.NO:
            return Finish(say("par.close"))
        return self.unexpected(turn, state)

    def stopped(self, turn: Turn, state: ParState) -> list[Line]:
        return [say("par.stopped")]


def _roles(turn: Turn, state: ParState) -> dict[str, str]:
    profile = turn.profile
    return {
        "listener": profile.name_of(state.listener),
        "speaker": profile.name_of(state.listener.other),
    }


def _free_answer(turn: Turn) -> str | None:
    """A short answer, whichever one-slot intent the model heard it as."""
    for slot in ("feeling", "topic", "note", "repair_word"):
        value = turn.slot(slot).value
        if value:
            return value
    return None


def _pick_cues(turn: Turn, round_number: int) -> list[str]:
    """Two cue keys from the pool, varied per run (repeatable per request)."""
    pool = sorted(key for key in turn.content.phrases if key.startswith(CUE_PREFIX))
    chooser = random.Random(f"{turn.request_id}:{round_number}")
    return chooser.sample(pool, min(CUES_PER_ROUND, len(pool)))
