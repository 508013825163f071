"""Ways into every step of every practice, as a couple would talk: each path starts
from Alex and Sam set up (between sessions) and ends with a question pending.
("launch", {}) opens the skill; ("voice", {"person": id}) makes the next turns come
from a recognised voice profile."""

from __future__ import annotations

from typing import Any

Turn = tuple[str, dict[str, Any]]


def _(intent: str, **slots: Any) -> Turn:
    return intent, slots


YES, NO = _("AMAZON.YesIntent"), _("AMAZON.NoIntent")

PATHS: dict[str, list[Turn]] = {
    "menu after launch": [("launch", {})],
    "check-in: first feeling": [_("CheckInIntent")],
    "check-in: nudge": [_("CheckInIntent"), _("FeelingIntent", feeling="fine")],
    "check-in: first need": [_("CheckInIntent"), _("FeelingIntent", feeling="tired")],
    "check-in: second feeling": [
        _("CheckInIntent"),
        _("FeelingIntent", feeling="tired"),
        _("NeedIntent", need="a hug"),
    ],
    "check-in: second need": [
        _("CheckInIntent"),
        _("FeelingIntent", feeling="tired"),
        _("NeedIntent", need="a hug"),
        _("FeelingIntent", feeling="anxious"),
    ],
    "silent sync: another round": [_("SilentSyncIntent")],
    "pause-attend-reflect: feeling": [_("PauseAttendReflectIntent")],
    "pause-attend-reflect: topic": [
        _("PauseAttendReflectIntent"),
        _("FeelingIntent", feeling="hurt"),
    ],
    "pause-attend-reflect: swap": [
        _("PauseAttendReflectIntent"),
        _("FeelingIntent", feeling="hurt"),
        _("TopicIntent", topic="the dishes"),
    ],
    "repair word: propose": [_("SetRepairWordIntent")],
    "repair word: agree": [_("SetRepairWordIntent"), _("RepairPhraseIntent", phrase="pineapple")],
    "repair word: try it": [
        _("SetRepairWordIntent"),
        _("RepairPhraseIntent", phrase="pineapple"),
        YES,
        YES,
    ],
    "repair: offer to set a word": [_("SayRepairWordIntent", repair_word="pineapple")],
    "repair: one way on": [
        _("SetRepairWordIntent"),
        _("RepairPhraseIntent", phrase="pineapple"),
        YES,
        YES,
        _("SayRepairWordIntent", repair_word="pineapple"),
    ],
    "repair: which way on": [
        _("SetRepairWordIntent"),
        _("RepairPhraseIntent", phrase="pineapple"),
        YES,
        YES,
        _("SayRepairWordIntent", repair_word="pineapple"),
        YES,
    ],
    "trust: who did it": [_("TrustDepositIntent")],
    "trust: deposit note": [_("TrustDepositIntent", partner="Sam")],
    "trust: withdrawal note": [_("TrustWithdrawalIntent", partner="Sam")],
    "weekly review: what you saw": [_("TrustReviewIntent")],
    "gratitude: who is leaving it": [_("LeaveGratitudeIntent")],
    "gratitude: the note": [_("LeaveGratitudeIntent", partner="Sam")],
    "gratitude: who is here (a note waits)": [
        _("LeaveGratitudeIntent", partner="Sam", note="making the tea"),
        ("launch", {}),
    ],
    "autobiography: ready": [_("AutobiographyIntent")],
    "autobiography: still going": [_("AutobiographyIntent"), YES],
    "us vs the issue: topic": [_("UsVsIssueIntent")],
    "us vs the issue: feeling": [
        _("UsVsIssueIntent"),
        _("TopicIntent", topic="money for the holidays"),
    ],
    "us vs the issue: step": [
        _("UsVsIssueIntent"),
        _("TopicIntent", topic="money for the holidays"),
        _("FeelingIntent", feeling="respected"),
        _("FeelingIntent", feeling="safe"),
    ],
    "us vs the issue: more steps": [
        _("UsVsIssueIntent"),
        _("TopicIntent", topic="money for the holidays"),
        _("FeelingIntent", feeling="respected"),
        _("FeelingIntent", feeling="safe"),
        _("IssueStepIntent", step="set a budget together"),
    ],
    "feelings wheel: broad feeling": [_("FeelingsWheelIntent")],
    "feelings wheel: finer word": [_("FeelingsWheelIntent"), _("FeelingIntent", feeling="sad")],
    "feelings wheel: offer a check-in": [
        _("FeelingsWheelIntent"),
        _("FeelingIntent", feeling="sad"),
        _("FeelingIntent", feeling="lonely"),
    ],
    "evening ritual: check-in": [_("EveningRitualIntent")],
    "tips: another tip": [_("TipsIntent")],
    "journal: another prompt": [_("JournalPromptIntent")],
    "forget: confirm": [_("ForgetUsIntent")],
    "reminders: which practice": [_("SetReminderIntent")],
    "reminders: what time": [_("SetReminderIntent", practice="check in")],
    "who: learn my voice": [("voice", {"person": "amzn1.ask.person.NEW"}), _("LinkVoiceIntent")],
}

# Before the couple exists: the names.
SETUP_PATHS: dict[str, list[Turn]] = {
    "setup: names": [("launch", {})],
    "setup: second name": [("launch", {}), _("NameIntent", name="Alex")],
    "setup: confirm": [
        ("launch", {}),
        _("CoupleNamesIntent", first_name="Alex", second_name="Sam"),
    ],
}

# A slot for every kind of answer the skill takes in the middle of a practice.
CARRIERS: tuple[tuple[str, str], ...] = (
    ("FeelingIntent", "feeling"),
    ("NeedIntent", "need"),
    ("NoteTextIntent", "note"),
    ("TopicIntent", "topic"),
    ("IssueStepIntent", "step"),
    ("RepairPhraseIntent", "phrase"),
    ("SayRepairWordIntent", "repair_word"),
    ("NameIntent", "name"),
)
