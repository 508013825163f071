"""Only the botocore data our clients read, so that making a client at a cold start
reads its own service's files instead of botocore's whole data tree.

Making a botocore client lists every service directory botocore has (about 450, twice),
parses endpoints.json (1.2 MB, every service of every partition) and gunzips its model:
about 30 ms of a Lambda cold start. The build (`skill.packaging`) writes a lean copy of
that data into the bundle, from the botocore release the bundle was resolved against:
the partitions with only the services in `SERVICES`, and those services' models without
their documentation, all as plain compact JSON. `made_from_lean_data` makes a client
that reads that copy and nothing else (botocore's `Loader` with its default search paths
off, a documented extension point), when the running botocore is the copy's release or
newer. Where no copy exists (a checkout, the local chat, the tests) botocore's own data
is used, unchanged.

Stdlib only at import: the build imports this module without botocore."""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import botocore.loaders
    import botocore.session

log = logging.getLogger(__name__)
_Client = TypeVar("_Client")

DATA_DIR = Path(__file__).with_name("botocore_data")  # written by the build only
SERVICES = ("dynamodb", "ssm")  # the store's client; the user-id key's fallback client
TOP_LEVEL_FILES = ("_retry.json", "partitions.json", "sdk-default-configuration.json")
ENDPOINTS_FILE = "endpoints.json"
# What a client reads from a service's API-version folder (waiters and paginators only
# when asked for; kept so that nothing a client can do finds its data missing).
SERVICE_FILE_PREFIXES = ("service-2.", "endpoint-rule-set-1.", "paginators-1.", "waiters-2.")
MANIFEST_FILE = "steady-lean-data.json"


class DataFolder(Protocol):
    """What botocore's data folder offers, as a directory (`pathlib.Path`) or inside a
    wheel (`zipfile.Path`)."""

    @property
    def name(self) -> str: ...

    def __truediv__(self, child: str) -> DataFolder: ...

    def iterdir(self) -> Iterator[DataFolder]: ...

    def is_dir(self) -> bool: ...

    def is_file(self) -> bool: ...

    def read_bytes(self) -> bytes: ...


