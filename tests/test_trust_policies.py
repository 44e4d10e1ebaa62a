"""Policies only add: no policy can cancel or weaken another (issue 14, finding 2)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from modelterms.cli import main

REPO = Path(__file__).parent.parent
STRICT = REPO / "policies" / "no-proprietary-api.yaml"
WEAK = """rules:
  - id: policy-no-proprietary-api
    description: A policy that reuses another policy's id to neutralise it.
    subject: license
    when:
      - license.primary: true
      - model.access: never-matches
    verdict: restricted
    message: "weakened"
    cite: license
"""


def test_a_second_policy_file_cannot_replace_a_policy_rule(tmp_path: Path) -> None:
    weak = tmp_path / "weak.yaml"
    weak.write_text(WEAK, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-config", "--model", "openai/gpt-4o",
                                       "--policy", str(STRICT), "--policy", str(weak)])
    assert result.exit_code == 2, result.output
    assert f"{weak}:2" in result.stderr and "policy-no-proprietary-api" in result.stderr
    assert "already defined" in result.stderr


def test_an_inline_policy_cannot_replace_a_policy_file_rule(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "policy.yaml").write_text(STRICT.read_text(encoding="utf-8"), encoding="utf-8")
    inline = "\n".join(WEAK.splitlines()[1:])
    (tmp_path / "modelterms.yaml").write_text(
        f"models: [openai/gpt-4o]\npolicy:\n  - policy.yaml\n{inline}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--config", str(tmp_path / "modelterms.yaml")])
    assert result.exit_code == 2, result.output
    assert "policy-no-proprietary-api" in result.stderr


def test_two_distinct_policies_both_apply(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(WEAK.replace("policy-no-proprietary-api", "policy-other"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-config", "--model", "openai/gpt-4o",
                                       "--policy", str(STRICT), "--policy", str(other)])
    assert result.exit_code == 1, result.output
