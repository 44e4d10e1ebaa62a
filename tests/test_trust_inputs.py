"""Hostile inputs of every kind end as exit 2 with one message, never a traceback, a hang or exit 1 (issue 14).

Special files (FIFOs, devices) are run in a subprocess: on a reader that blocks, the subprocess's
timeout turns a hang into a failure instead of a stuck test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modelterms import InputError
from modelterms._yaml import MAX_FILE_BYTES, parse, read_text
from modelterms.cli import main

GPT = "openai/gpt-4o"

POLICY = """\
rules:
  - id: policy-test
    description: A test policy.
    subject: license
    when:
      - license.primary: true
    verdict: restricted
    message: "{message}"
    cite: license
"""


def _cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
         cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a subprocess; with ``cache``, the catalog cache (which hashes every input) is on, there."""
    caching = {"MODELTERMS_CACHE_DIR": str(cache), "XDG_CONFIG_HOME": str(cache)} if cache else {
        "MODELTERMS_NO_CACHE": "1"}
    environment = {**{k: v for k, v in os.environ.items() if k != "MODELTERMS_NO_CACHE"}, **caching, **(env or {})}
    return subprocess.run([sys.executable, "-m", "modelterms", *args], capture_output=True, text=True,
                          env=environment, timeout=timeout, errors="replace")


def _assert_input_error(result: Any) -> None:
    output = getattr(result, "output", "") or (result.stdout + result.stderr)
    code = getattr(result, "exit_code", None)
    code = result.returncode if code is None else code
    assert code == 2, output
    assert "Traceback" not in output
    assert "error:" in output


# --- explicit YAML tags ------------------------------------------------------------------------------

TAGS = ["!!bool maybe", '!!int ""', "!!int _", '!!float ""', "!!timestamp x", "!!int 0x", "!!float ._"]


@pytest.mark.parametrize("tagged", TAGS)
def test_explicit_tags_with_bad_values_are_input_errors(tagged: str) -> None:
    with pytest.raises(InputError) as info:
        parse(f"name: x\ncommercial: {tagged}\n", "tagged.yaml")
    problem = info.value.problems[0]
    assert (problem.file, problem.line, problem.key) == ("tagged.yaml", 2, "commercial")


@pytest.mark.parametrize("tagged", TAGS)
def test_explicit_tags_in_a_use_case_exit_2(tmp_path: Path, tagged: str) -> None:
    path = tmp_path / "use.yaml"
    path.write_text(f"commercial: {tagged}\n")
    result = CliRunner().invoke(main, ["check", "--model", GPT, "--no-config", "--use-case", str(path)])
    _assert_input_error(result)
    assert f"{path}:1: commercial:" in result.output


# --- templates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("template", ["{}", "{license.name:{}}", "{license.name!x}", "{license.name!r}",
                                      "{license.name:>10}", "{0}", "{license[name]}"])
def test_rule_templates_must_be_plain_fields(tmp_path: Path, template: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY.format(message=template))
    result = CliRunner().invoke(main, ["validate", str(path)])
    _assert_input_error(result)
    assert f"{path}:" in result.output and "message" in result.output
    checked = CliRunner().invoke(main, ["check", "--model", GPT, "--no-config", "--policy", str(path)])
    _assert_input_error(checked)


