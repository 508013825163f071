"""Publishing against moto's S3 server on 127.0.0.1, with fake credentials."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from skill.audio import pacing
from skill.audio_build import cli as audio_cli
from skill.audio_build.manifest import BuiltCue, read_manifest
from skill.audio_build.publish import base_url_hint, hashed_file_name, object_key, publish_cues

from .conftest import Build

BUCKET = "steady-audio-test"
PREFIX = "audio/v1"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        env.setenv("AWS_ENDPOINT_URL_S3", endpoint)
        env.delenv("AWS_PROFILE", raising=False)
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        # Alexa fetches anonymously: the objects must be publicly readable.
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
        yield endpoint
    server.stop()


@pytest.fixture(scope="module")
def first_publish(s3_endpoint: str, build: Build, tmp_path_factory: pytest.TempPathFactory) -> Any:
    published = tmp_path_factory.mktemp("published") / "published.json"
    progress = io.StringIO()
    code = audio_cli.publish(BUCKET, PREFIX, build.out, published_path=published, progress=progress)
    assert code == 0, progress.getvalue()
    return published, progress.getvalue()


def _built(build: Build) -> list[BuiltCue]:
    return read_manifest(build.out)


def test_every_cue_is_uploaded_with_hashed_key_and_headers(
    first_publish: Any, build: Build
) -> None:
    s3 = boto3.client("s3")
    for cue in _built(build):
        key = f"{PREFIX}/{cue.name}-{cue.sha256[:12]}.mp3"
        head = s3.head_object(Bucket=BUCKET, Key=key)
        assert head["ContentType"] == "audio/mpeg"
        assert head["CacheControl"] == "public, max-age=31536000, immutable"
        assert head["ContentLength"] == cue.bytes
        body = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        assert hashlib.sha256(body).hexdigest() == cue.sha256


def test_published_manifest_is_uploaded(first_publish: Any, build: Build) -> None:
    obj = boto3.client("s3").get_object(Bucket=BUCKET, Key=f"{PREFIX}/manifest.json")
    assert obj["ContentType"] == "application/json"
    assert obj["CacheControl"] == "no-cache"
    entries = {e["name"]: e for e in json.loads(obj["Body"].read())["cues"]}
    assert set(entries) == set(pacing.all_tracks())
    assert entries["sync-normal-05"]["duration_ms"] == 50_000
    assert entries["inhale"]["file"].startswith("inhale-")


def test_published_json_maps_names_to_hashed_files(first_publish: Any, build: Build) -> None:
    published_path, _ = first_publish
    published = pacing.parse_published(published_path.read_text())
    assert dict(published) == {cue.name: hashed_file_name(cue) for cue in _built(build)}


def test_base_url_hint_and_published_names_reach_the_objects(first_publish: Any) -> None:
    published_path, output = first_publish
    hint = output.split("STEADY_AUDIO_BASE_URL=")[1].split()[0]
    published = pacing.parse_published(published_path.read_text())
    url = pacing.hosted_url(hint, pacing.sync_track_name(pacing.NORMAL, 5), published)
    assert url.startswith("http://127.0.0.1:")  # loopback moto server only
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.headers["Content-Type"] == "audio/mpeg"
        assert response.read()[:3] == b"ID3"
    # The skill only uses https; the same manifest gives the real URL there.
    https_base = "https://audio.example.com/audio/v1"
    assert pacing.sync_audio_plan(pacing.NORMAL, 5, https_base, published) == [
        f"{https_base}/{published['sync-normal-05']}"
    ]


def test_second_publish_uploads_nothing(first_publish: Any, build: Build, tmp_path: Path) -> None:
    progress = io.StringIO()
    code = audio_cli.publish(
        BUCKET, PREFIX, build.out, published_path=tmp_path / "p.json", progress=progress
    )
    assert code == 0
    assert ": 0 uploaded, 30 unchanged" in progress.getvalue()
    again = publish_cues(boto3.client("s3"), BUCKET, PREFIX, build.out, io.StringIO())
    assert again.uploaded == []
    assert len(again.unchanged) == 30


def test_changed_cue_gets_a_new_key_and_only_it_is_uploaded(
    s3_endpoint: str, build: Build, tmp_path: Path
) -> None:
    source = tmp_path / "build"
    shutil.copytree(build.out, source)
    manifest_path = source / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    chime = next(e for e in manifest["cues"] if e["name"] == "repair-chime")
    changed = (source / chime["file"]).read_bytes() + b"\x00"  # stands in for a new recipe
    (source / chime["file"]).write_bytes(changed)
    chime["sha256"], chime["bytes"] = hashlib.sha256(changed).hexdigest(), len(changed)
    manifest_path.write_text(json.dumps(manifest))

    s3, prefix = boto3.client("s3"), "audio/changed"
    assert len(publish_cues(s3, BUCKET, prefix, build.out, io.StringIO()).uploaded) == 30
    result = publish_cues(s3, BUCKET, prefix, source, io.StringIO())
    new_key = f"{prefix}/repair-chime-{chime['sha256'][:12]}.mp3"
    assert result.uploaded == [new_key, f"{prefix}/manifest.json"]
    assert result.published["repair-chime"] == new_key.rsplit("/", 1)[1]


def test_tampered_build_is_refused(s3_endpoint: str, build: Build, tmp_path: Path) -> None:
    source = tmp_path / "build"
    shutil.copytree(build.out, source)
    (source / "inhale.mp3").write_bytes(b"not the built file")
    progress = io.StringIO()
    published = tmp_path / "published.json"
    code = audio_cli.publish(BUCKET, PREFIX, source, published_path=published, progress=progress)
    assert code == 1
    assert "sha256" in progress.getvalue()
    assert not published.exists()


def test_missing_bucket_fails_cleanly(s3_endpoint: str, build: Build, tmp_path: Path) -> None:
    progress = io.StringIO()
    code = audio_cli.publish(
        "no-such-bucket", PREFIX, build.out, published_path=tmp_path / "p.json", progress=progress
    )
    assert code == 1
    assert "audio publish failed" in progress.getvalue()


def test_keys_and_hints() -> None:
    assert object_key("/audio/", "a.mp3") == "audio/a.mp3"
    assert object_key("", "a.mp3") == "a.mp3"
    aws = "https://s3.eu-west-1.amazonaws.com"
    assert (
        base_url_hint("b", "audio", aws, "eu-west-1")
        == "https://b.s3.eu-west-1.amazonaws.com/audio"
    )
    assert base_url_hint("my.b", "audio", aws, "eu-west-1") == (
        "https://s3.eu-west-1.amazonaws.com/my.b/audio"
    )
    assert base_url_hint("b", "", "http://127.0.0.1:9000", None) == "http://127.0.0.1:9000/b"
