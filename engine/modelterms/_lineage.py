"""Lineage: which license terms govern a Hugging Face repository, and the evidence for each step.

The one resolver behind ``scan``, ``check --model/--card/--hub`` and the
library. Evidence is taken in this order, and every step is recorded as a
``Hop`` (the id, what kind of evidence, where it was read, the revision):

1. the repository's own catalog entry (id, alias or bare repo name);
2. its ``base_model`` chain, multi-hop, through the other cards given (the
   scanned tree), the catalog and, when turned on, the Hub; the Hub's own
   ``base_model:`` tags count the same as the card's field;
3. where the card names no base: its name once quantiser and mirror
   organisations and format suffixes are stripped, then its tags (weaker):
   such lineage is *inferred*, and always reported so that a person confirms;
4. the card's declared ``license`` / ``license_name`` / ``license_link``;
5. else unknown (fail closed).

Whether a base's terms bind a derivative is license data (the profile key
``derivatives: {binds: true}``), never decided here by license name or kind.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from ._card import Card
from ._errors import UnknownModelError
from ._model import LicensePeriod, ModelEntry

if TYPE_CHECKING:
    from ._catalog import Catalog
    from ._hub import HubClient

#: The ``source`` of a hop whose Hub lookup failed (not a 404): what follows from it is unknown.
_HUB_FAILED = "hub: no answer"
#: How far a base_model chain is followed (a chain longer than this is reported unknown, never guessed).
MAX_HOPS = 8
#: Relations where the derivative changed the weights, so its own terms would matter (Hub's base_model_relation).
CHANGES_WEIGHTS = ("finetune", "adapter", "merge")
#: A bare ``license: other`` (or ``unknown``) names no license: an unknown declaration, not a conflict.
NAMES_NOTHING = ("other", "unknown")

# Organisations that re-upload or convert other vendors' weights, and format suffixes of conversions.
MIRROR_ORGS = ("unsloth", "thebloke", "bartowski", "mlx-community", "lmstudio-community", "nousresearch",
               "quantfactory", "maziyarpanahi", "second-state", "gaianet", "neuralmagic", "redhatai", "cortecs",
               "turboderp", "lonestriker", "mradermacher", "ggml-org", "solidrust", "casperhansen", "modularai",
               "hugging-quants", "unsloth-community", "bullerwins", "ubergarm", "qwen-gguf")
_SUFFIXES = re.compile(
    r"(?:[-_.](?:gguf|ggml|awq|gptq|bnb[-_]?4bit|bnb[-_]?8bit|unsloth[-_]bnb[-_]4bit|4bit|8bit|3bit|6bit|fp8"
    r"(?:[-_]dynamic)?|fp16|bf16|int4|int8|w4a16|w8a8|w8a16|mlx|onnx|exl2|hqq|eetq|marlin|gguf[-_]?q\d\w*|"
    r"q\d(?:_k)?(?:_[msl])?|imatrix|i1|quantized|dynamic))+$", re.I)


class Evidence(enum.StrEnum):
    """What one step of a lineage rests on."""

    CATALOG = "catalog"
    """The id is a catalog id, alias or bare repo name."""
    CARD = "card"
    """A card's ``base_model`` field (or the Hub's ``base_model:`` tag) names the next id."""
    TREE = "tree"
    """The id's own card was found among the cards given (the scanned tree)."""
    HUB = "hub"
    """The id's card metadata was read from the Hub (or its cache)."""
    NAME = "name"
    """Inferred: the repo name matches a catalog model once mirror orgs and format suffixes are stripped."""
    TAG = "tag"
    """Inferred, weaker: a card tag names a catalog model or family."""
    LICENSE = "license"
    """The card's declared license fields name a catalog license."""
    UNRESOLVED = "unresolved"
    """Nothing more is known about this id."""


class Hop(NamedTuple):
    """One step of a lineage: ``id`` was reached on ``evidence``, described by ``detail``."""

    id: str
    evidence: Evidence
    detail: str
    source: str | None = None
    revision: str | None = None
    relation: str | None = None

    @property
    def inferred(self) -> bool:
        return self.evidence in (Evidence.NAME, Evidence.TAG)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "evidence": self.evidence.value, "detail": self.detail, "source": self.source,
                "revision": self.revision, "relation": self.relation, "inferred": self.inferred}


