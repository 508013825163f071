"""The safety screen: does this text disclose a risk of harm?

Pure domain code over data (`<language>.json` beside this file): no ask_sdk, no I/O
but reading that file once. It is run on every piece of text the skill hears, before
anything is stored, reflected, coached on or spoken back.

How a text is judged
1. Normalised: Unicode-folded, lower case, invisible characters dropped, contractions
   expanded ("he'll" -> "he will"), punctuation gone. Commas survive as clause marks.
2. A fast path: a text with none of the screen's trigger words is clear. Most texts
   stop here, so the screen costs microseconds on an ordinary turn.
3. Rules: word patterns over lexicons ("@HIT @VICTIM"), each with a head word. A match
   stands unless
   - an idiom covers its head ("hit the nail on the head", "my back is killing me"),
   - the thing doing it is not a person ("it hit me", "the news hit me hard"),
   - its head is negated in the same clause ("he would never hurt me"), except where a
     history word says it has happened ("he doesn't hit me anymore", "for not hitting
     me this week"),
   - it is hypothetical ("if he ever hit me"), or
   - it is told of someone in a film, book or game (third-person rules only).
4. Fragments: a slot value arrives without its carrier ("to die" from "i want to die",
   "hit me again" from "he hit me again"). Each slot kind names the carriers it is
   screened with too (see `screen_slot`).

The pattern language (one rule or idiom is a string of space-separated items):
    word         a literal word
    @NAME        any phrase of the lexicon NAME
    (a b|c)      one of the alternatives (each a sequence of items)
    [a b]        optional
    *  or *N     a gap of up to 3 (or N) words
    ^item        the head: where negation, subjects and idioms are judged
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from skill.domain.safety.classifier import Classifier, classifier_for
from skill.domain.safety.verdict import CLEAR, Assessment, Concern, Disclosure

DEFAULT_GAP = 3
NEGATION_REACH = 5
HYPOTHETICAL_REACH = 3


class SafetyDataError(ValueError):
    """The language's safety data is malformed."""


# -- normalising ----------------------------------------------------------------------------

_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_NOT_WORD = re.compile(r"[^\w',]+")
# A comma or the end of a sentence: both end a clause ("no. he hits me").
_COMMA = re.compile(r"\s*[,.;:!?]+\s*")


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    if folded.isascii():
        return _ASCII_CONTROL.sub(" ", folded)
    # An invisible character may stand where a space was ("he\u200bhit me").
    return "".join(" " if unicodedata.category(ch) in _INVISIBLE else ch for ch in folded)


_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# -- the pattern language -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    regex: re.Pattern[str]
    has_head: bool


@dataclass(frozen=True)
class _Node:
    """One item of a pattern: a word, a lexicon, a group, a gap or an anchor."""

    kind: str  # "word", "lexicon", "group", "optional", "gap", "start", "end"
    text: str = ""
    alternatives: tuple[tuple[_Node, ...], ...] = ()
    reach: int = 0
    head: bool = False


def _parse(pattern: str) -> tuple[_Node, ...]:
    items = re.sub(r"([()\[\]|])", r" \1 ", pattern).split()
    nodes, index = _parse_sequence(items, 0, closing=None)
    if index != len(items):
        raise SafetyDataError(f"unbalanced {pattern!r}")
    if sum(node.head for node in nodes) > 1:
        raise SafetyDataError(f"more than one head in {pattern!r}")
    return nodes


