"""Language understanding for the local text chat: typed text -> intent and slots,
resolved from the interaction model's own samples and slot types, the way Alexa would
(entity resolution included), so the chat exercises the real model.

How a phrase is matched
- Case, punctuation, hesitations ("um", "uh") and edge fillers ("please", "alexa",
  "just", "like", "so", "okay" ...) do not matter; contractions are expanded on both
  sides ("whats" == "what's" == "what is"); "a", "the", "our", "my", "some" may be
  missing or extra at a small cost.
- Every sample is a pattern of literal words and slots; the whole text must be used.
  Score: literal word 3, custom value or synonym (static or dynamic) 3 per word,
  AMAZON.NUMBER / AMAZON.TIME 3 per word, AMAZON.FirstName 1 per word,
  AMAZON.SearchQuery 1 per word, unknown custom value (ER_SUCCESS_NO_MATCH) 0.5 per
  word. So a literal sample beats a wildcard capture, and an exact custom value beats
  a FirstName or SearchQuery capture.
- A match made only of wildcards (no literal word, no exact value, no number, no
  time; a FirstName counts only if typed capitalised, e.g. "Alex") is accepted only
  for an intent named in `prefer`. Anything else that matches nothing is
  AMAZON.FallbackIntent.
- Built-in intents have no samples in the model; the chat knows their usual phrasings
  (`BUILT_IN_PHRASES`) and gives an exact built-in phrase a bonus of 2.
- `prefer` names the intents the skill is waiting for (the last question asked); they
  get a bonus of 3. The rule for words that are both a yes and a vague feeling
  ("okay", "ok", "alright"): AMAZON.YesIntent, unless a feeling is being asked for
  (while any slot is elicited the built-ins get no bonus, so a value wins).
- `eliciting` is the slot the skill asked for with Dialog.ElicitSlot: as on Alexa, that
  slot's own samples ("{need}", "i guess {need}") are heard too, as its intent's.
- A custom type with a value of three words or more takes free text (a need, a
  note): an unlisted value of up to 30 words passes through, as Alexa passes it.
- Only when no sample matches word for word (Alexa generalises; an exact matcher
  does not): a sample of at least two literal words may be matched with up to two
  words of the text left out and one small word of its own unsaid ("to", "with";
  never "streak" or "balance"), each costing 2, when every
  slot holds a value it knows and the words matched are at least 60% of those
  matched and edited. "could we maybe do the breathing thing" is SilentSyncIntent;
  "what is the weather like" stays the fallback. SafetyIntent's samples are never
  matched this way: the screen decides.
- A custom value Alexa does not list (ER_SUCCESS_NO_MATCH) is never only function
  words ("for us", "the", "right now").
- Safety first: a sentence the safety screen reads as a disclosure is SafetyIntent.
  The screen is built from the same data as SafetyIntent's samples; it stands in
  for Alexa's generalisation from them, so the chat never coaches past one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple, TypeGuard

from skill.chat.model import InteractionModel
from skill.chat.spoken import Token, norms, parse_number, parse_time, spoken_text, tokenize

FALLBACK = "AMAZON.FallbackIntent"
FIRST_NAME = "AMAZON.FirstName"
NUMBER = "AMAZON.NUMBER"
SEARCH_QUERY = "AMAZON.SearchQuery"
TIME = "AMAZON.TIME"

SAFETY = "SafetyIntent"

# slot type -> [(id, name, synonyms)], as sent with Dialog.UpdateDynamicEntities.
DynamicEntities = Mapping[str, Sequence[tuple[str, str, Sequence[str]]]]
# (intent, slot) the skill elicits with Dialog.ElicitSlot.
Elicitation = tuple[str, str]

BUILT_IN_PHRASES: Mapping[str, tuple[str, ...]] = {
    "AMAZON.HelpIntent": (
        "help",
        "help me",
        "what can i do",
        "what can i say",
        "what do i say",
        "how does this work",
        "what are my options",
        "i'm lost",
    ),
    "AMAZON.StopIntent": (
        "stop",
        "goodbye",
        "good bye",
        "bye",
        "bye bye",
        "quit",
        "exit",
        "that's all",
        "we're done",
        "i'm done",
        "good night",
        "shut up",
        "enough",
    ),
    "AMAZON.CancelIntent": ("cancel", "never mind", "nevermind", "forget it", "cancel that"),
    "AMAZON.YesIntent": (
        "yes",
        "mm hmm",
        "uh huh",
        "mhm",
        "yeah",
        "yep",
        "yup",
        "sure",
        "ok",
        "okay",
        "alright",
        "please do",
        "yes please",
        "of course",
        "sounds good",
        "let's do it",
        "go ahead",
        "absolutely",
        "correct",
        "that's right",
        "right",
        "i do",
        "we do",
    ),
    "AMAZON.NoIntent": (
        "no",
        "nope",
        "nah",
        "no thanks",
        "no thank you",
        "not now",
        "not really",
        "i don't",
        "we don't",
        "not yet",
    ),
    "AMAZON.RepeatIntent": (
        "repeat",
        "repeat that",
        "say that again",
        "say again",
        "what did you say",
        "pardon",
        "come again",
        "one more time",
        "sorry what",
    ),
    "AMAZON.StartOverIntent": (
        "start over",
        "restart",
        "start again",
        "begin again",
        "from the top",
        "start from the beginning",
    ),
    "AMAZON.NavigateHomeIntent": ("go home", "home", "main menu", "back to the main menu"),
}

_SOUNDS_OF_YES = frozenset({("mm", "hmm"), ("uh", "huh"), ("mhm",), ("mm", "hm"), ("uh", "hu")})
# Filled pauses and laughter: the recogniser passes them on, the model ignores them.
_HESITATIONS = frozenset(
    {"um", "umm", "uh", "uhh", "uhm", "erm", "er", "hmm", "hm", "mm", "ha", "haha", "heh"}
)
_EDGE_FILLERS = frozenset(
    {
        "please",
        "alexa",
        "like",
        "just",
        "so",
        "well",
        "oh",
        "hey",
        "actually",
        "ok",
        "okay",
        "alright",
        "thanks",
    }
)
_SOFT_WORDS = frozenset({"a", "an", "the", "our", "my", "some"})
# Words that are never a first name, whatever the capitals.
_NOT_NAME_WORDS = """
i me my we us our you your he she they him her them it the a an and or but to for of in
on at is am are was be this that here there what who how why when where with not no yes
yeah yep sure stop cancel help please okay ok thanks thank hello hi hey alexa um uh so
just like well oh good bad fine do does did have has had will would can could let
were been being done
really very totally always never also actually kind sort today tonight again still
note notes message thanks reminder word something someone everything nothing
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
# An unlisted value is never only these ("for us", "the", "right now"): Alexa leaves
# them to the sample's own words.
_MORE_FUNCTION_WORDS = "now tonight together again today right then too also for from into as"
_FUNCTION_WORDS = _NOT_NAMES | frozenset(_MORE_FUNCTION_WORDS.split())

