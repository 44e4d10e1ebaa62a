"""``check --model ID`` for any Hugging Face id: through the catalog, a local card (``--card``), or the Hub.

Plain ``check`` resolves names through the catalog only (``_workflow.load_setup``).
When the user gives a card or turns the Hub on, each name goes through the
lineage resolver instead, so that a fine-tune or a quantisation outside the
catalog is checked under the terms that govern it, and the report shows how
they were decided. A name nothing resolves is still an error (exit 2): a check
never passes a model it could not read.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from ._card import Card, read_card
from ._config import Config
from ._errors import Problem, raise_if
from ._lineage import Resolution, Resolver, Status

if TYPE_CHECKING:
    from ._hub import HubClient
    from ._workflow import Setup


def read_cards(paths: Sequence[str]) -> list[Card]:
    """Each ``--card`` file (a README.md, or a folder holding one); one without metadata is an error."""
    cards: list[Card] = []
    problems: list[Problem] = []
    for given in paths:
        path = FsPath(given)
        if path.is_dir():
            path = path / "README.md"
        if not path.is_file():
            problems.append(Problem(given, None, "", "no such model card", "give a README.md (or its folder)"))
            continue
        card = read_card(path, path.parent.as_posix() if path.name.lower() == "readme.md" else path.as_posix())
        if card is None:
            problems.append(Problem(given, None, "", "has no YAML metadata at the top, so it is not a model card",
                                    "give the model's README.md, whose first line is ---"))
            continue
        cards.append(card)
    raise_if(problems)
    return cards


def resolution_info(resolution: Resolution) -> dict[str, Any]:
    """What a report shows of one resolution (the ``card`` key of a check result)."""
    return {"status": "mapped" if resolution.entry is not None else "unknown", "mapped_by": resolution.status.value,
            "catalog_model": resolution.catalog_model, "declared_license_profile": resolution.declared,
            "explanation": resolution.reason, "lineage": resolution.lineage_dicts(),
            "lineage_inferred": resolution.inferred, "revision": resolution.revision}


def lineage_setup(config: Config | None, names: Sequence[str], card_paths: Sequence[str], hub: HubClient | None,
                  day: str | None, licenses: Sequence[str] = (), rules: Sequence[str] = (),
                  policies: Sequence[str] = ()) -> tuple[Setup, dict[str, dict[str, Any]]]:
    """A Setup whose models are ``names`` (or the cards given, or the config's) resolved through lineage."""
    from ._workflow import Setup, load_catalog, waiver_rule_problems

    catalog = load_catalog(config, licenses, rules, policies)
    cards = read_cards(card_paths)
    resolver = Resolver(catalog, day or _dt.date.today().isoformat(), cards, hub)
    wanted = list(names) or ([d.model for d in config.models] if config else [])
    resolutions: list[Resolution] = []
    by_repo = {card.repo_id.lower(): card for card in cards if card.repo_id}
    for name in wanted:
        card = by_repo.pop(name.lower(), None)
        resolutions.append(resolver.resolve_card(card)._replace(name=name) if card else resolver.resolve(name))
    if not wanted:  # with names, the other cards are the chain's evidence; without, they are what is checked
        resolutions += [resolver.resolve_card(card) for card in cards]
    if not resolutions:
        raise_if([Problem("--model", None, "", "no model to check", "pass --model ID or --card PATH")])
    problems = [Problem("--model" if res.name in wanted else res.name, None, "",
                        f"`{res.name}` could not be resolved: {res.reason}",
                        "check the id, give its card with --card, or turn on --hub")
                for res in resolutions if res.status is Status.UNKNOWN or res.entry is None]
    raise_if(problems)
    entries = []
    infos: dict[str, dict[str, Any]] = {}
    for res in resolutions:
        assert res.entry is not None
        entry = res.entry if res.status is Status.CATALOG and res.entry in catalog.models else \
            res.entry._replace(id=res.name)
        entries.append(entry)
        infos[entry.id] = resolution_info(res)
    waivers = config.waivers if config else ()
    raise_if(waiver_rule_problems(catalog, waivers))
    known = {entry.id.lower(): entry.id for entry in entries}
    matched = tuple((known[w.model.lower()], w) for w in waivers if w.model.lower() in known)
    unique = list({entry.id: entry for entry in entries}.values())
    return Setup(catalog, config, tuple(unique), {}, matched), infos