def _parse_sequence(
    items: list[str], index: int, closing: str | None
) -> tuple[tuple[_Node, ...], int]:
    nodes: list[_Node] = []
    head = False
    while index < len(items) and items[index] not in ("|", ")", "]"):
        item = items[index]
        index += 1
        if item == "^":
            head = True
            continue
        if item.startswith("^"):
            head, item = True, item[1:]
        if item in ("(", "["):
            end = ")" if item == "(" else "]"
            alternatives: list[tuple[_Node, ...]] = []
            while True:
                sub, index = _parse_sequence(items, index, closing=end)
                if any(node.head for node in sub):
                    raise SafetyDataError("a head inside a group is not supported")
                alternatives.append(sub)
                if index >= len(items):
                    raise SafetyDataError(f"unclosed {item!r}")
                index += 1
                if items[index - 1] == end:
                    break
            kind = "group" if item == "(" else "optional"
            node = _Node(kind, alternatives=tuple(alternatives), head=head)
        elif item.startswith("*"):
            node = _Node("gap", reach=int(item[1:]) if len(item) > 1 else DEFAULT_GAP)
        elif item == "<":
            node = _Node("start")
        elif item == ">":
            node = _Node("end")
        elif item.startswith("@"):
            node = _Node("lexicon", item[1:], head=head)
        elif re.fullmatch(r"[\w,]+", item):
            node = _Node("word", item, head=head)
        else:
            raise SafetyDataError(f"not a word: {item!r}")
        nodes.append(node)
        head = False
    if closing is None and index < len(items):
        raise SafetyDataError(f"unexpected {items[index]!r}")
    return tuple(nodes), index


class _PatternCompiler:
    """Turns a pattern into a regex over normalised text in the form " w1 w2 w3 "
    (every word followed by one space, the whole preceded by one)."""

    def __init__(self, lexicons: Mapping[str, Sequence[str]]) -> None:
        self._lexicons = lexicons

    def compile(self, pattern: str) -> _Compiled:
        nodes = _parse(pattern)
        body = "".join(self._node(node) for node in nodes)
        anchored = nodes and nodes[0].kind == "start"
        prefix = r"\A " if anchored else " "
        return _Compiled(re.compile(prefix + body), any(node.head for node in nodes))

    def _node(self, node: _Node) -> str:
        if node.kind == "word":
            regex = re.escape(node.text) + " "
        elif node.kind == "lexicon":
            regex = self._lexicon(node.text)
        elif node.kind in ("group", "optional"):
            options = "|".join("".join(self._node(n) for n in alt) for alt in node.alternatives)
            regex = f"(?:{options})" + ("?" if node.kind == "optional" else "")
        elif node.kind == "gap":
            regex = rf"(?:\S+ ){{0,{node.reach}}}"
        elif node.kind == "end":
            regex = r"\Z"
        else:
            regex = ""
        return f"(?P<head>{regex})" if node.head else regex

    def _lexicon(self, name: str) -> str:
        return "(?:" + "|".join(re.escape(p) + " " for p in self.phrases(name)) + ")"

    def phrases(self, name: str) -> list[str]:
        try:
            phrases = self._lexicons[name]
        except KeyError:
            raise SafetyDataError(f"no lexicon {name!r}") from None
        return sorted({" ".join(p.split()) for p in phrases}, key=len, reverse=True)

    def first_words(self, node: _Node) -> set[str]:
        """The words a match of `node` can begin with."""
        if node.kind == "word":
            return {node.text}
        if node.kind == "lexicon":
            return {phrase.split()[0] for phrase in self.phrases(node.text)}
        if node.kind in ("group", "optional"):
            found: set[str] = set()
            for alternative in node.alternatives:
                if not alternative or alternative[0].kind not in ("word", "lexicon", "group"):
                    raise SafetyDataError("a head group must start each choice with a word")
                found |= self.first_words(alternative[0])
            return found
        raise SafetyDataError(f"a {node.kind} cannot be a head")


# -- rules -----------------------------------------------------------------------------------------


class Doer(StrEnum):
    """Who must be doing what a rule describes, judged from the words before its head."""

    ANY = "any"
    # A person, not a thing ("he hit me", never "the news hit me").
    PERSON = "person"
    # Someone other than the speaker ("he broke my nose", never "i broke my arm skiing").
    OTHER = "other"
    # A person named as such ("he", "my ex", a partner's name), never an unknown word
    # ("the bleach burned my hands").
    KNOWN = "known"


