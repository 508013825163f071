"""Choosing the couple's repair word (or gesture, or song line, kept as text).

One partner proposes it; the other (or, when the speaker is not known, each in
turn) agrees by name before it is saved. A proposal left half-agreed is kept in
the profile and offered again next time. The saved word is sent to Alexa's
recognition as a dynamic entity so an unusual word is heard."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from skill.domain.couple import PartnerIndex, Profile, RepairProposal
from skill.domain.events import EventKind
from skill.intents import Intent
from skill.practices.base import Elicits, Practice
from skill.practices.outcomes import Ask, AskAgain, Finish, HandOver, Outcome
from skill.practices.repair_word_heard import (
    clean_word,
    dynamic_entities_directive,
    word_key,
)
from skill.session import Flow, PracticeState
from skill.speech.render import Line, say
from skill.turn import Turn


class RepairWordStep(StrEnum):
    PROPOSE = "propose"
    AGREE = "agree"
    TRY = "try"


@dataclass(frozen=True, kw_only=True)
class RepairWordState(PracticeState):
    flow = Flow.REPAIR_WORD

    step: RepairWordStep = RepairWordStep.PROPOSE
    # The word proposed (or saved, at TRY), who has agreed, and who is asked now.
    word: str = ""
    agreed: tuple[PartnerIndex, ...] = ()
    asking: PartnerIndex = PartnerIndex.FIRST
    # The last proposal was turned down: ask for another one.
    declined: bool = False


class RepairWord(Practice[RepairWordState]):
    flow = Flow.REPAIR_WORD
    state_type = RepairWordState
    starts = frozenset({Intent.SET_REPAIR_WORD, Intent.REPAIR_PHRASE})
    # A bare word may come as SayRepairWord or Feeling: taken as a proposal too.
    answers = frozenset(
        {
            Intent.REPAIR_PHRASE,
            Intent.SAY_REPAIR_WORD,
            Intent.FEELING,
            Intent.YES,
            Intent.NO,
            Intent.BOTH,
        }
    )
    speech = "repair_word"

    def start(self, turn: Turn) -> Outcome:
        heard = turn.slot("phrase").value if turn.intent is Intent.REPAIR_PHRASE else None
        if heard:
            return self._propose(turn, RepairWordState(), heard)
        profile = turn.profile
        pending = profile.repair_proposal
        if pending is not None:
            agreed = _agreed(pending.agreed)
            state = RepairWordState(
                step=RepairWordStep.AGREE, word=pending.word, agreed=agreed, asking=_next(agreed)
            )
            return Ask(state, say("repair_word.pending", word=pending.word))
        if profile.repair_word:
            return Ask(RepairWordState(), say("repair_word.intro_change", word=profile.repair_word))
        return Ask(RepairWordState(), say("repair_word.intro"))

    def elicit(self, state: RepairWordState) -> Elicits | None:
        # The word itself, heard in a slot of the couple's own words ("marshmallow",
        # "how about here comes the sun"), where the safety screen sees it too.
        return (Intent.REPAIR_PHRASE, "phrase") if state.step is RepairWordStep.PROPOSE else None

    def question(self, turn: Turn, state: RepairWordState) -> tuple[Line, Line]:
        if state.step is RepairWordStep.AGREE:
            name = turn.profile.name_of(state.asking)
            return (
                say("repair_word.ask_agree", name=name, word=state.word),
                say("repair_word.ask_agree_reprompt", name=name, word=state.word),
            )
        if state.step is RepairWordStep.TRY:
            return say("repair_word.offer_try", word=state.word), say(
                "repair_word.offer_try_reprompt", word=state.word
            )
        if state.declined:
            return say("repair_word.ask_other"), say("repair_word.ask_reprompt")
        return say("repair_word.ask"), say("repair_word.ask_reprompt")

    def answer(self, turn: Turn, state: RepairWordState) -> Outcome:
        intent = turn.intent
        if state.step is RepairWordStep.TRY:
            return self._try(turn, state)
        proposal = _proposal_heard(turn)
        if state.step is RepairWordStep.AGREE:
            if intent is Intent.YES:
                return self._agreed(turn, state)
            if intent is Intent.BOTH:
                # "We both agree": the two of them, in one answer.
                return self._save(turn, state.word)
            if intent is Intent.NO:
                return self._declined(turn, state)
            if proposal and word_key(clean_word(proposal)) == word_key(state.word):
                # "Okay, penguin": the word said back is a yes to it.
                return self._agreed(turn, state)
            if intent is Intent.REPAIR_PHRASE and proposal:
                # A counter-proposal instead of an answer.
                return self._propose(turn, state, proposal)
            return self.unexpected(turn, state)
        if proposal:
            return self._propose(turn, state, proposal)
        if intent is Intent.YES:
            return AskAgain(state, say("repair_word.go_ahead"))
        if intent is Intent.NO:
            return self._leave(turn)
        return self.unexpected(turn, state)

    # -- steps ------------------------------------------------------------------------

    def _propose(self, turn: Turn, state: RepairWordState, heard: str) -> Outcome:
        word = clean_word(heard)
        if not word_key(word):
            return self.unexpected(turn, state)
        current = turn.profile.repair_word
        if current and word_key(current) == word_key(word):
            self._drop_proposal(turn)
            return Finish(say("repair_word.already", word=current))
        proposer = turn.state.speaker
        agreed = (proposer,) if proposer is not None else ()
        proposed = replace(
            state,
            step=RepairWordStep.AGREE,
            word=word,
            agreed=agreed,
            asking=_next(agreed),
            declined=False,
        )
        return Ask(proposed, say("repair_word.proposed"))

    def _agreed(self, turn: Turn, state: RepairWordState) -> Outcome:
        agreed = _agreed((*state.agreed, state.asking))
        if len(agreed) < len(PartnerIndex):
            following = replace(state, agreed=agreed, asking=_next(agreed))
            return Ask(following, say("repair_word.one_agreed"))
        return self._save(turn, state.word)

    def _declined(self, turn: Turn, state: RepairWordState) -> Outcome:
        self._drop_proposal(turn)
        name = turn.profile.name_of(state.asking)
        again = RepairWordState(step=RepairWordStep.PROPOSE, declined=True)
        return Ask(again, say("repair_word.declined", name=name))

    def _save(self, turn: Turn, word: str) -> Outcome:
        previous = turn.profile.repair_word

        def keep_word(profile: Profile) -> None:
            profile.repair_word = word
            profile.repair_proposal = None

        turn.change(keep_word)
        turn.record(EventKind.REPAIR_WORD, word=word, changed=1 if previous else 0)
        # A new session's response gets the word anyway (see skill.handlers.respond).
        teach = [] if turn.is_new_session else [dynamic_entities_directive(word)]
        state = RepairWordState(step=RepairWordStep.TRY, word=word)
        return Ask(state, say("repair_word.saved", word=word), directives=teach)

    def _try(self, turn: Turn, state: RepairWordState) -> Outcome:
        if turn.intent is Intent.SAY_REPAIR_WORD:
            return HandOver(Flow.REPAIR)
        if turn.intent is Intent.YES:
            return AskAgain(state, say("repair_word.go_ahead_try"))
        if turn.intent is Intent.NO:
            return Finish(say("repair_word.close", word=state.word))
        return self.unexpected(turn, state)

    def _leave(self, turn: Turn) -> Outcome:
        word = turn.profile.repair_word
        if word:
            return Finish(say("repair_word.unchanged", word=word))
        return Finish(say("repair_word.none_yet"))

    def _drop_proposal(self, turn: Turn) -> None:
        if turn.profile.repair_proposal is None:
            return

        def drop(profile: Profile) -> None:
            profile.repair_proposal = None

        turn.change(drop)

    # -- leaving mid-way ----------------------------------------------------------------

    def stopped(self, turn: Turn, state: RepairWordState) -> list[Line]:
        if state.step is RepairWordStep.AGREE:
            word = state.word
            partners = [int(p) for p in state.agreed]

            def keep_proposal(profile: Profile) -> None:
                profile.repair_proposal = RepairProposal(word, list(partners))

            turn.change(keep_proposal)
            return [say("repair_word.kept_proposal", word=word)]
        if state.step is RepairWordStep.TRY:
            return [say("repair_word.kept_word", word=state.word)]
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


def _agreed(partners: object) -> tuple[PartnerIndex, ...]:
    """Who has agreed, each once, in partner order."""
    given = set(partners) if isinstance(partners, list | tuple) else set()
    return tuple(p for p in PartnerIndex if p in given)


def _next(agreed: tuple[PartnerIndex, ...]) -> PartnerIndex:
    """The first partner who has not agreed yet."""
    return PartnerIndex.SECOND if PartnerIndex.FIRST in agreed else PartnerIndex.FIRST
