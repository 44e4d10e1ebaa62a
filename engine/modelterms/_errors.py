"""Errors are values: each carries the file, line and key path it is about.

The library raises them; the CLI renders them and exits 2. Nothing from
durable-rules or PyYAML ever reaches a caller unwrapped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with one input, precise enough to fix without a debugger."""

    file: str
    line: int | None
    key: str
    message: str
    hint: str = ""

    def render(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        key = f" {self.key}:" if self.key else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}:{key} {self.message}{hint}"


#: A file with thousands of problems gets the first ones and a count: the rest would only bury them.
MAX_SHOWN = 50


def shown(problems: Sequence[Problem]) -> list[str]:
    """The rendered problems to show a person: at most ``MAX_SHOWN``, then how many more there are."""
    lines = [problem.render() for problem in problems[:MAX_SHOWN]]
    if len(problems) > MAX_SHOWN:
        lines.append(f"... and {len(problems) - MAX_SHOWN} more problems")
    return lines


class ModelTermsError(Exception):
    """Base class of every error modelterms raises on purpose."""

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(file="<input>", line=None, key="", message=problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(shown(self.problems)))


class InputError(ModelTermsError):
    """A file or value the user gave is invalid; nothing was evaluated (fail closed)."""


class UnknownModelError(InputError):
    """A model id or alias is not in the catalog."""


class EvaluationError(ModelTermsError):
    """The rules could not decide: e.g. no rule covered a license. Never a silent 'permitted'."""


def raise_if(problems: Iterable[Problem], error: type[ModelTermsError] = InputError) -> None:
    collected = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.key, p.message))
    if collected:
        raise error(collected)
