"""The pre-commit hook, for real: `pre-commit try-repo` installs this repository's hook and runs it
on a sample project (tests/data/sample-project), as a team's pre-commit configuration would.

try-repo builds the hook's environment from the repository's committed tree (plus staged and
tracked changes), so in CI (a fresh clone) it tests exactly what is on main.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = Path(__file__).parent / "data" / "sample-project"
# Variables from an enclosing git or pre-commit run would point git at the wrong repository.
_KEEP_GIT = {"GIT_EXEC_PATH", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSL_CAINFO", "GIT_SSL_NO_VERIFY"}

pytestmark = pytest.mark.slow


def _env(cache: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not (key.startswith(("GIT_", "PRE_COMMIT")) and key not in _KEEP_GIT)
           and key not in {"SKIP", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env["PRE_COMMIT_HOME"] = str(cache / "pre-commit")
    env["XDG_CACHE_HOME"] = str(cache / "xdg")
    return env


def _git(project: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


def _try_repo(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", "--color", "never", str(REPO),
                           "modelterms", *args], cwd=project, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-cache")


@pytest.fixture()
def project(tmp_path: Path, cache: Path) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "project"
    shutil.copytree(SAMPLE, root)
    shutil.copytree(REPO / "policies", root / "policies")
    env = _env(cache)
    _git(root, env, "init", "-q")
    _git(root, env, "add", "-A")
    return root, env


def test_hook_fails_on_a_policy_violation_and_passes_once_waived(project: tuple[Path, dict[str, str]]) -> None:
    root, env = project
    failed = _try_repo(root, env, "--all-files")
    # openai/gpt-4o breaks the sample project's no-proprietary-api policy: the hook fails with exit 1.
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout and "- exit code: 1" in failed.stdout
    assert "openai/gpt-4o" in failed.stdout  # the hook's own report is shown on failure
    config = root / "modelterms.yaml"
    config.write_text(config.read_text() + "  - {model: openai/gpt-4o, rule: policy-no-proprietary-api, "
                      "reason: fallback until 2027, approved_by: cto, expires: 2999-12-31}\n")
    _git(root, env, "add", "-A")
    passed = _try_repo(root, env, "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.rstrip().endswith("Passed")


def test_hook_only_runs_when_the_declaration_changes(project: tuple[Path, dict[str, str]]) -> None:
    root, env = project
    (root / "notes.txt").write_text("unrelated\n")
    skipped = _try_repo(root, env, "--files", "notes.txt")
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "(no files to check)Skipped" in skipped.stdout
    ran = _try_repo(root, env, "--files", "modelterms.yaml")
    assert ran.returncode == 1 and "Failed" in ran.stdout
