"""The library as a Python developer meets it (issue 17, items 16-20): imports, types, fixtures, messages, repr.

Each test is what a newcomer would write first; each failed before the fix it names.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from modelterms import Catalog, InputError, UseCase

HERE = Path(__file__).parent


def _fresh(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a new interpreter, so that nothing imported by this test session helps it."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


# ----------------------------------------------------------------------------- 16: strategies import first


@pytest.mark.parametrize("statement", ["from modelterms.strategies import use_cases",
                                       "from modelterms import strategies; use_cases = strategies.use_cases"])
def test_strategies_import_without_hypothesis_first(statement: str) -> None:
    result = _fresh(f"{statement}\nfrom modelterms import UseCase\nimport hypothesis.strategies as st\n"
                    "assert isinstance(use_cases().example(), UseCase)\n"
                    "assert isinstance(st.from_type(UseCase).example(), UseCase)\nprint('ok')")
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


# ----------------------------------------------------------------------------- 17: sequences, strings, mypy


def test_use_case_takes_any_sequence_and_refuses_a_bare_string() -> None:
    assert UseCase(territories=["EU", "US"], purposes=["customer-support"]).territories == ("EU", "US")
    assert UseCase(territories=("US",)).territories == ("US",)
    with pytest.raises(InputError) as caught:
        UseCase(territories="EU")
    (problem,) = caught.value.problems
    assert problem.message == "must be a list of codes, not the string 'EU'" and problem.key == "territories"
    with pytest.raises(InputError, match="must be a list of purpose tags, not the string 'customer-support'"):
        UseCase(purposes="customer-support")


def test_the_readme_pytest_example_passes_mypy_strict(tmp_path: Path) -> None:
    import re

    readme = (HERE.parent / "README.md").read_text("utf-8")
    (snippet,) = re.findall(r"```python\n(# tests/test_model_licenses.py \(in your project\)\n.*?)```", readme, re.S)
    target = tmp_path / "test_model_licenses.py"
    target.write_text(snippet, "utf-8")
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir",
                             str(tmp_path / "cache"), str(target)], capture_output=True, text=True, timeout=300,
                            env={**__import__("os").environ, "MYPYPATH": str(HERE.parent / "engine")})
    assert result.returncode == 0, result.stdout + result.stderr


# ----------------------------------------------------------------------------- 18: a catalog factory for @given

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.conftest import model, profile  # noqa: E402


@settings(max_examples=5, deadline=None)
@given(commercial=st.booleans())
def test_a_session_catalog_factory_works_under_given(make_catalog_session, commercial: bool) -> None:  # type: ignore[no-untyped-def]
    catalog = make_catalog_session(licenses=[profile("fixture")], models=[model("acme/model")])
    (result,) = catalog.evaluate(UseCase(commercial=commercial), ["acme/model"])
    assert result.verdict.value == "permitted"  # the fixture profile grants everything


def test_the_readme_documents_the_session_factory() -> None:
    readme = (HERE.parent / "README.md").read_text("utf-8")
    assert "make_catalog_session" in readme and "@given" in readme


# ----------------------------------------------------------------------------- 20: repr, hash, help


def test_catalog_repr_is_short_and_hash_works() -> None:
    catalog = Catalog.load()
    shown = repr(catalog)
    assert len(shown) < 120
    counts = (len(catalog.models), len(catalog.licenses), len(catalog.rules))
    assert shown == "Catalog({} models, {} licenses, {} rules)".format(*counts)
    assert hash(catalog) == hash(catalog)
    assert {catalog: 1}[catalog] == 1  # usable as a key (e.g. an lru_cache argument)


def test_help_of_catalog_shows_no_private_members() -> None:
    import pydoc

    lines = [line for line in pydoc.render_doc(Catalog, renderer=pydoc.plaintext).splitlines()
             if "__annotations__" not in line and "__dataclass_fields__" not in line]  # raw dicts, always listed
    text = "\n".join(lines)
    assert "_prepared" not in text and "_recent" not in text and "_own" not in text
    assert "__hash__ = None" not in text
    assert "find_model" in text and "evaluate" in text


# ----------------------------------------------------------------------------- 19: library words in library errors


def _rendered(exc: BaseException) -> str:
    return "\n".join(problem.render() for problem in getattr(exc, "problems", ()))


def test_unknown_model_errors_speak_python() -> None:
    catalog = Catalog.load()
    for name in ("gpt-4oo", "zzzz-qqqq-nothing"):
        with pytest.raises(InputError) as caught:
            catalog.find_model(name)
        text = _rendered(caught.value)
        assert name in text and "--model" not in text and "modelterms models" not in text, text


def test_use_case_errors_speak_python() -> None:
    with pytest.raises(InputError) as caught:
        UseCase(commercial="yes")  # type: ignore[arg-type]
    text = _rendered(caught.value)
    assert "commercial" in text and "<UseCase>:1" not in text and "without quotes" not in text, text
    assert "True or False" in text


def test_the_cli_keeps_its_own_words() -> None:
    from click.testing import CliRunner

    from modelterms.cli import main

    result = CliRunner().invoke(main, ["check", "--no-config", "--model", "zzzz-qqqq-nothing"])
    assert result.exit_code == 2
    assert "--model" in result.stderr and "modelterms models --search" in result.stderr
