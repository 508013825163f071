"""`python -m skill.chat.locales`: the committed locale files are exactly its output,
and it respells and extends the way locale_overrides.json says."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from skill.chat import locales
from skill.chat.locales import (
    SPELLING_FILE,
    LocaleDataError,
    LocaleRules,
    Respelling,
    build_model,
    build_spelling,
    generated_files,
    stale_files,
)
from skill.chat.model import INTERACTION_MODELS_DIR
from skill.speech.content import folder_phrases
from tests.locales.support import GENERATED, SOURCE, rules

CONTENT_DIR = Path(locales.__file__).resolve().parents[1] / "content"


# -- no drift ------------------------------------------------------------------------------


def test_the_generator_owns_a_model_and_a_spelling_file_per_locale() -> None:
    files = generated_files()
    assert set(files) == {
        INTERACTION_MODELS_DIR / f"{SOURCE}.json",  # its templated parts
        *(INTERACTION_MODELS_DIR / f"{locale}.json" for locale in GENERATED),
        *(CONTENT_DIR / locale / SPELLING_FILE for locale in GENERATED),
    }


def test_committed_files_equal_the_generator_output() -> None:
    stale = stale_files(generated_files())
    assert stale == [], f"run `python -m skill.chat.locales`: stale {stale}"


def test_check_mode_passes_on_the_tree_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = {path: path.read_bytes() for path in generated_files()}
    assert locales.main(["--check"]) == 0
    assert {path: path.read_bytes() for path in before} == before
    assert capsys.readouterr().err == ""


def copy_sources(tmp_path: Path) -> tuple[Path, Path]:
    """en-US, the overrides and the locale folders' own files, in a scratch tree."""
    models, content = tmp_path / "interaction_models", tmp_path / "content"
    models.mkdir()
    for name in (f"{SOURCE}.json", locales.OVERRIDES_FILE):
        shutil.copy(INTERACTION_MODELS_DIR / name, models / name)
    shutil.copytree(INTERACTION_MODELS_DIR / "source", models / "source")
    for locale in GENERATED:
        (content / locale).mkdir(parents=True)
        for path in (CONTENT_DIR / locale).glob("*.json"):
            if path.name != SPELLING_FILE:
                shutil.copy(path, content / locale / path.name)
    return models, content


def test_a_change_to_en_us_makes_the_locales_stale_until_regenerated(tmp_path: Path) -> None:
    models, content = copy_sources(tmp_path)
    files = generated_files(models, content)
    # en-US is copied as generated; the locales' files are not written yet.
    assert len(stale_files(files)) == 2 * len(GENERATED)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    assert stale_files(generated_files(models, content)) == []

    # A new template in the source: every locale has its sample, in its spelling.
    templates_path = models / "source" / "en.json"
    templates = json.loads(templates_path.read_text(encoding="utf-8"))
    templates["intents"]["StreakIntent"]["templates"].insert(0, "how often have we practiced")
    templates_path.write_text(json.dumps(templates), encoding="utf-8")

    regenerated = generated_files(models, content)
    assert sorted(p.name for p in stale_files(regenerated)) == sorted(
        f"{locale}.json" for locale in (SOURCE, *GENERATED)
    )
    gb = json.loads(regenerated[models / "en-GB.json"])
    gb_streak = next(
        i for i in gb["interactionModel"]["languageModel"]["intents"] if i["name"] == "StreakIntent"
    )
    assert "how often have we practised" in gb_streak["samples"]


def test_a_locale_file_taking_a_key_removes_it_from_spelling(tmp_path: Path) -> None:
    models, content = copy_sources(tmp_path)
    spelling_path = content / "en-GB" / SPELLING_FILE
    generated = json.loads(generated_files(models, content)[spelling_path])
    assert "repair.invite" in generated["phrases"]
    own = {"phrases": {"repair.invite": ["Turn towards each other."]}}
    (content / "en-GB" / "repair_local.json").write_text(json.dumps(own), encoding="utf-8")
    generated = json.loads(generated_files(models, content)[spelling_path])
    assert "repair.invite" not in generated["phrases"]


# -- respelling ------------------------------------------------------------------------------

BRITISH = Respelling(
    {"color": "colour", "practiced": "practised", "to practice": "to practise", "mom": "mum"}
)


@pytest.mark.parametrize(
    ("us", "local"),
    [
        ("your favorite color", "your favorite colour"),
        ("Color and COLOR", "Colour and COLOUR"),
        ("we practiced together", "we practised together"),
        ("time to practice, a practice a day", "time to practise, a practice a day"),
        ("Time to\npractice", "Time to practise"),
        ("mom's tea, momentum, moments", "mum's tea, momentum, moments"),
        ("colorful discolored", "colorful discolored"),
    ],
)
def test_respelling_replaces_whole_words_and_keeps_capitals(us: str, local: str) -> None:
    assert BRITISH.text(us) == local


