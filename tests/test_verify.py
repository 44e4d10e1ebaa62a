"""`modelterms verify`: a policy's own cases run beside its rules (issue 17, item 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from modelterms import InputError
from modelterms._verify import verify_policies
from modelterms.cli import main

POLICIES = Path(__file__).parent.parent / "policies"
RULE = """rules:
  - id: policy-no-api
    description: No API-only models.
    subject: license
    when:
      - license.primary: true
      - model.access: api-only
    verdict: forbidden
    message: "{model.name} is API-only."
    cite: license
"""


def write(tmp_path: Path, cases: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(RULE + cases, encoding="utf-8")
    return path


def test_the_bundled_policies_pass_their_own_cases() -> None:
    outcomes = verify_policies([POLICIES])
    assert outcomes and all(outcome.passed for outcome in outcomes), outcomes
    assert {Path(o.file).name for o in outcomes} == {p.name for p in POLICIES.glob("*.yaml")}


def test_a_wrong_expectation_fails_with_exit_1_and_says_why(tmp_path: Path) -> None:
    policy = write(tmp_path, """cases:
  - {name: gpt-4o is fine, model: openai/gpt-4o, use: {commercial: true}, expect: permitted}
  - {name: the rule fires on Claude, model: anthropic/claude-sonnet-4, expect: forbidden, fires: [policy-no-api]}
  - {name: the rule stays quiet on R1, model: deepseek-ai/DeepSeek-R1, expect: permitted, absent: [policy-no-api]}
""")
    result = CliRunner().invoke(main, ["verify", str(policy)])
    assert result.exit_code == 1, result.output
    assert "FAIL" in result.stdout and "expected permitted, got forbidden" in result.stdout
    assert "2 passed, 1 failed" in result.stdout


def test_a_rule_that_must_fire_and_does_not_is_a_failure(tmp_path: Path) -> None:
    policy = write(tmp_path, """cases:
  - {name: fires on R1, model: deepseek-ai/DeepSeek-R1, expect: permitted, fires: [policy-no-api]}
""")
    (outcome,) = verify_policies([policy])
    assert not outcome.passed and outcome.missing == ("policy-no-api",)


def test_a_policy_without_cases_is_not_verified(tmp_path: Path) -> None:
    policy = write(tmp_path, "")
    result = CliRunner().invoke(main, ["verify", str(policy)])
    assert result.exit_code == 2 and "has no cases" in result.stderr


def test_an_unknown_model_in_a_case_names_its_line(tmp_path: Path) -> None:
    policy = write(tmp_path, """cases:
  - {name: typo, model: openai/gpt-4oo, expect: forbidden}
""")
    with pytest.raises(InputError) as caught:
        verify_policies([policy])
    (problem,) = caught.value.problems
    assert problem.file == str(policy) and problem.line == 12 and problem.key == "cases[0].model"


def test_a_misspelt_case_key_is_refused(tmp_path: Path) -> None:
    policy = write(tmp_path, """cases:
  - {name: typo, model: openai/gpt-4o, expects: forbidden}
""")
    result = CliRunner().invoke(main, ["verify", str(policy)])
    assert result.exit_code == 2 and "expects" in result.stderr
