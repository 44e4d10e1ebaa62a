"""The purpose vocabulary as a reader wants it: each tag, what it means, and which documents bar it."""

from __future__ import annotations

from collections.abc import Sequence
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


def purposes(catalog: Catalog, tags: Sequence[str] = (), *, deprecated: bool = False) -> tuple[Purpose, ...]:
    """Every current tag (and the deprecated ones when asked), in vocabulary order, with the clauses barring it.

    ``tags`` keeps only those tags (in the order given); an unknown one is an InputError with the nearest tag.
    """
    terms = vocabulary_terms()
    unknown = [tag for tag in tags if tag not in terms.known]
    if unknown:
        from ._errors import InputError, Problem
        from ._schema import suggest

        raise InputError([Problem("<purposes>", None, "", f"unknown purpose tag `{tag}`",
                                  suggest(tag, list(terms.meanings)) or "run `modelterms purposes` for the list")
                          for tag in unknown])
    barred: dict[str, list[Citation]] = {}
    for profile in catalog.licenses.values():
        for term in profile.terms:
            if term.subject == "purpose":
                for tag in term.fields["tags"]:
                    found = barred.setdefault(tag, [])
                    if term.citation not in found:
                        found.append(term.citation)
    out = [Purpose(tag, meaning, tuple(barred.get(tag, ()))) for tag, meaning in terms.meanings.items()]
    if deprecated or tags:
        out += [Purpose(tag, f"deprecated: read as `{new}`", (), new) for tag, new in terms.replaced_by.items()]
    if tags:
        by_tag = {purpose.tag: purpose for purpose in out}
        return tuple(by_tag[tag] for tag in dict.fromkeys(tags))
    return tuple(out)
