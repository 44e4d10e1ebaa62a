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


def _cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "MODELTERMS_NO_CACHE": "1", **(env or {})}
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


@pytest.mark.parametrize("option", SPECIAL_OPTIONS)
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_not_read(option: str, device: str) -> None:
    result = _cli("check", "--model", GPT, "--no-config" if option != "--config" else "--format=json",
                  option, device)
    _assert_input_error(result)
    assert "is not a regular file" in result.stderr


@pytest.mark.parametrize("option", [*SPECIAL_OPTIONS, "--batch"])
def test_fifos_never_block(tmp_path: Path, option: str) -> None:
    fifo = _fifo(tmp_path, "input.yaml" if option != "--config" else "modelterms.yaml")
    result = _cli("check", "--model", GPT, option, str(fifo), timeout=60)
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
