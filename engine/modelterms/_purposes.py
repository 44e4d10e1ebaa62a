"""The purpose vocabulary as a reader wants it: each tag, what it means, and which documents bar it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._catalog import Catalog
from ._model import Citation
from ._usecase import vocabulary_terms


@dataclass(frozen=True)
class Purpose:
    """One purpose tag of rules/vocabulary.yaml."""

    tag: str
    description: str
    barred_by: tuple[Citation, ...]
    """Every prohibited-purpose clause that names the tag, one per document and section."""
    replaced_by: str | None = None
    """For a deprecated tag, the tag it is read as."""

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(citation.license for citation in self.barred_by))

    def to_dict(self) -> dict[str, Any]:
        return {"tag": self.tag, "description": self.description, "replaced_by": self.replaced_by,
                "barred_by": list(self.documents),
                "clauses": [citation.to_dict() for citation in self.barred_by]}


def purposes(catalog: Catalog, *, deprecated: bool = False) -> tuple[Purpose, ...]:
    """Every current tag (and the deprecated ones when asked), in vocabulary order, with the clauses barring it."""
    terms = vocabulary_terms()
    barred: dict[str, list[Citation]] = {}
    for profile in catalog.licenses.values():
        for term in profile.terms:
            if term.subject == "purpose":
                for tag in term.fields["tags"]:
                    found = barred.setdefault(tag, [])
                    if term.citation not in found:
                        found.append(term.citation)
    out = [Purpose(tag, meaning, tuple(barred.get(tag, ()))) for tag, meaning in terms.meanings.items()]
    if deprecated:
        out += [Purpose(tag, f"deprecated: read as `{new}`", (), new) for tag, new in terms.replaced_by.items()]
    return tuple(out)
