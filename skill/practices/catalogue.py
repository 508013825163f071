"""The practices beyond the foundation (repair, trust bank, gratitude, ...)."""

from __future__ import annotations

from skill.practices.autobiography import Autobiography
from skill.practices.base import Practice
from skill.practices.feelings_wheel import FeelingsWheel
from skill.practices.gratitude import Gratitude
from skill.practices.pause_attend_reflect import PauseAttendReflect
from skill.practices.reminders import Reminders
from skill.practices.repair import Repair
from skill.practices.repair_word import RepairWord
from skill.practices.tips import Tips
from skill.practices.trust_bank import Trust
from skill.practices.trust_review import TrustReview
from skill.practices.us_vs_issue import UsVsIssue
from skill.practices.who import Who


def more_practices() -> list[Practice]:
    found: list[Practice] = []
    found += [RepairWord(), Repair(), PauseAttendReflect()]
    found += [Trust(), TrustReview(), Gratitude(), Who()]
    found += [Autobiography(), UsVsIssue(), FeelingsWheel(), Tips()]
    found += [Reminders()]
    return found
