"""The project config is found where it belongs, read in every valid spelling, and said aloud (issue 14, 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import modelterms._config as config_module
from modelterms import InputError
from modelterms._config import find_config, load_config
from modelterms.cli import main

DEEPSEEK = "deepseek-ai/DeepSeek-R1"

SPELLINGS = {
    "spaced header": '[ tool.modelterms ]\nmodels = ["deepseek-ai/DeepSeek-R1"]\n',
    "quoted key": '[tool."modelterms"]\nmodels = ["deepseek-ai/DeepSeek-R1"]\n',
    "inline table": '[tool]\nmodelterms = { models = ["deepseek-ai/DeepSeek-R1"] }\n',
    "dotted key under tool": '[tool]\nmodelterms.models = ["deepseek-ai/DeepSeek-R1"]\n',
    "dotted key at top": 'tool.modelterms.models = ["deepseek-ai/DeepSeek-R1"]\n',
    "sub-table": '[tool.modelterms.use_case]\ncommercial = true\n',
    "array of tables": '[[tool.modelterms.models]]\nmodel = "deepseek-ai/DeepSeek-R1"\n',
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("text", list(SPELLINGS.values()), ids=list(SPELLINGS))
def test_every_toml_spelling_of_the_table_is_found_and_read(repo: Path, text: str) -> None:
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(text + '\n[project]\nname = "x"\n')
    assert find_config(repo) == pyproject
    config = load_config(pyproject)
    assert config.models or config.use_case_document.data == {"commercial": True}


def test_a_pyproject_without_the_table_is_not_a_config(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n# [tool.modelterms] in a comment\n'
                                         'description = "[tool.modelterms]"\n')
    assert find_config(repo) is None


def test_a_bom_prefixed_pyproject_is_read(repo: Path) -> None:
    pyproject = repo / "pyproject.toml"
    pyproject.write_bytes(b"\xef\xbb\xbf" + b'[tool.modelterms]\nmodels = ["deepseek-ai/DeepSeek-R1"]\n')
    assert find_config(repo) == pyproject
    assert [d.model for d in load_config(pyproject).models] == [DEEPSEEK]


def test_a_given_pyproject_without_the_table_is_an_error(repo: Path) -> None:
    pyproject = repo / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n')
    with pytest.raises(InputError, match=r"has no \[tool.modelterms\] table"):
        load_config(pyproject)


@pytest.mark.parametrize("text", ['[tool.modelterms.use_case]\nmonthly_active_users = ' + "9" * 5000 + "\n",
                                  "tool = 1\n", "[tool]\nmodelterms = 3\n",
                                  "[tool.modelterms]\nx = " + "[" * 5000 + "]" * 5000 + "\n"])
def test_hostile_toml_is_an_input_error(repo: Path, text: str) -> None:
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(text)
    result = CliRunner().invoke(main, ["check", "--model", DEEPSEEK, "--config", str(pyproject)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "pyproject.toml" in result.output


def test_a_config_that_is_a_directory_is_an_error(repo: Path) -> None:
    (repo / "modelterms.yaml").mkdir()
    result = CliRunner().invoke(main, ["check", "--model", DEEPSEEK])
    assert result.exit_code == 2, result.output
    assert "modelterms.yaml: is not a regular file (it is a directory)" in result.output


def test_discovery_stops_at_the_home_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    planted = tmp_path / "modelterms.yaml"
    planted.write_text('exceptions: []\nmodels: ["openai/gpt-4o"]\n')
    home = tmp_path / "home"
    project = home / "work" / "proj"
    project.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    assert find_config(project) is None
    (home / "modelterms.yaml").write_text('models: ["openai/gpt-4o"]\n')
    assert find_config(project) == home / "modelterms.yaml"  # home itself is still the user's own


def test_discovery_stops_at_a_filesystem_boundary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "modelterms.yaml").write_text('models: ["openai/gpt-4o"]\n')
    mount = tmp_path / "mnt"
    project = mount / "proj"
    project.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(tmp_path / "elsewhere"))
    real = config_module._device

    def device(path: Path) -> int:
        return 99 if path in (mount, project) else real(path)

    monkeypatch.setattr(config_module, "_device", device)
    assert find_config(project) is None


def test_discovery_stops_at_the_repository_root(repo: Path) -> None:
    (repo.parent / "modelterms.yaml").write_text('models: ["openai/gpt-4o"]\n')
    (repo / "sub").mkdir()
    assert find_config(repo / "sub") is None


def test_the_config_used_is_named_on_stderr(repo: Path) -> None:
    (repo / "modelterms.yaml").write_text(f'models: ["{DEEPSEEK}"]\n')
    result = CliRunner().invoke(main, ["check", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == "modelterms: using config modelterms.yaml"
    assert "using config" not in result.stdout
    quiet = CliRunner().invoke(main, ["check", "--no-config", "--model", DEEPSEEK, "--format", "json"])
    assert "using config" not in quiet.stderr
