"""Turning user input into a valid UseCase: the schema, the vocabulary, the defaults."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from ._errors import InputError, Problem, raise_if
from ._schema import load_schema, suggest, validate
from ._yaml import Document, load_file

if TYPE_CHECKING:
    from ._model import UseCase


@cache
def vocabulary() -> dict[str, str]:
    """Purpose tag -> meaning, from rules/vocabulary.yaml."""
    from ._paths import vocabulary_file

    document = load_file(str(vocabulary_file()))
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("purposes"), dict):
        raise InputError([document.problem(("purposes",), "must map each purpose tag to its meaning")])
    return {str(tag): str(meaning) for tag, meaning in data["purposes"].items()}


@cache
def eu_members() -> tuple[str, ...]:
    return tuple(load_schema("common.schema.json")["$defs"]["eu_members"]["const"])


def expand_territories(codes: tuple[str, ...] | list[str]) -> list[str]:
    """``EU`` becomes its member states; the result is sorted and free of repeats."""
    out: set[str] = set()
    for code in codes:
        out.update(eu_members() if code == "EU" else (code,))
    return sorted(out)


def purpose_problems(document: Document, path: tuple[str | int, ...], tags: Any) -> list[Problem]:
    """Unknown purpose tags are errors: a typo must never make a prohibition vanish."""
    known = vocabulary()
    problems = []
    if isinstance(tags, list):
        for index, tag in enumerate(tags):
            if isinstance(tag, str) and tag not in known:
                problems.append(document.problem((*path, index), f"unknown purpose tag `{tag}`",
                                                 suggest(tag, list(known)) or "see rules/vocabulary.yaml"))
    return problems


def use_case_problems(document: Document) -> list[Problem]:
    problems = validate(document, "use-case")
    if isinstance(document.data, dict):
        problems += purpose_problems(document, ("purposes",), document.data.get("purposes"))
    return problems


def use_case_from_dict(data: Mapping[str, Any], *, source: str = "<use case>",
                       document: Document | None = None) -> UseCase:
    from ._model import UseCase

    if document is None:
        document = Document(source, dict(data) if isinstance(data, Mapping) else data)
    if document.data is None:
        document.data = {}
    raise_if(use_case_problems(document))
    values = dict(document.data)
    for key in ("territories", "purposes"):
        if key in values:
            values[key] = tuple(values[key])
    return UseCase(**values)


def check_use_case(use_case: UseCase) -> None:
    """Validate a UseCase built from keyword arguments, exactly like a file."""
    data = use_case.to_dict()
    raise_if(use_case_problems(Document("<UseCase>", data)))
