"""Explanations: table-driven cases written from the license clauses, invariants, and the CLI.

The cases in tests/explain_cases/*.yaml name a model, a use case, the verdict, and for each expected
smallest change its kind, the verdict it reaches and the clause (license and section) that decides it;
they were written by reading the clauses they cite, never from this engine's output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelterms import Catalog, UseCase, Verdict, explain
from modelterms._explain import ChangeKind, Remedy
from modelterms._variants import Groups
from modelterms.cli import main
from modelterms.strategies import use_cases

CASES = Path(__file__).parent / "explain_cases"


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for index, case in enumerate(data["cases"]):
            out.append(pytest.param(data["family"], case, id=f"{path.stem}[{index}]"))
    return out


def _matches(remedy: Remedy, expected: dict[str, Any]) -> bool:
    """A remedy is the expected one when its changes are exactly those listed (kind, and key/value if given)."""
    if len(remedy.changes) != len(expected["changes"]):
        return False
    for want in expected["changes"]:
        if not any(change.kind.value == want["kind"] and want.get("key", change.key) == change.key
                   and ("value" not in want or want["value"] == change.value) for change in remedy.changes):
            return False
    return True


@pytest.mark.parametrize(("family", "case"), _cases())
def test_explain_case(modelterms_catalog: Catalog, family: str, case: dict[str, Any]) -> None:
    answer = explain(modelterms_catalog, UseCase.from_dict(case["use"]), [case["model"]])
    (item,) = answer.explanations
    shown = [(remedy.verdict.value, [(c.kind.value, c.key, c.value) for c in remedy.changes],
              [(f.citation.license, f.citation.section) for f in remedy.removes]) for remedy in item.remedies]
    assert item.result.verdict.value == case["verdict"], (case["name"], shown)
    assert item.possible is case["possible"], (case["name"], case["text"], shown)
    for expected in case["remedies"]:
        found = [remedy for remedy in item.remedies if _matches(remedy, expected)]
        assert found, (case["name"], expected, shown)
        (remedy,) = found
        assert remedy.verdict.value == expected["verdict"], (case["name"], shown)
        for clause in expected.get("clauses") or [expected["clause"]]:  # every clause that decides it
            assert any(f.citation.license == clause["license"] and f.citation.section == clause["section"]
                       for f in remedy.removes), (case["name"], case["text"], clause, shown)
    if not case["remedies"]:
        assert not item.remedies, (case["name"], shown)
    for absent in case.get("absent", []):
        assert not any(c.kind.value == absent["kind"] and absent.get("key", c.key) == c.key
                       and absent.get("value", c.value) == c.value for r in item.remedies for c in r.changes), shown
    if case.get("alternatives"):
        assert item.alternatives, case["name"]


def test_every_family_has_a_case_per_kind_it_can_show() -> None:
    """The issue's families are all covered, and every kind of change appears in some case."""
    families, kinds = set(), set()
    for path in CASES.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        families.add(data["family"])
        kinds.update(change["kind"] for case in data["cases"] for remedy in case["remedies"]
                     for change in remedy["changes"])
    assert {"Llama", "Gemma", "Qwen", "Mistral research", "DeepSeek", "API terms"} <= families
    assert kinds == {kind.value for kind in ChangeKind}


