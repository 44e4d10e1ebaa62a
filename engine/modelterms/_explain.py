"""What would change the answer: the smallest changes to a use case that improve a verdict, and other models.

Candidates are made from the use case alone, the same way for every license:
switch off each activity it declares, stop competing with the licensor, lower
each stated figure to each cap the documents in force name (or state an
unstated one at the cap), drop each purpose, stop offering the model in an
excluded territory, and move the organisation's domicile out of an excluded
one. Each candidate (then each pair, then each triple, for what single changes
cannot fix; first the changes that keep every activity, then those that give one
up) is evaluated through the same rules; a change set is reported when it
improves the verdict and no smaller set inside it does. The clause that decides
a change is the citation of each finding it removes.

A change that switches off an activity gives up part of what the use case asks
(self-hosting an API-only model, using a non-commercial model commercially);
when only such changes help, the explanation says the use case is impossible
with this model and names the catalog models of the same modality that are
permitted or restricted for the unchanged use case.
"""

from __future__ import annotations

import copy
import enum
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from ._catalog import Catalog
from ._compare import ACTIVITIES, short_number, territory_label
from ._model import USE_CASE_NUMBERS, Citation, Finding, ModelEntry, Result, UseCase, Verdict
from ._schema import load_schema
from ._usecase import expand_territories
from ._variants import Groups, rule_inputs

#: the most changes combined into one suggestion
MAX_CHANGES = 3


class ChangeKind(enum.StrEnum):
    """The kinds of change explain tries; each is a edit of use-case keys, the same for every license."""

    STOP_ACTIVITY = "stop-activity"
    NOT_COMPETING = "not-competing"
    STAY_UNDER_CAP = "stay-under-cap"
    STATE_FIGURE = "state-figure"
    DROP_PURPOSE = "drop-purpose"
    LEAVE_TERRITORY = "leave-territory"
    MOVE_DOMICILE = "move-domicile"


_ACTIVITY_WORDS = {
    "commercial": "use it commercially", "self_hosted": "host it yourself", "modifies": "modify it",
    "distributes": "distribute it", "serves_third_parties": "serve it to others",
    "trains_on_outputs": "train on its outputs",
}


@dataclass(frozen=True)
class Change:
    """One edit of the use case."""

    kind: ChangeKind
    key: str
    """The use-case key it edits."""
    value: Any
    """For a figure or the domicile, the value evaluated; for a purpose, the tag dropped; for a territory, the codes."""
    label: str
    documents: frozenset[str] = frozenset()
    """The license documents whose terms suggest the change (a cap, a territory clause); empty: any."""

    @property
    def gives_up(self) -> bool:
        """True when the change drops an activity the use case asks for."""
        return self.kind == ChangeKind.STOP_ACTIVITY

    def apply(self, data: dict[str, Any]) -> dict[str, Any]:
        out = dict(data)
        if self.kind == ChangeKind.DROP_PURPOSE:
            out["purposes"] = [tag for tag in out["purposes"] if tag != self.value]
        elif self.kind == ChangeKind.LEAVE_TERRITORY:
            out["territories"] = [code for code in expand_territories(out["territories"]) if code not in self.value]
        else:
            out[self.key] = self.value
        return out

    def conflicts(self, other: Change) -> bool:
        return self.key == other.key and self.kind not in (ChangeKind.DROP_PURPOSE, ChangeKind.LEAVE_TERRITORY)

    def to_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"kind": self.kind.value, "key": self.key, "value": value, "label": self.label,
                "gives_up": self.gives_up}


@dataclass(frozen=True)
class Remedy:
    """A smallest set of changes that improves the verdict, with the findings (clauses) it removes."""

    changes: tuple[Change, ...]
    verdict: Verdict
    """The verdict with the changes made."""
    removes: tuple[Finding, ...]
    """The findings of the unchanged use case that the changes remove: their citations decide."""

    @property
    def gives_up(self) -> bool:
        return any(change.gives_up for change in self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {"changes": [change.to_dict() for change in self.changes], "verdict": self.verdict.value,
                "gives_up": self.gives_up,
                "removes": [{"rule": f.rule, "message": f.message, "citation": f.citation.to_dict()}
                            for f in self.removes]}


@dataclass(frozen=True)
class Alternative:
    model: str
    model_name: str
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "model_name": self.model_name, "verdict": self.verdict.value}


