"""The lean botocore data the bundle carries (skill.store.botocore_data): made from
botocore's own data, it keeps every partition and the two services our clients call;
a store and the key's SSM client made from it work against the local AWS stand-ins and
read nothing else; where it is missing or refused, botocore's own data is used."""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path
from typing import Any

import boto3
import botocore
import botocore.session
import pytest
from botocore.model import ServiceModel, Shape, StructureShape

from skill import settings as settings_module
from skill.domain.events import EventKind
from skill.store import botocore_data
from skill.store.base import Commit, StoredProfile
from skill.store.dynamo import DynamoStore
from tests.fixtures.moto_server import DynamoTable

from .profiles import COUPLE, bump, named, sync_event

BOTOCORE_DATA = Path(botocore.__file__).parent / "data"
VERSION = botocore.__version__


@pytest.fixture(scope="module")
def lean_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lean") / "botocore_data"
    botocore_data.write_lean_data(BOTOCORE_DATA, out, botocore_version=VERSION)
    return out


def _read_json(path: Path) -> dict[str, object]:
    found: dict[str, object] = json.loads(path.read_text())
    return found


def test_the_copy_keeps_every_partition_with_only_our_services(lean_dir: Path) -> None:
    full = json.loads((BOTOCORE_DATA / "endpoints.json").read_text())
    lean = json.loads((lean_dir / "endpoints.json").read_text())
    assert [p["partition"] for p in lean["partitions"]] == [
        p["partition"] for p in full["partitions"]
    ]
    for kept, source in zip(lean["partitions"], full["partitions"], strict=True):
        assert kept["regions"] == source["regions"]
        assert kept["defaults"] == source["defaults"]
        assert set(kept["services"]) == set(source["services"]) & set(botocore_data.SERVICES)
        for service in kept["services"]:
            assert kept["services"][service] == source["services"][service]
    assert "dynamodb" in lean["partitions"][0]["services"]
    assert (lean_dir / "endpoints.json").stat().st_size < 50_000  # botocore's: over 1 MB


def test_the_copy_holds_each_service_model_without_its_documentation(lean_dir: Path) -> None:
    manifest = _read_json(lean_dir / botocore_data.MANIFEST_FILE)
    assert manifest["botocore"] == VERSION
    assert sorted(p.name for p in lean_dir.iterdir() if p.is_dir()) == ["dynamodb", "ssm"]
    for service in botocore_data.SERVICES:
        [lean_file] = (lean_dir / service).glob("*/service-2.json")
        [full_file] = (BOTOCORE_DATA / service / lean_file.parent.name).glob("service-2.json*")
        lean = ServiceModel(json.loads(lean_file.read_text()), service)
        full = ServiceModel(botocore_data.read_json(full_file), service)
        assert lean.operation_names == full.operation_names
        assert lean.metadata == full.metadata
        assert lean_file.stat().st_size < full_file.stat().st_size * 2  # the .gz: ~4× smaller
        for name in full.operation_names:
            kept, source = lean.operation_model(name), full.operation_model(name)
            assert kept.documentation == ""
            assert kept.http == source.http
            assert [e.name for e in kept.error_shapes] == [e.name for e in source.error_shapes]
            for shape in (kept.input_shape, kept.output_shape):
                assert shape is None or shape.documentation == ""
            assert _members(kept.input_shape) == _members(source.input_shape)
            assert _members(kept.output_shape) == _members(source.output_shape)
    for name in botocore_data.TOP_LEVEL_FILES:
        assert _read_json(lean_dir / name) == _read_json(BOTOCORE_DATA / name)


def _members(shape: Shape | None, depth: int = 3) -> object:
    """A shape's structure, its documentation aside: member names, types and
    serialization, a few levels down."""
    if shape is None:
        return None
    found: dict[str, object] = {"type": shape.type_name, "serialization": shape.serialization}
    if depth and isinstance(shape, StructureShape):
        found["members"] = {k: _members(v, depth - 1) for k, v in shape.members.items()}
    return found