LITERAL_SCORE = 3.0
EXACT_SCORE = 3.0
TYPED_SCORE = 3.0
NAME_SCORE = 1.0
QUERY_SCORE = 1.0
NO_MATCH_SCORE = 0.5
SOFT_SKIP_SCORE = -1.0
BUILT_IN_BONUS = 2.0
PREFER_BONUS = 3.0
# A slot's own samples while it is asked for: enough to place a bare answer, not
# enough to beat an exact value of another intent ("I'm anxious" asked for a name).
ELICIT_BONUS = 1.5
NO_MATCH_MAX_WORDS = 3
FREE_TEXT_MAX_WORDS = 30
FREE_TEXT_VALUE_WORDS = 3
FIRST_NAME_MAX_WORDS = 2
# When no sample matches word for word: up to two words more and one word fewer than
# a sample of at least two literal words, each at a cost, at least two words matched.
TOLERATED_WORDS = 2
TOLERATED_LITERALS = 1
TOLERANT_MIN_LITERALS = 2
EDIT_SCORE = -2.0
# ... and the words matched are at least this share of those matched and edited.
TOLERANT_SHARE = 0.6


class ResolutionStatus(StrEnum):
    MATCH = "ER_SUCCESS_MATCH"
    NO_MATCH = "ER_SUCCESS_NO_MATCH"


@dataclass(frozen=True)
class ResolvedValue:
    id: str | None
    name: str


@dataclass(frozen=True)
class Resolved:
    """Entity resolution of a custom slot, as Alexa reports it: what the model's own
    values matched (`static`) and, when dynamic entities are in force for the slot
    type, what they matched (`dynamic`, which takes precedence)."""

    slot_type: str
    static: ResolvedValue | None = None
    dynamic: ResolvedValue | None = None
    dynamic_in_force: bool = False

    @property
    def status(self) -> ResolutionStatus:
        matched = self.dynamic or self.static
        return ResolutionStatus.MATCH if matched else ResolutionStatus.NO_MATCH

    @property
    def matched(self) -> bool:
        return self.status is ResolutionStatus.MATCH

    @property
    def best(self) -> ResolvedValue | None:
        return self.dynamic or self.static

    @property
    def id(self) -> str | None:
        return self.best.id if self.best else None

    @property
    def name(self) -> str | None:
        return self.best.name if self.best else None


@dataclass(frozen=True)
class SlotValue:
    value: str
    resolution: Resolved | None = None

    @classmethod
    def match(
        cls,
        value: str,
        slot_type: str,
        id: str,
        name: str | None = None,
        *,
        dynamic: bool = False,
    ) -> SlotValue:
        """A custom-slot value resolved to `id` (canonical `name`, default `value`)."""
        found = ResolvedValue(id, name if name is not None else value)
        if dynamic:
            return cls(value, Resolved(slot_type, dynamic=found, dynamic_in_force=True))
        return cls(value, Resolved(slot_type, static=found))

    @classmethod
    def no_match(cls, value: str, slot_type: str, *, dynamic_in_force: bool = False) -> SlotValue:
        return cls(value, Resolved(slot_type, dynamic_in_force=dynamic_in_force))

    @property
    def resolved_id(self) -> str | None:
        return self.resolution.id if self.resolution else None


@dataclass(frozen=True)
class Understanding:
    intent: str
    slots: Mapping[str, SlotValue] = field(default_factory=dict)
    declared: tuple[str, ...] = ()  # every slot the intent declares, filled or not
    score: float = 0.0

    @property
    def is_fallback(self) -> bool:
        return self.intent == FALLBACK

    def value(self, slot: str) -> str | None:
        found = self.slots.get(slot)
        return found.value if found else None

    def resolved_id(self, slot: str) -> str | None:
        found = self.slots.get(slot)
        return found.resolved_id if found else None

    def request_slots(self) -> dict[str, SlotValue | None]:
        """Every declared slot, None where unfilled: what `intent_request` renders."""
        names = self.declared or tuple(self.slots)
        return {name: self.slots.get(name) for name in names}


