"""The couple's repair word as heard in any turn: is this their word (said as
recognition may give it), and the directive that teaches recognition their word.
Every turn asks; the practice that chooses the word (repair_word.py) loads only
when it is used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from skill.domain.couple import cap_text
from skill.intents import SlotType
from skill.store.base import StoreError
from skill.turn import SlotReading, Turn

if TYPE_CHECKING:
    from ask_sdk_model.dialog import DynamicEntitiesDirective

MAX_REPAIR_WORD = 60
REPAIR_WORD_ENTITY_ID = "couple_repair_word"


def clean_word(heard: str) -> str:
    """User text made fit to keep as a repair word: one line, printable, capped."""
    printable = "".join(ch for ch in " ".join(heard.split()) if ch.isprintable())
    return cap_text(printable, MAX_REPAIR_WORD)


def word_key(text: str) -> str:
    """What two spellings of the same word share: letters and digits, case-folded."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


# A long word heard this close to theirs is theirs misheard ("marshmellow"); a short
# one is left alone, where one letter makes another word ("banana", "bandana").
_MISHEARD_MIN_LETTERS = 8
_MISHEARD_RATIO = 0.9


def sounds_like(heard: str, saved: str) -> bool:
    """True when `heard` is the couple's word `saved`, as recognition may give it:
    spaced ("pine apple"), cased, made plural, or one sound off in a long word."""
    wanted, got = word_key(saved), word_key(heard)
    if not wanted or not got:
        return False
    if got == wanted or got in (wanted + "s", wanted + "es"):
        return True
    if len(wanted) < _MISHEARD_MIN_LETTERS or abs(len(got) - len(wanted)) > 1:
        return False
    from difflib import SequenceMatcher  # only for a near miss: off the common path

    return SequenceMatcher(None, got, wanted).ratio() >= _MISHEARD_RATIO


def is_repair_word(reading: SlotReading, saved: str | None) -> bool:
    """True when what was heard is the couple's saved word."""
    if not saved:
        return False
    if reading.resolved_id == REPAIR_WORD_ENTITY_ID:
        return True
    return any(sounds_like(text, saved) for text in (reading.raw, reading.resolved_name) if text)


def says_repair_word(turn: Turn, saved: str | None) -> bool:
    """True when the whole of something heard this turn, in any slot, is the couple's
    saved word: "pineapple" heard as a feeling is still their word."""
    if not saved:
        return False
    return any(sounds_like(text, saved) for _kind, text in turn.heard_texts())


def dynamic_entities_directive(word: str) -> DynamicEntitiesDirective:
    """Teach recognition the couple's word for this session."""
    # Imported here: only a couple with a repair word, once a session, needs them.
    from ask_sdk_model.dialog import DynamicEntitiesDirective
    from ask_sdk_model.er.dynamic import (
        Entity,
        EntityListItem,
        EntityValueAndSynonyms,
        UpdateBehavior,
    )

    synonyms = sorted(
        {variant for variant in _spellings(word) if variant and variant != word}, key=str
    )
    entity = Entity(
        id=REPAIR_WORD_ENTITY_ID,
        name=EntityValueAndSynonyms(value=word, synonyms=list(synonyms)),
    )
    return DynamicEntitiesDirective(
        update_behavior=UpdateBehavior.REPLACE,
        types=[EntityListItem(name=SlotType.REPAIR_WORD.value, values=[entity])],
    )


def _spellings(word: str) -> set[str]:
    plain = " ".join("".join(ch if ch.isalnum() else " " for ch in word.lower()).split())
    return {plain, plain.replace(" ", "")}


def repair_word_directives(turn: Turn) -> list[DynamicEntitiesDirective]:
    """The dynamic-entities directive for the couple's saved word, if there is one.

    Reads the profile (the turn's one read); a store that cannot answer costs only
    the recognition hint, never the turn."""
    try:
        word = turn.profile.repair_word
    except StoreError:
        return []
    return [dynamic_entities_directive(word)] if word else []