@dataclass(frozen=True)
class Rule:
    id: str
    concern: Concern
    pattern: str
    # "check": a negation before the head clears the match; "intrinsic": the rule
    # itself is about a negation ("i do not want to live").
    negation: str = "check"
    # A history word ("again", "anymore") keeps the match despite a negation.
    history: bool = False
    doer: Doer = Doer.ANY
    # Told of a third person: a film, book or game around it clears it.
    third_person: bool = False
    # "if he ever hit me" is not a disclosure; a threat or suicide rule says otherwise.
    hypothetical: bool = True


@dataclass(frozen=True)
class Signal:
    """Risk words that mean a disclosure when enough of their groups meet in one text
    ("the razor" with "where he won't see"), whatever the sentence around them."""

    id: str
    concern: Concern
    groups: tuple[str, ...]  # lexicon names
    need: int
    third_person: bool = False


@dataclass(frozen=True)
class Words:
    """The small word lists the judgement uses."""

    negators: frozenset[str]
    clause_marks: frozenset[str]
    history: frozenset[str]
    hypothetical: frozenset[str]
    frames: frozenset[str]
    frame_phrases: tuple[str, ...]
    intent_markers: tuple[str, ...]
    things: frozenset[str]
    people: frozenset[str]
    speaker: frozenset[str]
    subject_skip: frozenset[str]


@dataclass
class _Prepared:
    """A rule or idiom compiled, with the words it can begin its head (or itself) with."""

    regex: re.Pattern[str]
    has_head: bool
    triggers: frozenset[str]


