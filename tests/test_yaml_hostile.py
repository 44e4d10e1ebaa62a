"""Hostile and broken YAML gets a clear error in bounded time and memory; nothing executes."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelterms import InputError
from modelterms._yaml import MAX_VALUES, parse
from modelterms.cli import main


def test_python_tags_are_rejected_and_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f'commercial: !!python/object/apply:os.system ["touch {marker}"]\n'
    with pytest.raises(InputError, match=r"tag .* is not allowed") as info:
        parse(text, "evil.yaml")
    assert not marker.exists()
    assert info.value.problems[0].line == 1
    assert info.value.problems[0].key == "commercial"


def _alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_rejected_quickly_with_bounded_memory() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError, match=f"more than {MAX_VALUES} values"):
        parse(_alias_bomb(), "bomb.yaml")
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 200_000  # the expanded document would be ~9**9 values; we stop at MAX_VALUES


def test_small_anchors_are_still_allowed() -> None:
    document = parse("base: &b [coding]\npurposes: *b\n", "ok.yaml")
    assert document.data["purposes"] == ["coding"]


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: ok\nname2: caf\xe9\n")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}:2: is not valid UTF-8" in result.output


def test_duplicate_keys_are_errors() -> None:
    with pytest.raises(InputError, match="commercial: is given twice"):
        parse("commercial: true\ncommercial: false\n", "dup.yaml")


def test_deep_nesting_is_rejected() -> None:
    with pytest.raises(InputError, match="nests"):
        parse("a: " + "[" * 5_000 + "]" * 5_000 + "\n", "deep.yaml")


def test_huge_numbers_are_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("monthly_active_users: " + "9" * 5_000 + "\n")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "monthly_active_users" in result.output and "Traceback" not in result.output


def test_big_but_parsable_number_is_out_of_range(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("monthly_active_users: " + "9" * 40 + "\n")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "big.yaml:1: monthly_active_users: must be at most" in result.output


def _check_cli_on(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(payload)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code in (0, 2), result.output
    assert isinstance(result.exception, SystemExit) or result.exception is None
    assert "Traceback" not in result.output


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_validate(tmp_path: Path, payload: bytes) -> None:
    _check_cli_on(tmp_path, payload)


_yaml_ish = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n ,.?%@`0123456789")), max_size=200)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_yaml_ish)
def test_random_yaml_ish_text_never_crashes_validate(tmp_path: Path, text: str) -> None:
    _check_cli_on(tmp_path, text.encode())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_yaml_ish)
def test_random_use_case_files_never_crash_check(tmp_path: Path, text: str) -> None:
    path = tmp_path / "use.yaml"
    path.write_text(text)
    result = CliRunner().invoke(main, ["check", "--use-case", str(path), "--model", "deepseek-ai/DeepSeek-R1",
                                       "--format", "json"])
    assert result.exit_code in (0, 1, 2), result.output
    assert isinstance(result.exception, SystemExit) or result.exception is None
