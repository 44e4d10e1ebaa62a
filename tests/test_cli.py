"""The CLI through click's CliRunner: exit codes, formats, options, and the starter archetypes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from modelterms.cli import main

from .conftest import model, profile

STARTERS = ["deepseek-ai/DeepSeek-R1", "meta-llama/Llama-3.1-8B-Instruct", "openai/gpt-4o"]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def check_json(*args: str) -> tuple[int, dict]:
    code, out, _ = run("check", "--format", "json", *args)
    return code, json.loads(out)


def test_the_three_archetypes_commercial_self_hosted() -> None:
    # The "done when": permitted / restricted / forbidden, each with cited reasons.
    models = [arg for name in STARTERS for arg in ("--model", name)]
    code, report = check_json(*models, "--commercial", "--self-hosted")
    assert code == 1  # gpt-4o is forbidden and --fail-on defaults to forbidden
    verdicts = {result["model"]: result["verdict"] for result in report["results"]}
    assert verdicts == {"deepseek-ai/DeepSeek-R1": "permitted",
                        "meta-llama/Llama-3.1-8B-Instruct": "restricted",
                        "openai/gpt-4o": "forbidden"}
    for result in report["results"]:
        for finding in result["findings"]:
            assert finding["citation"]["url"].startswith("https://")
            assert finding["citation"]["section"]
    gpt = next(r for r in report["results"] if r["model"] == "openai/gpt-4o")
    assert gpt["findings"][0]["rule"] == "api-only-not-self-hostable"
    assert gpt["findings"][0]["remedy"]


def test_json_shape_is_the_documented_contract() -> None:
    code, report = check_json("--model", "deepseek-ai/DeepSeek-R1", "--commercial")
    assert code == 0
    assert report["schema_version"] == 1
    assert set(report) == {"schema_version", "modelterms_version", "config", "use_case", "use_case_from",
                           "assumed_defaults", "results", "gate"}
    assert report["use_case_from"] == ["flags"]
    assert report["config"] is None
    assert report["gate"] == {"fail_on": "forbidden", "passed": True, "failing": [],
                              "waivers": {"expired": [], "stale": []}}
    assert report["use_case"]["commercial"] is True
    assert report["use_case"]["self_hosted"] is False  # defaults are stated
    assert "self_hosted" in report["assumed_defaults"] and "commercial" not in report["assumed_defaults"]
    (result,) = report["results"]
    assert set(result) == {"model", "model_name", "license", "licenses", "verdict", "findings", "obligations",
                           "outstanding_verdict", "declared"}
    assert result["outstanding_verdict"] == result["verdict"] and result["declared"] == []
    assert result["license"] == result["licenses"][0]
    for finding in result["findings"]:
        assert set(finding) == {"rule", "verdict", "message", "citation", "remedy", "source", "waiver"}
        assert finding["source"] == "bundled" and finding["waiver"] is None
        assert set(finding["citation"]) == {"license", "section", "url"}


def test_fail_on_levels() -> None:
    args = ("--model", "meta-llama/Llama-3.1-8B-Instruct", "--commercial")
    assert run("check", *args)[0] == 0
    assert run("check", *args, "--fail-on", "restricted")[0] == 1
    assert run("check", "--model", "openai/gpt-4o", "--self-hosted", "--fail-on", "never")[0] == 0


def test_unknown_model_suggests_the_nearest() -> None:
    code, _, err = run("check", "--model", "meta-llama/Llama-3.1-8B-Instruc")
    assert code == 2
    assert "unknown model `meta-llama/Llama-3.1-8B-Instruc`" in err
    assert "did you mean `meta-llama/Llama-3.1-8B-Instruct`" in err


def test_model_lookup_is_case_insensitive_and_takes_aliases() -> None:
    _, report = check_json("--model", "DEEPSEEK-AI/deepseek-r1")
    assert report["results"][0]["model"] == "deepseek-ai/DeepSeek-R1"


def test_unknown_option_and_bad_value_exit_2() -> None:
    assert run("check", "--comercial")[0] == 2
    code, _, err = run("check", "--purpose", "militray", "--model", "openai/gpt-4o")
    assert code == 2 and "did you mean `military`?" in err
    code, _, err = run("check", "--territory", "XX")
    assert code == 2 and "territories[0]: 'XX' is not allowed here" in err


def test_flags_override_use_case_file(tmp_path: Path) -> None:
    path = tmp_path / "use.yaml"
    path.write_text("name: chat\ncommercial: false\nmonthly_active_users: 5\n")
    _, report = check_json("--use-case", str(path), "--commercial", "--model", "deepseek-ai/DeepSeek-R1")
    assert report["use_case"]["commercial"] is True
    assert report["use_case"]["monthly_active_users"] == 5
    assert report["use_case"]["name"] == "chat"


def test_check_without_model_covers_the_whole_catalog() -> None:
    _, report = check_json()
    _, out, _ = run("models", "--format", "json")
    assert sorted(r["model"] for r in report["results"]) == sorted(m["id"] for m in json.loads(out))


def test_table_output_plain_when_piped_and_coloured_on_request() -> None:
    _, out, _ = run("check", "--model", "openai/gpt-4o", "--self-hosted", "--fail-on", "never")
    assert "\x1b[" not in out  # CliRunner's stdout is not a terminal
    assert "openai/gpt-4o" in out and "forbidden" in out
    assert "defaults assumed for:" in out


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from modelterms import cli

    class Tty:
        def isatty(self) -> bool:
            return True

    assert cli._color(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli._color(Tty())


def test_models_json_fields() -> None:
    code, out, _ = run("models", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {"id", "aliases", "vendor", "license", "kind", "access"} <= set(rows[0])
    by_id = {row["id"]: row for row in rows}
    assert by_id["openai/gpt-4o"]["access"] == "api-only"
    assert by_id["meta-llama/Llama-3.1-8B-Instruct"]["license"] == "llama-3.1"


def test_show_model_and_license_with_citations() -> None:
    code, out, _ = run("show", "meta-llama/Llama-3.1-8B-Instruct")
    assert code == 0
    assert "llama-3.1" in out and "license history" in out
    assert "[§2, https://" in out  # the user cap with its citation
    code, out, _ = run("show", "mit")
    assert code == 0 and "permissive" in out
    assert run("show", "no-such-thing")[0] == 2


def _user_dir(tmp_path: Path, license_data: dict, models: list[dict]) -> Path:
    root = tmp_path / "mine"
    (root / "models").mkdir(parents=True)
    (root / f"{license_data['id']}.yaml").write_text(yaml.safe_dump(license_data))
    (root / "models" / "m.yaml").write_text(yaml.safe_dump({"models": models}))
    return root


def test_user_licenses_and_rules_are_added(tmp_path: Path) -> None:
    root = _user_dir(tmp_path, profile("in-house"), [model("acme/private", ("in-house",))])
    code, out, _ = run("check", "--licenses", str(root), "--model", "acme/private", "--format", "json")
    assert code == 0 and json.loads(out)["results"][0]["license"] == "in-house"


def test_same_id_overrides_bundled_with_a_notice(tmp_path: Path) -> None:
    refused = {"value": "no", "summary": "made up", "cite": {"section": "9", "url": "https://x.org"}}
    mit = profile("mit", grants={**profile()["grants"], "commercial_use": refused})
    root = _user_dir(tmp_path, mit, [])
    code, out, err = run("check", "--licenses", str(root), "--model", "deepseek-ai/DeepSeek-R1", "--commercial",
                         "--format", "json")
    assert "overrides the one in" in err and "mit.yaml" in err
    assert json.loads(out)["results"][0]["verdict"] == "forbidden"
    assert code == 1


def test_user_rule_overrides_bundled_rule(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump({"rules": [{
        "id": "license-in-force", "description": "stricter house rule", "subject": "license",
        "when": [{"license.has_grants": True}, {"license.osi_approved": False}],
        "verdict": "restricted", "message": "house rule: {license.id} is not OSI-approved", "cite": "license"}]}))
    _, out, err = run("check", "--rules", str(rules), "--model", "meta-llama/Llama-3.1-8B-Instruct",
                         "--format", "json")
    assert "rule `license-in-force` overrides" in err
    messages = [f["message"] for f in json.loads(out)["results"][0]["findings"]]
    assert "house rule: llama-3.1 is not OSI-approved" in messages


def test_validate_reports_ok_files() -> None:
    code, out, _ = run("validate", "licenses", "rules")
    assert code == 0
    assert "ok: licenses/mit.yaml (license profile)" in out
    assert "ok: rules/core.yaml (rules)" in out


def test_cli_offers_exactly_the_formats_that_exist() -> None:
    # cli.py lists the formats itself so that --help imports no formatter; the two lists must agree.
    from modelterms import cli
    from modelterms._format import FORMATS

    assert cli._FORMATS == FORMATS
    for name in FORMATS:
        assert (Path(cli.__file__).parent / "_format" / f"{name}.py").is_file()