def test_documentation_goes_and_members_named_documentation_stay() -> None:
    model = {
        "metadata": {"protocol": "json"},
        "operations": {
            "Op": {"documentation": "d", "input": {"shape": "In", "documentation": "x"}}
        },
        "shapes": {
            "In": {
                "type": "structure",
                "documentation": "y",
                "members": {"documentation": {"shape": "S", "documentation": "z"}},
            },
            "S": {"type": "string"},
        },
    }
    assert botocore_data.without_documentation(model) == {
        "metadata": {"protocol": "json"},
        "operations": {"Op": {"input": {"shape": "In"}}},
        "shapes": {
            "In": {"type": "structure", "members": {"documentation": {"shape": "S"}}},
            "S": {"type": "string"},
        },
    }


def test_the_copy_from_a_wheel_equals_the_copy_from_a_folder(
    lean_dir: Path, tmp_path: Path
) -> None:
    """The build reads botocore's wheel: a zip holding botocore/data/..., here with a
    service we do not call beside ours."""
    wheel = tmp_path / f"botocore-{VERSION}-py3-none-any.whl"
    wanted = ["dynamodb", "ssm", "sqs"]
    with zipfile.ZipFile(wheel, "w") as archive:
        for path in BOTOCORE_DATA.iterdir():
            if path.is_file():
                archive.write(path, f"botocore/data/{path.name}")
        for service in wanted:
            for path in (BOTOCORE_DATA / service).rglob("*"):
                if path.is_file():
                    archive.write(path, f"botocore/{path.relative_to(BOTOCORE_DATA.parent)}")
    out = tmp_path / "from-wheel"
    with zipfile.ZipFile(wheel) as archive:
        written = botocore_data.write_lean_data(
            zipfile.Path(archive, "botocore/data/"), out, botocore_version=VERSION
        )
    assert not any(name.startswith("sqs/") for name in written)
    for name in written:
        assert (out / name).read_bytes() == (lean_dir / name).read_bytes(), name


def test_a_botocore_without_one_of_our_services_stops_the_copy(tmp_path: Path) -> None:
    source = tmp_path / "data"
    source.mkdir()
    for name in (*botocore_data.TOP_LEVEL_FILES, botocore_data.ENDPOINTS_FILE):
        (source / name).write_bytes((BOTOCORE_DATA / name).read_bytes())
    with pytest.raises(ValueError, match="dynamodb"):
        botocore_data.write_lean_data(source, tmp_path / "out", botocore_version="0")


def test_without_a_copy_botocore_keeps_its_own_data(tmp_path: Path) -> None:
    session = botocore.session.get_session()
    assert botocore_data.lean_loader(tmp_path / "absent") is None
    assert botocore_data.use_lean_data(session, tmp_path / "absent") is False
    paths = session.get_component("data_loader").search_paths
    assert str(BOTOCORE_DATA) in paths


def _search_paths(store: DynamoStore) -> list[str]:
    client: Any = store._models.connection.client  # the one client it made
    return list(client._loader.search_paths)


def test_a_store_made_from_the_copy_saves_reads_and_forgets(
    dynamo_table: DynamoTable, lean_dir: Path
) -> None:
    store = DynamoStore(
        dynamo_table.name,
        region=dynamo_table.region,
        endpoint=dynamo_table.endpoint,
        lean_data_dir=lean_dir,
    )
    base = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    saved = store.commit(COUPLE, base, Commit([bump], [sync_event("a")]))
    assert _search_paths(store) == [str(lean_dir)]
    loaded = store.load(COUPLE)
    assert loaded is not None and loaded.profile == saved.profile
    assert [p.name for p in loaded.profile.partners] == ["Alex", "Sam"]
    assert loaded.profile.sync_count == 1 and loaded.version == 2
    assert [e.id for e in store.events(COUPLE, EventKind.SYNC)] == ["a"]
    assert store.delete_couple(COUPLE).finished
    assert store.load(COUPLE) is None


def test_a_copy_the_runtime_refuses_falls_back_to_botocore_data(
    dynamo_table: DynamoTable, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A copy without the DynamoDB model (as a runtime botocore that wanted another
    file would find it): the store says so once and uses botocore's own data."""
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / botocore_data.MANIFEST_FILE).write_text("{}")
    store = DynamoStore(
        dynamo_table.name,
        region=dynamo_table.region,
        endpoint=dynamo_table.endpoint,
        lean_data_dir=broken,
    )
    with caplog.at_level(logging.WARNING, logger="skill.store.botocore_data"):
        saved = store.commit(COUPLE, None, Commit([named("Alex", "Sam")]))
    assert store.load(COUPLE) == StoredProfile(saved.profile, 1)
    assert str(BOTOCORE_DATA) in _search_paths(store)
    assert [r.getMessage() for r in caplog.records] == [
        "lean botocore data refused; using botocore's own"
    ]


