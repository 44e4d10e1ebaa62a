"""The project workflow end to end, through the CLI: config discovery, policies, waivers, every format, init, batch.

Every test runs inside a throw-away copy of ``tests/data/sample-project`` (see the
``project`` fixture), because ``modelterms check`` finds its config by walking up
from the working directory. Expected verdicts are derived from the license
profiles in ``licenses/`` and the rules, as the comments say, never pasted from output.

The sample project (tests/data/sample-project/modelterms.yaml) in short: a commercial
customer-support assistant serving third parties in US and EU, licensee in DE, not
self-hosted, not distributing; four models; the policy ``no-proprietary-api`` plus an
inline ``policy-no-research-only``; and a ``*`` waiver for Codestral approved by legal.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import xmlschema
import yaml
from click.testing import CliRunner
from junitparser import Failure, JUnitXml

from modelterms.cli import main

HERE = Path(__file__).parent
REPO = HERE.parent
SAMPLE = HERE / "data" / "sample-project"
POLICIES = REPO / "policies"
SARIF_SCHEMA = HERE / "data" / "sarif-schema-2.1.0.json"
JUNIT_XSD = HERE / "data" / "junit-10.xsd"

DEEPSEEK = "deepseek-ai/DeepSeek-R1"  # MIT: every grant "yes", no territories, thresholds or purposes
LLAMA = "meta-llama/Llama-3.1-8B-Instruct"  # llama-3.1 (OSI: no) + llama-3.1-aup (a policy document)
CODESTRAL = "mistralai/Codestral-22B-v0.1"  # MNPL: commercial_use "no", serve_third_parties "no"
GPT = "openai/gpt-4o"  # access api-only; openai-services-terms excludes CU, IR, KP, SY
QWEN = "Qwen/Qwen3-8B"  # apache-2.0, osi_approved: true
HUNYUAN = "tencent/Tencent-Hunyuan-Large"  # its license excludes the EU (no modality limit)
SAMPLE_MODELS = {DEEPSEEK, LLAMA, CODESTRAL, GPT}
FAR = "2999-12-31"
GPT_WAIVER = ("{model: openai/gpt-4o, rule: policy-no-proprietary-api, reason: migration planned, "
              f"approved_by: cto, expires: {FAR}}}")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def check_json(*args: str) -> tuple[int, dict, str]:
    code, out, err = run("check", "--format", "json", *args)
    assert code in (0, 1), err
    return code, json.loads(out), err


def by_model(report: dict) -> dict[str, dict]:
    return {result["model"]: result for result in report["results"]}


def rules_of(result: dict, verdict: str | None = None, source: str | None = None) -> set[str]:
    return {f["rule"] for f in result["findings"]
            if (verdict is None or f["verdict"] == verdict) and (source is None or f["source"] == source)}


def line_of(path: Path, needle: str) -> int:
    """The 1-based number of the first line of ``path`` containing ``needle`` (read independently of modelterms)."""
    lines = path.read_text("utf-8").splitlines()
    numbers = [number for number, text in enumerate(lines, start=1) if needle in text]
    assert numbers, f"{needle!r} not in {path}"
    return numbers[0]


def add_waivers(config: Path, *entries: str) -> list[int]:
    """Append flow-style waivers to the ``exceptions:`` list that ends the sample config; return their lines."""
    text = config.read_text("utf-8")
    assert text.rstrip("\n").splitlines()[-2] == "exceptions:", "the sample config must end with its exceptions"
    first = len(text.rstrip("\n").splitlines()) + 1
    config.write_text(text.rstrip("\n") + "\n" + "".join(f"  - {entry}\n" for entry in entries), "utf-8")
    return [first + index for index in range(len(entries))]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample project with the example policies, a repository boundary, and the CWD inside it."""
    root = tmp_path / "proj"
    shutil.copytree(SAMPLE, root)
    (root / "policies").mkdir()
    for policy in POLICIES.glob("*.yaml"):
        shutil.copy(policy, root / "policies" / policy.name)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    return root


