"""Every help line the safety answer speaks or shows is listed, for its locale, with
its official source and the date it was checked; every purpose is covered."""

from __future__ import annotations

import re
from datetime import date

import pytest

from skill.speech.content import SUPPORTED_LOCALES, content_for
from skill.speech.ssml import strip_tags

PURPOSES = {"emergency", "suicide_crisis", "domestic_abuse"}
# Phone numbers (3+ digits, spaces and hyphens inside) and web addresses.
_NUMBER = re.compile(r"\d[\d -]{1,14}\d|[a-z]+\.(?:ca|gov|org|au|in|uk)\b")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum()).lower()


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_purpose_has_a_sourced_dated_line(locale: str) -> None:
    lines = content_for(locale).data["help_lines"]["lines"]
    assert {line["purpose"] for line in lines} == PURPOSES
    for line in lines:
        assert line["source"].startswith("https://"), line
        assert date.fromisoformat(line["checked"]) <= date.today()
        assert line["service"] and line["number"]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_number_said_or_shown_is_a_listed_line(locale: str) -> None:
    content = content_for(locale)
    listed = {_digits(line["number"]) for line in content.data["help_lines"]["lines"]}
    listed |= {_digits(line.get("how", "")) for line in content.data["help_lines"]["lines"]}
    said = [*content.variants("safety.message"), *content.variants("safety.card")]
    for text in said:
        plain = strip_tags(f"<speak>{text}</speak>").lower()
        for number in _NUMBER.findall(plain):
            found = _digits(number)
            assert any(found in entry for entry in listed), (locale, number)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_card_carries_every_listed_number(locale: str) -> None:
    content = content_for(locale)
    card = " ".join(content.variants("safety.card"))
    for line in content.data["help_lines"]["lines"]:
        assert _digits(line["number"]) in _digits(card), (locale, line["number"])