@dataclass
class SafetyScreen:
    """One language's screen, built from its data; compiled lazily, rule by rule."""

    language: str
    contractions: Mapping[str, str]
    rules: Sequence[Rule]
    idioms: Sequence[str]
    words: Words
    slot_carriers: Mapping[str, Sequence[str]]
    lexicons: Mapping[str, Sequence[str]]
    signals: Sequence[Signal] = ()
    classifier: Classifier | None = None
    # Phrases (regular expressions over the normalised words) that are never a clear
    # disclosure but are always asked about ("i just feel like disappearing"), whatever
    # the classifier makes of them.
    asks: Sequence[str] = ()
    _prepared: dict[str, _Prepared] = field(default_factory=dict, repr=False)
    _asks: re.Pattern[str] | None = field(default=None, repr=False)
    _idioms: list[_Prepared] | None = field(default=None, repr=False)
    _rule_triggers: list[tuple[Rule, frozenset[str]]] | None = field(default=None, repr=False)
    _triggers: frozenset[str] | None = field(default=None, repr=False)
    _groups: dict[str, re.Pattern[str]] | None = field(default=None, repr=False)
    _by_trigger: dict[str, tuple[int, ...]] | None = field(default=None, repr=False)
    _groups_by_start: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _signals_by_group: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    _contraction_pattern: re.Pattern[str] | None = field(default=None, repr=False)
    # A carrier's own words, when they can be joined to an ASCII text's (`carried`).
    _carrier_words: dict[str, list[str] | None] = field(default_factory=dict, repr=False)

    # -- the public questions ---------------------------------------------------------

    def assess(self, text: str | None, people: Sequence[str] = ()) -> Assessment:
        """The screen's whole judgement of `text`. `people` are the couple's first
        names: said in the text, they count as a partner."""
        if not text:
            return CLEAR
        return self._assessed(self.normalise(text, people), self._by_rules, self._score)

    def _assessed(
        self,
        words: list[str],
        by_rules: Callable[[list[str]], tuple[Disclosure | None, bool]],
        score: Callable[[list[str]], float],
    ) -> Assessment:
        if not words:
            return CLEAR
        found, cleared = by_rules(words)
        if found is not None:
            return Assessment(found, False)
        asked = self.asks_about(words)
        classifier = self.classifier
        if classifier is None:
            return Assessment(None, asked)
        value = score(words)
        if not cleared and value >= classifier.firm:
            # A rule that matched and was cleared (a negation, an idiom, a
            # hypothetical) has read the sentence: then the classifier may only ask.
            return Assessment(Disclosure(Concern.OTHER_RISK, "classifier"), False)
        return Assessment(None, asked or value >= classifier.gentle)

    def asks_about(self, words: list[str]) -> bool:
        """Whether the normalised `words` hold a phrase that is always asked about."""
        if not self.asks:
            return False
        if self._asks is None:
            self._asks = re.compile("|".join(f"(?:\\b{phrase}\\b)" for phrase in self.asks))
        return self._asks.search(" ".join(words)) is not None

    def _score(self, words: list[str]) -> float:
        return self.classifier.score(words) if self.classifier is not None else 0.0

    def screen(self, text: str | None, people: Sequence[str] = ()) -> Disclosure | None:
        """The disclosure in `text`, or None when it reads as safe."""
        return self.assess(text, people).disclosure

    def unsure(self, text: str | None, people: Sequence[str] = ()) -> bool:
        """True when `text` is no clear disclosure but may be one: the skill asks
        whether the person is safe before it keeps or coaches on anything."""
        return self.assess(text, people).unsure

    def heard(self, slot_kind: str, value: str | None) -> HeardText:
        """A slot value heard this turn, to be screened (once, or again with the
        couple's names) without normalising or judging the same words twice."""
        return HeardText(self, slot_kind, value)

    def assess_slot(
        self, slot_kind: str, value: str | None, people: Sequence[str] = ()
    ) -> Assessment:
        """A slot value as heard, and its rules again inside each carrier its kind is
        usually said after ("to die" is a need: "i need to die")."""
        return self.heard(slot_kind, value).assess(people)

    def screen_slot(
        self, slot_kind: str, value: str | None, people: Sequence[str] = ()
    ) -> Disclosure | None:
        return self.assess_slot(slot_kind, value, people).disclosure

    def might_disclose(self, text: str | None) -> bool:
        """False when the couple's names cannot change what the screen says of `text`:
        none of the words any rule needs, and the classifier far from its thresholds."""
        return self.heard("free", text).might_disclose()

    @property
    def triggers(self) -> frozenset[str]:
        if self._triggers is None:
            self._triggers = frozenset().union(*(t for _, t in self._rules_with_triggers()))
        return self._triggers

    # -- normalising ------------------------------------------------------------------

    def normalise(self, text: str, people: Sequence[str] = ()) -> list[str]:
        folded = _fold(text)
        folded = self._contractions().sub(lambda m: self.contractions[m.group(0)], folded)
        folded = _COMMA.sub(" , ", folded.replace("'", " "))
        # "back's killing me": a leftover "s" after a noun is "is".
        words = ["is" if w == "s" else w for w in _NOT_WORD.sub(" ", folded).split() if w]
        return _with_names(words, people)

    def carried(self, carrier: str, text: str, words: list[str]) -> list[str]:
        """`normalise(f"{carrier} {text}")`, given `words`, the text's own normalised
        words. For an ASCII carrier and text every step of normalising goes character
        by character or word by word, so the words join, unless a contraction with a
        space in it ("no one's") could begin in the carrier and end in the text."""
        if not text.isascii():
            return self.normalise(f"{carrier} {text}")
        if carrier not in self._carrier_words:
            folded = _fold(carrier)
            joins = carrier.isascii() and not any(
                folded.endswith(key[:at]) or not re.search(r"\w", key[:at])
                for key in self.contractions
                for at, char in enumerate(key)
                if char.isspace()
            )
            self._carrier_words[carrier] = self.normalise(carrier) if joins else None
        own = self._carrier_words[carrier]
        return self.normalise(f"{carrier} {text}") if own is None else [*own, *words]

    def _contractions(self) -> re.Pattern[str]:
        if self._contraction_pattern is None:
            keys = sorted(self.contractions, key=len, reverse=True)
            alternatives = "|".join(re.escape(k) for k in keys) or "(?!)"
            self._contraction_pattern = re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])")
        return self._contraction_pattern

    # -- judging --------------------------------------------------------------------------

    def _by_rules(self, words: list[str]) -> tuple[Disclosure | None, bool]:
        """Rules (when a trigger word is there), then signals: (the disclosure,
        whether a rule matched and was cleared)."""
        found, cleared = (None, False)
        if not self.triggers.isdisjoint(words):
            found, cleared = self._judge(words)
        if found is None:
            found = self._signalled(words)
        return found, cleared

    def _judge(self, words: list[str]) -> tuple[Disclosure | None, bool]:
        """(the disclosure, whether a rule matched and was cleared)."""
        present = frozenset(words)
        cleared = False
        text = " " + " ".join(words) + " "
        idiom_spans: list[tuple[int, int]] | None = None
        for rule in self._candidates(present):
            prepared = self._prepare(rule)
            position = 0
            while (match := prepared.regex.search(text, position)) is not None:
                if idiom_spans is None:
                    idiom_spans = self._idiom_spans(text, present)
                if self._stands(
                    rule,
                    match=match,
                    text=text,
                    words=words,
                    idiom_spans=idiom_spans,
                    has_head=prepared.has_head,
                ):
                    return Disclosure(rule.concern, rule.id), False
                cleared = True
                position = match.start() + 1
        return None, cleared

    def _signalled(self, words: list[str]) -> Disclosure | None:
        groups = self._group_patterns()
        # The signal groups one of whose phrases begins with a word of the text.
        starting: set[str] = set()
        for word in words:
            starting.update(self._groups_by_start.get(word, ()))
        if not starting:
            return None
        # The signals one of those groups belongs to, in data order.
        orders = {order for group in starting for order in self._signals_by_group[group]}
        text = " " + " ".join(words) + " "
        for order in sorted(orders):
            signal = self.signals[order]
            possible = [g for g in signal.groups if g in starting]
            if len(possible) < signal.need:
                continue
            met = sum(groups[group].search(text) is not None for group in possible)
            if met < signal.need:
                continue
            if signal.third_person and self._told_of_fiction(text, words):
                continue
            return Disclosure(signal.concern, signal.id)
        return None

    def _stands(
        self,
        rule: Rule,
        *,
        match: re.Match[str],
        text: str,
        words: list[str],
        idiom_spans: list[tuple[int, int]],
        has_head: bool,
    ) -> bool:
        start, end = match.span("head") if has_head else match.span()
        if any(s < end and start < e for s, e in idiom_spans):
            return False
        head = _word_index(text, start)
        if rule.third_person and self._told_of_fiction(text, words):
            return False
        clause = self._clause_before(words, head)
        if rule.doer is not Doer.ANY:
            doer = self._doer(clause) or self._doer(self._previous_clause(words, head))
            if doer == "thing" or (rule.doer is not Doer.PERSON and doer == "speaker"):
                return False
            if rule.doer is Doer.KNOWN and doer != "person":
                return False
        if rule.hypothetical and self.words.hypothetical.intersection(clause[-HYPOTHETICAL_REACH:]):
            return False
        if rule.negation == "check" and self._negated(clause):
            return rule.history and not self.words.history.isdisjoint(words[head:])
        return True

    def _told_of_fiction(self, text: str, before: list[str]) -> bool:
        return not self.words.frames.isdisjoint(before) or any(
            f" {phrase} " in text for phrase in self.words.frame_phrases
        )

    def _clause_before(self, words: list[str], head: int) -> list[str]:
        """The words of the head's clause that come before it."""
        before = words[:head]
        for index in range(len(before) - 1, -1, -1):
            if before[index] in self.words.clause_marks:
                return before[index + 1 :]
        return before

    def _negated(self, clause: list[str]) -> bool:
        reach = clause[-NEGATION_REACH:]
        for index, word in enumerate(reach):
            # "thanks for not hitting me" says it happens.
            if word in self.words.negators and (index == 0 or reach[index - 1] != "for"):
                # "no he hits me", "not really, she threatens me": a negator opening
                # the clause, then a doer, answers something else ("are you safe?").
                opens = len(clause) - len(reach) + index <= 1
                later = reach[index + 1 :]
                if opens and any(w in self.words.people or w == PARTNER for w in later):
                    continue
                return True
        return False

    def _doer(self, clause: list[str]) -> str:
        """ "speaker", "person" or "thing": the nearest word before the head that
        says which; "" when the clause names none (the clause before is asked next;
        a fragment such as "hit me again" has no doer and stands)."""
        for word in reversed(clause):
            if word in self.words.subject_skip:
                continue
            if word in self.words.speaker:
                return "speaker"
            if word in self.words.people or word == PARTNER:
                return "person"
            if word in self.words.things:
                return "thing"
        return ""

    def _previous_clause(self, words: list[str], head: int) -> list[str]:
        """The clause before the head's own ("the oil spat" in "the oil spat and
        burned my arm"), when the head's clause has no doer of its own."""
        marks = [i for i, word in enumerate(words[:head]) if word in self.words.clause_marks]
        if not marks:
            return []
        start = marks[-2] + 1 if len(marks) > 1 else 0
        return words[start : marks[-1]]

    def _idiom_spans(self, text: str, present: frozenset[str]) -> list[tuple[int, int]]:
        if any(f" {marker} " in text for marker in self.words.intent_markers):
            # "on purpose", "until it bleeds": no idiom explains it away.
            return []
        if self._idioms is None:
            compiler = _PatternCompiler(self.lexicons)
            self._idioms = [_prepare_pattern(compiler, p) for p in self.idioms]
        spans: list[tuple[int, int]] = []
        for idiom in self._idioms:
            if idiom.triggers.isdisjoint(present):
                continue
            spans.extend((m.start() + 1, m.end()) for m in idiom.regex.finditer(text))
        return spans

    def _group_patterns(self) -> dict[str, re.Pattern[str]]:
        """One pattern per lexicon a signal names: is any of its phrases in the text?"""
        if self._groups is None:
            names = {group for signal in self.signals for group in signal.groups}
            compiler = _PatternCompiler(self.lexicons)
            self._groups = {
                name: re.compile(" " + compiler._lexicon(name)) for name in sorted(names)
            }
            by_start: dict[str, list[str]] = {}
            for name in sorted(names):
                for start in {p.split()[0] for p in self.lexicons[name]}:
                    by_start.setdefault(start, []).append(name)
            self._groups_by_start = {word: tuple(found) for word, found in by_start.items()}
            self._signals_by_group = {
                name: tuple(i for i, signal in enumerate(self.signals) if name in signal.groups)
                for name in names
            }
        return self._groups

    def _candidates(self, present: frozenset[str]) -> list[Rule]:
        """The rules whose head may begin with a word of the text, in data order."""
        if self._by_trigger is None:
            index: dict[str, list[int]] = {}
            for order, (_rule, triggers) in enumerate(self._rules_with_triggers()):
                for word in triggers:
                    index.setdefault(word, []).append(order)
            self._by_trigger = {word: tuple(orders) for word, orders in index.items()}
        orders: set[int] = set()
        for word in present:
            orders.update(self._by_trigger.get(word, ()))
        return [self.rules[order] for order in sorted(orders)]

    def _rules_with_triggers(self) -> list[tuple[Rule, frozenset[str]]]:
        if self._rule_triggers is None:
            compiler = _PatternCompiler(self.lexicons)
            self._rule_triggers = [(rule, _head_words(compiler, rule)) for rule in self.rules]
        return self._rule_triggers

    def _prepare(self, rule: Rule) -> _Prepared:
        prepared = self._prepared.get(rule.id)
        if prepared is None:
            compiled = _PatternCompiler(self.lexicons).compile(rule.pattern)
            prepared = _Prepared(compiled.regex, compiled.has_head, frozenset())
            self._prepared[rule.id] = prepared
        return prepared

    def compile_all(self) -> None:
        """Compile every rule and idiom now (tests, and a check of the data)."""
        for rule in self.rules:
            self._prepare(rule)
        self._idiom_spans("  ", frozenset())


