"""ask-sdk-core's DefaultSerializer, with the same results, at a fraction of its cost.

The default walks a model class's `deserialized_types` and `attribute_map` again for
every object of every request: it resolves each class from its dotted name with
`__import__`, tries every type string against a chain of checks, and parses the
request's timestamp with dateutil's general parser. That was about a quarter of a warm
turn. Here each class's plan is worked out once per process (its fields, their JSON
keys and a decoder per declared type) and Alexa's own timestamp form
("2026-12-02T13:03:38Z", fractions of up to six digits) is read directly, with the
zone dateutil gives it (which depends on the local zone's name); anything else takes
the default's own path. The objects built are the same: the same classes,
the same attributes set (unknown keys of the payload too, as the default sets them),
the same enum members, equal timestamps in the same zone.

Responses go back the same way: per class, the non-empty fields in `deserialized_types`
order under their JSON keys, so the JSON is the default's, key for key."""

from __future__ import annotations

import decimal
import json
import re
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from enum import Enum
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer

Decoder = Callable[[Any], Any]

# Alexa's timestamps: UTC, "Z", whole seconds or a fraction of up to six digits.
_ALEXA_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?Z")
_LIST = re.compile(r"list\[(.*)\]")
_DICT = re.compile(r"dict\(([^,]*), (.*)\)")
_PRIMITIVES = DefaultSerializer.PRIMITIVE_TYPES


class EnvelopeSerializer(DefaultSerializer):
    """A drop-in DefaultSerializer (the skill's, and its Alexa API clients')."""

    def __init__(self) -> None:
        # Worked out once per type; a race only works the same one out twice.
        self._decoders: dict[object, Decoder] = {}
        self._plans: dict[type, tuple[tuple[tuple[str, str, str], ...], frozenset[str]]] = {}
        self._fields: dict[type, tuple[tuple[str, str], ...]] = {}

    # -- requests -------------------------------------------------------------------

    def deserialize(self, payload: str | None, obj_type: Any) -> Any:
        if payload is None:
            return None
        try:
            body = json.loads(payload)
        except Exception as error:
            raise SerializationException(f"Couldn't parse response body: {payload}") from error
        if body is None:
            return None
        try:
            return self._decoder(obj_type)(body)
        except SerializationException:
            raise
        except Exception as error:
            raise SerializationException(str(error)) from error

    def _decoder(self, obj_type: object) -> Decoder:
        found = self._decoders.get(obj_type)
        if found is None:
            found = self._decoders[obj_type] = self._make_decoder(obj_type)
        return found

    def _make_decoder(self, obj_type: object) -> Decoder:
        if isinstance(obj_type, str):
            if obj_type.startswith("list["):
                return self._list_decoder(obj_type)
            if obj_type.startswith("dict("):
                return self._dict_decoder(obj_type)
            native = self.NATIVE_TYPES_MAPPING.get(obj_type)
            obj_type = native if native is not None else _class_named(obj_type)
        if isinstance(obj_type, type) and obj_type in _PRIMITIVES:
            return _primitive_decoder(obj_type)
        if obj_type is object:
            return _as_is
        if obj_type is date or obj_type is datetime:
            return _moment_decoder(obj_type)
        if isinstance(obj_type, type):
            return self._model_decoder(obj_type)
        raise SerializationException(f"cannot deserialize into {obj_type!r}")

    def _list_decoder(self, obj_type: str) -> Decoder:
        matched = _LIST.match(obj_type)
        if matched is None:
            return lambda _payload: []
        inner = matched.group(1)
        if "," in inner:
            # Items of different types, position by position.
            parts = [part.strip() for part in inner.split(",")]

            def mixed(payload: Any) -> Any:
                return [
                    _nullable(self._decoder(part))(item)
                    for item, part in zip(payload, parts, strict=False)
                ]

            return mixed
        item_type = inner.strip()

        def items(payload: Any) -> Any:
            decode = self._decoder(item_type)
            return [None if item is None else decode(item) for item in payload]

        return items

    def _dict_decoder(self, obj_type: str) -> Decoder:
        matched = _DICT.match(obj_type)
        if matched is None:
            return lambda _payload: {}
        value_type = matched.group(2)

        def mapping(payload: Any) -> Any:
            decode = self._decoder(value_type)
            return {key: None if value is None else decode(value) for key, value in payload.items()}

        return mapping

    def _model_decoder(self, kind: type) -> Decoder:
        if issubclass(kind, Enum):
            return kind
        if not hasattr(kind, "deserialized_types"):
            return _as_is
        if hasattr(kind, "get_real_child_model"):
            # The class named by the payload's discriminator ("type": "IntentRequest").
            def by_discriminator(payload: Any) -> Any:
                named = kind.get_real_child_model(payload)
                if not named:
                    raise SerializationException(
                        f"Couldn't resolve object by discriminator type for {kind} class"
                    )
                return self._fill(_class_named(named), payload)

            return by_discriminator
        return lambda payload: self._fill(kind, payload)

    def _fill(self, kind: type, payload: Any) -> Any:
        plan, known = self._plan(kind)
        decoders = self._decoders
        model = kind()
        for attribute, key, type_name in plan:
            if key in payload:
                value = payload[key]
                if value is not None:
                    # Resolved on first use: a field never sent imports nothing.
                    decode = decoders.get(type_name) or self._decoder(type_name)
                    value = decode(value)
                setattr(model, attribute, value)
        for key in payload:
            if key not in known:
                setattr(model, key, payload[key])  # as the default keeps unknown keys
        return model

    def _plan(self, kind: type) -> tuple[tuple[tuple[str, str, str], ...], frozenset[str]]:
        found = self._plans.get(kind)
        if found is None:
            types: dict[str, str] = kind.deserialized_types  # type: ignore[attr-defined]
            keys: dict[str, str] = dict(getattr(kind, "attribute_map", {}))
            keys.update({name: name for name in types if name not in keys})
            plan = tuple((attribute, key, types[attribute]) for attribute, key in keys.items())
            found = self._plans[kind] = (plan, frozenset(keys.values()))
        return found

    # -- responses ------------------------------------------------------------------

    def serialize(self, obj: Any) -> Any:
        if obj is None:
            return None
        if isinstance(obj, _PRIMITIVES):
            return obj
        if isinstance(obj, list):
            return [self.serialize(item) for item in obj]
        if isinstance(obj, tuple):
            return tuple(self.serialize(item) for item in obj)
        if isinstance(obj, datetime | date):
            return obj.isoformat()
        if isinstance(obj, Enum):
            return obj.value
        if isinstance(obj, decimal.Decimal):
            return int(obj) if obj % 1 == 0 else float(obj)
        if isinstance(obj, dict):
            return {key: self.serialize(value) for key, value in obj.items()}
        body: dict[str, Any] = {}
        for attribute, key in self._fields_of(type(obj)):
            value = getattr(obj, attribute)
            if value is not None:
                body[key] = self.serialize(value)
        return body

    def _fields_of(self, kind: type) -> tuple[tuple[str, str], ...]:
        found = self._fields.get(kind)
        if found is None:
            keys: dict[str, str] = getattr(kind, "attribute_map", {})
            types: dict[str, str] = kind.deserialized_types  # type: ignore[attr-defined]
            found = tuple((attribute, keys.get(attribute, attribute)) for attribute in types)
            self._fields[kind] = found
        return found


