"""The formats people read (table, Markdown): width, a line per model, --verdict, labels, each obligation once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from modelterms import Catalog, UseCase
from modelterms._format import _readable, markdown, table
from modelterms._format._view import View
from modelterms._gate import judge
from modelterms._model import Citation, Finding, Result, Verdict
from modelterms._report import Report
from modelterms.cli import main

from .conftest import cite, grant, model, profile

LLAMA = "meta-llama/Llama-3.1-8B-Instruct"
MODELS = ["deepseek-ai/DeepSeek-R1", LLAMA, "openai/gpt-4o"]
SIX = [*MODELS, "meta-llama/Llama-3.2-1B", "mistralai/Mistral-7B-Instruct-v0.3", "Qwen/Qwen2.5-7B-Instruct"]
EU_CODES = ("AT, BE, BG, CY, CZ, DE, DK, EE, ES, FI, FR, GR, HR, HU, IE, IT, LT, LU, LV, MT, NL, PL, PT, RO, SE, "
            "SI, SK")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def report(catalog: Catalog, models: list[str], **use: object) -> Report:
    use_case = UseCase(as_of="2026-11-23", **use)  # type: ignore[arg-type]
    results = tuple(catalog.evaluate(use_case, models))
    return Report(use_case, (), results, judge(results, [], "forbidden", today="2026-11-23"))


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


@settings(max_examples=25, deadline=None)
@given(width=st.integers(min_value=72, max_value=220))
def test_the_table_fits_any_width_its_words_allow(width: int) -> None:
    catalog = Catalog.load()
    text = table.render(report(catalog, MODELS, commercial=True, self_hosted=True, serves_third_parties=True),
                        view=View(width=width))
    assert widest(text) <= width
    for model_id in MODELS:
        assert model_id.split("/")[1] in text


def test_a_pipe_gets_100_columns_and_a_terminal_its_own_width() -> None:
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    command = [sys.executable, "-m", "modelterms", "check", "--no-config", *[f"--model={m}" for m in MODELS],
               "--commercial", "--self-hosted"]
    piped = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert piped.returncode == 1, piped.stderr
    assert 90 < widest(piped.stdout) <= 100
    narrow = subprocess.run(command, capture_output=True, text=True, env={**env, "COLUMNS": "80"}, check=False)
    assert widest(narrow.stdout) <= 80


def test_more_than_five_models_get_a_line_each_and_details_shows_them_in_full() -> None:
    args = ["check", "--no-config", *[f"--model={m}" for m in SIX], "--commercial", "--self-hosted"]
    code, out, _ = run(*args, env={"COLUMNS": "120"})
    assert code == 1
    for model_id in SIX:
        assert sum(model_id in line for line in out.splitlines()) == 1
    assert "--details" in out and "Obligations" not in out and "obligations (each once)" not in out
    code, full, _ = run(*args, "--details", env={"COLUMNS": "120"})
    assert code == 1 and "Built with Llama" not in out and "Stay at or below" in full
    code, few, _ = run("check", "--no-config", f"--model={LLAMA}", "--commercial", "--summary")
    assert code == 0 and sum(LLAMA in line for line in few.splitlines()) == 1


def test_verdict_filters_what_is_shown_but_never_the_exit_code() -> None:
    args = ["check", "--no-config", *[f"--model={m}" for m in MODELS], "--commercial", "--self-hosted"]
    code, out, _ = run(*args, "--verdict", "permitted")
    assert code == 1  # gpt-4o self-hosted is still forbidden, though not shown
    assert "deepseek-ai/" in out and "gpt-4o" not in out and "Showing 1 of 3 models (verdict permitted)" in out
    code, out, _ = run(*args, "--verdict", "forbidden", "--verdict", "restricted", "--format", "markdown")
    assert code == 1 and "gpt-4o" in out and "Llama-3.1" in out and "DeepSeek-R1`" not in out
    code, _, err = run(*args, "--verdict", "forbidden", "--format", "json")
    assert code == 2 and "--verdict" in err
    code, _, err = run(*args, "--verdict", "maybe")
    assert code == 2


def test_remedies_are_shown(catalog: Catalog) -> None:
    text = table.render(report(catalog, ["openai/gpt-4o"], self_hosted=True), view=View(width=100))
    assert "Remedy: Use OpenAI's API" in " ".join(text.replace("│", " ").split())
    md = markdown.render(report(catalog, ["openai/gpt-4o"], self_hosted=True))
    assert "| remedies |" in md and "Use OpenAI's API" in md


def test_keys_read_as_words(catalog: Catalog) -> None:
    for render in (table.render, markdown.render):
        text = render(report(catalog, [LLAMA], commercial=True))
        assert "monthly_active_users" not in text.split("defaults assumed for")[0]
        assert "monthly active users" in " ".join(text.replace("│", " ").split())


def test_each_obligation_once(catalog: Catalog) -> None:
    (result,) = catalog.evaluate(UseCase(serves_third_parties=True, distributes=True, modifies=True), [LLAMA])
    assert sum('"Built with Llama"' in line for line in result.obligations) >= 2  # the duplicate this removes
    kept = _readable.obligations(result)
    assert sum('"Built with Llama"' in line for line in kept) == 1
    assert any('beginning with "Llama"' in line for line in kept)  # the naming rule stays
    assert any('"Notice" text file' in line for line in kept)


def _result(*lines: tuple[str, str]) -> Result:
    """A result whose obligations are ``lines`` (license, text), each stated by a finding of that license."""
    findings = tuple(Finding(f"r{i}", Verdict.RESTRICTED, f"Condition: {text}", Citation(lic, "1", "https://x.org"))
                     for i, (lic, text) in enumerate(lines))
    return Result("a/b", "B", lines[0][0], (lines[0][0],), Verdict.RESTRICTED, findings,
                  tuple(text for _, text in lines))


def test_dedupe_keeps_the_specific_line_and_never_crosses_licenses() -> None:
    both = _result(("x", 'Ship the licence and show "Made with X".'), ("x", 'Show "Made with X" on the page.'),
                   ("x", "Register first."))
    # the fullest of the lines quoting the same text is kept: it may say more than the quote
    assert _readable.obligations(both) == ['Ship the licence and show "Made with X".', "Register first."]
    two = _result(("x", 'Show "Made with X".'), ("y", 'Show "Made with X" too.'))
    assert len(_readable.obligations(two)) == 2
    partly = _result(("x", 'Show "Made with X" and keep the "Notice" file.'), ("x", 'Show "Made with X".'))
    assert len(_readable.obligations(partly)) == 2  # "Notice" is required by that line alone


def test_all_eu_codes_read_as_the_member_states() -> None:
    assert _readable.readable(f"(you offer it in {EU_CODES}).") == "(you offer it in the 27 EU member states)."
    assert _readable.readable(f"in {EU_CODES}, US") == "in the 27 EU member states and US"
    assert _readable.readable("in DE, FR") == "in DE, FR"  # a few member states stay codes


def test_a_territory_finding_in_the_table_names_the_member_states(catalog: Catalog) -> None:
    text = table.render(report(catalog, ["tencent/Hunyuan3D-2mini"], territories=("EU", "US")),
                        view=View(width=100))
    flat = " ".join(text.replace("│", " ").split())
    assert "the 27 EU member states" in flat and "AT, BE" not in flat


def test_urls_are_never_wrapped(tmp_path: Path) -> None:
    url = "https://example.org/a/very/long/path/to/the/license-text/that-must-stay-clickable/section-4-b.html"
    data = profile("linked", grants={**profile()["grants"],
                                     "commercial_use": grant("no", summary=f"Not commercial; see {url} for terms.",
                                                             cite=cite("2"))})
    root = tmp_path / "mine"
    (root / "models").mkdir(parents=True)
    (root / "linked.yaml").write_text(yaml.safe_dump(data))
    (root / "models" / "m.yaml").write_text(yaml.safe_dump({"models": [model("acme/linked", ("linked",))]}))
    catalog = Catalog.load(licenses=[root])
    for width in (72, 100, 160):
        text = table.render(report(catalog, ["acme/linked"], commercial=True), view=View(width=width))
        assert any(url in line for line in text.splitlines()), width
    lines = _readable.wrap(f"See {url} now, then read on for a while.", 30, "  ")
    assert lines[1] == "  " + url and lines[0] == "See"


def test_markdown_has_a_row_per_model_above_five_and_full_rows_with_details(catalog: Catalog) -> None:
    many = report(catalog, SIX, commercial=True, self_hosted=True)
    rows = [line for line in markdown.render(many).splitlines() if line.startswith("| `")]
    assert len(rows) == 6 and all(line.count(" | ") == 4 for line in rows)  # model, license, verdict, status, reason
    full = [line for line in markdown.render(many, view=View(details=True)).splitlines() if line.startswith("| `")]
    assert len(full) == 6 and all(line.count(" | ") == 7 for line in full)
    assert any("Use OpenAI's API" in line for line in full)  # the remedies column