PARTNER = "partnername"


def _with_names(words: list[str], people: Sequence[str]) -> list[str]:
    """The couple's names among normalised words read as a partner; the same list
    when none is there."""
    names = {name.casefold() for name in people if name}
    if not names or names.isdisjoint(words):
        return words
    return [PARTNER if word in names else word for word in words]


class HeardText:
    """One slot value as the screen reads it in one turn: its words, and each carrier's,
    normalised once; each judgement of a list of words kept. Read again with the
    couple's names, only what the names change is judged again (nothing, when no name
    is said). Lives as long as the turn: nothing is kept from one text to another."""

    def __init__(self, screen: SafetyScreen, slot_kind: str, text: str | None) -> None:
        self._screen = screen
        self._kind = slot_kind
        self._text = text
        self._words: list[str] | None = None
        self._carried: dict[str, list[str]] = {}
        self._rules: dict[tuple[str, ...], tuple[Disclosure | None, bool]] = {}
        self._scores: dict[tuple[str, ...], float] = {}

    def assess(self, people: Sequence[str] = ()) -> Assessment:
        """What `SafetyScreen.assess_slot` says of this text."""
        screen, text = self._screen, self._text
        if not text:
            return CLEAR
        words = self._words_with(people)
        found = screen._assessed(words, self._by_rules, self._score)
        if found.disclosure is not None or screen.triggers.isdisjoint(words):
            return found  # a carrier adds no rule's head: nothing more to hear
        for carrier in screen.slot_carriers.get(self._kind, ()):
            carried = self._carried.get(carrier)
            if carried is None:
                carried = screen.carried(carrier, text, self._words_with(()))
                self._carried[carrier] = carried
            by_rules, _cleared = self._by_rules(_with_names(carried, people))
            if by_rules is not None:
                return Assessment(by_rules)
        return found

    def might_disclose(self) -> bool:
        """What `SafetyScreen.might_disclose` says of this text."""
        if not self._text:
            return False
        words = self._words_with(())
        screen = self._screen
        if not screen.triggers.isdisjoint(words) or screen.asks_about(words):
            return True
        classifier = screen.classifier
        return classifier is not None and self._score(words) >= classifier.gentle / 2

    def _words_with(self, people: Sequence[str]) -> list[str]:
        if self._words is None:
            self._words = self._screen.normalise(self._text or "")
        return _with_names(self._words, people)

    def _by_rules(self, words: list[str]) -> tuple[Disclosure | None, bool]:
        key = tuple(words)
        found = self._rules.get(key)
        if found is None:
            found = self._rules[key] = self._screen._by_rules(words)
        return found

    def _score(self, words: list[str]) -> float:
        key = tuple(words)
        found = self._scores.get(key)
        if found is None:
            found = self._scores[key] = self._screen._score(words)
        return found