# ------------------------------------------------------------------------------------------------ end to end


def test_sample_project_fails_on_the_policy_and_passes_once_it_is_waived(project: Path) -> None:
    code, report, err = check_json()
    assert code == 1
    assert Path(report["config"]).samefile(project / "modelterms.yaml")
    results = by_model(report)
    assert set(results) == SAMPLE_MODELS
    assert report["gate"]["failing"] == [GPT] and report["gate"]["passed"] is False
    assert "stale" not in err and "expired" not in err  # the Codestral waiver matches, and runs to 2999

    # GPT-4o: not self-hosted and not distributed, so no bundled api-only rule fires; commercial use is "yes"
    # and serving is "conditional": the only forbidden finding is the organisation policy's.
    gpt = results[GPT]
    assert gpt["verdict"] == "forbidden"
    assert rules_of(gpt, "forbidden") == {"policy-no-proprietary-api"}
    assert rules_of(gpt, source="policy") == {"policy-no-proprietary-api"}
    assert all(f["waiver"] is None for f in gpt["findings"])

    # Codestral: the MNPL grants neither commercial use nor serving third parties ("no"), and the inline
    # policy fires on commercial_use "no" + serving customers. Still forbidden, but all of it waived.
    codestral = results[CODESTRAL]
    assert codestral["verdict"] == "forbidden" and codestral["outstanding_verdict"] == "permitted"
    assert rules_of(codestral, "forbidden") >= {"commercial-use-not-granted", "hosted-service-not-granted",
                                                 "policy-no-research-only"}
    assert rules_of(codestral, source="policy") == {"policy-no-research-only"}
    needing_action = [f for f in codestral["findings"] if f["verdict"] != "permitted"]
    assert needing_action
    for finding in needing_action:
        assert finding["waiver"]["approved_by"] == "legal"
        assert finding["waiver"]["rule"] == "*" and finding["waiver"]["expires"] == FAR

    # DeepSeek-R1 is MIT: nothing for the rules to object to.
    assert results[DEEPSEEK]["verdict"] == "permitted"
    assert {f["verdict"] for f in results[DEEPSEEK]["findings"]} == {"permitted"}
    # Llama 3.1: conditions and an acceptable-use policy (restricted), below --fail-on forbidden.
    assert results[LLAMA]["verdict"] == "restricted"

    code, table, _ = run("check")
    assert code == 1 and "(waived)" in table and "FAILED: 1 of 4" in table

    add_waivers(project / "modelterms.yaml", GPT_WAIVER)
    code, report, err = check_json()
    assert code == 0, err
    assert report["gate"] == {"fail_on": "forbidden", "passed": True, "failing": [],
                              "waivers": {"expired": [], "stale": []}}
    gpt = by_model(report)[GPT]
    assert gpt["verdict"] == "forbidden"  # a waiver never changes what the license says
    assert gpt["outstanding_verdict"] == "restricted"  # the conditional serving grant remains
    policy = next(f for f in gpt["findings"] if f["rule"] == "policy-no-proprietary-api")
    assert policy["waiver"]["approved_by"] == "cto"


# ------------------------------------------------------------------------------------------------ formats


def render(fmt: str, name: str) -> str:
    """Run the sample project in ``fmt`` into a file; the gate fails on GPT-4o, so the exit code is 1."""
    code, out, err = run("check", "--format", fmt, "--output", name)
    assert code == 1, err
    assert out == ""  # the report went to the file, not to standard output
    return Path(name).read_text("utf-8")


def test_json_output_file(project: Path) -> None:
    report = json.loads(render("json", "report.json"))
    assert report["gate"]["passed"] is False
    assert set(by_model(report)) == SAMPLE_MODELS


