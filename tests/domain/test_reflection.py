"""A partner's words turned to be said back: pronouns and capitals only."""

from __future__ import annotations

import pytest

from skill.domain.reflection import Voice, reflected, with_capitals


@pytest.mark.parametrize(
    ("said", "about", "to"),
    [
        ("you to call me at lunch", "Sam to call them at lunch", "Sam to call you at lunch"),
        ("a hug", "a hug", "a hug"),
        ("you to listen to me", "Sam to listen to them", "Sam to listen to you"),
        ("time for myself", "time for themselves", "time for yourself"),
        ("to know i'm loved", "to know they're loved", "to know you're loved"),
        ("to hear that i am enough", "to hear that they are enough", "to hear that you are enough"),
        ("your help with my mum", "Sam's help with their mum", "Sam's help with your mum"),
        ("to know you're there", "to know Sam is there", "to know Sam is there"),
        (
            "you are kind to me, that's all",
            "Sam is kind to them, that's all",
            "Sam is kind to you, that's all",
        ),
        ("a night out, just us", "a night out, just us", "a night out, just us"),
    ],
)
def test_said_about_and_to_the_speaker(said: str, about: str, to: str) -> None:
    assert reflected(said, partner="Sam", voice=Voice.ABOUT) == about
    assert reflected(said, partner="Sam", voice=Voice.TO) == to


def test_capitals_come_back_on_names_and_the_calendar() -> None:
    assert with_capitals("dinner with sam on friday", ["Sam"]) == "dinner with Sam on Friday"
    assert with_capitals("sam's birthday in march", ["Sam"]) == "Sam's birthday in March"
    assert with_capitals("christmas at alex's mum's", ["Alex"]) == "Christmas at Alex's mum's"
    assert with_capitals("what i said", []) == "what I said"
    # Words that only look like a name are left alone.
    assert with_capitals("samples and alexandria", ["Sam", "Alex"]) == "samples and alexandria"
    assert with_capitals("", ["Sam"]) == ""