def understand(
    text: str,
    model: InteractionModel,
    dynamic_entities: DynamicEntities | None = None,
    *,
    prefer: Collection[str] = (),
    eliciting: Elicitation | None = None,
) -> Understanding:
    """The intent Alexa would most likely hear in `text`, with its slots resolved."""
    compiled = _compiled(model)
    if SAFETY in compiled.declared and _discloses(text):
        return Understanding(SAFETY, declared=compiled.declared[SAFETY])
    dynamic = _dynamic_index(dynamic_entities or {})
    elicited = compiled.slot_patterns.get(eliciting or ("", ""), ())
    asked = frozenset(prefer) | ({eliciting[0]} if eliciting else set())
    variants = _variants(tokenize(text))
    context = _Asked(elicited, asked, frozenset(prefer), eliciting is not None)
    best = _search(variants, compiled, dynamic, context, tolerant=False)
    if best is None or not best.found.evidence:
        # Nothing said it word for word (or only a bare slot the step would take, which
        # catches anything): what Alexa's model would still place, a sample with a word
        # or two more or less. "sure, I agree" asked to agree is a yes, not the word.
        near = _search(variants, compiled, dynamic, context, tolerant=True)
        if best is None or (near is not None and near.intent in context.intents):
            best = near
    if best is not None and not best.found.evidence and _yes_or_no_first(variants, context) == NO:
        # "nope, that's it" asked for another step: a no, not a step called that.
        return Understanding(NO, declared=compiled.declared.get(NO, ()))
    plainest = [_plainer(tokens) for tokens in variants] if best is None else []
    if best is None:
        # Said the way people talk around a request: "can Alex and I do a quick check
        # in", "what was Sam's need", "do like eight breaths". The same request in
        # the plainer words a sample uses, word for word and then as a near miss.
        plainer = [
            variant
            for tokens, plain in zip(variants, plainest, strict=True)
            if plain != tokens
            for variant in _variants(plain)
        ]
        if plainer:
            best = _search(plainer, compiled, dynamic, context, tolerant=False)
            if best is None or not best.found.evidence:
                best = _search(plainer, compiled, dynamic, context, tolerant=True)
    if best is None and eliciting is None:
        # "we haven't checked in today, can we do that": one part of it is a request.
        best = _a_clause(text, compiled, dynamic, context)
    if best is None and eliciting is None:
        # "sam didn't listen to me when I needed it": a request, and more said after it.
        best = _an_opening_or_ending(plainest, compiled, dynamic, context)
    if best is None and eliciting is not None:
        best = _restated(variants, compiled, dynamic, context, eliciting)
    if best is None:
        answered = _yes_or_no_first(variants, context)
        if answered is not None:
            return Understanding(answered, declared=compiled.declared.get(answered, ()))
    if best is None and eliciting is None and not prefer:
        # At the top level, a short phrase nothing placed is what a sample of one open
        # slot catches, as on Alexa: "marshmallow", said to open the skill, reaches the
        # repair word's intent, which tells their word from any other.
        best = _caught_whole(variants, compiled, dynamic)
    if best is None:
        return Understanding(FALLBACK)
    return Understanding(
        intent=best.intent,
        slots=dict(best.found.slots),
        declared=compiled.declared.get(best.intent, ()),
        score=best.score,
    )


@dataclass(frozen=True)
class _Asked:
    """What the skill is waiting for: the elicited slot's own patterns, the intents
    asked for, those preferred, and whether a slot is elicited at all."""

    elicited: tuple[_Pattern, ...]
    intents: frozenset[str]
    prefer: frozenset[str]
    eliciting: bool


def _search(
    variants: list[list[Token]],
    compiled: _Compiled,
    dynamic: Mapping[str, _TypeIndex],
    asked: _Asked,
    *,
    tolerant: bool,
) -> _Candidate | None:
    best: _Candidate | None = None
    elicited = () if tolerant else asked.elicited
    for tokens in variants:
        matcher = _Matcher(tokens, compiled, dynamic)
        words = {token.norm for token in tokens}
        patterns = compiled.index.candidates(words, tolerant=tolerant)
        for pattern in (*patterns, *elicited):
            if not tolerant and not pattern.required <= words:
                continue
            if tolerant:
                # The screen, not a near miss of a sample, says what is a disclosure.
                if pattern.intent == SAFETY:
                    continue
                found = matcher.match(
                    pattern.elements, skip_words=TOLERATED_WORDS, skip_literals=TOLERATED_LITERALS
                )
                enough = max(TOLERANT_MIN_LITERALS, len(pattern.required) - TOLERATED_LITERALS)
                if (
                    found is None
                    or found.loose
                    or found.literals < enough
                    or found.literals < TOLERANT_SHARE * (found.literals + found.edits)
                ):
                    continue
            else:
                found = matcher.match(pattern.elements)
            if found is None:
                continue
            preferred = pattern.intent in asked.intents
            if not (found.evidence or preferred):
                continue
            if found.guessed >= found.literals and not (pattern.elicited or preferred):
                # "the pause one please" is no pace: a value a type of a few does not
                # list, taken with fewer of the sample's own words around it.
                continue
            # While a slot is asked for, a word that is one of its values ("okay" asked
            # for a feeling) answers it; the built-ins keep every word that is not.
            built_in_bonus = 0.0 if asked.eliciting else BUILT_IN_BONUS
            score = found.score + (built_in_bonus if pattern.built_in else 0.0)
            if pattern.elicited:
                score += ELICIT_BONUS
            elif pattern.intent in asked.prefer:
                score += PREFER_BONUS
            candidate = _Candidate(score, found.literals, -pattern.order, pattern.intent, found)
            if best is None or candidate.key > best.key:
                best = candidate
    return best


# What may come before an answer without changing it ("me, it was me, I'm Alex"); never
# a word that is a request of its own ("stop", "help").
_SMALL_WORDS_BEFORE_AN_ANSWER = (
    "me it was is i am that the one who oh well so yeah yes okay ok and no"
)
_SMALL_BEFORE_AN_ANSWER = frozenset(_SMALL_WORDS_BEFORE_AN_ANSWER.split())