def test_a_plain_template_field_still_works(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY.format(message="{license.name} needs review"))
    result = CliRunner().invoke(main, ["check", "--model", GPT, "--no-config", "--policy", str(path),
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "needs review" in result.output


# --- special and oversize files ----------------------------------------------------------------------

def _fifo(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    os.mkfifo(path)
    return path


SPECIAL_OPTIONS = ["--use-case", "--config", "--policy", "--rules", "--licenses"]


@pytest.mark.parametrize("cached", [False, True], ids=["no-cache", "cache"])
@pytest.mark.parametrize("option", SPECIAL_OPTIONS)
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_not_read(tmp_path: Path, option: str, device: str, cached: bool) -> None:
    result = _cli("check", "--model", GPT, "--no-config" if option != "--config" else "--format=json",
                  option, device, cache=tmp_path / "cache" if cached else None)
    _assert_input_error(result)
    assert "is not a regular file" in result.stderr


@pytest.mark.parametrize("cached", [False, True], ids=["no-cache", "cache"])
@pytest.mark.parametrize("option", [*SPECIAL_OPTIONS, "--batch"])
def test_fifos_never_block(tmp_path: Path, option: str, cached: bool) -> None:
    fifo = _fifo(tmp_path, "input.yaml" if option != "--config" else "modelterms.yaml")
    result = _cli("check", "--model", GPT, option, str(fifo), timeout=60, cache=tmp_path / "cache" if cached else None)
    _assert_input_error(result)
    assert "is not a regular file" in result.stderr


def test_read_text_checks_the_size_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "sparse.yaml"
    with open(big, "wb") as handle:
        handle.truncate(3 * 1024**3)
    read: list[int] = []
    real_read = os.read

    def counting_read(fd: int, size: int) -> bytes:
        data = real_read(fd, size)
        read.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting_read)
    with pytest.raises(InputError, match=f"is larger than {MAX_FILE_BYTES} bytes"):
        read_text(str(big))
    assert sum(read) == 0


def test_the_cache_key_never_reads_a_sparse_file_whole(tmp_path: Path) -> None:
    """The catalog cache hashes its inputs before the loader sees them: it must read through the one reader too."""
    import resource

    from modelterms._cache import key

    big = tmp_path / "sparse.yaml"
    with open(big, "wb") as handle:
        handle.truncate(3 * 1024**3)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    key([big], "x")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 500_000  # KiB; reading it whole is 3 GiB


def test_an_oversize_file_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 10))
    result = CliRunner().invoke(main, ["validate", str(big)])
    _assert_input_error(result)
    assert "is larger than" in result.output


