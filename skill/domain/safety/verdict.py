"""What the safety screen finds in a text (its verdict), apart from the screen itself.

A turn holds an `Assessment` whether or not it heard any text; the screen's engine
(`screen.py`: its rules, compiled patterns and classifier) is imported only when a
text is first screened, so a request without words (a launch) never loads it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Concern(StrEnum):
    SUICIDE = "suicide"
    SELF_HARM = "self_harm"
    PHYSICAL_VIOLENCE = "physical_violence"
    SEXUAL_VIOLENCE = "sexual_violence"
    THREATS = "threats"
    COERCIVE_CONTROL = "coercive_control"
    FEAR_FOR_SAFETY = "fear_for_safety"
    # Heard by the classifier alone, in wording no rule names.
    OTHER_RISK = "other_risk"


@dataclass(frozen=True)
class Disclosure:
    """What the screen found: the kind of concern and the rule, never the text."""

    concern: Concern
    rule: str


@dataclass(frozen=True)
class Assessment:
    """What the screen makes of a text: a disclosure, or a question worth asking."""

    disclosure: Disclosure | None = None
    # No clear disclosure, but the skill should ask whether the person is safe.
    unsure: bool = False


CLEAR = Assessment()


def language_of(locale: str) -> str:
    return locale.split("-", maxsplit=1)[0].lower() or "en"
