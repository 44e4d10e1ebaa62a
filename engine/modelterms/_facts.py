"""The fact model: what the rules can see, and how a use case becomes facts.

For every model and every license document in force on ``use.as_of``, one fact
is made per term (the license itself, each grant, threshold, territory
exclusion, prohibited-purpose clause and obligation). Each fact holds the term's
own fields under its subject (``grant.value``) beside ``use.*``, ``model.*`` and
``license.*``. Set comparisons that durable-rules cannot express (does the
use case's list of territories meet the clause's list?) are precomputed here as
the documented ``derived`` fields; nothing here decides a verdict.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from ._model import USE_CASE_BOOLEANS, USE_CASE_NUMBERS, LicenseProfile, ModelEntry, Term, UseCase
from ._usecase import expand_territories

BOOL, INT, STR, LIST = "boolean", "integer", "string", "list"

_USE_FIELDS = {
    "name": STR, "as_of": STR, "licensee_country": STR, "territories": LIST, "purposes": LIST,
    **{name: BOOL for name in USE_CASE_BOOLEANS},
    **{name: INT for name in USE_CASE_NUMBERS},
}

#: subject -> field -> type. ``use``, ``model`` and ``license`` are on every fact.
FIELDS: dict[str, dict[str, str]] = {
    "use": _USE_FIELDS,
    "model": {
        "id": STR, "name": STR, "vendor": STR, "access": STR, "weights": STR, "modalities": LIST,
        "released": STR, "training_code": BOOL, "training_data": STR,
        "base_model": STR, "card_license": STR, "card_conflict": BOOL,
        "relation": STR, "lineage": STR, "lineage_inferred": BOOL, "grants_own_terms": BOOL,
    },
    "license": {
        "id": STR, "name": STR, "kind": STR, "version": STR, "date": STR, "spdx": STR, "url": STR, "gaps": STR,
        "osi_approved": BOOL, "primary": BOOL, "has_grants": BOOL, "incomplete": BOOL, "incorporated": BOOL,
        "binds_derivatives": BOOL, "derivatives_clause": STR,
    },
    "grant": {"name": STR, "value": STR, "condition": STR, "summary": STR, "excludes_competitors": BOOL},
    "threshold": {
        "metric": STR, "limit": INT, "above": STR, "measured": STR, "summary": STR, "remedy": STR,
        "commercial_only": BOOL, "actual": INT, "stated": BOOL,
    },
    "territory": {
        "codes": LIST, "binds": STR, "modality": STR, "summary": STR, "remedy": STR,
        "applies_to_model": BOOL, "domicile_excluded": BOOL, "places_excluded": LIST,
        "places_excluded_count": INT,
    },
    "purpose": {"tags": LIST, "summary": STR, "selected": LIST, "selected_count": INT},
    "obligation": {"type": STR, "trigger": STR, "text": STR, "policy": STR, "summary": STR, "wording": STR},
}
SUBJECTS = ("license", "grant", "threshold", "territory", "purpose", "obligation")
CONTEXT = ("use", "model", "license")
#: Fields computed here rather than read from a file (documented in the README).
DERIVED = {
    "model.base_model", "model.card_license", "model.card_conflict",
    "model.relation", "model.lineage", "model.lineage_inferred", "model.grants_own_terms",
    "license.binds_derivatives", "license.derivatives_clause",
    "license.primary", "license.has_grants", "license.incomplete", "license.incorporated",
    "threshold.actual", "threshold.stated", "territory.applies_to_model",
    "territory.domicile_excluded", "territory.places_excluded", "territory.places_excluded_count",
    "purpose.selected", "purpose.selected_count",
    "obligation.wording",
}


class Context(NamedTuple):
    """Everything a rule's message or remedy may mention, for one fact."""

    model: ModelEntry
    profile: LicenseProfile
    term: Term
    values: Mapping[str, Mapping[str, Any]]