def test_directories_walked_for_yaml_report_special_files(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text("commercial: true\n")
    _fifo(tmp_path, "pipe.yaml")
    result = _cli("validate", str(tmp_path), timeout=60)
    _assert_input_error(result)
    assert f"{tmp_path / 'pipe.yaml'}: is not a regular file" in result.stderr


@pytest.mark.parametrize("target", ["fifo", "/dev/null", "empty-dir"])
def test_validate_of_nothing_readable_exits_2(tmp_path: Path, target: str) -> None:
    if target == "fifo":
        path = str(_fifo(tmp_path, "pipe.yaml"))
    elif target == "empty-dir":
        path = str(tmp_path / "empty")
        os.mkdir(path)
    else:
        path = target
    result = _cli("validate", path, timeout=60)
    _assert_input_error(result)
    assert path in result.stderr


# --- output encoding and internal errors -------------------------------------------------------------

@pytest.mark.parametrize("output_format", ["table", "markdown"])
def test_a_narrow_terminal_encoding_still_gets_a_report(output_format: str) -> None:
    result = _cli("check", "--model", GPT, "--no-config", "--format", output_format,
                  env={"PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "gpt-4o" in result.stdout.lower()


def test_an_unexpected_exception_is_an_internal_error_not_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    import modelterms._workflow as workflow

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(workflow, "load_setup", broken)
    result = CliRunner().invoke(main, ["check", "--model", GPT, "--no-config"])
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "internal error" in lines[0] and "RuntimeError: boom" in lines[0] and "report" in lines[0]


# --- validation (finding 10) --------------------------------------------------------------------------

def _validate_text(tmp_path: Path, text: str, name: str = "use.yaml") -> tuple[int, str]:
    path = tmp_path / name
    path.write_text(text)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("text", ['as_of: "2026-02-30"\n', "as_of: 2026-02-30\n", 'as_of: "2025-04-31"\n'])
def test_impossible_dates_are_rejected(tmp_path: Path, text: str) -> None:
    code, output = _validate_text(tmp_path, text)
    assert code == 2
    assert "use.yaml:1: as_of:" in output and "date" in output


def test_impossible_dates_are_rejected_in_a_waiver_and_on_the_command_line(tmp_path: Path) -> None:
    code, output = _validate_text(tmp_path, 'models: ["openai/gpt-4o"]\nexceptions:\n  - model: openai/gpt-4o\n'
                                  '    rule: "*"\n    reason: r\n    approved_by: a\n    expires: "2026-02-29"\n',
                                  "modelterms.yaml")
    assert code == 2 and "exceptions[0].expires" in output
    result = CliRunner().invoke(main, ["check", "--no-config", "--model", GPT, "--as-of", "2026-02-30"])
    _assert_input_error(result)


def test_a_leap_day_is_a_date(tmp_path: Path) -> None:
    code, output = _validate_text(tmp_path, 'as_of: "2028-02-29"\n')
    assert code == 0, output


@pytest.mark.parametrize("text", ["monthly_active_users: 190:20:30\n", "monthly_revenue_usd: 1:30\n"])
def test_sexagesimal_numbers_are_rejected(tmp_path: Path, text: str) -> None:
    code, output = _validate_text(tmp_path, text)
    assert code == 2
    assert "base-60" in output and "in quotes" in output


@pytest.mark.parametrize(("text", "hint"), [
    ("licensee_country: NO\n", 'write "NO" in quotes'),
    ("commercial: yes\n", "write true or false"),
    ("commercial: off\n", "write true or false"),
    ("self_hosted: On\n", "write true or false"),
])
def test_yaml_11_words_are_not_booleans(tmp_path: Path, text: str, hint: str) -> None:
    code, output = _validate_text(tmp_path, text)
    assert code == 2
    assert "use.yaml:1:" in output and hint in output


def test_quoted_no_is_norway(tmp_path: Path) -> None:
    code, output = _validate_text(tmp_path, 'licensee_country: "NO"\ncommercial: true\n')
    assert code == 0, output


def test_an_empty_any_is_rejected(tmp_path: Path) -> None:
    text = POLICY.replace("      - license.primary: true\n", "      - license.primary: true\n      - any: []\n")
    code, output = _validate_text(tmp_path, text.format(message="x"), "policy.yaml")
    assert code == 2
    assert "policy.yaml:7: rules[0].when[1].any:" in output


def test_many_keys_without_aliases_are_not_blamed_on_aliases() -> None:
    from modelterms._yaml import MAX_VALUES

    text = "".join(f"k{n}: {n}\n" for n in range(MAX_VALUES + 5))
    with pytest.raises(InputError) as info:
        parse(text, "big.yaml")
    message = str(info.value)
    assert f"more than {MAX_VALUES} values" in message and "alias" not in message


def test_many_problems_are_capped(tmp_path: Path) -> None:
    text = "".join(f"unknown_{n}: 1\n" for n in range(5_000))
    code, output = _validate_text(tmp_path, text)
    assert code == 2
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 51
    assert errors[-1].endswith("... and 4950 more problems")


# --- the vocabulary -----------------------------------------------------------------------------------

def test_the_bundled_vocabulary_validates() -> None:
    from modelterms._paths import vocabulary_file

    result = CliRunner().invoke(main, ["validate", str(vocabulary_file())])
    assert result.exit_code == 0, result.output
    assert "(vocabulary)" in result.output


@pytest.mark.parametrize(("text", "expected"), [
    ("purposes: [coding]\n", "purposes: must be a mapping"),
    ("purposes:\n  Bad Tag: meaning\n", "`Bad Tag` is not a valid key here"),
    ("purposes:\n  coding: 3\n", "purposes.coding:"),
    ("purposes:\n  old: {meaning: m, deprecated: missing}\n  coding: c\n", "`missing`, which is not a tag"),
    ("purposes:\n  old: {meaning: m, deprecated: old}\n", "`old`, which is not a tag"),
])
def test_a_broken_vocabulary_is_rejected(tmp_path: Path, text: str, expected: str) -> None:
    from modelterms._usecase import load_vocabulary

    path = tmp_path / "vocabulary.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_vocabulary(str(path))
    assert expected in str(info.value)


def test_a_deprecated_tag_is_accepted_as_its_replacement_with_a_notice(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import modelterms._usecase as usecase
    from modelterms._paths import vocabulary_file

    vocabulary = tmp_path / "vocabulary.yaml"
    vocabulary.write_text(vocabulary_file().read_text("utf-8").replace(
        "purposes:\n", "purposes:\n  soldiering: {meaning: Old name., deprecated: military}\n", 1))
    monkeypatch.setattr(usecase, "_vocabulary_path", lambda: str(vocabulary))
    usecase.vocabulary_terms.cache_clear()
    try:
        use = tmp_path / "use.yaml"
        use.write_text("purposes: [soldiering]\n")
        result = CliRunner().invoke(main, ["check", "--no-config", "--model", "meta-llama/Llama-3.1-8B-Instruct",
                                           "--use-case", str(use), "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        assert f"{use}:1: purposes[0]: purpose tag `soldiering` is deprecated: read as `military`" in result.stderr
        assert '"military"' in result.stdout and "soldiering" not in result.stdout
    finally:
        usecase.vocabulary_terms.cache_clear()