def _word_index(text: str, offset: int) -> int:
    """The index of the word that starts at `offset` in " w1 w2 ... "."""
    return text.count(" ", 0, offset + 1) - 1


def _head_words(compiler: _PatternCompiler, rule: Rule) -> frozenset[str]:
    heads = [node for node in _parse(rule.pattern) if node.head]
    if not heads:
        raise SafetyDataError(f"rule {rule.id!r} has no head")
    return frozenset(compiler.first_words(heads[0]))


def _prepare_pattern(compiler: _PatternCompiler, pattern: str) -> _Prepared:
    """An idiom: its regex, and the words that must be present for it to match (those
    that can begin its first item; an idiom starting with a gap is always tried)."""
    compiled = compiler.compile(pattern)
    nodes = [node for node in _parse(pattern) if node.kind != "start"]
    triggers: set[str] = set()
    try:
        # An optional first item may be left out: the words after it can begin too.
        for node in nodes:
            triggers |= compiler.first_words(node)
            if node.kind != "optional":
                break
        else:
            triggers = set()
    except SafetyDataError:
        triggers = set()
    return _Prepared(compiled.regex, compiled.has_head, frozenset(triggers) or _ALWAYS)


class _Always(frozenset[str]):
    """A trigger set that every text meets."""

    def isdisjoint(self, other: Iterable[object]) -> bool:
        return False