def _restated(
    variants: list[list[Token]],
    compiled: _Compiled,
    dynamic: Mapping[str, _TypeIndex],
    asked: _Asked,
    eliciting: Elicitation,
) -> _Candidate | None:
    """An answer said twice, or after a few small words: "it was alex, alex did it",
    "me, it was me, I'm Alex". While a slot is asked for, the shortest ending that
    answers it is taken, when what comes before it is only small words or the same
    answer again."""
    intent, slot = eliciting
    for tokens in variants:
        for start in range(len(tokens) - 1, 0, -1):
            ending = _search([tokens[start:]], compiled, dynamic, asked, tolerant=False)
            if ending is None or ending.intent != intent or _said(ending, slot) is None:
                continue
            before = tokens[:start]
            if all(token.norm in _SMALL_BEFORE_AN_ANSWER for token in before):
                return ending
            again = _search([before], compiled, dynamic, asked, tolerant=False)
            if (
                again is not None
                and again.intent == intent
                and _said(again, slot) == _said(ending, slot)
            ):
                return ending
    return None


# Words said inside a request that change nothing in it ("do like eight breaths").
_INNER_FILLER_WORDS = "like just kinda actually really basically maybe pretty super very quite so"
_INNER_FILLERS = frozenset(_INNER_FILLER_WORDS.split())
_INNER_FILLER_PAIRS = frozenset(
    {("kind", "of"), ("sort", "of"), ("i", "mean"), ("you", "know"), ("a", "bit"), ("a", "little")}
)
# "like" after these is a verb or a comparison ("I'd like", "feels like"), not a filler.
_LIKE_KEPT_AFTER_WORDS = "would i we you they feel feels felt sounds looks something anything"
_LIKE_KEPT_AFTER = frozenset(_LIKE_KEPT_AFTER_WORDS.split())
_NOT_POSSESSIVE = frozenset({"let's", "it's", "that's", "what's", "who's", "there's", "here's"})


def _plainer(tokens: list[Token]) -> list[Token]:
    """The words a sample would use for the same request: a possessive name as the
    name ("Sam's" as "Sam"), "Alex and I" or "me and Sam" as "we", and the fillers
    inside a request left out."""
    words = list(tokens)
    out: list[Token] = []
    index = 0
    while index < len(words):
        token = words[index]
        pair = tuple(t.norm for t in words[index : index + 2])
        three = tuple(t.norm for t in words[index : index + 3])
        if pair in _INNER_FILLER_PAIRS and 0 < index < len(words) - 2:
            index += 2
            continue
        if (
            token.norm in _INNER_FILLERS
            and 0 < index < len(words) - 1
            and not (token.norm == "like" and words[index - 1].norm in _LIKE_KEPT_AFTER)
        ):
            index += 1
            continue
        if len(three) == 3 and three[1:] in (("and", "i"), ("and", "me")) and _namelike(token):
            out.append(Token("we", "we"))
            index += 3
            continue
        if len(three) >= 3 and three[:2] == ("me", "and") and _namelike(words[index + 2]):
            out.append(Token("we", "we"))
            index += 3
            continue
        if token.norm.endswith("'s") and token.norm not in _NOT_POSSESSIVE and len(token.norm) > 3:
            out.append(Token(token.norm[:-2], token.surface[:-2], token.capitalised))
            index += 1
            continue
        out.append(token)
        index += 1
    return out


def _namelike(token: Token) -> bool:
    return token.norm.isalpha() and token.norm not in _FUNCTION_WORDS


_CLAUSE_BREAK = re.compile(r"[,;.!?]+")


def _a_clause(
    text: str, compiled: _Compiled, dynamic: Mapping[str, _TypeIndex], asked: _Asked
) -> _Candidate | None:
    """The best request said word for word in one part of a longer answer, split where
    it was said with a pause; never a bare slot."""
    parts = [part for part in _CLAUSE_BREAK.split(text) if part.strip()]
    if len(parts) < 2:
        return None
    best: _Candidate | None = None
    for part in parts:
        variants = _variants(tokenize(part))
        variants += [g for tokens in variants if (g := _plainer(tokens)) != tokens]
        found = _search(variants, compiled, dynamic, asked, tolerant=False)
        if not _a_request_in_part(found):
            continue
        if best is None or found.key > best.key:
            best = found
    return best


# A request found inside a longer sentence needs this many words of a sample, and
# what is left around it must not turn it round ("I don't want to check in").
_PART_MIN_WORDS = 3
_PART_MIN_LITERALS = 2
_TURNING_WORDS = frozenset({"not", "no", "never", "don't", "stop", "cancel", "instead", "without"})
# A request for a reminder wraps a practice: the practice alone is not what was asked.
_WRAPPING_WORDS = frozenset({"remind", "reminder", "reminders", "reminding"})
_NEVER_SKIPPED = _TURNING_WORDS | _WRAPPING_WORDS


def _an_opening_or_ending(
    plainest: list[list[Token]],
    compiled: _Compiled,
    dynamic: Mapping[str, _TypeIndex],
    asked: _Asked,
) -> _Candidate | None:
    """The longest opening or ending of the words (in a sample's plainer words) that
    is a request word for word, when the rest says nothing that turns it round; never
    a bare slot."""
    for tokens in plainest:
        size = len(tokens)
        for length in range(size - 1, _PART_MIN_WORDS - 1, -1):
            for part, rest in (
                (tokens[:length], tokens[length:]),
                (tokens[-length:], tokens[:-length]),
            ):
                if any(token.norm in _NEVER_SKIPPED for token in rest):
                    continue
                found = _search([part], compiled, dynamic, asked, tolerant=False)
                if _a_request_in_part(found):
                    return found
    return None


