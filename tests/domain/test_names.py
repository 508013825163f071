"""What may be kept as a partner's name, as a table of what was heard."""

from __future__ import annotations

import pytest

from skill.domain.names import MAX_NAME_CHARS, HeardName, NameRefusal, check_name

EMPTY, WAKE, NOT_A_NAME = NameRefusal.EMPTY, NameRefusal.WAKE_WORD, NameRefusal.NOT_A_NAME

KEPT = [
    ("Alex", "Alex"),
    ("  Sam  ", "Sam"),
    ("Mary-Jane", "Mary-Jane"),
    ("O'Brien", "O'Brien"),
    ("O\u2019Brien", "O\u2019Brien"),
    ("Anna Maria", "Anna Maria"),
    ("Jean Paul Marie", "Jean Paul Marie"),
    ("José", "José"),
    ("Jose\u0301", "José"),  # decomposed accent, composed
    ("Zoë", "Zoë"),
    ("प्रिया", "प्रिया"),  # Devanagari with vowel signs and a virama
    ("李小龙", "李小龙"),
    ("محمد", "محمد"),
    ("Ал\u200bекс", "Алекс"),  # a zero-width space inside
    ("\u202eAlex\u202c", "Alex"),  # an RTL override around it
    ("\u2066Sam\u2069", "Sam"),  # an isolate around it
    ("Sa\u200dm", "Sam"),  # a zero-width joiner
    ("Sam\ud800", "Sam"),  # a lone surrogate
    ("Sam\x00\x07", "Sam"),
    ("Alexander", "Alexander"),  # contains "alex", not "alexa"
    ("Echoes", None),  # not a wake word: kept below
    ("A" * MAX_NAME_CHARS, "A" * MAX_NAME_CHARS),
]

REFUSED = [
    ("", EMPTY),
    ("   ", EMPTY),
    ("\u200b\u200c\u200d", EMPTY),
    ("\u202a\u202b\u202c\u202d\u202e", EMPTY),
    ("\u2066\u2067\u2068\u2069", EMPTY),
    ("\ud800", EMPTY),
    ("\x00\x1f\x7f", EMPTY),
    ("Alexa", WAKE),
    ("alexa", WAKE),
    ("ALEXA", WAKE),
    ("Echo", WAKE),
    ("Computer", WAKE),
    ("Amazon", WAKE),
    ("Ziggy", WAKE),
    ("Echo Smith", WAKE),
    ("Alexa's", WAKE),
    ("A\u200blexa", WAKE),  # hidden by a zero-width space
    ("Ａｌｅｘａ", WAKE),  # full-width letters
    ("Alexa, order ten pizzas", WAKE),
    ("Alexa order ten pizzas", WAKE),
    ("order ten pizzas and a cake", NOT_A_NAME),
    ("Sam, buy a gift card", NOT_A_NAME),
    ("Jean Paul Marie Claude", NOT_A_NAME),
    ("A" * (MAX_NAME_CHARS + 1), NOT_A_NAME),
    ("Sam2", NOT_A_NAME),
    ("Sam!", NOT_A_NAME),
    ("<speak>", NOT_A_NAME),
    ("Sam & Alex", NOT_A_NAME),
    ("sam@example.com", NOT_A_NAME),
    ("-'", NOT_A_NAME),
    ("\u0301Sam", NOT_A_NAME),  # a mark with no letter before it
    ("Sam_Alex", NOT_A_NAME),
]


@pytest.mark.parametrize(("heard", "kept"), KEPT)
def test_names_that_are_kept(heard: str, kept: str | None) -> None:
    assert check_name(heard) == HeardName(name=kept or heard)


@pytest.mark.parametrize(("heard", "refusal"), REFUSED)
def test_names_that_are_refused(heard: str, refusal: NameRefusal) -> None:
    assert check_name(heard) == HeardName(refusal=refusal)
