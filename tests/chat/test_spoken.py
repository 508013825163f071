"""Tokens, numbers and times as the chat hears them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.chat.spoken import norms, parse_number, parse_time, spoken_text, tokenize

UNIT_WORDS = """zero one two three four five six seven eight nine ten eleven twelve
thirteen fourteen fifteen sixteen seventeen eighteen nineteen"""
UNITS = UNIT_WORDS.split()
TENS = {
    2: "twenty",
    3: "thirty",
    4: "forty",
    5: "fifty",
    6: "sixty",
    7: "seventy",
    8: "eighty",
    9: "ninety",
}


def in_words(number: int) -> str:
    hundreds, rest = divmod(number, 100)
    words = [UNITS[hundreds], "hundred"] if hundreds else []
    if hundreds and not rest:
        return " ".join(words)
    if hundreds:
        words.append("and")
    if rest < 20:
        words.append(UNITS[rest])
    else:
        tens, units = divmod(rest, 10)
        words.append(TENS[tens])
        if units:
            words.append(UNITS[units])
    return " ".join(words)


def test_tokens_lower_case_split_hyphens_and_expand_contractions() -> None:
    assert norms("Um, I'm SO-SO… really!") == ("um", "i", "am", "so", "so", "really")
    assert norms("Whats our check-in?") == ("what", "is", "our", "check", "in")
    assert norms("it’s 9pm") == ("it", "is", "9", "pm")
    assert norms("at 7:30 a.m.") == ("at", "7:30", "am")


def test_spoken_text_keeps_what_was_typed() -> None:
    assert spoken_text(tokenize("She said I'm Tired!")) == "she said i'm tired"


def test_capitals_are_remembered() -> None:
    assert [t.capitalised for t in tokenize("Alex and sam")] == [True, False, False]


@given(st.integers(min_value=0, max_value=999))
def test_numbers_in_words_and_digits(number: int) -> None:
    assert parse_number(in_words(number).split()) == number
    assert parse_number([str(number)]) == number


@pytest.mark.parametrize(
    "words", [[], ["a"], ["five", "six"], ["and"], ["twenty", "twenty"], ["hundred"]]
)
def test_not_numbers(words: list[str]) -> None:
    assert parse_number(words) is None


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("nine", "09:00"),
        ("9", "09:00"),
        ("9 pm", "21:00"),
        ("nine pm", "21:00"),
        ("nine thirty", "09:30"),
        ("nine thirty pm", "21:30"),
        ("nine forty five", "09:45"),
        ("nine oh five", "09:05"),
        ("nine o'clock", "09:00"),
        ("21:00", "21:00"),
        ("7:30 am", "07:30"),
        ("12 am", "00:00"),
        ("12 pm", "12:00"),
        ("half past eight", "08:30"),
        ("quarter past ten", "10:15"),
        ("quarter to ten", "09:45"),
        ("twenty one thirty", "21:30"),
        ("noon", "12:00"),
        ("midnight", "00:00"),
        ("evening", "EV"),
        ("morning", "MO"),
        ("seven thirty in the morning", "07:30"),
        ("nine fifteen at night", "21:15"),
        ("quarter past nine in the evening", "21:15"),
        ("nine o'clock tonight", "21:00"),
        ("three in the afternoon", "15:00"),
        ("seven a m", "07:00"),
    ],
)
def test_times(said: str, value: str) -> None:
    assert parse_time(norms(said)) == value


@pytest.mark.parametrize(
    "said",
    ["", "pm", "thirteen pm", "25:00", "nine seventy", "banana", "nine to", "in the morning"],
)
def test_not_times(said: str) -> None:
    assert parse_time(norms(said)) is None


@given(st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59))
def test_clock_times_round_trip(hour: int, minute: int) -> None:
    assert parse_time([f"{hour}:{minute:02d}"]) == f"{hour:02d}:{minute:02d}"