def write_lean_data(source: DataFolder, out: Path, *, botocore_version: str) -> list[str]:
    """Write the lean copy of `source` (a botocore `data` folder) into `out`; return the
    files written (relative paths). Raises ValueError if `source` lacks a service."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    for name in TOP_LEVEL_FILES:
        _write_json(out / name, read_json(source / name))
        written.append(name)
    endpoints = read_json(source / ENDPOINTS_FILE)
    for partition in endpoints["partitions"]:
        services = partition.get("services", {})
        partition["services"] = {k: v for k, v in services.items() if k in SERVICES}
    _write_json(out / ENDPOINTS_FILE, endpoints)
    written.append(ENDPOINTS_FILE)
    for service in SERVICES:
        version = _latest_api_version(source / service)
        if version is None:
            raise ValueError(f"botocore {botocore_version} has no model for {service}")
        folder = out / service / version.name
        folder.mkdir(parents=True, exist_ok=True)
        for file in sorted(version.iterdir(), key=lambda f: f.name):
            if not (file.is_file() and file.name.startswith(SERVICE_FILE_PREFIXES)):
                continue
            data = read_json(file)
            if file.name.startswith("service-2."):
                data = without_documentation(data)
            name = file.name.removesuffix(".gz")  # gunzipping costs more than the bytes
            _write_json(folder / name, data)
            written.append(f"{service}/{version.name}/{name}")
    manifest = {"botocore": botocore_version, "services": list(SERVICES), "files": written}
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
    return written


def read_json(file: DataFolder) -> dict[str, Any]:
    """A botocore data file, plain or gzipped."""
    raw = file.read_bytes()
    data: dict[str, Any] = json.loads(gzip.decompress(raw) if file.name.endswith(".gz") else raw)
    return data


def without_documentation(model: dict[str, Any]) -> dict[str, Any]:
    """A service model without the documentation of its operations and shapes (four
    fifths of its text; botocore reads it only to write docstrings, with `.get`)."""
    kept = dict(model)
    for section in ("operations", "shapes"):
        entries = kept.get(section)
        if isinstance(entries, dict):
            kept[section] = {name: _undocumented(entry) for name, entry in entries.items()}
    return kept


# Where an operation or a shape refers to shapes, each reference may carry documentation;
# "members" maps member names (kept whatever they are) to references.
_REFERENCES = ("input", "output", "member", "key", "value")


def _undocumented(entry: Any) -> Any:
    """An operation, a shape or a shape reference without its own documentation."""
    if not isinstance(entry, dict):
        return entry
    bare = {k: v for k, v in entry.items() if k != "documentation"}
    for name in _REFERENCES:
        if name in bare:
            bare[name] = _undocumented(bare[name])
    if isinstance(bare.get("members"), dict):
        bare["members"] = {name: _undocumented(ref) for name, ref in bare["members"].items()}
    if isinstance(bare.get("errors"), list):
        bare["errors"] = [_undocumented(ref) for ref in bare["errors"]]
    return bare


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _latest_api_version(service: DataFolder) -> DataFolder | None:
    """The newest API-version folder with a service model, as botocore picks it."""
    if not service.is_dir():
        return None
    versions = [
        folder
        for folder in service.iterdir()
        if folder.is_dir() and any(f.name.startswith("service-2.") for f in folder.iterdir())
    ]
    return max(versions, key=lambda folder: folder.name, default=None)


def lean_loader(
    data_dir: Path | None = None, runtime_version: str | None = None
) -> botocore.loaders.Loader | None:
    """A botocore loader that reads only `data_dir` (default: the bundle's copy), or
    None where there is no copy, or where the running botocore (`runtime_version`,
    default botocore's own) is older than the release the copy was taken from: botocore
    reads data older than itself (custom models in `AWS_DATA_PATH` rely on that), but
    an older botocore may not know a newer model's or endpoint rule set's terms."""
    data_dir = data_dir or DATA_DIR
    try:
        manifest = json.loads((data_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if runtime_version is None:
        import botocore

        runtime_version = str(botocore.__version__)
    copied_from = str(manifest.get("botocore", "")) if isinstance(manifest, dict) else ""
    if release(runtime_version) < release(copied_from):
        log.info(
            "botocore is older than its lean data; using botocore's own",
            extra={"botocore": runtime_version, "lean_data": copied_from},
        )
        return None
    from botocore.loaders import Loader

    return Loader(extra_search_paths=[str(data_dir)], include_default_search_paths=False)


def release(version: str) -> tuple[int, ...]:
    """ "1.44.8" as (1, 44, 8); what is not a number ends it ("" is (), the oldest)."""
    parts: list[int] = []
    for part in version.split("."):
        if not part.isdigit():
            break
        parts.append(int(part))
    return tuple(parts)


def use_lean_data(session: botocore.session.Session, data_dir: Path | None = None) -> bool:
    """Give `session` the lean loader if the bundle has one (True). Its clients made
    afterwards read only the lean copy."""
    loader = lean_loader(data_dir)
    if loader is None:
        return False
    session.register_component("data_loader", loader)
    return True


def made_from_lean_data(
    session: botocore.session.Session, make: Callable[[], _Client], data_dir: Path | None = None
) -> _Client:
    """`make()` (which makes a client of `session`) with the bundle's lean copy where
    there is one; should the running botocore refuse the copy (a file it wants is not
    in it), once more with botocore's own data, said in one log line."""
    from botocore.exceptions import DataNotFoundError, UnknownServiceError

    if not use_lean_data(session, data_dir):
        return make()
    try:
        return make()
    except (DataNotFoundError, UnknownServiceError):
        from botocore.loaders import create_loader

        log.warning("lean botocore data refused; using botocore's own")
        session.register_component("data_loader", create_loader())
        return make()
