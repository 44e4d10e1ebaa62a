"""Many use cases over many models, cheaply: what compare and explain ask of the rules.

``compare`` and ``explain`` evaluate variants of one use case (every activity
switched on, a boolean flipped off, a figure lowered to a cap) across many
models. Most catalog models share their license documents with others, and a
rule can only see the fields its conditions read (``CompiledRules.wanted``), so
two models whose license documents and read fields agree get the same findings
(rule, verdict, citation) under every use case. Variants are therefore
evaluated once per such group, on one representative; the answer of the real
model under the unchanged use case always comes from evaluating that model.
Nothing here decides a verdict: the rules do, through ``Catalog.evaluate``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._catalog import Catalog
from ._facts import SUBJECTS, model_values
from ._model import ModelEntry, Result, Rule, UseCase

#: Which use-case keys feed the fields the rules derive for a subject (see _facts.term_values).
_DERIVED_INPUTS = {
    "threshold": ("monthly_active_users", "monthly_revenue_usd", "annual_revenue_usd"),
    "territory": ("licensee_country", "territories"),
    "purpose": ("purposes",),
}

#: Model fields that feed derived fields whatever the rules read (territory.applies_to_model: the modalities).
_DERIVED_FROM_MODEL = ("modalities",)


def _paths(value: Any) -> Iterable[str]:
    """Every dotted path a condition mentions, as a key or as a ``ref``."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and "." in key:
                yield key
            if key == "ref" and isinstance(item, str):
                yield item
            yield from _paths(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _paths(item)


def rule_paths(rule: Rule) -> frozenset[str]:
    """The fact paths a rule's conditions read (``use.commercial``, ``grant.name``, ...)."""
    return frozenset(_paths(list(rule.when)))


def rule_inputs(rule: Rule) -> frozenset[str]:
    """The use-case keys whose value can change whether this rule fires: read directly or through a derived field."""
    paths = rule_paths(rule)
    keys = {path.split(".", 1)[1] for path in paths if path.startswith("use.")}
    for subject, inputs in _DERIVED_INPUTS.items():
        if rule.subject == subject or any(path.startswith(subject + ".") for path in paths):
            keys.update(inputs)
    return frozenset(keys)


def condition_value(rule: Rule, path: str) -> Any:
    """The value a rule requires of ``path`` when it names one plainly (``grant.name: modify``), else None."""
    for condition in rule.when:
        if isinstance(condition, Mapping) and path in condition and isinstance(condition[path], str | bool):
            return condition[path]
    return None


def signature(catalog: Catalog, model: ModelEntry, day: str) -> tuple[Any, ...]:
    """What the rules can see of a model on ``day``: its documents in force and every model field they read."""
    period = model.period(day)
    if period is None:
        return ("unlicensed", model.id)
    values = model_values(model, period.access)
    read = sorted({path.split(".", 1)[1] for subject in SUBJECTS for path in catalog.compiled.wanted.get(subject, ())
                   if path.startswith("model.")} | set(_DERIVED_FROM_MODEL))
    return (period.licenses, tuple((key, repr(values.get(key))) for key in read))


class Groups:
    """The models of one run, grouped by signature, with one representative per group."""

    def __init__(self, catalog: Catalog, models: Sequence[ModelEntry], day: str) -> None:
        self.catalog = catalog
        self.key: dict[str, tuple[Any, ...]] = {}
        self.representative: dict[tuple[Any, ...], ModelEntry] = {}
        for model in models:
            key = signature(catalog, model, day)
            self.key[model.id] = key
            self.representative.setdefault(key, model)

    def evaluate(self, uses: Sequence[UseCase], models: Iterable[ModelEntry] | None = None
                 ) -> list[dict[tuple[Any, ...], Result]]:
        """For each use case, the representative's result of each group (of ``models``, default all)."""
        if models is None:
            wanted = list(self.representative)
        else:
            wanted = list(dict.fromkeys(self.key[model.id] for model in models))
        chosen = [self.representative[key] for key in wanted]
        out = []
        for use in uses:
            results = self.catalog.evaluate(use, chosen) if chosen else []
            out.append(dict(zip(wanted, results, strict=True)))
        return out

    def result_for(self, results: Mapping[tuple[Any, ...], Result], model: ModelEntry) -> Result:
        return results[self.key[model.id]]