def _a_request_in_part(found: _Candidate | None) -> TypeGuard[_Candidate]:
    """A request found in part of what was said: at least two of its own words and
    only values its slots know (no open text, which could be anything: "I'm reading is
    about..."), and never the safety intent, which the screen decides on the whole of
    what was said."""
    if found is None or not found.found.evidence or found.intent == SAFETY:
        return False
    if found.found.literals < _PART_MIN_LITERALS:
        return False
    return all(
        value.resolution is None or value.resolved_id is not None for _, value in found.found.slots
    )


# The most words a sample of one open slot is taken to catch on its own.
CAUGHT_WHOLE_MAX_WORDS = 4


def _caught_whole(
    variants: list[list[Token]], compiled: _Compiled, dynamic: Mapping[str, _TypeIndex]
) -> _Candidate | None:
    """What a top-level sample of nothing but one slot makes of a short utterance
    that matched nothing else (the lint allows only the guarded ones); unless it is a
    listed value of a type of a few, said alone, which asks for what its samples do."""
    for tokens in variants:
        if not 0 < len(tokens) <= CAUGHT_WHOLE_MAX_WORDS:
            continue
        matcher = _Matcher(tokens, compiled, dynamic)
        for slot_type, (intent, slot) in compiled.said_alone.items():
            value = matcher.listed(slot_type)
            if value is not None:
                alone = _Found(value.score, 0, True, ((slot, value.value),))
                return _Candidate(alone.score, 0, 0, intent, alone)
        for pattern in compiled.index.always:
            if pattern.intent == SAFETY or pattern.built_in or len(pattern.elements) != 1:
                continue
            found = matcher.match(pattern.elements)
            if found is not None:
                return _Candidate(found.score, 0, -pattern.order, pattern.intent, found)
    return None


YES = "AMAZON.YesIntent"
NO = "AMAZON.NoIntent"
_YES_OR_NO_FIRST_WORDS = 3


def _yes_or_no_first(variants: list[list[Token]], asked: _Asked) -> str | None:
    """An answer that opens with a yes or a no and goes on ("no that was nice,
    thanks", "yeah okay, penguin") is that answer, as Alexa's built-ins hear it;
    unless it holds both ("yeah, no"). Only when nothing else placed the whole of
    it, so "no, let's breathe" is still the breathing."""
    for tokens in variants:
        words = [token.norm for token in tokens]
        while words and words[0] in _EDGE_FILLERS - {"ok", "okay", "alright"}:
            words.pop(0)
        for size in range(min(_YES_OR_NO_FIRST_WORDS, len(words) - 1), 0, -1):
            opening = " ".join(words[:size])
            said = [intent for intent in (YES, NO) if opening in BUILT_IN_PHRASES[intent]]
            if not said:
                continue
            rest = set(words[size:])
            other = NO if said[0] == YES else YES
            if rest & {phrase for phrase in BUILT_IN_PHRASES[other] if " " not in phrase}:
                return None
            return said[0]
    return None


def _said(candidate: _Candidate, slot: str) -> str | None:
    value = dict(candidate.found.slots).get(slot)
    return value.value.lower() if value is not None else None


def _discloses(text: str) -> bool:
    from skill.domain.safety.screen import screen_for

    return screen_for("en").screen(text) is not None


def resolve_value(
    text: str,
    slot_type: str,
    model: InteractionModel,
    dynamic_entities: DynamicEntities | None = None,
) -> SlotValue:
    """`text` as Alexa would fill a slot of `slot_type` with it: custom types get their
    entity resolution (a match on a value or synonym, else ER_SUCCESS_NO_MATCH);
    built-in types are passed through."""
    compiled = _compiled(model)
    dynamic = _dynamic_index(dynamic_entities or {})
    if slot_type not in compiled.types and slot_type not in dynamic:
        return SlotValue(text)
    words = norms(text)
    resolved = Resolved(
        slot_type,
        static=_lookup(compiled.types.get(slot_type), words),
        dynamic=_lookup(dynamic.get(slot_type), words),
        dynamic_in_force=slot_type in dynamic,
    )
    return SlotValue(text, resolved)


def is_launch(text: str, invocation_name: str = "steady together") -> tuple[bool, str | None]:
    """Whether `text` opens the skill ("open steady together", "alexa, start steady
    together") and what follows for a one-shot ("ask steady together for a silent
    sync" -> (True, "a silent sync"); "tell steady together pineapple" ->
    (True, "pineapple")). Not a launch -> (False, None)."""
    words = re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text)
    lowered = [word.lower() for word in words]
    while lowered and lowered[0] in _EDGE_FILLERS | _HESITATIONS:
        lowered, words = lowered[1:], words[1:]
    invocation = invocation_name.lower().split()
    for verb in _LAUNCH_VERBS:
        size = len(verb)
        if tuple(lowered[:size]) != verb:
            continue
        if lowered[size : size + len(invocation)] != invocation:
            continue
        rest_words = words[size + len(invocation) :]
        rest = [word.lower() for word in rest_words]
        while rest and rest[0] in _CONNECTORS:
            rest, rest_words = rest[1:], rest_words[1:]
        while rest and rest[-1] in _EDGE_FILLERS:
            rest, rest_words = rest[:-1], rest_words[:-1]
        return True, (" ".join(rest_words) or None)
    return False, None


_LAUNCH_VERBS: tuple[tuple[str, ...], ...] = (
    ("open",),
    ("start",),
    ("launch",),
    ("begin",),
    ("load",),
    ("run",),
    ("play",),
    ("use",),
    ("talk", "to"),
    ("ask",),
    ("tell",),
)
_CONNECTORS = frozenset({"to", "for", "about", "that", "if", "whether", "and", "by"})


# ---------------------------------------------------------------------------------------
# Compilation of the model into patterns (once per model object).


@dataclass(frozen=True)
class _Literal:
    word: str


@dataclass(frozen=True)
class _SlotRef:
    name: str
    type: str