@dataclass(frozen=True)
class Explanation:
    """Why one model is not permitted, and what would change that."""

    result: Result
    blocking: tuple[Finding, ...]
    """The findings at the result's verdict: what a change must remove."""
    remedies: tuple[Remedy, ...]
    alternatives: tuple[Alternative, ...]
    """Catalog models handling every modality of this one, permitted or restricted for the unchanged use case."""
    alternatives_total: int

    @property
    def possible(self) -> bool:
        """Whether some change that keeps every activity of the use case improves the verdict."""
        return any(not remedy.gives_up for remedy in self.remedies)

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.result.model, "model_name": self.result.model_name,
                "licenses": list(self.result.licenses), "verdict": self.result.verdict.value,
                "possible": self.possible,
                "blocking": [f.to_dict() for f in self.blocking],
                "remedies": [remedy.to_dict() for remedy in self.remedies],
                "alternatives": [alt.to_dict() for alt in self.alternatives],
                "alternatives_total": self.alternatives_total}


@dataclass(frozen=True)
class Explanations:
    """The answer of ``modelterms explain``: one explanation per model that is not permitted."""

    use_case: UseCase
    permitted: tuple[str, ...]
    """The models asked about that are permitted: nothing to explain."""
    explanations: tuple[Explanation, ...]

    def to_dict(self) -> dict[str, Any]:
        from ._report import version_keys

        return {**version_keys(),
                "use_case": self.use_case.to_dict(),
                "permitted": list(self.permitted),
                "explanations": [item.to_dict() for item in self.explanations]}


def _countries() -> list[str]:
    return list(load_schema("common.schema.json")["$defs"]["country"]["enum"])


def candidates(catalog: Catalog, use: UseCase, models: Sequence[ModelEntry]) -> list[Change]:
    """Every single change worth trying for these models: from the use case and the terms in force."""
    out: list[Change] = []
    for key in ACTIVITIES:
        if getattr(use, key):
            out.append(Change(ChangeKind.STOP_ACTIVITY, key, False, f"do not {_ACTIVITY_WORDS[key]}"))
    if use.competes_with_licensor:
        out.append(Change(ChangeKind.NOT_COMPETING, "competes_with_licensor", False,
                          "do not compete with the licensor (no competing product or model)"))
    in_force = {license_id for model in models if (period := model.period(use.as_of)) is not None
                for license_id in period.licenses}
    terms = [(license_id, term) for license_id in sorted(in_force) for term in catalog.licenses[license_id].terms]
    for metric in USE_CASE_NUMBERS:
        limits: dict[int, set[str]] = {}
        for license_id, term in terms:
            if term.subject == "threshold" and term.fields["metric"] == metric:
                limits.setdefault(int(term.fields["limit"]), set()).add(license_id)
        stated = getattr(use, metric)
        for limit, documents in sorted(limits.items()):
            if stated is None:
                out.append(Change(ChangeKind.STATE_FIGURE, metric, limit,
                                  f"state {metric}, at or below {short_number(limit)} ({limit:,})",
                                  frozenset(documents)))
            elif stated > limit:
                out.append(Change(ChangeKind.STAY_UNDER_CAP, metric, limit,
                                  f"stay at or below {short_number(limit)} {metric} ({limit:,}; you stated "
                                  f"{stated:,})", frozenset(documents)))
    for tag in use.purposes:
        out.append(Change(ChangeKind.DROP_PURPOSE, "purposes", tag, f"drop the purpose `{tag}`"))
    exclusions = [(t.fields["binds"], tuple(expand_territories(t.fields["codes"])), license_id)
                  for license_id, t in terms if t.subject == "territory"]
    offered = set(expand_territories(use.territories))
    for codes in sorted({codes for binds, codes, _ in exclusions if binds in ("use", "either")}):
        if offered.intersection(codes):
            clauses = frozenset(lic for binds, other, lic in exclusions if other == codes)
            out.append(Change(ChangeKind.LEAVE_TERRITORY, "territories", codes,
                              f"do not offer it in {territory_label(sorted(offered.intersection(codes)))}",
                              clauses))
    excluded = {code for _, codes, _ in exclusions for code in codes}
    domiciles = [codes for binds, codes, _ in exclusions if binds in ("domicile", "either")]
    if use.licensee_country and any(use.licensee_country in codes for codes in domiciles):
        elsewhere = next((code for code in _countries() if code not in excluded), None)
        if elsewhere is not None:
            barred = sorted({c for codes in domiciles if use.licensee_country in codes for c in codes})
            out.append(Change(ChangeKind.MOVE_DOMICILE, "licensee_country", elsewhere,
                              f"an organisation domiciled outside {territory_label(barred)} "
                              f"(evaluated as {elsewhere})"))
    return out


