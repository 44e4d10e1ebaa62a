"""Which catalog model a discovered name denotes: the one call to the catalog's resolver.

Kept in one function (``Resolver.resolve``) so that it can move to the
lineage resolver (quantised mirrors, fine-tunes, the Hub) without touching the
readers. A name is also tried with LangChain's ``provider:model`` spelling
(``openai:gpt-4o``) read as the ``provider/model`` prefix the catalog knows.
"""

from __future__ import annotations

from functools import lru_cache

from .._catalog import Catalog
from .._errors import UnknownModelError
from .._model import ModelEntry
from .._names import PROVIDER_PREFIXES


def distinctive(name: str) -> bool:
    """Whether a catalog name is unlike ordinary words, so that meeting it anywhere in code means the model
    (``gpt-4o``, ``org/name``, ``llama3.1:8b``); ``bloom`` or ``o3`` count only in a model position."""
    return any(c in name for c in "/-:.") and len(name) >= 4


class Resolver:
    """Discovered names -> catalog entries, with the catalog's exact names for literals met anywhere."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.exact = frozenset(name.lower() for model in catalog.models for name in (model.id, *model.aliases)
                               if distinctive(name))
        self.resolve = lru_cache(maxsize=None)(self._resolve)

    def known_literal(self, text: str) -> bool:
        """Whether a literal outside a model position is exactly a catalog id or alias (and distinctive)."""
        return text.lower() in self.exact

    def _resolve(self, name: str) -> ModelEntry | None:
        """The catalog entry ``name`` denotes, or None (unknown, or ambiguous between several entries)."""
        for spelling in self._spellings(name):
            try:
                return self.catalog.find_model(spelling)
            except UnknownModelError:
                continue
        return None

    @staticmethod
    def _spellings(name: str) -> list[str]:
        """``name``, then the spellings of the same id that SDKs write: LangChain's ``provider:model`` and
        litellm's ``huggingface/org/name`` (the Hub repository itself, served by its inference API)."""
        provider, colon, rest = name.partition(":")
        if colon and "/" not in provider and provider.lower() in PROVIDER_PREFIXES and rest:
            return [name, f"{provider}/{rest}"]
        if name.lower().startswith("huggingface/") and name.count("/") == 2:
            return [name, name.split("/", 1)[1]]
        return [name]
