"""``modelterms scan PATH``: find Hugging Face model cards in a tree and map each to the catalog.

A card is a ``README.md`` whose YAML front matter may give ``license``,
``license_name``, ``license_link``, ``base_model`` and ``base_model_relation``.
Each card is resolved by the lineage resolver (``_lineage.py``): its own
catalog entry, its base_model chain (through the other cards of the tree, the
catalog and, with ``--hub``, the Hugging Face Hub), a name match with an
upstream (inferred, to be confirmed), then its declared license. Nothing is
guessed silently: a card none of these maps is reported ``unknown`` and fails
the check unless waived. Whether a base's terms bind a derivative is license
data (profile key ``derivatives``), evaluated by rule ``card-license-conflict``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, NamedTuple

from ._card import Card, read_card
from ._catalog import Catalog
from ._errors import InputError
from ._lineage import Resolution, Resolver, Status
from ._model import Citation, Finding, ModelEntry, Result, Verdict
from ._paths import walk

if TYPE_CHECKING:
    from ._hub import HubClient

__all__ = ["UNKNOWN_CARD", "Card", "Mapper", "Mapping", "find_cards", "read_card", "unknown_result"]

UNKNOWN_CARD = "unknown-model-card"
_SKIP_DIRS = {".git", ".hg", "node_modules", "__pycache__", ".venv", "venv", ".tox"}
#: How a resolution's status is shown as ``mapped_by`` in scan output (a stable key of the JSON).
_MAPPED_BY = {Status.CATALOG: "repo id", Status.BASE: "base model", Status.LICENSE: "license key"}


class Mapping(NamedTuple):
    """How a card was mapped; ``entry`` is what gets evaluated (None: unknown)."""

    card: Card
    resolution: Resolution

    @property
    def entry(self) -> ModelEntry | None:
        return self.resolution.entry

    @property
    def by(self) -> str | None:
        return _MAPPED_BY.get(self.resolution.status)

    @property
    def catalog_model(self) -> str | None:
        return self.resolution.catalog_model

    @property
    def declared(self) -> str | None:
        return self.resolution.declared

    @property
    def reason(self) -> str:
        return self.resolution.reason

    def to_dict(self) -> dict[str, Any]:
        r = self.resolution
        return {"path": self.card.path, "status": "mapped" if self.entry else "unknown", "mapped_by": self.by,
                "catalog_model": self.catalog_model, "repo_id": self.card.repo_id,
                "declared_license": list(self.card.licenses), "license_name": self.card.license_name,
                "license_link": self.card.license_link, "base_model": list(self.card.base_models),
                "base_model_relation": self.card.relation, "declared_license_profile": self.declared,
                "explanation": self.reason, "lineage": r.lineage_dicts(), "lineage_inferred": r.inferred,
                "revision": r.revision}


def find_cards(root: FsPath) -> Iterator[FsPath]:
    """Every README.md under ``root`` (or ``root`` itself), in a stable order; an unreadable folder is an error."""
    if root.is_file():
        yield root
        return
    if not root.is_dir():
        raise InputError(f"{root}: does not exist")
    yield from walk(root, lambda name: name.lower() == "readme.md", _SKIP_DIRS)


class Mapper:
    """Card -> catalog through the lineage resolver; the other cards of the scan are the chain's local evidence."""

    def __init__(self, catalog: Catalog, day: str, cards: Iterable[Card] = (), hub: HubClient | None = None) -> None:
        self.resolver = Resolver(catalog, day, cards, hub)

    def map(self, card: Card) -> Mapping:
        return Mapping(card, self.resolver.resolve_card(card))


def unknown_result(mapping: Mapping) -> Result:
    """Fail closed: a card that cannot be mapped grants nothing modelterms can vouch for."""
    card = mapping.card
    message = f"Model card {card.label} could not be mapped: {mapping.reason}."
    finding = Finding(UNKNOWN_CARD, Verdict.FORBIDDEN, message,
                      Citation(card.label, "license", card.path),
                      "Add the model or its license to the catalog (see the README, 'Adding a license'), or waive "
                      "it with a reason.", "catalog")
    return Result(card.label, card.repo_id or card.label, None, (), Verdict.FORBIDDEN, (finding,), ())