def _key(finding: Finding) -> tuple[str, Citation]:
    return (finding.rule, finding.citation)


def explain(catalog: Catalog, use: UseCase, models: Sequence[str | ModelEntry] | None = None, *,
            alternatives: int = 5) -> Explanations:
    """Explain every result of ``models`` (default: the whole catalog) that is not permitted under ``use``.

    ``alternatives`` bounds how many other models each explanation names (the total is counted).
    Raises UnknownModelError (listing every unknown name) before anything is evaluated.
    """
    if models is None:
        chosen = list(catalog.models)
    else:
        entries = [item if isinstance(item, ModelEntry) else None for item in models]
        named = iter(catalog.find_models([item for item in models if not isinstance(item, ModelEntry)]))
        chosen = [entry if entry is not None else next(named) for entry in entries]
        chosen = list({model.id: model for model in chosen}.values())  # a model named twice is explained once
    groups = Groups(catalog, catalog.models, use.as_of)
    own = {entry.id: entry for entry in catalog.models}
    for model in chosen:  # an entry that is not the catalog's own (a caller's ModelEntry) is its own group
        if own.get(model.id) is not model:
            groups.key[model.id] = ("own", model.id)
            groups.representative[groups.key[model.id]] = model
    (base,) = groups.evaluate([use])
    # A group's verdict is its members' verdict (they show the rules the same facts); only the models that
    # are not permitted are evaluated themselves, for findings that name them.
    flagged = [model for model in chosen if base[groups.key[model.id]].verdict != Verdict.PERMITTED]
    targets = list(zip(flagged, catalog.evaluate(use, flagged) if flagged else [], strict=True))
    permitted = tuple(model.id for model in chosen if base[groups.key[model.id]].verdict == Verdict.PERMITTED)
    changes = candidates(catalog, use, [model for model, _ in targets])
    found = _search(groups, use, base, [model for model, _ in targets], changes)
    by_rule = {rule.id: rule for rule in catalog.rules}
    explanations = []
    memo: dict[frozenset[str], _Ranked] = {}
    for model, result in targets:
        group = groups.key[model.id]
        blocking = tuple(f for f in result.findings if f.verdict == result.verdict)
        remedies = []
        rep_base = base[group]
        for change_set, outcome in found.get(group, []):
            removed = {_key(f) for f in rep_base.findings if f.verdict != Verdict.PERMITTED} - {
                _key(f) for f in outcome.findings}
            removes = tuple(f for f in result.findings if _key(f) in removed and f.rule in by_rule)
            remedies.append(Remedy(change_set, outcome.verdict, removes))
        remedies.sort(key=lambda r: (r.gives_up, len(r.changes), r.verdict.severity, [c.label for c in r.changes]))
        others, total = _alternatives(catalog, groups, base, model, alternatives, memo)
        explanations.append(Explanation(result, blocking, tuple(remedies), tuple(others), total))
    return Explanations(use, permitted, tuple(explanations))


