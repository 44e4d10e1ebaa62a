"""Compare models dimension by dimension: one verdict per part of the use case, each from the rules.

A finding belongs to the dimension named by what its rule reads: a rule about a
threshold to the caps, about a territory to the territory, about a prohibited
purpose to the purposes, and any other to the activities (``use.commercial``,
``use.distributes``, ...) its conditions test, or else to the grant it names.
A rule that reads no activity (an acceptable-use condition on any use) belongs
to no dimension and shows only in the overall verdict. An activity the use case
does not declare is shown as it would be if it did (the use case with every
activity switched on), marked ``declared: false``; nothing here is specific to a
license.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ._catalog import Catalog
from ._facts import model_values, term_values, use_values
from ._model import Citation, Finding, ModelEntry, Result, Rule, UseCase, Verdict
from ._usecase import eu_members
from ._variants import Groups, condition_value, rule_inputs


class Dimension(enum.StrEnum):
    """A column of the comparison: one part of what a use case may ask."""

    COMMERCIAL = "commercial"
    SELF_HOSTING = "self-hosting"
    MODIFYING = "modifying"
    DISTRIBUTING = "distributing"
    SERVING = "serving others"
    TRAINING = "training on outputs"
    CAPS = "user and revenue caps"
    TERRITORY = "territory"
    PURPOSES = "acceptable-use purposes"


#: use-case activity key -> its dimension (the keys of UseCase, a public contract)
ACTIVITIES = {
    "commercial": Dimension.COMMERCIAL, "self_hosted": Dimension.SELF_HOSTING, "modifies": Dimension.MODIFYING,
    "distributes": Dimension.DISTRIBUTING, "serves_third_parties": Dimension.SERVING,
    "trains_on_outputs": Dimension.TRAINING,
}
#: grant name (the five grants of a profile, docs/formats.md) -> its dimension
GRANTS = {
    "commercial_use": Dimension.COMMERCIAL, "modify": Dimension.MODIFYING, "redistribute": Dimension.DISTRIBUTING,
    "serve_third_parties": Dimension.SERVING, "train_on_outputs": Dimension.TRAINING,
}
_SUBJECTS = {"threshold": Dimension.CAPS, "territory": Dimension.TERRITORY, "purpose": Dimension.PURPOSES}
_METRIC_UNITS = {"monthly_active_users": "MAU", "monthly_revenue_usd": "$/month", "annual_revenue_usd": "$/year"}


def dimensions_of(rule: Rule) -> tuple[Dimension, ...]:
    """The dimensions a rule's findings belong to (none: it binds any use)."""
    if rule.subject in _SUBJECTS:
        return (_SUBJECTS[rule.subject],)
    inputs = rule_inputs(rule)
    found = [dimension for key, dimension in ACTIVITIES.items() if key in inputs]
    if not found and rule.subject == "grant":
        grant = condition_value(rule, "grant.name")
        if grant in GRANTS:
            found = [GRANTS[grant]]
    return tuple(found)


@dataclass(frozen=True)
class Cell:
    """One model's answer for one dimension."""

    dimension: Dimension
    verdict: Verdict
    """The most severe finding of the dimension; permitted when none."""
    figure: str
    """The key figure: the cap, the excluded territories, the barred purposes (empty when none)."""
    declared: bool
    """False: the use case does not ask this; the cell says what would apply if it did."""
    findings: tuple[Finding, ...]
    """The findings that decide the cell (for an undeclared activity, as evaluated on a model with the same terms)."""

    def to_dict(self) -> dict[str, Any]:
        return {"dimension": self.dimension.value, "verdict": self.verdict.value, "figure": self.figure,
                "declared": self.declared,
                "clauses": [_clause(finding.citation) for finding in self.findings],
                "rules": sorted({finding.rule for finding in self.findings})}


@dataclass(frozen=True)
class Row:
    """One model: its overall verdict for the use case as given, and a cell per dimension."""

    model: str
    model_name: str
    licenses: tuple[str, ...]
    verdict: Verdict
    cells: tuple[Cell, ...]
    result: Result

    def cell(self, dimension: Dimension) -> Cell:
        return next(cell for cell in self.cells if cell.dimension == dimension)

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "model_name": self.model_name, "licenses": list(self.licenses),
                "verdict": self.verdict.value, "cells": {cell.dimension.value: cell.to_dict() for cell in self.cells}}


@dataclass(frozen=True)
class Comparison:
    """The comparison matrix of ``modelterms compare``: every output format renders this one object."""

    use_case: UseCase
    dimensions: tuple[Dimension, ...]
    rows: tuple[Row, ...]

    def to_dict(self) -> dict[str, Any]:
        from ._report import version_keys

        return {**version_keys(),
                "use_case": self.use_case.to_dict(), "dimensions": [d.value for d in self.dimensions],
                "rows": [row.to_dict() for row in self.rows]}


def _clause(citation: Citation) -> dict[str, str]:
    return citation.to_dict()


def everything_on(use: UseCase) -> UseCase:
    """The use case with every activity switched on: what each undeclared column shows."""
    switched: dict[str, Any] = dict.fromkeys(ACTIVITIES, True)
    return dataclasses.replace(use, **switched)