class Status(enum.StrEnum):
    CATALOG = "catalog"
    """The repository is itself a catalog model."""
    BASE = "base model"
    """Its base models' terms decide (they bind derivatives, or it declares none of its own)."""
    LICENSE = "license key"
    """Its declared license decides."""
    UNKNOWN = "unknown"


class Resolution(NamedTuple):
    """How a repository's license was decided, and the entry to evaluate (None when unknown)."""

    name: str
    status: Status
    entry: ModelEntry | None
    """What gets evaluated: a catalog entry, or one built from the base's or declared documents."""
    catalog_model: str | None
    """The catalog model the terms come from (the repo's own, or its first deciding base)."""
    declared: str | None
    """The profile the card's own license fields name."""
    conflict: bool
    """The card declares a license other than the one that governs."""
    inferred: bool
    """The lineage rests on a name or tag match alone."""
    grants_own_terms: bool
    """False: a derivative that changed the weights but declares no license of its own."""
    relation: str | None
    lineage: tuple[Hop, ...]
    reason: str
    revision: str | None = None

    def lineage_dicts(self) -> list[dict[str, Any]]:
        return [hop.to_dict() for hop in self.lineage]


class _Base(NamedTuple):
    """Where one base id's chain ended: the catalog model (or declared documents) that decides it."""

    hops: tuple[Hop, ...]
    model: ModelEntry | None
    documents: tuple[str, ...]
    problem: str | None = None
    #: the Hub was asked and could not answer (network, timeout, rate limit): the card is unknown, not guessed
    failed: bool = False


