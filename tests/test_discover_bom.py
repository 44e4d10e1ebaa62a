"""What a scan's discovered models look like outside JSON: a CycloneDX 1.6 ML-BOM, SARIF locations, annotations.

The ML-BOM is validated against the official CycloneDX 1.6 JSON schema as cyclonedx-python-lib ships it (strict:
no key the schema does not define), and read back by `scan` itself: the round trip finds the same models.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelterms.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scan", "--no-config", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def validate_cyclonedx_16(text: str) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    assert error is None, str(error)[:2000]


def test_the_schema_check_can_fail() -> None:
    # the validator used below rejects what the 1.6 schema does not allow (so a pass means something)
    bad = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
           "components": [{"type": "machine-learning-model", "name": "x", "licenses": [
               {"license": {"name": "mit", "acknowledgement": "guessed"}}]}]}
    with pytest.raises(AssertionError):
        validate_cyclonedx_16(json.dumps(bad))


def components(text: str) -> dict[str, dict]:
    bom = json.loads(text)
    return {(f"{c['group']}/{c['name']}" if c.get("group") else c["name"]): c for c in bom["components"]}


def test_the_ml_bom_validates_against_cyclonedx_16(app: Path) -> None:
    code, out, err = run(".", "--format", "cyclonedx", "--commercial", "--fail-on", "never")
    assert code == 0, err
    validate_cyclonedx_16(out)
    bom = json.loads(out)
    assert bom["specVersion"] == "1.6" and bom["bomFormat"] == "CycloneDX"
    assert {c["type"] for c in bom["components"]} == {"machine-learning-model"}


def test_each_component_says_purl_revision_declared_and_concluded_license_and_verdict(app: Path) -> None:
    _, out, _ = run(".", "--format", "cyclonedx", "--commercial", "--fail-on", "never")
    _, json_out, _ = run(".", "--format", "json", "--commercial", "--fail-on", "never")
    by_model = {r["model"]: r for r in json.loads(json_out)["results"]}
    found = components(out)
    assert set(found) == set(by_model)  # one component per result
    llama = found["meta-llama/Llama-3.2-3B-Instruct"]
    assert llama["purl"] == "pkg:huggingface/meta-llama/Llama-3.2-3B-Instruct@0cb88a4f"
    assert llama["version"] == "0cb88a4f"
    properties = [(p["name"], p["value"]) for p in llama["properties"]]
    assert ("modelterms:verdict", by_model["meta-llama/Llama-3.2-3B-Instruct"]["verdict"]) in properties
    assert {v for n, v in properties if n == "modelterms:rule"} == {
        f["rule"] for f in by_model["meta-llama/Llama-3.2-3B-Instruct"]["findings"]}
    assert [v for n, v in properties if n == "modelterms:obligation"] == \
        by_model["meta-llama/Llama-3.2-3B-Instruct"]["obligations"]
    assert ("modelterms:found_in", "sbom/bom.cdx.json:36") in properties
    concluded = [lic["license"]["name"] for lic in llama["licenses"]
                 if lic["license"]["acknowledgement"] == "concluded"]
    assert concluded == by_model["meta-llama/Llama-3.2-3B-Instruct"]["licenses"]
    # the SBOM declared Apache-2.0 for gte; an API model has no Hub purl
    gte = found["Alibaba-NLP/gte-base-en-v1.5"]
    assert {"license": {"name": "Apache-2.0", "acknowledgement": "declared"}} in gte["licenses"]
    assert "purl" not in found["openai/gpt-4o"]
    unknown = found["acme/private-13b"]
    assert "licenses" not in unknown and ("modelterms:rule", "unknown-model-reference") in [
        (p["name"], p["value"]) for p in unknown["properties"]]


def test_scanning_the_ml_bom_finds_the_same_models(app: Path, tmp_path: Path) -> None:
    _, out, _ = run(".", "--format", "cyclonedx", "--fail-on", "never")
    _, first, _ = run(".", "--format", "json", "--fail-on", "never")
    elsewhere = tmp_path / "bom"
    elsewhere.mkdir()
    (elsewhere / "bom.cdx.json").write_text(out)
    code, again, err = run(str(elsewhere / "bom.cdx.json"), "--format", "json", "--fail-on", "never")
    assert code == 0, err
    before = {(r["model"], r["verdict"]) for r in json.loads(first)["results"]}
    after = {(r["model"], r["verdict"]) for r in json.loads(again)["results"]}
    assert after == before
    revisions = {r["model"]: r["discovered"]["revisions"] for r in json.loads(again)["results"]}
    assert revisions["meta-llama/Llama-3.1-8B-Instruct"] == ["5206a32e0bd3067aef1ce90f5528ade7d866253f"]


def test_check_writes_an_ml_bom_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-config", "--model", "gpt-4o", "--model", "Qwen/Qwen3-8B",
                                       "--format", "cyclonedx", "--fail-on", "never"])
    assert result.exit_code == 0, result.stderr
    validate_cyclonedx_16(result.stdout)
    assert set(components(result.stdout)) == {"openai/gpt-4o", "Qwen/Qwen3-8B"}


def test_sarif_points_at_every_place_a_model_was_found(app: Path) -> None:
    _, out, _ = run("src", "web", "--format", "sarif", "--commercial", "--fail-on", "never")
    results = json.loads(out)["runs"][0]["results"]
    gpt4o = [r for r in results if r["properties"]["model"] == "openai/gpt-4o"]
    assert gpt4o
    where = {(loc["physicalLocation"]["artifactLocation"]["uri"], loc["physicalLocation"]["region"]["startLine"])
             for loc in gpt4o[0]["locations"]}
    assert where == {("src/chat.py", 41), ("src/rag.py", 8), ("web/src/client.ts", 18), ("web/package.json", 9)}
    unknown = next(r for r in results if r["ruleId"] == "unknown-model-reference"
                   and r["properties"]["model"] == "acme/ticket-router-7b")
    assert unknown["level"] == "error"
    assert [loc["physicalLocation"]["region"]["startLine"] for loc in unknown["locations"]] == [29]
    rules = {rule["id"]: rule for rule in json.loads(out)["runs"][0]["tool"]["driver"]["rules"]}
    assert "catalog does not know it" in rules["unknown-model-reference"]["shortDescription"]["text"]


def test_github_annotations_are_on_the_lines_found(app: Path) -> None:
    code, out, _ = run("scripts", "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert any(line.startswith("::error file=scripts/serve.sh,line=6,") and "acme/private-13b" in line
               for line in lines)


def test_a_scanned_cards_bom_names_each_repository_with_its_base_as_pedigree(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(Path(__file__).parent / "data" / "model-cards", tmp_path / "models")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    _, out, _ = run("models", "--format", "cyclonedx", "--fail-on", "never")
    validate_cyclonedx_16(out)
    found = components(out)
    tuned = found["acme/gemma3-tuned"]  # a fine-tune: its own repository, the base whose terms govern it below
    assert tuned["pedigree"]["ancestors"][0]["group"] == "google"
    assert tuned["pedigree"]["ancestors"][0]["name"] == "gemma-3-27b-it"
    assert {"license": {"name": "gemma", "acknowledgement": "declared"}} in tuned["licenses"]
    (tmp_path / "bom").mkdir()
    (tmp_path / "bom" / "bom.cdx.json").write_text(out)
    _, again, _ = run("bom", "--format", "json", "--fail-on", "never")
    # read back: every repository, and every base model whose terms apply
    assert {r["model"] for r in json.loads(again)["results"]} == set(found) | {"google/gemma-3-27b-it"}