def test_sarif_validates_and_points_at_the_declaring_line(project: Path) -> None:
    log = json.loads(render("sarif", "report.sarif"))
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    errors = [error.message for error in jsonschema.Draft4Validator(schema).iter_errors(log)]
    assert errors == []
    (sarif_run,) = log["runs"]
    results = sarif_run["results"]
    rules = sarif_run["tool"]["driver"]["rules"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]

    gpt_line = line_of(project / "modelterms.yaml", "- model: openai/gpt-4o")
    gpt = [r for r in results if r["properties"]["model"] == GPT]
    assert "policy-no-proprietary-api" in {r["ruleId"] for r in gpt}
    for result in gpt:
        (location,) = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == "modelterms.yaml"
        assert location["physicalLocation"]["region"]["startLine"] == gpt_line
        assert "suppressions" not in result
    policy = next(r for r in gpt if r["ruleId"] == "policy-no-proprietary-api")
    assert policy["level"] == "error" and policy["properties"]["source"] == "policy"

    codestral = [r for r in results if r["properties"]["model"] == CODESTRAL]
    assert codestral
    for result in codestral:
        assert [s["status"] for s in result["suppressions"]] == ["accepted"]
    # Permitted findings need no action, so the all-permitted DeepSeek-R1 has no result.
    assert not [r for r in results if r["properties"]["model"] == DEEPSEEK]


def test_junit_validates_against_the_xsd(project: Path) -> None:
    render("junit", "report.xml")
    errors = [str(error.reason) for error in xmlschema.XMLSchema(str(JUNIT_XSD)).iter_errors("report.xml")]
    assert errors == []


def test_junit_fails_exactly_gpt_4o(project: Path) -> None:
    render("junit", "report.xml")
    cases = [case for suite in JUnitXml.fromfile("report.xml") for case in suite]
    assert sorted(case.name for case in cases) == sorted(SAMPLE_MODELS)
    failed = [case.name for case in cases if any(isinstance(item, Failure) for item in case.result)]
    assert failed == [GPT]  # Codestral is waived, Llama is only restricted


def test_markdown_has_a_row_per_model(project: Path) -> None:
    text = render("markdown", "report.md")
    rows = {model: [line for line in text.splitlines() if line.startswith(f"| `{model}` |")] for model in SAMPLE_MODELS}
    assert all(len(found) == 1 for found in rows.values()), rows
    assert "failed" in text
    assert "| FAIL |" in rows[GPT][0] and "| waived |" in rows[CODESTRAL][0]


def test_csv_rows_carry_source_status_and_waiver(project: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(render("csv", "report.csv"))))
    # Policy findings: no-proprietary-api on the one api-only model, and the inline rule on the one
    # license whose commercial_use is "no" (MNPL).
    assert {(r["model"], r["rule"]) for r in rows if r["source"] == "policy"} == {
        (GPT, "policy-no-proprietary-api"), (CODESTRAL, "policy-no-research-only")}
    assert {r["status"] for r in rows if r["model"] == GPT} == {"FAIL"}
    assert {r["status"] for r in rows if r["model"] == CODESTRAL} == {"waived"}
    forbidden = [r for r in rows if r["model"] == CODESTRAL and r["finding_verdict"] == "forbidden"]
    assert forbidden and {r["waived_by"] for r in forbidden} == {"legal"}


def test_github_annotation_on_the_declaring_line(project: Path) -> None:
    lines = render("github", "report.txt").splitlines()
    gpt_line = line_of(project / "modelterms.yaml", "- model: openai/gpt-4o")
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 1 and GPT in errors[0]
    assert errors[0].startswith(f"::error file=modelterms.yaml,line={gpt_line},")
    codestral_line = line_of(project / "modelterms.yaml", "- model: mistralai/Codestral-22B-v0.1")
    assert any(line.startswith(f"::notice file=modelterms.yaml,line={codestral_line},") for line in lines)