class Resolver:
    """Resolves names and cards against one catalog, the cards given, and optionally the Hub."""

    def __init__(self, catalog: Catalog, day: str, cards: Iterable[Card] = (), hub: HubClient | None = None) -> None:
        self.catalog = catalog
        self.day = day
        self.hub = hub
        self.cards: dict[str, Card] = {}
        for card in cards:
            if card.repo_id and not card.misplaced:
                self.cards.setdefault(card.repo_id.lower(), card)
        self.by_key, self.inferable = _license_keys(catalog), _short_names(catalog)
        self._families: dict[str, list[ModelEntry]] | None = None

    # -- the catalog ---------------------------------------------------------------------------------------
    def model(self, name: str | None) -> ModelEntry | None:
        if not name:
            return None
        try:  # the catalog's own name index (as find_model), without its did-you-mean search on a miss
            return self.catalog._index.lookup(name)
        except UnknownModelError:  # an ambiguous bare name resolves to none of its candidates
            return None

    def binds(self, documents: Iterable[str]) -> list[str]:
        """The documents whose profile says its terms carry into derivatives (profile key ``derivatives``)."""
        return [i for i in documents if (self.catalog.licenses[i].data.get("derivatives") or {}).get("binds")]

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
        """``license_id`` with the policies its own text incorporates (its obligations' ``policy:``).

        A document that only some models add beside the license (Cohere's C4AI policy beside
        CC-BY-NC-4.0, gpt-oss's beside Apache-2.0) belongs to those models, not to the license.
        """
        profile = self.catalog.licenses[license_id]
        policies = [str(item["policy"]) for item in profile.data.get("obligations", ())
                    if item.get("policy") is not None and str(item["policy"]) in self.catalog.licenses]
        return tuple(dict.fromkeys((license_id, *policies)))

    def _catalog_hop(self, name: str, model: ModelEntry) -> Hop:
        how = "catalog id" if model.id.lower() == name.lower() else \
            "catalog alias" if name.lower() in (a.lower() for a in model.aliases) else "catalog bare repo name"
        period = model.period(self.day)
        terms = ", ".join(period.licenses) if period else "no license in force"
        return Hop(model.id, Evidence.CATALOG, f"{how} of {model.id} ({terms})", model.source)

    # -- resolving -----------------------------------------------------------------------------------------
    def resolve(self, name: str, card: Card | None = None) -> Resolution:
        """The resolution of a repo id (or any name a user typed), using its card when one is known."""
        own = self.model(name) if card is None else self.model(card.repo_id)
        subject = card.repo_id if card is not None and card.repo_id else name
        if card is None and own is None:
            card, hop = self._find_card(name)
            if card is None:
                return self._unknown(name, None, (hop,), hop.detail if self.hub else
                                     f"`{name}` is neither in the catalog nor among the cards given (pass --hub "
                                     "to look it up on the Hugging Face Hub)")
            return self._from_card(name, card, (hop,))
        if own is not None:
            return self._own(name, subject, own, card)
        assert card is not None
        return self._from_card(name, card, ())

    def resolve_card(self, card: Card) -> Resolution:
        """The resolution of a card read from disk (``scan``, ``check --card``)."""
        if card.misplaced:
            return self._unknown(card.label, card, (), "its metadata is not at the top of the README, where the "
                                 "Hub reads it, so it declares nothing; move the YAML block to the first line")
        own = self.model(card.repo_id)
        if own is not None:
            return self._own(card.label, card.repo_id or card.label, own, card)
        return self._from_card(card.label, card, ())

    def _own(self, label: str, subject: str, own: ModelEntry, card: Card | None) -> Resolution:
        declared = self.declared_profile(card) if card else None
        period = own.period(self.day)
        conflict = declared is not None and period is not None and declared != period.licenses[0]
        hop = self._catalog_hop(subject, own)
        hop = hop._replace(revision=card.revision if card else None)
        entry = own if card is None else _as_card_entry(own, card, label, None, conflict, (hop,), False, True, None)
        return Resolution(label, Status.CATALOG, entry, own.id, declared, conflict, False, True, None, (hop,),
                          f"{'the card names' if card else 'it is'} catalog model {own.id}",
                          card.revision if card else None)

    def _find_card(self, name: str) -> tuple[Card | None, Hop]:
        """The card of ``name`` among the cards given, else on the Hub (when on)."""
        found = self.cards.get(name.lower())
        if found is not None:
            return found, Hop(name, Evidence.TREE, f"its card {found.path}", found.path, found.revision,
                              found.relation)
        if self.hub is None:
            return None, Hop(name, Evidence.UNRESOLVED, "not in the catalog or the cards given (--hub would look "
                             "it up on the Hugging Face Hub)")
        from ._hub import HubError, HubNotFound

        try:
            found = self.hub.card(name)
        except HubNotFound as exc:
            return None, Hop(name, Evidence.UNRESOLVED, str(exc))
        except HubError as exc:
            return None, Hop(name, Evidence.UNRESOLVED, str(exc), _HUB_FAILED)
        gated = " (gated: read from its public metadata)" if found.gated else ""
        return found, Hop(name, Evidence.HUB, f"Hub model info{gated}", found.path, found.revision, found.relation)

    def _from_card(self, label: str, card: Card, before: tuple[Hop, ...]) -> Resolution:
        declared = self.declared_profile(card)
        names = _base_names(card)
        relation = card.relation
        bases: list[_Base] = [self._follow(base, card, {(card.repo_id or "").lower()}, 1) for base in names]
        inferred = False
        if not names:
            guess = self._infer(card)
            if guess is not None:
                bases, inferred = [guess], True
        found = [base for base in bases if base.documents]
        missing = [base for base in bases if not base.documents]
        binding = [base for base in found if self.binds(base.documents)]
        lineage = (*before, *(hop for base in bases for hop in base.hops))
        stated = card.licenses[0] if card.licenses else None
        # no license, or a bare `other`: an unknown declaration, never a conflicting one
        names_nothing = stated is None or (stated.lower() in NAMES_NOTHING and declared is None
                                           and not card.license_name and not card.license_link)
        revision = card.revision
        if inferred and not binding and not names_nothing:
            # A name match alone never overrides what the card declares under a permissive base.
            bases, found, missing, binding, inferred = [], [], [], [], False
            lineage = before
        failed = [base for base in missing if base.failed]
        if failed:
            return self._unknown(label, card, lineage, "its base model could not be looked up: " +
                                 "; ".join(str(base.problem) for base in failed))
        if missing and not binding and (names_nothing or declared is None):
            problems = "; ".join(base.problem or "unresolved" for base in missing)
            return self._unknown(label, card, lineage, f"its base model could not be resolved: {problems}")
        if binding or (found and names_nothing):
            deciding = binding or found
            ordered = [*deciding, *(base for base in found if base not in deciding)]
            every = tuple(dict.fromkeys(i for base in ordered for i in base.documents))
            documents = tuple(dict.fromkeys((*self.binds(every), *every)))  # binding ones first: the primary
            primary = documents[0]
            conflict = bool(binding) and not names_nothing and declared != primary
            changes = relation in CHANGES_WEIGHTS or relation is None
            grants_own = not (names_nothing and changes)
            first = deciding[0]
            base_ids = ", ".join(base.hops[0].id for base in bases if base.hops)
            entry = _derived_entry(card, label, first.model, documents, base_ids, conflict, lineage, inferred,
                                   grants_own, relation)
            why = ("whose terms bind derivatives" if binding else "and it declares no license of its own")
            how = "inferred from its name or tags as" if inferred else "derived from"
            return Resolution(label, Status.BASE, entry, first.model.id if first.model else None, declared,
                              conflict, inferred, grants_own, relation, lineage,
                              f"{how} {', '.join(base.hops[-1].id for base in deciding)}, {why}", revision)
        if declared is not None:
            documents = self.companions(declared)
            hop = Hop(stated or declared, Evidence.LICENSE,
                      f"the card declares {_shown_license(card)}, i.e. profile {declared}", card.path, revision)
            lineage = (*lineage, hop)
            entry = _declared_entry(card, label, documents, self.catalog, lineage, relation)
            return Resolution(label, Status.LICENSE, entry, None, declared, False, False, True, relation, lineage,
                              f"the card declares {stated}, i.e. {declared}", revision)
        return self._unknown(label, card, lineage,
                             f"it declares {_shown_license(card)}; neither its folder, its base model nor its "
                             "license is in the catalog")

    def _follow(self, name: str, child: Card, seen: set[str], depth: int) -> _Base:
        """Follow one base id until a catalog model or a declared license decides it."""
        hop_in = Hop(name, Evidence.CARD, f"base_model of {child.repo_id or child.label}"
                     + (f" (relation: {child.relation})" if child.relation else ""), child.path, child.revision,
                     child.relation)
        if name.lower() in seen or depth > MAX_HOPS:
            why = "the base_model chain loops" if name.lower() in seen else f"the chain is longer than {MAX_HOPS}"
            return _Base((hop_in,), None, (), f"{name}: {why}")
        model = self.model(name)
        if model is not None:
            period = model.period(self.day)
            return _Base((hop_in, self._catalog_hop(name, model)), model, period.licenses if period else ())
        card, hop = self._find_card(name)
        if card is None:
            return _Base((hop_in, hop), None, (), hop.detail, failed=hop.source == _HUB_FAILED)
        if card.repo_id and card.repo_id.lower() != name.lower():
            model = self.model(card.repo_id)  # the Hub answered under the repo's current (renamed) id
            if model is not None:
                period = model.period(self.day)
                return _Base((hop_in, hop, self._catalog_hop(card.repo_id, model)), model,
                             period.licenses if period else ())
        further = _base_names(card)
        if further:
            inner = [self._follow(base, card, seen | {name.lower()}, depth + 1) for base in further]
            decided = [base for base in inner if base.documents]
            failed = [base for base in inner if base.failed]
            if failed:  # the Hub could not answer for part of the chain: nothing below it is known
                return _Base((hop_in, hop, *(h for base in inner for h in base.hops)), None, (),
                             "; ".join(str(base.problem) for base in failed), failed=True)
            if decided:
                documents = tuple(dict.fromkeys(i for base in decided for i in base.documents))
                own = self.declared_profile(card)
                if own is not None and not self.binds(documents):
                    documents = self.companions(own)  # the intermediate repo's own license decides its part
                hops = (hop_in, hop, *(h for base in inner for h in base.hops))
                return _Base(hops, decided[0].model, documents)
            if self.declared_profile(card) is None:  # nothing else to go on: say why the chain stopped
                problem = "; ".join(str(base.problem) for base in inner if base.problem)
                return _Base((hop_in, hop, *(h for base in inner for h in base.hops)), None, (), problem,
                             failed=any(base.failed for base in inner))
        own = self.declared_profile(card)
        if own is not None:
            detail = f"{card.repo_id or name} declares {_shown_license(card)}, i.e. profile {own}"
            return _Base((hop_in, hop, Hop(name, Evidence.LICENSE, detail, card.path, card.revision)), None,
                         self.companions(own))
        return _Base((hop_in, hop), None, (), f"{name}: its card declares {_shown_license(card)}")

    def _infer(self, card: Card) -> _Base | None:
        """Lineage from the repo name (mirror orgs and format suffixes stripped), then tags: weaker evidence."""
        repo = card.repo_id or ""
        org, _, short = repo.rpartition("/")
        stripped = _SUFFIXES.sub("", short)
        if stripped and (stripped != short or org.lower() in MIRROR_ORGS):
            model = self.inferable.get(stripped.lower())
            if model is not None:
                period = model.period(self.day)
                detail = f"the repo name {repo} matches catalog model {model.id} once " + (
                    "the mirror organisation and format suffix are stripped" if stripped != short
                    else "the mirror organisation is stripped")
                hops = (Hop(model.id, Evidence.NAME, detail + "; confirm the upstream", card.path, card.revision),
                        self._catalog_hop(model.id, model))
                return _Base(hops, model, period.licenses if period else ())
        for tag in card.tags:
            model = self.model(tag) if "/" in tag else None
            family = self._family(tag)
            if model is None and family is None:
                continue
            if model is not None:
                period = model.period(self.day)
                hops = (Hop(model.id, Evidence.TAG, f"the card's tag `{tag}` names catalog model {model.id}; "
                            "confirm the upstream", card.path, card.revision), self._catalog_hop(model.id, model))
                return _Base(hops, model, period.licenses if period else ())
            assert family is not None
            member, documents = family
            hop = Hop(tag, Evidence.TAG, f"the card's tag `{tag}` names the catalog family {tag}, whose members "
                      f"are all under {', '.join(documents)}; confirm the upstream", card.path, card.revision)
            return _Base((hop,), member, documents)
        return None

    def _family(self, tag: str) -> tuple[ModelEntry, tuple[str, ...]] | None:
        """A family whose members all have the same documents in force (so the tag alone says which terms)."""
        if self._families is None:
            self._families = {}
            for model in self.catalog.models:
                if model.family:
                    self._families.setdefault(model.family.lower(), []).append(model)
        members = self._families.get(tag.lower(), [])
        periods = {p.licenses for m in members if (p := m.period(self.day)) is not None}
        if len(periods) != 1:
            return None
        return members[0], next(iter(periods))

    def _unknown(self, label: str, card: Card | None, lineage: tuple[Hop, ...], reason: str) -> Resolution:
        declared = self.declared_profile(card) if card else None
        return Resolution(label, Status.UNKNOWN, None, None, declared, False, False, True,
                          card.relation if card else None, lineage, reason, card.revision if card else None)


