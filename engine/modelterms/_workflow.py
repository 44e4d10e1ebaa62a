"""One check from start to finish: config, catalog and policies, models, waivers, evaluation, gate.

``check``, ``check --batch`` and ``scan`` all go through here, so a project
config, a policy or a waiver means the same thing in every command.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, NamedTuple

from ._catalog import NO_LICENSE_IN_FORCE, Catalog
from ._config import Config, Declaration, Waiver, policy_file
from ._errors import InputError, Problem, UnknownModelError, raise_if
from ._gate import judge
from ._model import ModelEntry, Result, UseCase
from ._paths import relative_to_cwd
from ._report import Report
from ._schema import suggest
from ._usecase import use_case_from_dict, use_case_problems
from ._yaml import Document

if TYPE_CHECKING:
    from ._discover.results import Found
    from ._hub import HubClient

#: Finding ids made outside the rule files, which a waiver may name.
BUILT_IN_FINDINGS = (NO_LICENSE_IN_FORCE, "unknown-model-card", "unknown-model-reference")


class Setup(NamedTuple):
    """Everything a check needs except the use case; built once, reused for every batch line."""

    catalog: Catalog
    config: Config | None
    models: tuple[ModelEntry, ...] | None
    declarations: dict[str, tuple[Declaration, ...]]
    waivers: tuple[tuple[str, Waiver], ...]
    #: model id -> the config's use case for that model alone, merged over the project's (``models[].use_case``)
    own_use_cases: Mapping[str, Document] = {}


def load_setup(config: Config | None, models: Sequence[str] = (), licenses: Sequence[str] = (),
               rules: Sequence[str] = (), policies: Sequence[str] = ()) -> Setup:
    """Load the catalog with the config's and the command line's policies, and resolve every model name.

    ``models`` from the command line replace the config's declarations; with
    neither, the whole catalog is checked. Every name (declared, given or
    waived) must be in the catalog: a typo is an error naming the config line.
    """
    catalog = load_catalog(config, licenses, rules, policies)
    declarations: dict[str, list[Declaration]] = {}
    chosen: list[ModelEntry] | None = None
    if models:
        chosen = _unique(catalog.find_models(models))
    elif config is not None:
        if not config.models:
            raise_if([Problem(config.path, None, "models", "declares no models",
                              "add `models: [{model: <catalog id>}]` or pass --model")])
        entries: list[ModelEntry] = []
        problems: list[Problem] = []
        for d in config.models:  # every unknown declaration is reported, not only the first
            try:
                entries.append(_resolve(catalog, d.model, d.file, d.line, d.key))
            except InputError as exc:
                problems += exc.problems
        raise_if(problems)
        chosen = _unique(entries)
        for entry, declaration in zip(entries, config.models, strict=True):
            declarations.setdefault(entry.id, []).append(declaration)
    own_use_cases = _own_use_cases(declarations)
    waivers = _waivers(catalog, config)
    if models:  # only what the command line names is checked: other waivers are neither used nor stale
        ids = {entry.id for entry in chosen or ()}
        waivers = tuple((model_id, waiver) for model_id, waiver in waivers if model_id in ids)
    return Setup(catalog, config, None if chosen is None else tuple(chosen),
                 {key: tuple(value) for key, value in declarations.items()}, waivers, own_use_cases)


def _own_use_cases(declarations: Mapping[str, Sequence[Declaration]]) -> dict[str, Document]:
    """Each model's own use case, validated on its own; a model declared twice must not have two of them."""
    problems: list[Problem] = []
    found: dict[str, Document] = {}
    for model_id, declared in declarations.items():
        own = [d for d in declared if d.use_case is not None]
        for declaration in own:
            assert declaration.use_case is not None
            problems += use_case_problems(declaration.use_case, allow_deprecated=True)
        if own and (len(own) < len(declared) or len({repr(d.use_case.data) for d in own if d.use_case}) > 1):
            problems.append(Problem(declared[-1].file, declared[-1].line, declared[-1].key,
                                    f"{model_id} is declared more than once with different use cases",
                                    "declare it once, or give every entry the same use_case"))
        elif own and own[0].use_case is not None:
            found[model_id] = own[0].use_case
    raise_if(problems)
    return found


def load_catalog(config: Config | None, licenses: Sequence[str | FsPath] = (),
                 rules: Sequence[str | FsPath] = (), policies: Sequence[str] = ()) -> Catalog:
    """The catalog with the config's policies (files, then inline rules) and then the command line's.

    The config's ``licenses:`` and ``rules:`` come before the command line's ``--licenses`` and ``--rules``
    (so that a flag can still override an entry for one run); ``builtin:NAME`` names a shipped policy.
    """
    policy_sources: list[str | FsPath | Document] = [policy_file(p, FsPath()) if isinstance(p, str) else p
                                                     for p in policies]
    if config is not None:
        policy_sources = [*config.policy_files, *([config.inline_policy] if config.inline_policy else []),
                          *policy_sources]
        missing = [path for path in config.policy_files if not path.exists()]
        raise_if([Problem(config.path, None, "policy", f"policy file {path} does not exist",
                          "paths are relative to the config file") for path in missing])
        licenses = [*config.license_dirs, *licenses]
        rules = [*config.rule_files, *rules]
    return Catalog.load(licenses=licenses, rules=rules, policies=policy_sources)