_Element = _Literal | _SlotRef


@dataclass(frozen=True)
class _Pattern:
    intent: str
    elements: tuple[_Element, ...]
    required: frozenset[str]
    built_in: bool
    order: int
    elicited: bool = False


@dataclass(frozen=True)
class _TypeIndex:
    phrases: Mapping[tuple[str, ...], tuple[str | None, str]]  # words -> (id, canonical)
    longest: int


class _PatternIndex:
    """Patterns by the words they require, so a text is tried only against the
    patterns it can match (all their words present) or, tolerant, nearly match
    (all but one of at least two)."""

    def __init__(self, patterns: Sequence[_Pattern]) -> None:
        self.patterns = tuple(patterns)
        self.always = tuple(p for p in patterns if not p.required)
        postings: dict[str, list[int]] = {}
        for number, pattern in enumerate(patterns):
            for word in pattern.required:
                postings.setdefault(word, []).append(number)
        self.postings = postings

    def candidates(self, words: Iterable[str], *, tolerant: bool) -> tuple[_Pattern, ...]:
        hits: dict[int, int] = {}
        for word in set(words):
            for number in self.postings.get(word, ()):
                hits[number] = hits.get(number, 0) + 1
        chosen: list[int] = []
        for number, count in hits.items():
            required = len(self.patterns[number].required)
            if count == required or (tolerant and required >= 2 and count >= required - 1):
                chosen.append(number)
        found = tuple(self.patterns[number] for number in sorted(chosen))
        return found if tolerant else self.always + found


@dataclass(frozen=True)
class _Compiled:
    patterns: tuple[_Pattern, ...]
    declared: Mapping[str, tuple[str, ...]]
    types: Mapping[str, _TypeIndex]
    # (intent, slot) -> patterns from the slot's own samples, heard while it is asked for.
    slot_patterns: Mapping[tuple[str, str], tuple[_Pattern, ...]] = field(default_factory=dict)
    free_text: frozenset[str] = frozenset()

    @cached_property
    def index(self) -> _PatternIndex:
        return _PatternIndex(self.patterns)

    @cached_property
    def said_alone(self) -> Mapping[str, tuple[str, str]]:
        """Slot type -> (intent, slot) that a listed value of a type of a few values,
        said on its own, asks for: the intent with the most samples of that slot and at
        most one word more ("{pace} please", "go {pace}": "slower" alone is a pace)."""
        counts: dict[str, dict[tuple[str, str], int]] = {}
        for pattern in self.patterns:
            slots = [e for e in pattern.elements if isinstance(e, _SlotRef)]
            if pattern.built_in or pattern.intent == SAFETY or len(slots) != 1:
                continue
            slot = slots[0]
            if slot.type not in self.types or slot.type in self.free_text:
                continue
            words_beside = len(pattern.elements) - 1
            if words_beside > 1:
                continue
            by_intent = counts.setdefault(slot.type, {})
            key = (pattern.intent, slot.name)
            by_intent[key] = by_intent.get(key, 0) + 1
        return {
            slot_type: max(by_intent, key=lambda key: (by_intent[key], key))
            for slot_type, by_intent in counts.items()
        }


_SLOT_IN_SAMPLE = re.compile(r"\{(\w+)\}")
_COMPILED: dict[int, tuple[InteractionModel, _Compiled]] = {}


def _compiled(model: InteractionModel) -> _Compiled:
    cached = _COMPILED.get(id(model))
    if cached is not None and cached[0] is model:
        return cached[1]
    compiled = _compile(model)
    _COMPILED[id(model)] = (model, compiled)
    return compiled


def _compile(model: InteractionModel) -> _Compiled:
    patterns: list[_Pattern] = []
    for intent in model.intents:
        slot_types = {slot.name: slot.type for slot in intent.slots}
        for sample in intent.samples:
            patterns.append(_pattern(intent.name, sample, slot_types, False, len(patterns)))
    for intent_name, phrases in BUILT_IN_PHRASES.items():
        for phrase in phrases:
            patterns.append(_pattern(intent_name, phrase, {}, True, len(patterns)))
    types = {
        slot_type.name: _type_index(
            (value.id, value.value, value.synonyms) for value in slot_type.values
        )
        for slot_type in model.types
    }
    declared = {intent.name: intent.slot_names for intent in model.intents}
    slot_patterns: dict[tuple[str, str], tuple[_Pattern, ...]] = {}
    for intent in model.intents:
        slot_types = {slot.name: slot.type for slot in intent.slots}
        for slot in intent.slots:
            slot_patterns[(intent.name, slot.name)] = tuple(
                replace(
                    _pattern(intent.name, sample, slot_types, False, len(patterns) + index),
                    elicited=True,
                )
                for index, sample in enumerate(slot.samples)
            )
    free_text = frozenset(
        slot_type.name
        for slot_type in model.types
        if any(len(value.value.split()) >= FREE_TEXT_VALUE_WORDS for value in slot_type.values)
    )
    return _Compiled(tuple(patterns), declared, types, slot_patterns, free_text)


def _pattern(
    intent: str, sample: str, slot_types: Mapping[str, str], built_in: bool, order: int
) -> _Pattern:
    elements: list[_Element] = []
    for index, part in enumerate(_SLOT_IN_SAMPLE.split(sample)):
        if index % 2:
            elements.append(_SlotRef(part, slot_types.get(part, SEARCH_QUERY)))
        else:
            elements.extend(_Literal(word) for word in norms(part))
    required = frozenset(
        e.word for e in elements if isinstance(e, _Literal) and e.word not in _SOFT_WORDS
    )
    return _Pattern(intent, tuple(elements), required, built_in, order)


