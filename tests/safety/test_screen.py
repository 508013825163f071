"""The safety screen as a pure function: a table of cases, then the whole
development corpus in every locale (every disclosure caught, no harmless sentence)."""

from __future__ import annotations

import pytest

from skill.domain.safety.screen import Concern, SafetyDataError, screen_for, screen_from
from tests.safety import corpus

SCREEN = screen_for("en")

DISCLOSURES = [
    # Inflections, tense and person.
    ("he hit me", Concern.PHYSICAL_VIOLENCE),
    ("he hits me", Concern.PHYSICAL_VIOLENCE),
    ("he's been hitting me", Concern.PHYSICAL_VIOLENCE),
    ("he hit me again last night", Concern.PHYSICAL_VIOLENCE),
    ("hit me again", Concern.PHYSICAL_VIOLENCE),  # a note without its carrier
    ("my husband hits me", Concern.PHYSICAL_VIOLENCE),
    ("he choked me last night", Concern.PHYSICAL_VIOLENCE),
    ("Sam hit me", Concern.PHYSICAL_VIOLENCE),
    ("i don't want to be alive anymore", Concern.SUICIDE),
    ("i'm going to kill myself", Concern.SUICIDE),
    ("my wife wants to kill herself", Concern.SUICIDE),
    ("suicidal", Concern.SUICIDE),
    ("hopeless", Concern.SUICIDE),
    ("i need to not be alive anymore", Concern.SUICIDE),
    ("i've been cutting myself again", Concern.SELF_HARM),
    ("i'm afraid he'll kill me", (Concern.FEAR_FOR_SAFETY, Concern.PHYSICAL_VIOLENCE)),
    ("scared of him", Concern.FEAR_FOR_SAFETY),
    ("unsafe", Concern.FEAR_FOR_SAFETY),
    ("i need him to stop hitting me", Concern.PHYSICAL_VIOLENCE),
    ("thanks for not hitting me this week", Concern.PHYSICAL_VIOLENCE),
    ("he doesn't hit me anymore", Concern.PHYSICAL_VIOLENCE),  # it has happened
    ("he said if i leave he'll kill me", (Concern.THREATS, Concern.PHYSICAL_VIOLENCE)),
    ("he won't let me see my friends", Concern.COERCIVE_CONTROL),
    ("he forced me to have sex", Concern.SEXUAL_VIOLENCE),
    ("HE HIT ME!!!", Concern.PHYSICAL_VIOLENCE),
    ("he\u200bhit me", Concern.PHYSICAL_VIOLENCE),  # an invisible character between
    ("he hit\u202eme", Concern.PHYSICAL_VIOLENCE),
    # An answer to "are you safe?" that opens with "no" is no negation of what follows.
    ("no he hits me", Concern.PHYSICAL_VIOLENCE),
    ("not really. she threatens me", Concern.THREATS),
    ("i'm fine. he hit me last night", Concern.PHYSICAL_VIOLENCE),
]

HARMLESS = [
    "this is killing me laughing",
    "i could murder a pizza",
    "my back is killing me",
    "i'm dead tired",
    "he hit the nail on the head",
    "he would never hurt me",
    "he never hits me",
    "i don't think he would ever hit me",
    "i'm not suicidal, just tired",
    "i'm not scared of him at all",
    "i feel safe with sam",
    "she beat me at chess again",
    "he pushed me to apply for the job",
    "i cut my finger chopping onions",
    "i hurt my back lifting boxes",
    "we watched a film where the husband hits his wife",
    "if he ever hit me i'd leave",
    "burned out",
    "hurt",
    "a hug",
    "encouragement",
    "",
]


@pytest.mark.parametrize(("text", "concern"), DISCLOSURES, ids=[t for t, _ in DISCLOSURES])
def test_a_disclosure_is_heard(text: str, concern: Concern | tuple[Concern, ...]) -> None:
    found = SCREEN.screen(text)
    assert found is not None, text
    assert found.concern in (concern if isinstance(concern, tuple) else (concern,))


@pytest.mark.parametrize("text", HARMLESS)
def test_a_harmless_sentence_is_left_alone(text: str) -> None:
    assert SCREEN.screen(text) is None


def test_a_fragment_is_heard_inside_its_slot_carrier() -> None:
    assert SCREEN.screen("to die") is None  # on its own, a fragment
    assert SCREEN.screen_slot("need", "to die") is not None  # "i need to die"
    assert SCREEN.screen_slot("need", "not be alive anymore") is not None
    assert SCREEN.screen_slot("note", "pushed me against the wall") is not None
    assert SCREEN.screen_slot("feeling", "burned out") is None


def test_the_couples_names_count_as_a_partner() -> None:
    assert SCREEN.screen("i'm scared of sam") is None  # could be anyone
    assert SCREEN.screen("i'm scared of sam", people=("Alex", "Sam")) is not None


def test_the_screen_is_fast_on_ordinary_text() -> None:
    import time

    started = time.perf_counter()
    for _ in range(2000):
        SCREEN.screen("we had a lovely walk by the river")
    assert (time.perf_counter() - started) / 2000 < 0.0005


def test_every_rule_and_idiom_compiles() -> None:
    SCREEN.compile_all()
    broken = {**_minimal(), "rules": [{"id": "r", "concern": "threats", "pattern": "no head"}]}
    with pytest.raises(SafetyDataError):
        assert screen_from("xx", broken).triggers


def test_an_idiom_that_opens_with_an_optional_part_is_tried_without_it() -> None:
    body = {
        **_minimal(),
        "rules": [
            {"id": "reads", "concern": "coercive_control", "pattern": "^(read|reads) my messages"}
        ],
        "idioms": ["< [please|alexa] read my messages"],
    }
    screen = screen_from("xx", body)
    # A request to the skill, with or without the optional opening...
    assert screen.screen("read my messages") is None
    assert screen.screen("alexa read my messages") is None
    # ...and only at the start: told of someone else, it is heard.
    assert screen.screen("he reads my messages") is not None
    assert screen.screen("he read my messages") is not None