def _unique(entries: Iterable[ModelEntry]) -> list[ModelEntry]:
    seen: dict[str, ModelEntry] = {}
    for entry in entries:
        seen.setdefault(entry.id, entry)
    return list(seen.values())


def _resolve(catalog: Catalog, name: str, file: str, line: int | None, key: str) -> ModelEntry:
    try:
        return catalog.find_model(name)
    except UnknownModelError as exc:
        raise UnknownModelError([Problem(file, line, key, problem.message, problem.hint)
                                 for problem in exc.problems]) from None


def waiver_rule_problems(catalog: Catalog, waivers: Iterable[Waiver]) -> list[Problem]:
    """A waiver must name a rule that exists (or ``*``): a typo would otherwise waive nothing, silently."""
    rule_ids = [rule.id for rule in catalog.rules] + list(BUILT_IN_FINDINGS)
    return [Problem(w.file, w.line, f"{w.key}.rule", f"unknown rule `{w.rule}`",
                    suggest(w.rule, rule_ids) or "use a rule id from the output, or *")
            for w in waivers if w.rule != "*" and w.rule not in rule_ids]


def _waivers(catalog: Catalog, config: Config | None) -> tuple[tuple[str, Waiver], ...]:
    """The waivers ``check`` applies, each with the catalog model it names; card waivers are left to ``scan``."""
    if config is None:
        return ()
    problems = waiver_rule_problems(catalog, config.waivers)
    card_rules = card_rule_ids(catalog) | {"unknown-model-reference"}  # scan-only too: a model named in code
    resolved = []
    for waiver in config.waivers:
        if waiver.rule in card_rules:
            continue  # a finding only a scanned card gets: `check` never sees it, so the waiver is not stale
        try:
            resolved.append((_resolve(catalog, waiver.model, waiver.file, waiver.line, f"{waiver.key}.model").id,
                             waiver))
        except UnknownModelError as exc:
            if not names_a_card(waiver):
                problems += [problem._replace(hint="; ".join(filter(None, (
                    problem.hint, "a waiver for a scanned card names the card's folder or README.md"))))
                    for problem in exc.problems]
        except InputError as exc:
            problems += exc.problems
    raise_if(problems)
    return tuple(resolved)


def names_a_card(waiver: Waiver) -> bool:
    """Whether a waiver's ``model`` is a card's path (``models/acme/x``, ``./x``, ``…/README.md``), not a model id.

    Catalog ids and Hub repo ids have one ``/`` at most, so a second one (or a leading ``.`` or ``/``)
    can only be a path, which only ``scan`` can match.
    """
    name = waiver.model.replace("\\", "/")
    return name.count("/") >= 2 or name.startswith((".", "/")) or name.lower().endswith("readme.md")


def card_rule_ids(catalog: Catalog) -> set[str]:
    """Findings only a scanned card can get: the unknown card, and rules reading the card's own fields."""
    return {"unknown-model-card", *(rule.id for rule in catalog.rules if "model.card_" in repr(rule.when))}


def merge_use_cases(layers: Sequence[Document], overrides: Mapping[str, Any] | None = None) -> Document:
    """Use-case layers merged key by key, each over the ones before it, then ``overrides`` (the flags) on top.

    The one precedence rule of every command: config ``use_case`` < ``--use-case`` file < batch line <
    flags. Each layer is validated on its own first, so that a problem names the file and line it is in.
    """
    problems = []
    for layer in layers:
        if layer.data is None:
            layer.data = {}
        problems += use_case_problems(layer, allow_deprecated=True)
    raise_if(problems)
    data: dict[str, Any] = {}
    for layer in layers:
        data.update(layer.data)
    data.update(overrides or {})
    top = layers[-1] if layers else Document("<flags>", {})
    return Document(top.name, data, top.lines, top.rename)


def report_for(setup: Setup, use_case: UseCase, assumed: tuple[str, ...], fail_on: str, *,
               use_case_from: Sequence[str] = ()) -> Report:
    own = {model_id: model_use_case(use_case, document) for model_id, document in setup.own_use_cases.items()}
    results = tuple(_evaluate(setup.catalog, use_case, setup.models, own))
    gate = judge(results, setup.waivers, fail_on)
    return Report(use_case, assumed, results, gate, setup.declarations,
                  setup.config.path if setup.config else None,
                  rule_descriptions=_rule_descriptions(setup.catalog), use_case_from=tuple(use_case_from),
                  obligation_rules=_obligation_rules(setup.catalog),
                  model_use_cases=own)


def model_use_case(project: UseCase, own: Document) -> UseCase:
    """A model's own use case (``models[].use_case`` in the config) merged over the project's use case."""
    base = Document("<use case>", {key: value for key, value in project.to_dict().items() if value is not None})
    merged = merge_use_cases([base, own])
    return use_case_from_dict(merged.data, source=merged.name, document=merged)


