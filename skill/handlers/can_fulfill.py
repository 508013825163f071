"""Name-free requests: Alexa asks, with a `CanFulfillIntentRequest`, whether the skill
could take an intent and its slots ("Alexa, let's do a silent sync" said without
"ask Steady Together"). The answer is YES, NO or MAYBE for the intent and, for each
slot heard, whether its value is understood and could be acted on.

Honest, and nothing more: nothing is said, nothing is stored, no practice runs and
no API is called. The couple's profile may be read (their names, their repair word)
to tell a name of theirs from any other; a store that cannot answer makes the answer
MAYBE, never a failure.

The rules, intent by intent:

- An intent that starts a practice from anywhere: YES, when every slot is
  understood and can be acted on; MAYBE when one needs a question first (a name
  that is not one of theirs, 40 breaths when the skill guides 3 to 10); NO when a
  slot's value means nothing to the skill ("a purple silent sync").
- An answer to one of the skill's own questions ("tired", "for Alex", "yes",
  "let's continue") and Alexa's built-ins (help, stop, repeat...): NO. Out of the blue
  they are not requests for this skill, and Alexa answers them itself.
- "I feel ..." starts the feelings wheel inside the skill, but said to Alexa without
  the skill's name it is not ours to claim: NO (Alexa has its own answers to
  distress), unless it is what the safety rule below takes.
- Safety comes first, as everywhere in the skill. SafetyIntent is always YES, and so
  is any intent whose words the safety screen reads as a disclosure, or may be one:
  the skill would answer with the locale's help lines, or ask gently whether the
  person is safe. Those are never answered NO, whatever the intent (docs/safety.md).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from ask_sdk_model import Response

from skill.audio.pacing import MAX_BREATHS, MIN_BREATHS
from skill.domain.couple import Profile
from skill.intents import FIRST_NAME, NUMBER, SEARCH_QUERY, TIME, Intent, SlotType, slots_of
from skill.practices.autobiography import MAX_MINUTES, MIN_MINUTES
from skill.practices.registry import starting_intents
from skill.practices.repair_word_heard import says_repair_word
from skill.store.base import StoreError
from skill.turn import SlotReading, Turn

log = logging.getLogger(__name__)


class Answer(StrEnum):
    YES = "YES"
    NO = "NO"
    MAYBE = "MAYBE"


@dataclass(frozen=True)
class SlotAnswer:
    """Whether a slot's value is understood (YES, NO, MAYBE) and could be acted on
    (YES or NO: Alexa allows no MAYBE there)."""

    understand: Answer
    fulfill: bool


@dataclass(frozen=True)
class Verdict:
    intent: Answer
    slots: Mapping[str, SlotAnswer]


# Started from anywhere, but not ours to claim from a request without our name: "I feel
# ..." (Alexa has its own answers to distress) and a bare pace ("slower, please"), which
# begins a sync inside the skill but out of the blue is as likely about the music.
NOT_NAME_FREE = frozenset({Intent.FEELING, Intent.PACE})
# Free text kept as said (a need, a note, a topic, a step, a repair phrase).
OWN_WORDS_TYPES = frozenset(
    {SlotType.NEED, SlotType.NOTE, SlotType.TOPIC, SlotType.STEP, SlotType.REPAIR_PHRASE}
)
# Listed values where an unlisted one is still taken (a feeling, a trap: general tips).
OPEN_TYPES = frozenset({SlotType.FEELING, SlotType.TRAP})
# Names the skill takes as given (the couple saying who they are).
NAMES_AS_GIVEN = frozenset({Intent.COUPLE_NAMES, Intent.NAME})
# A count, with the range the practice guides.
RANGES: Mapping[tuple[Intent, str], tuple[int, int]] = {
    (Intent.SILENT_SYNC, "breaths"): (MIN_BREATHS, MAX_BREATHS),
    (Intent.AUTOBIOGRAPHY, "minutes"): (MIN_MINUTES, MAX_MINUTES),
}

_YES = SlotAnswer(Answer.YES, fulfill=True)
_NO = SlotAnswer(Answer.NO, fulfill=False)


def verdict(turn: Turn) -> Verdict:
    """The answer to this CanFulfillIntentRequest."""
    intent = turn.intent
    heard = _heard_slots(turn)
    if intent is None:
        return Verdict(Answer.NO, dict.fromkeys(heard, _NO))
    if intent is Intent.SAFETY or _may_disclose(turn):
        # Help, or the gentle question, is what the skill would answer: never NO.
        return Verdict(Answer.YES, dict.fromkeys(heard, _YES))
    if intent not in starting_intents() or intent in NOT_NAME_FREE:
        return Verdict(Answer.NO, dict.fromkeys(heard, _NO))
    profile = _profile(turn)
    answers = {name: _slot(turn, intent, name, reading, profile) for name, reading in heard.items()}
    return Verdict(_overall(answers.values()), answers)


def _overall(answers: Iterable[SlotAnswer]) -> Answer:
    found = list(answers)
    if any(a.understand is Answer.NO for a in found):
        return Answer.NO
    if all(a.understand is Answer.YES and a.fulfill for a in found):
        return Answer.YES
    return Answer.MAYBE


def _heard_slots(turn: Turn) -> dict[str, SlotReading]:
    request = turn.request
    slots = getattr(getattr(request, "intent", None), "slots", None) or {}
    return {str(name): turn.slot(str(name)) for name in slots if turn.slot(str(name)).raw}


def _may_disclose(turn: Turn) -> bool:
    """The safety screen, as the router runs it first on every intent request."""
    try:
        return turn.disclosure is not None or turn.unsure
    except Exception:  # a screen that cannot answer must never make the answer NO
        log.warning("safety screen failed on a name-free request")
        return True


def _profile(turn: Turn) -> Profile | None:
    try:
        return turn.profile if turn.profile.is_set_up else None
    except StoreError:
        return None


def _slot(
    turn: Turn, intent: Intent, name: str, reading: SlotReading, profile: Profile | None
) -> SlotAnswer:
    declared = {slot.name: slot.type for slot in slots_of(intent)}
    kind = declared.get(name)
    if kind is None:
        return _NO  # a slot this intent does not have
    if kind == FIRST_NAME:
        return _name(intent, reading, profile)
    if kind == NUMBER:
        return _number(intent, name, reading)
    if kind == TIME:
        return _YES
    if kind in OWN_WORDS_TYPES or kind == SEARCH_QUERY:
        return _YES
    if kind == SlotType.REPAIR_WORD:
        return _YES if profile is not None and says_repair_word(turn, profile.repair_word) else _NO
    if reading.resolved_id is not None:
        return _YES
    if kind in OPEN_TYPES:
        return SlotAnswer(Answer.MAYBE, fulfill=True)
    return _NO


def _name(intent: Intent, reading: SlotReading, profile: Profile | None) -> SlotAnswer:
    if intent in NAMES_AS_GIVEN:
        return _YES
    if profile is None:
        # Not set up yet (or the store did not answer): the names come first.
        return SlotAnswer(Answer.YES, fulfill=False)
    if profile.partner_named(reading.value or "") is not None:
        return _YES
    # A name, but not one of theirs: the skill would ask whom they mean.
    return SlotAnswer(Answer.YES, fulfill=False)


def _number(intent: Intent, name: str, reading: SlotReading) -> SlotAnswer:
    raw = (reading.raw or "").strip()
    if not raw.lstrip("-").isdigit():
        return _NO
    low, high = RANGES.get((intent, name), (0, 10**6))
    within = len(raw) < 8 and low <= int(raw) <= high
    # Outside the range the skill takes the nearest it guides, and says so.
    return SlotAnswer(Answer.YES, fulfill=within)


def can_fulfill_response(turn: Turn, found: Verdict) -> Response:
    from ask_sdk_model.canfulfill import (
        CanFulfillIntent,
        CanFulfillIntentValues,
        CanFulfillSlot,
        CanFulfillSlotValues,
        CanUnderstandSlotValues,
    )

    slots = {
        name: CanFulfillSlot(
            can_understand=CanUnderstandSlotValues(answer.understand.value),
            can_fulfill=CanFulfillSlotValues("YES" if answer.fulfill else "NO"),
        )
        for name, answer in found.slots.items()
    }
    builder = turn.handler_input.response_builder
    builder.set_can_fulfill_intent(
        CanFulfillIntent(can_fulfill=CanFulfillIntentValues(found.intent.value), slots=slots)
    )
    response: Response = builder.response
    return response


def answer_name_free(turn: Turn) -> Response:
    """Answer a CanFulfillIntentRequest (skill.handlers.lifecycle.CanFulfillHandler):
    no speech, no card, nothing saved."""
    found = verdict(turn)
    log.info(
        "can_fulfill answered",
        extra={
            "event": "can_fulfill",
            "outcome": found.intent.value,
            "intent": str(turn.intent or ""),
        },
    )
    turn.forget_pending()  # nothing of this request is ever written
    return can_fulfill_response(turn, found)