def _type_index(values: Iterable[tuple[str | None, str, Sequence[str]]]) -> _TypeIndex:
    phrases: dict[tuple[str, ...], tuple[str | None, str]] = {}
    for value_id, name, synonyms in values:
        for phrase in (name, *synonyms):
            words = norms(phrase)
            if words:
                phrases.setdefault(words, (value_id, name))
    longest = max((len(words) for words in phrases), default=0)
    return _TypeIndex(phrases, longest)


def _dynamic_index(entities: DynamicEntities) -> dict[str, _TypeIndex]:
    return {
        slot_type: _type_index((value_id, name, tuple(syns)) for value_id, name, syns in values)
        for slot_type, values in entities.items()
    }


# ---------------------------------------------------------------------------------------
# Matching.


def _variants(tokens: list[Token]) -> list[list[Token]]:
    """The text without hesitations, and also without edge fillers when that differs."""
    # "mm hmm", "uh huh": a yes, not hesitations.
    if tuple(token.norm for token in tokens) in _SOUNDS_OF_YES:
        return [tokens]
    plain = [token for token in tokens if token.norm not in _HESITATIONS]
    trimmed = list(plain)
    while trimmed and trimmed[0].norm in _EDGE_FILLERS:
        trimmed.pop(0)
    while trimmed and trimmed[-1].norm in _EDGE_FILLERS:
        trimmed.pop()
    variants = [plain] if plain else []
    if trimmed and trimmed != plain:
        variants.append(trimmed)
    # "let's ...", "can we ...", "I'd like to ...": how people open a request.
    # "I guess we should do the check in", "honestly, can we breathe": a hedge before a
    # request is no part of it.
    for hedge in _HEDGES_BEFORE_A_REQUEST:
        size = len(hedge)
        if len(trimmed) > size + 1 and tuple(t.norm for t in trimmed[:size]) == hedge:
            trimmed = trimmed[size:]
            variants.append(trimmed)
            break
    for opener in _REQUEST_OPENERS:
        size = len(opener)
        if len(trimmed) > size and tuple(t.norm for t in trimmed[:size]) == opener:
            variants.append(trimmed[size:])
            break
    return variants


_HEDGES_BEFORE_A_REQUEST: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "i guess maybe",
        "i think maybe",
        "i guess",
        "i think",
        "i suppose",
        "maybe",
        "honestly",
        "to be honest",
        "okay so",
        "so yeah",
        "you know what",
    )
)


_REQUEST_OPENERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "we would like to",
        "i would like to",
        "we'd like to",
        "i'd like to",
        "we want to",
        "i want to",
        "can you",
        "could you",
        "can we",
        "could we",
        "we should",
        "let us",
        "let's",
        "lets",
        "help us",
    )
)


@dataclass(frozen=True)
class _Found:
    score: float
    literals: int
    evidence: bool
    slots: tuple[tuple[str, SlotValue], ...]
    # A slot took words it could not place (an unlisted value, a phrase, a lower-case name).
    loose: bool = False
    # Words a slot of a few listed values took that are none of them ("the pause one"
    # as a pace): a guess Alexa would make only beside words of the sample's own.
    guessed: int = 0
    # Words of the text left out and words of the sample unsaid (tolerant only).
    edits: int = 0

    @property
    def key(self) -> tuple[float, int]:
        return self.score, self.literals


class _Candidate(NamedTuple):
    score: float
    literals: int
    order: int
    intent: str
    found: _Found

    @property
    def key(self) -> tuple[float, int, int]:
        return self.score, self.literals, self.order


@dataclass(frozen=True)
class _SlotMatch:
    value: SlotValue
    score: float
    evidence: bool
    # A value the slot's type can hold as such: a listed value, a number, a time, a
    # first name (typed in lower case too); not an unlisted value or a phrase.
    placed: bool = True
    # An unlisted value in a type of a few listed values (not open text): how many words.
    guessed: int = 0


_EMPTY = _Found(0.0, 0, False, ())


def _better(current: _Found | None, other: _Found | None) -> _Found | None:
    if other is None:
        return current
    if current is None or other.key > current.key:
        return other
    return current


def _extend(
    rest: _Found | None,
    score: float,
    literals: int,
    evidence: bool,
    slot: tuple[str, SlotValue] | None,
    *,
    edit: bool = False,
    placed: bool = True,
    guessed: int = 0,
) -> _Found | None:
    if rest is None:
        return None
    return _Found(
        rest.score + score,
        rest.literals + literals,
        rest.evidence or evidence,
        rest.slots if slot is None else (slot, *rest.slots),
        rest.loose or (slot is not None and not placed),
        rest.guessed + guessed,
        rest.edits + edit,
    )


