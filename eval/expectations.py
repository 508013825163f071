"""Did a scripted conversation reach its end, with the right meaning kept? Judged
from what the skill stored and said, never from its private state."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from skill.domain.couple import Profile
from skill.domain.events import EventKind
from skill.speech.ssml import strip_tags
from skill.store.memory import MemoryStore

_PUNCT = re.compile(r"[^\w' ]+")


def norm(text: object) -> str:
    return " ".join(_PUNCT.sub(" ", str(text).lower()).split())


@dataclass(frozen=True)
class Verdict:
    reached: bool  # the practice came to its end
    meaning: bool  # and what was kept means what was said
    why: str = ""


def judge(
    expect: dict[str, Any],
    store: MemoryStore,
    couple: str,
    spoken: list[str],
    reminders: list[dict[str, Any]] | None = None,
) -> Verdict:
    stored = store.load(couple)
    profile = stored.profile if stored else Profile()
    said = " ".join(norm(strip_tags(s)) for s in spoken)
    problems: list[str] = []
    reached = True
    for key, wanted in expect.items():
        if key == "reminder":
            ok, found, end = _reminder(wanted, reminders or [])
        else:
            ok, found, end = _check(key, wanted, profile, store, couple, said)
        reached = reached and end
        if not ok:
            problems.append(f"{key}: wanted {wanted!r}, found {found!r}")
    return Verdict(reached, reached and not problems, "; ".join(problems))


def _names(profile: Profile) -> list[str]:
    return [p.name for p in profile.partners]


def _check(
    key: str, wanted: Any, profile: Profile, store: MemoryStore, couple: str, said: str
) -> tuple[bool, Any, bool]:
    """(meaning right, what was found, the practice reached its end)."""
    names = _names(profile)
    if key == "names":
        return [n.lower() for n in names] == [w.lower() for w in wanted], names, len(names) == 2
    if key == "check_in":
        records = profile.recent_check_ins[-2:]
        found = {names[r.partner]: {"feeling": r.feeling, "need": r.need} for r in records if names}
        ok = all(
            norm(found.get(name, {}).get(part, "")) == norm(value)
            for name, parts in wanted.items()
            if name != "time_of_day"
            for part, value in parts.items()
        )
        if "time_of_day" in wanted:
            ok = ok and all(r.time_of_day == wanted["time_of_day"] for r in records)
        return ok, found, len(records) == 2
    if key == "trust":
        entry = profile.recent_trust[-1] if profile.recent_trust else None
        if entry is None or not names:
            return False, None, False
        found = {
            "kind": entry.kind,
            "acted": names[entry.giver],
            "noticed": names[entry.receiver],
            "note": entry.note,
        }
        ok = all(norm(found[k]) == norm(v) for k, v in wanted.items() if k in found)
        return ok, found, True
    if key == "note":
        notes = profile.pending_notes
        if not notes or not names:
            return False, None, False
        note = notes[-1]
        found = {"from": names[note.author], "to": names[note.recipient], "text": note.text}
        return all(norm(found[k]) == norm(v) for k, v in wanted.items()), found, True
    if key == "repair_word":
        return (
            norm(profile.repair_word or "") == norm(wanted),
            profile.repair_word,
            bool(profile.repair_word),
        )
    if key == "issue":
        issue = profile.issues[-1] if profile.issues else None
        if issue is None:
            return False, None, False
        found = {"topic": issue.title, "steps": issue.steps, "feelings": issue.feelings}
        ok = norm(issue.title) == norm(wanted.get("topic", issue.title))
        if "steps" in wanted:
            ok = ok and [norm(s) for s in issue.steps] == [norm(s) for s in wanted["steps"]]
        return ok, found, True
    if key in ("sync_breaths", "sync_pace"):
        events = store.events(couple, EventKind.SYNC)
        if not events:
            return False, None, False
        found = events[0].data.get("breaths" if key == "sync_breaths" else "pace")
        return str(found) == str(wanted), found, True
    if key == "repair":
        events = store.events(couple, EventKind.REPAIR)
        return bool(events), len(events), bool(events)
    if key == "review":
        events = store.events(couple, EventKind.REVIEW)
        return bool(events), len(events), bool(events)
    # Said back, not kept: a word the feelings wheel reflected, a reflection.
    values = wanted if isinstance(wanted, list) else [wanted]
    flat = [v for item in values for v in (item.values() if isinstance(item, dict) else [item])]
    ok = all(norm(v) in said for v in flat)
    return ok, None, ok


def _reminder(wanted: dict[str, Any], created: list[dict[str, Any]]) -> tuple[bool, Any, bool]:
    """A reminder the skill created through the (fake) Reminders API."""
    if not created:
        return False, None, False
    body = created[-1]
    when = str((body.get("trigger") or {}).get("scheduledTime", ""))
    ok = True
    if "time" in wanted:
        ok = when[11:16] == wanted["time"]
    return ok, when, True