def test_output_replaces_an_existing_file_whole(project: Path) -> None:
    target = project / "report.json"
    target.write_text("x" * 1_000_000, "utf-8")  # far longer than the report: a truncating write would show
    inode = target.stat().st_ino
    code, out, _ = run("check", "--format", "json", "--output", "report.json")
    assert code == 1 and out == ""
    assert json.loads(target.read_text("utf-8"))["gate"]["passed"] is False
    assert target.stat().st_ino != inode  # a new file renamed over the old one, not rewritten in place
    assert list(project.glob(".modelterms-*.tmp")) == []


def test_output_into_a_missing_directory_is_bad_input(project: Path) -> None:
    before = sorted(p.name for p in project.iterdir())
    code, out, err = run("check", "--format", "json", "--output", "missing/report.json")
    assert code == 2 and out == "" and "error:" in err
    assert not (project / "missing").exists()
    assert sorted(p.name for p in project.iterdir()) == before


# ------------------------------------------------------------------------------------------------ waivers


def test_expired_waiver_fails_even_below_fail_on(project: Path) -> None:
    # hosted-service-conditional on Llama is only restricted (llama-3.1 serve_third_parties: conditional),
    # so it cannot fail --fail-on forbidden; GPT-4o is waived so that nothing else fails.
    _, expired_line = add_waivers(project / "modelterms.yaml", GPT_WAIVER,
                                  "{model: meta-llama/Llama-3.1-8B-Instruct, rule: hosted-service-conditional, "
                                  "reason: old approval, approved_by: legal, expires: 2000-01-01}")
    code, report, err = check_json()
    assert code == 1
    assert "expired" in err and f"modelterms.yaml:{expired_line}" in err
    assert report["gate"]["failing"] == [] and report["gate"]["passed"] is False
    (expired,) = report["gate"]["waivers"]["expired"]
    assert (expired["model"], expired["rule"], expired["expires"]) == (LLAMA, "hosted-service-conditional",
                                                                       "2000-01-01")
    assert expired["declared_at"]["line"] == expired_line
    llama = by_model(report)[LLAMA]
    assert all(f["waiver"] is None for f in llama["findings"] if f["rule"] == "hosted-service-conditional")


def test_stale_waiver_warns_but_does_not_fail(project: Path) -> None:
    # MIT grants serve_third_parties "yes", so hosted-service-not-granted (value "no") cannot fire on DeepSeek-R1.
    _, stale_line = add_waivers(project / "modelterms.yaml", GPT_WAIVER,
                                "{model: deepseek-ai/DeepSeek-R1, rule: hosted-service-not-granted, "
                                "reason: just in case, approved_by: legal, expires: 2999-01-01}")
    code, report, err = check_json()
    assert code == 0  # as without the stale waiver (see the end-to-end test)
    assert "stale" in err and f"modelterms.yaml:{stale_line}" in err and "expired" not in err
    (stale,) = report["gate"]["waivers"]["stale"]
    assert (stale["model"], stale["rule"]) == (DEEPSEEK, "hosted-service-not-granted")
    assert "hosted-service-not-granted" not in rules_of(by_model(report)[DEEPSEEK])


def test_waiver_for_an_unknown_model_names_its_line(project: Path) -> None:
    (line,) = add_waivers(project / "modelterms.yaml", "{model: acme/no-such-model, rule: '*', reason: r, "
                                                       "approved_by: legal, expires: 2999-01-01}")
    code, out, err = run("check")
    assert code == 2 and out == ""
    assert f"modelterms.yaml:{line}" in err and "acme/no-such-model" in err


def test_waiver_for_a_misspelt_rule_suggests_the_rule(project: Path) -> None:
    (line,) = add_waivers(project / "modelterms.yaml", "{model: openai/gpt-4o, rule: policy-no-proprietary-ap, "
                                                       "reason: r, approved_by: legal, expires: 2999-01-01}")
    code, out, err = run("check")
    assert code == 2 and out == ""
    assert f"modelterms.yaml:{line}" in err
    assert "did you mean `policy-no-proprietary-api`" in err


