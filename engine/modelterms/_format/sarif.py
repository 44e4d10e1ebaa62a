"""SARIF 2.1.0 for code-scanning UIs: each finding that needs attention points at the config line declaring the model
(for ``scan``: at every line of code, config or SBOM where the model was found).

Permitted findings are not results (they need no action). A waived finding is
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
from .._paths import relative_to_cwd
from .._report import Report
from ._common import clause, level

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_WAIVER_RULES = {
    "waiver-expired": "A waiver in the project config has expired; the finding it covered fails the check again.",
    "waiver-stale": "A waiver in the project config matches no finding; it can be removed.",
}


def _uri(path: str) -> str:
    return relative_to_cwd(path) or Path(path).resolve().as_uri()


def _location(file: str, line: int | None) -> dict[str, Any]:
    uri = _uri(file)
    artifact: dict[str, Any] = {"uri": uri}
    if not uri.startswith("file:"):
        artifact["uriBaseId"] = "%SRCROOT%"
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if line:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _finding_result(report: Report, result: Result, finding: Finding, rule_index: int) -> dict[str, Any]:
    where = report.where(result)
    text = (f"{report.label(result)} ({result.license or 'no license in force'}): {finding.message} "
            f"[{clause(finding)}]" + (f" Used in: {where}." if where else "")
            + (f" Remedy: {finding.remedy}" if finding.remedy else ""))
    entry: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": level(finding.verdict),
        "message": {"text": text},
        "properties": {"model": result.model, "verdict": finding.verdict.value, "source": finding.source,
                       "license": finding.citation.license, "section": finding.citation.section,
                       "citation": finding.citation.url},
        "partialFingerprints": {"modelterms/v1": f"{result.model}:{finding.rule}:{finding.citation.license}"},
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


def _waiver_result(rule: str, waiver: Waiver, rule_index: int, message: str) -> dict[str, Any]:
    return {"ruleId": rule, "ruleIndex": rule_index, "level": "error" if rule == "waiver-expired" else "note",
            "message": {"text": message}, "locations": [_location(waiver.file, waiver.line)]}


def render(report: Report, *, color: bool = False) -> str:
    from .. import __version__

    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []

    def index_of(rule_id: str, description: str, help_uri: str | None = None) -> int:
        if rule_id not in rules:
            descriptor: dict[str, Any] = {"id": rule_id, "shortDescription": {"text": description or rule_id}}
            if help_uri:
                descriptor["helpUri"] = help_uri
            rules[rule_id] = descriptor
        return list(rules).index(rule_id)

    for result in report.results:
        for finding in result.findings:
            if finding.verdict == Verdict.PERMITTED:
                continue
            index = index_of(finding.rule, report.rule_descriptions.get(finding.rule, ""), finding.citation.url)
            results.append(_finding_result(report, result, finding, index))
    gate = report.gate
    for _, waiver in gate.expired:
        results.append(_waiver_result("waiver-expired", waiver, index_of("waiver-expired", _WAIVER_RULES[
            "waiver-expired"]), f"The waiver for {waiver.model} ({waiver.rule}) expired on {waiver.expires}."))
    for waiver in gate.stale:
        results.append(_waiver_result("waiver-stale", waiver, index_of("waiver-stale", _WAIVER_RULES[
            "waiver-stale"]), f"The waiver for {waiver.model} ({waiver.rule}) matches no finding."))
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "modelterms", "version": __version__, "semanticVersion": __version__,
                            "rules": list(rules.values())}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
        "results": results,
        "properties": {"passed": gate.passed, "fail_on": gate.fail_on, "as_of": report.use_case.as_of},
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
