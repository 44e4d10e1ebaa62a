"""Scanning a repository in CI: the README's scan steps and the `modelterms-scan` pre-commit hook, as written."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from modelterms.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _hook() -> dict:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    return hooks["modelterms-scan"]


def test_the_readme_scan_steps_work_on_a_repository(app: Path) -> None:
    snippet = README.split("<!-- scan-snippet:start -->", 1)[1].split("<!-- scan-snippet:end -->", 1)[0]
    steps = [line.split("run:", 1)[1].strip() for line in snippet.splitlines() if "- run: modelterms" in line]
    assert len(steps) == 2
    codes = [CliRunner().invoke(main, shlex.split(step)[1:]).exit_code for step in steps]
    # the gate fails on the tree's unknown models; the ML-BOM step never fails the job
    assert codes == [1, 0]
    bom = json.loads((app / "model-bom.cdx.json").read_text())
    assert bom["specVersion"] == "1.6" and len(bom["components"]) > 20


@pytest.mark.parametrize(("path", "runs"), [
    ("src/app.py", True), ("web/src/client.ts", True), ("notebooks/a.ipynb", True), ("deploy/compose.yaml", True),
    ("pyproject.toml", True), ("Dockerfile", True), ("docker/Dockerfile.gpu", True), ("scripts/serve.sh", True),
    ("sbom/bom.cdx.json", True), ("models/acme/x/README.md", True),
    ("notes.txt", False), ("docs/guide.md", False), ("logo.png", False),
])
def test_the_hook_runs_on_code_and_config_changes_only(path: str, runs: bool) -> None:
    assert bool(re.search(_hook()["files"], path)) is runs


def test_the_hook_entry_scans_the_repository(app: Path) -> None:
    hook = _hook()
    assert hook["pass_filenames"] is False  # the whole tree, whichever file changed
    result = CliRunner().invoke(main, [*shlex.split(hook["entry"])[1:], "--no-config"])
    assert result.exit_code == 1 and "acme/private-13b" in result.stdout


@pytest.mark.slow
def test_the_hook_runs_for_real_with_pre_commit(app: Path, tmp_path: Path) -> None:
    from tests.test_precommit import _env, _git

    env = _env(tmp_path / "cache")
    shutil.rmtree(app / ".git")
    _git(app, env, "init", "-q")
    _git(app, env, "add", "-A")
    done = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", "--color", "never", str(ROOT),
                           "modelterms-scan", "--files", "src/chat.py"], cwd=app, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "unknown-model-reference" in done.stdout or "acme/private-13b" in done.stdout