# ------------------------------------------------------------------------------------------------ config discovery


def test_config_is_found_from_a_subdirectory(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deep = project / "src" / "app"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    code, report, _ = check_json()
    assert code == 1
    assert Path(report["config"]).samefile(project / "modelterms.yaml")
    assert set(by_model(report)) == SAMPLE_MODELS


def test_config_above_the_repository_root_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outer = tmp_path / "outer"
    repo = outer / "repo"
    repo.mkdir(parents=True)
    (outer / "modelterms.yaml").write_text("models: [openai/gpt-4o]\n", "utf-8")
    monkeypatch.chdir(repo)
    # Control: without a repository boundary the file above is the project's config.
    _, report, _ = check_json()
    assert set(by_model(report)) == {GPT}
    (repo / ".git").mkdir()
    _, report, _ = check_json()
    assert report["config"] is None
    assert len(report["results"]) > 40  # the whole catalog


PYPROJECT = """\
[project]
name = "demo"

[tool.modelterms]
{models_key} = ["deepseek-ai/DeepSeek-R1", "mistralai/Codestral-22B-v0.1"]

[tool.modelterms.use_case]
commercial = true
serves_third_parties = true

[[tool.modelterms.exceptions]]
model = "mistralai/Codestral-22B-v0.1"
rule = "*"
reason = "evaluation only"
approved_by = "legal"
expires = {expires}
"""


@pytest.mark.parametrize(("expires", "expected"), [(FAR, 0), ("2000-01-01", 1)])
def test_pyproject_tool_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, expires: str, expected: int) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.format(models_key="models", expires=expires), "utf-8")
    monkeypatch.chdir(tmp_path)
    # Codestral is forbidden for commercial use; the waiver (a TOML date) covers it until it expires.
    code, report, err = check_json()
    assert code == expected, err
    assert Path(report["config"]).samefile(tmp_path / "pyproject.toml")
    assert report["use_case"]["commercial"] is True and report["use_case"]["serves_third_parties"] is True
    assert set(by_model(report)) == {DEEPSEEK, CODESTRAL}
    assert by_model(report)[CODESTRAL]["verdict"] == "forbidden"
    if expected == 0:
        assert by_model(report)[CODESTRAL]["outstanding_verdict"] == "permitted"
    else:
        assert "expired" in err and report["gate"]["waivers"]["expired"][0]["expires"] == "2000-01-01"


def test_pyproject_bad_key_names_the_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PYPROJECT.format(models_key="modles", expires=FAR), "utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run("check")
    assert code == 2 and out == ""
    assert f"pyproject.toml:{line_of(pyproject, 'modles =')}" in err
    assert "did you mean `models`" in err


def test_config_option_overrides_discovery(project: Path) -> None:
    (project / "other.yaml").write_text("models: [deepseek-ai/DeepSeek-R1]\n", "utf-8")
    code, report, _ = check_json("--config", "other.yaml")
    assert code == 0  # MIT, and none of the sample's policies are loaded
    assert Path(report["config"]).samefile(project / "other.yaml")
    assert set(by_model(report)) == {DEEPSEEK}


def test_no_config_checks_the_whole_catalog(project: Path) -> None:
    files = [yaml.safe_load(path.read_text("utf-8")) for path in (REPO / "licenses" / "models").glob("*.yaml")]
    catalog = {entry["id"] for data in files for entry in data.get("models", [])} | {
        member["id"] for data in files for family in data.get("families", []) for member in family["members"]}
    _, report, _ = check_json("--no-config")
    assert report["config"] is None
    assert len(report["results"]) > 40
    assert set(by_model(report)) == catalog
    # The sample's policies and waivers are ignored with it ("catalog": a withdrawn API model has no license in force).
    assert all(f["source"] in ("bundled", "catalog") and f["waiver"] is None
               for r in report["results"] for f in r["findings"])


