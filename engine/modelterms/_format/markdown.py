"""Markdown for pull-request comments and CI job summaries (``>> $GITHUB_STEP_SUMMARY``).

Like the table: up to five models in full (reasons with remedies, each obligation once), more as a row each
with the first reason unless ``--details``; ``--verdict`` shows only some verdicts, never changing the gate.
"""

from __future__ import annotations

from .._model import Result, Verdict
from .._report import Report
from . import _readable
from ._common import clause, deciding, reason_line, status
from ._view import View

_ICON = {Verdict.PERMITTED: "✅", Verdict.RESTRICTED: "⚠️", Verdict.FORBIDDEN: "⛔"}


def _cell(text: str) -> str:
    """Table cells cannot hold pipes or newlines; escape both, and HTML that would render."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", "<br>") or "-"


def _reasons(report: Report, result: Result, limit: int | None = None) -> list[str]:
    return [reason_line(report, result, finding, _readable.message(finding))
            for finding in deciding(result)[:limit]]


def render(report: Report, *, color: bool = False, view: View | None = None) -> str:
    view = view or View()
    shown = view.shown(report)
    summary = view.summary(len(shown))
    gate = report.gate
    outcome = "passed" if gate.passed else "**failed**"
    lines = [f"## modelterms: {outcome} ({len(report.results)} model(s), fail on {gate.fail_on})", ""]
    note = view.hidden_note(report)
    if note:
        lines += [note, ""]
    if not shown:
        lines += ["No model has the verdict asked for."]
    elif summary:
        lines += ["| model | license | verdict | status | first reason |", "|---|---|---|---|---|"]
        for result in shown:
            first = _reasons(report, result, 1)
            more = sum(f.verdict == result.verdict for f in result.findings) - 1
            reason = (first[0] if first else "-") + (f" (+{more} more)" if more > 0 else "")
            lines.append(f"| `{_cell(report.label(result))}` | {_cell(result.license or '-')} | "
                         f"{_ICON[result.verdict]} {result.verdict.value} | {status(report, result)} | "
                         f"{_cell(reason)} |")
        lines += ["", f"A row per model ({len(shown)} shown); `--details` shows every reason, remedy and "
                  "obligation."]
    else:
        lines += ["| model | where | license | verdict | status | main reasons | remedies | obligations |",
                  "|---|---|---|---|---|---|---|---|"]
        for result in shown:
            reasons = "<br>".join(_cell(reason) for reason in _reasons(report, result, 3))
            remedies = "<br>".join(_cell(text) for text in _readable.remedies(result))
            obligations = "<br>".join(_cell(f"- {text}") for text in _readable.obligations(result))
            lines.append(f"| `{_cell(report.label(result))}` | {_cell(report.where(result))} | "
                         f"{_cell(result.license or '-')} | {_ICON[result.verdict]} {result.verdict.value} | "
                         f"{status(report, result)} | {reasons or '-'} | {remedies or '-'} | {obligations or '-'} |")
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
