"""The terminal table: fits the terminal (or 100 columns in a pipe), a line per model for many, coloured on a terminal.

Up to five models are shown in full (reasons with their remedies, and each obligation once); more are shown a
line per model unless ``--details``. Words, hyphenated names and URLs are never cut: a URL goes on a line
of its own, even when that makes its column wider than the terminal.
"""

from __future__ import annotations

import textwrap

from tabulate import tabulate

from .._model import Result, Verdict
from .._report import Report
from . import _readable
from ._common import clause, deciding, reason_line, status
from ._view import View

_COLOURS = {Verdict.PERMITTED: "32", Verdict.RESTRICTED: "33", Verdict.FORBIDDEN: "31;1"}
#: what simple_grid adds per column ("│ " and " " ) and once at the end ("│")
_BORDER = 3
_REASONS = 3


def _verdict(report: Report, result: Result, color: bool) -> str:
    text = result.verdict.value
    if color:
        text = f"\x1b[{_COLOURS[result.verdict]}m{text}\x1b[0m"
    return text + ("\n(waived)" if status(report, result) == "waived" else "")


def _model(name: str, width: int) -> str:
    """The model id, split after its owner when it is too long for its column (never inside a word)."""
    if len(name) <= width or "/" not in name:
        return name
    owner, _, rest = name.partition("/")
    return f"{owner}/\n{rest}"


def _cell(items: list[str], width: int, bullet: str = "- ") -> str:
    lines: list[str] = []
    for item in items:
        wrapped = _readable.wrap(item, width - len(bullet), " " * len(bullet))
        lines += [bullet + wrapped[0], *wrapped[1:]]
    return "\n".join(lines) or "-"


def reasons(report: Report, result: Result, limit: int = _REASONS) -> list[str]:
    """The findings that decide the verdict, each with its clause, waiver and remedy, then how many more."""
    worst = deciding(result)
    lines = []
    for finding in worst[:limit]:
        line = reason_line(report, result, finding, _readable.message(finding))
        if finding.remedy:
            line += f" Remedy: {_readable.readable(finding.remedy)}"
        lines.append(line)
    if len(worst) > limit:
        lines.append(f"(+{len(worst) - limit} more: --format html or json lists all)")
    return lines


#: below this, the reasons and the obligations share one column (a terminal of 80 columns cannot fit two)
_TWO_TEXT_COLUMNS = 32
#: the narrowest text column: a terminal narrower than the model ids and this gets a wider table
_NARROWEST = 20


def _widest(cells: list[str]) -> int:
    return max(len(line) for cell in cells for line in cell.splitlines())


def _full(report: Report, shown: list[Result], width: int, color: bool) -> str:
    """Every model in full: reasons with remedies and each obligation once, in columns as wide as there is room."""
    declared = any(report.where(result) for result in shown)
    names = [_model(report.label(r), max(20, width // 5)) for r in shown]
    licenses = [r.license or "-" for r in shown]
    verdicts = [_verdict(report, r, color) for r in shown]
    places = [textwrap.fill(report.where(r) or "-", 20, break_long_words=False) for r in shown]
    extra = [_widest(places)] if declared else []
    fixed = [_widest([*names, "model"]), _widest(licenses), len("restricted"), *extra]
    left = width - sum(fixed) - _BORDER * (len(fixed) + 2) - 1
    two = left >= 2 * _TWO_TEXT_COLUMNS
    if not two:  # the licenses go under the model, and the reasons and obligations share a column
        room = max([_widest(names), *(len(lid) + 2 for r in shown for lid in r.licenses)])
        names = [name + "\n" + textwrap.fill(f"({', '.join(r.licenses) or 'no license'})", room,
                                             break_long_words=False, break_on_hyphens=False)
                 for name, r in zip(names, shown, strict=True)]
        fixed = [_widest(names), len("restricted"), *extra]
        left = max(width - sum(fixed) - _BORDER * (len(fixed) + 1) - 1, _NARROWEST)
    reason_width = left * 55 // 100 if two else left
    obligation_width = left - reason_width if two else left
    rows = []
    for index, result in enumerate(shown):
        why = _cell(reasons(report, result), reason_width)
        duties = _cell(_readable.obligations(result), obligation_width)
        if two:
            row = [names[index], licenses[index], verdicts[index], why, duties]
        else:
            both = f"Why:\n{why}" + (f"\nObligations:\n{duties}" if duties != "-" else "")
            row = [names[index], verdicts[index], both]
        if declared:
            row.insert(1, places[index])
        rows.append(row)
    # tabulate makes a column two characters wider than its header: headers wrap to fit that
    headers = (["model", "license", "verdict", textwrap.fill("main reasons, remedies", reason_width - 2),
                textwrap.fill("obligations (each once)", obligation_width - 2)] if two
               else ["model (licenses)", "verdict", textwrap.fill("reasons, remedies, obligations", left - 2)])
    if declared:
        headers.insert(1, "where")
    return tabulate(rows, headers=headers, tablefmt="simple_grid", disable_numparse=True)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)].rstrip() + "…"


def _summary(report: Report, shown: list[Result], width: int, color: bool) -> str:
    """A line per model: its verdict and the first deciding reason (its clause first), cut to the width left."""
    model_width = max(len(report.label(r)) for r in shown)
    left = max(width - model_width - len("restricted (waived)") - 2 * 2, 24)
    rows = []
    for result in shown:
        verdict = _verdict(report, result, color).replace("\n", " ")
        worst = [f for f in result.findings if f.verdict == result.verdict]
        reason = f"[{clause(worst[0])}] {_readable.message(worst[0])}" if worst else "-"
        more = f" (+{len(worst) - 1})" if len(worst) > 1 else ""
        rows.append([report.label(result), verdict, _shorten(reason, left - len(more)) + more])
    return tabulate(rows, headers=["model", "verdict", "first reason [clause]"], tablefmt="simple",
                    disable_numparse=True)


def render(report: Report, *, color: bool = False, view: View | None = None) -> str:
    view = view or View()
    width = view.columns()
    shown = view.shown(report)
    summary = view.summary(len(shown))
    if not shown:
        table = "No model has the verdict asked for."
    elif summary:
        table = _summary(report, shown, width, color)
    else:
        table = _full(report, shown, width, color)
    use = report.use_case
    assumed = ", ".join(report.assumed) if report.assumed else "none"
    source = f" from {report.config}" if report.config else ""
    gate = report.gate
    failing = sum(status(report, result) == "FAIL" for result in report.results)
    outcome = "passed" if gate.passed else f"FAILED: {failing} of {len(report.results)} model(s)"
    notes = [view.hidden_note(report)]
    if summary and shown:
        notes.append(f"A line per model ({len(shown)} shown); --details shows every reason, remedy and obligation.")
    notes += [f"Use case{f' {use.name!r}' if use.name else ''}{source} as of {use.as_of}; "
              f"defaults assumed for: {assumed}.", f"Check {outcome} (fail on {gate.fail_on})."]
    footer = "\n".join(textwrap.fill(note, width, break_long_words=False, break_on_hyphens=False)
                       for note in notes if note)
    return f"{table}\n{footer}\n"
