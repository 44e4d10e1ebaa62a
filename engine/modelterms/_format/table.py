"""The terminal table: one row per model, verdict coloured only on a terminal."""

from __future__ import annotations

import textwrap

from tabulate import tabulate

from .._model import Verdict
from .._report import Report
from ._common import main_reasons, status

_COLOURS = {Verdict.PERMITTED: "32", Verdict.RESTRICTED: "33", Verdict.FORBIDDEN: "31;1"}
_WIDTH = 48


def _wrap(lines: list[str]) -> str:
    return "\n".join(textwrap.fill(line, _WIDTH, subsequent_indent="  ") for line in lines) or "-"


def render(report: Report, *, color: bool = False) -> str:
    declared = any(report.where(result) for result in report.results)
    rows = []
    for result in report.results:
        verdict = result.verdict.value
        if color:
            verdict = f"\x1b[{_COLOURS[result.verdict]}m{verdict}\x1b[0m"
        if status(report, result) == "waived":
            verdict += "\n(waived)"
        row = [report.label(result), result.license or "-", verdict, _wrap(main_reasons(report, result)),
               _wrap([f"- {text}" for text in result.obligations])]
        if declared:
            row.insert(1, textwrap.fill(report.where(result) or "-", 20))
        rows.append(row)
    headers = ["model", "license", "verdict", "main reasons", "obligations"]
    if declared:
        headers.insert(1, "where")
    table = tabulate(rows, headers=headers, tablefmt="simple_grid")
    use = report.use_case
    assumed = ", ".join(report.assumed) if report.assumed else "none"
    source = f" from {report.config}" if report.config else ""
    gate = report.gate
    failing = sum(status(report, result) == "FAIL" for result in report.results)
    outcome = "passed" if gate.passed else f"FAILED: {failing} of {len(report.results)} model(s)"
    return (f"{table}\nUse case{f' {use.name!r}' if use.name else ''}{source} as of {use.as_of}; "
            f"defaults assumed for: {assumed}.\nCheck {outcome} (fail on {gate.fail_on}).\n")
