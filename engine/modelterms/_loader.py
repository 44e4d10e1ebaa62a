"""Read the four kinds of file into typed objects; validate everything before anything is used.

One loader, one validator: every problem in every file is collected and raised
together as an InputError, so a user fixes them all in one pass and nothing is
evaluated from a file that failed (fail closed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path as FsPath
from typing import Any

from ._errors import InputError, Problem
from ._model import Citation, LicensePeriod, LicenseProfile, ModelEntry, Rule, Term, Verdict
from ._paths import walk
from ._schema import suggest, validate
from ._usecase import purpose_problems, use_case_problems, vocabulary_problems
from ._yaml import Document, Path, load_file

KIND_NAMES = {"license": "license profile", "models": "model catalog", "rules": "rules",
              "use-case": "use case", "vocabulary": "vocabulary", "config": "project configuration"}
_GRANT_ORDER = ("commercial_use", "modify", "redistribute", "serve_third_parties", "train_on_outputs")
_TERM_LISTS = (("thresholds", "threshold"), ("territories", "territory"),
               ("prohibited_purposes", "purpose"), ("obligations", "obligation"))


def detect_kind(document: Document) -> str:
    """Which of the four kinds a file is, from its top-level keys (``--kind`` overrides)."""
    data = document.data
    if isinstance(data, dict):
        if _looks_like_config(data):
            return "config"
        if "rules" in data:
            return "rules"
        if "models" in data or "families" in data:
            return "models"
        if "purposes" in data and isinstance(data["purposes"], dict):
            return "vocabulary"
        if "id" in data and ("kind" in data or "grants" in data or "spdx" in data):
            return "license"
    return "use-case"


def _looks_like_config(data: dict[str, Any]) -> bool:
    if any(key in data for key in ("use_case", "policy", "exceptions")):
        return True
    items = data.get("models")
    return isinstance(items, list) and any(isinstance(i, str) or (isinstance(i, dict) and "model" in i)
                                           for i in items)


def yaml_files(root: FsPath) -> list[FsPath]:
    """The YAML files under ``root`` (or ``root`` itself), in a stable order.

    A root that is not a directory is returned as it is, so that the one reader (``_yaml.read_text``)
    says why a FIFO or a device cannot be read; a directory with nothing to read is an error.
    """
    if not root.exists():
        raise InputError([Problem(str(root), None, "", "does not exist")])
    if not root.is_dir():
        return [root]
    found = walk(root, lambda name: name.endswith((".yaml", ".yml")))
    if not found:
        raise InputError([Problem(str(root), None, "", "contains no .yaml or .yml file")])
    return found


def _document_problem(document: Document, kind: str) -> list[Problem]:
    if not isinstance(document.data, dict):
        return [document.problem((), f"must be a mapping (a {KIND_NAMES[kind]} file)")]
    return []


def profile_problems(document: Document) -> list[Problem]:
    problems = _document_problem(document, "license") or validate(document, "license")
    if problems:
        return problems
    data = document.data
    for index, clause in enumerate(data.get("prohibited_purposes", [])):
        problems += purpose_problems(document, ("prohibited_purposes", index, "tags"), clause["tags"])
    for name, grant in data.get("grants", {}).items():
        if grant["value"] == "conditional" and "condition" not in grant:
            problems.append(document.problem(("grants", name), "is conditional but gives no `condition`",
                                             "add `condition:` saying what the license requires"))
    return problems


def build_profile(document: Document) -> LicenseProfile:
    data = document.data
    terms = [Term("license", {}, Citation(data["id"], "whole document", data["url"]))]
    for name in _GRANT_ORDER:
        grant = data.get("grants", {}).get(name)
        if grant is not None:
            fields = {"name": name, "value": grant["value"], "condition": grant.get("condition"),
                      "summary": grant["summary"], "excludes_competitors": grant.get("excludes_competitors", False)}
            terms.append(Term("grant", fields, _citation(data["id"], grant["cite"])))
    for key, subject in _TERM_LISTS:
        for item in data.get(key, []):
            fields = {name: value for name, value in item.items() if name != "cite"}
            if subject == "territory":
                fields.setdefault("modality", None)
                fields.setdefault("remedy", None)
            elif subject == "threshold":
                fields.setdefault("commercial_only", False)
                fields.setdefault("measured", None)
                fields.setdefault("remedy", None)
            elif subject == "obligation":
                fields.setdefault("text", None)
                fields.setdefault("policy", None)
                # The exact words a license prescribes ("Built with Llama", Falcon 180B's derivative statement)
                # are shown, not only described: added to messages unless the summary already quotes them.
                text = fields["text"]
                fields["wording"] = f' Required wording: "{text}".' if text and text not in fields["summary"] else ""
            terms.append(Term(subject, fields, _citation(data["id"], item["cite"])))
    return LicenseProfile(id=data["id"], name=data["name"], kind=data["kind"], url=data["url"],
                          data=data, terms=tuple(terms), source=document.name)


def _citation(license_id: str, cite: dict[str, str]) -> Citation:
    return Citation(license_id, str(cite["section"]), cite["url"])


def catalog_entries(document: Document) -> Iterator[tuple[Path, dict[str, Any], str | None]]:
    """``(key path, merged fields, family id)`` for every model a catalog file defines.

    A family states shared fields and one license history for many members;
    each member is an explicit id (never a pattern, so that a later release
    with other terms is never swallowed) and any field it gives replaces the
    family's. The key path points at the member, so problems name its line.
    """
    data = document.data
    for index, model in enumerate(data.get("models", [])):
        yield ("models", index), model, None
    for number, family in enumerate(data.get("families", [])):
        shared = {key: value for key, value in family.items() if key not in ("family", "members", "name")}
        for index, member in enumerate(family["members"]):
            merged = {**shared, "name": member["id"].split("/", 1)[1], **member}
            yield ("families", number, "members", index), merged, family["family"]


def _history_path(where: Path, entry: dict[str, Any], document: Document) -> Path:
    """Where an entry's license history is written: the member's own, or its family's."""
    if where[0] == "families" and "licenses" not in document.data["families"][where[1]]["members"][where[3]]:
        return ("families", where[1], "licenses")
    return (*where, "licenses")


