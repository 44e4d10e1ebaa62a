"""One self-contained HTML page: the verdict matrix, findings with clickable citations, remedies, obligations.

The page needs nothing but itself: its styles are inline, it has no script, and its Content-Security-Policy
forbids loading anything (no fonts, images or styles from elsewhere), so it can be attached to a ticket or
opened offline. Every verdict is shown by colour *and* by a word and a symbol, for readers who cannot tell the
colours apart and for printouts. Every string from data (model ids, messages, URLs, waiver reasons) is
escaped; a citation URL becomes a link only when it is http(s), so no data can put script into the page.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from .._model import Finding, Result, UseCase, Verdict
from .._report import Report
from . import _readable
from ._common import clause, status
from ._view import View

if TYPE_CHECKING:  # the compare and explain results, only for their types
    from .._compare import Comparison
    from .._explain import Explanations

SYMBOL = {Verdict.PERMITTED: "✔", Verdict.RESTRICTED: "▲", Verdict.FORBIDDEN: "✖"}
_STYLE = """
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.45}
body{margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.6rem;margin-bottom:.25rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
h3{font-size:1.05rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{font-size:.92em;overflow-wrap:anywhere}
#verdicts td:first-child{min-width:16rem}
.v{font-weight:600;white-space:nowrap;border-radius:4px;padding:.1rem .4rem;display:inline-block}
.v-permitted{background:#dafbe1;color:#0a5d26;border:1px solid #4ac26b}
.v-restricted{background:#fff1c2;color:#6b4a00;border:1px solid #d4a72c}
.v-forbidden{background:#ffe0e0;color:#8b0d16;border:1px solid #e5534b}
td.v-permitted,td.v-restricted,td.v-forbidden{border-radius:0;display:table-cell}
.meta{color:#57606a}.fail{color:#8b0d16;font-weight:700}.pass{color:#0a5d26;font-weight:700}
li{margin:.2rem 0}.remedy{color:#0b4f8a}.cite a{overflow-wrap:anywhere}
.undeclared{opacity:.75;font-style:italic}.wide{overflow-x:auto}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def verdict_badge(verdict: Verdict, *, extra: str = "") -> str:
    """The verdict as colour, symbol and word at once (never colour alone)."""
    return (f'<span class="v v-{verdict.value}" data-verdict="{verdict.value}">'
            f'<span aria-hidden="true">{SYMBOL[verdict]}</span> {verdict.value}{_e(extra)}</span>')


def link(url: str, text: str) -> str:
    """A link for http(s) URLs only; anything else (``javascript:``, a local path) is shown as text."""
    if url.startswith(("https://", "http://")):
        return f'<a href="{_e(url)}" rel="noreferrer">{_e(text)}</a>'
    return f"{_e(text)} <code>{_e(url)}</code>" if url else _e(text)


def citation(finding: Finding) -> str:
    return f'<span class="cite">[{link(finding.citation.url, clause(finding))}]</span>'


def _page(title: str, heading: str, body: Iterable[str], use: UseCase, note: str = "") -> str:
    from .. import __version__

    made = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_e(title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
             f"<header><h1>{heading}</h1>",
             f'<p class="meta">Licenses as of <time>{_e(use.as_of)}</time>; report made {_e(made)} by modelterms '
             f"{_e(__version__)}.{(' ' + note) if note else ''}</p></header>", "<main>", *body, "</main>",
             '<footer><p class="meta">modelterms reads license texts into cited terms; it is not legal advice. '
             "Follow each citation to the clause it names.</p></footer>", "</body>", "</html>", ""]
    return "\n".join(parts)


def use_case_section(use: UseCase, assumed: Sequence[str] = (), source: str = "") -> str:
    rows = []
    for key, value in use.to_dict().items():
        if key == "name":
            continue
        shown = ", ".join(value) if isinstance(value, list) else value
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        if value is None:
            shown = "not stated"
        tag = ' <span class="meta">(default assumed)</span>' if key in assumed else ""
        rows.append(f"<tr><th scope=\"row\">{_e(_readable.label(key))}</th><td>{_e(shown or '-')}{tag}</td></tr>")
    name = f" {_e(repr(use.name))}" if use.name else ""
    origin = f' <span class="meta">from {_e(source)}</span>' if source else ""
    return f'<section id="use-case"><h2>Use case{name}{origin}</h2><table>{"".join(rows)}</table></section>'


def _finding_item(report: Report | None, result: Result, finding: Finding) -> str:
    waiver = report.gate.waiver_for(result.model, finding) if report is not None else None
    policy = '<span class="meta">[policy]</span> ' if finding.source == "policy" else ""
    waived = (f' <span class="meta">(waived by {_e(waiver.approved_by)} until {_e(waiver.expires)}: '
              f"{_e(waiver.reason)})</span>") if waiver is not None else ""
    remedy = (f'<br><span class="remedy">Remedy: {_e(_readable.readable(finding.remedy))}</span>'
              if finding.remedy else "")
    return (f"<li>{verdict_badge(finding.verdict)} {policy}{_e(_readable.message(finding))} {citation(finding)}"
            f"{waived}{remedy}</li>")


def result_section(result: Result, report: Report | None = None, label: str | None = None) -> str:
    """One model in full: its findings, most severe first, each cited and with its remedy; its obligations once."""
    name = label or result.model
    anchor = "m-" + "".join(ch if ch.isalnum() else "-" for ch in name)
    findings = "".join(_finding_item(report, result, finding) for finding in result.findings)
    duties = "".join(f"<li>{_e(text)}</li>" for text in _readable.obligations(result))
    licenses = ", ".join(result.licenses) or "no license in force"
    return (f'<section id="{_e(anchor)}"><h3><code>{_e(name)}</code> {verdict_badge(result.verdict)}</h3>'
            f'<p class="meta">{_e(result.model_name)}: {_e(licenses)}</p>'
            f"<h4>Findings</h4><ul>{findings or '<li>none</li>'}</ul>"
            f"<h4>Obligations</h4><ul>{duties or '<li>none</li>'}</ul></section>")


def render(report: Report, *, color: bool = False, view: View | None = None) -> str:
    """``check`` or ``scan`` as one HTML page (``color`` is for terminals and is ignored)."""
    view = view or View()
    shown = view.shown(report)
    gate = report.gate
    failing = sum(status(report, result) == "FAIL" for result in report.results)
    outcome = ('<span class="pass">passed</span>' if gate.passed else
               f'<span class="fail">FAILED: {failing} of {len(report.results)} model(s)</span>')
    declared = any(report.where(result) for result in shown)
    head = ["model", *(["where"] if declared else []), "licenses", "verdict", "status", "first reason"]
    rows = []
    for result in shown:
        name = report.label(result)
        anchor = "m-" + "".join(ch if ch.isalnum() else "-" for ch in name)
        worst = next((f for f in result.findings if f.verdict == result.verdict), None)
        reason = (f"{_e(_readable.message(worst))} {citation(worst)}" if worst is not None else "-")
        where = [f"<td>{_e(report.where(result) or '-')}</td>"] if declared else []
        rows.append(f'<tr><td><a href="#{_e(anchor)}"><code>{_e(name)}</code></a></td>{"".join(where)}'
                    f"<td>{_e(', '.join(result.licenses) or '-')}</td>"
                    f'<td class="v-{result.verdict.value}">{verdict_badge(result.verdict)}</td>'
                    f"<td>{_e(status(report, result))}</td><td>{reason}</td></tr>")
    matrix = (f'<section id="verdicts"><h2>Verdicts</h2><p>{_e(view.hidden_note(report))}</p><table>'
              f"<thead><tr>{''.join(f'<th scope=col>{_e(h)}</th>' for h in head)}</tr></thead>"
              f"<tbody>{''.join(rows) or '<tr><td>No model has the verdict asked for.</td></tr>'}</tbody></table>"
              f"{_legend()}</section>")
    details = [result_section(result, report, report.label(result)) for result in shown]
    waivers = [f"<li>{_e(level)}: {_e(message)}</li>" for level, message in gate.messages()]
    body = [matrix, use_case_section(report.use_case, report.assumed, report.use_case_source or report.config or ""),
            '<section id="details"><h2>Findings, remedies and obligations</h2>', *details, "</section>"]
    if waivers:
        body.append(f'<section id="waivers"><h2>Waivers needing attention</h2><ul>{"".join(waivers)}</ul></section>')
    return _page("modelterms report", f"modelterms: {outcome} (fail on {_e(gate.fail_on)})", body,
                 report.use_case)


def _legend() -> str:
    return ('<p class="meta">' + "; ".join(f"{SYMBOL[v]} {v.value}" for v in Verdict) +
            ". Restricted: permitted on the conditions listed.</p>")


def render_comparison(comparison: Comparison) -> str:
    """``compare`` as one HTML page: a row per model, a cell per part of the use case."""
    head = "".join(f"<th scope=col>{_e(d.value.replace('_', ' '))}</th>" for d in comparison.dimensions)
    rows = []
    for row in comparison.rows:
        cells = []
        for cell in row.cells:
            figure = f"<br>{_e(_readable.readable(cell.figure))}" if cell.figure else ""
            cited = " ".join(citation(f) for f in cell.findings[:3])
            kind = "" if cell.declared else " undeclared"
            note = "" if cell.declared else '<br><span class="meta">(not asked)</span>'
            cells.append(f'<td class="v-{cell.verdict.value}{kind}">{verdict_badge(cell.verdict)}{figure}'
                         f"{note}{'<br>' + cited if cited else ''}</td>")
        rows.append(f"<tr><td><code>{_e(row.model)}</code><br><span class=meta>{_e(', '.join(row.licenses))}"
                    f'</span></td><td class="v-{row.verdict.value}">{verdict_badge(row.verdict)}</td>'
                    f"{''.join(cells)}</tr>")
    table = (f'<section id="verdicts"><h2>Comparison</h2><div class="wide"><table><thead><tr>'
             f"<th scope=col>model</th><th scope=col>overall</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
             f'</table></div>{_legend()}<p class="meta">(not asked): the use case does not include this; the cell '
             "shows what would apply if it did.</p></section>")
    details = [result_section(row.result) for row in comparison.rows]
    body = [table, use_case_section(comparison.use_case),
            '<section id="details"><h2>Findings and obligations</h2>', *details, "</section>"]
    return _page("modelterms compare", f"modelterms: comparing {len(comparison.rows)} model(s)", body,
                 comparison.use_case)


def render_explanations(explanations: Explanations) -> str:
    """``explain`` as one HTML page: why each model is not permitted, and what would change that."""
    sections = []
    for item in explanations.explanations:
        result = item.result
        because = "".join(f"<li>{_e(_readable.message(f))} {citation(f)}</li>" for f in item.blocking)
        changes = []
        for remedy in item.remedies:
            words = " + ".join(_e(_readable.readable(change.label)) for change in remedy.changes)
            cites = " ".join(dict.fromkeys(citation(f) for f in remedy.removes))
            kind = " (gives up part of the use case)" if remedy.gives_up else ""
            changes.append(f"<li>{words} → {verdict_badge(remedy.verdict)}{_e(kind)} {cites}</li>")
        if not item.possible:
            changes.insert(0, "<li><strong>Impossible</strong>: no change that keeps every activity of the use "
                              "case improves the verdict.</li>")
        alternatives = ", ".join(f"<code>{_e(alt.model)}</code> {verdict_badge(alt.verdict)}"
                                 for alt in item.alternatives)
        sections.append(
            f"<article><h3><code>{_e(result.model)}</code> {verdict_badge(result.verdict)}</h3>"
            f'<p class="meta">{_e(", ".join(result.licenses) or "no license in force")}</p>'
            f"<h4>Because</h4><ul>{because or '<li>-</li>'}</ul>"
            f"<h4>Smallest changes</h4><ul>{''.join(changes) or '<li>none</li>'}</ul>"
            f"<h4>Other models for the unchanged use case ({item.alternatives_total} in all)</h4>"
            f"<p>{alternatives or 'none of the same modalities'}</p></article>")
    permitted = "".join(f"<li><code>{_e(model)}</code> {verdict_badge(Verdict.PERMITTED)}</li>"
                        for model in explanations.permitted)
    body = [f'<section id="verdicts"><h2>Explanations</h2>{"".join(sections) or "<p>Nothing to explain.</p>"}'
            f"{'<h3>Permitted as asked</h3><ul>' + permitted + '</ul>' if permitted else ''}</section>",
            use_case_section(explanations.use_case)]
    return _page("modelterms explain", "modelterms: what would change each answer", body, explanations.use_case)
