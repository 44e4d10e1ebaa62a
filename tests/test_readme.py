"""The README's commands are what CI runs, and its generated blocks match the real output."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

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
    assert module.catalog_page() == (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8"), \
        "run: python scripts/update_readme.py"


def test_library_example_runs() -> None:
    (snippet,) = re.findall(r"## Library\n\n```python\n(.*?)```", README, re.S)
    exec(compile(snippet, "README.md", "exec"), {})


def test_downstream_example_passes(modelterms_catalog) -> None:
    (snippet,) = re.findall(r"# tests/test_model_licenses.py \(in your project\)\n(.*?)```", README, re.S)
    namespace: dict = {}
    exec(compile(snippet, "README.md", "exec"), namespace)
    namespace["test_shipped_models_stay_permitted"](modelterms_catalog)


def test_ci_snippet_commands_work_on_the_sample_project(tmp_path: Path, monkeypatch) -> None:
    """Every `modelterms` step of the README's GitHub Actions snippet, run in the sample project."""
    import json
    import shlex
    import shutil

    import jsonschema
    from click.testing import CliRunner

    from modelterms.cli import main

    snippet = README.split("<!-- ci-snippet:start -->", 1)[1].split("<!-- ci-snippet:end -->", 1)[0]
    steps = [line.split("run:", 1)[1].strip() for line in snippet.splitlines()
             if line.strip().startswith("- run: modelterms")]
    assert len(steps) == 3
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "data" / "sample-project", project)
    shutil.copytree(ROOT / "policies", project / "policies")
    (project / ".git").mkdir()
    monkeypatch.chdir(project)
    codes = []
    for step in steps:
        command, _, redirect = step.partition(">>")
        args = shlex.split(command)[1:]
        result = CliRunner().invoke(main, args)
        assert result.exit_code in (0, 1), result.stderr
        codes.append(result.exit_code)
        if redirect:
            assert "## modelterms" in result.stdout  # the markdown that would land in the job summary
    # The gate step fails on the sample project's policy violation; the report steps never fail the job.
    assert codes == [1, 0, 0]
    log = json.loads((project / "modelterms.sarif").read_text())
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(log)


@pytest.mark.slow
def test_ci_snippet_runs_as_written(tmp_path: Path) -> None:
    """Every `run:` step of the README's GitHub Actions job, as written, in bash, in the sample project.

    Only where pip finds packages differs from GitHub: a local folder holding the wheel built from this
    checkout (PIP_NO_INDEX, PIP_FIND_LINKS), in a fresh virtual environment that sees this one's dependencies.
    """
    import os
    import shutil
    import site
    import subprocess
    import sys
    import venv

    import yaml

    snippet = README.split("<!-- ci-snippet:start -->", 1)[1].split("<!-- ci-snippet:end -->", 1)[0]
    (body,) = re.findall(r"```yaml\n(.*?)```", snippet, re.S)
    (job,) = yaml.safe_load(body)["jobs"].values()
    steps = [step["run"] for step in job["steps"] if "run" in step]
    assert any(step.startswith("pip install") for step in steps)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, timeout=600)
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    inner = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import site; print(site.getsitepackages()[0])"],
                           capture_output=True, text=True, check=True).stdout.strip()
    outer = tmp_path / "dependencies"  # this environment's packages, without modelterms itself
    outer.mkdir()
    for folder in map(Path, site.getsitepackages()):
        for entry in folder.iterdir():
            if not entry.name.lower().startswith(("modelterms", "_editable_impl_modelterms", "__editable__")):
                (outer / entry.name).symlink_to(entry)
    Path(inner, "outer.pth").write_text(f"{outer}\n")
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "data" / "sample-project", project)
    shutil.copytree(ROOT / "policies", project / "policies")
    (project / ".git").mkdir()
    summary = tmp_path / "summary.md"
    environment = {**os.environ, "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}",
                   "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels), "GITHUB_STEP_SUMMARY": str(summary),
                   "MODELTERMS_NO_CACHE": "1", "VIRTUAL_ENV": str(env_dir)}
    environment.pop("PYTHONPATH", None)
    codes = [subprocess.run(["bash", "-c", step], cwd=project, env=environment, capture_output=True, text=True,
                            timeout=900).returncode for step in steps]
    # pip installs; the gate fails on the sample project's policy violation; the report steps never fail.
    assert codes == [0, 1, 0, 0], codes
    assert "## modelterms" in summary.read_text()
    assert (project / "modelterms.sarif").is_file()
    located = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import modelterms; print(modelterms.__file__)"],
                             capture_output=True, text=True, check=True, env=environment, cwd=tmp_path)
    assert str(env_dir) in located.stdout  # the wheel the snippet installed ran, not this checkout
