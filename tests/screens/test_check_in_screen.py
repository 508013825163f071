"""The check-in's close: a summary screen on an Echo Show, and on every device a
Simple card in the Alexa app, both in the couple's own words."""

from __future__ import annotations

from pathlib import Path

from skill.practices.screens import CHECK_IN_SCREEN, MAX_FEELING_CHARS, MAX_NEED_CHARS
from skill.store.sqlite import SqliteStore
from tests.dialog.harness import Conversation, Said, make_skill, test_settings
from tests.screens.conftest import set_up
from tests.screens.support import assert_bound, only_screen, screens


def check_in(home: Conversation, *answers: tuple[str, str], time_of_day: str = "morning") -> Said:
    said = home.intent("CheckInIntent", time_of_day=time_of_day)
    for feeling, need in answers:
        assert not screens(said) and said.card is None
        home.intent("FeelingIntent", feeling=feeling)
        said = home.intent("NeedIntent", need=need)
    return said


def test_the_close_shows_both_partners_in_their_own_words(show: Conversation) -> None:
    # U: morning check-in / A: Alex, how are you feeling? ... Sam ...
    said = check_in(show, ("tired", "a quiet hour"), ("hopeful", "a walk together"))
    # A: Alex feels tired and needs a quiet hour. Sam ... That's your check-in.
    assert said.says("a quiet hour", "a walk together") and said.ended
    directive = only_screen(said)
    assert directive["token"] == CHECK_IN_SCREEN
    assert_bound(directive)
    data = directive["datasources"]["checkIn"]
    assert data["title"] == "Your morning check-in"
    people = [(p["name"], p["feeling"], p["need"]) for p in data["partners"]]
    assert people == [("Alex", "tired", "a quiet hour"), ("Sam", "hopeful", "a walk together")]
    assert said.card == {
        "type": "Simple",
        "title": "Your morning check-in",
        "content": "Alex: tired. Needs: a quiet hour\nSam: hopeful. Needs: a walk together",
    }


def test_voice_only_gets_the_card_but_no_screen(voice: Conversation) -> None:
    said = check_in(voice, ("calm", "sleep"), ("stretched", "help with dinner"), time_of_day="")
    assert not screens(said)
    assert said.card is not None
    # No time of day said: the couple's own hour names it.
    assert said.card["title"] in {f"Your {t} check-in" for t in ("morning", "afternoon", "evening")}
    assert "Alex: calm. Needs: sleep" in said.card["content"]
    assert "Sam: stretched. Needs: help with dinner" in said.card["content"]


def test_the_partner_who_went_first_comes_first(show: Conversation) -> None:
    show.intent("CheckInIntent", time_of_day="evening")
    # "Who's here?" is not asked; the first speaker is Alex unless known. Sam is
    # second, and both end up on screen in the order they spoke.
    show.intent("FeelingIntent", feeling="proud")
    show.intent("NeedIntent", need="a hug")
    show.intent("FeelingIntent", feeling="restless")
    said = show.intent("NeedIntent", need="a run")
    names = [p["name"] for p in only_screen(said)["datasources"]["checkIn"]["partners"]]
    assert names == ["Alex", "Sam"]
    assert only_screen(said)["datasources"]["checkIn"]["title"] == "Your evening check-in"


def test_user_text_is_plain_and_capped_on_screen_and_card(show: Conversation) -> None:
    odd = 'tea & "toast" <speak>now</speak>'
    huge = "word " * 2_000  # 10,000 characters
    said = check_in(show, ("calm", odd), ("anxious", huge))
    partners = only_screen(said)["datasources"]["checkIn"]["partners"]
    # APL does not read SSML: the words are bound as said, not escaped.
    assert partners[0]["need"] == odd
    assert 0 < len(partners[1]["need"]) <= MAX_NEED_CHARS
    assert all(len(p["feeling"]) <= MAX_FEELING_CHARS for p in partners)
    assert said.card is not None
    assert odd in said.card["content"] and len(said.card["content"]) < 400
    assert "&amp;" not in said.card["content"]


def test_a_stopped_check_in_shows_nothing(show: Conversation) -> None:
    show.intent("CheckInIntent")
    show.intent("FeelingIntent", feeling="calm")
    show.intent("NeedIntent", need="sleep")
    said = show.intent("AMAZON.StopIntent")
    assert said.ended and said.says("Alex")
    assert not screens(said) and said.card is None


def test_the_evening_ritual_goes_on_with_the_summary_on_screen(show: Conversation) -> None:
    # U: start our evening ritual -- the check-in comes first
    said = show.intent("EveningRitualIntent")
    assert said.says("Alex") and not screens(said)
    show.intent("FeelingIntent", feeling="content")
    show.intent("NeedIntent", need="an early night")
    show.intent("FeelingIntent", feeling="tired")
    said = show.intent("NeedIntent", need="quiet")
    # A: reflections, then straight on to the next step of the ritual
    assert said.listening
    assert only_screen(said)["token"] == CHECK_IN_SCREEN
    assert said.card is not None and "an early night" in said.card["content"]


def test_happy_path_on_the_sqlite_store(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    show = set_up(Conversation(make_skill(store, test_settings(tmp_path)), apl=True))
    said = check_in(show, ("tired", "a nap"), ("glad", "music"))
    assert only_screen(said)["datasources"]["checkIn"]["partners"][1]["need"] == "music"
