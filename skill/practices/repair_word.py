"""Choosing the couple's repair word (or gesture, or song line, kept as text).

One partner proposes it; the other (or, when the speaker is not known, each in
turn) agrees by name before it is saved. A proposal left half-agreed is kept in
the profile and offered again next time. The saved word is sent to Alexa's
recognition as a dynamic entity so an unusual word is heard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from skill.domain.couple import Profile, RepairProposal, cap_text
from skill.domain.events import EventKind
from skill.intents import Intent, SlotType
from skill.practices.base import Practice
from skill.session import Flow, Step
from skill.speech.render import Line, Reply, say
from skill.store.base import StoreError
from skill.turn import SlotReading, Turn

if TYPE_CHECKING:
    from ask_sdk_model.dialog import DynamicEntitiesDirective

MAX_REPAIR_WORD = 60
REPAIR_WORD_ENTITY_ID = "couple_repair_word"
BOTH = 0b11


def clean_word(heard: str) -> str:
    """User text made fit to keep as a repair word: one line, printable, capped."""
    printable = "".join(ch for ch in " ".join(heard.split()) if ch.isprintable())
    return cap_text(printable, MAX_REPAIR_WORD)


def word_key(text: str) -> str:
    """What two spellings of the same word share: letters and digits, case-folded."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def is_repair_word(reading: SlotReading, saved: str | None) -> bool:
    """True when what was heard is the couple's saved word."""
    if not saved:
        return False
    if reading.resolved_id == REPAIR_WORD_ENTITY_ID:
        return True
    wanted = word_key(saved)
    heard = {word_key(text) for text in (reading.raw, reading.resolved_name) if text}
    return bool(wanted) and wanted in heard


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


