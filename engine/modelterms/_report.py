"""A check's full outcome: the use case as evaluated, its assumptions, and each model's result."""

from __future__ import annotations

from typing import Any, NamedTuple

from ._model import Result, UseCase

SCHEMA_VERSION = 1


class Report(NamedTuple):
    use_case: UseCase
    assumed: tuple[str, ...]
    results: tuple[Result, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``modelterms check --format json`` (schema_version 1)."""
        from . import __version__

        return {
            "schema_version": SCHEMA_VERSION,
            "modelterms_version": __version__,
            "use_case": self.use_case.to_dict(),
            "assumed_defaults": list(self.assumed),
            "results": [result.to_dict() for result in self.results],
        }