def resolve(name: str, catalog: Catalog, *, cards: Iterable[Card] = (), card: Card | None = None,
            hub: HubClient | None = None, day: str | None = None) -> Resolution:
    """How ``name`` (a HF repo id, a catalog id or alias, any spelling) is licensed, with its lineage.

    ``cards`` are other cards known locally (a scanned tree) that a base_model chain may pass through;
    ``card`` is ``name``'s own card when one was read; ``hub`` (a ``HubClient``) is consulted only when
    given. Never raises for an unknown name: the Resolution's ``status`` is ``unknown`` and ``reason``
    says why.
    """
    import datetime as _dt

    resolver = Resolver(catalog, day or _dt.date.today().isoformat(), cards, hub)
    return resolver.resolve_card(card) if card is not None else resolver.resolve(name)


def _base_names(card: Card) -> tuple[str, ...]:
    """The card's base_model ids, and those the Hub states in ``base_model:[relation:]<id>`` tags."""
    names = list(card.base_models)
    for tag in card.tags:
        if tag.startswith("base_model:"):
            value = tag[len("base_model:"):]
            head, _, rest = value.partition(":")
            value = rest if rest and head in ("finetune", "adapter", "quantized", "merge") else value
            if "/" in value:
                names.append(value)
    seen: dict[str, str] = {}
    for item in names:
        seen.setdefault(item.lower(), item)
    return tuple(seen.values())


