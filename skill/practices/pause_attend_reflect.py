"""Pause-Attend-Reflect, for a tense moment: a short guided pause, a quiet minute
to notice what is visible in the partner (two cues from a pool, varied), then
help to put a reflection into words ("I hear how <feeling> you feel about
<topic>"), then an offer to swap roles. Slow, calm speech; few words.

Nothing is kept but the practice day: the feelings and topics stay in the room."""

from __future__ import annotations

import random

from skill.audio.pacing import TURN_END_CHIME, cue_url
from skill.domain.couple import MAX_NAME, Profile, cap_text
from skill.intents import Intent
from skill.practices.base import Practice
from skill.practices.repair_word import is_repair_word
from skill.session import Flow, Step
from skill.speech.render import Line, Reply, say
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


class PauseAttendReflect(Practice):
    flow = Flow.PAUSE_ATTEND_REFLECT
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

    def start(self, turn: Turn) -> Reply:
        listener = turn.state.speaker if turn.state.speaker is not None else 0
        step = turn.state.start(Flow.PAUSE_ATTEND_REFLECT, "feeling", listener=listener, round=1)
        return self.ask_again(turn, step, say("par.pause"), *self._attend(turn, step))

    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        names = _roles(turn, step)
        if step.step == "topic":
            feeling = str(step.values["feeling"])
            return (
                say("par.ask_topic", feeling=feeling, **names),
                say("par.ask_topic_reprompt", **names),
            )
        if step.step == "swap":
            return say("par.ask_swap", **names), say("par.ask_swap_reprompt", **names)
        return say("par.ask_feeling", **names), say("par.ask_feeling_reprompt", **names)

    def answer(self, turn: Turn, step: Step) -> Reply:
        intent = turn.intent
        if intent is Intent.SAY_REPAIR_WORD and is_repair_word(
            turn.slot("repair_word"), turn.profile.repair_word
        ):
            # Their repair word, mid-pause: the repair comes first, this waits.
            from skill.practices.registry import begin

            return begin(turn, Flow.REPAIR)
        if step.step == "swap":
            return self._swap(turn, step)
        heard = _free_answer(turn)
        if not heard:
            return self.unexpected(turn, step)
        if step.step == "topic":
            return self._reflect(turn, step, cap_text(heard, MAX_TOPIC))
        if intent is Intent.TOPIC:
            # The topic came first: keep it, and still ask for the feeling.
            step = turn.state.goto("feeling", topic=cap_text(heard, MAX_TOPIC))
            return self.ask_again(turn, step, say("par.topic_first"))
        feeling = cap_text(heard.lower(), MAX_NAME)
        step = turn.state.goto("topic", feeling=feeling)
        if "topic" in step.values:
            return self._reflect(turn, step, str(step.values["topic"]))
        return self.ask_again(turn, step)

    # -- steps ------------------------------------------------------------------------

    def _attend(self, turn: Turn, step: Step) -> list[Line]:
        names = _roles(turn, step)
        cues = [say(key, **names) for key in _pick_cues(turn, int(step.values["round"]))]
        chime = audio(cue_url(TURN_END_CHIME, turn.services.settings.audio_base_url) or SOFT_CHIME)
        return [
            say("par.attend", **names),
            *cues,
            say("par.wait", wait=brk(ATTEND_SECONDS), chime=chime),
        ]

    def _reflect(self, turn: Turn, step: Step, topic: str) -> Reply:
        from skill.practices.registry import finish

        names = _roles(turn, step)
        today = turn.today

        def count_day(profile: Profile) -> None:
            profile.mark_practice(today)

        turn.change(count_day)
        reflection = say(
            "par.reflect",
            feeling=str(step.values["feeling"]),
            topic=topic,
            wait=brk(REFLECT_SECONDS),
            **names,
        )
        answer_back = say("par.answer_back", wait=brk(ANSWER_SECONDS), **names)
        if int(step.values["round"]) >= 2:
            return finish(turn, reflection, answer_back, say("par.close"))
        swap = turn.state.goto("swap")
        return self.ask_again(turn, swap, reflection, answer_back)

    def _swap(self, turn: Turn, step: Step) -> Reply:
        from skill.practices.registry import finish

        if turn.intent is Intent.YES:
            listener = 1 - int(step.values["listener"])
            step = turn.state.goto("feeling", listener=listener, round=2)
            for key in ("feeling", "topic"):
                step.values.pop(key, None)
            return self.ask_again(turn, step, say("par.swap_intro"), *self._attend(turn, step))
        if turn.intent is Intent.NO:
            return finish(turn, say("par.close"))
        return self.unexpected(turn, step)

    def stopped(self, turn: Turn, step: Step) -> list[Line]:
        return [say("par.stopped")]


def _roles(turn: Turn, step: Step) -> dict[str, str]:
    listener = int(step.values["listener"])
    profile = turn.profile
    return {"listener": profile.name_of(listener), "speaker": profile.name_of(1 - listener)}


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
