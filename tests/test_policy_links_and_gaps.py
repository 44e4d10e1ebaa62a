"""Two data links the rules read: a license's obligation naming the policy it incorporates (`policy:`), and a
profile's `gaps` (terms it could not capture), which must keep every answer short of "permitted"."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from modelterms import Catalog, UseCase, Verdict, strategies
from modelterms._paths import bundled_rules
from modelterms.cli import main
from modelterms.pytest_plugin import write_yaml

from .conftest import cite, model, profile

_AUP = {"id": "fixture-aup", "name": "Fixture Acceptable Use Policy", "kind": "restricted", "version": "1",
        "url": "https://example.org/aup", "spdx": "LicenseRef-fixture-aup", "osi_approved": False,
        "summary": "Grants nothing; bars one purpose.",
        "prohibited_purposes": [{"tags": ["military"], "summary": "No military use.", "cite": cite("1")}]}


def _license_with_aup_clause(**clause: Any) -> dict[str, Any]:
    obligation = {"type": "acceptable_use", "trigger": "always", "summary": "Follow the fixture policy.",
                  "cite": cite("4"), **clause}
    return profile(kind="restricted", obligations=[obligation])


@pytest.mark.parametrize(("clause", "rule", "obligations"), [
    # linked: the license's own cited clause is the one obligation; the policy still restricts
    ({"policy": "fixture-aup"}, "policy-incorporated", ["Follow the fixture policy."]),
    # not linked (e.g. an Apache model shipped with a usage policy): the policy's finding carries the obligation
    ({}, "policy-applies", ["Follow the fixture policy.", "Comply with Fixture Acceptable Use Policy (fixture-aup)."]),
])
def test_an_incorporated_policy_is_listed_once(make_catalog: Any, clause: dict, rule: str,
                                               obligations: list[str]) -> None:
    catalog = make_catalog(licenses=[_license_with_aup_clause(**clause), _AUP],
                           models=[model(licenses=("fixture", "fixture-aup"))])
    (result,) = catalog.evaluate(UseCase())
    assert result.verdict is Verdict.RESTRICTED
    assert rule in {finding.rule for finding in result.findings}
    assert sorted(result.obligations) == sorted(obligations)
    # the policy keeps its teeth either way
    (barred,) = catalog.evaluate(UseCase(purposes=("military",)))
    assert barred.verdict is Verdict.FORBIDDEN


def test_bundled_llama_lists_its_policy_once_and_gpt_oss_keeps_its_policy(modelterms_catalog: Catalog) -> None:
    (llama, gpt_oss) = modelterms_catalog.evaluate(
        UseCase(as_of="2026-01-01"), ["meta-llama/Llama-3.1-8B-Instruct", "openai/gpt-oss-20b"])
    assert [o for o in llama.obligations if "acceptable-use policy" in o or "Acceptable Use Policy" in o] == [
        next(o for o in llama.obligations if "llama-3.1-aup" in o)]
    assert "Comply with gpt-oss Usage Policy (gpt-oss-usage-policy)." in gpt_oss.obligations


def test_every_bundled_license_links_the_policy_it_incorporates(modelterms_catalog: Catalog) -> None:
    """Where a period pairs a license that has an any-use acceptable-use clause with a policy document, the clause
    must name that policy, or the policy would be listed twice (once per document)."""
    unlinked = []
    for entry in modelterms_catalog.models:
        for period in entry.periods:
            documents = [modelterms_catalog.licenses[i] for i in period.licenses]
            policies = {d.id for d in documents if "grants" not in d.data}
            clauses = [o for d in documents for o in d.data.get("obligations", ())
                       if o["type"] == "acceptable_use" and o["trigger"] == "always"]
            linked = {o.get("policy") for o in clauses}
            if policies and clauses and not policies <= linked:
                unlinked.append((entry.id, period.start, sorted(policies - linked)))
    assert not unlinked


def test_a_dangling_policy_id_names_file_line_and_key(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "lic.yaml", _license_with_aup_clause(policy="llama-3.1-aupp"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "policy:" in text)
    assert f"{path}:{line}: obligations[0].policy: names policy `llama-3.1-aupp`, which has no profile" in result.output
    assert "did you mean `llama-3.1-aup`?" in result.output


def test_loading_a_catalog_with_a_dangling_policy_id_fails(make_catalog: Any) -> None:
    from modelterms import InputError

    with pytest.raises(InputError, match="names policy `nowhere`"):
        make_catalog(licenses=[_license_with_aup_clause(policy="nowhere")], models=[model()])


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(document=strategies.license_profiles("gen-gappy"), use=strategies.use_cases())
def test_a_profile_with_gaps_never_yields_permitted(tmp_path_factory: pytest.TempPathFactory,
                                                    document: dict, use: UseCase) -> None:
    root = tmp_path_factory.mktemp("gappy")
    write_yaml(root / "gen-gappy.yaml", {**document, "gaps": "The second half of the text was not found."})
    write_yaml(root / "models" / "m.yaml", {"models": [model("acme/gappy", licenses=("gen-gappy",))]})
    catalog = Catalog.load(licenses=[root], rules=[bundled_rules()], bundled=False)
    (result,) = catalog.evaluate(dataclasses.replace(use, as_of=max(use.as_of, "2024-01-01")))
    assert result.verdict is not Verdict.PERMITTED
    assert "profile-incomplete" in {finding.rule for finding in result.findings}


@pytest.mark.parametrize("model_id", ["manus/manus", "baidu/ernie-x1", "tiiuae/Falcon3-10B-Instruct"])
def test_bundled_incomplete_profiles_say_so_in_every_answer(modelterms_catalog: Catalog, model_id: str) -> None:
    (result,) = modelterms_catalog.evaluate(UseCase(as_of="2026-01-01"), [model_id])
    (finding,) = [f for f in result.findings if f.rule == "profile-incomplete"]
    assert finding.verdict is Verdict.RESTRICTED
    assert "incomplete" in finding.message
    assert finding.remedy is not None and finding.remedy.startswith("Read the full terms at http")


def test_gaps_show_in_show_as_text_and_json(modelterms_catalog: Catalog) -> None:
    result = CliRunner().invoke(main, ["show", "tii-falcon-license-2024-12"])
    assert result.exit_code == 0
    assert "  INCOMPLETE: The acceptable use policy this licence incorporates" in result.output
    data = yaml.safe_load(CliRunner().invoke(main, ["show", "tii-falcon-license-2024-12", "--format", "json"]).output)
    assert data["gaps"].startswith("The acceptable use policy")
