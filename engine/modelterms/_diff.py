"""How two sets of license terms differ: two licenses, two versions of one, or one model on two dates.

Each side is the list of documents in force (a license with its acceptable-use
policy counts as one set of terms). Terms are matched by what they are about,
never by wording: a grant by its name, a threshold by its metric, a territory
clause by what it binds (and the modality it is limited to), a prohibited
purpose by its tag, an obligation by its type and trigger. A term differs when
its substance (value, condition, limit, codes, text or policy) differs; the
summaries are paraphrases and are not compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ._catalog import Catalog
from ._compare import territory_label
from ._errors import InputError, Problem, UnknownModelError
from ._model import Citation, LicenseProfile, ModelEntry

SECTIONS = ("license", "grant", "threshold", "territory", "purpose", "obligation")


@dataclass(frozen=True)
class Side:
    """One side of a term: what it says, and where."""

    value: str
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "citations": [citation.to_dict() for citation in self.citations]}


@dataclass(frozen=True)
class TermDifference:
    """One term that differs; a side is None where that set of documents has no such term."""

    section: str
    key: str
    left: Side | None
    right: Side | None

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "key": self.key,
                "left": None if self.left is None else self.left.to_dict(),
                "right": None if self.right is None else self.right.to_dict()}


@dataclass(frozen=True)
class Difference:
    """The answer of ``modelterms diff``."""

    left: str
    """What the left side is (a license id, a model on a date)."""
    right: str
    left_documents: tuple[str, ...]
    right_documents: tuple[str, ...]
    changed: tuple[TermDifference, ...]
    same: tuple[tuple[str, str], ...]
    """(section, key) of every term both sides state identically."""

    def to_dict(self) -> dict[str, Any]:
        from ._report import version_keys

        return {**version_keys(),
                "left": {"label": self.left, "documents": list(self.left_documents)},
                "right": {"label": self.right, "documents": list(self.right_documents)},
                "changed": [item.to_dict() for item in self.changed],
                "same": [{"section": section, "key": key} for section, key in self.same]}


def _terms(profiles: Sequence[LicenseProfile]) -> dict[tuple[str, str], tuple[list[str], list[Citation]]]:
    """(section, key) -> (the substance of every matching clause, their citations), over all documents."""
    out: dict[tuple[str, str], tuple[list[str], list[Citation]]] = {}

    def add(section: str, key: str, value: str, citation: Citation) -> None:
        values, citations = out.setdefault((section, key), ([], []))
        if value not in values:
            values.append(value)
        if citation not in citations:
            citations.append(citation)

    for profile in profiles:
        if "grants" in profile.data:
            add("license", "kind", profile.kind, Citation(profile.id, "whole document", profile.url))
        for term in profile.terms:
            fields = term.fields
            if term.subject == "grant":
                value = str(fields["value"])
                if fields.get("excludes_competitors"):
                    value += ", not for competitors"
                if fields.get("condition"):
                    value += f": {fields['condition']}"
                add("grant", str(fields["name"]), value, term.citation)
            elif term.subject == "threshold":
                scope = " (commercial use only)" if fields.get("commercial_only") else ""
                add("threshold", str(fields["metric"]), f"above {int(fields['limit']):,}: {fields['above']}{scope}",
                    term.citation)
            elif term.subject == "territory":
                key = str(fields["binds"]) + (f", {fields['modality']} models" if fields.get("modality") else "")
                add("territory", key, "excludes " + territory_label(fields["codes"]), term.citation)
            elif term.subject == "purpose":
                for tag in fields["tags"]:
                    add("purpose", str(tag), "barred", term.citation)
            elif term.subject == "obligation":
                # an obligation is its exact text or the policy it incorporates; a clause with neither is its
                # summary (its only statement of substance)
                text = fields.get("text") or (f"policy {fields['policy']}" if fields.get("policy") else "") or \
                    fields["summary"]
                add("obligation", f"{fields['type']} ({fields['trigger']})", str(text), term.citation)
    return out


def diff_documents(left: Sequence[LicenseProfile], right: Sequence[LicenseProfile], *, left_label: str = "",
                   right_label: str = "") -> Difference:
    """Every term of two sets of documents that differs, with both citations; the identical ones by key."""
    a, b = _terms(left), _terms(right)
    changed, same = [], []
    keys = sorted(set(a) | set(b), key=lambda key: (SECTIONS.index(key[0]), key[1]))
    for key in keys:
        one, two = a.get(key), b.get(key)
        if one is not None and two is not None and sorted(one[0]) == sorted(two[0]):
            same.append(key)
            continue
        changed.append(TermDifference(
            key[0], key[1],
            None if one is None else Side("; ".join(one[0]), tuple(one[1])),
            None if two is None else Side("; ".join(two[0]), tuple(two[1]))))
    return Difference(left_label or "+".join(p.id for p in left), right_label or "+".join(p.id for p in right),
                      tuple(p.id for p in left), tuple(p.id for p in right), tuple(changed), tuple(same))


def _documents(catalog: Catalog, identifier: str, day: str) -> tuple[str, tuple[LicenseProfile, ...]]:
    """A license id stands for its document; a model for the documents in force on ``day``."""
    profile = catalog.find_license(identifier)
    if profile is not None:
        return profile.id, (profile,)
    try:
        model = catalog.find_model(identifier)
    except UnknownModelError as exc:
        from ._schema import suggest

        hint = suggest(identifier, list(catalog.licenses)) or exc.problems[0].hint
        raise UnknownModelError([Problem(identifier, None, "", "is neither a license id nor a catalog model",
                                         hint or "see `modelterms models` and `modelterms show`")]) from None
    return f"{model.id} on {day}", _in_force(catalog, model, day)


def _in_force(catalog: Catalog, model: ModelEntry, day: str) -> tuple[LicenseProfile, ...]:
    period = model.period(day)
    return () if period is None else tuple(catalog.licenses[i] for i in period.licenses)


def diff(catalog: Catalog, left: str, right: str, *, as_of: str) -> Difference:
    """Two licenses, or the terms in force for two models (or a license and a model) on ``as_of``."""
    left_label, left_docs = _documents(catalog, left, as_of)
    right_label, right_docs = _documents(catalog, right, as_of)
    return diff_documents(left_docs, right_docs, left_label=left_label, right_label=right_label)


def history(catalog: Catalog, model_name: str, start: str, end: str) -> Difference:
    """How one model's terms changed between two dates (``start`` before ``end``)."""
    if not start < end:
        raise InputError([Problem("--from/--to", None, "", f"--from {start} is not before --to {end}",
                                  "give the earlier date as --from")])
    model = catalog.find_model(model_name)
    return diff_documents(_in_force(catalog, model, start), _in_force(catalog, model, end),
                          left_label=f"{model.id} on {start}", right_label=f"{model.id} on {end}")