def catalog_problems(document: Document) -> list[Problem]:
    problems = _document_problem(document, "models") or validate(document, "models")
    if problems:
        return problems
    histories: dict[Path, list[dict[str, Any]]] = {}
    for where, entry, _ in catalog_entries(document):
        histories.setdefault(_history_path(where, entry, document), entry["licenses"])
    for where, history in histories.items():
        previous_until: str | None = ""
        for number, period in enumerate(history):
            at = (*where, number)
            until = period.get("until")
            if until is not None and until <= period["from"]:
                problems.append(document.problem((*at, "until"), "must come after `from`"))
            if previous_until is None:
                problems.append(document.problem((*at, "from"), "follows a period that never ends",
                                                 "give the previous period an `until`"))
            elif previous_until and period["from"] < previous_until:
                problems.append(document.problem((*at, "from"), "overlaps the previous period",
                                                 "periods are listed oldest first and must not overlap"))
            previous_until = until
    families: dict[str, int] = {}
    for number, family in enumerate(document.data.get("families", [])):
        if families.setdefault(family["family"], number) != number:
            problems.append(document.problem(("families", number, "family"),
                                             f"family `{family['family']}` is defined twice",
                                             f"also at families[{families[family['family']]}]"))
    return problems


def build_models(document: Document) -> list[ModelEntry]:
    out = []
    for where, item, family in catalog_entries(document):
        periods = tuple(
            LicensePeriod(tuple(p["licenses"]), p["from"], p.get("until"), p.get("access"), p["source"])
            for p in item["licenses"]
        )
        out.append(ModelEntry(
            id=item["id"], name=item["name"], vendor=item["vendor"], aliases=tuple(item.get("aliases", [])),
            access=item["access"], modalities=tuple(item["modalities"]), released=item["released"],
            periods=periods, data=item, source=document.name, family=family, where=where,
        ))
    return out


def rules_problems(document: Document) -> list[Problem]:
    problems = _document_problem(document, "rules") or validate(document, "rules")
    if problems:
        return problems
    from ._compiler import compile_rules

    rules = build_rules(document, "check")
    locations = {rule.id: ("rules", index) for index, rule in enumerate(rules)}
    seen: dict[str, int] = {}
    for index, rule in enumerate(rules):
        if rule.id in seen:
            problems.append(document.problem(("rules", index, "id"), f"rule `{rule.id}` is defined twice",
                                             f"also at rules[{seen[rule.id]}]"))
        seen.setdefault(rule.id, index)
    return problems + compile_rules(rules, {document.name: document}, locations)[1]


