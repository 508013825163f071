"""Who acted, who noticed: one pure rule for every kind moment and every harder one
(trust deposits and withdrawals, the weekly review), and for whose answer an answer
is (the check-in).

Couples name the one who acted: "a deposit for Sam", "Sam did something kind", "I felt
dismissed by Sam" and "Sam let me down" are all about what Sam did. So:

- the partner named as the subject or the beneficiary of the credit is the one who
  acted;
- the one who noticed is the recognised voice, or else the other partner (with two
  partners, one of them noticed what the other did);
- when that does not settle it (nobody named and no voice, or a voice crediting
  itself), the one question that settles it is asked: "Who did the kind thing?".

No ASK imports: facts in, a decision out (tests/domain/test_credit.py tables it)."""

from __future__ import annotations

from dataclasses import dataclass

from skill.domain.couple import PartnerIndex


@dataclass(frozen=True)
class Credit:
    """A moment between the two: `acted` did it, `noticed` felt it and said so."""

    acted: PartnerIndex
    noticed: PartnerIndex

    def __post_init__(self) -> None:
        if self.acted is self.noticed:
            raise ValueError("one partner notices what the other did")

    @classmethod
    def by(cls, acted: PartnerIndex) -> Credit:
        return cls(acted=acted, noticed=acted.other)

    @classmethod
    def seen_by(cls, noticed: PartnerIndex) -> Credit:
        return cls(acted=noticed.other, noticed=noticed)


def credit(named: PartnerIndex | None, voice: PartnerIndex | None) -> Credit | None:
    """Who acted and who noticed, from the partner named in what was said (`named`,
    the one who acted) and the recognised voice (`voice`); None when only a question
    can tell ("make a deposit" from an unknown voice, or "a deposit for Alex" in
    Alex's own voice)."""
    if named is not None:
        if voice is named:
            # A partner crediting themselves, or the other one on a misheard voice.
            return None
        return Credit.by(named)
    if voice is not None:
        return Credit.seen_by(voice)
    return None


def answerer(asked: PartnerIndex, voice: PartnerIndex | None) -> PartnerIndex:
    """Whose answer this is: a recognised voice answers as itself, whoever was
    asked; without one, the partner asked."""
    return voice if voice is not None else asked
