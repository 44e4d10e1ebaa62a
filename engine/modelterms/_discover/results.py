"""Discovered references -> one result per distinct model, each with every place it was found.

Known models are evaluated by the catalog like any other; a name in a model
position the catalog does not know gets the built-in finding
``unknown-model-reference`` (forbidden, waivable), because a model whose terms
are unknown grants nothing modelterms can vouch for.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from .._catalog import Catalog
from .._model import Citation, Finding, ModelEntry, Result, UseCase, Verdict
from .._report import Discovered, FoundIn
from .interface import Reference
from .resolve import Resolver

UNKNOWN_REFERENCE = "unknown-model-reference"
UNKNOWN_REFERENCE_DESCRIPTION = (
    "The repository names a model in a place where a model goes (an SDK call, a model: key, a serve command, an "
    "SBOM component), and the catalog does not know it: its license terms are unknown, so nothing can be said "
    "to be permitted.")


class Found(NamedTuple):
    """What discovery adds to a scan's report."""

    results: tuple[Result, ...]
    discovered: dict[str, Discovered]
    #: result id -> the lower-cased names a waiver may use for it
    names: dict[str, set[str]]
    #: what the walk passed over, for stderr
    notices: tuple[str, ...] = ()

    @property
    def rule_descriptions(self) -> dict[str, str]:
        """The built-in finding's description, for formats that describe their rules (SARIF)."""
        return {UNKNOWN_REFERENCE: UNKNOWN_REFERENCE_DESCRIPTION}


def hub_purl(entry: ModelEntry) -> str | None:
    """``pkg:huggingface/org/name`` for a model whose weights are published (not an API-only one)."""
    if entry.access == "api-only" or entry.id.count("/") != 1:
        return None
    return f"pkg:huggingface/{entry.id}"


def _file(root: Path, reference: Reference) -> str:
    """The referenced file as it can be opened from here (the scanned root may be a single file)."""
    base = root if root.is_dir() else root.parent
    return os.fspath(base / reference.path)


def found_models(found: Iterable[tuple[Path, Reference]], resolver: Resolver, catalog: Catalog,
                 use_case: UseCase, notices: Sequence[str] = ()) -> Found:
    """One result per distinct model among ``found`` (each reference with the root it was found under)."""
    groups: dict[str, list[tuple[Path, Reference]]] = {}
    entries: dict[str, ModelEntry] = {}
    for root, reference in found:
        entry = resolver.resolve(reference.name)
        key = entry.id if entry is not None else reference.name.lower()
        if entry is not None:
            entries[key] = entry
        groups.setdefault(key, []).append((root, reference))
    evaluated = {result.model: result for result in catalog.evaluate(use_case, list(entries.values()))} \
        if entries else {}
    results: list[Result] = []
    discovered: dict[str, Discovered] = {}
    names: dict[str, set[str]] = {}
    for key in sorted(groups, key=str.lower):
        references = groups[key]
        spellings = tuple(dict.fromkeys(reference.name for _, reference in references))
        entry = entries.get(key)
        result = evaluated[key] if entry is not None else unknown_reference(spellings[0], references)
        results.append(result)
        discovered[result.model] = Discovered(
            tuple(FoundIn(r.path, r.line, _file(root, r), r.kind.value, r.revision, r.detail)
                  for root, r in references),
            hub_purl(entry) if entry is not None else None,
            tuple(dict.fromkeys(r.revision for _, r in references if r.revision)),
            tuple(dict.fromkeys(r.declared_license for _, r in references if r.declared_license)),
            spellings)
        names[result.model] = {result.model.lower(), *(s.lower() for s in spellings),
                               *(a.lower() for a in (entry.aliases if entry is not None else ()))}
    return Found(tuple(results), discovered, names, tuple(notices))


def unknown_reference(name: str, references: Sequence[tuple[Path, Reference]]) -> Result:
    """Fail closed: a model the catalog does not know grants nothing modelterms can vouch for."""
    _, first = references[0]
    places = ", ".join(f"{r.path}:{r.line}" for _, r in references[:3]) + (" ..." if len(references) > 3 else "")
    message = f"`{name}` is used as a model ({places}) but is not in the catalog, so its terms are unknown."
    finding = Finding(UNKNOWN_REFERENCE, Verdict.FORBIDDEN, message, Citation(name, "license", first.path),
                      "Check the spelling (`modelterms models --search TEXT`), add the model to the catalog (see "
                      "the README, 'Adding a license'), or waive it with a reason.", "catalog")
    return Result(name, name, None, (), Verdict.FORBIDDEN, (finding,), ())