def build_rules(document: Document, origin: str) -> list[Rule]:
    return [
        Rule(id=item["id"], description=item["description"], subject=item["subject"], when=tuple(item["when"]),
             verdict=Verdict(item["verdict"]), message=item["message"], cite=item["cite"],
             remedy=item.get("remedy"), obligation=item.get("obligation"), source=document.name, origin=origin)
        for item in document.data["rules"]
    ]


def problems_for(document: Document, kind: str) -> list[Problem]:
    """Every structural and vocabulary problem of one file of ``kind``."""
    if kind == "license":
        return profile_problems(document)
    if kind == "models":
        return catalog_problems(document)
    if kind == "rules":
        return rules_problems(document)
    if kind == "vocabulary":
        return vocabulary_problems(document)
    if kind == "config":
        return _document_problem(document, "config") or validate(document, "config")
    if document.data is None:
        return []
    return _document_problem(document, "use-case") or use_case_problems(document)


@dataclass
class Sources:
    """Everything read from disk for one catalog, before cross-file checks."""

    profiles: dict[str, LicenseProfile] = field(default_factory=dict)
    models: dict[str, ModelEntry] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    rule_paths: dict[str, Path] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def read(self, path: FsPath, expect: Sequence[str], origin: str) -> None:
        try:
            document = load_file(str(path))
        except InputError as exc:
            self.problems += exc.problems
            return
        self.accept(document, expect, origin)

    def accept(self, document: Document, expect: Sequence[str], origin: str) -> None:
        """Validate one parsed document and add what it defines."""
        kind = detect_kind(document)
        if kind == "vocabulary":
            return
        if kind not in expect:
            wanted = " or ".join(KIND_NAMES[name] for name in expect)
            self.problems.append(document.problem((), f"looks like a {KIND_NAMES[kind]}, not a {wanted}"))
            return
        problems = problems_for(document, kind)
        self.problems += problems
        if problems:
            return
        self.documents[document.name] = document
        if kind == "license":
            self.add(self.profiles, build_profile(document), document, origin, "license")
        elif kind == "models":
            for model in build_models(document):
                self.add(self.models, model, document, origin, "model", (*model.where, "id"))
        else:
            for index, rule in enumerate(build_rules(document, origin)):
                self.add(self.rules, rule, document, origin, "rule", ("rules", index, "id"))
                self.rule_paths[rule.id] = ("rules", index)

    def add(self, table: dict[str, Any], item: Any, document: Document, origin: str, what: str,
            where: Path = ("id",)) -> None:
        previous = table.get(item.id)
        if previous is not None and origin == "policy":
            # Policies only add: a later policy reusing an id would otherwise cancel an earlier one.
            other = "a license rule" if previous.origin != "policy" else f"a policy rule already defined in " \
                f"{previous.source}"
            self.problems.append(document.problem(where, f"policy rule `{item.id}` has the id of {other}",
                                                  "rename it: a policy adds findings, it cannot replace a rule"))
            return
        if previous is not None:
            if previous.source in self.documents and origin == "bundled":
                self.problems.append(document.problem(where, f"{what} `{item.id}` is defined twice",
                                                      f"also in {previous.source}"))
                return
            self.notices.append(f"notice: {document.name}: {what} `{item.id}` overrides the one in {previous.source}")
        table[item.id] = item

    def cross_check(self) -> None:
        """Problems only visible across files: dangling license and policy ids, clashing aliases."""
        for source in sorted({model.source for model in self.models.values()}):
            self.problems += _dangling_licenses(self.documents[source], set(self.profiles))
        for profile in self.profiles.values():
            self.problems += _dangling_policies(self.documents[profile.source], set(self.profiles))
        claimed: dict[tuple[str, str], str] = {}
        for profile in self.profiles.values():  # in reading order: bundled first, so a user profile is the one blamed
            for index, item in enumerate(profile.data.get("huggingface", [])):
                key = (str(item["license"]).lower(), str(item.get("license_name", "")).lower())
                owner = claimed.setdefault(key, profile.id)
                if owner != profile.id:  # a card naming this key would map to whichever profile came last
                    shown = key[0] + (f" / {key[1]}" if key[1] else "")
                    self.problems.append(self.documents[profile.source].problem(
                        ("huggingface", index), f"the Hugging Face key `{shown}` is already claimed by profile "
                        f"`{owner}` ({self.profiles[owner].source})",
                        "a key names one license: drop it here, or override that profile by giving this one its id"))
        names: dict[str, str] = {}
        families: dict[str, str] = {}
        for model in self.models.values():
            document = self.documents[model.source]
            for name in (model.id, *model.aliases):
                owner = names.setdefault(name.lower(), model.id)
                if owner != model.id:
                    self.problems.append(document.problem((*model.where, "aliases"),
                                                          f"`{name}` already names model {owner}"))
            if model.family is not None and families.setdefault(model.family, model.source) != model.source:
                self.problems.append(document.problem((*model.where[:2], "family"),
                                                      f"family `{model.family}` is also defined in "
                                                      f"{families[model.family]}", "give it another id"))


