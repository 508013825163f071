"""Sample utterances from templates: what a template says, which of its sayings are
kept, and that the model on disk is what the source gives."""

from __future__ import annotations

import pytest

from skill.chat.samples import (
    SELECTION_CAP,
    TemplateError,
    expand,
    expand_ranked,
    load_source,
    select,
    with_macros,
)


def test_a_template_says_every_combination_once() -> None:
    assert expand("(do|start) [a] sync [please]") == [
        "do sync",
        "do sync please",
        "do a sync",
        "do a sync please",
        "start sync",
        "start sync please",
        "start a sync",
        "start a sync please",
    ]


def test_the_first_choices_are_the_commonest() -> None:
    ranked = dict(expand_ranked("[let's|can we] (do|start) a sync"))
    assert ranked["do a sync"] == 0
    assert ranked["let's do a sync"] == 1
    assert ranked["start a sync"] == 1
    assert ranked["can we start a sync"] == 3


def test_a_capped_expansion_is_the_cheapest_part_of_the_whole() -> None:
    template = (
        "[(let's|can we|shall we)] (do|start|begin|run) [a|the|our] (sync|breath) [now|please]"
    )
    whole = expand_ranked(template)
    capped = expand_ranked(template, cap=20)
    assert len(capped) == 20
    worst_kept = max(cost for _, cost in capped)
    assert all(cost >= worst_kept for text, cost in whole if (text, cost) not in capped)


@pytest.mark.parametrize("broken", ["(a|b", "a]", "[a|(b]", "a)"])
def test_an_unbalanced_template_is_refused(broken: str) -> None:
    with pytest.raises(TemplateError):
        expand(broken)


def test_macros_stand_for_templates_and_an_unknown_one_is_refused() -> None:
    macros = {"LETS": "(let's|can we)", "DO": "<LETS> do"}
    assert expand(with_macros("<DO> a sync", macros)) == ["let's do a sync", "can we do a sync"]
    with pytest.raises(TemplateError, match="NOPE"):
        with_macros("<NOPE> sync", macros)


def test_selection_keeps_each_arrangement_of_slots_and_the_plainest_saying() -> None:
    templates = [
        "(remind|nudge|ping) (us|me) [every {day}|on {day}] [at {time}] to {practice} [please]",
        "[<LETS>] silent sync".replace("<LETS>", "let's|can we|shall we|could we"),
    ]
    chosen = select(templates, 12)
    arrangements = {tuple(part for part in s.split() if part.startswith("{")) for s in chosen}
    assert {
        ("{practice}",),
        ("{day}", "{practice}"),
        ("{time}", "{practice}"),
        ("{day}", "{time}", "{practice}"),
    } <= arrangements
    assert "remind us to {practice}" in chosen
    assert "silent sync" in chosen
    assert select(templates, 12) == chosen  # the same on every run


def test_selection_says_every_word_a_template_offers_before_more_combinations() -> None:
    # The last choices cost the most, yet each is said once within a small limit.
    template = "(stop it|please stop|end this|quit|exit|goodbye|bye bye) [please|now|thanks]"
    chosen = select([template], 10)
    words = {word for sample in chosen for word in sample.split()}
    assert {"quit", "exit", "goodbye", "bye"} <= words
    assert "stop it" in chosen


def test_every_template_of_the_source_expands_within_the_cap() -> None:
    source = load_source()
    for intent in source.intents:
        for template in intent.templates:
            assert expand_ranked(template, cap=SELECTION_CAP), (intent.intent, template)
