"""``modelterms notice``: the obligations of shipping or serving models, as NOTICE and LICENSES.md.

Expected strings are the licenses' own (the attribution line the Llama 3.1 licence prescribes in 1.b.i) or the
fixture's, written here by hand; none is produced by the code under test.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from modelterms import Catalog, UseCase
from modelterms._format.notice import files
from modelterms._notice import notice, write_files
from modelterms.cli import main

from .conftest import cite, model, profile

LLAMA = "meta-llama/Llama-3.1-8B-Instruct"
SHIP = UseCase(commercial=True, distributes=True, serves_third_parties=True, modifies=True, as_of="2026-11-23")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def _fixture_catalog(tmp_path: Path) -> Catalog:
    """A made-up license whose obligations each fire on one trigger, so that each test can tell which fired."""
    data = profile("acme-open", kind="restricted", obligations=[
        {"type": "attribution", "trigger": "distributes_or_serves", "text": "Made with Acme",
         "summary": "Show Made with Acme on the product page.", "cite": cite("4.a")},
        {"type": "naming", "trigger": "modifies", "text": "Acme",
         "summary": "Derived models are named Acme-something.", "cite": cite("4.b")},
        {"type": "notice", "trigger": "distributes", "text": "Acme model, (c) Acme Corp.",
         "summary": "Keep the Acme copyright notice.", "cite": cite("4.c")},
        {"type": "include_license", "trigger": "distributes", "summary": "Ship the licence text.",
         "cite": cite("4.d")},
        {"type": "attribution", "trigger": "trains_on_outputs", "text": "Trained on Acme outputs",
         "summary": "Models trained on outputs say so.", "cite": cite("4.e")},
    ])
    root = tmp_path / "mine"
    (root / "models").mkdir(parents=True)
    (root / "acme-open.yaml").write_text(yaml.safe_dump(data))
    (root / "models" / "m.yaml").write_text(yaml.safe_dump({"models": [model("acme/open", ("acme-open",))]}))
    return Catalog.load(licenses=[root])


def test_llama_ships_with_its_prescribed_attribution_once_and_its_license_and_policy(catalog: Catalog) -> None:
    result = notice(catalog, SHIP, [LLAMA])
    texts = [item.text for item in result.attributions]
    assert texts == ["Built with Llama"]  # llama-3.1 §1.b.i, word for word, once
    assert [item.text for item in result.naming] and all(item.text == "Llama" for item in result.naming)
    documents = {doc.id: doc for doc in result.documents}
    assert documents["llama-3.1"].copy_required and not documents["llama-3.1"].policy
    assert documents["llama-3.1-aup"].policy
    written = files(result)
    assert written["NOTICE"].count("Built with Llama") == 1
    assert "https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE" in written["LICENSES.md"]
    assert "USE_POLICY.md" in written["LICENSES.md"]
    assert '"Llama"' in written["LICENSES.md"]  # the naming rule for derived models


def test_two_llama_models_share_one_attribution_line(catalog: Catalog) -> None:
    text = files(notice(catalog, SHIP, [LLAMA, "meta-llama/Llama-3.2-1B"]))["NOTICE"]
    assert text.count("Built with Llama") == 1
    assert "llama-3.1 §1.b.i" in text and "llama-3.2 §1.b.i" in text


def test_only_the_obligations_the_use_case_sets_off(tmp_path: Path) -> None:
    catalog = _fixture_catalog(tmp_path)
    served = notice(catalog, UseCase(serves_third_parties=True), ["acme/open"])
    assert [item.text for item in served.attributions] == ["Made with Acme"]
    assert not served.naming and not served.notices
    assert not any(doc.copy_required for doc in served.documents)
    shipped = notice(catalog, UseCase(distributes=True, modifies=True, trains_on_outputs=True), ["acme/open"])
    assert sorted(item.text or "" for item in shipped.attributions) == ["Made with Acme", "Trained on Acme outputs"]
    assert [item.text for item in shipped.naming] == ["Acme"]
    assert [item.text for item in shipped.notices] == ["Acme model, (c) Acme Corp."]
    assert [doc.id for doc in shipped.documents if doc.copy_required] == ["acme-open"]
    assert shipped.requirements[0].citation.section == "4.a"
    text = files(shipped)["NOTICE"]
    assert "    Made with Acme\n" in text and "    Acme model, (c) Acme Corp.\n" in text


def test_a_notice_without_exact_words_is_cited_not_invented(catalog: Catalog) -> None:
    text = files(notice(catalog, SHIP, [LLAMA]))["NOTICE"]
    line = next(line for line in text.splitlines() if "llama-3.1 §1.b.iii" in line)
    assert line.startswith("- To keep, in the wording the license gives")


def test_json_document_lists_requirements_with_citations(catalog: Catalog) -> None:
    code, out, _ = run("notice", LLAMA, "--commercial", "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["schema_version"] == 1
    attribution = [item for item in document["requirements"] if item["type"] == "attribution"]
    assert attribution[0]["text"] == "Built with Llama" and attribution[0]["citation"]["section"] == "1.b.i"
    assert document["use_case"]["distributes"] and document["use_case"]["serves_third_parties"]


def test_cli_takes_shipping_as_the_default_and_says_so() -> None:
    code, out, err = run("notice", LLAMA)
    assert code == 0 and "Built with Llama" in out and "distributed and served" in err
    code, out, err = run("notice", LLAMA, "--no-distributes", "--no-serves-third-parties")
    assert code == 0 and "Built with Llama" not in out and "distributed and served" not in err


def test_cli_writes_the_files_and_never_over_one_without_force(tmp_path: Path) -> None:
    target = tmp_path / "legal"
    code, _, err = run("notice", LLAMA, "-o", str(target))
    assert code == 0 and sorted(os.listdir(target)) == ["LICENSES.md", "NOTICE"]
    assert "Built with Llama" in (target / "NOTICE").read_text(encoding="utf-8")
    (target / "NOTICE").write_text("mine", encoding="utf-8")
    code, _, err = run("notice", LLAMA, "-o", str(target))
    assert code == 2 and "already exists" in err and "--force" in err
    assert (target / "NOTICE").read_text(encoding="utf-8") == "mine"
    code, _, _ = run("notice", LLAMA, "-o", str(target), "--force")
    assert code == 0 and "Built with Llama" in (target / "NOTICE").read_text(encoding="utf-8")


def test_nothing_is_written_when_one_file_exists(tmp_path: Path) -> None:
    (tmp_path / "LICENSES.md").write_text("mine", encoding="utf-8")
    with pytest.raises(Exception, match="already exists"):
        write_files(str(tmp_path), {"NOTICE": "new", "LICENSES.md": "new"})
    assert not (tmp_path / "NOTICE").exists()


def test_symlinks_are_refused_for_the_folder_and_for_a_file(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    code, _, err = run("notice", LLAMA, "-o", str(tmp_path / "link"))
    assert code == 2 and "symbolic link" in err and not list(real.iterdir())
    (real / "NOTICE").symlink_to(tmp_path / "elsewhere")
    code, _, err = run("notice", LLAMA, "-o", str(real), "--force")
    assert code == 2 and "symbolic link" in err and not (tmp_path / "elsewhere").exists()


def test_bad_input_is_exit_2_and_a_forbidden_model_exit_1() -> None:
    code, _, err = run("notice", "no-such/model")
    assert code == 2 and "no-such/model" in err
    code, out, err = run("notice", "openai/gpt-4o")  # API only: there are no weights to distribute
    assert code == 1 and "forbidden" in err and "Not cleared" in out
    code, _, _ = run("notice", LLAMA, "--as-of", "2024-13-40")
    assert code == 2