def _shown_license(card: Card) -> str:
    shown = ", ".join(card.licenses) or "no license"
    return f"{shown} ({card.license_name})" if card.license_name else shown


def _license_keys(catalog: Catalog) -> dict[tuple[str, str], str]:
    """Card license fields -> profile, from each profile's ``huggingface`` keys and (unique) URL."""
    by_key: dict[tuple[str, str], str] = {}
    links: dict[str, set[str]] = {}
    for profile in catalog.licenses.values():
        for item in profile.data.get("huggingface", []):
            by_key[(item["license"].lower(), str(item.get("license_name", "")).lower())] = profile.id
        links.setdefault(profile.url.lower(), set()).add(profile.id)
    for link, owners in links.items():  # a URL two profiles give says nothing about which one a card means
        if len(owners) == 1:
            by_key[("link", link)] = next(iter(owners))
    return by_key


_SHORT_NAMES: dict[int, tuple[tuple[ModelEntry, ...], Mapping[str, ModelEntry]]] = {}


def _short_names(catalog: Catalog) -> Mapping[str, ModelEntry]:
    """The repo-name part of every id and alias that names exactly one catalog entry (for name inference).

    Built once per catalog (a scan makes one resolver, a library caller may make many)."""
    hit = _SHORT_NAMES.get(id(catalog.models))
    if hit is not None and hit[0] is catalog.models:
        return hit[1]
    found: dict[str, set[str]] = {}
    entries: dict[str, ModelEntry] = {}
    for model in catalog.models:
        if model.access == "api-only":
            continue
        entries[model.id] = model
        for name in (model.id, *model.aliases):
            short = name.rsplit("/", 1)[-1].lower()
            found.setdefault(short, set()).add(model.id)
    index = {short: entries[next(iter(ids))] for short, ids in found.items() if len(ids) == 1}
    if len(_SHORT_NAMES) > 8:
        _SHORT_NAMES.clear()
    _SHORT_NAMES[id(catalog.models)] = (catalog.models, index)
    return index