def use_values(use: UseCase) -> dict[str, Any]:
    values = use.to_dict()
    values["territories"] = expand_territories(use.territories)
    values["purposes"] = sorted(use.purposes)
    return values


def model_values(model: ModelEntry, access: str | None) -> dict[str, Any]:
    data = model.data
    return {
        "id": model.id, "name": model.name, "vendor": model.vendor, "access": access or model.access,
        "weights": data.get("weights"), "modalities": list(model.modalities), "released": model.released,
        "training_code": bool(data.get("training_code", False)), "training_data": data.get("training_data"),
        # set only for model cards found by `scan` (see _scan.py); a catalog model has no card
        "base_model": data.get("base_model"), "card_license": data.get("card_license"),
        "card_conflict": bool(data.get("card_conflict", False)),
        # set by the lineage resolver (_lineage.py): how the card's terms were found
        "relation": data.get("relation"), "lineage": data.get("lineage"),
        "lineage_inferred": bool(data.get("lineage_inferred", False)),
        "grants_own_terms": bool(data.get("grants_own_terms", True)),
    }


def license_values(profile: LicenseProfile, primary: bool, incorporated: bool) -> dict[str, Any]:
    """``incorporated``: a document in force names this one as the policy it incorporates."""
    data = profile.data
    derivatives = data.get("derivatives") or {}
    return {
        "id": profile.id, "name": profile.name, "kind": profile.kind, "version": data.get("version"),
        "date": data.get("date"), "spdx": data.get("spdx"), "url": profile.url, "gaps": data.get("gaps"),
        "osi_approved": profile.osi_approved, "primary": primary, "has_grants": "grants" in data,
        "incomplete": "gaps" in data, "incorporated": incorporated,
        # profile key `derivatives` (see the license schema): whether these terms carry into derived models
        "binds_derivatives": bool(derivatives.get("binds", False)),
        "derivatives_clause": f"{profile.name}, section {derivatives['section']}" if derivatives.get("section")
        else profile.name,
    }


def incorporated_policies(profiles: tuple[LicenseProfile, ...]) -> frozenset[str]:
    """Ids of the policies that the documents of one period incorporate through an obligation's ``policy:``.

    A policy may name itself when its own profile carries the licence's incorporation clause (``c4ai-aup``).
    """
    return frozenset(str(item["policy"]) for profile in profiles
                     for item in profile.data.get("obligations", ()) if item.get("policy") is not None)


