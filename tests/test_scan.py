"""`modelterms scan` over tests/data/model-cards: a tree of hand-written Hugging Face model cards.

Expected mappings and verdicts are traced to the catalog: a card's folder names a catalog model
(repo id), or its base_model does, or its declared license key is one a profile lists under
`huggingface:`; anything else is unknown.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelterms.cli import main

CARDS = Path(__file__).parent / "data" / "model-cards"
USE = ["--commercial", "--serves-third-parties", "--as-of", "2026-11-01"]


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "work"
    shutil.copytree(CARDS, root / "models")
    (root / ".git").mkdir()  # the project boundary: no config above it is picked up
    monkeypatch.chdir(root)
    return root


def scan(*args: str) -> tuple[int, dict, str]:
    result = CliRunner().invoke(main, ["scan", "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}, result.stderr


def by_path(report: dict) -> dict[str, dict]:
    return {result["model"]: result for result in report["results"]}


def test_every_card_is_mapped_as_the_catalog_says(tree: Path) -> None:
    code, report, _ = scan("models", *USE)
    results = by_path(report)
    # notes/README.md has no front matter: not a card. models/README.md neither.
    assert set(results) == {
        "models/meta-llama/Llama-3.1-8B-Instruct/README.md", "models/acme/llama31-support-ft/README.md",
        "models/acme/qwen3-tuned/README.md", "models/acme/mystery-7b/README.md",
        "models/hub/models--mistralai--Codestral-22B-v0.1/snapshots/0f7d2a/README.md",
        "models/acme/gemma3-tuned/README.md"}
    mapped = {path: (r["card"]["mapped_by"], r["card"]["catalog_model"], r["license"]) for path, r in results.items()}
    assert mapped["models/meta-llama/Llama-3.1-8B-Instruct/README.md"] == (
        "repo id", "meta-llama/Llama-3.1-8B-Instruct", "llama-3.1")
    # Hub cache layout models--org--name names the repository.
    assert mapped["models/hub/models--mistralai--Codestral-22B-v0.1/snapshots/0f7d2a/README.md"] == (
        "repo id", "mistralai/Codestral-22B-v0.1", "mistral-non-production-license")
    # Qwen3-8B is Apache-2.0 (permissive, does not bind derivatives): the card's own apache-2.0 decides.
    assert mapped["models/acme/qwen3-tuned/README.md"] == ("license key", None, "apache-2.0")
    # Gemma terms bind Model Derivatives; the card declares gemma, which is the binding license: no conflict.
    assert mapped["models/acme/gemma3-tuned/README.md"] == ("base model", "google/gemma-3-27b-it",
                                                            "gemma-terms-2025-03-24")
    gemma = results["models/acme/gemma3-tuned/README.md"]
    assert "card-license-conflict" not in [f["rule"] for f in gemma["findings"]]
    assert code == 1  # the unknown card and Codestral (non-production license, commercial use) fail


def test_mislabelled_llama_fine_tune_gets_llama_terms_and_a_conflict_finding(tree: Path) -> None:
    _, report, _ = scan("models", *USE)
    card = by_path(report)["models/acme/llama31-support-ft/README.md"]
    # Declares apache-2.0, but its base (Llama 3.1) binds derivatives (§1.b.i): evaluated as llama-3.1 + AUP.
    assert card["licenses"] == ["llama-3.1", "llama-3.1-aup"]
    assert card["card"]["declared_license_profile"] == "apache-2.0"
    conflict = next(f for f in card["findings"] if f["rule"] == "card-license-conflict")
    assert conflict["verdict"] == "restricted"
    assert "apache-2.0" in conflict["message"] and "Llama 3.1" in conflict["message"]
    # Same verdict as the base model under the same use case, never the Apache "permitted".
    assert card["verdict"] == "restricted"


def test_unknown_card_fails_unless_waived(tree: Path) -> None:
    code, report, _ = scan("models/acme/mystery-7b", *USE)
    (result,) = report["results"]
    assert result["card"]["status"] == "unknown" and result["verdict"] == "forbidden"
    assert result["findings"][0]["rule"] == "unknown-model-card"
    assert code == 1
    (tree / "modelterms.yaml").write_text(
        "exceptions:\n"
        "  - {model: models/acme/mystery-7b, rule: unknown-model-card, reason: internal model reviewed by legal,"
        " approved_by: legal, expires: 2999-12-31}\n")
    code, report, _ = scan("models/acme/mystery-7b", *USE)
    assert code == 0
    assert report["results"][0]["findings"][0]["waiver"]["approved_by"] == "legal"


def test_waiver_naming_no_card_is_stale(tree: Path) -> None:
    (tree / "modelterms.yaml").write_text(
        "exceptions:\n"
        "  - {model: models/acme/does-not-exist, rule: '*', reason: x, approved_by: y, expires: 2999-12-31}\n")
    code, report, err = scan("models/acme/qwen3-tuned", *USE)
    assert code == 0  # apache-2.0: permitted
    assert [w["model"] for w in report["gate"]["waivers"]["stale"]] == ["models/acme/does-not-exist"]
    assert "matches no finding" in err


def test_sarif_results_point_at_the_card(tree: Path) -> None:
    result = CliRunner().invoke(main, ["scan", "models/acme/llama31-support-ft", "--format", "sarif", *USE])
    log = json.loads(result.stdout)
    locations = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                 for r in log["runs"][0]["results"]}
    assert locations == {"models/acme/llama31-support-ft/README.md"}
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 2}  # the `license:` line of the card


def test_missing_path_is_bad_input(tree: Path) -> None:
    result = CliRunner().invoke(main, ["scan", "nowhere"])
    assert result.exit_code == 2 and "nowhere" in result.stderr


def test_broken_front_matter_names_the_file(tree: Path) -> None:
    bad = tree / "models" / "acme" / "broken" / "README.md"
    bad.parent.mkdir()
    bad.write_text("---\nlicense: [apache-2.0\n---\n# broken\n")
    result = CliRunner().invoke(main, ["scan", "models/acme/broken"])
    assert result.exit_code == 2
    assert "README.md" in result.stderr and "not valid YAML" in result.stderr


def test_no_two_profiles_claim_the_same_card_license_key(modelterms_catalog) -> None:
    # Otherwise which profile a card maps to would depend on file order: a guess.
    seen: dict[tuple[str, str], str] = {}
    for profile in modelterms_catalog.licenses.values():
        for item in profile.data.get("huggingface", []):
            key = (item["license"], item.get("license_name", ""))
            assert key not in seen, f"{key} in {seen.get(key)} and {profile.id}"
            seen[key] = profile.id
    assert seen[("llama3.1", "")] == "llama-3.1" and seen[("other", "mnpl")] == "mistral-non-production-license"
