"""Intent, slot and slot-type names: the one vocabulary shared by the handlers,
the interaction models and the tests."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SlotType(StrEnum):
    """Custom slot types defined in the interaction model (built-ins are plain strings)."""

    FEELING = "FeelingType"
    PACE = "PaceType"
    TIME_OF_DAY = "TimeOfDayType"
    REPAIR_WORD = "RepairWordType"
    TRAP = "TrapType"
    PRACTICE = "PracticeType"
    DAY = "DayType"
    NEED = "NeedType"
    NOTE = "NoteType"
    TOPIC = "TopicType"
    STEP = "StepType"
    REPAIR_PHRASE = "RepairPhraseType"
    DAY_PART = "DayPartType"


FIRST_NAME = "AMAZON.FirstName"
NUMBER = "AMAZON.NUMBER"
SEARCH_QUERY = "AMAZON.SearchQuery"
TIME = "AMAZON.TIME"


@dataclass(frozen=True)
class Slot:
    """A slot of an intent in the model: its name and its slot type."""

    name: str
    type: str


class Intent(StrEnum):
    # Built-ins the skill handles.
    HELP = "AMAZON.HelpIntent"
    STOP = "AMAZON.StopIntent"
    CANCEL = "AMAZON.CancelIntent"
    NAVIGATE_HOME = "AMAZON.NavigateHomeIntent"
    FALLBACK = "AMAZON.FallbackIntent"
    YES = "AMAZON.YesIntent"
    NO = "AMAZON.NoIntent"
    REPEAT = "AMAZON.RepeatIntent"
    START_OVER = "AMAZON.StartOverIntent"

    # Setup and people.
    COUPLE_NAMES = "CoupleNamesIntent"
    NAME = "NameIntent"
    LINK_VOICE = "LinkVoiceIntent"
    CONTINUE = "ContinueIntent"
    BOTH = "BothIntent"

    # Practices.
    SILENT_SYNC = "SilentSyncIntent"
    SYNC_APART = "SyncApartIntent"
    PACE = "PaceIntent"
    CHECK_IN = "CheckInIntent"
    FEELING = "FeelingIntent"
    NEED = "NeedIntent"
    PAUSE_ATTEND_REFLECT = "PauseAttendReflectIntent"
    TOPIC = "TopicIntent"
    SET_REPAIR_WORD = "SetRepairWordIntent"
    REPAIR_PHRASE = "RepairPhraseIntent"
    SAY_REPAIR_WORD = "SayRepairWordIntent"
    TRUST_DEPOSIT = "TrustDepositIntent"
    TRUST_WITHDRAWAL = "TrustWithdrawalIntent"
    TRUST_BALANCE = "TrustBalanceIntent"
    TRUST_REVIEW = "TrustReviewIntent"
    NOTE_TEXT = "NoteTextIntent"
    LEAVE_GRATITUDE = "LeaveGratitudeIntent"
    HEAR_NOTES = "HearNotesIntent"
    AUTOBIOGRAPHY = "AutobiographyIntent"
    US_VS_ISSUE = "UsVsIssueIntent"
    ISSUE_STEP = "IssueStepIntent"
    LIST_ISSUES = "ListIssuesIntent"
    RESOLVE_ISSUE = "ResolveIssueIntent"
    FEELINGS_WHEEL = "FeelingsWheelIntent"
    EVENING_RITUAL = "EveningRitualIntent"
    JOURNAL_PROMPT = "JournalPromptIntent"
    TIPS = "TipsIntent"
    SAFETY = "SafetyIntent"

    # History.
    HISTORY_NEED = "HistoryNeedIntent"
    HISTORY_FEELING = "HistoryFeelingIntent"
    STREAK = "StreakIntent"
    ISSUE_AGREEMENT = "IssueAgreementIntent"

    # Privacy and platform.
    FORGET_US = "ForgetUsIntent"
    SET_REMINDER = "SetReminderIntent"
    LIST_REMINDERS = "ListRemindersIntent"
    CANCEL_REMINDERS = "CancelRemindersIntent"


# Slots per intent. Intents not listed take no slots.
SLOTS: dict[Intent, tuple[Slot, ...]] = {
    Intent.COUPLE_NAMES: (Slot("first_name", FIRST_NAME), Slot("second_name", FIRST_NAME)),
    # "for Alex", answering who is leaving a note: the one it is for.
    Intent.NAME: (Slot("name", FIRST_NAME), Slot("recipient", FIRST_NAME)),
    Intent.SILENT_SYNC: (Slot("breaths", NUMBER), Slot("pace", SlotType.PACE)),
    # "Breathe with Sam from the other room": the partner on the other device.
    Intent.SYNC_APART: (Slot("partner", FIRST_NAME),),
    Intent.PACE: (Slot("pace", SlotType.PACE),),
    Intent.CHECK_IN: (Slot("time_of_day", SlotType.TIME_OF_DAY),),
    Intent.FEELING: (
        Slot("feeling", SlotType.FEELING),
        Slot("need", SlotType.NEED),
        Slot("topic", SlotType.TOPIC),
    ),
    Intent.NEED: (Slot("need", SlotType.NEED),),
    Intent.TOPIC: (Slot("topic", SlotType.TOPIC),),
    Intent.US_VS_ISSUE: (Slot("topic", SlotType.TOPIC),),
    Intent.REPAIR_PHRASE: (Slot("phrase", SlotType.REPAIR_PHRASE),),
    Intent.SAY_REPAIR_WORD: (Slot("repair_word", SlotType.REPAIR_WORD),),
    # "A deposit for Sam because he made dinner": what happened, said with the request.
    Intent.TRUST_DEPOSIT: (Slot("partner", FIRST_NAME), Slot("note", SlotType.NOTE)),
    Intent.TRUST_WITHDRAWAL: (Slot("partner", FIRST_NAME), Slot("note", SlotType.NOTE)),
    Intent.NOTE_TEXT: (Slot("note", SlotType.NOTE),),
    Intent.LEAVE_GRATITUDE: (Slot("partner", FIRST_NAME), Slot("note", SlotType.NOTE)),
    Intent.AUTOBIOGRAPHY: (Slot("minutes", NUMBER),),
    Intent.ISSUE_STEP: (Slot("step", SlotType.STEP),),
    Intent.RESOLVE_ISSUE: (Slot("topic", SlotType.TOPIC),),
    Intent.TIPS: (Slot("trap", SlotType.TRAP),),
    Intent.HISTORY_NEED: (Slot("partner", FIRST_NAME), Slot("time_of_day", SlotType.TIME_OF_DAY)),
    Intent.HISTORY_FEELING: (Slot("partner", FIRST_NAME),),
    Intent.ISSUE_AGREEMENT: (Slot("topic", SlotType.TOPIC),),
    Intent.SET_REMINDER: (
        Slot("practice", SlotType.PRACTICE),
        Slot("time", TIME),
        Slot("day", SlotType.DAY),
        Slot("part", SlotType.DAY_PART),
    ),
}

BUILT_IN_INTENTS: frozenset[Intent] = frozenset(i for i in Intent if i.value.startswith("AMAZON."))


def slots_of(intent: Intent) -> tuple[Slot, ...]:
    return SLOTS.get(intent, ())