def read_sources(license_roots: Iterable[tuple[FsPath, str]],
                 rule_roots: Iterable[tuple[FsPath | Document, str]]) -> Sources:
    """Everything under the roots, in order; a rule root may be an already-parsed document (inline policy)."""
    sources = Sources()
    for root, origin in license_roots:
        for path in _files(root, sources):
            sources.read(path, ("license", "models"), origin)
    for rule_root, origin in rule_roots:
        if isinstance(rule_root, Document):
            sources.accept(rule_root, ("rules",), origin)
            continue
        for path in _files(rule_root, sources):
            sources.read(path, ("rules",), origin)
    sources.cross_check()
    return sources


def _files(root: FsPath, sources: Sources) -> Iterator[FsPath]:
    try:
        yield from yaml_files(root)
    except InputError as exc:
        sources.problems += exc.problems


def validate_paths(paths: Iterable[str], kind: str | None = None) -> list[tuple[str, str, list[Problem]]]:
    """``(file, kind, problems)`` for every YAML file under ``paths``: what ``modelterms validate`` prints."""
    out = []
    known_licenses = _bundled_license_ids()
    checked: list[tuple[Document, str, int]] = []
    for root in paths:
        try:
            files = yaml_files(FsPath(root))
        except InputError as exc:
            out.append((root, "?", list(exc.problems)))
            continue
        for path in files:
            try:
                if path.suffix == ".toml":
                    from ._config import load_config

                    load_config(path)
                    out.append((str(path), "config", []))
                    continue
                document = load_file(str(path))
            except InputError as exc:
                out.append((str(path), "?", list(exc.problems)))
                continue
            detected = kind or detect_kind(document)
            problems = problems_for(document, detected)
            out.append((str(path), detected, problems))
            if detected == "license" and not problems:
                known_licenses.add(document.data["id"])
            checked.append((document, detected, len(out) - 1))
    for document, detected, index in checked:
        if detected == "models" and not out[index][2]:
            out[index][2].extend(_dangling_licenses(document, known_licenses))
        elif detected == "license" and not out[index][2]:
            out[index][2].extend(_dangling_policies(document, known_licenses))
    return out


def _bundled_license_ids() -> set[str]:
    """The ids of the bundled profiles, which a user's catalog file may name (a fresh set: callers add to it)."""
    return set(_read_bundled_license_ids())


@cache
def _read_bundled_license_ids() -> frozenset[str]:
    # Read once per process: the bundled files do not change under a running program, and parsing a
    # thousand-model catalog for every `validate` call would cost seconds.
    from ._paths import bundled_licenses

    ids = set()
    for path in yaml_files(bundled_licenses()):
        if path.parent.name == "models":
            continue  # catalog files name licenses; they define none
        try:
            document = load_file(str(path))
        except InputError:
            continue
        if detect_kind(document) == "license" and isinstance(document.data.get("id"), str):
            ids.add(document.data["id"])
    return frozenset(ids)


def _dangling_licenses(document: Document, known: set[str]) -> list[Problem]:
    problems = []
    histories = {_history_path(where, entry, document): entry["licenses"]
                 for where, entry, _ in catalog_entries(document)}
    for where, history in histories.items():
        for number, period in enumerate(history):
            for position, license_id in enumerate(period["licenses"]):
                if license_id not in known:
                    problems.append(document.problem(
                        (*where, number, "licenses", position),
                        f"names license `{license_id}`, which has no profile",
                        suggest(license_id, list(known)) or "add licenses/<id>.yaml"))
    return problems


def _dangling_policies(document: Document, known: set[str]) -> list[Problem]:
    """An obligation's ``policy:`` must name a profile: a typo would silently list the policy twice."""
    return [document.problem(("obligations", index, "policy"), f"names policy `{item['policy']}`, which has no profile",
                             suggest(item["policy"], list(known)) or "add licenses/<id>.yaml or remove `policy:`")
            for index, item in enumerate(document.data.get("obligations", []))
            if item.get("policy") is not None and item["policy"] not in known]