def test_misspelt_top_level_key_is_reported_with_a_hint(project: Path) -> None:
    config = project / "modelterms.yaml"
    config.write_text(config.read_text("utf-8").replace("\nmodels:\n", "\nmodles:\n"), "utf-8")
    code, out, err = run("check")
    assert code == 2 and out == ""
    assert f"modelterms.yaml:{line_of(config, 'modles:')}" in err
    assert "did you mean `models`" in err


def test_unknown_declared_model_names_its_line(project: Path) -> None:
    config = project / "modelterms.yaml"
    config.write_text(config.read_text("utf-8").replace("model: openai/gpt-4o", "model: openai/gpt-99"), "utf-8")
    code, out, err = run("check")
    assert code == 2 and out == ""
    assert f"modelterms.yaml:{line_of(config, '- model: openai/gpt-99')}" in err and "openai/gpt-99" in err


# ------------------------------------------------------------------------------------------------ policies


def policy_findings(report: dict) -> dict[str, set[str]]:
    return {model: rules_of(result, source="policy") for model, result in by_model(report).items()}


def test_no_proprietary_api_policy_and_fail_on(project: Path) -> None:
    models = ("--no-config", "--model", GPT, "--model", DEEPSEEK)
    # Default use case (nothing self-hosted, distributed, served or sold): GPT-4o is only restricted
    # (conditions, usage policies), DeepSeek-R1 permitted, so the check passes without the policy...
    code, report, _ = check_json(*models)
    assert code == 0 and by_model(report)[GPT]["verdict"] == "restricted"
    # ... and the policy (license.primary + model.access api-only) makes GPT-4o forbidden: exit 1.
    code, report, _ = check_json(*models, "--policy", "policies/no-proprietary-api.yaml")
    assert code == 1
    assert policy_findings(report) == {GPT: {"policy-no-proprietary-api"}, DEEPSEEK: set()}
    assert report["gate"]["failing"] == [GPT]


def test_osi_only_when_shipping_policy(project: Path) -> None:
    args = ("--no-config", "--policy", "policies/osi-only-when-shipping.yaml", "--model", LLAMA, "--model", QWEN)
    # llama-3.1 is not OSI-approved, apache-2.0 is; the rule needs use.distributes.
    _, report, _ = check_json(*args, "--distributes")
    assert policy_findings(report) == {LLAMA: {"policy-osi-only-when-shipping"}, QWEN: set()}
    _, report, _ = check_json(*args)
    assert policy_findings(report) == {LLAMA: set(), QWEN: set()}


def test_territory_review_policy(project: Path) -> None:
    # The Hunyuan Large license excludes the EU for every modality; MIT has no territory clause at all.
    _, report, _ = check_json("--no-config", "--policy", "policies/territory-review.yaml",
                              "--model", HUNYUAN, "--model", DEEPSEEK)
    assert policy_findings(report) == {HUNYUAN: {"policy-territory-exclusion-review"}, DEEPSEEK: set()}
    (finding,) = [f for f in by_model(report)[HUNYUAN]["findings"] if f["source"] == "policy"]
    assert finding["verdict"] == "restricted"


def test_policy_may_not_reuse_a_bundled_rule_id(project: Path) -> None:
    (project / "bad-policy.yaml").write_text("""\
rules:
  - id: license-in-force
    description: An organisation rule that tries to replace a bundled one.
    subject: license
    when:
      - license.primary: true
    verdict: forbidden
    message: "{model.name} is not allowed."
    cite: license
""", "utf-8")
    code, out, err = run("check", "--no-config", "--policy", "bad-policy.yaml", "--model", DEEPSEEK)
    assert code == 2 and out == ""
    assert "bad-policy.yaml" in err and "license-in-force" in err


