"""Frozen dataclasses of plain facts <-> JSON-safe dicts, checked on the way back.

One small generic codec for every practice's state (see `skill.session`). A field
may be a `str`, `int`, `bool`, a `StrEnum` or `IntEnum`, a `Literal` of strings,
`X | None`, `tuple[X, ...]` or `dict[K, V]` with `str` or enum keys, nested as
needed. A class with any other field type is refused the first time it is seen
(`TypeError`: a programming error, which the tests meet first).

What comes back from the session attributes was written by us, but it crossed the
network and the device: nothing is trusted. `decode` refuses (`StateError`) a value
of the wrong type, an int out of bounds, an enum value that does not exist, a field
we do not know, a required field missing, or a list or mapping that is too long.
Text is capped at `MAX_TEXT_CHARS` on the way in, as the skill caps what it hears."""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from enum import Enum, IntEnum, StrEnum
from typing import Literal, TypeVar, Union, get_args, get_origin, get_type_hints

JsonValue = str | int | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
JsonObject = dict[str, JsonValue]

MAX_TEXT_CHARS = 300
MAX_INT = 1_000_000
MAX_ITEMS = 64

T = TypeVar("T")


class StateError(ValueError):
    """The attributes do not hold a state this code wrote: start afresh."""


@dataclasses.dataclass(frozen=True)
class _Field:
    """A field of a state type as the codec sees it: its name, type and whether required."""

    name: str
    hint: object
    required: bool


def encode(state: object) -> JsonObject:
    """A dataclass instance as a JSON object, field by field."""
    return {field.name: _encode(getattr(state, field.name)) for field in fields_of(type(state))}


def decode(kind: type[T], body: object) -> T:
    """An instance of the dataclass `kind` from what `encode` wrote; StateError when
    `body` is anything else."""
    if not isinstance(body, dict):
        raise StateError("not an object")
    known = fields_of(kind)
    unknown = set(body) - {field.name for field in known}
    if unknown:
        raise StateError(f"unknown fields {sorted(map(str, unknown))}")
    values: dict[str, object] = {}
    for field in known:
        if field.name in body:
            values[field.name] = _decode(body[field.name], field.hint)
        elif field.required:
            raise StateError(f"missing {field.name}")
    build: Callable[..., T] = kind
    return build(**values)


_FIELDS: dict[type, tuple[_Field, ...]] = {}


def fields_of(kind: type) -> tuple[_Field, ...]:
    """The fields of a dataclass with their resolved types, each checked supported
    (worked out once per class)."""
    known = _FIELDS.get(kind)
    if known is not None:
        return known
    if not dataclasses.is_dataclass(kind):
        raise TypeError(f"{kind.__name__} is not a dataclass")
    hints = get_type_hints(kind)
    found = []
    for field in dataclasses.fields(kind):
        hint = hints[field.name]
        _check_supported(hint, f"{kind.__name__}.{field.name}")
        required = (
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        )
        found.append(_Field(field.name, hint, required))
    _FIELDS[kind] = tuple(found)
    return _FIELDS[kind]


# -- the supported types --------------------------------------------------------------


def _is_enum(hint: object) -> bool:
    return isinstance(hint, type) and issubclass(hint, Enum)


def _is_union(hint: object) -> bool:
    return get_origin(hint) in (Union, types.UnionType)


def _check_supported(hint: object, where: str) -> None:
    if hint in (str, int, bool, type(None)):
        return
    if _is_enum(hint):
        if not isinstance(hint, type) or not issubclass(hint, StrEnum | IntEnum):
            raise TypeError(f"{where}: only StrEnum and IntEnum fields are supported")
        return
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        if not all(isinstance(arg, str) for arg in args):
            raise TypeError(f"{where}: only Literals of strings are supported")
        return
    if _is_union(hint):
        for arg in args:
            _check_supported(arg, where)
        return
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        _check_supported(args[0], where)
        return
    if origin is dict and len(args) == 2:
        key = args[0]
        if key is not str and not (isinstance(key, type) and issubclass(key, StrEnum | IntEnum)):
            raise TypeError(f"{where}: dict keys must be str, a StrEnum or an IntEnum")
        _check_supported(args[1], where)
        return
    raise TypeError(f"{where}: a field of type {hint!r} cannot be kept in the session")


# -- encoding ---------------------------------------------------------------------------


def _encode(value: object) -> JsonValue:
    if isinstance(value, IntEnum):
        return int(value)
    if isinstance(value, StrEnum):
        return str(value.value)
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {_encode_key(key): _encode(item) for key, item in value.items()}
    raise TypeError(f"cannot keep a {type(value).__name__} in the session")


def _encode_key(key: object) -> str:
    if isinstance(key, IntEnum):
        return str(int(key))
    if isinstance(key, StrEnum):
        return str(key.value)
    if isinstance(key, str):
        return key
    raise TypeError(f"cannot keep a {type(key).__name__} key in the session")


# -- decoding, checked ------------------------------------------------------------------


def _decode(value: object, hint: object) -> object:
    if hint is type(None):
        if value is not None:
            raise StateError("expected nothing")
        return None
    if hint is str:
        if not isinstance(value, str):
            raise StateError("expected text")
        return value[:MAX_TEXT_CHARS]
    if hint is bool:
        if not isinstance(value, bool):
            raise StateError("expected true or false")
        return value
    if hint is int or (isinstance(hint, type) and issubclass(hint, IntEnum)):
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_INT:
            raise StateError("expected a bounded whole number")
        return _member(hint, value) if hint is not int else value
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        if not isinstance(value, str):
            raise StateError("expected a name")
        return _member(hint, value)
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        if value not in args or not isinstance(value, str):
            raise StateError("not one of the names allowed")
        return value
    if _is_union(hint):
        return _decode_union(value, args)
    if origin is tuple:
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise StateError("expected a short list")
        return tuple(_decode(item, args[0]) for item in value)
    if origin is dict:
        if not isinstance(value, dict) or len(value) > MAX_ITEMS:
            raise StateError("expected a small mapping")
        return {_decode_key(key, args[0]): _decode(item, args[1]) for key, item in value.items()}
    raise TypeError(f"unsupported field type {hint!r}")


def _decode_union(value: object, options: tuple[object, ...]) -> object:
    if value is None and type(None) in options:
        return None
    for option in options:
        if option is type(None):
            continue
        try:
            return _decode(value, option)
        except StateError:
            continue
    raise StateError("none of the types allowed")


def _decode_key(key: object, hint: object) -> object:
    if not isinstance(key, str):
        raise StateError("expected a text key")
    if hint is str:
        return key[:MAX_TEXT_CHARS]
    if isinstance(hint, type) and issubclass(hint, IntEnum):
        if not key.isdigit() or len(key) > len(str(MAX_INT)):
            raise StateError("expected a number as key")
        return _member(hint, int(key))
    return _decode(key, hint)


def _member(kind: object, value: str | int) -> Enum:
    if not isinstance(kind, type) or not issubclass(kind, Enum):
        raise TypeError(f"{kind!r} is not an enum")
    try:
        return kind(value)
    except ValueError as error:
        raise StateError(f"no {kind.__name__} {value!r}") from error
