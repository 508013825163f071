"""Helpers for screen tests: find the APL directives in a response and check a
document against the data bound into it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.chat import envelopes
from skill.domain.couple import Partner, Profile
from skill.practices.registry import state_types
from skill.screens.timing import spoken_ms
from skill.turn import Services, Turn
from tests.dialog.harness import Said

RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"
_BINDING = re.compile(r"\$\{\s*([A-Za-z_]\w*)\.([A-Za-z_]\w*)")


def screens(said: Said) -> list[dict[str, Any]]:
    """The APL RenderDocument directives of one response."""
    return [d for d in said.directives if d.get("type") == RENDER_DOCUMENT]


def only_screen(said: Said) -> dict[str, Any]:
    found = screens(said)
    assert len(found) == 1, f"expected one RenderDocument, got {len(found)}"
    return found[0]


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a document, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def bindings(document: dict[str, Any]) -> set[tuple[str, str]]:
    """(parameter, key) for every `${parameter.key...}` expression in `document`."""
    found: set[tuple[str, str]] = set()
    for text in strings(document):
        found.update(_BINDING.findall(text))
    return found


def of_type(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """Every component or command of type `kind` in `document`."""
    return [node for node in walk(document) if node.get("type") == kind]


def component_ids(document: dict[str, Any]) -> set[str]:
    return {node["id"] for node in walk(document) if isinstance(node.get("id"), str)}


def assert_bound(directive: dict[str, Any]) -> None:
    """The mainTemplate's parameters are exactly the datasource names, and every
    binding to a parameter names a key its datasource has."""
    document = directive["document"]
    parameters = document["mainTemplate"]["parameters"]
    datasources = directive["datasources"]
    assert sorted(parameters) == sorted(datasources)
    for parameter, key in bindings(document):
        if parameter in parameters:
            assert key in datasources[parameter], f"{parameter}.{key} is not in the data"


def turn_for(
    services: Services,
    *,
    apl: bool,
    setup: Callable[[Profile], None] | None = None,
    **options: Any,
) -> Turn:
    """A real Turn for one intent request (as the skill would build it), with the
    couple's profile changed by `setup` first."""
    event = envelopes.intent_request("SilentSyncIntent", apl=apl, **options)
    envelope = DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope)
    handler_input = HandlerInput(
        request_envelope=envelope,
        attributes_manager=AttributesManager(request_envelope=envelope),
    )
    turn = Turn(handler_input, services, state_types())
    if setup is not None:
        turn.change(setup)
    return turn


def alex_and_sam(profile: Profile) -> None:
    profile.partners = [Partner("Alex"), Partner("Sam")]


def heard_before(said: Said, cue: str) -> int:
    """Estimated milliseconds of the response's speech before the first `cue`."""
    at = said.ssml.index(cue)
    marked = f"{said.ssml[:at]}<cue-here/>{said.ssml[at:]}"
    return spoken_ms(marked, until="cue-here")
