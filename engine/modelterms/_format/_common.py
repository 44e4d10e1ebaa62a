"""What every output format says the same way: a finding's clause, a model's main reasons, its status."""

from __future__ import annotations

from .._model import Finding, Result, Verdict
from .._report import Report


def clause(finding: Finding) -> str:
    """``llama-3.1 §2`` for a cited section, the license id alone for the whole document."""
    citation = finding.citation
    if citation.section in ("whole document", "license history"):
        return citation.license
    return f"{citation.license} §{citation.section}"


def deciding(result: Result) -> list[Finding]:
    """The findings that decide the verdict: those as severe as the verdict itself."""
    return [f for f in result.findings if f.verdict == result.verdict]


def reason_line(report: Report, result: Result, finding: Finding, message: str) -> str:
    """One deciding finding as every text format shows it: policy tag, message, clause, and any waiver."""
    waiver = report.gate.waiver_for(result.model, finding)
    tag = "[policy] " if finding.source == "policy" else ""
    note = f" (waived until {waiver.expires}: {waiver.reason})" if waiver else ""
    return f"{tag}{message} [{clause(finding)}]{note}"


def main_reasons(report: Report, result: Result, limit: int = 3) -> list[str]:
    """The findings that decide the verdict, most severe first, each with its clause and any waiver."""
    worst = deciding(result)
    lines = [reason_line(report, result, finding, finding.message) for finding in worst[:limit]]
    if len(worst) > limit:
        lines.append(f"(+{len(worst) - limit} more)")
    return lines


def status(report: Report, result: Result) -> str:
    """``FAIL``, ``waived`` or ``ok``: the result as the gate sees it."""
    gate = report.gate
    if result.model in gate.failing or result.model in gate.expired_models:
        return "FAIL"
    if gate.outstanding(result) != result.verdict:
        return "waived"
    return "ok"


def level(verdict: Verdict) -> str:
    return {Verdict.PERMITTED: "note", Verdict.RESTRICTED: "warning", Verdict.FORBIDDEN: "error"}[verdict]
