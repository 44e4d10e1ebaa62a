"""The CI gate as a new user wires it up (issue 17): one config serving `check` and `scan`, precedence, init.

Each test starts from the sample project (tests/data/sample-project, see tests/test_workflow.py for what
it declares) with the model cards of tests/data/model-cards copied under ``models/``, so that the same
modelterms.yaml is read by `check` (catalog models) and `scan` (cards). Expected outcomes are derived from
the config and the licenses, as the comments say.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelterms.cli import main

HERE = Path(__file__).parent
SAMPLE = HERE / "data" / "sample-project"
CARDS = HERE / "data" / "model-cards"
POLICIES = HERE.parent / "policies"
FAR = "2999-12-31"
GPT = "openai/gpt-4o"
LLAMA = "meta-llama/Llama-3.1-8B-Instruct"
CODESTRAL = "mistralai/Codestral-22B-v0.1"
DEEPSEEK = "deepseek-ai/DeepSeek-R1"
#: A card the catalog cannot map (acme-internal-terms): `scan` reports unknown-model-card for it.
MYSTERY_WAIVER = ("{model: models/acme/mystery-7b, rule: unknown-model-card, reason: reviewed by legal, "
                  f"approved_by: legal, expires: {FAR}}}")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def as_json(*args: str) -> tuple[int, dict, str]:
    code, out, err = run(*args, "--format", "json")
    assert code in (0, 1), err
    return code, json.loads(out), err


def add_waivers(config: Path, *entries: str) -> None:
    text = config.read_text("utf-8").rstrip("\n")
    assert text.splitlines()[-2] == "exceptions:", "the sample config ends with its exceptions"
    config.write_text(text + "\n" + "".join(f"  - {entry}\n" for entry in entries), "utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(SAMPLE, root)
    shutil.copytree(POLICIES, root / "policies")
    shutil.copytree(CARDS, root / "models")
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    return root


# ----------------------------------------------------------------------------- 1, 2: waivers per command


def test_a_card_waiver_does_not_break_check(project: Path) -> None:
    add_waivers(project / "modelterms.yaml", MYSTERY_WAIVER)
    code, report, err = as_json("check")
    # As without the card waiver: the policy forbids GPT-4o (see test_workflow's end-to-end test).
    assert code == 1 and report["gate"]["failing"] == [GPT]
    assert "unknown model" not in err
    assert report["gate"]["waivers"]["stale"] == []  # a card is not check's business: not stale either


def test_a_misspelt_catalog_waiver_is_still_an_error_in_check(project: Path) -> None:
    add_waivers(project / "modelterms.yaml", "{model: openai/gpt-4oo, rule: '*', reason: r, approved_by: a, "
                                             f"expires: {FAR}}}")
    code, _, err = run("check")
    assert code == 2 and "gpt-4oo" in err


def test_scan_uses_the_card_waiver_and_leaves_check_waivers_alone(project: Path) -> None:
    add_waivers(project / "modelterms.yaml", MYSTERY_WAIVER,
                f"{{model: {GPT}, rule: '*', reason: r, approved_by: a, expires: 2000-01-01}}")
    code, report, err = as_json("scan", "models/acme/mystery-7b")
    # The only card is waived; the Codestral waiver and the expired GPT-4o one are for models not scanned.
    assert code == 0, err
    assert report["results"][0]["findings"][0]["waiver"]["approved_by"] == "legal"
    assert report["gate"]["waivers"] == {"expired": [], "stale": []}
    assert "stale" not in err and "expired" not in err


def test_scan_still_calls_a_waiver_for_a_vanished_card_stale(project: Path) -> None:
    add_waivers(project / "modelterms.yaml", "{model: models/acme/gone, rule: '*', reason: r, approved_by: a, "
                                             f"expires: {FAR}}}")
    _, report, _ = as_json("scan", "models/acme/mystery-7b")
    assert [w["model"] for w in report["gate"]["waivers"]["stale"]] == ["models/acme/gone"]


def test_check_of_one_model_leaves_the_other_waivers_alone(project: Path) -> None:
    add_waivers(project / "modelterms.yaml",
                f"{{model: {LLAMA}, rule: '*', reason: r, approved_by: a, expires: 2000-01-01}}")
    code, report, err = as_json("check", "--model", DEEPSEEK)
    # DeepSeek-R1 is MIT; the Codestral waiver and the expired Llama one are about models not checked.
    assert code == 0, err
    assert report["gate"]["waivers"] == {"expired": [], "stale": []}
    assert "stale" not in err and "expired" not in err
    code, report, _ = as_json("check", "--model", LLAMA)
    assert code == 1 and [w["model"] for w in report["gate"]["waivers"]["expired"]] == [LLAMA]


# ----------------------------------------------------------------------------- 3: use-case precedence


def test_a_use_case_file_merges_over_the_config_and_flags_over_both(project: Path) -> None:
    (project / "uc.yaml").write_text("monthly_active_users: 1000\nterritories: [US]\n", "utf-8")
    code, report, _ = as_json("check", "--model", DEEPSEEK, "--use-case", "uc.yaml", "--no-commercial")
    assert code == 0  # DeepSeek-R1 is MIT
    use = report["use_case"]
    # From the config (sample-project/modelterms.yaml): serves_third_parties, licensee_country, the name.
    assert use["serves_third_parties"] is True and use["licensee_country"] == "DE"
    assert use["name"] == "customer support assistant"
    # From the file, over the config's [US, EU]; and the flag over the config's commercial: true.
    assert use["territories"] == ["US"] and use["monthly_active_users"] == 1000
    assert use["commercial"] is False
    assert [Path(p).name for p in report["use_case_from"]] == ["modelterms.yaml", "uc.yaml", "flags"]
    assert "commercial" not in report["assumed_defaults"]


def test_a_problem_in_a_use_case_file_names_that_file(project: Path) -> None:
    (project / "uc.yaml").write_text("commercial: true\nmonthly_active_users: many\n", "utf-8")
    code, _, err = run("check", "--model", DEEPSEEK, "--use-case", "uc.yaml")
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 2 and errors == ["error: uc.yaml:2: monthly_active_users: must be a whole number, not a string"]


def test_batch_lines_merge_over_the_config_and_flags_over_the_lines(project: Path) -> None:
    (project / "cases.jsonl").write_text('{"commercial": false}\n', "utf-8")
    code, out, err = run("check", "--model", DEEPSEEK, "--batch", "cases.jsonl", "--licensee-country", "FR")
    assert code == 0, err
    (line,) = [json.loads(row) for row in out.splitlines()]
    assert line["use_case"]["commercial"] is False and line["use_case"]["serves_third_parties"] is True
    assert line["use_case"]["licensee_country"] == "FR"


# ----------------------------------------------------------------------------- 4: init beside [tool.modelterms]


def test_init_refuses_to_shadow_a_pyproject_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.modelterms]\nmodels = ["gpt-4o"]\n')
    (tmp_path / "src").mkdir()
    for folder in (tmp_path, tmp_path / "src"):  # also from a folder below: a yaml there would shadow it too
        monkeypatch.chdir(folder)
        for extra in ([], ["--force"]):
            code, _, err = run("init", *extra)
            assert code == 2 and "pyproject.toml" in err and "[tool.modelterms]" in err
            assert not (folder / "modelterms.yaml").exists()


def test_init_still_writes_beside_a_pyproject_without_the_table(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)
    code, _, err = run("init")
    assert code == 0, err
    assert (tmp_path / "modelterms.yaml").exists()


# ----------------------------------------------------------------------------- 5: a use case per model


def _declare_use_case(config: Path, model: str, mapping: str) -> None:
    text = config.read_text("utf-8")
    old = f"  - model: {model}\n"
    assert old in text
    config.write_text(text.replace(old, f"{old}    use_case: {mapping}\n"), "utf-8")


def test_a_model_entry_may_carry_its_own_use_case(project: Path) -> None:
    # Self-hosting GPT-4o is impossible (api-only-not-self-hostable, forbidden); the project use case does
    # not self-host, so the finding appears only where the model's own use case says self_hosted: true.
    _declare_use_case(project / "modelterms.yaml", DEEPSEEK, "{self_hosted: true, distributes: true}")
    _, report, _ = as_json("check")
    results = {r["model"]: r for r in report["results"]}
    assert results[DEEPSEEK]["use_case"]["self_hosted"] is True
    assert results[DEEPSEEK]["use_case"]["distributes"] is True
    # merged over the project use case, not replacing it
    assert results[DEEPSEEK]["use_case"]["serves_third_parties"] is True
    assert results[DEEPSEEK]["use_case"]["licensee_country"] == "DE"
    assert report["use_case"]["self_hosted"] is False and "use_case" not in results[GPT]
    # MIT requires the notice when weights are distributed: an obligation appears only for the override.
    assert any("notice" in text.lower() or "copyright" in text.lower() for text in results[DEEPSEEK]["obligations"])


def test_the_model_use_case_changes_the_verdict(project: Path) -> None:
    _declare_use_case(project / "modelterms.yaml", GPT, "{self_hosted: true}")
    _, report, _ = as_json("check")
    gpt = next(r for r in report["results"] if r["model"] == GPT)
    assert "api-only-not-self-hostable" in {f["rule"] for f in gpt["findings"]}


def test_an_unknown_key_in_a_model_use_case_is_named(project: Path) -> None:
    _declare_use_case(project / "modelterms.yaml", GPT, "{self_hostd: false}")
    code, _, err = run("check")
    assert code == 2
    assert "models[3].use_case" in err and "self_hostd" in err and "self_hosted" in err  # did-you-mean
    assert "must be a string" not in err


def test_an_unknown_key_in_a_model_entry_is_named_not_called_a_mapping(project: Path) -> None:
    config = project / "modelterms.yaml"
    config.write_text(config.read_text("utf-8").replace("    where: chat backend\n", "    wher: chat backend\n"))
    code, _, err = run("check")
    assert code == 2 and "wher" in err and "must be a string" not in err


# ----------------------------------------------------------------------------- 8, 9: built-in policies, catalog keys


def _sample_policy_line(config: Path, replacement: str) -> None:
    text = config.read_text("utf-8")
    old = "  - policies/no-proprietary-api.yaml\n"
    assert old in text
    config.write_text(text.replace(old, f"  - {replacement}\n"), "utf-8")


def test_a_config_names_a_builtin_policy(project: Path) -> None:
    shutil.rmtree(project / "policies")  # nothing copied into the project: the policy comes with modelterms
    _sample_policy_line(project / "modelterms.yaml", "builtin:no-proprietary-api")
    code, report, err = as_json("check")
    assert code == 1, err
    gpt = next(r for r in report["results"] if r["model"] == GPT)
    assert {f["rule"] for f in gpt["findings"] if f["source"] == "policy"} == {"policy-no-proprietary-api"}


def test_the_command_line_names_a_builtin_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, report, _ = as_json("check", "--no-config", "--model", GPT, "--policy", "builtin:no-proprietary-api")
    assert code == 1
    assert "policy-no-proprietary-api" in {f["rule"] for f in report["results"][0]["findings"]}


def test_an_unknown_builtin_policy_names_the_line_and_the_nearest(project: Path) -> None:
    _sample_policy_line(project / "modelterms.yaml", "builtin:no-proprietary-apis")
    code, _, err = run("check")
    assert code == 2 and "modelterms.yaml:" in err and "builtin:no-proprietary-api`" in err
    code, _, err = run("check", "--no-config", "--model", GPT, "--policy", "builtin:territory")
    assert code == 2 and "builtin:territory-review" in err


def test_config_licenses_and_rules_keys_extend_the_catalog(project: Path) -> None:
    import yaml

    from tests.conftest import model, profile

    house = project / "house"
    (house / "models").mkdir(parents=True)
    (house / "in-house.yaml").write_text(yaml.safe_dump(profile("in-house")), "utf-8")
    (house / "models" / "m.yaml").write_text(yaml.safe_dump({"models": [model("acme/private", ("in-house",))]}))
    (project / "house-rules.yaml").write_text(yaml.safe_dump({"rules": [{
        "id": "house-review", "description": "House rule: every model of the in-house license is reviewed.",
        "subject": "license", "when": [{"license.id": "in-house"}], "verdict": "restricted",
        "message": "house review for {license.id}", "cite": "license"}]}), "utf-8")
    config = project / "modelterms.yaml"
    config.write_text(config.read_text("utf-8").replace(
        "models:\n", "licenses: [house]\nrules: [house-rules.yaml]\nmodels:\n  - model: acme/private\n", 1))
    (project / "sub").mkdir()
    code, report, err = as_json("check", "--config", "modelterms.yaml")
    private = next(r for r in report["results"] if r["model"] == "acme/private")
    assert private["license"] == "in-house" and "house-review" in {f["rule"] for f in private["findings"]}
    code, out, err = run("show", "acme/private")  # the catalog commands read the same keys
    assert code == 0 and "in-house" in out, err


def test_config_catalog_paths_that_do_not_exist_name_the_line(project: Path) -> None:
    config = project / "modelterms.yaml"
    config.write_text(config.read_text("utf-8").replace("models:\n", "licenses: [nowhere]\nmodels:\n", 1))
    code, _, err = run("check")
    assert code == 2 and "licenses" in err and "nowhere" in err


@pytest.mark.slow
def test_the_wheel_ships_the_example_policies(tmp_path: Path) -> None:
    import subprocess
    import sys
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path),
                    str(HERE.parent)], check=True, timeout=600)
    (wheel,) = tmp_path.glob("modelterms-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for policy in POLICIES.glob("*.yaml"):
        assert f"modelterms/_bundled/policies/{policy.name}" in names


# ----------------------------------------------------------------------------- 10, 11: SARIF rules, GitHub paths

FIVE = [DEEPSEEK, LLAMA, GPT, "google/gemma-3-27b-it", CODESTRAL]


def _rule_files() -> dict[str, dict]:
    """Every bundled rule, read straight from rules/*.yaml."""
    import yaml

    rules = {}
    for path in sorted((HERE.parent / "rules").glob("*.yaml")):
        rules.update({rule["id"]: rule for rule in (yaml.safe_load(path.read_text("utf-8")) or {}).get("rules", [])})
    return rules


def _sarif_of_five(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.chdir(tmp_path)
    args = [a for model in FIVE for a in ("--model", model)]
    code, out, err = run("check", "--no-config", *args, "--commercial", "--serves-third-parties", "--format", "sarif")
    assert code == 1, err  # Codestral: the MNPL grants no commercial use
    return json.loads(out)


def test_sarif_levels_follow_what_a_finding_asks_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (sarif_run,) = _sarif_of_five(tmp_path, monkeypatch)["runs"]
    rules = _rule_files()
    levels = {}
    for result in sarif_run["results"]:
        rule = rules[result["ruleId"]]
        # forbidden: error; a restricted finding that asks for a decision (no standing obligation): warning;
        # a restricted finding that is an obligation to keep (the rule has `obligation:`): note.
        expected = ("error" if rule["verdict"] == "forbidden" else "note" if rule.get("obligation") else "warning")
        assert result["level"] == expected, result["ruleId"]
        levels[result["level"]] = levels.get(result["level"], 0) + 1
    assert levels.get("note", 0) > levels.get("warning", 0)  # most restricted findings are obligations


def test_sarif_rules_carry_their_own_help(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (sarif_run,) = _sarif_of_five(tmp_path, monkeypatch)["runs"]
    rules = _rule_files()
    descriptors = sarif_run["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == sorted(d["id"] for d in descriptors)  # stable: by id, not by order met
    cited: dict[str, set[str]] = {}
    for result in sarif_run["results"]:
        assert descriptors[result["ruleIndex"]]["id"] == result["ruleId"]
        cited.setdefault(result["ruleId"], set()).add(result["properties"]["citation"])
    for descriptor in descriptors:
        description = " ".join(rules[descriptor["id"]]["description"].split())
        assert " ".join(descriptor["fullDescription"]["text"].split()) == description
        assert description in " ".join(descriptor["help"]["text"].split())
        urls = cited[descriptor["id"]]
        if len(urls) == 1:
            assert descriptor["helpUri"] == next(iter(urls))
        else:  # a generic rule that fired for several licenses links none of them
            assert "helpUri" not in descriptor or descriptor["helpUri"] not in urls
    assert len(cited["obligation-always-condition"]) > 1  # the example: it fires for several licenses


def test_sarif_results_have_distinct_fingerprints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (sarif_run,) = _sarif_of_five(tmp_path, monkeypatch)["runs"]
    prints = [json.dumps(r["partialFingerprints"], sort_keys=True) for r in sarif_run["results"]]
    assert len(prints) == len(set(prints))


def test_annotations_and_sarif_name_files_from_the_repository_root(project: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    code, out, _ = run("check", "--format", "github")
    assert code == 1
    files = {part.split("file=", 1)[1].split(",", 1)[0] for part in out.splitlines() if "file=" in part}
    assert files == {"modelterms.yaml"}  # not /tmp/.../proj/modelterms.yaml
    code, out, _ = run("check", "--format", "sarif")
    (sarif_run,) = json.loads(out)["runs"]
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in sarif_run["results"] for loc in r["locations"]}
    assert uris == {"modelterms.yaml"}
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"


# ----------------------------------------------------------------------------- 12: batch output


@pytest.mark.parametrize("fmt", ["table", "sarif"])
def test_batch_refuses_a_format_it_does_not_write(project: Path, fmt: str) -> None:
    (project / "cases.jsonl").write_text('{"commercial": true}\n', "utf-8")
    code, out, err = run("check", "--model", DEEPSEEK, "--batch", "cases.jsonl", "--format", fmt)
    assert code == 2 and out == "" and "JSON Lines" in err


def test_batch_without_a_format_writes_json_lines(project: Path) -> None:
    (project / "cases.jsonl").write_text('{"commercial": true}\n', "utf-8")
    code, out, _ = run("check", "--model", DEEPSEEK, "--batch", "cases.jsonl")
    assert code == 0 and json.loads(out)["line"] == 1


def test_batch_errors_start_their_own_line_under_the_progress_bar(project: Path) -> None:
    """On a terminal the bar redraws itself with a carriage return; an error must clear it, not append to it."""
    import os
    import pty
    import subprocess
    import sys

    lines = ['{"commercial": true}'] * 200 + ['{"commercial": "yes"}'] + ['{"commercial": true}'] * 200
    (project / "cases.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    primary, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "modelterms", "check", "--model", DEEPSEEK, "--batch",
                                "cases.jsonl", "-o", "out.jsonl"], cwd=project, stdin=subprocess.DEVNULL,
                               stdout=secondary, stderr=secondary)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=300) == 2
    os.close(primary)
    text = b"".join(chunks).decode("utf-8", "replace")
    assert "checking" in text  # the bar was shown
    (at,) = [index for index in range(len(text)) if text.startswith("error:", index)]
    before = text[:at]
    assert before.endswith(("\n", "\r\x1b[K", "\r\x1b[2K")), repr(before[-80:])


# ----------------------------------------------------------------------------- 13: models and show


def test_models_table_has_the_weights_and_osi_columns_the_readme_describes() -> None:
    import yaml

    code, out, _ = run("models", "--search", "Qwen3-8B")
    assert code == 0
    header = out.splitlines()[0].split()
    assert "weights" in header and "OSI" in header
    row = next(line for line in out.splitlines() if " Qwen/Qwen3-8B " in f" {line} ")
    # Qwen3-8B: apache-2.0 (licenses/apache-2.0.yaml says osi_approved: true), weights as the catalog says.
    apache = yaml.safe_load((HERE.parent / "licenses" / "apache-2.0.yaml").read_text("utf-8"))
    assert apache["osi_approved"] is True
    cells = row.split()
    assert cells[header.index("OSI")] == "yes"
    _, listed, _ = run("models", "--search", "Qwen3-8B", "--format", "json")
    entry = next(r for r in json.loads(listed) if r["id"] == "Qwen/Qwen3-8B")
    assert cells[header.index("weights")] == entry["weights"]
    readme = (HERE.parent / "README.md").read_text("utf-8")
    assert "the `weights` column" in readme and "`OSI` column" in readme


def test_show_json_has_the_terms_in_force_the_text_prints() -> None:
    code, out, _ = run("show", LLAMA, "--format", "json", "--as-of", "2026-01-01")
    assert code == 0
    shown = json.loads(out)
    assert shown["id"] == LLAMA  # the catalog entry, as before
    in_force = shown["in_force"]
    assert in_force["as_of"] == "2026-01-01"
    assert [profile["id"] for profile in in_force["licenses"]] == ["llama-3.1", "llama-3.1-aup"]
    _, text, _ = run("show", LLAMA, "--as-of", "2026-01-01")
    for profile in in_force["licenses"]:
        assert f"{profile['name']} ({profile['id']})" in text


def test_show_offers_the_nearest_model_or_license() -> None:
    code, _, err = run("show", "gpt-4oo")
    assert code == 2 and "`gpt-4o`" in err
    code, _, err = run("show", "apache-2")
    assert code == 2 and "`apache-2.0`" in err


# ----------------------------------------------------------------------------- 14: EEA


def test_eea_is_a_territory_group_the_eu_and_iceland_liechtenstein_norway() -> None:
    from modelterms._usecase import expand_territories

    eea = expand_territories(["EEA"])
    assert len(eea) == 30 and set(eea) == set(expand_territories(["EU"])) | {"IS", "LI", "NO"}


def test_territory_eea_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    hunyuan = "tencent/Tencent-Hunyuan-Large"  # its license excludes the EU
    _, report, err = as_json("check", "--no-config", "--model", hunyuan, "--territory", "EEA")
    assert "EE" not in err
    assert report["use_case"]["territories"] == ["EEA"]
    assert "territory-excludes-place-of-use" in {f["rule"] for f in report["results"][0]["findings"]}


# ----------------------------------------------------------------------------- 15: conventions


def test_environment_variables_mirror_the_options(project: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--model", GPT, "--self-hosted"],
                                env={"MODELTERMS_FORMAT": "json", "MODELTERMS_FAIL_ON": "never"})
    # GPT-4o self-hosted is forbidden (api-only-not-self-hostable), yet fail-on never passes; the output is JSON.
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["gate"]["fail_on"] == "never"
    (project / "other.yaml").write_text("use_case: {commercial: true}\nmodels: [deepseek-ai/DeepSeek-R1]\n")
    result = CliRunner().invoke(main, ["check", "--format", "json"], env={"MODELTERMS_CONFIG": "other.yaml"})
    assert Path(json.loads(result.stdout)["config"]).name == "other.yaml"
    assert "MODELTERMS_FORMAT" in CliRunner().invoke(main, ["check", "--help"]).output


def test_quiet_leaves_only_errors_on_stderr(project: Path) -> None:
    add_waivers(project / "modelterms.yaml", f"{{model: {DEEPSEEK}, rule: '*', reason: r, approved_by: a, "
                                             f"expires: {FAR}}}")  # matches no finding: stale
    _, _, loud = run("check")
    assert "using config" in loud and "stale" in loud
    code, out, quiet = run("--quiet", "check")
    assert code == 1 and out and quiet == ""


def test_version_names_the_catalog_data() -> None:
    from modelterms import Catalog

    catalog = Catalog.load()
    code, out, _ = run("--version")
    assert code == 0
    assert f"{len(catalog.models)} models" in out and f"{len(catalog.licenses)} licenses" in out
    assert "sha256" in out


def test_shell_completion_is_documented_and_works() -> None:
    import subprocess
    import sys

    readme = (HERE.parent / "README.md").read_text("utf-8")
    assert "_MODELTERMS_COMPLETE=bash_source modelterms" in readme
    script = subprocess.run([sys.executable, "-c", "from modelterms.cli import main; main(prog_name='modelterms')"],
                            env={**__import__("os").environ, "_MODELTERMS_COMPLETE": "bash_source"},
                            capture_output=True, text=True, timeout=60)
    assert "complete" in script.stdout and "_modelterms_completion" in script.stdout


# ----------------------------------------------------------------------------- 21: README for users, CONTRIBUTING


def test_contributor_material_lives_in_contributing_and_docs() -> None:
    import re

    root = HERE.parent
    readme = (root / "README.md").read_text("utf-8")
    contributing = (root / "CONTRIBUTING.md").read_text("utf-8")
    for title in ("## Adding a license or a model", "## Writing rules", "## Performance", "## Development"):
        assert title not in readme and title in contributing
    assert "`slow`" in contributing and 'm "not slow"' in contributing
    assert "[CONTRIBUTING.md](CONTRIBUTING.md)" in readme
    for document in ("README.md", "CONTRIBUTING.md", "docs/rules.md", "docs/formats.md"):
        text = (root / document).read_text("utf-8")
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):  # relative links must lead somewhere
            assert (root / document).parent.joinpath(target).exists(), (document, target)
        assert "(#writing-rules)" not in text