def _as_is(payload: Any) -> Any:
    return payload


def _nullable(decode: Decoder) -> Decoder:
    return lambda payload: None if payload is None else decode(payload)


def _primitive_decoder(kind: type) -> Decoder:
    def primitive(payload: Any) -> Any:
        if type(payload) is kind:
            return payload  # what kind(payload) returns for its own type
        try:
            return kind(payload)
        except UnicodeEncodeError:
            return str(payload)
        except TypeError:
            return payload
        except ValueError as error:
            raise SerializationException(
                f"Failed to parse {payload} into '{kind.__name__}' object"
            ) from error

    return primitive


def _utc_zone() -> tzinfo | None:
    """The zone dateutil gives a time written with "Z": its own UTC, or, where the
    process's local zone is called UTC (as on Lambda), the local zone; None when the
    local zone's names leave that to dateutil."""
    from dateutil import tz  # type: ignore[import-untyped]

    zone: tzinfo | None = None
    if "UTC" not in time.tzname:
        zone = tz.UTC
    elif time.tzname == ("UTC", "UTC"):
        zone = tz.tzlocal()
    return zone


def _moment_decoder(kind: type) -> Decoder:
    from dateutil.parser import parse  # type: ignore[import-untyped]

    def moment(payload: Any) -> Any:
        matched = _ALEXA_TIME.fullmatch(payload) if isinstance(payload, str) else None
        zone = _utc_zone() if matched is not None else None
        if matched is not None and zone is not None:
            year, month, day, hour, minute, second, fraction = matched.groups()
            try:
                parsed = datetime(
                    int(year),
                    int(month),
                    int(day),
                    int(hour),
                    int(minute),
                    int(second),
                    int(fraction.ljust(6, "0")) if fraction else 0,
                    tzinfo=zone,
                )
            except ValueError:
                parsed = None  # "2026-02-30T...": the default's parser says why
            if parsed is not None:
                return parsed.date() if kind is date else parsed
        try:
            found = parse(payload)
        except ValueError as error:
            raise SerializationException(
                f"Failed to parse {payload} into '{kind.__name__}' object"
            ) from error
        return found.date() if kind is date else found

    return moment


def _class_named(name: str) -> type:
    try:
        module_name, _, class_name = name.rpartition(".")
        if not module_name:
            found = getattr(sys.modules[DefaultSerializer.__module__], class_name)
        else:
            module = sys.modules.get(module_name) or __import__(module_name, fromlist=[class_name])
            found = getattr(module, class_name)
    except Exception as error:
        raise SerializationException(
            f"Unable to resolve class {name} from installed modules: {error}"
        ) from error
    if not isinstance(found, type):
        raise SerializationException(f"{name} is not a class")
    return found
