"""Bad input of every kind gets exit code 2 and a message naming the file, the line and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from modelterms import Catalog, InputError, UseCase
from modelterms.cli import main

from .conftest import model, profile


def _validate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("comercial: true\n", "use.yaml:1: comercial: `comercial` is not a known key (did you mean `commercial`?)"),
        ("commercial: \"yes\"\n", "use.yaml:1: commercial: must be true or false, not a string"),
        ("monthly_active_users: 1.5\n", "use.yaml:1: monthly_active_users: must be a whole number"),
        ("name: x\npurposes: [militray]\n",
         "use.yaml:2: purposes[0]: unknown purpose tag `militray` (did you mean `military`?)"),
        ("licensee_country: XX\n", "use.yaml:1: licensee_country: 'XX' is not allowed here"),
        ("territories: [US, US]\n", "use.yaml:1: territories[1]: repeats 'US'"),
        ("as_of: 2025-13-01\n", "use.yaml:1: as_of: is not a valid date: month must be in 1..12"),
        ("- commercial\n", "use.yaml:1: must be a mapping"),
        ("as_of: '2025-1-1'\n", "use.yaml:1: as_of: '2025-1-1' is not in the expected form (A date, YYYY-MM-DD.)"),
    ],
)
def test_use_case_errors(tmp_path: Path, text: str, expected: str) -> None:
    code, output = _validate(_write(tmp_path, "use.yaml", text))
    assert code == 2
    assert expected in output


def test_use_case_error_stops_check_before_evaluation(tmp_path: Path) -> None:
    path = _write(tmp_path, "use.yaml", "commercial: true\nself_hosted: ture\n")
    result = CliRunner().invoke(main, ["check", "--use-case", str(path), "--format", "json"])
    assert result.exit_code == 2
    assert "use.yaml:2: self_hosted: must be true or false" in result.output
    assert "results" not in result.output


def _profile_file(tmp_path: Path, data: dict) -> Path:
    return _write(tmp_path, "licenses/fixture.yaml", yaml.safe_dump(data, sort_keys=False))


def test_profile_missing_citation(tmp_path: Path) -> None:
    data = profile()
    del data["grants"]["modify"]["cite"]
    code, output = _validate(_profile_file(tmp_path, data))
    assert code == 2
    assert "grants.modify: is missing the key `cite`" in output
    line = next(n for n, text in enumerate(_profile_file(tmp_path, data).read_text().splitlines(), 1)
                if text.strip() == "modify:")
    assert f"fixture.yaml:{line}: grants.modify:" in output


def test_profile_unknown_purpose_tag(tmp_path: Path) -> None:
    data = profile(prohibited_purposes=[{"tags": ["wepons"], "summary": "s",
                                         "cite": {"section": "1", "url": "https://x.org"}}])
    code, output = _validate(_profile_file(tmp_path, data))
    assert code == 2
    assert "prohibited_purposes[0].tags[0]: unknown purpose tag `wepons` (did you mean `weapons`?)" in output


def test_profile_unknown_country_and_kind(tmp_path: Path) -> None:
    data = profile(kind="permisive", territories=[{"codes": ["EU", "UK"], "binds": "domicile", "summary": "s",
                                                   "cite": {"section": "1", "url": "https://x.org"}}])
    code, output = _validate(_profile_file(tmp_path, data))
    assert code == 2
    assert "kind: 'permisive' is not allowed here (did you mean `permissive`?)" in output
    assert "territories[0].codes[1]: 'UK' is not allowed here" in output


def test_conditional_grant_needs_its_condition(tmp_path: Path) -> None:
    data = profile()
    data["grants"]["redistribute"]["value"] = "conditional"
    code, output = _validate(_profile_file(tmp_path, data))
    assert code == 2
    assert "grants.redistribute: is conditional but gives no `condition`" in output


def test_model_naming_a_missing_license(tmp_path: Path) -> None:
    path = _write(tmp_path, "models.yaml", yaml.safe_dump({"models": [model(licenses=("lama-3.1",))]}))
    code, output = _validate(path)
    assert code == 2
    assert "models[0].licenses[0].licenses[0]: names license `lama-3.1`, which has no profile" in output
    assert "did you mean `llama-3.1`?" in output


def test_overlapping_license_periods(tmp_path: Path) -> None:
    entry = model()
    entry["licenses"] = [{"licenses": ["mit"], "from": "2024-01-01", "until": "2024-06-01", "source": "https://x.org"},
                         {"licenses": ["mit"], "from": "2024-05-01", "source": "https://x.org"}]
    code, output = _validate(_write(tmp_path, "models.yaml", yaml.safe_dump({"models": [entry]})))
    assert code == 2
    assert "models[0].licenses[1].from: overlaps the previous period" in output


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"use.comercial": True}, "`use.comercial` is not a field of the fact model (did you mean `use.commercial`?)"),
        ({"threshold.limit": 5}, "`threshold.limit` cannot be used in a rule `subject: grant`"),
        ({"use.commercial": "yes"}, "compares a boolean field with 'yes'"),
        ({"use.purposes": "military"}, "use.purposes is a list: use `contains`"),
        ({"grant.value": {"gt": 3}}, "`gt` needs a number field"),
    ],
)
def test_rule_errors(tmp_path: Path, rule: dict, expected: str) -> None:
    rules = {"rules": [{"id": "r", "description": "d", "subject": "grant", "when": [rule],
                        "verdict": "forbidden", "message": "m", "cite": "term"}]}
    code, output = _validate(_write(tmp_path, "rules.yaml", yaml.safe_dump(rules)))
    assert code == 2
    assert "rules.yaml:" in output and "rules[0].when[0]" in output
    assert expected in output


def test_rule_template_field_is_checked(tmp_path: Path) -> None:
    rules = {"rules": [{"id": "r", "description": "d", "subject": "grant", "when": [{"grant.value": "no"}],
                        "verdict": "forbidden", "message": "{grant.sumary}", "cite": "term"}]}
    code, output = _validate(_write(tmp_path, "rules.yaml", yaml.safe_dump(rules)))
    assert code == 2
    assert "rules[0].message: `grant.sumary` is not a field of the fact model (did you mean `grant.summary`?)" in output


def test_unreadable_and_missing_files(tmp_path: Path) -> None:
    code, output = _validate(tmp_path / "nope.yaml")
    assert code == 2 and "nope.yaml: does not exist" in output
    result = CliRunner().invoke(main, ["check", "--use-case", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "nope.yaml: cannot be read" in result.output


def test_catalog_load_collects_every_problem(tmp_path: Path) -> None:
    bad = profile(kind="x")
    bad["grants"]["modify"]["value"] = "maybe"
    _profile_file(tmp_path, bad)
    with pytest.raises(InputError) as info:
        Catalog.load(licenses=[tmp_path / "licenses"], bundled=True)
    keys = {problem.key for problem in info.value.problems}
    assert {"kind", "grants.modify.value"} <= keys


def test_use_case_object_is_validated_like_a_file() -> None:
    with pytest.raises(InputError, match="unknown purpose tag `militray`"):
        UseCase(purposes=["militray"])
    with pytest.raises(InputError, match="licensee_country"):
        UseCase(licensee_country="ZZ")


def test_kind_is_detected_or_forced(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.yaml", "commercial: true\n")
    assert _validate(path) == (0, f"ok: {path} (use case)\n")
    result = CliRunner().invoke(main, ["validate", "--kind", "rules", str(path)])
    assert result.exit_code == 2 and "is missing the key `rules`" in result.output
