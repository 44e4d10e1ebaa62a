"""`scan` never passes without checking and never lets a card's order or encoding change a verdict (issue 14, 3)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelterms.cli import main


def card(root: Path, repo: str, front: str, *, body: str = "# A model\n", newline: str = "\n",
         bom: bool = False) -> Path:
    folder = root / repo
    folder.mkdir(parents=True, exist_ok=True)
    text = f"---\n{front.strip()}\n---\n{body}".replace("\n", newline)
    path = folder / "README.md"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    return path


def scan(*args: str) -> tuple[int, dict | None, str]:
    result = CliRunner().invoke(main, ["scan", "--no-config", "--format", "json", *args])
    assert "Traceback" not in result.output
    try:
        report = json.loads(result.stdout)
    except ValueError:
        report = None
    return result.exit_code, report, result.stderr


@pytest.mark.parametrize("bases", [["Qwen/Qwen3-8B", "mistralai/Codestral-22B-v0.1"],
                                   ["mistralai/Codestral-22B-v0.1", "Qwen/Qwen3-8B"]])
def test_every_base_model_counts_whatever_the_order(tmp_path: Path, bases: list[str]) -> None:
    card(tmp_path, "acme/merge", f"license: mit\nbase_model: {json.dumps(bases)}")
    code, report, err = scan(str(tmp_path), "--commercial", "--fail-on", "never")
    assert code == 0, err
    (result,) = report["results"]
    assert result["verdict"] == "forbidden"  # Codestral's non-production licence forbids commercial use
    assert "mistral-non-production-license" in result["licenses"] and "apache-2.0" in result["licenses"]


def test_a_permissive_primary_does_not_hide_the_terms_beside_it(tmp_path: Path) -> None:
    card(tmp_path, "acme/r1-then-llama", "license: mit\nbase_model:\n- deepseek-ai/DeepSeek-R1\n"
                                         "- meta-llama/Llama-3.1-8B-Instruct")
    card(tmp_path, "acme/distill-tune", "license: mit\nbase_model: deepseek-ai/DeepSeek-R1-Distill-Llama-8B")
    code, report, err = scan(str(tmp_path), "--commercial", "--fail-on", "never")
    assert code == 0, err
    for result in report["results"]:
        assert result["verdict"] == "restricted", result["model"]
        assert "llama-3.1" in result["licenses"], result["model"]


@pytest.mark.parametrize(("newline", "bom"), [("\r\n", False), ("\n", True), ("\r\n", True)])
def test_crlf_and_bom_cards_are_read(tmp_path: Path, newline: str, bom: bool) -> None:
    card(tmp_path, "acme/windows", "license: other\nlicense_name: acme", newline=newline, bom=bom)
    code, report, err = scan(str(tmp_path), "--fail-on", "forbidden")
    assert code == 1, err
    (result,) = report["results"]
    assert [f["rule"] for f in result["findings"]] == ["unknown-model-card"]


def test_metadata_below_the_top_is_an_unknown_result_not_silence(tmp_path: Path) -> None:
    path = tmp_path / "acme" / "late" / "README.md"
    path.parent.mkdir(parents=True)
    path.write_text("# Late metadata\n\nSome words.\n\n---\nlicense: apache-2.0\nbase_model: x/y\n---\n",
                    encoding="utf-8")
    code, report, err = scan(str(tmp_path), "--fail-on", "forbidden")
    assert code == 1, err
    (result,) = report["results"]
    assert result["verdict"] == "forbidden" and "not at the top" in result["findings"][0]["message"]


def test_an_empty_scan_is_an_error_unless_allowed(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Just a project readme\n", encoding="utf-8")
    code, _, err = scan(str(tmp_path))
    assert code == 2 and "no model card" in err and "--allow-empty" in err
    code, report, err = scan(str(tmp_path), "--allow-empty")
    assert code == 0, err
    assert report["results"] == []


def deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Make one directory unreadable, as chmod 000 would for a normal user (the suite may run as root)."""
    real = os.scandir

    def scandir(path: str | os.PathLike[str] = ".") -> Iterator[os.DirEntry[str]]:
        if Path(path) == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr("modelterms._paths.os.scandir", scandir)


def test_an_unreadable_subdirectory_stops_the_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    card(tmp_path, "acme/ok", "license: apache-2.0")
    hidden = tmp_path / "acme" / "hidden"
    card(tmp_path, "acme/hidden", "license: other")
    deny(monkeypatch, hidden)
    code, _, err = scan(str(tmp_path))
    assert code == 2 and str(hidden) in err and "cannot be read" in err


def test_an_unreadable_policy_directory_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "strict.yaml").write_text(
        (Path(__file__).parent.parent / "policies" / "no-proprietary-api.yaml").read_text("utf-8"), "utf-8")
    deny(monkeypatch, policies)
    result = CliRunner().invoke(main, ["check", "--no-config", "--model", "openai/gpt-4o", "--policy", str(policies)])
    assert result.exit_code == 2 and str(policies) in result.stderr, result.output


def user_profile(root: Path, **extra: object) -> Path:
    from modelterms.pytest_plugin import write_yaml

    from .conftest import profile

    data = profile("acme-everything-allowed", **extra)
    write_yaml(root / "licenses" / "acme.yaml", data)
    return root / "licenses"


def test_a_user_profile_cannot_claim_a_bundled_hugging_face_key(tmp_path: Path) -> None:
    licenses = user_profile(tmp_path, huggingface=[{"license": "cc-by-nc-4.0"}])
    card(tmp_path / "cards", "acme/nc", "license: cc-by-nc-4.0")
    code, _, err = scan(str(tmp_path / "cards"), "--licenses", str(licenses), "--commercial")
    assert code == 2 and "cc-by-nc-4.0" in err and "already claimed" in err and "acme.yaml" in err


def test_a_license_link_two_profiles_give_maps_to_neither(tmp_path: Path) -> None:
    from modelterms import Catalog

    bundled = Catalog.load().licenses["cc-by-nc-4.0"].url
    licenses = user_profile(tmp_path, url=bundled)
    card(tmp_path / "cards", "acme/nc", f"license: other\nlicense_link: {bundled}")
    code, report, err = scan(str(tmp_path / "cards"), "--licenses", str(licenses), "--commercial",
                             "--fail-on", "forbidden")
    assert code == 1, err
    (result,) = report["results"]
    assert [f["rule"] for f in result["findings"]] == ["unknown-model-card"]


def test_a_table_of_only_unknown_cards_renders(tmp_path: Path) -> None:
    card(tmp_path, "acme/mystery", "license: other")
    result = CliRunner().invoke(main, ["scan", "--no-config", str(tmp_path)])
    assert result.exit_code == 1, result.output  # a finding, not an internal error
    assert "acme/mystery" in result.stdout and "forbidden" in result.stdout
