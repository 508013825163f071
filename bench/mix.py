"""The realistic turn mix: what a couple says over an evening, as scripted episodes.

Each episode starts a fresh session (as a new "Alexa, open steady together" or a
one-shot "Alexa, ask steady together to ...") and is a list of turns. Every turn has a
type label (the key of the per-type statistics) and says whether it may write: a
read-only turn that writes anything breaks a goal.

Episodes that the skill cannot serve yet (a practice whose code or content is not
there, so the turn lands in the catch-all error handler) are found by a probe and left
out of the mix; the report names them."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from skill.chat.envelopes import Conversation

JsonDict = dict[str, Any]
FIRST_NAME, SECOND_NAME = "Alex", "Sam"


@dataclass(frozen=True)
class Turn:
    kind: str  # the turn type, e.g. "check-in: feeling"
    intent: str | None  # None: a LaunchRequest
    slots: dict[str, str] = field(default_factory=dict)
    read_only: bool = True


@dataclass(frozen=True)
class Episode:
    name: str
    turns: tuple[Turn, ...]


LAUNCH = Turn("launch", None)

SETUP = Episode(
    "setup (first use)",
    (
        Turn("launch (first use)", None),
        Turn(
            "setup: names",
            "CoupleNamesIntent",
            {"first_name": FIRST_NAME, "second_name": SECOND_NAME},
        ),
        Turn("setup: confirm", "AMAZON.YesIntent", read_only=False),
    ),
)

EPISODES: tuple[Episode, ...] = (
    Episode(
        "evening check-in",
        (
            LAUNCH,
            Turn("check-in: start", "CheckInIntent", {"time_of_day": "evening"}),
            Turn("check-in: feeling", "FeelingIntent", {"feeling": "fine"}),
            Turn("check-in: feeling", "FeelingIntent", {"feeling": "tired"}),
            Turn("check-in: need", "NeedIntent", {"need": "a quiet hour"}),
            Turn("check-in: feeling", "FeelingIntent", {"feeling": "hopeful"}),
            Turn("check-in: last need (saves)", "NeedIntent", {"need": "a walk together"}, False),
        ),
    ),
    Episode(
        "trust deposit",
        (
            Turn("trust deposit: start", "TrustDepositIntent", {"partner": SECOND_NAME}),
            Turn(
                "trust deposit: note (saves)", "NoteTextIntent", {"note": "made tea for me"}, False
            ),
        ),
    ),
    Episode("trust balance", (Turn("trust balance", "TrustBalanceIntent"),)),
    Episode(
        "silent sync",
        (
            Turn("silent sync (saves)", "SilentSyncIntent", {"breaths": "5"}, read_only=False),
            Turn("silent sync: no more", "AMAZON.NoIntent"),
        ),
    ),
    Episode(
        "history",
        (
            Turn("streak", "StreakIntent"),
            Turn("history: need", "HistoryNeedIntent", {"partner": FIRST_NAME}),
        ),
    ),
    Episode(
        "help and stop",
        (LAUNCH, Turn("help", "AMAZON.HelpIntent"), Turn("stop", "AMAZON.StopIntent")),
    ),
)


def envelope(conversation: Conversation, turn: Turn) -> JsonDict:
    if turn.intent is None:
        return conversation.launch()
    return conversation.intent(turn.intent, turn.slots or None)


def run_episode(
    conversation: Conversation, episode: Episode, answer: Callable[[JsonDict], JsonDict]
) -> Iterator[tuple[Turn, JsonDict, JsonDict]]:
    """Play one episode in a fresh session; yield (turn, request, response) per turn.
    The request is built before `answer` is called, so timing `answer` times the
    skill alone."""
    conversation.close()
    for turn in episode.turns:
        request = envelope(conversation, turn)
        response = answer(request)
        conversation.absorb(response)
        yield turn, request, response


class ErrorCounter(logging.Handler):
    """Counts the skill's error-handler log records (a turn that failed inside)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("skill.handlers.errors"):
            self.count += 1

    def __enter__(self) -> ErrorCounter:
        logging.getLogger("skill.handlers.errors").addHandler(self)
        return self

    def __exit__(self, *_: object) -> None:
        logging.getLogger("skill.handlers.errors").removeHandler(self)


def playable_episodes(
    answer: Callable[[JsonDict], JsonDict], user_id: str
) -> tuple[list[Episode], list[str]]:
    """Play setup and every episode once for a probe couple: the episodes the skill
    serves without landing in its error handlers, and the names of the others."""
    conversation = Conversation(user_id=user_id)
    served: list[Episode] = []
    skipped: list[Episode] = []
    with ErrorCounter() as errors:
        for _ in run_episode(conversation, SETUP, answer):
            pass
        if errors.count:
            raise RuntimeError("the skill failed during setup: nothing to measure")
        for episode in EPISODES:
            before = errors.count
            for _ in run_episode(conversation, episode, answer):
                pass
            (served if errors.count == before else skipped).append(episode)
    return served, [episode.name for episode in skipped]
