"""What shipping or serving models obliges, as the files a product carries: NOTICE and LICENSES.md.

Nothing here knows a license. The models are evaluated through the rules like any check; an obligation of a
profile (``obligations:`` with ``type``, ``trigger``, ``text``, ``summary``, ``cite``) is part of the notice
exactly when the evaluation produced a finding for it: a finding citing the obligation's clause and stating
its summary. Which trigger fires for which use case is therefore decided by the rules, once, as everywhere
else. The exact strings (``text:``, such as "Built with Llama") are copied from the profile, never rewritten.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._catalog import Catalog
from ._model import Citation, LicenseProfile, ModelEntry, Result, Term, UseCase, Verdict

#: obligation types, by the part of the notice they belong to
ATTRIBUTION, NAMING, INCLUDE_LICENSE, NOTICE, ACCEPTABLE_USE = (
    "attribution", "naming", "include_license", "notice", "acceptable_use")


@dataclass(frozen=True)
class Requirement:
    """One obligation of one license document that the use case sets off."""

    license: str
    type: str
    """attribution | naming | include_license | pass_through | notice | registration | acceptable_use | other"""
    trigger: str
    text: str | None
    """The exact string the license prescribes (an attribution line, a naming prefix, a notice), when it gives one."""
    summary: str
    citation: Citation
    policy: str | None
    """The acceptable-use policy this clause incorporates, if any (a profile id)."""
    models: tuple[str, ...]
    """The chosen models this applies to."""

    def to_dict(self) -> dict[str, Any]:
        return {"license": self.license, "type": self.type, "trigger": self.trigger, "text": self.text,
                "summary": self.summary, "citation": self.citation.to_dict(), "policy": self.policy,
                "models": list(self.models)}


@dataclass(frozen=True)
class Document:
    """A license or policy document in force for some of the chosen models."""

    id: str
    name: str
    url: str
    kind: str
    copy_required: bool
    """An ``include_license`` obligation of this document applies: ship its text."""
    policy: bool
    """An acceptable-use policy (or other incorporated terms) to pass on to users and recipients."""
    models: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "url": self.url, "kind": self.kind,
                "copy_required": self.copy_required, "policy": self.policy, "models": list(self.models)}


@dataclass(frozen=True)
class Notice:
    """What the chosen models oblige for one use case: every requirement once, and every document in force."""

    use_case: UseCase
    results: tuple[Result, ...]
    requirements: tuple[Requirement, ...]
    documents: tuple[Document, ...]

    def of_type(self, *types: str) -> list[Requirement]:
        return [item for item in self.requirements if item.type in types]

    @property
    def attributions(self) -> list[Requirement]:
        return self.of_type(ATTRIBUTION)

    @property
    def notices(self) -> list[Requirement]:
        """Notices to keep, and license lines the license gives word for word (``include_license`` with a text)."""
        return [item for item in self.requirements
                if item.type == NOTICE or (item.type == INCLUDE_LICENSE and item.text)]

    @property
    def naming(self) -> list[Requirement]:
        return self.of_type(NAMING)

    @property
    def others(self) -> list[Requirement]:
        """Every other condition (pass-through, registration, acceptable use, ...): what the product must do."""
        return [item for item in self.requirements
                if item.type not in (ATTRIBUTION, NAMING, NOTICE, INCLUDE_LICENSE)]

    @property
    def not_cleared(self) -> list[Result]:
        """Models the use case may not use at all: a notice does not make them usable."""
        return [result for result in self.results if result.verdict == Verdict.FORBIDDEN]

    def to_dict(self) -> dict[str, Any]:
        from ._report import version_keys

        return {**version_keys(),
                "use_case": self.use_case.to_dict(),
                "models": [{"model": r.model, "model_name": r.model_name, "licenses": list(r.licenses),
                            "verdict": r.verdict.value} for r in self.results],
                "requirements": [item.to_dict() for item in self.requirements],
                "documents": [item.to_dict() for item in self.documents]}


def _words(text: str) -> str:
    return " ".join(str(text).split())


def applies(term: Term, result: Result) -> bool:
    """Whether the evaluation set this obligation off: a finding cites its clause and states its summary."""
    summary = _words(term.fields.get("summary") or "")
    return bool(summary) and any(finding.citation == term.citation and summary in finding.message
                                 for finding in result.findings)


def _profiles(catalog: Catalog, result: Result) -> list[LicenseProfile]:
    return [catalog.licenses[license_id] for license_id in result.licenses if license_id in catalog.licenses]


def notice(catalog: Catalog, use_case: UseCase, models: Sequence[str | ModelEntry]) -> Notice:
    """The notice for shipping or serving ``models`` under ``use_case``.

    Raises UnknownModelError (naming every unknown model) before anything is evaluated.
    """
    results = catalog.evaluate(use_case, list(models))
    found: dict[tuple[Any, ...], Requirement] = {}
    copies: set[str] = set()
    policies: set[str] = set()
    users: dict[str, list[str]] = {}
    for result in results:
        for position, profile in enumerate(_profiles(catalog, result)):
            users.setdefault(profile.id, []).append(result.model)
            if position:  # the documents after the license are the policies and terms it incorporates
                policies.add(profile.id)
            for term in profile.terms:
                if term.subject != "obligation" or not applies(term, result):
                    continue
                fields = term.fields
                key = (profile.id, fields["type"], _words(fields.get("text") or ""), _words(fields["summary"]))
                previous = found.get(key)
                chosen = (*previous.models, result.model) if previous else (result.model,)
                found[key] = Requirement(profile.id, str(fields["type"]), str(fields["trigger"]),
                                         fields.get("text"), _words(fields["summary"]), term.citation,
                                         fields.get("policy"), chosen)
                if fields["type"] == INCLUDE_LICENSE:
                    copies.add(profile.id)
                if fields.get("policy"):
                    policies.add(str(fields["policy"]))
    documents = []
    for license_id, names in users.items():
        document = catalog.licenses[license_id]
        documents.append(Document(document.id, document.name, document.url, document.kind, document.id in copies,
                                  document.id in policies, tuple(dict.fromkeys(names))))
    for policy in sorted(policies - set(users)):  # a policy named by a clause but not itself in force
        named = catalog.licenses.get(policy)
        if named is not None:
            documents.append(Document(named.id, named.name, named.url, named.kind, False, True, ()))
    return Notice(use_case, tuple(results), tuple(found.values()), tuple(documents))


def write_files(directory: str, files: Mapping[str, str], *, force: bool = False) -> list[str]:
    """Write ``files`` (name -> text) into ``directory``, creating it; the paths written.

    Nothing is written unless every file can be: an existing file is replaced only with ``force``, and
    never when it (or the folder) is a symbolic link, a device or read-only (see _output.check_target).
    """
    from ._errors import InputError, Problem
    from ._output import check_target, report_file

    try:
        folder = os.lstat(directory)
    except FileNotFoundError:
        folder = None
    if folder is not None and not stat.S_ISDIR(folder.st_mode):
        kind = "a symbolic link" if stat.S_ISLNK(folder.st_mode) else "not a folder"
        raise InputError([Problem(directory, None, "", f"is {kind}; nothing was written",
                                  "give the path of a folder; a missing one is created")])
    if folder is None:
        try:
            os.makedirs(directory)
        except OSError as exc:
            raise InputError([Problem(directory, None, "", f"cannot be created ({exc.strerror})",
                                      "choose another folder")]) from None
    paths = [os.path.join(directory, name) for name in files]
    existing = [path for path in paths if check_target(path) is not None]
    if existing and not force:
        raise InputError([Problem(path, None, "", "already exists; nothing was written",
                                  "use --force to replace it") for path in existing])
    for path, text in zip(paths, files.values(), strict=True):
        with report_file(path) as handle:
            handle.write(text)
    return paths