def test_respelling_leaves_ssml_and_placeholders_alone() -> None:
    template = '<prosody rate="slow" color="x">Color</prosody> {color} <break time="1s"/> mom'
    assert BRITISH.text(template) == (
        '<prosody rate="slow" color="x">Colour</prosody> {color} <break time="1s"/> mum'
    )


def test_an_empty_table_changes_nothing() -> None:
    assert Respelling({}).text("color me practiced") == "color me practiced"


# -- building a model ------------------------------------------------------------------------


def tiny_source() -> dict[str, Any]:
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": "steady together",
                "intents": [
                    {"name": "AMAZON.HelpIntent", "samples": []},
                    {
                        "name": "PaintIntent",
                        "slots": [{"name": "shade", "type": "ShadeType"}],
                        "samples": ["pick a color", "pick a colour", "paint it {shade}"],
                    },
                ],
                "types": [
                    {
                        "name": "ShadeType",
                        "values": [
                            {"id": "gray", "name": {"value": "gray"}},
                            {"id": "tan", "name": {"value": "tan", "synonyms": ["beige"]}},
                        ],
                    }
                ],
            }
        }
    }


def tiny_rules(**changes: Any) -> LocaleRules:
    values: dict[str, Any] = {
        "locale": "en-GB",
        "respelling": Respelling({"color": "colour", "gray": "grey"}),
        "samples": {"PaintIntent": ("paint it {shade} please",)},
        "synonyms": {"ShadeType": {"tan": ("fawn",)}},
    }
    values.update(changes)
    return LocaleRules(**values)


def test_build_model_respells_dedupes_and_adds() -> None:
    source = tiny_source()
    built = build_model(source, tiny_rules())
    language = built["interactionModel"]["languageModel"]
    assert language["invocationName"] == "steady together"
    paint = language["intents"][1]
    assert paint["samples"] == ["pick a colour", "paint it {shade}", "paint it {shade} please"]
    assert paint["slots"] == [{"name": "shade", "type": "ShadeType"}]
    gray, tan = language["types"][0]["values"]
    # The value keeps its name and id; the local spelling becomes a synonym.
    assert gray == {"id": "gray", "name": {"value": "gray", "synonyms": ["grey"]}}
    assert tan["name"]["synonyms"] == ["beige", "fawn"]
    # The source itself is untouched.
    assert source == tiny_source()


def test_an_extra_sample_en_us_already_gives_is_had_once() -> None:
    model = build_model(tiny_source(), tiny_rules(samples={"PaintIntent": ("Pick a colour",)}))
    paint = next(
        i
        for i in model["interactionModel"]["languageModel"]["intents"]
        if i["name"] == "PaintIntent"
    )
    assert [s.lower() for s in paint["samples"]].count("pick a colour") == 1


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"samples": {"NoSuchIntent": ("hello",)}}, "NoSuchIntent"),
        ({"samples": {"AMAZON.HelpIntent": ("help me out",)}}, "Alexa's own samples"),
        ({"samples": {"PaintIntent": ("paint it red", "paint it red")}}, "repeats"),
        ({"synonyms": {"NoType": {"tan": ("fawn",)}}}, "NoType"),
        ({"synonyms": {"ShadeType": {"blue": ("navy",)}}}, "blue"),
        ({"synonyms": {"ShadeType": {"tan": ("Beige",)}}}, "already in ShadeType"),
        ({"synonyms": {"ShadeType": {"tan": ("grey",)}}}, "already in ShadeType"),
    ],
)
def test_overrides_that_do_not_fit_en_us_are_refused(
    changes: dict[str, Any], complaint: str
) -> None:
    with pytest.raises(LocaleDataError, match=complaint):
        build_model(tiny_source(), tiny_rules(**changes))


def test_unknown_or_conflicting_spelling_tables_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "overrides.json"
    body: dict[str, Any] = {
        "spelling": {"a": {"color": "colour"}},
        "locales": {"en-GB": {"spelling": ["b"]}},
    }
    path.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(LocaleDataError, match="no spelling table 'b'"):
        locales.load_rules(path)
    body["spelling"]["b"] = {"Color": "color-uk"}
    body["locales"]["en-GB"]["spelling"] = ["a", "b"]
    path.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(LocaleDataError, match="two ways"):
        locales.load_rules(path)


# -- building content ------------------------------------------------------------------------


def test_build_spelling_keeps_only_changed_keys_and_skips_taken_ones() -> None:
    shared = {
        "a": ("Turn toward each other.", "Look up."),
        "b": ("Nothing to change.",),
        "c": ("Step toward {name}.",),
    }
    british = tiny_rules(respelling=Respelling({"toward": "towards"}))
    built = build_spelling(shared, {"c"}, british)
    assert built["phrases"] == {"a": ["Turn towards each other.", "Look up."]}
    assert "python -m skill.chat.locales" in built["about"]


def test_every_locale_names_the_generated_locales() -> None:
    assert set(rules()) == set(GENERATED)


def test_the_shared_phrases_are_the_ones_the_skill_loads() -> None:
    shared = folder_phrases("en")
    assert "history.streak" in shared and "repair.invite" in shared