def test_the_keys_ssm_client_reads_the_copy(
    moto_endpoint: str, lean_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", moto_endpoint)
    monkeypatch.setattr(botocore_data, "DATA_DIR", lean_dir)
    ssm = boto3.client("ssm", region_name="us-east-1", endpoint_url=moto_endpoint)
    ssm.put_parameter(Name="/lean/key", Value="lean-key", Type="SecureString", Overwrite=True)
    made: list[list[str]] = []
    original = botocore.session.Session.create_client

    def spy(self: botocore.session.Session, *args: object, **kwargs: object) -> object:
        made.append(list(self.get_component("data_loader").search_paths))
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(botocore.session.Session, "create_client", spy)
    assert settings_module._secret_from_ssm("/lean/key", "us-east-1") == b"lean-key"
    assert made == [[str(lean_dir)]]


def test_the_keys_ssm_client_falls_back_to_botocore_data_when_the_copy_is_refused(
    moto_endpoint: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / botocore_data.MANIFEST_FILE).write_text("{}")
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", moto_endpoint)
    monkeypatch.setattr(botocore_data, "DATA_DIR", broken)
    ssm = boto3.client("ssm", region_name="us-east-1", endpoint_url=moto_endpoint)
    ssm.put_parameter(Name="/lean/key2", Value="own-data", Type="SecureString", Overwrite=True)
    with caplog.at_level(logging.WARNING, logger="skill.store.botocore_data"):
        assert settings_module._secret_from_ssm("/lean/key2", "us-east-1") == b"own-data"
    assert [r.getMessage() for r in caplog.records] == [
        "lean botocore data refused; using botocore's own"
    ]
    assert "own-data" not in caplog.text


def _endpoint_of(session: botocore.session.Session, service: str, region: str) -> str:
    client = session.create_client(
        service, region_name=region, aws_access_key_id="k", aws_secret_access_key="s"
    )
    return str(client.meta.endpoint_url)


@pytest.mark.parametrize("service", botocore_data.SERVICES)
def test_every_region_of_every_partition_gets_the_same_endpoint_from_the_copy(
    lean_dir: Path, service: str
) -> None:
    """What the copy is for: a client in any region, China and GovCloud included,
    goes where a client made from botocore's whole data goes."""
    full_session, lean_session = botocore.session.get_session(), botocore.session.get_session()
    assert botocore_data.use_lean_data(lean_session, lean_dir)
    endpoints = json.loads((BOTOCORE_DATA / "endpoints.json").read_text())
    regions = [region for p in endpoints["partitions"] for region in p["regions"]]
    assert {"us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"} <= set(regions)
    china = _endpoint_of(lean_session, service, "cn-north-1")
    assert china == f"https://{service}.cn-north-1.amazonaws.com.cn"
    for region in regions:
        expected = _endpoint_of(full_session, service, region)
        assert _endpoint_of(lean_session, service, region) == expected, region


def test_a_botocore_older_than_the_copy_keeps_its_own_data(
    lean_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A Lambda runtime may ship an older botocore than the build resolved: it is never
    handed data newer than itself."""
    major, minor, *_ = botocore_data.release(VERSION)
    with caplog.at_level(logging.INFO, logger="skill.store.botocore_data"):
        assert (
            botocore_data.lean_loader(lean_dir, runtime_version=f"{major}.{minor - 1}.99") is None
        )
    [record] = caplog.records
    assert "older than its lean data" in record.getMessage()
    for same_or_newer in (VERSION, f"{major}.{minor}.999", f"{major}.{minor + 1}.0"):
        loader = botocore_data.lean_loader(lean_dir, runtime_version=same_or_newer)
        assert loader is not None and list(loader.search_paths) == [str(lean_dir)]


def test_release_numbers_compare_as_numbers() -> None:
    assert botocore_data.release("1.44.8") == (1, 44, 8)
    assert botocore_data.release("1.44.10") > botocore_data.release("1.44.9")
    assert botocore_data.release("1.35.0rc1") == (1, 35)
    assert botocore_data.release("") == ()
