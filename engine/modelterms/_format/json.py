"""JSON output: stable key order and indentation so that diffs between runs are meaningful."""

from __future__ import annotations

import json

from .._report import Report


def render(report: Report, *, color: bool = False) -> str:
    return json.dumps(report.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
