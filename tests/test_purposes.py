"""purposes: every tag with its meaning, and the documents that bar it, read independently from the profiles."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from modelterms import Catalog, purposes
from modelterms.cli import main

ROOT = Path(__file__).parent.parent


def test_every_tag_is_listed_with_the_profiles_that_bar_it(modelterms_catalog: Catalog) -> None:
    vocabulary = yaml.safe_load((ROOT / "rules" / "vocabulary.yaml").read_text(encoding="utf-8"))["purposes"]
    barred: dict[str, set[str]] = {}
    for path in (ROOT / "licenses").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for clause in data.get("prohibited_purposes", []):
            for tag in clause["tags"]:
                barred.setdefault(tag, set()).add(data["id"])
    listed = {p.tag: p for p in purposes(modelterms_catalog)}
    assert set(listed) == {tag for tag, meaning in vocabulary.items() if isinstance(meaning, str)}
    for tag, item in listed.items():
        assert item.description == vocabulary[tag]
        assert set(item.documents) == barred.get(tag, set()), tag
    # Llama 3.1 AUP 2.a bars military use; nothing bars coding
    military = listed["military"]
    assert any(c.license == "llama-3.1-aup" and c.section == "AUP 2.a" for c in military.barred_by)
    assert listed["coding"].barred_by == ()


def test_cli_table_and_json() -> None:
    result = CliRunner().invoke(main, ["purposes"])
    assert result.exit_code == 0 and "military" in result.stdout and "llama-3.1-aup" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 120
    result = CliRunner().invoke(main, ["purposes", "--format", "json"])
    data = json.loads(result.stdout)
    assert any(p["tag"] == "military" and "llama-3.1-aup" in p["barred_by"] for p in data["purposes"])
    result = CliRunner().invoke(main, ["purposes", "--format", "xml"])
    assert result.exit_code == 2
