"""A small linear classifier beside the screen's rules: it hears disclosures in
wording no rule was written for.

Pure Python over data (`<language>_classifier.json` beside this file), trained at build
time by `tools/train_safety.py` with scikit-learn: binary features (words, word pairs,
and the three- to five-letter pieces of each word, which carry slang and spelling) and
one weight each; the score is the logistic of their sum. No library is needed at run
time and a text costs tens of microseconds.

The screen uses two thresholds: at or above `firm` the classifier alone is a
disclosure; between `gentle` and `firm` the skill asks, kindly, whether the person is
safe, before it keeps or coaches on anything (see skill/practices/safety.py)."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MIN_PIECE, MAX_PIECE = 3, 5


def features(words: Iterable[str]) -> set[str]:
    """The classifier's features of normalised words (see SafetyScreen.normalise)."""
    tokens = [word for word in words if word != ","]
    found = {f"w:{word}" for word in tokens}
    found.update(f"b:{a}_{b}" for a, b in itertools.pairwise(tokens))
    for word in tokens:
        padded = f" {word} "
        for size in range(MIN_PIECE, MAX_PIECE + 1):
            found.update(f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1))
    return found


@dataclass(frozen=True)
class Classifier:
    weights: Mapping[str, float]
    intercept: float
    gentle: float
    firm: float
    trained_on: str  # a digest of the training data, to tell when it is stale

    def score(self, words: Iterable[str]) -> float:
        """The probability-like score of a disclosure, 0..1."""
        total = self.intercept + sum(self.weights.get(f, 0.0) for f in features(words))
        if total >= 0:
            return 1.0 / (1.0 + math.exp(-total))
        exp = math.exp(total)
        return exp / (1.0 + exp)


def classifier_from(body: Mapping[str, object]) -> Classifier:
    weights = body["weights"]
    thresholds = body["thresholds"]
    if not isinstance(weights, dict) or not isinstance(thresholds, dict):
        raise ValueError("a classifier needs weights and thresholds")
    return Classifier(
        weights={str(k): float(v) for k, v in weights.items()},
        intercept=float(str(body["intercept"])),
        gentle=float(thresholds["gentle"]),
        firm=float(thresholds["firm"]),
        trained_on=str(body.get("trained_on", "")),
    )


@cache
def classifier_for(language: str) -> Classifier | None:
    """The language's classifier, read once; None when the language has none."""
    source = Path(__file__).resolve().parent / f"{language}_classifier.json"
    if not source.is_file():
        return None
    return classifier_from(json.loads(source.read_text(encoding="utf-8")))
