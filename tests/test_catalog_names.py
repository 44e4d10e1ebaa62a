"""Families in the catalog, and every way a user may name a model (ids, aliases, bare names, provider prefixes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modelterms import Catalog, InputError, UnknownModelError, UseCase
from modelterms._paths import bundled_rules
from modelterms.cli import main
from modelterms.pytest_plugin import write_yaml

from .conftest import URL, grant, model, profile


def family(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "family": "acme-1", "name": "Acme 1", "vendor": "Acme", "access": "open-weights", "weights": "open",
        "modalities": ["text"], "released": "2024-01-01",
        "licenses": [{"licenses": ["fixture"], "from": "2024-01-01", "source": URL}],
        "members": [{"id": "acme/Acme-1-7B"}, {"id": "acme/Acme-1-7B-Instruct", "aliases": ["acme1:7b"]}],
    }
    base.update(extra)
    return base


def load(tmp_path: Path, catalog: dict[str, Any], licenses: tuple[dict[str, Any], ...] = ()) -> Catalog:
    research = profile("research", kind="non-commercial")
    research["grants"]["commercial_use"] = grant("no")
    for item in (profile(), research, *licenses):
        write_yaml(tmp_path / "licenses" / f"{item['id']}.yaml", item)
    write_yaml(tmp_path / "licenses" / "models" / "acme.yaml", catalog)
    return Catalog.load(licenses=[tmp_path / "licenses"], rules=[bundled_rules()], bundled=False)


def test_family_members_share_the_history_and_take_their_own_fields(tmp_path: Path) -> None:
    exception = {"id": "acme/Acme-1-3B", "released": "2024-02-01",
                 "licenses": [{"licenses": ["research"], "from": "2024-02-01", "source": URL}]}
    catalog = load(tmp_path, {"families": [family(members=[*family()["members"], exception])]})
    base = catalog.find_model("acme/Acme-1-7B")
    assert (base.name, base.family, base.periods[0].licenses) == ("Acme-1-7B", "acme-1", ("fixture",))
    odd = catalog.find_model("acme/Acme-1-3B")
    assert (odd.released, odd.periods[0].licenses) == ("2024-02-01", ("research",))
    (result,) = catalog.evaluate(UseCase(commercial=True), ["acme/Acme-1-3B"])
    assert result.verdict.value == "forbidden"  # the member's own non-commercial terms, not the family's


def test_a_member_period_error_names_the_member_line(tmp_path: Path) -> None:
    bad = {"id": "acme/Acme-1-3B", "licenses": [{"licenses": ["fixture"], "from": "2024-02-01",
                                                  "until": "2024-01-01", "source": URL}]}
    with pytest.raises(InputError) as caught:
        load(tmp_path, {"families": [family(members=[bad])]})
    (problem,) = caught.value.problems
    assert problem.key == "families[0].members[0].licenses[0].until" and problem.line is not None


def test_a_family_naming_an_unknown_license_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load(tmp_path, {"families": [family(licenses=[{"licenses": ["fixtrue"], "from": "2024-01-01",
                                                        "source": URL}])]})
    assert any("fixtrue" in p.message and p.key.startswith("families[0].licenses") for p in caught.value.problems)


def test_an_alias_may_not_name_two_models(tmp_path: Path) -> None:
    other = model("acme/other", aliases=["acme1:7b"])
    with pytest.raises(InputError) as caught:
        load(tmp_path, {"models": [other], "families": [family()]})
    assert any("acme1:7b" in p.message for p in caught.value.problems)


@pytest.mark.parametrize("spelling", ["acme/Acme-1-7B-Instruct", "ACME/acme-1-7b-instruct", "Acme-1-7B-Instruct",
                                      "acme1:7b"])
def test_every_spelling_of_a_member_finds_it(tmp_path: Path, spelling: str) -> None:
    assert load(tmp_path, {"families": [family()]}).find_model(spelling).id == "acme/Acme-1-7B-Instruct"


def test_an_ambiguous_bare_name_is_refused_with_the_candidates(tmp_path: Path) -> None:
    catalog = load(tmp_path, {"models": [model("acme/Twin"), model("other/Twin")]})
    with pytest.raises(UnknownModelError) as caught:
        catalog.find_model("Twin")
    assert "acme/Twin" in caught.value.problems[0].message and "other/Twin" in caught.value.problems[0].message


def test_provider_prefixes_resolve_only_api_entries_of_that_provider(tmp_path: Path) -> None:
    api = model("anthropic/claude-x", access="api-only", weights="closed", aliases=["claude-x-20250101"])
    open_weights = model("google/gemma-x")
    catalog = load(tmp_path, {"models": [api, open_weights]})
    for spelling in ("anthropic/claude-x-20250101", "openrouter/anthropic/claude-x", "claude-x"):
        assert catalog.find_model(spelling).id == "anthropic/claude-x"
    with pytest.raises(UnknownModelError):
        catalog.find_model("gemini/gemma-x")  # the hosted service is not the open-weights repo
    with pytest.raises(UnknownModelError):
        catalog.find_model("openai/claude-x")  # another provider's prefix


def test_every_unknown_model_is_reported_with_the_nearest_names(modelterms_catalog: Catalog) -> None:
    with pytest.raises(UnknownModelError) as caught:
        modelterms_catalog.evaluate(UseCase(), ["meta-llama/Llama-3.1-8B-Instruct", "acme/nothing",
                                                "meta-llama/Llama-3.1-8B-Instrut"])
    messages = [p.message for p in caught.value.problems]
    assert messages == ["unknown model `acme/nothing`", "unknown model `meta-llama/Llama-3.1-8B-Instrut`"]
    assert "meta-llama/Llama-3.1-8B-Instruct" in caught.value.problems[1].hint


def test_the_cli_reports_every_unknown_model() -> None:
    result = CliRunner().invoke(main, ["check", "--no-config", "--model", "acme/one", "--model", "acme/two"])
    assert result.exit_code == 2
    assert "acme/one" in result.output and "acme/two" in result.output


def test_models_filters_by_vendor_license_kind_and_text() -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["models", "--vendor", "meta", "--kind", "restricted", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    import json

    rows = json.loads(listed.output)
    assert rows and all("Meta" in row["vendor"] and row["kind"] == "restricted" for row in rows)
    searched = json.loads(runner.invoke(main, ["models", "--search", "distill-llama", "--format", "json"]).output)
    assert [row["id"] for row in searched if row["id"] == "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"]
    # the strictest document in force decides the kind: MIT plus the Llama 3.1 terms is restricted
    assert {row["kind"] for row in searched if row["id"].endswith("Distill-Llama-8B")} == {"restricted"}
    by_license = json.loads(runner.invoke(main, ["models", "--license", "llama-3.1", "--format", "json"]).output)
    assert by_license and all("llama-3.1" in row["licenses"] for row in by_license)