def _card_data(card: Card, base: str | None, conflict: bool, lineage: tuple[Hop, ...], inferred: bool,
               grants_own: bool, relation: str | None) -> dict[str, Any]:
    return {"base_model": base, "card_license": _shown_license(card) if card.licenses else None,
            "card_conflict": conflict, "lineage": " -> ".join(hop.id for hop in lineage) or None,
            "lineage_inferred": inferred, "grants_own_terms": grants_own,
            "relation": relation or "relation not stated, taken as a fine-tune"}


def _as_card_entry(model: ModelEntry, card: Card, label: str, base: str | None, conflict: bool,
                   lineage: tuple[Hop, ...], inferred: bool, grants_own: bool, relation: str | None) -> ModelEntry:
    data = {**model.data, **_card_data(card, base, conflict, lineage, inferred, grants_own, relation)}
    return model._replace(id=label, aliases=(), data=data, source=card.path)


def _derived_entry(card: Card, label: str, model: ModelEntry | None, documents: tuple[str, ...], base: str,
                   conflict: bool, lineage: tuple[Hop, ...], inferred: bool, grants_own: bool,
                   relation: str | None) -> ModelEntry:
    period = LicensePeriod(documents, "0001-01-01", None, None, card.path)
    if model is not None:
        entry = _as_card_entry(model, card, label, base, conflict, lineage, inferred, grants_own, relation)
        return entry._replace(periods=(period,))
    return ModelEntry(label, card.repo_id or label, "unknown vendor", (), "open-weights", ("text",), "0001-01-01",
                      (period,), _card_data(card, base, conflict, lineage, inferred, grants_own, relation), card.path)


def _declared_entry(card: Card, label: str, documents: tuple[str, ...], catalog: Catalog,
                    lineage: tuple[Hop, ...], relation: str | None) -> ModelEntry:
    # The card does not say which modalities the model has: clauses limited to one are assumed to apply.
    modalities = tuple(sorted({str(term.fields["modality"]) for lid in documents
                               for term in catalog.licenses[lid].terms if term.fields.get("modality")}))
    data = _card_data(card, ", ".join(card.base_models) or None, False, lineage, False, True, relation)
    return ModelEntry(label, card.repo_id or label, "unknown vendor", (), "open-weights", ("text", *modalities),
                      "0001-01-01", (LicensePeriod(documents, "0001-01-01", None, None, card.path),), data,
                      card.path)
