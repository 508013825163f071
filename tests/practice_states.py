"""A state at every step of every practice that keeps one, built from the state
types themselves: each required field gets a plain value of its type."""

from __future__ import annotations

import types
from dataclasses import replace
from enum import Enum
from typing import Literal, Union, get_args, get_origin

from skill.practices.base import Practice
from skill.practices.registry import practices
from skill.session import PracticeState
from skill.state_codec import fields_of


def sample_value(hint: object) -> object:
    """A plain value of a field type the codec supports."""
    origin, args = get_origin(hint), get_args(hint)
    if hint is str:
        return "x"
    if hint is bool:
        return False
    if hint is int:
        return 1
    if isinstance(hint, type) and issubclass(hint, Enum):
        return next(iter(hint))
    if origin is Literal:
        return args[0]
    if origin in (Union, types.UnionType):
        return None if type(None) in args else sample_value(args[0])
    if origin is tuple:
        return ()
    if origin is dict:
        return {}
    raise TypeError(f"no sample for {hint!r}")


def states_of(kind: type[PracticeState]) -> list[PracticeState]:
    """One state of `kind` at each of its steps."""
    fields = {field.name: field for field in fields_of(kind)}
    steps = fields["step"].hint
    assert isinstance(steps, type) and issubclass(steps, Enum), kind
    required = {
        name: sample_value(field.hint)
        for name, field in fields.items()
        if field.required and name != "step"
    }
    first = kind(step=next(iter(steps)), **required)
    return [replace(first, step=step) for step in steps]


def every_practice_state() -> list[PracticeState]:
    """A state at every step of every practice that keeps state."""
    found: list[PracticeState] = []
    for practice in practices().values():
        if isinstance(practice, Practice):
            found.extend(states_of(practice.state_type))
    return found


def state_label(state: PracticeState) -> str:
    return f"{state.flow.value}.{state.step.value}"
