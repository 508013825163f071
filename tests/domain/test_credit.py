"""Who acted, who noticed: the rule as a table."""

from __future__ import annotations

import pytest

from skill.domain.couple import PartnerIndex
from skill.domain.credit import Credit, answerer, credit

ALEX, SAM = PartnerIndex.FIRST, PartnerIndex.SECOND

CASES = [
    # named (acted), recognised voice -> (acted, noticed), or None: ask
    pytest.param(SAM, None, (SAM, ALEX), id="a deposit for Sam, no voice"),
    pytest.param(ALEX, None, (ALEX, SAM), id="Alex let me down, no voice"),
    pytest.param(SAM, ALEX, (SAM, ALEX), id="a deposit for Sam, in Alex's voice"),
    pytest.param(ALEX, SAM, (ALEX, SAM), id="I felt dismissed by Alex, in Sam's voice"),
    pytest.param(None, ALEX, (SAM, ALEX), id="make a deposit, in Alex's voice"),
    pytest.param(None, SAM, (ALEX, SAM), id="make a withdrawal, in Sam's voice"),
    pytest.param(None, None, None, id="make a deposit, no voice: ask"),
    pytest.param(ALEX, ALEX, None, id="a deposit for Alex in Alex's voice: ask"),
    pytest.param(SAM, SAM, None, id="Sam let me down in Sam's voice: ask"),
]


@pytest.mark.parametrize(("named", "voice", "expected"), CASES)
def test_who_acted_and_who_noticed(
    named: PartnerIndex | None,
    voice: PartnerIndex | None,
    expected: tuple[PartnerIndex, PartnerIndex] | None,
) -> None:
    found = credit(named, voice)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found.acted, found.noticed) == expected


@pytest.mark.parametrize(
    ("asked", "voice", "expected"),
    [
        (ALEX, None, ALEX),
        (SAM, None, SAM),
        (ALEX, ALEX, ALEX),
        (ALEX, SAM, SAM),
        (SAM, ALEX, ALEX),
    ],
)
def test_a_recognised_voice_answers_as_itself(
    asked: PartnerIndex, voice: PartnerIndex | None, expected: PartnerIndex
) -> None:
    assert answerer(asked, voice) is expected


def test_one_partner_never_notices_their_own_act() -> None:
    assert Credit.by(SAM) == Credit(acted=SAM, noticed=ALEX)
    assert Credit.seen_by(SAM) == Credit(acted=ALEX, noticed=SAM)
    with pytest.raises(ValueError, match="other did"):
        Credit(acted=ALEX, noticed=ALEX)
