"""``check --batch``: every line is judged on its own, with its own number, and the run streams (issue 14, 9)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modelterms.cli import main

DEEPSEEK = "deepseek-ai/DeepSeek-R1"


def _batch(tmp_path: Path, raw: bytes, *extra: str) -> tuple[int, list[dict[str, Any]], str]:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(raw)
    result = CliRunner().invoke(main, ["check", "--no-config", "--model", DEEPSEEK, "--batch", str(path), *extra])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "\u2028" not in result.stdout and "\u0085" not in result.stdout  # escaped, for line-splitting tools
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return result.exit_code, lines, result.stderr


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x0c", "\x1c", "\x1d", "\x1e", "\r"])
def test_only_newline_ends_a_line(tmp_path: Path, separator: str) -> None:
    raw = f'{{"name": "a{separator}b", "commercial": true}}\n{{"commercial": false}}\n'.encode()
    code, lines, err = _batch(tmp_path, raw)
    if separator not in "\u2028\u2029\u0085":  # a raw control character in a JSON string is invalid JSON:
        assert [line["line"] for line in lines] == [1, 2], err  # an error on line 1, not a new line
        assert "error" in lines[0] and "error" not in lines[1]
        return
    assert code == 0, err
    assert [line["line"] for line in lines] == [1, 2]
    assert all("error" not in line for line in lines)


def test_crlf_line_endings_are_one_line_each(tmp_path: Path) -> None:
    code, lines, err = _batch(tmp_path, b'{"commercial": true}\r\n{"commercial": false}\r\n')
    assert code == 0, err
    assert [line["line"] for line in lines] == [1, 2]


def test_duplicate_keys_are_an_error_on_their_line(tmp_path: Path) -> None:
    raw = b'{"commercial": true}\n{"commercial": false, "commercial": true}\n{"commercial": false}\n'
    code, lines, err = _batch(tmp_path, raw)
    assert code == 2
    assert [line["line"] for line in lines] == [1, 2, 3]
    assert "error" in lines[1] and "error" not in lines[0] and "error" not in lines[2]
    assert "batch.jsonl:2: commercial: is given twice" in err


@pytest.mark.parametrize("bad", [
    "[" * 100_000 + "]" * 100_000,
    '{"a": ' * 5_000 + "1" + "}" * 5_000,
    '{"monthly_active_users": ' + "9" * 5_000 + "}",
    '{"name": "\\ud800"}',
    '{"name": "x\\udfff"}',
    '{"monthly_active_users": 1e999}',
    '{"monthly_active_users": NaN}',
])
def test_a_hostile_line_is_reported_and_the_rest_still_run(tmp_path: Path, bad: str) -> None:
    raw = ('{"commercial": true}\n' + bad + '\n{"commercial": false}\n').encode()
    code, lines, err = _batch(tmp_path, raw)
    assert code == 2
    assert [line["line"] for line in lines] == [1, 2, 3]
    assert ["error" in line for line in lines] == [False, True, False]
    assert "batch.jsonl:2" in err and "batch.jsonl:1" not in err and "batch.jsonl:3" not in err


def test_a_batch_larger_than_a_yaml_file_is_read(tmp_path: Path) -> None:
    """Real batches run to millions of lines: the file size is not bounded, each line is."""
    padding = " " * 100_000
    raw = "".join(f'{{"commercial": {"true" if n % 2 else "false"}}}{padding}\n' for n in range(50)).encode()
    assert len(raw) > 4 * 1024 * 1024
    code, lines, err = _batch(tmp_path, raw)
    assert code == 0, err
    assert [line["line"] for line in lines] == list(range(1, 51))


def test_an_overlong_line_is_an_error_and_the_next_line_keeps_its_number(tmp_path: Path) -> None:
    from modelterms._batch import MAX_LINE_BYTES

    raw = b'{"commercial": true}\n{"name": "' + b"x" * (MAX_LINE_BYTES + 10) + b'"}\n{"commercial": false}\n'
    code, lines, err = _batch(tmp_path, raw)
    assert code == 2
    assert [line["line"] for line in lines] == [1, 2, 3]
    assert ["error" in line for line in lines] == [False, True, False]
    assert f"longer than {MAX_LINE_BYTES} bytes" in err


def test_a_file_without_a_final_newline_and_blank_lines(tmp_path: Path) -> None:
    code, lines, err = _batch(tmp_path, b'\n{"commercial": true}\n   \n{"commercial": false}')
    assert code == 0, err
    assert [line["line"] for line in lines] == [2, 4]


def test_output_is_streamed_to_a_temporary_file_beside_the_target(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """While line 3 is evaluated, lines 1 and 2 are already written (nothing is held back in memory)."""
    import modelterms._batch as batch

    target = tmp_path / "out" / "report.jsonl"
    target.parent.mkdir()
    seen: list[list[int]] = []
    real = batch.report_for

    def spying(*args: Any, **kwargs: Any) -> Any:
        temporary = [p for p in target.parent.iterdir() if p != target]
        seen.append([json.loads(line)["line"] for p in temporary for line in p.read_text("utf-8").splitlines()])
        return real(*args, **kwargs)

    monkeypatch.setattr(batch, "report_for", spying)
    code, _, err = _batch(tmp_path, b'{"commercial": true}\n{"commercial": false}\n{"modifies": true}\n',
                          "-o", str(target))
    assert code == 0, err
    assert seen == [[], [1], [1, 2]]
    assert [json.loads(line)["line"] for line in target.read_text("utf-8").splitlines()] == [1, 2, 3]
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.jsonl"]


def test_stdout_is_written_line_by_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import modelterms._batch as batch
    from modelterms._workflow import load_setup

    path = tmp_path / "batch.jsonl"
    path.write_text('{"commercial": true}\n{"commercial": false}\n')
    setup = load_setup(None, (DEEPSEEK,), (), (), ())
    written: list[str] = []
    real = batch.report_for

    def spying(*args: Any, **kwargs: Any) -> Any:
        written.append(capsys.readouterr().out)
        return real(*args, **kwargs)

    monkeypatch.setattr(batch, "report_for", spying)

    def build(document: Any) -> Any:
        from modelterms._usecase import use_case_from_dict

        return use_case_from_dict(document.data, document=document), ()

    assert batch.run_batch(str(path), setup, build, "forbidden", None) == 0
    assert written[0] == "" and json.loads(written[1])["line"] == 1
