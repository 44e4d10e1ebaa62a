"""One check from start to finish: config, catalog and policies, models, waivers, evaluation, gate.

``check``, ``check --batch`` and ``scan`` all go through here, so a project
config, a policy or a waiver means the same thing in every command.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path as FsPath
from typing import NamedTuple

from ._catalog import NO_LICENSE_IN_FORCE, Catalog
from ._config import Config, Declaration, Waiver
from ._errors import InputError, Problem, UnknownModelError, raise_if
from ._gate import judge
from ._model import ModelEntry, UseCase
from ._report import Report
from ._schema import suggest
from ._yaml import Document

#: Finding ids made outside the rule files, which a waiver may name.
BUILT_IN_FINDINGS = (NO_LICENSE_IN_FORCE, "unknown-model-card", "card-license-conflict")


class Setup(NamedTuple):
    """Everything a check needs except the use case; built once, reused for every batch line."""

    catalog: Catalog
    config: Config | None
    models: tuple[ModelEntry, ...] | None
    declarations: dict[str, tuple[Declaration, ...]]
    waivers: tuple[tuple[str, Waiver], ...]


def load_setup(config: Config | None, models: Sequence[str] = (), licenses: Sequence[str] = (),
               rules: Sequence[str] = (), policies: Sequence[str] = ()) -> Setup:
    """Load the catalog with the config's and the command line's policies, and resolve every model name.

    ``models`` from the command line replace the config's declarations; with
    neither, the whole catalog is checked. Every name (declared, given or
    waived) must be in the catalog: a typo is an error naming the config line.
    """
    policy_sources: list[str | FsPath | Document] = list(policies)
    if config is not None:
        policy_sources = [*config.policy_files, *([config.inline_policy] if config.inline_policy else []),
                          *policy_sources]
        missing = [path for path in config.policy_files if not path.exists()]
        raise_if([Problem(config.path, None, "policy", f"policy file {path} does not exist",
                          "paths are relative to the config file") for path in missing])
    catalog = Catalog.load(licenses=licenses, rules=rules, policies=policy_sources)
    declarations: dict[str, list[Declaration]] = {}
    chosen: list[ModelEntry] | None = None
    if models:
        chosen = _unique(catalog.find_model(name) for name in models)
    elif config is not None:
        if not config.models:
            raise_if([Problem(config.path, None, "models", "declares no models",
                              "add `models: [{model: <catalog id>}]` or pass --model")])
        entries = [_resolve(catalog, d.model, d.file, d.line, d.key) for d in config.models]
        chosen = _unique(entries)
        for entry, declaration in zip(entries, config.models, strict=True):
            declarations.setdefault(entry.id, []).append(declaration)
    waivers = _waivers(catalog, config)
    return Setup(catalog, config, None if chosen is None else tuple(chosen),
                 {key: tuple(value) for key, value in declarations.items()}, waivers)


def _unique(entries: Iterable[ModelEntry]) -> list[ModelEntry]:
    seen: dict[str, ModelEntry] = {}
    for entry in entries:
        seen.setdefault(entry.id, entry)
    return list(seen.values())


def _resolve(catalog: Catalog, name: str, file: str, line: int | None, key: str) -> ModelEntry:
    try:
        return catalog.find_model(name)
    except UnknownModelError as exc:
        hint = exc.problems[0].hint
        raise UnknownModelError([Problem(file, line, key, f"unknown model `{name}`", hint)]) from None


def _waivers(catalog: Catalog, config: Config | None) -> tuple[tuple[str, Waiver], ...]:
    if config is None:
        return ()
    rule_ids = [rule.id for rule in catalog.rules] + list(BUILT_IN_FINDINGS)
    problems, resolved = [], []
    for waiver in config.waivers:
        if waiver.rule != "*" and waiver.rule not in rule_ids:
            problems.append(Problem(waiver.file, waiver.line, f"{waiver.key}.rule", f"unknown rule `{waiver.rule}`",
                                    suggest(waiver.rule, rule_ids) or "use a rule id from the output, or *"))
            continue
        try:
            resolved.append((_resolve(catalog, waiver.model, waiver.file, waiver.line, f"{waiver.key}.model").id,
                             waiver))
        except InputError as exc:
            problems += exc.problems
    raise_if(problems)
    return tuple(resolved)


def report_for(setup: Setup, use_case: UseCase, assumed: tuple[str, ...], fail_on: str) -> Report:
    results = tuple(setup.catalog.evaluate(use_case, setup.models))
    gate = judge(results, setup.waivers, fail_on)
    return Report(use_case, assumed, results, gate, setup.declarations,
                  setup.config.path if setup.config else None,
                  rule_descriptions={rule.id: rule.description for rule in setup.catalog.rules})
