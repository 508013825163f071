"""`strip_tags` answers text without an element at once: a parse of it fails, and the
text comes back as it is, as it did through the parser."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from skill.speech.ssml import strip_tags


@pytest.mark.parametrize(
    "text", ["", "Your check-in", "Tom &amp; Jerry", "  two  spaces ", "a > b", "&lt;p&gt;"]
)
def test_text_without_an_element_comes_back_as_it_is(text: str) -> None:
    with pytest.raises(ET.ParseError):
        ET.fromstring(text)
    assert strip_tags(text) == text


def test_ssml_gives_its_words() -> None:
    assert strip_tags("<speak>Hello <break time='1s'/> Sam &amp; Alex</speak>") == (
        "Hello Sam & Alex"
    )
    assert strip_tags("<p>unclosed") == "<p>unclosed"