def test_alternatives_share_the_modalities_and_are_not_forbidden(modelterms_catalog: Catalog) -> None:
    use = UseCase(commercial=True, self_hosted=True)
    (item,) = explain(modelterms_catalog, use, ["openai/gpt-4o"], alternatives=50).explanations
    assert item.alternatives and item.alternatives_total >= len(item.alternatives)
    names = [alt.model for alt in item.alternatives]
    wanted = set(modelterms_catalog.find_model("openai/gpt-4o").modalities)
    for alt, result in zip(item.alternatives, modelterms_catalog.evaluate(use, names), strict=True):
        assert wanted <= set(modelterms_catalog.find_model(alt.model).modalities)
        assert result.verdict == alt.verdict != Verdict.FORBIDDEN
    assert item.result.model not in names


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(use=use_cases(), picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=6))
def test_a_group_representative_answers_like_each_member(use: UseCase, picks: list[int]) -> None:
    """What lets explain and compare evaluate once per group: same signature, same findings (rule, citation)."""
    modelterms_catalog = Catalog.load()
    models = list({m.id: m for m in (modelterms_catalog.models[pick % len(modelterms_catalog.models)]
                                     for pick in picks)}.values())
    groups = Groups(modelterms_catalog, modelterms_catalog.models, use.as_of)
    (by_group,) = groups.evaluate([use], models)
    for model, own in zip(models, modelterms_catalog.evaluate(use, models), strict=True):
        shared = groups.result_for(by_group, model)
        assert own.verdict == shared.verdict
        assert {(f.rule, f.citation) for f in own.findings} == {(f.rule, f.citation) for f in shared.findings}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(use=use_cases(), pick=st.integers(min_value=0, max_value=10_000))
def test_every_remedy_really_improves_and_none_contains_another(use: UseCase, pick: int) -> None:
    modelterms_catalog = Catalog.load()
    model = modelterms_catalog.models[pick % len(modelterms_catalog.models)]
    answer = explain(modelterms_catalog, use, [model])
    for item in answer.explanations:
        sets = [set(remedy.changes) for remedy in item.remedies]
        for index, one in enumerate(sets):
            assert not any(other < one for other in sets[:index] + sets[index + 1:])
        for remedy in item.remedies:
            data = use.to_dict()
            for change in remedy.changes:
                data = change.apply(data)
            (again,) = modelterms_catalog.evaluate(UseCase.from_dict(data), [model])
            assert again.verdict == remedy.verdict
            assert again.verdict.severity < item.result.verdict.severity


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_explain_names_the_change_and_its_clause() -> None:
    code, out, _ = run("explain", "meta-llama/Llama-3.1-8B-Instruct", "--no-config", "--commercial",
                       "--monthly-active-users", "800000000")
    assert code == 0
    assert "stay at or below 700M monthly_active_users" in out and "[llama-3.1 §2]" in out


def test_cli_explain_says_impossible_and_names_alternatives() -> None:
    code, out, _ = run("explain", "openai/gpt-4o", "--no-config", "--commercial", "--self-hosted",
                       "--format", "json")
    assert code == 0
    (item,) = json.loads(out)["explanations"]
    assert item["possible"] is False and item["alternatives"]
    assert item["remedies"][0]["changes"][0]["kind"] == "stop-activity"


def test_check_explain_appends_the_explanation_and_keeps_the_gate() -> None:
    code, out, _ = run("check", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--no-config", "--commercial",
                       "--monthly-active-users", "800000000", "--explain")
    assert code == 1  # forbidden fails the default gate, explanation or not
    assert "smallest changes that would improve it" in out
    code, out, _ = run("check", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--no-config", "--commercial",
                       "--monthly-active-users", "800000000", "--explain", "--format", "json")
    data = json.loads(out)
    assert data["results"][0]["verdict"] == "forbidden" and data["explanations"][0]["remedies"]
    code, _, err = run("check", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--no-config", "--explain",
                       "--format", "sarif")
    assert code == 2 and "--explain" in err


def test_check_explain_refuses_batch(tmp_path: Path) -> None:
    batch = tmp_path / "uses.jsonl"
    batch.write_text('{"commercial": true}\n', encoding="utf-8")
    code, _, err = run("check", "--batch", str(batch), "--explain", "--no-config", "--model", "deepseek-ai/DeepSeek-R1")
    assert code == 2 and "--batch" in err


def test_cli_explain_unknown_model_exits_2() -> None:
    code, _, err = run("explain", "meta-llama/Llama-9", "--no-config")
    assert code == 2 and "Llama-9" in err