class RepairWord(Practice):
    flow = Flow.REPAIR_WORD
    starts = frozenset({Intent.SET_REPAIR_WORD, Intent.REPAIR_PHRASE})
    # A bare word may come as SayRepairWord or Feeling: taken as a proposal too.
    answers = frozenset(
        {Intent.REPAIR_PHRASE, Intent.SAY_REPAIR_WORD, Intent.FEELING, Intent.YES, Intent.NO}
    )
    speech = "repair_word"

    def start(self, turn: Turn) -> Reply:
        heard = turn.slot("phrase").value if turn.intent is Intent.REPAIR_PHRASE else None
        if heard:
            step = turn.state.start(Flow.REPAIR_WORD, "propose")
            return self._propose(turn, step, heard)
        profile = turn.profile
        pending = profile.repair_proposal
        if pending is not None:
            agreed = sum(1 << p for p in set(pending.agreed) if p in (0, 1))
            step = turn.state.start(
                Flow.REPAIR_WORD, "agree", word=pending.word, agreed=agreed, asking=_next(agreed)
            )
            return self.ask_again(turn, step, say("repair_word.pending", word=pending.word))
        step = turn.state.start(Flow.REPAIR_WORD, "propose")
        if profile.repair_word:
            return self.ask_again(
                turn, step, say("repair_word.intro_change", word=profile.repair_word)
            )
        return self.ask_again(turn, step, say("repair_word.intro"))

    def question(self, turn: Turn, step: Step) -> tuple[Line, Line]:
        if step.step == "agree":
            name = turn.profile.name_of(int(step.values["asking"]))
            word = str(step.values["word"])
            return (
                say("repair_word.ask_agree", name=name, word=word),
                say("repair_word.ask_agree_reprompt", name=name, word=word),
            )
        if step.step == "try":
            word = str(step.values["word"])
            return say("repair_word.offer_try", word=word), say(
                "repair_word.offer_try_reprompt", word=word
            )
        if step.values.get("declined") == 1:
            return say("repair_word.ask_other"), say("repair_word.ask_reprompt")
        return say("repair_word.ask"), say("repair_word.ask_reprompt")

    def answer(self, turn: Turn, step: Step) -> Reply:
        intent = turn.intent
        if step.step == "try":
            return self._try(turn, step)
        proposal = _proposal_heard(turn)
        if step.step == "agree":
            if intent is Intent.YES:
                return self._agreed(turn, step)
            if intent is Intent.NO:
                return self._declined(turn, step)
            if intent is Intent.REPAIR_PHRASE and proposal:
                # A counter-proposal instead of an answer.
                return self._propose(turn, step, proposal)
            return self.unexpected(turn, step)
        if proposal:
            return self._propose(turn, step, proposal)
        if intent is Intent.YES:
            return self.ask_again(turn, step, say("repair_word.go_ahead"))
        if intent is Intent.NO:
            return self._leave(turn)
        return self.unexpected(turn, step)

    # -- steps ------------------------------------------------------------------------

    def _propose(self, turn: Turn, step: Step, heard: str) -> Reply:
        word = clean_word(heard)
        if not word_key(word):
            return self.unexpected(turn, step)
        current = turn.profile.repair_word
        if current and word_key(current) == word_key(word):
            self._drop_proposal(turn)
            from skill.practices.registry import finish

            return finish(turn, say("repair_word.already", word=current))
        proposer = turn.state.speaker
        agreed = 1 << proposer if proposer is not None else 0
        step = turn.state.goto("agree", word=word, agreed=agreed, asking=_next(agreed))
        step.values.pop("declined", None)
        return self.ask_again(turn, step, say("repair_word.proposed"))

    def _agreed(self, turn: Turn, step: Step) -> Reply:
        agreed = int(step.values["agreed"]) | 1 << int(step.values["asking"])
        if agreed != BOTH:
            step = turn.state.goto("agree", agreed=agreed, asking=_next(agreed))
            return self.ask_again(turn, step, say("repair_word.one_agreed"))
        return self._save(turn, str(step.values["word"]))

    def _declined(self, turn: Turn, step: Step) -> Reply:
        self._drop_proposal(turn)
        name = turn.profile.name_of(int(step.values["asking"]))
        step = turn.state.goto("propose", declined=1)
        for key in ("word", "agreed", "asking"):
            step.values.pop(key, None)
        return self.ask_again(turn, step, say("repair_word.declined", name=name))

    def _save(self, turn: Turn, word: str) -> Reply:
        previous = turn.profile.repair_word

        def keep_word(profile: Profile) -> None:
            profile.repair_word = word
            profile.repair_proposal = None

        turn.change(keep_word)
        turn.record(EventKind.REPAIR_WORD, word=word, changed=1 if previous else 0)
        step = turn.state.goto("try", word=word)
        reply = self.ask_again(turn, step, say("repair_word.saved", word=word))
        if not turn.is_new_session:
            # A new session's response gets it anyway (see skill.handlers.respond).
            reply.directives.append(dynamic_entities_directive(word))
        return reply

    def _try(self, turn: Turn, step: Step) -> Reply:
        from skill.practices.registry import begin, finish

        if turn.intent is Intent.SAY_REPAIR_WORD:
            turn.state.current = None
            return begin(turn, Flow.REPAIR)
        if turn.intent is Intent.YES:
            return self.ask_again(turn, step, say("repair_word.go_ahead_try"))
        if turn.intent is Intent.NO:
            return finish(turn, say("repair_word.close", word=str(step.values["word"])))
        return self.unexpected(turn, step)

    def _leave(self, turn: Turn) -> Reply:
        from skill.practices.registry import finish

        word = turn.profile.repair_word
        if word:
            return finish(turn, say("repair_word.unchanged", word=word))
        return finish(turn, say("repair_word.none_yet"))

    def _drop_proposal(self, turn: Turn) -> None:
        if turn.profile.repair_proposal is None:
            return

        def drop(profile: Profile) -> None:
            profile.repair_proposal = None

        turn.change(drop)

    # -- leaving mid-way ----------------------------------------------------------------

    def stopped(self, turn: Turn, step: Step) -> list[Line]:
        if step.step == "agree":
            word = str(step.values["word"])
            agreed = int(step.values["agreed"])
            partners = [p for p in (0, 1) if agreed & 1 << p]

            def keep_proposal(profile: Profile) -> None:
                profile.repair_proposal = RepairProposal(word, list(partners))

            turn.change(keep_proposal)
            return [say("repair_word.kept_proposal", word=word)]
        if step.step == "try":
            return [say("repair_word.kept_word", word=str(step.values["word"]))]
        return []


def _proposal_heard(turn: Turn) -> str | None:
    """The word proposed this turn, however the model heard it."""
    slot = (
        {
            Intent.REPAIR_PHRASE: "phrase",
            Intent.SAY_REPAIR_WORD: "repair_word",
            Intent.FEELING: "feeling",
        }.get(turn.intent)
        if turn.intent is not None
        else None
    )
    return turn.slot(slot).value if slot else None


def _next(agreed: int) -> int:
    """The first partner who has not agreed yet."""
    return 0 if not agreed & 1 else 1
