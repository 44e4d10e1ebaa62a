"""Properties of the whole engine, proved over generated inputs (hypothesis)."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelterms import Catalog, Citation, UseCase, strategies
from modelterms._facts import build
from modelterms._format.json import render as render_json
from modelterms._gate import judge
from modelterms._report import Report
from modelterms.cli import main

from .conftest import URL

SLOW = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
_catalog = Catalog.load()
_models = [model.id for model in _catalog.models]


def _severities(catalog: Catalog, use: UseCase) -> dict[str, int]:
    return {result.model: result.verdict.severity for result in catalog.evaluate(use)}


@st.composite
def _more_demanding(draw: st.DrawFn, use: UseCase) -> UseCase:
    changes: dict[str, Any] = {}
    for key in draw(st.lists(st.sampled_from(["commercial", "self_hosted", "modifies", "distributes",
                                              "serves_third_parties", "trains_on_outputs", "competes_with_licensor"]),
                             max_size=3)):
        changes[key] = True
    for key in ("monthly_active_users", "monthly_revenue_usd", "annual_revenue_usd"):
        stated = getattr(use, key)  # an unstated figure stays unstated: stating one may rightly loosen
        changes[key] = None if stated is None else stated + draw(st.sampled_from([0, 0, 1, 10**6, 10**9]))
    extra_place = draw(st.lists(st.sampled_from(["EU", "GB", "KR", "US", "CN"]), max_size=2))
    changes["territories"] = tuple(dict.fromkeys([*use.territories, *extra_place]))
    extra_purpose = draw(st.lists(st.sampled_from(["military", "coding", "medical-advice", "surveillance"]),
                                  max_size=2))
    changes["purposes"] = tuple(dict.fromkeys([*use.purposes, *extra_purpose]))
    return dataclasses.replace(use, **changes)


@SLOW
@given(data=st.data())
def test_more_demanding_use_is_never_more_permissive(data: st.DataObject) -> None:
    use = data.draw(strategies.use_cases())
    harder = data.draw(_more_demanding(use))
    before, after = _severities(_catalog, use), _severities(_catalog, harder)
    loosened = {model: (before[model], after[model]) for model in before if after[model] < before[model]}
    assert not loosened, (use, harder, loosened)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(rule=strategies.rules(), use=strategies.use_cases())
def test_adding_a_rule_is_never_more_permissive(tmp_path_factory: pytest.TempPathFactory, rule: dict,
                                                use: UseCase) -> None:
    path = tmp_path_factory.mktemp("rules") / "extra.yaml"
    path.write_text(yaml.safe_dump({"rules": [rule]}))
    extended = Catalog.load(rules=[path])
    before, after = _severities(_catalog, use), _severities(extended, use)
    assert all(after[model] >= before[model] for model in before)


def _json(catalog: Catalog, use: UseCase, models: list[str]) -> str:
    results = sorted(catalog.evaluate(use, models), key=lambda result: result.model)
    return render_json(Report(use, (), tuple(results), judge(results, (), "forbidden")))


@SLOW
@given(use=strategies.use_cases(), seed=st.integers(0, 2**32))
def test_order_of_models_does_not_change_the_output(use: UseCase, seed: int) -> None:
    shuffled = list(_models)
    random.Random(seed).shuffle(shuffled)
    assert _json(_catalog, use, shuffled) == _json(_catalog, use, _models)


def test_order_of_license_and_rule_files_does_not_change_the_output(tmp_path: Path) -> None:
    from modelterms._paths import bundled_licenses, bundled_rules

    one, two = tmp_path / "a", tmp_path / "b"
    for root, name in ((one, "x1"), (two, "x2")):
        (root / "models").mkdir(parents=True)
        profile = yaml.safe_load((bundled_licenses() / "mit.yaml").read_text())
        profile["id"] = name
        profile.pop("huggingface")  # a Hugging Face key names one profile; MIT's stays MIT's
        (root / f"{name}.yaml").write_text(yaml.safe_dump(profile))
        entry = {"id": f"acme/{name}", "name": name, "vendor": "Acme", "access": "open-weights", "weights": "open",
                 "modalities": ["text"], "released": "2024-01-01",
                 "licenses": [{"licenses": [name], "from": "2024-01-01", "source": URL}]}
        (root / "models" / "m.yaml").write_text(yaml.safe_dump({"models": [entry]}))
    use = UseCase(commercial=True, distributes=True, as_of="2026-01-01")
    forward = Catalog.load(licenses=[one, two], rules=[bundled_rules() / "obligations.yaml"])
    backward = Catalog.load(licenses=[two, one], rules=[bundled_rules() / "obligations.yaml"])
    models = [model.id for model in forward.models]
    assert _json(forward, use, models) == _json(backward, use, models)


@SLOW
@given(use=strategies.use_cases())
def test_round_trip_through_yaml_evaluates_the_same(use: UseCase) -> None:
    text = yaml.safe_dump(use.to_dict(), allow_unicode=True)
    again = UseCase.from_dict(yaml.safe_load(text))
    assert again == use
    assert _catalog.evaluate(again) == _catalog.evaluate(use)


# --- differential testing: a second, independent evaluator of the same YAML rules, in plain Python -----------------

def _lookup(fact_values: dict[str, Any], path: str) -> Any:
    head, _, tail = path.partition(".")
    return fact_values.get(head, {}).get(tail)


def _holds(condition: dict[str, Any], values: dict[str, Any]) -> bool:
    ((path, spec),) = condition.items()
    if path == "any":
        return any(_holds(option, values) for option in spec)
    left = _lookup(values, path)
    if not isinstance(spec, dict):
        spec = {"eq": spec}
    ((op, operand),) = spec.items()
    right = _lookup(values, operand["ref"]) if isinstance(operand, dict) else operand
    if op == "exists":
        return (left is not None) == bool(operand)
    if op == "contains":
        return right in (left or [])
    if op == "in":
        return left in operand
    if op == "not_in":
        return left not in operand
    if op == "eq":
        return (left == right and type(left) is type(right)) or (left is None and right is None)
    if op == "ne":
        return left != right
    if left is None or right is None:
        return False
    return {"gt": left > right, "gte": left >= right, "lt": left < right, "lte": left <= right}[op]


def _reference_fired(catalog: Catalog, use: UseCase) -> set[tuple[str, str, str, str]]:
    prepared = [item for key in sorted(catalog._prepared) for item in catalog._prepared[key]
                if catalog.find_model(key[0]).period(use.as_of) is catalog.find_model(key[0]).periods[key[1]]]
    _, contexts = build(use, prepared, catalog.compiled.wanted)
    fired = set()
    for context in contexts:
        for rule in catalog.compiled.rules:
            if rule.subject == context.term.subject and all(_holds(c, context.values) for c in rule.when):
                citation = context.term.citation if rule.cite == "term" else Citation(
                    context.profile.id, "whole document", context.profile.url)
                fired.add((context.model.id, context.profile.id, rule.id, repr(citation)))
    return fired


def _engine_fired(catalog: Catalog, use: UseCase) -> set[tuple[str, str, str, str]]:
    out = set()
    for result in catalog.evaluate(use):
        for finding in result.findings:
            if finding.rule != "no-license-in-force":
                out.add((result.model, finding.citation.license, finding.rule, finding.citation))
    return {(m, lic, rule, repr(cite)) for m, lic, rule, cite in out}


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(use=strategies.use_cases())
def test_durable_rules_agrees_with_a_plain_python_evaluator(use: UseCase) -> None:
    assert _engine_fired(_catalog, use) == _reference_fired(_catalog, use)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(rule=strategies.rules(), use=strategies.use_cases())
def test_generated_rules_compile_to_what_the_reference_evaluator_says(
        tmp_path_factory: pytest.TempPathFactory, rule: dict, use: UseCase) -> None:
    path = tmp_path_factory.mktemp("rules") / "extra.yaml"
    path.write_text(yaml.safe_dump({"rules": [rule]}))
    extended = Catalog.load(rules=[path])
    assert _engine_fired(extended, use) == _reference_fired(extended, use)


# --- every generated invalid file is rejected with exit 2 and file:line:key ---------------------------------------

@pytest.mark.parametrize("strategy", [strategies.invalid_use_cases, strategies.invalid_license_profiles,
                                      strategies.invalid_model_entries, strategies.invalid_rules])
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_invalid_documents_are_rejected_with_location(tmp_path_factory: pytest.TempPathFactory, strategy: Any,
                                                      data: st.DataObject) -> None:
    document, expected = data.draw(strategy())
    path = tmp_path_factory.mktemp("bad") / "bad.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert expected in result.output
    assert re.search(rf"error: {re.escape(str(path))}:\d+: ", result.output), result.output
    assert "Traceback" not in result.output



@settings(max_examples=20, deadline=None)
@given(use=st.from_type(UseCase))
def test_from_type_use_case_is_registered(use: UseCase) -> None:
    # Registered by the `hypothesis` entry point in pyproject.toml, no import of modelterms.strategies needed.
    assert isinstance(use, UseCase)
    assert UseCase.from_dict(use.to_dict()) == use