def compare(catalog: Catalog, use: UseCase, models: Sequence[str | ModelEntry]) -> Comparison:
    """Compare ``models`` for ``use``: the overall verdict of each, and a verdict per dimension.

    Raises UnknownModelError (listing every unknown name) before anything is evaluated.
    """
    entries = [item if isinstance(item, ModelEntry) else None for item in models]
    named = iter(catalog.find_models([item for item in models if not isinstance(item, ModelEntry)]))
    chosen = [entry if entry is not None else next(named) for entry in entries]
    chosen = list({model.id: model for model in chosen}.values())  # a model named twice is one row
    results = catalog.evaluate(use, chosen)
    groups = Groups(catalog, chosen, use.as_of)
    (widened,) = groups.evaluate([everything_on(use)])
    by_rule = {rule.id: rule for rule in catalog.rules}
    rows = []
    for model, result in zip(chosen, results, strict=True):
        wide = groups.result_for(widened, model)
        cells = []
        for dimension in Dimension:
            declared = _declared(use, dimension)
            source = result if declared else wide
            # a finding made outside the rules (no license in force on the date) withholds every dimension
            findings = tuple(f for f in source.findings if f.verdict != Verdict.PERMITTED and (
                f.rule not in by_rule or dimension in dimensions_of(by_rule[f.rule])))
            verdict = max((f.verdict for f in findings), key=lambda v: v.severity, default=Verdict.PERMITTED)
            cells.append(Cell(dimension, verdict, _figure(catalog, model, use, dimension, findings), declared,
                              findings))
        rows.append(Row(model.id, model.name, result.licenses, result.verdict, tuple(cells), result))
    return Comparison(use, tuple(Dimension), tuple(rows))


def _declared(use: UseCase, dimension: Dimension) -> bool:
    for key, activity in ACTIVITIES.items():
        if activity == dimension:
            return bool(getattr(use, key))
    if dimension == Dimension.CAPS:
        return any(getattr(use, metric) is not None for metric in _METRIC_UNITS)
    if dimension == Dimension.TERRITORY:
        return bool(use.licensee_country or use.territories)
    return bool(use.purposes)


def short_number(value: int) -> str:
    """700000000 -> 700M, 1000000 -> 1M, 2500 -> 2.5k: a figure that fits a cell."""
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if value >= size:
            text = f"{value / size:.1f}".removesuffix(".0")
            return text + suffix
    return str(value)


def territory_label(codes: Sequence[str]) -> str:
    """Country codes, with the 27 EU member states written as ``EU``."""
    chosen = set(codes)
    members = set(eu_members())
    out = []
    if members <= chosen:
        out.append("EU")
        chosen -= members
    return ", ".join(out + sorted(chosen))


def _figure(catalog: Catalog, model: ModelEntry, use: UseCase, dimension: Dimension,
            findings: tuple[Finding, ...]) -> str:
    """The key figure of a cell, read from the terms of the documents in force (data, not judgement)."""
    if dimension not in (Dimension.CAPS, Dimension.TERRITORY, Dimension.PURPOSES):
        return ""
    period = model.period(use.as_of)
    if period is None:
        return ""
    terms = [term for license_id in period.licenses for term in catalog.licenses[license_id].terms]
    if dimension == Dimension.CAPS:
        caps = sorted({(term.fields["metric"], term.fields["limit"]) for term in terms if term.subject == "threshold"})
        return ", ".join(f"{short_number(limit)} {_METRIC_UNITS.get(metric, metric)}" for metric, limit in caps)
    if dimension == Dimension.TERRITORY:
        used = use_values(use)
        facts = model_values(model, period.access)
        codes: set[str] = set()
        for term in terms:
            if term.subject == "territory" and term_values(term, used, facts)["applies_to_model"]:
                codes.update(term_values(term, used, facts)["codes"])
        return territory_label(sorted(codes)) if codes else ""
    barred = {tag for term in terms if term.subject == "purpose" for tag in term.fields["tags"]}
    if use.purposes:
        return ", ".join(sorted(barred.intersection(use.purposes)))
    return f"{len(barred)} barred" if barred else ""


def select_models(catalog: Catalog, names: Sequence[str] = (), *, family: Sequence[str] = (),
                  vendor: Sequence[str] = ()) -> list[ModelEntry]:
    """The models named, then every member of each family (its id) and of each vendor (part of the name, any case).

    An unknown name, family or vendor is an InputError naming it, with the nearest ones: never an empty comparison.
    """
    from ._errors import InputError, Problem
    from ._schema import suggest

    chosen = list(catalog.find_models(names))
    problems = []
    families = sorted({model.family for model in catalog.models if model.family})
    for wanted in family:
        members = [model for model in catalog.models if (model.family or "").lower() == wanted.lower()]
        if not members:
            problems.append(Problem("--family", None, "", f"no catalog family `{wanted}`",
                                    suggest(wanted, families) or "see `modelterms models`"))
        chosen += members
    vendors = sorted({model.vendor for model in catalog.models})
    for wanted in vendor:
        members = [model for model in catalog.models if wanted.lower() in model.vendor.lower()]
        if not members:
            problems.append(Problem("--vendor", None, "", f"no catalog model of vendor `{wanted}`",
                                    suggest(wanted, vendors) or "see `modelterms models`"))
        chosen += members
    if problems:
        raise InputError(problems)
    return list({model.id: model for model in chosen}.values())
