"""SARIF 2.1.0 for code-scanning UIs: each finding that needs attention points at the config line declaring the model
(for ``scan``: at every line of code, config or SBOM where the model was found).

Levels are what code scanning should make of a finding: ``error`` for what is
forbidden, ``warning`` for a restriction that asks for a decision, ``note`` for an
obligation to keep. Each rule is described once, sorted by id, with its own
description as help. Permitted findings are not results (they need no action). A waived finding is
a result with an accepted external suppression, so dashboards show it as
dismissed with its reason. Expired and stale waivers are results at the
waiver's own line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._config import Waiver
from .._model import Finding, Result, Verdict
from .._report import Report
from ._common import clause, level
from .github import repository_path, repository_root

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_WAIVER_RULES = {
    "waiver-expired": "A waiver in the project config has expired; the finding it covered fails the check again.",
    "waiver-stale": "A waiver in the project config matches no finding; it can be removed.",
}


def _uri(path: str) -> str:
    """Relative to the repository root (``%SRCROOT%``), as code scanning resolves it; absolute when outside."""
    return repository_path(path) or Path(path).resolve().as_uri()


def _level(report: Report, finding: Finding) -> str:
    """What GitHub code scanning should make of a finding: ``error`` for what is forbidden, ``warning`` for a
    restriction that asks for a decision (a figure to state, a card to correct, a profile to review), ``note``
    for an obligation to keep (the rule states an ``obligation``: attribution, a cap, a condition)."""
    if finding.verdict == Verdict.RESTRICTED and finding.rule in report.obligation_rules:
        return "note"
    return level(finding.verdict)


def _fingerprint(result: Result, finding: Finding) -> str:
    citation = finding.citation
    return f"{result.model}:{finding.rule}:{citation.license}:{citation.section}"


def _descriptor(rule_id: str, description: str, cited: set[str], default_level: str) -> dict[str, Any]:
    """A rule as code scanning lists it: its own description as help, and a helpUri only when every result
    of the rule cites one and the same document (a generic rule that fired for several licenses links none)."""
    text = " ".join(description.split()) or rule_id
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.replace("_", "-").split("-")),
        "shortDescription": {"text": text.split(". ")[0].rstrip(".") + "."},
        "fullDescription": {"text": text},
        "help": {"text": f"{text} Each result names the model, the license and the clause, and how to act on it.",
                 "markdown": f"{text}\n\nEach result names the model, the license and the clause, and how to act on "
                             "it. The rule language is described in docs/rules.md of modelterms."},
        "defaultConfiguration": {"level": default_level},
    }
    if len(cited) == 1:
        descriptor["helpUri"] = next(iter(cited))
    return descriptor


def _location(file: str, line: int | None) -> dict[str, Any]:
    uri = _uri(file)
    artifact: dict[str, Any] = {"uri": uri}
    if not uri.startswith("file:"):
        artifact["uriBaseId"] = "%SRCROOT%"
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if line:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _finding_result(report: Report, result: Result, finding: Finding) -> dict[str, Any]:
    where = report.where(result)
    text = (f"{report.label(result)} ({result.license or 'no license in force'}): {finding.message} "
            f"[{clause(finding)}]" + (f" Used in: {where}." if where else "")
            + (f" Remedy: {finding.remedy}" if finding.remedy else ""))
    entry: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _level(report, finding),
        "message": {"text": text},
        "properties": {"model": result.model, "verdict": finding.verdict.value, "source": finding.source,
                       "license": finding.citation.license, "section": finding.citation.section,
                       "citation": finding.citation.url},
        "partialFingerprints": {"modelterms/v1": _fingerprint(result, finding)},
    }
    locations = report.locations(result)  # every place a scan found the model, else the config line declaring it
    if locations:
        entry["locations"] = [_location(file, line) for file, line in locations]
    waiver = report.gate.waiver_for(result.model, finding)
    if waiver is not None:
        entry["suppressions"] = [{"kind": "external", "status": "accepted",
                                  "justification": f"{waiver.reason} (approved by {waiver.approved_by}, "
                                                   f"expires {waiver.expires})",
                                  "location": _location(waiver.file, waiver.line)}]
    return entry


def _waiver_result(rule: str, waiver: Waiver, message: str) -> dict[str, Any]:
    return {"ruleId": rule, "level": "error" if rule == "waiver-expired" else "note",
            "message": {"text": message}, "locations": [_location(waiver.file, waiver.line)],
            "partialFingerprints": {"modelterms/v1": f"{rule}:{waiver.model}:{waiver.rule}:{waiver.line}"}}


def render(report: Report, *, color: bool = False) -> str:
    from .. import __version__

    results: list[dict[str, Any]] = []
    cited: dict[str, set[str]] = {}
    levels: dict[str, str] = {}
    for result in report.results:
        for finding in result.findings:
            if finding.verdict == Verdict.PERMITTED:
                continue
            results.append(_finding_result(report, result, finding))
            cited.setdefault(finding.rule, set()).add(finding.citation.url)
            levels[finding.rule] = _level(report, finding)
    gate = report.gate
    for _, waiver in gate.expired:
        results.append(_waiver_result("waiver-expired", waiver,
                                      f"The waiver for {waiver.model} ({waiver.rule}) expired on {waiver.expires}."))
    for waiver in gate.stale:
        results.append(_waiver_result("waiver-stale", waiver,
                                      f"The waiver for {waiver.model} ({waiver.rule}) matches no finding."))
    for rule_id in _WAIVER_RULES:
        if any(entry["ruleId"] == rule_id for entry in results):
            cited[rule_id] = set()
            levels[rule_id] = "error" if rule_id == "waiver-expired" else "note"
    descriptions = {**report.rule_descriptions, **_WAIVER_RULES}
    rule_ids = sorted(cited)  # by id, so that the list (and every ruleIndex) does not depend on the order met
    rules = [_descriptor(rule_id, descriptions.get(rule_id, ""), cited[rule_id], levels[rule_id])
             for rule_id in rule_ids]
    for entry in results:
        entry["ruleIndex"] = rule_ids.index(entry["ruleId"])
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "modelterms", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": repository_root().as_uri() + "/"}},
        "results": results,
        "properties": {"passed": gate.passed, "fail_on": gate.fail_on, "as_of": report.use_case.as_of},
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
