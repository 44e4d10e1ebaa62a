"""The Catalog: licenses, models and rules loaded together, and the evaluate() entry point."""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path as FsPath
from typing import Any

from . import _engine
from ._errors import EvaluationError, Problem, UnknownModelError, raise_if
from ._facts import Context, FactPlan, Prepared, PreparedFacts, build, prepare
from ._model import Citation, CompiledRules, Finding, LicenseProfile, ModelEntry, Result, Rule, UseCase, Verdict
from ._names import ModelIndex, unknown
from ._paths import bundled_licenses, bundled_rules
from ._render import field_values, render
from ._yaml import Document

NO_LICENSE_IN_FORCE = "no-license-in-force"
#: How many entries outside the catalog keep their prepared facts (~26 KB each): a scan's worth of cards.
PREPARED_ENTRIES = 4096
#: Rendered findings kept (a few hundred bytes each).
FINDINGS_CACHED = 32768
#: Which facts of a shape fire which rules, by (ruleset, shape, use-case signature); shapes are shared strings.
FIRING_CACHED = 16384
_FIRING: dict[tuple[str, str, str], list[tuple[int, tuple[str, ...]]]] = {}


@dataclass(frozen=True)
class Catalog:
    """Licenses, models and rules, validated together. Immutable; safe to share between threads.

    Build one with ``Catalog.load()``; ask it with ``evaluate``, ``find_model`` and ``find_license``.
    ``compiled`` is the rules as the engine runs them (internal).
    """

    licenses: dict[str, LicenseProfile]
    models: tuple[ModelEntry, ...]
    rules: tuple[Rule, ...]
    compiled: CompiledRules
    notices: tuple[str, ...] = ()
    #: Facts of the catalog's own models, by (model id, period index): they never change, so they stay warm.
    _prepared: dict[tuple[str, int], PreparedFacts] = field(default_factory=dict, compare=False, repr=False,
                                                             init=False)
    #: Facts of other entries (scanned cards, callers' own ModelEntry), by content, least recently used first.
    _recent: OrderedDict[str, tuple[ModelEntry, int, PreparedFacts]] = field(
        default_factory=OrderedDict, compare=False, repr=False, init=False)
    _own: dict[str, ModelEntry] = field(default_factory=dict, compare=False, repr=False, init=False)
    #: Rendered findings by rule and the values their texts show (see ``_finding``).
    _findings: OrderedDict[tuple[Any, ...], tuple[Finding, str]] = field(
        default_factory=OrderedDict, compare=False, repr=False, init=False)

    def __hash__(self) -> int:
        """By the ids it holds, so that equal catalogs hash alike (the generated hash would fail on its dicts)."""
        return hash((tuple(self.licenses), tuple(model.id for model in self.models),
                     tuple(rule.id for rule in self.rules)))

    def __repr__(self) -> str:
        """Short: the whole catalog (hundreds of kilobytes) would flood every failing test's output."""
        return f"Catalog({len(self.models)} models, {len(self.licenses)} licenses, {len(self.rules)} rules)"

    @classmethod
    def load(cls, licenses: Sequence[str | FsPath] = (), rules: Sequence[str | FsPath] = (), *,
             policies: Sequence[str | FsPath | Document] = (), bundled: bool = True) -> Catalog:
        """Load the bundled catalog and rules, plus extra profile directories, rule files and policies.

        A profile, model or rule with the id of a bundled one replaces it; each
        replacement is listed in ``notices``. Policy rules (files, or a parsed
        rules document such as a config's inline ``policy:``) only add: their
        findings are marked ``policy`` and they may not reuse a license rule's id.
        Raises InputError listing every problem in every file: nothing is usable
        from a catalog that failed.
        """
        license_roots = [(bundled_licenses(), "bundled")] if bundled else []
        license_roots += [(FsPath(path), "user") for path in licenses]
        rule_roots: list[tuple[FsPath | Document, str]] = [(bundled_rules(), "bundled")] if bundled else []
        rule_roots += [(FsPath(path), "user") for path in rules]
        rule_roots += [(item if isinstance(item, Document) else FsPath(item), "policy") for item in policies]
        from ._cache import cached

        roots = [root for root, _ in license_roots + rule_roots if not isinstance(root, Document)]
        layout = repr([(_identity(root), origin) for root, origin in license_roots + rule_roots])
        return cached(roots, layout, lambda: cls._build(license_roots, rule_roots), cls, cls._usable)

    @classmethod
    def _usable(cls, value: Catalog) -> bool:
        """What the cache rebuilt hangs together as a built catalog does (its types are checked on rebuild)."""
        return (type(value) is cls and value.compiled.rules == value.rules and bool(value.rules)
                and all(profile_id == profile.id for profile_id, profile in value.licenses.items())
                and all(license_id in value.licenses for model in value.models for period in model.periods
                        for license_id in period.licenses))

    @classmethod
    def _build(cls, license_roots: list[tuple[FsPath, str]],
               rule_roots: list[tuple[FsPath | Document, str]]) -> Catalog:
        from ._compiler import compile_rules
        from ._loader import read_sources

        sources = read_sources(license_roots, rule_roots)
        raise_if(sources.problems)
        rule_list = sorted(sources.rules.values(), key=lambda rule: rule.id)
        compiled, problems = compile_rules(rule_list, sources.documents,
                                           {rule.id: sources.rule_paths[rule.id] for rule in rule_list})
        raise_if(problems)
        if compiled is None or not rule_list:
            raise_if([Problem("<rules>", None, "", "no rules were loaded", "check --rules paths")])
        assert compiled is not None
        models = tuple(sorted(sources.models.values(), key=lambda model: model.id.lower()))
        return cls(dict(sorted(sources.profiles.items())), models, tuple(rule_list), compiled,
                   tuple(sources.notices))

    def _prepared_for(self, model: ModelEntry, index: int) -> PreparedFacts:
        """The use-independent facts of one model's license period ``index``, computed once per content.

        A catalog model (the very entry this catalog holds) is looked up by id; any other entry, even one
        reusing a catalog id, by its whole content, in a bounded LRU: an edited card or a caller's own
        entry never gets another entry's facts, and a long-running process does not grow for ever.
        """
        if not self._own:
            self._own.update((entry.id, entry) for entry in self.models)
        if self._own.get(model.id) is model:
            key = (model.id, index)
            found = self._prepared.get(key)
            if found is None:
                found = self._prepared[key] = self._prepare(model, index)
            return found
        # No lock: each OrderedDict call is atomic, a race only costs a recomputation, and a lock
        # held by another thread across fork would deadlock the child.
        content = repr((model, index))
        recent = self._recent
        hit = recent.get(content)
        if hit is not None and hit[1] == index and hit[0] == model:
            with contextlib.suppress(KeyError):
                recent.move_to_end(content)
            return hit[2]
        prepared = self._prepare(model, index)
        recent[content] = (model, index, prepared)
        with contextlib.suppress(KeyError):
            while len(recent) > PREPARED_ENTRIES:
                recent.popitem(last=False)
        return prepared

    @cached_property
    def _by_rule(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.compiled.rules}

    def _fired(self, use_case: UseCase, groups: list[PreparedFacts]) -> list[tuple[str, Context]]:
        """``(rule id, context)`` for every rule that fired on a fact, in fact order then rule id order.

        Each distinct fact content goes to durable-rules once (and not at all when its fired rules are
        cached), and the rules a group of facts fires are worked out once per shape of group;
        ``MODELTERMS_NO_FACT_CACHE=1`` sends every fact, as one batch, the plain way.
        """
        wanted = self.compiled.wanted
        if not _engine.fact_cache_enabled():
            facts, contexts = build(use_case, [item for group in groups for item in group], wanted)
            fired = _engine.run(self.compiled.name, self.compiled.definition, facts)
            return [(rule_id, contexts[int(fact_id)]) for rule_id, fact_id in fired]
        plan = FactPlan(use_case, wanted)
        name = self.compiled.name
        shapes = {group.shape: group for group in groups}  # one group of each shape
        firing: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for shape in shapes:  # a shape under the same use-case signature has the same keys, so fires the same
            hit = _FIRING.get((name, shape, plan.signature))
            if hit is not None:
                firing[shape] = hit
        keys = {shape: [plan.key(item) for item in group] for shape, group in shapes.items() if shape not in firing}
        if keys:
            first: dict[tuple[str, ...], Prepared] = {}
            for shape, shape_keys in keys.items():
                for item, key in zip(shapes[shape], shape_keys, strict=True):
                    first.setdefault(key, item)
            by_content = _engine.fired_by_content(name, self.compiled.definition, first,
                                                  lambda key, fact_id: plan.fact(first[key], fact_id))
            for shape, shape_keys in keys.items():
                firing[shape] = _FIRING[(name, shape, plan.signature)] = [
                    (position, by_content[key]) for position, key in enumerate(shape_keys) if by_content[key]]
            with contextlib.suppress(KeyError, StopIteration, RuntimeError):
                while len(_FIRING) > FIRING_CACHED:
                    del _FIRING[next(iter(_FIRING))]  # the oldest
        out: list[tuple[str, Context]] = []
        for group in groups:
            for position, rule_ids in firing[group.shape]:
                context = plan.context(group[position])
                out += [(rule_id, context) for rule_id in rule_ids]
        return out

    def _finding(self, rule: Rule, context: Context) -> tuple[Finding, str]:
        """``_rendered``, remembered by what the texts and the citation depend on (bounded, least recent out)."""
        values = context.values
        key = (rule.id, context.term.citation if rule.cite == "term" else (context.profile.id, context.profile.url),
               field_values(rule.message, values),
               field_values(rule.remedy, values) if rule.remedy else (),
               field_values(rule.obligation, values) if rule.obligation else ())
        cache = self._findings
        hit = cache.get(key)
        if hit is not None:
            with contextlib.suppress(KeyError):
                cache.move_to_end(key)
            return hit
        made = cache[key] = _rendered(rule, context)
        with contextlib.suppress(KeyError):
            while len(cache) > FINDINGS_CACHED:
                cache.popitem(last=False)
        return made

    def _prepare(self, model: ModelEntry, index: int) -> PreparedFacts:
        period = model.periods[index]
        profiles = tuple(self.licenses[i] for i in period.licenses)
        return prepare(model, period.access, profiles, self.compiled.wanted)

    @cached_property
    def _index(self) -> ModelIndex:
        return ModelIndex.build(self.models)

    def find_model(self, name: str) -> ModelEntry:
        """A model by catalog id, alias, bare repo name or provider-prefixed API id, case-insensitively.

        UnknownModelError suggests the nearest names; an unknown name is never
        resolved to a guess.
        """
        found = self._index.lookup(name)
        if found is None:
            raise unknown([name], self._index)
        return found

    def find_models(self, names: Iterable[str]) -> list[ModelEntry]:
        """Each named model, in order; one UnknownModelError lists every unknown name, not only the first."""
        found: list[ModelEntry] = []
        missing: list[str] = []
        problems: list[Problem] = []
        for name in names:
            try:
                model = self._index.lookup(name)
            except UnknownModelError as exc:  # ambiguous
                problems += exc.problems
                continue
            if model is None:
                missing.append(name)
            else:
                found.append(model)
        if missing or problems:
            raise UnknownModelError(problems + list(unknown(missing, self._index).problems))
        return found

    def find_license(self, license_id: str) -> LicenseProfile | None:
        return self.licenses.get(license_id) or next(
            (p for p in self.licenses.values() if p.id.lower() == license_id.lower()), None)

    def evaluate(self, use_case: UseCase, models: Iterable[str | ModelEntry] | None = None) -> list[Result]:
        """The verdict for each model (default: the whole catalog), most severe finding first.

        Raises UnknownModelError for a name not in the catalog and
        EvaluationError if any license document in force was not covered by a
        rule: a model the rules did not look at is never reported permitted.
        """
        if models is None:
            chosen = self.models
        else:
            items = list(models)
            named = iter(self.find_models([item for item in items if not isinstance(item, ModelEntry)]))
            chosen = tuple(item if isinstance(item, ModelEntry) else next(named) for item in items)
        bindings = []
        prepared: list[PreparedFacts] = []
        unlicensed: list[ModelEntry] = []
        for model in chosen:
            period = model.period(use_case.as_of)
            if period is None:
                unlicensed.append(model)
                continue
            bindings.append((model, period.access, tuple(self.licenses[i] for i in period.licenses)))
            prepared.append(self._prepared_for(model, model.periods.index(period)))
        by_rule = self._by_rule
        findings: dict[str, list[Finding]] = {model.id: [] for model in chosen}
        obligations: dict[str, list[str]] = {model.id: [] for model in chosen}
        seen_documents: set[tuple[str, str]] = set()
        for rule_id, context in self._fired(use_case, prepared):
            rule = by_rule[rule_id]
            finding, text = self._finding(rule, context)
            model_findings = findings[context.model.id]
            if finding not in model_findings:
                model_findings.append(finding)
            if text and text not in obligations[context.model.id]:
                obligations[context.model.id].append(text)
            seen_documents.add((context.model.id, context.profile.id))
        uncovered = [(model.id, profile.id) for model, _, profiles in bindings for profile in profiles
                     if (model.id, profile.id) not in seen_documents]
        if uncovered:
            raise EvaluationError("no rule covered " + ", ".join(f"{lic} (model {m})" for m, lic in uncovered)
                                  + "; a rule with `subject: license` must match every document")
        results = []
        for model, _, profiles in bindings:
            results.append(_result(model, tuple(p.id for p in profiles), findings[model.id],
                                   obligations[model.id]))
        for model in unlicensed:
            results.append(_unlicensed(model, use_case.as_of))
        order = {model.id: index for index, model in enumerate(chosen)}
        return sorted(results, key=lambda result: order[result.model])


