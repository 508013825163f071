"""The couple's profile: the one small item read at most once per turn.

It holds who the partners are, their settings and bounded "recent" windows of
what they did, so that the everyday questions ("what's our trust balance?",
"what did Alex need this morning?") are answered from this one read. The full,
append-only history lives in event items (see `events.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import IntEnum
from typing import Any, Literal

from skill.domain.reflection import said_about

SCHEMA_VERSION = 2

# Bounds keep the item far below DynamoDB's 400 KB and the turn fast.
MAX_TEXT = 200
MAX_NAME = 40
RECENT_CHECK_INS = 28
RECENT_TRUST = 48
MAX_PENDING_NOTES = 20
MAX_ISSUES = 12
MAX_STEPS = 10
RECENT_PRACTICE_DAYS = 60

TrustKind = Literal["deposit", "withdrawal"]


def cap_text(text: str, limit: int = MAX_TEXT) -> str:
    """Trim user text to a bound, on a word boundary where possible."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut if len(cut) > limit // 2 else text[:limit]


class PartnerIndex(IntEnum):
    """Which of the two partners: the first or the second named at set-up (their
    index in `Profile.partners`, and in every record that names one)."""

    FIRST = 0
    SECOND = 1

    @property
    def other(self) -> PartnerIndex:
        return PartnerIndex(1 - self.value)


@dataclass
class Partner:
    """One of the two partners: the name they gave and the voices linked to it."""

    name: str
    voice_ids: list[str] = field(default_factory=list)


@dataclass
class CheckInRecord:
    """One partner's answer in a check-in: how they felt and what they needed."""

    at: str
    time_of_day: str
    partner: int
    feeling: str
    need: str


@dataclass
class TrustEntry:
    """A deposit or withdrawal in the trust bank: who gave it, to whom, and what happened."""

    at: str
    kind: TrustKind
    giver: int
    receiver: int
    note: str


@dataclass
class GratitudeNote:
    """A thank-you one partner left for the other, kept until the other hears it."""

    id: str
    at: str
    author: int
    recipient: int
    text: str


@dataclass
class IssueRecord:
    """An issue the couple face together: its title, their feelings and agreed steps."""

    id: str
    title: str
    created_at: str
    feelings: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    resolved_at: str | None = None


@dataclass
class RepairProposal:
    """A repair word suggested but not yet agreed by both partners."""

    word: str
    agreed: list[int] = field(default_factory=list)


@dataclass
class AutobiographyBreak:
    """An emotional autobiography cut off (silence, or stop): where to pick it up."""

    at: str
    prompt: int
    asked: int
    order: int
    minutes: int
    left: int  # seconds left of `asked`'s turn
    turns: int


