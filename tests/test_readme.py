"""The README's commands are what CI runs, and its generated blocks match the real output."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _fenced_bash() -> list[str]:
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", README, re.S)]


def test_readme_opens_with_install_check_and_test_commands() -> None:
    install, tests = _fenced_bash()[:2]
    assert "pip install" in install and "modelterms check" in install
    assert "pytest" in tests
    intro = README.split("## ", 1)[0]
    assert install in intro and tests in intro


def test_ci_runs_exactly_the_readme_commands() -> None:
    install, tests = _fenced_bash()[:2]
    ci_lines = [line.strip() for line in CI.splitlines()]
    assert install in ci_lines
    assert tests in ci_lines


def test_generated_blocks_are_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "scripts" / "update_readme.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render(README) == README, "run: python scripts/update_readme.py"


def test_library_example_runs() -> None:
    (snippet,) = re.findall(r"## Library\n\n```python\n(.*?)```", README, re.S)
    exec(compile(snippet, "README.md", "exec"), {})


def test_downstream_example_passes(modelterms_catalog) -> None:
    (snippet,) = re.findall(r"# tests/test_model_licenses.py \(in your project\)\n(.*?)```", README, re.S)
    namespace: dict = {}
    exec(compile(snippet, "README.md", "exec"), namespace)
    namespace["test_shipped_models_stay_permitted"](modelterms_catalog)
