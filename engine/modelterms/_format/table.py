"""The terminal table: one row per model, verdict coloured only on a terminal."""

from __future__ import annotations

import textwrap

from tabulate import tabulate

from .._model import Finding, Result, Verdict
from .._report import Report

_COLOURS = {Verdict.PERMITTED: "32", Verdict.RESTRICTED: "33", Verdict.FORBIDDEN: "31;1"}
_WIDTH = 48


def _wrap(lines: list[str]) -> str:
    return "\n".join(textwrap.fill(line, _WIDTH, subsequent_indent="  ") for line in lines) or "-"


def _where(finding: Finding) -> str:
    citation = finding.citation
    if citation.section in ("whole document", "license history"):
        return citation.license
    return f"{citation.license} §{citation.section}"


def _reasons(result: Result) -> list[str]:
    worst = [f for f in result.findings if f.verdict == result.verdict]
    return [f"{f.message} [{_where(f)}]" for f in worst[:3]] + (
        [f"(+{len(worst) - 3} more)"] if len(worst) > 3 else [])


def render(report: Report, *, color: bool = False) -> str:
    rows = []
    for result in report.results:
        verdict = result.verdict.value
        if color:
            verdict = f"\x1b[{_COLOURS[result.verdict]}m{verdict}\x1b[0m"
        rows.append([result.model, result.license or "-", verdict, _wrap(_reasons(result)),
                     _wrap([f"- {text}" for text in result.obligations])])
    table = tabulate(rows, headers=["model", "license", "verdict", "main reasons", "obligations"],
                     tablefmt="simple_grid")
    use = report.use_case
    assumed = ", ".join(report.assumed) if report.assumed else "none"
    return (f"{table}\nUse case{f' {use.name!r}' if use.name else ''} as of {use.as_of}; "
            f"defaults assumed for: {assumed}.\n")