def _minimal() -> dict[str, object]:
    words = {
        key: []
        for key in (
            "negators",
            "clause_marks",
            "history",
            "hypothetical",
            "frames",
            "frame_phrases",
            "intent_markers",
            "things",
            "people",
            "speaker",
            "subject_skip",
        )
    }
    return {
        "lexicons": {},
        "rules": [],
        "idioms": [],
        "contractions": {},
        "words": words,
        "slot_carriers": {},
    }


# -- the development corpus, in every locale ------------------------------------------------


@pytest.mark.parametrize("locale", corpus.LOCALES)
def test_every_disclosure_of_the_corpus_is_heard(locale: str) -> None:
    screen = screen_for(locale.split("-", maxsplit=1)[0])
    missed = [line.text for line in corpus.disclosures() if screen.screen(line.text) is None]
    assert missed == []
    assert len(corpus.disclosures()) >= 300


@pytest.mark.parametrize("locale", corpus.LOCALES)
def test_no_harmless_sentence_of_the_corpus_is_taken_for_one(locale: str) -> None:
    screen = screen_for(locale.split("-", maxsplit=1)[0])
    taken = [line.text for line in corpus.harmless() if screen.screen(line.text) is not None]
    assert taken == []
    assert len(corpus.harmless()) >= 200


def test_the_first_held_out_set_now_in_development_is_heard() -> None:
    """Scored once before any change (27 of 60, see corpus/README.md), then tuned on."""
    missed = [line.text for line in corpus.held_out(1) if SCREEN.screen(line.text) is None]
    assert missed == []
    taken = [line.text for line in corpus.held_out_harmless(1) if SCREEN.screen(line.text)]
    assert taken == []


@pytest.mark.parametrize("number", [2, 3])
def test_later_scored_sets_stay_heard(number: int) -> None:
    """Scored once each before any change (corpus/README.md), then learnt from: no
    harmless sentence of theirs gets help or a question; nearly every disclosure gets
    the help response or the question whether the person is safe."""
    heard = [
        SCREEN.screen(line.text) is not None or SCREEN.unsure(line.text)
        for line in corpus.held_out(number)
    ]
    assert sum(heard) >= 0.95 * len(heard)
    wrongly = [
        line.text
        for line in corpus.held_out_harmless(number)
        if SCREEN.screen(line.text) is not None or SCREEN.unsure(line.text)
    ]
    assert wrongly == []


@pytest.mark.parametrize("names", [("Alex", "Sam"), ("Will", "Jo")])
def test_a_heard_text_says_what_the_slot_screen_says(names: tuple[str, str]) -> None:
    """A turn reads each text once, then again with the couple's names, through one
    `HeardText`: its judgements, kept between the two readings, are the screen's own."""
    lines = [*corpus.disclosures(), *corpus.harmless()]
    texts = [line.text for line in lines] + ["Sam hit me", "he'll hurt me", "Will hurt me"]
    for text in texts:
        for kind in ("need", "feeling", "note", "name", "free"):
            heard = SCREEN.heard(kind, text)
            assert heard.assess() == SCREEN.assess_slot(kind, text), (kind, text)
            assert heard.might_disclose() == SCREEN.might_disclose(text), text
            assert heard.assess(names) == SCREEN.assess_slot(kind, text, names), (kind, text)


def test_a_carrier_and_a_text_normalise_as_one_sentence() -> None:
    """`carried` joins the carrier's words to the text's own when that is exactly what
    normalising the two together gives (ASCII, no contraction across the join)."""
    lines = [*corpus.disclosures(), *corpus.harmless()]
    texts = [line.text for line in lines] + ["", "'m scared", ", he hit me", "one's gone"]
    carriers = {carrier for found in SCREEN.slot_carriers.values() for carrier in found}
    for text in texts:
        words = SCREEN.normalise(text)
        for carrier in carriers:
            assert SCREEN.carried(carrier, text, words) == SCREEN.normalise(f"{carrier} {text}")


def test_a_contraction_across_the_join_is_normalised_in_the_sentence() -> None:
    screen = screen_from("xx", {**_minimal(), "contractions": {"need it": "need that"}})
    joined = screen.normalise("i need it now")
    assert joined == ["i", "need", "that", "now"]
    assert screen.carried("i need", "it now", screen.normalise("it now")) == joined
    assert screen.carried("i want", "it now", screen.normalise("it now")) == (
        screen.normalise("i want it now")
    )


@pytest.mark.parametrize(
    "text",
    [
        "i just feel like disappearing",
        "honestly i wish i could sleep forever",
        "sometimes i want to just vanish",
        "what's the point of anything",
    ],
)
def test_words_that_are_always_asked_about(text: str) -> None:
    """Passive words of not wanting to be here are asked about, never kept, whatever
    the classifier (retrained whenever the model's samples change) makes of them."""
    assessed = SCREEN.assess(text)
    assert assessed.disclosure is not None or assessed.unsure, text


def test_a_screen_without_a_classifier_still_asks() -> None:
    screen = screen_from("xx", {**_minimal(), "asks": ["feel like disappearing"]})
    assert screen.classifier is None
    assert screen.assess("i just feel like disappearing").unsure
    assert not screen.assess("i feel like dancing").unsure
    assert screen.might_disclose("i feel like disappearing")


@pytest.mark.parametrize("text", ["we never wake up on time", "i never wake up before nine"])
def test_a_late_morning_is_no_disclosure(text: str) -> None:
    assert SCREEN.assess(text).disclosure is None
