"""CSV for spreadsheets and audits: one row per finding, with the model's verdict and any waiver on each row."""

from __future__ import annotations

import csv
import io

from .._report import Report
from ._common import status

HEADER = ("model", "where", "license", "verdict", "status", "rule", "finding_verdict", "source", "message",
          "license_cited", "section", "url", "remedy", "waived_by", "waiver_reason", "waiver_expires")


def _safe(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; a leading quote keeps them text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def render(report: Report, *, color: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for result in report.results:
        for finding in result.findings:
            waiver = report.gate.waiver_for(result.model, finding)
            row = (report.label(result), report.where(result), result.license or "", result.verdict.value,
                   status(report, result), finding.rule, finding.verdict.value, finding.source, finding.message,
                   finding.citation.license, finding.citation.section, finding.citation.url, finding.remedy or "",
                   waiver.approved_by if waiver else "", waiver.reason if waiver else "",
                   waiver.expires if waiver else "")
            writer.writerow([_safe(cell) for cell in row])
    return buffer.getvalue()