def _rendered(rule: Rule, context: Context) -> tuple[Finding, str]:
    """The finding ``rule`` makes for one fact, and the obligation text it adds ("" for none)."""
    values = context.values
    citation = context.term.citation if rule.cite == "term" else Citation(
        context.profile.id, "whole document", context.profile.url)
    remedy = render(rule.remedy, values) if rule.remedy else ""
    finding = Finding(rule.id, rule.verdict, render(rule.message, values), citation, remedy or None, rule.origin)
    return finding, render(rule.obligation, values) if rule.obligation else ""


def _identity(root: FsPath | Document) -> str:
    """What a root contributes to the cache key beside file contents: its path, or an inline document's data."""
    if isinstance(root, Document):
        import json

        return f"{root.name}:{json.dumps(root.data, sort_keys=True, default=str)}:{sorted(root.lines.items())}"
    return str(root)


def _result(model: ModelEntry, license_ids: tuple[str, ...], findings: list[Finding],
            obligations: list[str]) -> Result:
    ordered = tuple(sorted(findings, key=lambda f: (-f.verdict.severity, f.rule, f.citation.license, f.message)))
    verdict = ordered[0].verdict
    return Result(model.id, model.name, license_ids[0], license_ids, verdict, ordered, tuple(obligations))


def _unlicensed(model: ModelEntry, day: str) -> Result:
    """No license document is in force on ``day`` (before release, or after a license ended): nothing is granted."""
    first = model.periods[0]
    finding = Finding(
        NO_LICENSE_IN_FORCE, Verdict.FORBIDDEN,
        f"No license of {model.name} is in force on {day}; the catalog's first license period starts on "
        f"{first.start}.",
        Citation(first.licenses[0], "license history", first.source),
        "Check the date (as_of) or the model's current terms.", "catalog")
    return Result(model.id, model.name, None, (), Verdict.FORBIDDEN, (finding,), ())