def _search(groups: Groups, use: UseCase, base: dict[tuple[Any, ...], Result], models: Sequence[ModelEntry],
            changes: Sequence[Change]) -> dict[tuple[Any, ...], list[tuple[tuple[Change, ...], Result]]]:
    """For each group of ``models``: the smallest change sets that improve its verdict, with the new result.

    Single changes are tried first. A larger set is tried only for a group that no smaller set fixed
    without giving up an activity, never when it contains a set already found, and only when its members
    together can remove every finding at the verdict's level: each member removes one on its own, or reads
    an input of one that no single change removes (a rule that needs two changes, such as "distributes or
    serves"). Every distinct use case is evaluated once, over all the groups that try it.
    """
    by_rule = {rule.id: rule for rule in groups.catalog.rules}
    data = use.to_dict()
    pending: dict[tuple[Any, ...], list[Change]] = {}
    blocking: dict[tuple[Any, ...], dict[tuple[str, Citation], frozenset[str]]] = {}
    for model in models:
        key = groups.key[model.id]
        if key in pending:
            continue
        result = base[key]
        blocking[key] = {_key(f): rule_inputs(by_rule[f.rule]) if f.rule in by_rule else frozenset()
                         for f in result.findings if f.verdict == result.verdict}
        if not all(blocking[key].values()):
            continue  # a finding whose rule reads nothing of the use case stays whatever the use case says
        inputs = {name for names in blocking[key].values() for name in names}
        licenses = set(result.licenses)
        pending[key] = [change for change in changes if change.key in inputs
                        and (not change.documents or change.documents & licenses)]
    found: dict[tuple[Any, ...], list[tuple[tuple[Change, ...], Result]]] = {key: [] for key in blocking}
    lifts: dict[tuple[Any, ...], dict[Change, frozenset[tuple[str, Citation]]]] = {key: {} for key in pending}
    # First the changes that keep every activity; only where none helps, those that give one up.
    for giving_up in (False, True):
        for size in range(1, MAX_CHANGES + 1):
            trials = _trials(pending, found, lifts, blocking, size, giving_up)
            if not trials:
                break
            for change_set, keys in trials.items():
                (outcome,) = groups.evaluate([_variant(use, data, change_set)],
                                             [groups.representative[k] for k in keys])
                for key in keys:
                    result = outcome[key]
                    if size == 1:
                        lifts[key][change_set[0]] = frozenset(blocking[key]) - {_key(f) for f in result.findings}
                    if result.verdict.severity < base[key].verdict.severity:
                        found[key].append((change_set, result))
    return found


Share = tuple[frozenset[tuple[str, Citation]], frozenset[tuple[str, Citation]]]


def _trials(pending: dict[tuple[Any, ...], list[Change]],
            found: dict[tuple[Any, ...], list[tuple[tuple[Change, ...], Result]]],
            lifts: dict[tuple[Any, ...], dict[Change, frozenset[tuple[str, Citation]]]],
            blocking: dict[tuple[Any, ...], dict[tuple[str, Citation], frozenset[str]]], size: int,
            giving_up: bool) -> dict[tuple[Change, ...], list[tuple[Any, ...]]]:
    """The change sets of ``size`` to evaluate next, each with the groups that try it."""
    trials: dict[tuple[Change, ...], list[tuple[Any, ...]]] = {}
    for key, relevant in pending.items():
        if found[key]:
            continue  # a smaller set, or one that keeps every activity, already helps
        if size == 1:
            sets: Any = itertools.combinations(relevant, 1)
        else:
            share = _shares(lifts[key], blocking[key], relevant)
            sets = (combo for combo in itertools.combinations([c for c in relevant if any(share[c])], size)
                    if _covers(combo, share, set(blocking[key])))
        for change_set in sets:
            if any(c.gives_up for c in change_set) is not giving_up:
                continue
            if any(a.conflicts(b) for a, b in itertools.combinations(change_set, 2)):
                continue
            trials.setdefault(change_set, []).append(key)
    return trials


