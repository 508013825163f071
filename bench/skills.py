"""The skills under test, built in this process: ours (skill.app) and the baseline
(bench/baseline), each over an in-memory store and over the local DynamoDB. Each
comes as `answer(request) -> response` plus the object that counts its store calls."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from bench.env import REGION, USER_ID_SECRET
from bench.mix import JsonDict
from bench.warm import Counted
from skill.app import build_skill, handle_event
from skill.chat.envelopes import DEFAULT_SKILL_ID
from skill.settings import Settings
from skill.store.dynamo import CallCounter
from skill.store.memory import MemoryStore
from skill.turn import Services

Answer = Callable[[JsonDict], JsonDict]
BASELINE_MODULE = "bench.baseline.lambda_function"


def our_settings(data_dir: Path, table: str | None = None, endpoint: str | None = None) -> Settings:
    env = {
        "STEADY_DATA_DIR": str(data_dir),
        "STEADY_USER_ID_SECRET": USER_ID_SECRET,
        "STEADY_SKILL_ID": DEFAULT_SKILL_ID,
        "AWS_REGION": REGION,
    }
    if table is not None and endpoint is not None:
        env |= {"STEADY_TABLE": table, "STEADY_DYNAMODB_ENDPOINT": endpoint}
    return Settings.from_env(env)


def _ours(services: Services) -> Answer:
    skill = build_skill(services)

    def answer(request: JsonDict) -> JsonDict:
        return handle_event(request, skill=skill)

    return answer


def our_memory(data_dir: Path) -> tuple[Answer, Counted]:
    store = MemoryStore()
    return _ours(Services(our_settings(data_dir), lambda _settings: store)), store


def our_dynamo(data_dir: Path, endpoint: str, table: str) -> tuple[Answer, Counted]:
    services = Services(our_settings(data_dir, table, endpoint))
    store = services.store
    if not isinstance(store, Counted):
        raise TypeError("the DynamoDB store has no reads/writes counters")
    return _ours(services), store


def _baseline_module(endpoint: str, table: str) -> ModuleType:
    """Import the sample once, its environment set first: it builds its boto3
    resource at import, pointed at whatever the environment says then."""
    wanted = {
        "DYNAMODB_PERSISTENCE_TABLE_NAME": table,
        "DYNAMODB_PERSISTENCE_REGION": REGION,
        "BASELINE_DYNAMODB_ENDPOINT": endpoint,
    }
    already = sys.modules.get(BASELINE_MODULE)
    if already is not None:
        if str(already.ddb_resource.meta.client.meta.endpoint_url) != endpoint:
            raise RuntimeError("the baseline was imported for another endpoint")
        return already
    os.environ.update(wanted)
    return importlib.import_module(BASELINE_MODULE)


def baseline_memory(endpoint: str, table: str) -> tuple[Answer, Counted]:
    """The sample's handlers over an in-memory adapter (pure compute)."""
    from bench.baseline.memory_adapter import MemoryAdapter

    module = _baseline_module(endpoint, table)
    adapter = MemoryAdapter()
    handler = module.skill_builder(adapter).lambda_handler()
    return lambda request: handler(request, None), adapter


def baseline_dynamo(endpoint: str, table: str) -> tuple[Answer, Counted]:
    """The sample's module-level `lambda_handler`, exactly as Lambda would call it
    (a new CustomSkill per call, as `SkillBuilder.lambda_handler` makes it)."""
    module = _baseline_module(endpoint, table)
    counter = CallCounter()
    client = module.ddb_resource.meta.client
    client.meta.events.register("before-call.dynamodb", counter.on_before_call)
    handler = module.lambda_handler
    return lambda request: handler(request, None), counter


FLOOR_MODULE = "bench.floor.lambda_function"


def floor_dynamo(endpoint: str, table: str) -> Answer:
    """The floor's `lambda_handler` (bench/floor), its pynamodb model pointed at the
    local DynamoDB through the environment it reads at import. It counts nothing
    itself: the local DynamoDB's meter (bench.capacity.MotoMeter) does."""
    os.environ.update({"FLOOR_TABLE": table, "FLOOR_DYNAMODB_ENDPOINT": endpoint})
    module = sys.modules.get(FLOOR_MODULE) or importlib.import_module(FLOOR_MODULE)
    handler = module.lambda_handler
    return lambda request: handler(request, None)
