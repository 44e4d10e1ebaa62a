"""``modelterms scan PATH``: find Hugging Face model cards in a tree and map each to the catalog.

A card is a ``README.md`` whose YAML front matter may give ``license``,
``license_name``, ``license_link`` and ``base_model``. Each card is mapped, in
this order, by its repository id (the ``org/name`` folders it sits in, or a Hub
cache folder ``models--org--name``), by its base model, or by its declared
license; the first that matches the catalog wins. Nothing is guessed: a card
none of these maps is reported ``unknown`` and fails the check unless waived.

A fine-tune inherits its base model's license when that license binds
derivatives (its ``kind`` is ``restricted`` or ``non-commercial``: community,
RAIL, research and non-commercial licenses all carry their terms into
derivatives; ``permissive`` ones do not). When such a card declares some other
license, it is evaluated under the base model's and the rule
``card-license-conflict`` reports the mismatch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path as FsPath
from typing import Any, NamedTuple

from ._catalog import Catalog
from ._errors import InputError
from ._model import Citation, Finding, LicensePeriod, ModelEntry, Result, Verdict
from ._paths import walk
from ._yaml import parse, read_text

UNKNOWN_CARD = "unknown-model-card"
BINDING_KINDS = ("restricted", "non-commercial")
_SKIP_DIRS = {".git", ".hg", "node_modules", "__pycache__", ".venv", "venv", ".tox"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*$", re.S | re.M)


class Card(NamedTuple):
    path: str
    label: str
    repo_id: str | None
    licenses: tuple[str, ...]
    license_name: str | None
    license_link: str | None
    base_models: tuple[str, ...]
    #: the line of the card's ``license:`` key
    line: int
    #: metadata found below the top of the file, where the Hub does not read it
    misplaced: bool = False


class Mapping(NamedTuple):
    """How a card was mapped; ``entry`` is what gets evaluated (None: unknown)."""

    card: Card
    by: str | None
    entry: ModelEntry | None
    catalog_model: str | None
    declared: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.card.path, "status": "mapped" if self.entry else "unknown", "mapped_by": self.by,
                "catalog_model": self.catalog_model, "repo_id": self.card.repo_id,
                "declared_license": list(self.card.licenses), "license_name": self.card.license_name,
                "license_link": self.card.license_link, "base_model": list(self.card.base_models),
                "declared_license_profile": self.declared, "explanation": self.reason}


def find_cards(root: FsPath) -> Iterator[FsPath]:
    """Every README.md under ``root`` (or ``root`` itself), in a stable order; an unreadable folder is an error."""
    if root.is_file():
        yield root
        return
    if not root.is_dir():
        raise InputError(f"{root}: does not exist")
    yield from walk(root, lambda name: name.lower() == "readme.md", _SKIP_DIRS)


def read_card(path: FsPath, label: str) -> Card | None:
    """The card's front matter, or None when the README has none (not a model card).

    A byte-order mark and CRLF line ends are what Windows editors write: the
    card is read the same. Metadata that is not at the very top is not read by
    the Hub either, so it declares nothing: such a card is returned with
    ``misplaced`` set, to be reported unknown rather than skipped.
    """
    text = read_text(str(path)).removeprefix("\ufeff").replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if match is None:
        if _has_late_metadata(text):
            return Card(str(path), label, _repo_id(path), (), None, None, (), 1, misplaced=True)
        return None
    document = parse("\n" + match.group(1), str(path))  # keep line numbers those of the file
    data = document.data if isinstance(document.data, dict) else {}
    line = document.lines.get(("license",), 1)
    return Card(str(path), label, _repo_id(path), _strings(data.get("license")), _string(data.get("license_name")),
                _string(data.get("license_link")), _strings(data.get("base_model")), line)


def _has_late_metadata(text: str) -> bool:
    """Whether a ``---`` fenced block below the top gives a key the Hub reads (line by line: no regex backtracking)."""
    inside = False
    for line in text.split("\n"):
        if line.rstrip() == "---":
            inside = not inside
        elif inside and line.split(":", 1)[0].strip() in ("license", "license_name", "base_model") and ":" in line:
            return True
    return False


def _string(value: Any) -> str | None:
    return str(value).strip() if isinstance(value, (str, int, float)) and str(value).strip() else None


def _strings(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(text for item in items if (text := _string(item)) is not None)


def _repo_id(path: FsPath) -> str | None:
    """``org/name`` from a Hub cache folder (``models--org--name/snapshots/<rev>/``) or the two folders above."""
    for part in path.parts:
        if part.startswith("models--") and part.count("--") >= 2:
            return "/".join(part[len("models--"):].split("--", 1))
    parents = path.parent.parts
    return "/".join(parents[-2:]) if len(parents) >= 2 else None


class Mapper:
    """Card -> catalog, using only the catalog's data: ids, aliases, and each profile's ``huggingface`` keys."""

    def __init__(self, catalog: Catalog, day: str) -> None:
        self.catalog = catalog
        self.day = day
        self.by_key: dict[tuple[str, str], str] = {}
        links: dict[str, set[str]] = {}
        for profile in catalog.licenses.values():
            for item in profile.data.get("huggingface", []):
                self.by_key[(item["license"].lower(), str(item.get("license_name", "")).lower())] = profile.id
            links.setdefault(profile.url.lower(), set()).add(profile.id)
        for link, owners in links.items():  # a URL two profiles give says nothing about which one a card means
            if len(owners) == 1:
                self.by_key[("link", link)] = next(iter(owners))

    def model(self, name: str | None) -> ModelEntry | None:
        if not name:
            return None
        try:
            return self.catalog.find_model(name)
        except InputError:
            return None

    def declared_profile(self, card: Card) -> str | None:
        """The profile a card's own license fields name, or None when they name none (or several)."""
        if len(card.licenses) != 1:
            return None
        key = card.licenses[0].lower()
        found = self.by_key.get((key, (card.license_name or "").lower())) or self.by_key.get((key, ""))
        if found is None and card.license_link:
            found = self.by_key.get(("link", card.license_link.lower()))
        return found

    def companions(self, license_id: str) -> tuple[str, ...]:
        """The documents that accompany ``license_id`` everywhere the catalog uses it (e.g. its acceptable-use
        policy); a document only some models add (gpt-oss's policy beside Apache-2.0) is not the license's."""
        sets = [set(period.licenses[1:]) for model in self.catalog.models for period in model.periods
                if period.licenses[0] == license_id]
        common = set.intersection(*sets) if sets else set()
        return (license_id, *sorted(common))

    def map(self, card: Card) -> Mapping:
        declared = self.declared_profile(card)
        stated = card.licenses[0] if card.licenses else None
        own = self.model(card.repo_id)
        if own is not None:
            period = own.period(self.day)
            conflict = declared is not None and period is not None and declared != period.licenses[0]
            return Mapping(card, "repo id", self._entry(card, own, None, stated, conflict), own.id, declared,
                           f"the card's folder names catalog model {own.id}")
        if card.misplaced:
            return Mapping(card, None, None, None, None,
                           "its metadata is not at the top of the README, where the Hub reads it, so it declares "
                           "nothing; move the YAML block to the first line")
        bases = [(base, period) for base in map(self.model, card.base_models)
                 if base is not None and (period := base.period(self.day)) is not None]
        binding = [base for base, period in bases
                   if any(self.catalog.licenses[i].kind in BINDING_KINDS for i in period.licenses)]
        if binding:
            # Every base's documents apply (a merge, or a base under several licenses): the most severe wins.
            ordered = [*(p for b, p in bases if b in binding), *(p for b, p in bases if b not in binding)]
            documents = tuple(dict.fromkeys(i for period in ordered for i in period.licenses))
            first = binding[0]
            primary = next(i for i in first.period(self.day).licenses  # type: ignore[union-attr]
                           if self.catalog.licenses[i].kind in BINDING_KINDS)
            conflict = stated is not None and declared != primary
            entry = self._entry(card, first, ", ".join(base.id for base, _ in bases), stated, conflict)
            entry = entry._replace(periods=(LicensePeriod(documents, "0001-01-01", None, None, card.path),))
            names = ", ".join(base.id for base in binding)
            return Mapping(card, "base model", entry, first.id, declared,
                           f"derived from {names}, whose terms bind derivatives")
        if declared is not None:
            licenses = self.companions(declared)
            # The card does not say which modalities the model has: clauses limited to one are assumed to apply.
            modalities = tuple(sorted({str(term.fields["modality"]) for lid in licenses
                                       for term in self.catalog.licenses[lid].terms if term.fields.get("modality")}))
            entry = ModelEntry(card.label, card.repo_id or card.label, "unknown vendor", (), "open-weights",
                               ("text", *modalities), "0001-01-01",
                               (LicensePeriod(licenses, "0001-01-01", None, None, card.path),),
                               {"base_model": ", ".join(card.base_models) or None, "card_license": stated,
                                "card_conflict": False}, card.path)
            return Mapping(card, "license key", entry, None, declared, f"the card declares {stated}, i.e. {declared}")
        shown = ", ".join(card.licenses) or "no license"
        extra = f" ({card.license_name})" if card.license_name else ""
        return Mapping(card, None, None, None, None,
                       f"it declares {shown}{extra}; neither its folder, its base model nor its license is in the "
                       "catalog")

    def _entry(self, card: Card, model: ModelEntry, base: str | None, stated: str | None,
               conflict: bool) -> ModelEntry:
        data = {**model.data, "base_model": base, "card_license": stated, "card_conflict": conflict}
        return model._replace(id=card.label, aliases=(), data=data, source=card.path)


def unknown_result(mapping: Mapping) -> Result:
    """Fail closed: a card that cannot be mapped grants nothing modelterms can vouch for."""
    card = mapping.card
    message = f"Model card {card.label} could not be mapped: {mapping.reason}."
    finding = Finding(UNKNOWN_CARD, Verdict.FORBIDDEN, message,
                      Citation(card.label, "license", card.path),
                      "Add the model or its license to the catalog (see the README, 'Adding a license'), or waive "
                      "it with a reason.", "catalog")
    return Result(card.label, card.repo_id or card.label, None, (), Verdict.FORBIDDEN, (finding,), ())
