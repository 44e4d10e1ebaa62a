"""``modelterms verify``: run a policy's own cases, as ``conftest verify`` runs a policy's tests.

A policy file may carry ``cases:`` beside its ``rules:``. Each case names a
model, a use case and the verdict the catalog must give with the policy
loaded, and may list rule ids that must (``fires``) or must not (``absent``)
be among the findings. The cases travel with the policy, so whoever edits the
policy sees at once what it was meant to decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ._catalog import Catalog
from ._errors import InputError, Problem, raise_if
from ._loader import yaml_files
from ._usecase import use_case_from_dict
from ._yaml import Document, load_file


@dataclass(frozen=True)
class CaseOutcome:
    """One policy case and what the evaluation gave."""

    file: str
    """The policy file the case is written in."""
    name: str
    """The case's own name."""
    model: str
    """The model the case evaluates."""
    expected: str
    """The verdict the case expects."""
    verdict: str
    """The verdict the evaluation gave."""
    missing: tuple[str, ...]
    """Rule ids the case says must fire and did not."""
    unexpected: tuple[str, ...]
    """Rule ids the case says must not fire and did."""

    @property
    def passed(self) -> bool:
        return self.verdict == self.expected and not self.missing and not self.unexpected


def verify_policies(paths: Sequence[str | Path], *, licenses: Sequence[str | Path] = (),
                    rules: Sequence[str | Path] = ()) -> list[CaseOutcome]:
    """Every case of every policy file under ``paths``, each evaluated with that file's rules loaded.

    Raises InputError when a file is invalid, names an unknown model, or has
    no cases at all: a policy with nothing to verify must not pass as verified.
    """
    documents: list[tuple[Path, Document]] = []
    for root in paths:
        for path in yaml_files(Path(root)):
            documents.append((path, load_file(str(path))))
    problems = [Problem(str(path), None, "cases", "has no cases to verify",
                        "add `cases:` beside `rules:` (see the README, 'Testing a policy')")
                for path, document in documents
                if not (isinstance(document.data, dict) and document.data.get("cases"))]
    raise_if(problems)
    outcomes: list[CaseOutcome] = []
    for path, document in documents:
        catalog = Catalog.load(licenses=licenses, rules=rules, policies=[path])
        for index, case in enumerate(document.data["cases"]):
            where = ("cases", index)
            use = use_case_from_dict(case.get("use") or {}, source=f"{path}:cases[{index}].use")
            try:
                (result,) = catalog.evaluate(use, [case["model"]])
            except InputError as exc:  # an unknown model: name the case's line, not a command-line flag
                raise_if([document.problem((*where, "model"), p.message, p.hint) for p in exc.problems])
                raise
            fired = {finding.rule for finding in result.findings}
            outcomes.append(CaseOutcome(
                str(path), case["name"], case["model"], case["expect"], result.verdict.value,
                tuple(rule for rule in case.get("fires", ()) if rule not in fired),
                tuple(rule for rule in case.get("absent", ()) if rule in fired)))
    return outcomes
