"""`steady audio build` and `steady audio publish` (called from skill/cli.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from skill.audio import pacing
from skill.audio_build.manifest import ManifestError, write_json_atomically

# The published manifest the skill ships, beside the runtime module that reads it once.
PACKAGED_PUBLISHED_PATH = Path(pacing.__file__).with_name(pacing.PUBLISHED_FILE)


def build(out: Path, progress: TextIO = sys.stderr) -> int:
    """Generate every cue into `out` with its manifest.json; 0 on success."""
    from skill.audio_build.build import BuildError, build_all

    try:
        build_all(out, progress=progress)
    except (BuildError, OSError) as error:
        print(f"audio build failed: {error}", file=progress)
        return 1
    return 0


def publish(
    bucket: str,
    prefix: str,
    source: Path,
    published_path: Path = PACKAGED_PUBLISHED_PATH,
    progress: TextIO = sys.stderr,
) -> int:
    """Upload the cues built in `source` to `s3://bucket/prefix/` and write
    `published_path` (cue name -> hashed file name); 0 on success.

    Credentials, region and endpoint come from the usual AWS configuration
    (`AWS_ENDPOINT_URL_S3` points it at a local S3).
    """
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    from skill.audio_build.publish import base_url_hint, publish_cues

    s3 = boto3.client("s3")
    try:
        result = publish_cues(s3, bucket, prefix, source, progress)
    except (ManifestError, BotoCoreError, ClientError) as error:
        print(f"audio publish failed: {error}", file=progress)
        return 1
    write_json_atomically(published_path, result.published)
    print(
        f"published {len(result.published)} cues to s3://{bucket}/{prefix.strip('/')}: "
        f"{len(result.uploaded)} uploaded, {len(result.unchanged)} unchanged; "
        f"wrote {published_path}",
        file=progress,
    )
    base_url = base_url_hint(bucket, prefix, s3.meta.endpoint_url, s3.meta.region_name)
    print(
        f"set STEADY_AUDIO_BASE_URL={base_url} (https only; the objects must be publicly "
        "readable, e.g. through a bucket policy or CloudFront)",
        file=progress,
    )
    return 0