@dataclass
class Profile:
    """Everything kept for one couple: names, settings, and the windows of their history."""

    partners: list[Partner] = field(default_factory=list)
    repair_word: str | None = None
    pace: str = "normal"
    breaths: int = 5
    turn_minutes: int = 3
    sync_count: int = 0
    repair_count: int = 0
    practice_days: list[str] = field(default_factory=list)
    recent_check_ins: list[CheckInRecord] = field(default_factory=list)
    recent_trust: list[TrustEntry] = field(default_factory=list)
    pending_notes: list[GratitudeNote] = field(default_factory=list)
    issues: list[IssueRecord] = field(default_factory=list)
    last_review_at: str | None = None
    used_prompts: list[int] = field(default_factory=list)
    created_at: str | None = None
    repair_proposal: RepairProposal | None = None
    # The device's time zone (an IANA name) and when it was last read (UTC).
    time_zone: str | None = None
    time_zone_checked: str | None = None
    autobiography_break: AutobiographyBreak | None = None
    # Whether the account lets the skill light the ring when a thank-you waits
    # (from Alexa's skill events), and whether the skill said once how to allow it.
    notifications: bool = False
    notifications_hint_given: bool = False

    # -- questions -------------------------------------------------------------

    @property
    def is_set_up(self) -> bool:
        return len(self.partners) == 2

    def name_of(self, index: int) -> str:
        return self.partners[index].name

    def read_back(self, index: int, said: str) -> str:
        """A partner's own words, read back about them ("you" is the other partner)."""
        return said_about(said, speaker=self.name_of(index), partner=self.name_of(1 - index))

    def partner_named(self, name: str) -> PartnerIndex | None:
        wanted = name.strip().casefold()
        for index, partner in zip(PartnerIndex, self.partners, strict=False):
            if partner.name.casefold() == wanted:
                return index
        return None

    def partner_with_voice(self, voice_id: str) -> PartnerIndex | None:
        for index, partner in zip(PartnerIndex, self.partners, strict=False):
            if voice_id in partner.voice_ids:
                return index
        return None

    def streak(self, today: date) -> int:
        """Consecutive days with a practice, ending today or yesterday."""
        days = {date.fromisoformat(d) for d in self.practice_days}
        cursor = today if today in days else today - timedelta(days=1)
        count = 0
        while cursor in days:
            count += 1
            cursor -= timedelta(days=1)
        return count

    def open_issues(self) -> list[IssueRecord]:
        return [issue for issue in self.issues if issue.resolved_at is None]

    # -- changes (each keeps its bounds) -----------------------------------------

    def mark_practice(self, today: date) -> None:
        day = today.isoformat()
        if day not in self.practice_days:
            self.practice_days = sorted([*self.practice_days, day])[-RECENT_PRACTICE_DAYS:]

    def add_check_in(self, record: CheckInRecord) -> None:
        self.recent_check_ins = [*self.recent_check_ins, record][-RECENT_CHECK_INS:]

    def add_trust(self, entry: TrustEntry) -> None:
        self.recent_trust = [*self.recent_trust, entry][-RECENT_TRUST:]

    def add_note(self, note: GratitudeNote) -> None:
        if any(existing.id == note.id for existing in self.pending_notes):
            return
        self.pending_notes = [*self.pending_notes, note][-MAX_PENDING_NOTES:]

    def remove_notes(self, note_ids: set[str]) -> None:
        self.pending_notes = [n for n in self.pending_notes if n.id not in note_ids]

    def upsert_issue(self, issue: IssueRecord) -> None:
        issue.steps = issue.steps[-MAX_STEPS:]
        others = [existing for existing in self.issues if existing.id != issue.id]
        merged = [*others, issue]
        # Keep every open issue; drop the oldest resolved ones first.
        while len(merged) > MAX_ISSUES:
            resolved = [i for i in merged if i.resolved_at is not None]
            merged.remove(resolved[0] if resolved else merged[0])
        self.issues = merged

    # -- serialisation --------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = _plain(self)
        body["schema"] = SCHEMA_VERSION
        return body

    def copy(self) -> Profile:
        """An independent copy (changes to one never show in the other): what
        `from_dict(to_dict())` gives, built directly."""
        copied: Profile = _copied(self)
        return copied

    @classmethod
    def from_dict(cls, body: dict[str, Any]) -> Profile:
        body = _upgrade(dict(body))
        return cls(
            partners=[Partner(**p) for p in body.get("partners", [])],
            repair_word=body.get("repair_word"),
            pace=body.get("pace", "normal"),
            breaths=int(body.get("breaths", 5)),
            turn_minutes=int(body.get("turn_minutes", 3)),
            sync_count=int(body.get("sync_count", 0)),
            repair_count=int(body.get("repair_count", 0)),
            practice_days=list(body.get("practice_days", [])),
            recent_check_ins=[CheckInRecord(**c) for c in body.get("recent_check_ins", [])],
            recent_trust=[TrustEntry(**t) for t in body.get("recent_trust", [])],
            pending_notes=[GratitudeNote(**n) for n in body.get("pending_notes", [])],
            issues=[IssueRecord(**i) for i in body.get("issues", [])],
            last_review_at=body.get("last_review_at"),
            used_prompts=[int(p) for p in body.get("used_prompts", [])],
            created_at=body.get("created_at"),
            repair_proposal=(
                RepairProposal(**body["repair_proposal"]) if body.get("repair_proposal") else None
            ),
            time_zone=body.get("time_zone"),
            time_zone_checked=body.get("time_zone_checked"),
            autobiography_break=(
                AutobiographyBreak(**body["autobiography_break"])
                if body.get("autobiography_break")
                else None
            ),
            notifications=body.get("notifications") is True,
            notifications_hint_given=body.get("notifications_hint_given") is True,
        )


# The leaves of a profile: immutable, kept as they are (and not visited one by one).
_LEAVES = frozenset({str, int, bool, float, type(None)})


def _plain(value: Any) -> Any:
    """Dataclasses to plain dicts and lists; faster than dataclasses.asdict, which
    deep-copies every leaf (ours are all immutable str, int and None)."""
    if isinstance(value, list):
        return [item if type(item) in _LEAVES else _plain(item) for item in value]
    if isinstance(value, dict):
        return {key: item if type(item) in _LEAVES else _plain(item) for key, item in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {
            key: item if type(item) in _LEAVES else _plain(item)
            for key, item in vars(value).items()
        }
    return value


# Records whose every field is a leaf (tests/domain/test_profile_copy.py checks it).
FLAT_RECORDS: frozenset[type] = frozenset(
    {CheckInRecord, TrustEntry, GratitudeNote, AutobiographyBreak}
)


def _copied(value: Any) -> Any:
    """A deep copy of dataclasses, lists and dicts over immutable leaves (a profile),
    without the dicts in between."""
    if isinstance(value, list):
        return [item if type(item) in _LEAVES else _copied(item) for item in value]
    if isinstance(value, dict):
        return {
            key: item if type(item) in _LEAVES else _copied(item) for key, item in value.items()
        }
    kind = type(value)
    if kind in FLAT_RECORDS:
        copied = object.__new__(kind)
        copied.__dict__.update(vars(value))  # every field a leaf
        return copied
    if hasattr(value, "__dataclass_fields__"):
        copied = object.__new__(kind)
        copied.__dict__.update(
            {
                key: item if type(item) in _LEAVES else _copied(item)
                for key, item in vars(value).items()
            }
        )
        return copied
    return value


def _upgrade(body: dict[str, Any]) -> dict[str, Any]:
    """Bring an item written in an older shape up to the current one."""
    schema = int(body.pop("schema", 1))
    if schema < 2:
        # Version 1 kept the two names as plain strings and no voice links.
        body["partners"] = [
            {"name": p} if isinstance(p, str) else p for p in body.get("partners", [])
        ]
    return body


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)
