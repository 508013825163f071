"""Per-locale content: every English locale has its own folder over the shared English,
its overrides fit the shared lines they replace, and the spelling is the locale's."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest

from skill.chat import locales
from skill.speech.content import SUPPORTED_LOCALES, content_for, folder_phrases
from skill.speech.ssml import check
from tests.locales.support import GENERATED, HELP_NUMBERS, rules

CONTENT_DIR = Path(locales.__file__).resolve().parents[1] / "content"
SHARED = folder_phrases("en")


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def filled(template: str) -> str:
    return template.format_map(dict.fromkeys(placeholders(template), "x"))


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_locale_has_content_of_its_own(locale: str) -> None:
    content = content_for(locale)
    assert content.locale == locale
    assert set(content.phrases) >= set(SHARED), "a locale may only add to the shared English"
    assert "feelings_wheel" in content.data


@pytest.mark.parametrize("locale", GENERATED)
def test_locale_folder_has_safety_and_generated_spelling(locale: str) -> None:
    folder = CONTENT_DIR / locale
    assert (folder / "safety.json").is_file()
    spelling = json.loads((folder / locales.SPELLING_FILE).read_text(encoding="utf-8"))
    assert "do not edit" in spelling["about"].lower()
    assert content_for(locale).phrases["safety.message"] != SHARED["safety.message"]


@pytest.mark.parametrize("locale", GENERATED)
def test_overrides_replace_shared_lines_with_the_same_placeholders(locale: str) -> None:
    own = folder_phrases(locale)
    assert own, f"{locale} overrides nothing"
    for key, variants in own.items():
        assert key in SHARED, f"{locale} overrides {key!r}, which the shared English lacks"
        allowed = set().union(*(placeholders(v) for v in SHARED[key]))
        for variant in variants:
            assert placeholders(variant) <= allowed, f"{locale} {key}: {variant!r}"
            report = check(f"<speak>{filled(variant)}</speak>")
            assert report.ok, f"{locale} {key}: {report.problems}"


@pytest.mark.parametrize("locale", GENERATED)
def test_every_line_a_locale_speaks_is_in_its_spelling(locale: str) -> None:
    """Also catches a new shared line in US spelling before the generator runs, and any
    hand-written locale file (safety.json, wording.json) spelt the US way."""
    respell = rules()[locale].respelling.text
    content = content_for(locale)
    wrong = {
        key: variant
        for key, variants in content.phrases.items()
        for variant in variants
        if respell(variant) != variant
    }
    assert wrong == {}, "run `python -m skill.chat.locales` or fix the locale file"


def test_british_australian_and_indian_english_turn_towards_each_other() -> None:
    assert any(" toward " in v for v in content_for("en-US").variants("repair.invite"))
    for locale in ("en-GB", "en-AU", "en-IN"):
        variants = content_for(locale).variants("repair.invite")
        assert any("towards each other" in v for v in variants), locale
        assert not any(" toward " in v for v in variants), locale
    # Canadian English keeps "toward".
    assert content_for("en-CA").variants("repair.invite") == SHARED["repair.invite"]


@pytest.mark.parametrize("locale", GENERATED)
def test_the_streak_line_says_practised(locale: str) -> None:
    for key in ("history.streak", "history.streak_one"):
        variants = content_for(locale).variants(key)
        assert any("practised" in v for v in variants), (locale, key)
        assert not any("practiced" in v for v in variants), (locale, key)


def test_en_us_streak_line_says_practiced() -> None:
    variants = content_for("en-US").variants("history.streak_one")
    assert any("practiced" in v for v in variants)


def test_weekends_are_at_the_weekend_in_britain() -> None:
    [gb] = content_for("en-GB").variants("issue.ask_topic_reprompt")
    assert "at the weekend" in gb
    for locale in ("en-US", "en-CA", "en-AU", "en-IN"):
        [line] = content_for(locale).variants("issue.ask_topic_reprompt")
        assert "on weekends" in line, locale


def test_help_numbers_cover_every_supported_locale() -> None:
    assert set(HELP_NUMBERS) == set(SUPPORTED_LOCALES)


@pytest.mark.parametrize(("locale", "numbers"), HELP_NUMBERS.items())
def test_safety_content_names_the_local_help(locale: str, numbers: tuple[str, ...]) -> None:
    content = content_for(locale)
    for key in ("safety.message", "safety.card"):
        for variant in content.variants(key):
            assert all(number in variant for number in numbers), (locale, key)
    assert content.variants("safety.card_title")
