"""`-o` writes reports, never anything else (issue 14, finding 7)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelterms.cli import main

CHECK = ["check", "--no-config", "--model", "deepseek-ai/DeepSeek-R1", "--format", "json"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def test_a_device_is_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, err = run(*CHECK, "-o", str(fifo))
    assert code == 2 and "not a regular file" in err and str(fifo) in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    code, err = run(*CHECK, "-o", "/dev/null")
    assert code == 2 and stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_symbolic_link_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    code, err = run(*CHECK, "-o", str(link))
    assert code == 2 and "symbolic link" in err
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "old"


def test_a_read_only_file_is_kept(tmp_path: Path) -> None:
    kept = tmp_path / "kept.json"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o444)
    code, err = run(*CHECK, "-o", str(kept))
    assert code == 2 and "read-only" in err and kept.read_text(encoding="utf-8") == "old"


def test_an_input_of_the_run_is_never_overwritten(tmp_path: Path) -> None:
    use_case = tmp_path / "use.yaml"
    use_case.write_text("commercial: true\n", encoding="utf-8")
    code, err = run(*CHECK, "--use-case", str(use_case), "-o", str(use_case))
    assert code == 2 and "input of this run" in err
    assert use_case.read_text(encoding="utf-8") == "commercial: true\n"
    config = tmp_path / "modelterms.yaml"
    config.write_text("models: [deepseek-ai/DeepSeek-R1]\n", encoding="utf-8")
    code, err = run("check", "--config", str(config), "-o", str(config))
    assert code == 2 and config.read_text(encoding="utf-8") == "models: [deepseek-ai/DeepSeek-R1]\n"
    batch = tmp_path / "cases.jsonl"
    batch.write_text('{"commercial": true}\n', encoding="utf-8")
    code, err = run(*CHECK, "--batch", str(batch), "-o", str(batch))
    assert code == 2 and batch.read_text(encoding="utf-8") == '{"commercial": true}\n'


def test_an_existing_report_is_replaced_keeping_its_mode(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("old", encoding="utf-8")
    report.chmod(0o640)
    code, err = run(*CHECK, "-o", str(report))
    assert code == 0, err
    assert report.read_text(encoding="utf-8").startswith("{")
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left behind


def test_errors_name_the_users_path_not_a_temporary_file(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "report.json"
    code, err = run(*CHECK, "-o", str(missing))
    assert code == 2 and str(missing) in err and ".modelterms-" not in err


@pytest.mark.parametrize("dangling", [True, False])
def test_init_never_replaces_a_symbolic_link(tmp_path: Path, dangling: bool) -> None:
    target = tmp_path / "elsewhere.yaml"
    if not dangling:
        target.write_text("mine\n", encoding="utf-8")
    link = tmp_path / "modelterms.yaml"
    link.symlink_to(target)
    code, err = run("init", str(link), "--force")
    assert code == 2 and "symbolic link" in err
    assert link.is_symlink() and (dangling or target.read_text(encoding="utf-8") == "mine\n")


def test_a_new_report_gets_the_usual_mode_not_the_temporary_files(tmp_path: Path) -> None:
    report = tmp_path / "new.json"
    previous = os.umask(0o022)
    try:
        code, err = run(*CHECK, "-o", str(report))
    finally:
        os.umask(previous)
    assert code == 0, err
    assert stat.S_IMODE(report.stat().st_mode) == 0o644
