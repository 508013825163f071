"""What the skill suggests saying is understood when it is said: at every step of
every practice, each phrase offered ("say: make a deposit", "like: it's about the
dishes", "is it closer to drained, worn out, or numb?") is heard through the model,
as Alexa would hear it with the slot the question asks for, and taken as an answer
(never "I didn't catch that")."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from skill.chat.model import load_model, model_path
from skill.chat.nlu import is_launch, understand
from skill.speech.content import content_for
from skill.store.memory import MemoryStore
from tests.dialog.harness import (
    Conversation,
    Said,
    make_skill,
    set_up_couple,
    test_settings,
    walk,
)
from tests.safety.paths import PATHS, SETUP_PATHS

_HOMES = itertools.count()

# "say: X", "say, gently: X", "like: X" up to the end of the sentence.
_SAY = re.compile(
    r"\b(?:say(?:, gently)?|something like|for example|start with):\s+([^.?!]+)", re.IGNORECASE
)
# "Is it closer to A, B, or C?", "would it be A, B, or C?"
_OPTIONS = re.compile(
    r"\b(?:closer to|would it be|would you like(?: to do together)?:|shall we do:)\s+([^?]+)\?",
    re.IGNORECASE,
)
_NOT_AN_OPTION = frozenset({"something else", "anything else"})
# What follows a suggestion but is not part of it.
_TAIL = re.compile(r",\s+(?:and |to |once |so |which )\S.*$|,\s*$")
# A suggestion that is only the start of one ("our word is, and then the word").
_UNFINISHED = re.compile(r"\b(?:is|are|resolved|with|for|about|could|can|should)$")
# Said to each other, not to Alexa ("say: I hear how hurt you feel").
_TO_EACH_OTHER = re.compile(r"\b(?:you|your)\b", re.IGNORECASE)


def suggestions(text: str) -> list[str]:
    found: list[str] = []
    for match in _SAY.finditer(text):
        for part in re.split(r",?\s+or:\s+|,\s+or\s+(?=\w+:)", match.group(1)):
            phrase = _TAIL.sub("", part).strip(" ,")
            if (
                phrase
                and not _UNFINISHED.search(phrase.lower())
                and not _TO_EACH_OTHER.search(phrase)
            ):
                found.append(phrase)
    for match in _OPTIONS.finditer(text):
        options = (p.strip() for p in re.split(r",\s*(?:or\s+)?|\s+or\s+", match.group(1)))
        found.extend(o for o in options if o.lower() not in _NOT_AN_OPTION)
    return [f for f in found if f]


def household(tmp_path: Path, *, set_up: bool) -> Conversation:
    conv = Conversation(
        make_skill(MemoryStore(), test_settings(tmp_path)),
        user_id=f"amzn1.ask.account.SUGGEST{next(_HOMES)}",
    )
    return set_up_couple(conv) if set_up else conv


def eliciting(said: Said) -> tuple[str, str] | None:
    for directive in said.directives:
        if directive.get("type") == "Dialog.ElicitSlot":
            return directive["updatedIntent"]["name"], directive["slotToElicit"]
    return None


MISSED = [
    *content_for("en-US").phrases["common.didnt_catch"],
    *content_for("en-US").phrases["common.way_out"],
    *content_for("en-US").phrases["common.out_of_context"],
]
STEPS = {
    **{k: (v, True) for k, v in PATHS.items()},
    **{k: (v, False) for k, v in SETUP_PATHS.items()},
}


def test_suggestions_are_found_in_the_usual_shapes() -> None:
    said = "You can say: I need some quiet time, or: I need a hug. Is it closer to calm or numb?"
    assert suggestions(said) == ["I need some quiet time", "I need a hug", "calm", "numb"]
    assert suggestions("You can say: our word is, and then the word.") == []
    assert suggestions("Just say: make a deposit, and I'll ask who.") == ["make a deposit"]


@pytest.mark.parametrize("step", sorted(STEPS))
def test_every_phrase_the_skill_suggests_is_understood_there(step: str, tmp_path: Path) -> None:
    path, couple = STEPS[step]
    model = load_model(model_path("en-US"))
    offered = []
    misunderstood = []
    # Twice, so more than one wording of the question is seen.
    for round_number in range(2):
        conv = household(tmp_path / str(round_number), set_up=couple)
        said = walk(conv, path)
        for phrase in suggestions(f"{said.text} {said.reprompt}"):
            offered.append(phrase)
            launch, rest = is_launch(phrase.lower())
            text = rest if launch and rest else phrase
            heard = understand(text, model, eliciting=eliciting(said))
            after = conv.say(text)
            if heard.is_fallback or any(line in after.text for line in MISSED):
                misunderstood.append(f"{phrase!r} -> {heard.intent}: {after.text[:80]!r}")
            conv = household(tmp_path / f"{round_number}-{len(offered)}", set_up=couple)
            said = walk(conv, path)
    assert misunderstood == []
