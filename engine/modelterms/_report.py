"""A check's full outcome: the use case as evaluated, its assumptions, each model's result, and pass or fail.

Every output format renders this one object, so that the table, JSON, SARIF
and the rest can never disagree about a verdict, a waiver or the exit code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ._config import Declaration
from ._gate import Gate
from ._model import Finding, Result, UseCase

SCHEMA_VERSION = 1


class Report(NamedTuple):
    use_case: UseCase
    assumed: tuple[str, ...]
    results: tuple[Result, ...]
    #: pass or fail, and which findings are waived (see _gate.judge)
    gate: Gate
    #: model id -> where the project declares it (config file, line, free-text ``where``)
    declarations: Mapping[str, tuple[Declaration, ...]] = {}
    config: str | None = None
    #: model id -> a label other than the model id (``scan``: the model card's path)
    labels: Mapping[str, str] = {}
    #: rule id -> its description, for formats that describe their rules (SARIF)
    rule_descriptions: Mapping[str, str] = {}
    #: result id -> how ``scan`` mapped that model card (path, mapped_by, declared license, ...)
    cards: Mapping[str, Mapping[str, Any]] = {}

    def label(self, result: Result) -> str:
        return self.labels.get(result.model, result.model)

    def where(self, result: Result) -> str:
        """Where the project uses the model, as its config says (empty when nothing is declared)."""
        return "; ".join(d.where for d in self.declarations.get(result.model, ()) if d.where)

    def declared_at(self, result: Result) -> Declaration | None:
        found = self.declarations.get(result.model, ())
        return found[0] if found else None

    def finding_dict(self, result: Result, finding: Finding) -> dict[str, Any]:
        waiver = self.gate.waiver_for(result.model, finding)
        return {**finding.to_dict(), "waiver": None if waiver is None else waiver.to_dict()}

    def result_dict(self, result: Result) -> dict[str, Any]:
        declared = self.declarations.get(result.model, ())
        out = {
            **result.to_dict(),
            "findings": [self.finding_dict(result, finding) for finding in result.findings],
            "outstanding_verdict": self.gate.outstanding(result).value,
            "declared": [{"where": d.where, "file": d.file, "line": d.line} for d in declared],
        }
        if result.model in self.cards:
            out["card"] = dict(self.cards[result.model])
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``modelterms check --format json`` (schema_version 1)."""
        from . import __version__

        return {
            "schema_version": SCHEMA_VERSION,
            "modelterms_version": __version__,
            "config": self.config,
            "use_case": self.use_case.to_dict(),
            "assumed_defaults": list(self.assumed),
            "results": [self.result_dict(result) for result in self.results],
            "gate": self.gate.to_dict(),
        }
