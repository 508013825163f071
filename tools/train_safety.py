"""Train the safety classifier (build time; needs scikit-learn: pip install -e ".[train]").

    .venv/bin/python tools/train_safety.py          # writes skill/domain/safety/en_classifier.json
    .venv/bin/python tools/train_safety.py --check  # exit 1 if the committed model is stale

Data, all written for this project:
- positives: tools/safety_training/disclosures.jsonl, the safety corpora that have been
  scored already (tests/safety/corpus: the development set and each held-out set once
  its figure was recorded, see that folder's README) and SafetyIntent's samples;
- negatives: tools/safety_training/harmless.jsonl, the corpora's harmless sentences,
  every other intent's samples (slots filled with listed values) and every slot value.

Thresholds come from five-fold cross-validated scores, never from the training fit,
on the written harmless sentences (each chosen to share words with disclosures, so far
harder than everyday speech): at `firm` 1% of them would be taken for a disclosure; at
`gentle` 6% would be asked, kindly, whether they are safe.
The held-out set written after this model (the next one) is never read here."""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skill.chat.model import load_model
from skill.domain.safety.classifier import features
from skill.domain.safety.screen import screen_for

TRAINING = ROOT / "tools" / "safety_training"
CORPUS = ROOT / "tests" / "safety" / "corpus"
OUT = ROOT / "skill" / "domain" / "safety" / "en_classifier.json"
# Held-out sets whose first score is recorded (corpus/README.md) and may now be learnt.
SCORED_SETS = ("held_out", "held_out_2", "held_out_3")
MIN_WEIGHT = 0.05
FIRM_TAKEN = 0.01  # of the hard harmless sentences, in cross-validation
GENTLE_ASKED = 0.06


def _lines(path: Path) -> list[str]:
    return [json.loads(raw)["text"] for raw in path.read_text(encoding="utf-8").splitlines() if raw]


def examples() -> tuple[list[str], list[str], list[Path]]:
    """(disclosures, harmless, the files they come from); the harmless sentences of
    the corpora come first among the negatives (see `hard_count`)."""
    sources = [TRAINING / "disclosures.jsonl", CORPUS / "disclosures.jsonl"]
    sources += [CORPUS / f"{name}.jsonl" for name in SCORED_SETS]
    harmless = [TRAINING / "harmless.jsonl", CORPUS / "harmless.jsonl"]
    harmless += [CORPUS / f"{name}_harmless.jsonl" for name in SCORED_SETS]
    positives = [text for path in sources for text in _lines(path)]
    negatives = [text for path in harmless for text in _lines(path)]
    global hard_count  # noqa: PLW0603 -- the written harmless sentences, first
    hard_count = len(negatives)
    model = load_model(ROOT / "interaction_models" / "en-US.json")
    for intent in model.intents:
        for sample in intent.samples:
            text = _filled(model, intent, sample)
            (positives if intent.name == "SafetyIntent" else negatives).append(text)
    negatives += [value.value for slot_type in model.types for value in slot_type.values]
    paths = [*sources, *harmless, ROOT / "interaction_models" / "en-US.json"]
    # The screen's normalising (contractions) shapes the features too.
    return positives, negatives, [*paths, ROOT / "skill" / "domain" / "safety" / "en.json"]


hard_count = 0


def _filled(model: object, intent: object, sample: str) -> str:
    examples = {
        "AMAZON.FirstName": "sam",
        "AMAZON.NUMBER": "five",
        "AMAZON.TIME": "nine in the evening",
        "AMAZON.SearchQuery": "the dishes",
    }

    def one(match: re.Match[str]) -> str:
        slot = intent.slot(match.group(1))  # type: ignore[attr-defined]
        if slot.type in examples:
            return examples[slot.type]
        values = model.slot_type(slot.type).values  # type: ignore[attr-defined]
        return str(values[len(sample) % len(values)].value)

    return re.sub(r"\{(\w+)\}", one, sample)


def digest(paths: list[Path]) -> str:
    hashed = hashlib.sha256()
    for path in sorted(paths):
        hashed.update(path.read_bytes())
    hashed.update(Path(__file__).read_bytes())
    return hashed.hexdigest()[:16]


def train() -> dict[str, object]:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    screen = screen_for("en")
    positives, negatives, paths = examples()
    texts = positives + negatives
    labels = np.array([1] * len(positives) + [0] * len(negatives))
    rows = [dict.fromkeys(features(screen.normalise(text)), 1) for text in texts]
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    matrix.indices = matrix.indices.astype("int32")
    matrix.indptr = matrix.indptr.astype("int32")
    model = LogisticRegression(C=0.3, solver="liblinear", class_weight="balanced", max_iter=5000)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=7)
    scores = cross_val_predict(model, matrix, labels, cv=folds, method="predict_proba")[:, 1]
    hard = scores[len(positives) : len(positives) + hard_count]
    firm = float(np.quantile(hard, 1 - FIRM_TAKEN))
    gentle = float(np.quantile(hard, 1 - GENTLE_ASKED))
    harmless_scores = hard
    model.fit(matrix, labels)
    names = vectorizer.get_feature_names_out()
    weights = {
        str(name): round(float(weight), 4)
        for name, weight in zip(names, model.coef_[0], strict=True)
        if abs(weight) >= MIN_WEIGHT
    }
    cv_recall_firm = float((scores[labels == 1] >= firm).mean())
    cv_recall_gentle = float((scores[labels == 1] >= gentle).mean())
    return {
        "about": (
            "The safety screen's classifier for English, written by tools/train_safety.py; "
            "do not edit by hand. Binary features (w: word, b: word pair, c: piece of a word) "
            "with one weight each; the score is the logistic of their sum plus the intercept."
        ),
        "trained_on": digest(paths),
        "examples": {"disclosures": len(positives), "harmless": len(negatives)},
        "cross_validated": {
            "recall_at_firm": round(cv_recall_firm, 3),
            "recall_at_gentle": round(cv_recall_gentle, 3),
            "hard_harmless_taken_at_firm": round(float((harmless_scores >= firm).mean()), 3),
            "hard_harmless_asked_at_gentle": round(float((harmless_scores >= gentle).mean()), 3),
        },
        "thresholds": {"gentle": round(gentle, 4), "firm": round(firm, 4)},
        "intercept": round(float(model.intercept_[0]), 4),
        "weights": dict(sorted(weights.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the model is stale")
    args = parser.parse_args(argv)
    if args.check:
        committed = json.loads(OUT.read_text(encoding="utf-8"))
        current = digest(examples()[2])
        if committed.get("trained_on") != current:
            sys.stderr.write("stale: run tools/train_safety.py\n")
            return 1
        return 0
    body = train()
    OUT.write_text(json.dumps(body, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(
        f"wrote {OUT.relative_to(ROOT)}: {len(body['weights'])} weights, "  # type: ignore[arg-type]
        f"thresholds {body['thresholds']}, cross-validated {body['cross_validated']}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
