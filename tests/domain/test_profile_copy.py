"""A profile's copy is what its own codec gives (`from_dict(to_dict())`), and shares
nothing that can change with the profile copied."""

from __future__ import annotations

import types
from typing import Literal, Union, get_args, get_origin, get_type_hints

from skill.domain.couple import FLAT_RECORDS, AutobiographyBreak, Profile, RepairProposal
from tests.store.profiles import full_profile


def _everything() -> Profile:
    profile = full_profile()
    profile.repair_proposal = RepairProposal("pineapple", [0])
    profile.autobiography_break = AutobiographyBreak("2026-12-01T20:00:00+00:00", 3, 1, 0, 5, 40, 2)
    profile.time_zone = "Europe/Berlin"
    profile.notifications = True
    return profile


def test_a_copy_is_what_the_codec_gives() -> None:
    for profile in (Profile(), _everything()):
        copied = profile.copy()
        assert copied == Profile.from_dict(profile.to_dict())
        assert copied.to_dict() == profile.to_dict()
        assert all(type(a) is type(b) for a, b in zip(copied.issues, profile.issues, strict=True))


def test_a_copy_shares_nothing_that_changes() -> None:
    profile = _everything()
    before = profile.to_dict()
    copied = profile.copy()
    copied.partners[0].voice_ids.append("another")
    copied.partners.append(copied.partners[0])
    copied.recent_check_ins[0].need = "changed"
    copied.issues[0].steps.append("a step")
    copied.issues[0].feelings.clear()
    assert copied.repair_proposal is not None
    copied.repair_proposal.agreed.append(1)
    copied.practice_days.pop()
    copied.used_prompts.append(99)
    assert profile.to_dict() == before


def test_the_flat_records_hold_leaves_only() -> None:
    """A flat record is copied by its attributes alone: a field that can change in
    place (a list, a record) would then be shared between the copies."""
    for kind in FLAT_RECORDS:
        for name, hint in get_type_hints(kind).items():
            assert _leaf(hint), f"{kind.__name__}.{name}: {hint}"
    assert not _leaf(list[str]) and not _leaf(RepairProposal | None)


def _leaf(hint: object) -> bool:
    if hint in (str, int, bool, float, type(None)):
        return True
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        return all(isinstance(arg, str | int | bool) for arg in args)
    if origin in (Union, types.UnionType):
        return all(_leaf(arg) for arg in args)
    return False