def test_example_policies_validate() -> None:
    code, out, err = run("validate", str(POLICIES))
    assert code == 0, err
    assert len([line for line in out.splitlines() if line.startswith("ok:") and "(rules)" in line]) == len(
        list(POLICIES.glob("*.yaml")))


# ------------------------------------------------------------------------------------------------ init


def test_init_writes_a_usable_config_and_never_overwrites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "modelterms.yaml"
    code, _, err = run("init")
    assert code == 0, err
    starter = config.read_bytes()
    code, out, err = run("validate", "modelterms.yaml")
    assert code == 0 and "ok:" in out, err
    code, report, err = check_json()
    declared = {item["model"] if isinstance(item, dict) else item for item in yaml.safe_load(starter)["models"]}
    assert set(by_model(report)) == declared

    edited = starter + b"# my own edits\n"
    config.write_bytes(edited)
    code, _, err = run("init")
    assert code == 2 and "already exists" in err
    assert config.read_bytes() == edited
    code, _, _ = run("init", "--force")
    assert code == 0 and config.read_bytes() == starter


# ------------------------------------------------------------------------------------------------ batch


def test_batch_reports_bad_lines_and_runs_the_others(project: Path) -> None:
    Path("batch.jsonl").write_text("\n".join([
        '{"commercial": true}',
        '{"commercial": tru',
        '{"purposes": ["not-a-real-purpose"]}',
        '{"self_hosted": true}',
    ]) + "\n", "utf-8")
    code, out, err = run("check", "--batch", "batch.jsonl")
    assert code == 2
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["line"] for line in lines] == [1, 2, 3, 4]
    assert ["error" in line for line in lines] == [False, True, True, False]
    assert "batch.jsonl:2" in err and "batch.jsonl:3" in err
    assert "batch.jsonl:1" not in err and "batch.jsonl:4" not in err
    # Each line is merged over the config's use case, and the config's policies still apply.
    first, last = by_model(lines[0]), by_model(lines[3])
    assert "policy-no-proprietary-api" in rules_of(first[GPT])
    assert "api-only-not-self-hostable" not in rules_of(first[GPT])
    assert "api-only-not-self-hostable" in rules_of(last[GPT])  # self_hosted only on line 4


def test_batch_of_valid_lines_exits_with_the_gate(project: Path) -> None:
    Path("batch.jsonl").write_text('{"commercial": true}\n{"commercial": false}\n', "utf-8")
    code, out, _ = run("check", "--batch", "batch.jsonl")
    assert code == 1  # GPT-4o is forbidden by the project policy on every line
    assert [json.loads(line)["gate"]["passed"] for line in out.splitlines()] == [False, False]
    code, out, _ = run("check", "--batch", "batch.jsonl", "--model", DEEPSEEK)
    assert code == 0  # MIT permits everything these lines ask
    assert [json.loads(line)["line"] for line in out.splitlines()] == [1, 2]


def test_batch_progress_bar_only_on_a_terminal(project: Path) -> None:
    """On a terminal, stderr shows click's progress bar; piped, stderr stays free of it."""
    import os
    import pty
    import subprocess
    import sys

    batch = project / "cases.jsonl"
    batch.write_text('{"commercial": true}\n{"commercial": false}\n', "utf-8")
    command = [sys.executable, "-m", "modelterms", "check", "--batch", str(batch), "--model", DEEPSEEK]
    env = {**os.environ, "MODELTERMS_NO_CACHE": "1"}
    master, slave = pty.openpty()
    try:
        proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=slave, env=env, timeout=120)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal closed: everything has been read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    assert proc.returncode == 0
    assert [json.loads(line)["line"] for line in proc.stdout.decode().splitlines()] == [1, 2]
    assert b"checking" in seen and b"100%" in seen
    piped = subprocess.run(command, capture_output=True, env=env, timeout=120)
    assert piped.returncode == 0 and b"checking" not in piped.stderr