_ALWAYS = _Always()


# -- loading ---------------------------------------------------------------------------------


def screen_from(language: str, body: Mapping[str, Any]) -> SafetyScreen:
    lexicons = {name: tuple(map(str, phrases)) for name, phrases in body["lexicons"].items()}
    rules = tuple(
        Rule(
            id=str(rule["id"]),
            concern=Concern(rule["concern"]),
            pattern=str(rule["pattern"]),
            negation=str(rule.get("negation", "check")),
            history=bool(rule.get("history", False)),
            doer=Doer(rule.get("doer", "any")),
            third_person=bool(rule.get("third_person", False)),
            hypothetical=bool(rule.get("hypothetical", True)),
        )
        for rule in body["rules"]
    )
    ids = [rule.id for rule in rules] + [str(s["id"]) for s in body.get("signals", ())]
    if len(set(ids)) != len(ids):
        raise SafetyDataError("rule and signal ids must be unique")
    for signal in body.get("signals", ()):
        unknown = [group for group in signal["groups"] if group not in lexicons]
        if unknown or not 1 <= int(signal["need"]) <= len(signal["groups"]):
            raise SafetyDataError(f"signal {signal['id']!r} names {unknown or 'a bad need'}")
    words = body["words"]
    return SafetyScreen(
        language=language,
        contractions=dict(body["contractions"]),
        rules=rules,
        idioms=tuple(body["idioms"]),
        words=Words(
            negators=frozenset(words["negators"]),
            clause_marks=frozenset(words["clause_marks"]),
            history=frozenset(words["history"]),
            hypothetical=frozenset(words["hypothetical"]),
            frames=frozenset(words["frames"]),
            frame_phrases=tuple(words["frame_phrases"]),
            intent_markers=tuple(words["intent_markers"]),
            things=frozenset(words["things"]),
            people=frozenset(words["people"]),
            speaker=frozenset(words["speaker"]),
            subject_skip=frozenset(words["subject_skip"]),
        ),
        slot_carriers={k: tuple(v) for k, v in body["slot_carriers"].items()},
        lexicons=lexicons,
        asks=tuple(map(str, body.get("asks", ()))),
        signals=tuple(
            Signal(
                id=str(signal["id"]),
                concern=Concern(signal["concern"]),
                groups=tuple(signal["groups"]),
                need=int(signal["need"]),
                third_person=bool(signal.get("third_person", False)),
            )
            for signal in body.get("signals", ())
        ),
    )


@cache
def screen_for(language: str) -> SafetyScreen:
    """The screen of a language ("en"), read once per process, with its classifier."""
    source = Path(__file__).resolve().parent / f"{language}.json"
    if not source.is_file():
        raise SafetyDataError(f"no safety data for {language!r}")
    screen = screen_from(language, json.loads(source.read_text(encoding="utf-8")))
    return replace(screen, classifier=classifier_for(language))
