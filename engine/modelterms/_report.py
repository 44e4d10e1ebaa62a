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


def version_keys() -> dict[str, Any]:
    """The keys every JSON document opens with: its schema version and the modelterms version that wrote it."""
    from . import __version__

    return {"schema_version": SCHEMA_VERSION, "modelterms_version": __version__}


class FoundIn(NamedTuple):
    """One place ``scan`` found a model named in the tree (code, a config, a notebook, an SBOM)."""

    path: str
    """Relative to the scanned root, with forward slashes: what ``found_in`` shows."""
    line: int
    file: str
    """The file as it can be opened from the working directory: what SARIF and annotations point at."""
    kind: str
    revision: str | None = None
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "line": self.line, "kind": self.kind}
        out.update({key: value for key, value in (("revision", self.revision), ("detail", self.detail)) if value})
        return out


class Discovered(NamedTuple):
    """How ``scan`` found one model in code, configs or SBOMs: where, and what those places say about it."""

    found_in: tuple[FoundIn, ...]
    #: the model's package URL (``pkg:huggingface/org/name``) when its weights are on the Hub
    purl: str | None = None
    revisions: tuple[str, ...] = ()
    #: licenses the sources themselves declare (an SBOM component's), as written
    declared_licenses: tuple[str, ...] = ()
    #: the names the sources wrote, as written (``gpt-4o``, ``openrouter/openai/gpt-4o``)
    spellings: tuple[str, ...] = ()


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
    #: ids of the rules whose findings are obligations to keep (the rule states an ``obligation``), not decisions
    obligation_rules: frozenset[str] = frozenset()
    #: result id -> how ``scan`` mapped that model card (path, mapped_by, declared license, ...)
    cards: Mapping[str, Mapping[str, Any]] = {}
    #: result id -> where ``scan`` found that model in code, configs, notebooks or SBOMs
    discovered: Mapping[str, Discovered] = {}
    #: what ``scan`` passed over and why (files over the size limit, files that do not parse), for stderr
    notices: tuple[str, ...] = ()
    #: where the use case came from, lowest precedence first: the config, a --use-case file, "flags"
    use_case_from: tuple[str, ...] = ()
    #: model id -> the use case that model was checked under, where the config gives it one of its own
    model_use_cases: Mapping[str, UseCase] = {}

    @property
    def use_case_source(self) -> str:
        """The footer's "from …": each source of the use case, lowest precedence first ("" when none)."""
        return " + ".join(self.use_case_from)

    def label(self, result: Result) -> str:
        return self.labels.get(result.model, result.model)

    def where(self, result: Result) -> str:
        """Where the project uses the model, as its config says (empty when nothing is declared)."""
        return "; ".join(d.where for d in self.declarations.get(result.model, ()) if d.where)

    def declared_at(self, result: Result) -> Declaration | None:
        found = self.declarations.get(result.model, ())
        return found[0] if found else None

    def locations(self, result: Result) -> list[tuple[str, int | None]]:
        """``(file, line)`` of every place the result points at: where the model was found, else its declaration."""
        found = self.discovered.get(result.model)
        if found is not None:
            return [(item.file, item.line) for item in found.found_in]
        declared = self.declared_at(result)
        return [(declared.file, declared.line)] if declared is not None else []

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
        if result.model in self.model_use_cases:
            out["use_case"] = self.model_use_cases[result.model].to_dict()
        if result.model in self.discovered:
            found = self.discovered[result.model]
            out["found_in"] = [item.to_dict() for item in found.found_in]
            out["discovered"] = {"purl": found.purl, "revisions": list(found.revisions),
                                 "declared_licenses": list(found.declared_licenses),
                                 "spellings": list(found.spellings)}
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``modelterms check --format json`` (schema_version 1)."""
        return {
            **version_keys(),
            "config": self.config,
            "use_case": self.use_case.to_dict(),
            "use_case_from": list(self.use_case_from),
            "assumed_defaults": list(self.assumed),
            "results": [self.result_dict(result) for result in self.results],
            "gate": self.gate.to_dict(),
        }