def _evaluate(catalog: Catalog, use_case: UseCase, models: Sequence[ModelEntry] | None,
              own: Mapping[str, UseCase]) -> list[Result]:
    """Every model under its use case: one evaluation per distinct use case, results in the models' order."""
    if not own or models is None:
        return catalog.evaluate(use_case, models)
    groups: dict[UseCase, list[ModelEntry]] = {}
    for model in models:
        groups.setdefault(own.get(model.id, use_case), []).append(model)
    by_id = {result.model: result for group, members in groups.items() for result in catalog.evaluate(group, members)}
    return [by_id[model.id] for model in models]


def scan_report(paths: Sequence[str], catalog: Catalog, config: Config | None, use_case: UseCase,
                assumed: tuple[str, ...], fail_on: str, *, allow_empty: bool = False,
                use_case_from: Sequence[str] = (), hub: HubClient | None = None) -> Report:
    """Map every model card under ``paths`` to ``catalog`` (see ``load_catalog``) and check each against the use case.

    A waiver's ``model`` may name a card (its README path or folder), its repo
    id, or the catalog model it maps to. Waivers apply to what is scanned: one
    naming a model or card this scan did not find is left alone (it may serve
    ``check``, or a scan of another folder), except a card path that no longer
    exists or lies under ``paths``, which is stale.
    """
    from ._scan import Mapper, find_cards, read_card, unknown_result

    waivers = config.waivers if config else ()
    raise_if(waiver_rule_problems(catalog, waivers))
    cards = [card for root in paths for path in find_cards(FsPath(root))
             if (card := read_card(path, _label(path))) is not None]
    mapper = Mapper(catalog, use_case.as_of, cards, hub)  # the tree's cards are evidence for each other's bases
    mappings = [mapper.map(card) for card in cards]
    found = discovered_results(paths, catalog, use_case)  # models named in code, configs, notebooks, SBOMs
    if not mappings and not found.results and not allow_empty:
        # A scan that found nothing checked nothing: passing would be a silent "permitted".
        raise_if([Problem(", ".join(paths), None, "", "no model card (a README.md with YAML metadata) and no model "
                          "named in code, configs or SBOMs was found",
                          "check the path, or pass --allow-empty if finding nothing is expected")])
    mapped = [m.entry for m in mappings if m.entry is not None]
    evaluated = {result.model: result for result in catalog.evaluate(use_case, mapped)} if mapped else {}
    results = tuple(evaluated[m.card.label] if m.entry is not None else unknown_result(m) for m in mappings)
    results += found.results
    names = {m.card.label: {m.card.label.lower(), m.card.label.lower().rsplit("/", 1)[0],
                            *(n.lower() for n in (m.card.repo_id, m.catalog_model) if n)} for m in mappings}
    names.update(found.names)
    pairs = [(label, w) for w in waivers for label, known in names.items() if w.model.lower().rstrip("/") in known]
    pairs += [(w.model, w) for w in waivers  # a card waiver matching no card found: stale (see _vanished)
              if not any(waiver is w for _, waiver in pairs) and _vanished(w, paths)]
    gate = judge(results, pairs, fail_on)
    declarations = {m.card.label: (Declaration(m.card.label, None, m.card.path, m.card.line),) for m in mappings}
    return Report(use_case, assumed, results, gate, declarations, config.path if config else None,
                  rule_descriptions={**_rule_descriptions(catalog), **found.rule_descriptions},
                  obligation_rules=_obligation_rules(catalog),
                  cards={m.card.label: m.to_dict() for m in mappings}, discovered=found.discovered,
                  notices=found.notices, use_case_from=tuple(use_case_from))


def discovered_results(paths: Sequence[str], catalog: Catalog, use_case: UseCase) -> Found:
    """The models named in code, configs, notebooks, container and shell files and SBOMs under ``paths``, one
    result each (see ``modelterms._discover``); kept apart from the cards so either can change alone."""
    from ._discover import Resolver, discover
    from ._discover.results import found_models

    resolver = Resolver(catalog)
    references = []
    notices = []
    for root in paths:
        discovery = discover(FsPath(root), resolver)
        references += [(FsPath(root), reference) for reference in discovery.references]
        notices += [str(notice) for notice in discovery.notices]
    return found_models(references, resolver, catalog, use_case, notices)


def _vanished(waiver: Waiver, roots: Sequence[str]) -> bool:
    """A card waiver whose card is gone: its path no longer exists, or lies under a scanned root yet was not found."""
    if not names_a_card(waiver):
        return False
    target = FsPath(waiver.model)
    if not target.exists():
        return True
    target = target.resolve()
    return any(target == root or root in target.parents for root in (FsPath(r).resolve() for r in roots))


def _label(path: FsPath) -> str:
    """A card's path as shown and as waivers name it: relative to the working directory when inside it."""
    return relative_to_cwd(path) or path.resolve().as_posix()


def _obligation_rules(catalog: Catalog) -> frozenset[str]:
    return frozenset(rule.id for rule in catalog.rules if rule.obligation)


def _rule_descriptions(catalog: Catalog) -> dict[str, str]:
    return {rule.id: rule.description for rule in catalog.rules}
