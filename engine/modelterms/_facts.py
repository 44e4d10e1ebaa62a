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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

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
    },
    "license": {
        "id": STR, "name": STR, "kind": STR, "version": STR, "date": STR, "spdx": STR,
        "osi_approved": BOOL, "primary": BOOL, "has_grants": BOOL,
    },
    "grant": {"name": STR, "value": STR, "condition": STR, "summary": STR, "excludes_competitors": BOOL},
    "threshold": {
        "metric": STR, "limit": INT, "above": STR, "measured": STR, "summary": STR, "remedy": STR,
        "commercial_only": BOOL, "actual": INT,
    },
    "territory": {
        "codes": LIST, "binds": STR, "modality": STR, "summary": STR, "remedy": STR,
        "applies_to_model": BOOL, "domicile_excluded": BOOL, "places_excluded": LIST,
        "places_excluded_count": INT,
    },
    "purpose": {"tags": LIST, "summary": STR, "selected": LIST, "selected_count": INT},
    "obligation": {"type": STR, "trigger": STR, "text": STR, "summary": STR},
}
SUBJECTS = ("license", "grant", "threshold", "territory", "purpose", "obligation")
CONTEXT = ("use", "model", "license")
#: Fields computed here rather than read from a file (documented in the README).
DERIVED = {
    "license.primary", "license.has_grants", "threshold.actual", "territory.applies_to_model",
    "territory.domicile_excluded", "territory.places_excluded", "territory.places_excluded_count",
    "purpose.selected", "purpose.selected_count",
}


@dataclass(frozen=True)
class Context:
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
    }


def license_values(profile: LicenseProfile, primary: bool) -> dict[str, Any]:
    data = profile.data
    return {
        "id": profile.id, "name": profile.name, "kind": profile.kind, "version": data.get("version"),
        "date": data.get("date"), "spdx": data.get("spdx"), "osi_approved": profile.osi_approved,
        "primary": primary, "has_grants": "grants" in data,
    }


def term_values(term: Term, use: Mapping[str, Any], model: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(term.fields)
    if term.subject == "threshold":
        values["actual"] = use.get(values["metric"], 0)
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
        selected = sorted(set(values["tags"]).intersection(use["purposes"]))
        values["selected"] = selected
        values["selected_count"] = len(selected)
    return values


def build(
    use: UseCase,
    bindings: Iterable[tuple[ModelEntry, str | None, tuple[LicenseProfile, ...]]],
    wanted: Mapping[str, tuple[str, ...]],
) -> tuple[list[dict[str, Any]], list[Context]]:
    """Facts for durable-rules, and the context of each (same index) for rendering findings.

    ``wanted`` maps each subject that some rule listens to onto the paths its
    conditions read: facts carry only those, which keeps the JSON small.
    """
    facts: list[dict[str, Any]] = []
    contexts: list[Context] = []
    use_map = use_values(use)
    for model, access, profiles in bindings:
        model_map = model_values(model, access)
        for position, profile in enumerate(profiles):
            license_map = license_values(profile, position == 0)
            for term in profile.terms:
                paths = wanted.get(term.subject)
                if paths is None:
                    continue
                values = {"use": use_map, "model": model_map, "license": license_map}
                if term.subject != "license":
                    values[term.subject] = term_values(term, use_map, model_map)
                fact: dict[str, Any] = {"id": str(len(facts)), "subject": term.subject}
                for path in paths:
                    head, _, tail = path.partition(".")
                    fact.setdefault(head, {})[tail] = values[head].get(tail)
                facts.append(fact)
                contexts.append(Context(model, profile, term, values))
    return facts, contexts