class _Matcher:
    """Matches patterns against one token list; slot spans are resolved once per list."""

    def __init__(
        self, tokens: list[Token], compiled: _Compiled, dynamic: Mapping[str, _TypeIndex]
    ) -> None:
        self.tokens = tokens
        self.words = [token.norm for token in tokens]
        self.compiled = compiled
        self.dynamic = dynamic
        self.spans: dict[tuple[str, int, int], _SlotMatch | None] = {}

    def match(
        self, elements: tuple[_Element, ...], *, skip_words: int = 0, skip_literals: int = 0
    ) -> _Found | None:
        """The best way the text says `elements`; tolerant, up to `skip_words` words of
        the text left out and `skip_literals` words of the sample unsaid, each at a cost."""
        memo: dict[tuple[int, int, int, int], _Found | None] = {}
        size = len(self.words)

        def solve(
            i: int, j: int, words_left: int = skip_words, literals_left: int = skip_literals
        ) -> _Found | None:
            key = (i, j, words_left, literals_left)
            if key in memo:
                return memo[key]
            best: _Found | None = None
            if i == len(elements) and j == size:
                best = _EMPTY
            elif i < len(elements):
                element = elements[i]
                if isinstance(element, _Literal):
                    if j < size and self.words[j] == element.word:
                        best = _extend(
                            solve(i + 1, j + 1, words_left, literals_left),
                            LITERAL_SCORE,
                            1,
                            True,
                            None,
                        )
                    if element.word in _SOFT_WORDS:
                        skipped = _extend(
                            solve(i + 1, j, words_left, literals_left),
                            SOFT_SKIP_SCORE,
                            0,
                            False,
                            None,
                        )
                        best = _better(best, skipped)
                    elif literals_left and element.word in _FUNCTION_WORDS:
                        # Only a small word of the sample may go unsaid ("do a sync"
                        # for "do sync"), never the one that says what is asked.
                        unsaid = _extend(
                            solve(i + 1, j, words_left, literals_left - 1),
                            EDIT_SCORE,
                            0,
                            False,
                            None,
                            edit=True,
                        )
                        best = _better(best, unsaid)
                else:
                    for end in range(j + 1, min(size, j + self._max_span(element.type, j)) + 1):
                        slot = self._slot(element.type, j, end)
                        if slot is None:
                            continue
                        found = _extend(
                            solve(i + 1, end, words_left, literals_left),
                            slot.score,
                            0,
                            slot.evidence,
                            (element.name, slot.value),
                            placed=slot.placed,
                            guessed=slot.guessed,
                        )
                        best = _better(best, found)
            if j < size and self.words[j] in _SOFT_WORDS:
                skipped = _extend(
                    solve(i, j + 1, words_left, literals_left), SOFT_SKIP_SCORE, 0, False, None
                )
                best = _better(best, skipped)
            elif j < size and words_left and self.words[j] not in _NEVER_SKIPPED:
                # A word more, never one that turns the request round ("let's not") or
                # wraps it ("a reminder to leave Sam a thank-you").
                extra = _extend(
                    solve(i, j + 1, words_left - 1, literals_left),
                    EDIT_SCORE,
                    0,
                    False,
                    None,
                    edit=True,
                )
                best = _better(best, extra)
            memo[key] = best
            return best

        return solve(0, 0)

    def listed(self, slot_type: str) -> _SlotMatch | None:
        """The whole text as a listed value (or synonym) of `slot_type`, if it is one."""
        found = self._slot(slot_type, 0, len(self.words))
        return found if found is not None and found.value.resolved_id is not None else None

    def _max_span(self, slot_type: str, start: int) -> int:
        remaining = len(self.words) - start
        if slot_type == SEARCH_QUERY:
            return remaining
        if slot_type == FIRST_NAME:
            return FIRST_NAME_MAX_WORDS
        if slot_type in (NUMBER, TIME):
            return 6
        if slot_type in self.compiled.free_text:
            return min(remaining, FREE_TEXT_MAX_WORDS)
        longest = NO_MATCH_MAX_WORDS
        for index in (self.compiled.types.get(slot_type), self.dynamic.get(slot_type)):
            if index is not None:
                longest = max(longest, index.longest)
        return longest

    def _slot(self, slot_type: str, start: int, end: int) -> _SlotMatch | None:
        key = (slot_type, start, end)
        if key not in self.spans:
            self.spans[key] = self._resolve(slot_type, self.tokens[start:end])
        return self.spans[key]

    def _resolve(self, slot_type: str, tokens: list[Token]) -> _SlotMatch | None:
        words = tuple(token.norm for token in tokens)
        said = spoken_text(tokens)
        if slot_type == SEARCH_QUERY:
            return _SlotMatch(SlotValue(said), QUERY_SCORE * len(words), False, placed=False)
        if slot_type == FIRST_NAME:
            return _first_name(tokens)
        if slot_type == NUMBER:
            number = parse_number(words)
            if number is None:
                return None
            return _SlotMatch(SlotValue(str(number)), TYPED_SCORE * len(words), True)
        if slot_type == TIME:
            time = parse_time(words)
            if time is None:
                return None
            return _SlotMatch(SlotValue(time), TYPED_SCORE * len(words), True)
        return self._custom(slot_type, words, said)

    def _custom(self, slot_type: str, words: tuple[str, ...], said: str) -> _SlotMatch | None:
        dynamic_index = self.dynamic.get(slot_type)
        static_index = self.compiled.types.get(slot_type)
        resolved = Resolved(
            slot_type,
            static=_lookup(static_index, words),
            dynamic=_lookup(dynamic_index, words),
            dynamic_in_force=dynamic_index is not None,
        )
        if resolved.matched:
            return _SlotMatch(SlotValue(said, resolved), EXACT_SCORE * len(words), True)
        free_text = slot_type in self.compiled.free_text
        limit = FREE_TEXT_MAX_WORDS if free_text else NO_MATCH_MAX_WORDS
        if len(words) > limit or not said or _FUNCTION_WORDS.issuperset(words):
            return None
        return _SlotMatch(
            SlotValue(said, resolved),
            NO_MATCH_SCORE * len(words),
            False,
            placed=False,
            guessed=0 if free_text or dynamic_index is not None else len(words),
        )


def _lookup(index: _TypeIndex | None, words: tuple[str, ...]) -> ResolvedValue | None:
    if index is None or words not in index.phrases:
        return None
    value_id, name = index.phrases[words]
    return ResolvedValue(value_id, name)


def _first_name(tokens: list[Token]) -> _SlotMatch | None:
    if not all(token.surface and token.norm.isalpha() for token in tokens):
        return None
    if any(token.norm in _NOT_NAMES or token.norm in _HESITATIONS for token in tokens):
        return None
    name = " ".join(token.norm.capitalize() for token in tokens)
    capitalised = all(token.capitalised for token in tokens)
    return _SlotMatch(SlotValue(name), NAME_SCORE * len(tokens), capitalised)