def term_values(term: Term, use: Mapping[str, Any], model: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(term.fields)
    if term.subject == "threshold":
        figure = use.get(values["metric"])
        values["stated"] = figure is not None  # an unstated figure is not 0: rule threshold-figure-unstated
        values["actual"] = figure or 0
    elif term.subject == "territory":
        codes = set(expand_territories(values["codes"]))
        values["codes"] = sorted(codes)
        modality = values.get("modality")
        values["applies_to_model"] = modality is None or modality in model["modalities"]
        values["domicile_excluded"] = use.get("licensee_country") in codes
        places = sorted(codes.intersection(use["territories"]))
        values["places_excluded"] = places
        values["places_excluded_count"] = len(places)
    elif term.subject == "purpose":
        selected = sorted(set(values["tags"]).intersection(use["purposes"])) if use["purposes"] else []
        values["selected"] = selected
        values["selected_count"] = len(selected)
    return values


_DYNAMIC = frozenset({"threshold", "territory", "purpose"})


class Prepared(NamedTuple):
    """The use-independent part of one fact, computed once per catalog."""

    subject: str
    model: ModelEntry
    profile: LicenseProfile
    term: Term
    model_values: dict[str, Any]
    license_values: dict[str, Any]
    term_values: dict[str, Any] | None
    static: dict[str, Any]
    #: The fact's use-independent content as canonical JSON: with the use part, the fact's content key.
    key: str = ""
    #: For a subject derived from the use case (threshold, territory, purpose): what its derived values
    #: depend on besides the use case (the term and the model's modalities), as canonical JSON.
    term_key: str | None = None


@lru_cache(maxsize=256)
def _split(paths: tuple[str, ...]) -> dict[str, tuple[str, ...]]:  # callers do not change the result
    heads: dict[str, list[str]] = {}
    for path in paths:
        head, _, tail = path.partition(".")
        heads.setdefault(head, []).append(tail)
    return {head: tuple(tails) for head, tails in heads.items()}


class PreparedFacts(list[Prepared]):
    """One model period's prepared facts, with ``shape``: their use-independent contents, as one text.

    Two periods of the same shape make facts of the same contents under any use case (only their
    contexts differ), so an evaluation works out which rules fire once per shape, not once per model.
    """

    shape: str = ""


def prepare(model: ModelEntry, access: str | None, profiles: tuple[LicenseProfile, ...],
            wanted: Mapping[str, tuple[str, ...]]) -> PreparedFacts:
    """Facts for one model and period, minus the use case: cacheable for the catalog's lifetime."""
    out = PreparedFacts()
    model_map = model_values(model, access)
    incorporated = incorporated_policies(profiles)
    for position, profile in enumerate(profiles):
        license_map = license_values(profile, position == 0, profile.id in incorporated)
        for term in profile.terms:
            paths = wanted.get(term.subject)
            if paths is None:
                continue
            own = None if term.subject == "license" else dict(term.fields)
            values = {"model": model_map, "license": license_map}
            if own is not None:
                values[term.subject] = own
            static = {head: {tail: values[head].get(tail) for tail in tails}
                      for head, tails in _split(paths).items() if head in values and head not in _DYNAMIC}
            term_key = _canonical([term.subject, own, model_map["modalities"]]) if term.subject in _DYNAMIC else None
            out.append(Prepared(term.subject, model, profile, term, model_map, license_map, own, static,
                                _canonical([term.subject, static]), term_key))
    # interned: periods of one shape share one string, so a lookup by shape never compares kilobytes
    out.shape = sys.intern(_canonical([[item.key, item.term_key] for item in out]))
    return out


def _canonical(value: Any) -> str:
    """One text per content (keys sorted); a value JSON cannot hold is named by its type and repr."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=lambda other: f"<{type(other).__name__}>{other!r}")


#: Derived term values by (term content, what term_values reads from the use case, the fields facts carry):
#: read-only once made (contexts and facts only read them). Bounded, oldest out.
DERIVED_CACHED = 65536
_DERIVED: dict[tuple[str, str, tuple[str, ...]], tuple[dict[str, Any], dict[str, Any], str]] = {}


class FactPlan:
    """One use case's facts, made lazily: a content key for each, the fact itself and its context on demand.

    Facts with the same key have the same content (id aside), so durable-rules fires the same rules
    for them: the evaluator sends one fact per distinct key, and only facts that fired need a context.
    Derived values (``term_values``) are computed once per distinct term content, not once per model.
    """

    def __init__(self, use: UseCase, wanted: Mapping[str, tuple[str, ...]]) -> None:
        self.use_map = use_values(use)
        self.split = {subject: _split(paths) for subject, paths in wanted.items()}
        self.use_parts = {subject: {tail: self.use_map.get(tail) for tail in heads.get("use", ())}
                          for subject, heads in self.split.items()}
        # repr of the values in the fixed order of ``wanted``: a use case's values are validated JSON
        # scalars and lists of strings, for which repr tells every two contents apart (True from 1)
        self.use_keys = {subject: repr(tuple(part.values())) for subject, part in self.use_parts.items()}
        self._derived: dict[str, tuple[dict[str, Any], dict[str, Any], str]] = {}
        # everything ``term_values`` reads from the use case: with a term's content, what its derived values
        # depend on, so they can be remembered across evaluations
        use_map = self.use_map
        self._use_inputs = repr((use_map["purposes"], use_map["territories"], use_map.get("licensee_country"),
                                 [use_map.get(name) for name in USE_CASE_NUMBERS]))
        #: Everything of the use case that any fact key depends on: with a shape, it fixes every key.
        self.signature = repr((sorted(self.use_keys.items()), self._use_inputs))

    def _own(self, item: Prepared) -> tuple[dict[str, Any], dict[str, Any], str]:
        """A derived term's values, the part of them facts carry, and that part's canonical JSON."""
        assert item.term_key is not None
        found = self._derived.get(item.term_key)
        if found is None:
            metric = item.term.fields.get("metric") if item.subject == "threshold" else None
            shared = (item.term_key, self._use_inputs + repr(self.use_map.get(metric)) if metric else self._use_inputs,
                      tuple(self.split[item.subject].get(item.subject, ())))
            found = _DERIVED.get(shared)
            if found is None:
                own = term_values(item.term, self.use_map, item.model_values)
                part = {tail: own.get(tail) for tail in shared[2]}
                # the part's values are the schema-checked term fields and derived lists, ints and booleans
                found = _DERIVED[shared] = (own, part, repr(tuple(part.values())))
                if len(_DERIVED) > DERIVED_CACHED:
                    with contextlib.suppress(KeyError, StopIteration, RuntimeError):  # another thread's change
                        del _DERIVED[next(iter(_DERIVED))]  # the oldest: insertion order
            self._derived[item.term_key] = found
        return found

    def key(self, item: Prepared) -> tuple[str, ...]:
        """The content of ``item``'s fact under this use case, without its id."""
        if item.term_key is None:
            return (item.key, self.use_keys[item.subject])
        return (item.key, self.use_keys[item.subject], self._own(item)[2])

    def fact(self, item: Prepared, fact_id: str) -> dict[str, Any]:
        """The fact durable-rules is sent for ``item`` (the same content as ``build`` makes)."""
        fact: dict[str, Any] = {"id": fact_id, "subject": item.subject, "use": self.use_parts[item.subject],
                                **item.static}
        if item.term_key is not None:
            fact[item.subject] = self._own(item)[1]
        return fact

    def context(self, item: Prepared) -> Context:
        values: dict[str, Mapping[str, Any]] = {"use": self.use_map, "model": item.model_values,
                                                 "license": item.license_values}
        if item.term_values is not None:
            values[item.subject] = self._own(item)[0] if item.term_key is not None else item.term_values
        return Context(item.model, item.profile, item.term, values)


def build(
    use: UseCase,
    prepared: Iterable[Prepared],
    wanted: Mapping[str, tuple[str, ...]],
) -> tuple[list[dict[str, Any]], list[Context]]:
    """Facts for durable-rules, and the context of each (same index) for rendering findings.

    ``wanted`` maps each subject that some rule listens to onto the paths its
    conditions read: facts carry only those, which keeps the JSON small.
    """
    facts: list[dict[str, Any]] = []
    contexts: list[Context] = []
    use_map = use_values(use)
    split = {subject: _split(paths) for subject, paths in wanted.items()}
    use_parts = {subject: {tail: use_map.get(tail) for tail in heads.get("use", ())}
                 for subject, heads in split.items()}
    for item in prepared:
        subject = item.subject
        fact: dict[str, Any] = {"id": str(len(facts)), "subject": subject, "use": use_parts[subject], **item.static}
        values: dict[str, Mapping[str, Any]] = {"use": use_map, "model": item.model_values,
                                                 "license": item.license_values}
        if item.term_values is not None:
            own = item.term_values
            if subject in _DYNAMIC:
                own = term_values(item.term, use_map, item.model_values)
                fact[subject] = {tail: own.get(tail) for tail in split[subject].get(subject, ())}
            values[subject] = own
        facts.append(fact)
        contexts.append(Context(item.model, item.profile, item.term, values))
    return facts, contexts
