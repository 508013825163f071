"""One turn of conversation: the request's facts, the couple's state loaded at most
once, the changes to save, and the renderer. Handlers get it with `Turn.of()`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest, RequestEnvelope
from ask_sdk_model.canfulfill import CanFulfillIntentRequest

from skill.domain.clock import (
    LocalClock,
    ZoneSource,
    locale_zone,
    zone_is_fresh,
    zone_named,
)
from skill.domain.couple import Profile, iso
from skill.domain.events import Event, EventKind
from skill.domain.names import strip_invisible
from skill.domain.reflection import with_capitals
from skill.domain.safety.verdict import CLEAR, Assessment, Disclosure, language_of
from skill.domain.spoken_answer import without_hedges
from skill.intents import Intent
from skill.privacy import couple_key, request_key, voice_key
from skill.session import SessionState, StateTypes
from skill.settings import Settings
from skill.speech.content import Content, content_for
from skill.speech.render import Renderer
from skill.store.base import Commit, CoupleStore, ProfileChange, StoredProfile, StoreError

log = logging.getLogger(__name__)

_TURN_KEY = "steady.turn"
# Requests that carry an intent and its slots: a turn, and Alexa asking whether the
# skill could take it (a name-free request, skill.handlers.can_fulfill).
_WITH_INTENT = (IntentRequest, CanFulfillIntentRequest)
# What kind of text each slot carries, for the safety screen's carriers.
SLOT_KINDS: dict[str, str] = {
    "need": "need",
    "feeling": "feeling",
    "note": "note",
    "name": "name",
    "first_name": "name",
    "second_name": "name",
    "partner": "name",
    "topic": "topic",
}
# Slots whose words are the couple's own (a note, a need, a topic, a step, a repair
# word): kept as said, even when they happen to match a listed value.
OWN_WORDS_SLOTS = frozenset({"note", "need", "topic", "step", "phrase"})


class Services:
    """What every turn shares, built once per process; the store and the user-id
    secret are made on first use so a cold start pays only for what it needs."""

    def __init__(
        self,
        settings: Settings,
        store_factory: Callable[[Settings], CoupleStore] | None = None,
    ) -> None:
        self.settings = settings
        self._store_factory = store_factory or _default_store
        self._store: CoupleStore | None = None
        self._secret: bytes | None = None
        self._lock = threading.Lock()

    @property
    def store(self) -> CoupleStore:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = self._store_factory(self.settings)
        return self._store

    def warm(self) -> None:
        """Do now what the first request would otherwise do: read the user-id key,
        open the store and build its client."""
        _ = self.secret
        warm = getattr(self.store, "warm", None)
        if callable(warm):
            warm()

    def forget_connections(self) -> None:
        """Drop the store (and its pooled sockets and credentials): after a SnapStart
        restore they belong to another machine. The next use builds them anew."""
        with self._lock:
            self._store = None

    @property
    def secret(self) -> bytes:
        if self._secret is None:
            self._secret = self.settings.user_id_secret()
        return self._secret


def _default_store(settings: Settings) -> CoupleStore:
    from skill.store.factory import store_from_settings

    return store_from_settings(
        table=settings.table,
        endpoint=settings.dynamodb_endpoint,
        data_dir=settings.data_dir,
        region=settings.region,
        event_ttl_days=settings.event_ttl_days,
    )


@dataclass(frozen=True)
class SlotReading:
    """A slot as heard: the raw value and, for custom types, the resolved id."""

    raw: str | None
    resolved_id: str | None = None
    resolved_name: str | None = None
    no_match: bool = False
    own_words: bool = False

    @property
    def value(self) -> str | None:
        """What was heard for a slot of the couple's own words; otherwise the
        canonical name when resolved, else what was heard. Words heard are kept
        without the hedges around them ("um, I guess tired" is "tired"), and the
        couple's own words with the capitals recognition drops ("Friday")."""
        if self.resolved_name and not self.own_words:
            return self.resolved_name
        visible = strip_invisible(self.raw) if self.raw else ""
        if not visible:
            return None  # nothing heard, or only invisible characters
        kept = without_hedges(visible)
        return with_capitals(kept) if self.own_words else kept


