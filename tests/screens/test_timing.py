"""The rough speech clock behind a breathing animation's start."""

from __future__ import annotations

import pytest

from skill.screens.timing import (
    AUDIO_GUESS_MS,
    RATE_FACTORS,
    SENTENCE_PAUSE_MS,
    WORD_MS,
    spoken_ms,
)


def test_breaks_count_exactly() -> None:
    assert spoken_ms('<break time="2s"/><break time="500ms"/><break time="1.5s"/>') == 4000


def test_words_at_the_usual_pace_and_sentence_ends_pause() -> None:
    assert spoken_ms("close your eyes") == 3 * WORD_MS
    assert spoken_ms("Sit close. Breathe.") == 3 * WORD_MS + 2 * SENTENCE_PAUSE_MS


def test_slow_prosody_takes_longer_and_nests() -> None:
    slow = RATE_FACTORS["slow"]
    assert spoken_ms('<prosody rate="slow">and rest</prosody>') == round(2 * WORD_MS * slow)
    assert spoken_ms('<prosody rate="50%">rest</prosody>') == 2 * WORD_MS
    nested = '<prosody rate="slow"><prosody rate="slow">rest</prosody></prosody>'
    assert spoken_ms(nested) == round(WORD_MS * slow * slow)


def test_audio_counts_its_known_length_else_a_chime() -> None:
    chime = '<audio src="soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"/>'
    assert spoken_ms(chime) == AUDIO_GUESS_MS
    track = '<audio src="https://cues.example.com/inhale.mp3"/>'
    assert spoken_ms(track, {"https://cues.example.com/inhale.mp3": 4000}) == 4000


def test_a_whole_speak_document_with_amazon_tags() -> None:
    ssml = '<speak><amazon:effect name="whispered">hello there</amazon:effect></speak>'
    assert spoken_ms(ssml) == 2 * WORD_MS


@pytest.mark.parametrize("broken", ["<prosody>unclosed words here", "a < b and c"])
def test_malformed_ssml_still_gives_an_estimate_from_its_words(broken: str) -> None:
    assert spoken_ms(broken) > 0


def test_until_counts_only_what_comes_before_the_marker() -> None:
    slow = RATE_FACTORS["slow"]
    ssml = '<break time="1s"/><prosody rate="slow">one two <here/> three</prosody> four'
    assert spoken_ms(ssml, until="here") == round(1000 + 2 * WORD_MS * slow)
    assert spoken_ms(ssml, until="absent") == round(1000 + 3 * WORD_MS * slow + WORD_MS)
    assert spoken_ms("one two <here/> three <oops", until="here") == 2 * WORD_MS