def _shares(lifts: dict[Change, frozenset[tuple[str, Citation]]], blocking: dict[tuple[str, Citation], frozenset[str]],
            relevant: Sequence[Change]) -> dict[Change, Share]:
    """What each change can contribute to a larger set: the findings it removes alone, and those that no
    single change removes whose rule reads the key it edits (they may need two changes together)."""
    alone = {finding for lifted in lifts.values() for finding in lifted}
    stubborn = {finding: inputs for finding, inputs in blocking.items() if finding not in alone}
    return {change: (lifts.get(change, frozenset()),
                     frozenset(f for f, inputs in stubborn.items() if change.key in inputs))
            for change in relevant}


def _covers(combo: tuple[Change, ...], share: dict[Change, Share], blocking: set[tuple[str, Citation]]) -> bool:
    """Whether the changes together can reach every blocking finding, each one needed: it removes a finding
    that the others do not remove alone, or it reads a finding no single change removes."""
    reached = set().union(*(share[change][0] | share[change][1] for change in combo))
    if not blocking <= reached:
        return False
    return all(share[change][1] or share[change][0] - set().union(*(share[other][0] for other in combo
                                                                    if other is not change))
               for change in combo)


def _variant(use: UseCase, data: dict[str, Any], changes: tuple[Change, ...]) -> UseCase:
    """The use case with the changes made. Built without re-validating: every candidate value comes from the
    validated use case, the terms in force or the schema's country list."""
    edited = data
    for change in changes:
        edited = change.apply(edited)
    variant = copy.copy(use)
    for change in changes:
        value = edited[change.key]
        object.__setattr__(variant, change.key, tuple(value) if isinstance(value, list) else value)
    return variant


def _alternatives(catalog: Catalog, groups: Groups, base: dict[tuple[Any, ...], Result], model: ModelEntry,
                  limit: int, memo: dict[frozenset[str], _Ranked]) -> tuple[list[Alternative], int]:
    """Up to ``limit`` catalog models covering the model's modalities and not forbidden for the use case, and
    how many there are: the same family first, then the same vendor, then the rest; within each, permitted
    before restricted, then the newest.
    """
    modalities = frozenset(model.modalities)
    ranked = memo.get(modalities)
    if ranked is None:
        pairs = [(other, base[groups.key[other.id]].verdict) for other in catalog.models
                 if modalities <= set(other.modalities)]
        pairs = [(other, verdict) for other, verdict in pairs if verdict != Verdict.FORBIDDEN]
        pairs.sort(key=lambda pair: pair[0].id.lower())
        pairs.sort(key=lambda pair: pair[0].released, reverse=True)
        pairs.sort(key=lambda pair: pair[1].severity)
        by_family: dict[str, list[tuple[ModelEntry, Verdict]]] = {}
        by_vendor: dict[str, list[tuple[ModelEntry, Verdict]]] = {}
        for pair in pairs:
            if pair[0].family:
                by_family.setdefault(pair[0].family, []).append(pair)
            by_vendor.setdefault(pair[0].vendor, []).append(pair)
        ranked = memo[modalities] = _Ranked(pairs, by_family, by_vendor)
    chosen: list[Alternative] = []
    seen = {model.id}
    tiers = (ranked.by_family.get(model.family, []) if model.family else [], ranked.by_vendor.get(model.vendor, []),
             ranked.pairs)
    for tier in tiers:
        for other, verdict in tier:
            if len(chosen) >= limit:
                break
            if other.id not in seen:
                seen.add(other.id)
                chosen.append(Alternative(other.id, other.name, verdict))
    total = len(ranked.pairs) - sum(1 for other, _ in ranked.by_vendor.get(model.vendor, []) if other.id == model.id)
    return chosen, total


class _Ranked(NamedTuple):
    pairs: list[tuple[ModelEntry, Verdict]]
    by_family: dict[str, list[tuple[ModelEntry, Verdict]]]
    by_vendor: dict[str, list[tuple[ModelEntry, Verdict]]]
