"""Upload built cues to S3 under content-hashed names.

A key is `<prefix>/<name>-<sha256[:12]>.mp3`, so an object never changes once written
and can be cached for a year. A key already in the bucket with the same sha256 (kept
in the object's metadata) and size is not uploaded again. The published manifest
(`<prefix>/manifest.json`, name -> hashed file plus duration and hash) changes when
the cues do, so it is served with `no-cache`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from botocore.exceptions import ClientError

from skill.audio_build.manifest import MANIFEST_FILE, BuiltCue, read_manifest

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

AUDIO_CONTENT_TYPE = "audio/mpeg"
AUDIO_CACHE_CONTROL = "public, max-age=31536000, immutable"
MANIFEST_CONTENT_TYPE = "application/json"
MANIFEST_CACHE_CONTROL = "no-cache"
HASH_CHARS = 12
SHA256_METADATA = "sha256"  # stored as x-amz-meta-sha256


def hashed_file_name(cue: BuiltCue) -> str:
    return f"{cue.name}-{cue.sha256[:HASH_CHARS]}.mp3"


def object_key(prefix: str, file_name: str) -> str:
    prefix = prefix.strip("/")
    return f"{prefix}/{file_name}" if prefix else file_name


@dataclass
class PublishResult:
    uploaded: list[str] = field(default_factory=list)  # keys written this time
    unchanged: list[str] = field(default_factory=list)  # keys already there, same content
    published: dict[str, str] = field(default_factory=dict)  # cue name -> hashed file name


def _already_there(s3: S3Client, bucket: str, key: str, sha256: str, size: int) -> bool:
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return False
        raise
    same_hash = head.get("Metadata", {}).get(SHA256_METADATA) == sha256
    return same_hash and head.get("ContentLength") == size


def _put_if_changed(
    s3: S3Client,
    bucket: str,
    key: str,
    body: bytes,
    *,
    content_type: str,
    cache_control: str,
    result: PublishResult,
    progress: TextIO,
) -> None:
    sha256 = hashlib.sha256(body).hexdigest()
    if _already_there(s3, bucket, key, sha256, len(body)):
        result.unchanged.append(key)
        print(f"unchanged {key}", file=progress)
        return
    s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=body,
        ContentType=content_type,
        CacheControl=cache_control,
        Metadata={SHA256_METADATA: sha256},
    )
    result.uploaded.append(key)
    print(f"uploaded  {key} ({len(body)} bytes)", file=progress)


def published_manifest_json(cues: list[BuiltCue]) -> bytes:
    entries = [
        {
            "name": cue.name,
            "file": hashed_file_name(cue),
            "duration_ms": cue.duration_ms,
            "sha256": cue.sha256,
            "bytes": cue.bytes,
        }
        for cue in cues
    ]
    return (json.dumps({"version": 1, "cues": entries}, indent=2, sort_keys=True) + "\n").encode()


def publish_cues(
    s3: S3Client, bucket: str, prefix: str, source: Path, progress: TextIO
) -> PublishResult:
    """Upload every cue in `source` (checked against its manifest) and the published
    manifest; skip what is already there. Raises ManifestError or botocore errors."""
    cues = read_manifest(source)
    result = PublishResult()
    for cue in cues:
        _put_if_changed(
            s3,
            bucket,
            object_key(prefix, hashed_file_name(cue)),
            (source / cue.file).read_bytes(),
            content_type=AUDIO_CONTENT_TYPE,
            cache_control=AUDIO_CACHE_CONTROL,
            result=result,
            progress=progress,
        )
        result.published[cue.name] = hashed_file_name(cue)
    _put_if_changed(
        s3,
        bucket,
        object_key(prefix, MANIFEST_FILE),
        published_manifest_json(cues),
        content_type=MANIFEST_CONTENT_TYPE,
        cache_control=MANIFEST_CACHE_CONTROL,
        result=result,
        progress=progress,
    )
    return result


def base_url_hint(bucket: str, prefix: str, endpoint_url: str, region: str | None) -> str:
    """Where the published files can be fetched from: the STEADY_AUDIO_BASE_URL value."""
    prefix = prefix.strip("/")
    suffix = f"/{prefix}" if prefix else ""
    if "amazonaws.com" not in endpoint_url:  # a local or other S3-compatible endpoint
        return f"{endpoint_url.rstrip('/')}/{bucket}{suffix}"
    region = region or "us-east-1"
    if "." in bucket:  # a dotted bucket breaks the TLS name check of virtual hosts
        return f"https://s3.{region}.amazonaws.com/{bucket}{suffix}"
    return f"https://{bucket}.s3.{region}.amazonaws.com{suffix}"
