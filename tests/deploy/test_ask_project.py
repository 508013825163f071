"""`steady package`: the ASK CLI v2 project it writes has the layout `ask deploy` reads,
the endpoint filled in (or left out before the function exists) and one model per locale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill import cli
from skill.packaging import ENDPOINT_PLACEHOLDER, build_manifest, write_ask_project

from .support import MANIFEST, MODEL_PATHS, load_json, manifest_round_trip

ARN = "arn:aws:lambda:us-east-1:123456789012:function:steady-SkillFunction-AbC123:live"
SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _fake_source(tmp_path: Path, locales: list[str]) -> Path:
    """A source tree with the real manifest and a copy of a real model per locale."""
    source = tmp_path / "source"
    models = source / "interaction_models"
    models.mkdir(parents=True)
    (models / "skill.json").write_text(MANIFEST.read_text(encoding="utf-8"), encoding="utf-8")
    model_text = MODEL_PATHS[0].read_text(encoding="utf-8") if MODEL_PATHS else "{}"
    for locale in locales:
        (models / f"{locale}.json").write_text(model_text, encoding="utf-8")
    return source


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    if not MODEL_PATHS:
        pytest.skip("no interaction model yet")
    out = tmp_path / "ask-project"
    assert write_ask_project(out, lambda_arn=ARN, env={}) == 0
    return out, capsys.readouterr().out


def test_layout_is_what_ask_deploy_reads(project: tuple[Path, str]) -> None:
    out, printed = project
    expected = {"ask-resources.json", "skill-package/skill.json"}
    expected |= {f"skill-package/interactionModels/custom/{p.name}" for p in MODEL_PATHS}
    assert _files(out) == expected
    for name in expected:
        assert f"wrote {out / name}" in printed


def test_ask_resources_deploys_skill_metadata_only(project: tuple[Path, str]) -> None:
    resources = load_json(project[0] / "ask-resources.json")
    assert resources == {
        "askcliResourcesVersion": "2020-03-31",
        "profiles": {"default": {"skillMetadata": {"src": "./skill-package"}}},
    }


def test_manifest_has_the_endpoint_and_only_model_locales(project: tuple[Path, str]) -> None:
    path = project[0] / "skill-package" / "skill.json"
    raw = path.read_text(encoding="utf-8")
    assert manifest_round_trip(raw) == json.loads(raw)
    body = json.loads(raw)["manifest"]
    assert body["apis"]["custom"]["endpoint"] == {"uri": ARN}
    assert body["events"]["endpoint"] == {"uri": ARN}
    locales = {p.stem for p in MODEL_PATHS}
    assert set(body["publishingInformation"]["locales"]) == locales
    assert set(body["privacyAndCompliance"]["locales"]) == locales
    assert body["publishingInformation"]["distributionCountries"] == sorted(
        loc.split("-")[1] for loc in locales
    )


def test_models_are_copied_unchanged(project: tuple[Path, str]) -> None:
    for model in MODEL_PATHS:
        written = project[0] / "skill-package" / "interactionModels" / "custom" / model.name
        assert load_json(written) == load_json(model)


def test_endpoint_comes_from_the_environment(tmp_path: Path) -> None:
    source = _fake_source(tmp_path, ["en-US"])
    out = tmp_path / "out"
    env = {"STEADY_LAMBDA_ARN": ARN}
    assert write_ask_project(out, source_root=source, env=env) == 0
    manifest = load_json(out / "skill-package" / "skill.json")["manifest"]
    assert manifest["apis"]["custom"]["endpoint"]["uri"] == ARN


def test_without_an_endpoint_the_skill_is_packaged_without_one(tmp_path: Path) -> None:
    source = _fake_source(tmp_path, ["en-US"])
    out = tmp_path / "out"
    assert write_ask_project(out, source_root=source, env={}) == 0
    text = (out / "skill-package" / "skill.json").read_text(encoding="utf-8")
    assert ENDPOINT_PLACEHOLDER not in text
    manifest = json.loads(text)["manifest"]
    assert "endpoint" not in manifest["apis"]["custom"]
    assert "events" not in manifest


def test_a_bad_arn_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _fake_source(tmp_path, ["en-US"])
    out = tmp_path / "out"
    assert write_ask_project(out, source_root=source, env={"STEADY_LAMBDA_ARN": "nope"}) == 1
    assert not out.exists()
    assert "not a Lambda function ARN" in capsys.readouterr().err


def test_locales_follow_the_models_present(tmp_path: Path) -> None:
    source = _fake_source(tmp_path, ["en-GB", "en-US"])
    out = tmp_path / "out"
    stale = out / "skill-package" / "interactionModels" / "custom" / "en-AU.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")
    assert write_ask_project(out, source_root=source, env={}) == 0
    assert not stale.exists()
    manifest = load_json(out / "skill-package" / "skill.json")["manifest"]
    assert list(manifest["publishingInformation"]["locales"]) == ["en-GB", "en-US"]
    assert manifest["publishingInformation"]["distributionCountries"] == ["GB", "US"]


def test_a_model_without_a_manifest_locale_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _fake_source(tmp_path, ["en-US", "fr-FR"])
    assert write_ask_project(tmp_path / "out", source_root=source, env={}) == 1
    assert "fr-FR" in capsys.readouterr().err


def test_skill_id_seeds_ask_states_once(tmp_path: Path) -> None:
    source = _fake_source(tmp_path, ["en-US"])
    out = tmp_path / "out"
    assert write_ask_project(out, source_root=source, env={"STEADY_SKILL_ID": SKILL_ID}) == 0
    states = out / ".ask" / "ask-states.json"
    assert load_json(states) == {
        "askcliStatesVersion": "2020-03-31",
        "profiles": {"default": {"skillId": SKILL_ID}},
    }
    states.write_text('{"kept": true}', encoding="utf-8")  # as ask deploy would update it
    assert write_ask_project(out, source_root=source, env={"STEADY_SKILL_ID": "other"}) == 0
    assert load_json(states) == {"kept": True}


def test_policy_urls_can_be_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _fake_source(tmp_path, ["en-US"])
    out = tmp_path / "out"
    env = {"STEADY_PRIVACY_POLICY_URL": "https://us.example/privacy"}
    assert write_ask_project(out, source_root=source, env=env) == 0
    privacy = load_json(out / "skill-package" / "skill.json")["manifest"]["privacyAndCompliance"]
    assert privacy["locales"]["en-US"]["privacyPolicyUrl"] == "https://us.example/privacy"
    env = {"STEADY_TERMS_OF_USE_URL": "http://insecure.example/terms"}
    assert write_ask_project(tmp_path / "other", source_root=source, env=env) == 1
    assert "https://" in capsys.readouterr().err


def test_build_manifest_leaves_the_source_untouched() -> None:
    source: dict[str, Any] = load_json(MANIFEST)
    before = json.dumps(source, sort_keys=True)
    build_manifest(source, ["en-US"], lambda_arn=ARN)
    assert json.dumps(source, sort_keys=True) == before


def test_steady_package_command_writes_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not MODEL_PATHS:
        pytest.skip("no interaction model yet")
    monkeypatch.setenv("STEADY_LAMBDA_ARN", ARN)
    out = tmp_path / "ask-project"
    assert cli.main(["package", "--out", str(out)]) == 0
    assert (out / "ask-resources.json").is_file()
    assert f"endpoint: {ARN}" in capsys.readouterr().out
