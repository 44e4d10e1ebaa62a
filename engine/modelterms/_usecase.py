"""Turning user input into a valid UseCase: the schema, the vocabulary, the defaults."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from ._errors import Problem, raise_if
from ._schema import load_schema, suggest, validate
from ._yaml import Document, load_file

if TYPE_CHECKING:
    from ._model import UseCase


class Vocabulary(NamedTuple):
    """The purpose tags: what each current tag means, and which tag replaces each deprecated one."""

    meanings: dict[str, str]
    replaced_by: dict[str, str]

    @property
    def known(self) -> set[str]:
        return set(self.meanings) | set(self.replaced_by)


def vocabulary_problems(document: Document) -> list[Problem]:
    """Problems of a vocabulary file: its schema, and every deprecated tag pointing at a current tag."""
    problems = validate(document, "vocabulary")
    if problems or not isinstance(document.data, dict):
        return problems
    purposes = document.data["purposes"]
    current = {tag for tag, entry in purposes.items() if isinstance(entry, str)}
    for tag, entry in purposes.items():
        if isinstance(entry, dict) and entry["deprecated"] not in current:
            problems.append(document.problem(
                ("purposes", tag, "deprecated"), f"names `{entry['deprecated']}`, which is not a tag in use",
                suggest(entry["deprecated"], sorted(current)) or "name a tag that is not itself deprecated"))
    return problems


def load_vocabulary(path: str) -> Vocabulary:
    """Read and validate a vocabulary file (rules/vocabulary.yaml); InputError names the line of every problem."""
    document = load_file(path)
    raise_if(vocabulary_problems(document))
    purposes = document.data["purposes"]
    return Vocabulary({tag: entry for tag, entry in purposes.items() if isinstance(entry, str)},
                      {tag: entry["deprecated"] for tag, entry in purposes.items() if isinstance(entry, dict)})


def _vocabulary_path() -> str:
    from ._paths import vocabulary_file

    return str(vocabulary_file())


@cache
def vocabulary_terms() -> Vocabulary:
    """The bundled vocabulary, read once."""
    return load_vocabulary(_vocabulary_path())


def vocabulary() -> dict[str, str]:
    """Current purpose tag -> meaning (deprecated tags are left out: nothing new should use them)."""
    return vocabulary_terms().meanings


@cache
def eu_members() -> tuple[str, ...]:
    return tuple(load_schema("common.schema.json")["$defs"]["eu_members"]["const"])


def expand_territories(codes: Sequence[str]) -> list[str]:
    """``EU`` becomes its member states, ``EEA`` those and the EEA's other members; sorted, free of repeats."""
    out: set[str] = set()
    for code in codes:
        out.update(eu_members() if code == "EU" else (*eu_members(), *_eea_beyond_eu()) if code == "EEA" else (code,))
    return sorted(out)


@cache
def _eea_beyond_eu() -> tuple[str, ...]:
    return tuple(load_schema("common.schema.json")["$defs"]["eea_beyond_eu"]["const"])


def purpose_problems(document: Document, path: tuple[str | int, ...], tags: Any, *,
                     allow_deprecated: bool = False) -> list[Problem]:
    """Unknown purpose tags are errors: a typo must never make a prohibition vanish.

    A deprecated tag is an error too, unless ``allow_deprecated`` (a use case, which is then read
    with the replacement tag): a license profile naming the old tag would miss use cases that name
    the new one.
    """
    terms = vocabulary_terms()
    problems = []
    if isinstance(tags, list):
        for index, tag in enumerate(tags):
            if not isinstance(tag, str):
                continue
            if tag in terms.replaced_by and not allow_deprecated:
                problems.append(document.problem((*path, index), f"purpose tag `{tag}` is deprecated",
                                                 f"write `{terms.replaced_by[tag]}`"))
            elif tag not in terms.known:
                problems.append(document.problem((*path, index), f"unknown purpose tag `{tag}`",
                                                 suggest(tag, list(terms.meanings)) or "see rules/vocabulary.yaml"))
    return problems


def deprecation_notices(document: Document) -> list[str]:
    """One notice per deprecated purpose tag in a use case, naming the tag it is read as."""
    tags = document.data.get("purposes") if isinstance(document.data, dict) else None
    replaced = vocabulary_terms().replaced_by
    if not isinstance(tags, list):
        return []
    return ["notice: " + document.problem(("purposes", index), f"purpose tag `{tag}` is deprecated: read as "
                                          f"`{replaced[tag]}`", f"write `{replaced[tag]}`").render()
            for index, tag in enumerate(tags) if isinstance(tag, str) and tag in replaced]


def use_case_problems(document: Document, *, allow_deprecated: bool = False) -> list[Problem]:
    problems = validate(document, "use-case")
    if isinstance(document.data, dict):
        problems += purpose_problems(document, ("purposes",), document.data.get("purposes"),
                                     allow_deprecated=allow_deprecated)
    return problems


def use_case_from_dict(data: Mapping[str, Any], *, source: str = "<use case>",
                       document: Document | None = None) -> UseCase:
    from ._model import UseCase

    if document is None:
        document = Document(source, dict(data) if isinstance(data, Mapping) else data)
    if document.data is None:
        document.data = {}
    raise_if(use_case_problems(document, allow_deprecated=True))
    values = dict(document.data)
    if "purposes" in values:
        replaced = vocabulary_terms().replaced_by
        values["purposes"] = list(dict.fromkeys(replaced.get(tag, tag) for tag in values["purposes"]))
    for key in ("territories", "purposes"):
        if key in values:
            values[key] = tuple(values[key])
    _validated.active = True  # these values were just validated: __post_init__ need not do it again
    try:
        return UseCase(**values)
    finally:
        _validated.active = False


#: Set (per thread) while use_case_from_dict builds a UseCase from values it has just validated.
_validated = threading.local()


def check_use_case(use_case: UseCase) -> None:
    """Validate a UseCase built from keyword arguments, exactly like a file (once: not again for from_dict)."""
    if getattr(_validated, "active", False):
        return
    data = use_case.to_dict()
    raise_if([problem._replace(file="UseCase", line=None, hint=_PYTHON_HINTS.get(problem.hint, problem.hint))
              for problem in use_case_problems(Document("UseCase", data))])


#: A file's hints, as a caller of ``UseCase(...)`` would act on them.
_PYTHON_HINTS = {"write true or false, without quotes": "pass True or False",
                 "write the number without quotes or commas": "pass an int"}