class Turn:
    def __init__(
        self, handler_input: HandlerInput, services: Services, state_types: StateTypes
    ) -> None:
        """`state_types`: each practice's state type, to read the session with."""
        self.handler_input = handler_input
        self.services = services
        envelope: RequestEnvelope = handler_input.request_envelope
        self.envelope = envelope
        self.request = envelope.request
        self.request_id: str = getattr(self.request, "request_id", None) or "no-request-id"
        stamp = getattr(self.request, "timestamp", None)
        self.now: datetime = _as_utc(stamp) if isinstance(stamp, datetime) else datetime.now(UTC)
        self.locale: str = getattr(self.request, "locale", None) or "en-US"
        self.content: Content = content_for(self.locale)
        self.renderer = Renderer(self.content, self.request_id)
        session = envelope.session
        self.is_new_session = bool(session is None or session.new)
        attributes = handler_input.attributes_manager.session_attributes if session else {}
        self.state = SessionState.from_attributes(attributes, state_types)
        self._stored: StoredProfile | None = None
        self._profile: Profile | None = None
        self._loaded = False
        self._copied = False
        self._commit = Commit()
        self._event_count = 0
        self._assessment: Assessment | None = None
        self._clock: LocalClock | None = None
        self._after_save: list[Callable[[], None]] = []
        self._carried: tuple[dict[str, str], dict[str, str]] = ({}, {})
        self.saved = False

    # -- access -----------------------------------------------------------------

    @staticmethod
    def of(handler_input: HandlerInput) -> Turn:
        turn = handler_input.attributes_manager.request_attributes.get(_TURN_KEY)
        if not isinstance(turn, Turn):
            raise RuntimeError("the turn interceptor did not run")
        return turn

    def attach(self) -> None:
        self.handler_input.attributes_manager.request_attributes[_TURN_KEY] = self

    @staticmethod
    def detach(handler_input: HandlerInput) -> None:
        """Let go of the turn once the response is made. The turn holds its handler
        input, whose request attributes hold the turn: left linked, the whole turn
        (envelope, profile, its copies) is freed by the cycle collector instead of
        when the request ends, and the collections it causes land inside turns."""
        handler_input.attributes_manager.request_attributes.pop(_TURN_KEY, None)

    # -- the request ------------------------------------------------------------------

    @property
    def intent(self) -> Intent | None:
        if not isinstance(self.request, _WITH_INTENT) or self.request.intent is None:
            return None
        try:
            return Intent(str(self.request.intent.name))
        except ValueError:
            return None

    def carry(self, raw: dict[str, str], ids: dict[str, str]) -> None:
        """Slots heard on an earlier turn of this session (the request that set-up
        interrupted), read where this request has none of its own."""
        self._carried = (dict(raw), dict(ids))

    def heard_slots(self) -> tuple[dict[str, str], dict[str, str]]:
        """This request's filled slots: their raw values, and the ids they resolved to."""
        raw: dict[str, str] = {}
        ids: dict[str, str] = {}
        if not isinstance(self.request, _WITH_INTENT) or self.request.intent is None:
            return raw, ids
        for name in self.request.intent.slots or {}:
            reading = self.slot(name)
            if reading.raw:
                raw[name] = reading.raw
                if reading.resolved_id:
                    ids[name] = reading.resolved_id
        return raw, ids

    def slot(self, name: str) -> SlotReading:
        own = self._own_slot(name)
        if own.raw is None and name in self._carried[0]:
            return SlotReading(
                self._carried[0][name],
                self._carried[1].get(name),
                own_words=name in OWN_WORDS_SLOTS,
            )
        return own

    def _own_slot(self, name: str) -> SlotReading:
        if not isinstance(self.request, _WITH_INTENT) or self.request.intent is None:
            return SlotReading(None)
        slot = (self.request.intent.slots or {}).get(name)
        if slot is None or not slot.value:
            return SlotReading(None)
        raw = str(slot.value).strip() or None
        authorities = (slot.resolutions.resolutions_per_authority or []) if slot.resolutions else []
        # Dynamic entities (the couple's own words) take precedence, as on Alexa.
        ordered = sorted(authorities, key=lambda a: ".dynamic." not in (a.authority or ""))
        # Loaded already when the request carries resolutions (the envelope's own
        # types); a request without slots, a launch, never imports it.
        from ask_sdk_model.slu.entityresolution import StatusCode

        no_match = False
        for authority in ordered:
            code = authority.status.code if authority.status else None
            value = authority.values[0].value if authority.values else None
            if code is StatusCode.ER_SUCCESS_MATCH and value is not None:
                return SlotReading(raw, value.id, value.name, own_words=name in OWN_WORDS_SLOTS)
            if code is StatusCode.ER_SUCCESS_NO_MATCH:
                no_match = True
        return SlotReading(raw, no_match=no_match, own_words=name in OWN_WORDS_SLOTS)

    def heard_texts(self) -> list[tuple[str, str]]:
        """Every piece of text this request carries, with its slot's kind: the raw
        value and, when entity resolution named one, the resolved value too."""
        if not isinstance(self.request, _WITH_INTENT) or self.request.intent is None:
            return []
        texts: list[tuple[str, str]] = []
        for name in self.request.intent.slots or {}:
            kind = SLOT_KINDS.get(str(name), "free")
            reading = self.slot(str(name))
            for text in dict.fromkeys(t for t in (reading.raw, reading.resolved_name) if t):
                texts.append((kind, text))
        return texts

    @property
    def disclosure(self) -> Disclosure | None:
        """What the safety screen finds in the request's text, before anything else
        reads it. Screened again with the couple's names ("I'm scared of Sam") when
        the profile can be read; a store that cannot answer never delays help."""
        return self.safety.disclosure

    @property
    def unsure(self) -> bool:
        """No clear disclosure, but words that may be one: the skill asks, gently,
        whether the person is safe before anything reads them."""
        return self.safety.disclosure is None and self.safety.unsure

    @property
    def safety(self) -> Assessment:
        if self._assessment is None:
            self._assessment = self._screen()
        return self._assessment

    def _screen(self) -> Assessment:
        texts = self.heard_texts()
        if not texts:
            return CLEAR
        # The screen's engine and data load with the first text heard, not at import:
        # a launch hears none (about 10 ms of a cold start; the first text pays it).
        from skill.domain.safety.screen import screen_for

        screen = screen_for(language_of(self.content.locale))
        # Each text normalised and judged once: read again with the names, only what
        # a name said in it changes is judged again.
        heard = [screen.heard(kind, text) for kind, text in texts]
        unsure = False
        for text in heard:
            found = text.assess()
            if found.disclosure is not None:
                return found
            unsure = unsure or found.unsure
        if any(text.might_disclose() for text in heard):
            names = self._names_if_known()
            for text in heard if names else ():
                found = text.assess(names)
                if found.disclosure is not None:
                    return found
                unsure = unsure or found.unsure
        return Assessment(unsure=unsure)

    def _names_if_known(self) -> tuple[str, ...]:
        try:
            profile = self.profile
        except StoreError:
            return ()
        return tuple(partner.name for partner in profile.partners)

    @property
    def user_id(self) -> str:
        system = self.envelope.context.system if self.envelope.context else None
        if system is not None and system.user is not None and system.user.user_id:
            return str(system.user.user_id)
        if self.envelope.session is not None and self.envelope.session.user is not None:
            return str(self.envelope.session.user.user_id)
        return "anonymous"

    @property
    def couple_id(self) -> str:
        return couple_key(self.services.secret, self.user_id)

    @property
    def voice_id(self) -> str | None:
        system = self.envelope.context.system if self.envelope.context else None
        person = system.person if system is not None else None
        if person is None or not person.person_id:
            return None
        return voice_key(self.services.secret, str(person.person_id))

    def supports(self, interface: str) -> bool:
        system = self.envelope.context.system if self.envelope.context else None
        device = system.device if system is not None else None
        interfaces = device.supported_interfaces if device is not None else None
        return interfaces is not None and getattr(interfaces, interface, None) is not None

    # -- the couple's own clock --------------------------------------------------------------

    @property
    def clock(self) -> LocalClock:
        """Now on the couple's local clock: the configured zone (the chat's --tz), else
        the device's as kept in the profile (read again through the Settings API at
        most once a day), else the main zone of the locale, silently."""
        if self._clock is None:
            self._clock = self._local_clock()
        return self._clock

    @property
    def today(self) -> date:
        """Today, on the couple's local calendar."""
        return self.clock.today

    def _local_clock(self) -> LocalClock:
        fixed = zone_named(self.services.settings.time_zone)
        if fixed is not None:
            return LocalClock(fixed, self.now, ZoneSource.FIXED)
        try:
            profile = self.profile
        except StoreError:
            return LocalClock(locale_zone(self.locale), self.now)
        kept = zone_named(profile.time_zone)
        from skill.alexa_api import device_time_zone, time_zone_reachable

        if not zone_is_fresh(profile.time_zone_checked, self.now) and time_zone_reachable(
            self.handler_input
        ):
            # Read again at most once a day; a failure keeps what we had, said nowhere.
            read = zone_named(device_time_zone(self.handler_input))
            kept = read or kept
            self._keep_zone(kept.key if kept is not None else None)
        if kept is not None:
            return LocalClock(kept, self.now, ZoneSource.DEVICE)
        return LocalClock(locale_zone(self.locale), self.now)

    def _keep_zone(self, name: str | None) -> None:
        """Keep the zone in the profile (a couple already set up), checked now."""
        if not self.profile.is_set_up:
            return
        checked = iso(self.now)

        def keep(profile: Profile) -> None:
            profile.time_zone = name
            profile.time_zone_checked = checked

        self.change(keep)

    # -- the couple's state: read at most once, written at most once -----------------------

    @property
    def profile(self) -> Profile:
        """The couple's profile: as read, until the turn's first change copies it (a
        turn that changes nothing copies nothing). Read it, never mutate it: change it
        through `change`."""
        if not self._loaded:
            self._stored = self.services.store.load(self.couple_id)
            self._profile = self._stored.profile if self._stored else Profile()
            self._loaded = True
        assert self._profile is not None
        return self._profile

    def change(self, change: ProfileChange) -> None:
        """Apply a change now (this turn sees it) and keep it to apply on save."""
        profile = self.profile
        if not self._copied:
            # A working copy: the stored base stays as read, so the store can apply
            # this turn's changes to it exactly once.
            profile = self._profile = profile.copy()
            self._copied = True
        change(profile)
        self._commit.changes.append(change)

    def record(self, kind: EventKind, /, **data: str | int) -> Event:
        self._event_count += 1
        event = Event(kind, self.now, f"{request_key(self.request_id)}-{self._event_count}", data)
        self._commit.events.append(event)
        return event

    def save(self) -> None:
        """Write what changed, once. Raises StoreError: nothing is claimed saved then."""
        if self._commit.is_empty:
            self._renew_if_due()
        else:
            self.profile  # noqa: B018 -- the base version must be known before writing
            self._stored = self.services.store.commit(self.couple_id, self._stored, self._commit)
            self._commit = Commit()
            self.saved = True
        actions, self._after_save = self._after_save, []
        for action in actions:
            action()

    def after_save(self, action: Callable[[], None]) -> None:
        """Run `action` once this turn's changes are written (never if they are not):
        for what must follow a kept change inside the request, such as the alert that
        a thank-you waits. `action` handles its own failures."""
        self._after_save.append(action)

    def _renew_if_due(self) -> None:
        """A couple who only listens still keeps their profile: at most once a month, a
        turn that changes nothing writes it again, for its new expiry. Nothing is said
        about it, so a failure is only logged."""
        stored = self._stored
        if not self._loaded or stored is None or not stored.renew_due:
            return
        if not stored.profile.is_set_up:
            return
        try:
            self._stored = self.services.store.commit(self.couple_id, stored, Commit(renew=True))
        except StoreError:
            log.info("profile expiry not renewed this turn")

    def forget_pending(self) -> None:
        self._commit = Commit()
        self._after_save = []

    @property
    def has_pending_changes(self) -> bool:
        return not self._commit.is_empty

    def speaker_name(self) -> str | None:
        speaker = self.state.speaker
        if speaker is None or not self.profile.is_set_up:
            return None
        return self.profile.name_of(speaker)

    def session_attributes(self) -> dict[str, Any]:
        return self.state.to_attributes()


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
