"""compare: each dimension's verdict comes from the rules, cells fit 120 columns, bad input exits 2."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelterms import Catalog, Dimension, UseCase, Verdict, compare
from modelterms._compare import dimensions_of
from modelterms._format.comparison import render
from modelterms.cli import main
from modelterms.strategies import use_cases


def _rule(catalog: Catalog, rule_id: str) -> object:
    return next(rule for rule in catalog.rules if rule.id == rule_id)


def test_each_bundled_rule_belongs_to_the_dimension_it_reads(modelterms_catalog: Catalog) -> None:
    expected = {
        "commercial-use-not-granted": (Dimension.COMMERCIAL,),
        "competing-use-not-granted": (Dimension.COMMERCIAL,),  # reads no activity: the grant it names
        "api-only-not-self-hostable": (Dimension.SELF_HOSTING,),
        "api-only-not-distributable": (Dimension.DISTRIBUTING,),
        "modification-not-granted": (Dimension.MODIFYING,),
        "hosted-service-conditional": (Dimension.SERVING,),
        "training-competing-model-on-outputs": (Dimension.TRAINING,),
        "threshold-exceeded-forbidden": (Dimension.CAPS,),
        "threshold-figure-unstated": (Dimension.CAPS,),
        "territory-excludes-domicile": (Dimension.TERRITORY,),
        "prohibited-purpose": (Dimension.PURPOSES,),
        "obligation-always-condition": (),  # binds any use: only the overall verdict shows it
        "license-in-force": (),
    }
    for rule_id, dimensions in expected.items():
        assert dimensions_of(_rule(modelterms_catalog, rule_id)) == dimensions, rule_id  # type: ignore[arg-type]


def test_cells_carry_the_verdict_and_the_key_figure(modelterms_catalog: Catalog) -> None:
    use = UseCase(commercial=True, monthly_active_users=1000, licensee_country="DE")
    table = compare(modelterms_catalog, use, ["meta-llama/Llama-3.2-11B-Vision-Instruct", "Qwen/Qwen2.5-3B-Instruct",
                                             "openai/gpt-4o", "Qwen/Qwen2.5-7B-Instruct"])
    vision, research, gpt, apache = table.rows
    # Llama 3.2 §2: the 700M MAU cap is a condition of commercial use; the AUP's EU paragraph bars an EU licensee
    caps = vision.cell(Dimension.CAPS)
    assert caps.verdict == Verdict.RESTRICTED and caps.figure == "700M MAU"
    assert vision.cell(Dimension.TERRITORY).verdict == Verdict.FORBIDDEN
    assert vision.cell(Dimension.TERRITORY).figure == "EU" and vision.verdict == Verdict.FORBIDDEN
    # Qwen Research License: no commercial use
    commercial = research.cell(Dimension.COMMERCIAL)
    assert commercial.verdict == Verdict.FORBIDDEN and commercial.declared
    # an API-only model cannot be self-hosted: shown although the use case does not ask it (declared false)
    hosting = gpt.cell(Dimension.SELF_HOSTING)
    assert hosting.verdict == Verdict.FORBIDDEN and not hosting.declared and gpt.verdict != Verdict.FORBIDDEN
    assert all(cell.verdict == Verdict.PERMITTED for cell in apache.cells)


def test_before_a_license_is_in_force_every_dimension_is_withheld(modelterms_catalog: Catalog) -> None:
    # Llama 3.1 was released (and licensed) on 2024-07-23: nothing is granted the day before
    (row,) = compare(modelterms_catalog, UseCase(commercial=True, as_of="2024-07-22"),
                     ["meta-llama/Llama-3.1-8B-Instruct"]).rows
    assert row.verdict == Verdict.FORBIDDEN and row.licenses == ()
    assert all(cell.verdict == Verdict.FORBIDDEN for cell in row.cells)


def test_overall_verdict_is_the_models_own_and_a_model_named_twice_is_one_row(modelterms_catalog: Catalog) -> None:
    use = UseCase(commercial=True, distributes=True)
    names = ["google/gemma-2-9b-it", "mistralai/Mistral-7B-Instruct-v0.3", "google/gemma-2-9b-it"]
    table = compare(modelterms_catalog, use, names)
    assert [row.model for row in table.rows] == names[:2]
    for row, result in zip(table.rows, modelterms_catalog.evaluate(use, names[:2]), strict=True):
        assert row.verdict == result.verdict


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(use=use_cases(), picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=5))
def test_no_declared_cell_is_worse_than_the_overall_verdict(use: UseCase, picks: list[int]) -> None:
    catalog = Catalog.load()
    models = [catalog.models[pick % len(catalog.models)] for pick in picks]
    for row in compare(catalog, use, models).rows:
        for cell in row.cells:
            if cell.declared:
                assert cell.verdict.severity <= row.verdict.severity, (row.model, cell)


def test_table_fits_120_columns_and_other_formats_parse(modelterms_catalog: Catalog) -> None:
    use = UseCase(commercial=True, serves_third_parties=True, territories=("EU", "US"), purposes=("coding",))
    table = compare(modelterms_catalog, use, list(modelterms_catalog.models[:50]))
    text = render(table, "table")
    assert max(len(line) for line in text.splitlines()) <= 120
    assert len(json.loads(render(table, "json"))["rows"]) == 50
    rows = list(csv.reader(io.StringIO(render(table, "csv"))))
    assert len(rows) == 51 and rows[0][:3] == ["model", "licenses", "verdict"]
    assert render(table, "markdown").count("\n| `") == 50


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_compare_by_family_and_vendor() -> None:
    code, out, _ = run("compare", "--no-config", "--family", "llama-3.2", "--commercial", "--format", "json")
    assert code == 0
    rows = json.loads(out)["rows"]
    catalog = Catalog.load()
    members = {model.id for model in catalog.models if model.family == "llama-3.2"}
    assert rows and {row["model"] for row in rows} == members
    code, out, _ = run("compare", "--no-config", "--vendor", "deepseek", "--format", "csv")
    assert code == 0 and "deepseek" in out.lower()


def test_cli_compare_bad_input_exits_2() -> None:
    code, _, err = run("compare", "--no-config", "meta-llama/Llama-9-8B")
    assert code == 2 and "Llama-9-8B" in err
    code, _, err = run("compare", "--no-config", "--family", "llama-9")
    assert code == 2 and "llama-9" in err
    code, _, err = run("compare", "--no-config")
    assert code == 2 and "name the models" in err


def test_cli_compare_takes_the_config_models_use_case_and_policies(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    policy = Path(__file__).parent.parent / "policies" / "no-proprietary-api.yaml"
    config = tmp_path / "modelterms.yaml"
    config.write_text(f"models: [openai/gpt-4o, deepseek-ai/DeepSeek-R1]\nuse_case: {{commercial: true}}\n"
                      f"policy:\n  - {policy}\n", encoding="utf-8")
    code, out, _ = run("compare", "--config", str(config), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["use_case"]["commercial"] is True
    rows = {row["model"]: row for row in data["rows"]}
    assert set(rows) == {"openai/gpt-4o", "deepseek-ai/DeepSeek-R1"}
    assert rows["openai/gpt-4o"]["verdict"] == "forbidden"  # the organisation's policy bars proprietary APIs
    assert rows["deepseek-ai/DeepSeek-R1"]["verdict"] == "permitted"
