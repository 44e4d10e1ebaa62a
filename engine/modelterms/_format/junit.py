"""JUnit XML: one test case per model, failed when the gate fails it, so any CI test-report view shows it."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from .._report import Report
from ._common import clause, main_reasons, status


def render(report: Report, *, color: bool = False) -> str:
    gate = report.gate
    failures = sum(status(report, result) == "FAIL" for result in report.results)
    counts = {"tests": str(len(report.results)), "failures": str(failures), "errors": "0", "time": "0.000"}
    root = ET.Element("testsuites", {"name": "modelterms", **counts})  # the JUnit schema has no `skipped` here
    suite = ET.SubElement(root, "testsuite", {"name": f"modelterms check (fail on {gate.fail_on})", **counts,
                                              "skipped": "0"})
    for result in report.results:
        case = ET.SubElement(suite, "testcase", {"classname": f"modelterms.{result.license or 'unlicensed'}",
                                                 "name": report.label(result), "time": "0.000"})
        details = [f"{f.verdict.value}: {f.rule}: {f.message} [{clause(f)}] {f.citation.url}"
                   + (" (waived)" if gate.waiver_for(result.model, f) else "") for f in result.findings]
        if status(report, result) == "FAIL":
            expired = gate.expired_for(result.model)
            reason = (main_reasons(report, result, limit=1) or [""])[0]
            message = f"{result.verdict.value}: {reason}"
            if result.model not in gate.failing and expired:
                message = f"waiver expired on {expired[0].expires}: {reason}"
            failure = ET.SubElement(case, "failure", {"type": result.verdict.value, "message": message})
            failure.text = "\n".join(details)
        else:
            out = ET.SubElement(case, "system-out")
            where = report.where(result)
            out.text = "\n".join([f"verdict: {result.verdict.value} ({status(report, result)})"]
                                 + ([f"where: {where}"] if where else []) + details)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
