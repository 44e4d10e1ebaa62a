"""`pip install .` (not editable) into a fresh virtual environment ships the YAML data and works from elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_checks_from_another_directory(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, timeout=600)
    (wheel,) = wheels.glob("modelterms-*.whl")
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=900)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {**os.environ, "MODELTERMS_NO_CACHE": "1"}
    result = subprocess.run(
        [str(env_dir / "bin" / "modelterms"), "check", "--format", "json", "--model", "deepseek-ai/DeepSeek-R1",
         "--model", "openai/gpt-4o", "--self-hosted"],
        cwd=elsewhere, capture_output=True, text=True, timeout=120, env=environment)
    assert result.returncode == 1, result.stderr
    verdicts = {r["model"]: r["verdict"] for r in json.loads(result.stdout)["results"]}
    assert verdicts == {"deepseek-ai/DeepSeek-R1": "permitted", "openai/gpt-4o": "forbidden"}
    located = subprocess.run([str(python), "-c", "import modelterms._paths as p; print(p.bundled_root())"],
                             cwd=elsewhere, capture_output=True, text=True, check=True)
    assert "site-packages" in located.stdout and located.stdout.strip().endswith("_bundled")
