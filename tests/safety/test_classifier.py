"""The classifier beside the rules: pure Python at run time, trained at build time,
current with its training data, and quick."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from skill.domain.safety.classifier import classifier_for, features
from skill.domain.safety.screen import Concern, screen_for

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_model_is_current_with_its_training_data() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "train_safety.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_features_are_words_pairs_and_pieces() -> None:
    found = features(["he", "hit", "me"])
    assert {"w:hit", "b:he_hit", "b:hit_me", "c: hi", "c:hit "} <= found
    assert features([",", "ok"]) == features(["ok"])


def test_thresholds_leave_room_for_a_gentle_question() -> None:
    classifier = classifier_for("en")
    assert classifier is not None
    assert 0.5 < classifier.gentle < classifier.firm < 1.0
    assert classifier.trained_on


@pytest.mark.parametrize(
    "text",
    [
        "i wear long sleeves so nobody sees what i do to my arms",
        "he keeps the car keys and my passport so i can't go anywhere",
    ],
)
def test_the_screen_hears_more_than_its_rules(text: str) -> None:
    screen = screen_for("en")
    found = screen.screen(text)
    assert found is not None or screen.unsure(text)


def test_everyday_speech_is_neither_taken_nor_asked_about() -> None:
    screen = screen_for("en")
    for text in (
        "we had a lovely walk by the river",
        "a hug",
        "making tea when i was stressed",
        "money for the holidays",
        "set a budget together",
    ):
        assert screen.screen(text) is None, text
        assert not screen.unsure(text), text


def test_a_classifier_disclosure_is_named_as_such() -> None:
    classifier = classifier_for("en")
    assert classifier is not None
    assert Concern.OTHER_RISK.value == "other_risk"


def test_scoring_is_quick() -> None:
    classifier = classifier_for("en")
    assert classifier is not None
    words = [
        "we",
        "had",
        "a",
        "lovely",
        "walk",
        "by",
        "the",
        "river",
        "and",
        "then",
        "we",
        "made",
        "dinner",
    ]
    started = time.perf_counter()
    for _ in range(500):
        classifier.score(words)
    assert (time.perf_counter() - started) / 500 < 0.001
