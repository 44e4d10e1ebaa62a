"""Markdown for pull-request comments and CI job summaries (``>> $GITHUB_STEP_SUMMARY``)."""

from __future__ import annotations

from .._model import Verdict
from .._report import Report
from ._common import clause, main_reasons, status

_ICON = {Verdict.PERMITTED: "✅", Verdict.RESTRICTED: "⚠️", Verdict.FORBIDDEN: "⛔"}


def _cell(text: str) -> str:
    """Table cells cannot hold pipes or newlines; escape both, and HTML that would render."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", "<br>") or "-"


def render(report: Report, *, color: bool = False) -> str:
    gate = report.gate
    outcome = "passed" if gate.passed else "**failed**"
    lines = [f"## modelterms: {outcome} ({len(report.results)} model(s), fail on {gate.fail_on})", ""]
    lines += ["| model | where | license | verdict | status | main reasons | obligations |",
              "|---|---|---|---|---|---|---|"]
    for result in report.results:
        reasons = "<br>".join(_cell(reason) for reason in main_reasons(report, result))
        obligations = "<br>".join(_cell(text) for text in result.obligations)
        lines.append(f"| `{_cell(report.label(result))}` | {_cell(report.where(result))} | "
                     f"{_cell(result.license or '-')} | {_ICON[result.verdict]} {result.verdict.value} | "
                     f"{status(report, result)} | {reasons or '-'} | {obligations or '-'} |")
    waived = [(result, finding, waiver) for result in report.results for finding in result.findings
              if (waiver := gate.waiver_for(result.model, finding)) is not None]
    if waived:
        lines += ["", "### Waived findings", ""]
        lines += [f"- `{_cell(report.label(r))}` {f.rule} ({f.verdict.value}, {_cell(clause(f))}): waived by "
                  f"{_cell(w.approved_by)} until {w.expires}: {_cell(w.reason)}" for r, f, w in waived]
    if gate.expired or gate.stale:
        lines += ["", "### Waivers needing attention", ""]
        lines += [f"- {level}: {_cell(message)}" for level, message in gate.messages()]
    use = report.use_case
    source = f" (from `{_cell(report.config)}`)" if report.config else ""
    lines += ["", f"Use case{source} as of {use.as_of}; defaults assumed for: "
              f"{', '.join(report.assumed) or 'none'}.", ""]
    return "\n".join(lines)
