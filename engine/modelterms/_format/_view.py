"""What a person asked to see of a report: all of it or a line per model, which verdicts, how wide.

The view shapes only the formats people read (table, Markdown, HTML). It never changes the report: the
gate, and so the exit code, still judge every model, and the footer says how many are not shown.
"""

from __future__ import annotations

import shutil
from typing import NamedTuple

from .._model import Result, Verdict
from .._report import Report

#: more models than this are shown one line each, unless ``--details``
SUMMARY_ABOVE = 5
#: the width in a pipe or a file, where no terminal says how wide it is
PIPE_WIDTH = 100


def terminal_width() -> int:
    """The terminal's columns (``COLUMNS`` first, as shells set it), or 100 when the output is not a terminal."""
    return max(40, shutil.get_terminal_size((PIPE_WIDTH, 24)).columns)


class View(NamedTuple):
    details: bool | None = None
    """True: every model in full; False: a line per model; None: in full up to SUMMARY_ABOVE models."""
    verdicts: frozenset[Verdict] = frozenset()
    """Show only results with these verdicts (empty: all)."""
    width: int | None = None
    """Columns to fit (None: the terminal's, or PIPE_WIDTH in a pipe)."""

    def shown(self, report: Report) -> list[Result]:
        return [result for result in report.results if not self.verdicts or result.verdict in self.verdicts]

    def summary(self, count: int) -> bool:
        return not self.details if self.details is not None else count > SUMMARY_ABOVE

    def columns(self) -> int:
        return self.width if self.width is not None else terminal_width()

    def hidden_note(self, report: Report) -> str:
        """``Showing 2 of 7 models (verdict forbidden).``, or "" when nothing is filtered out."""
        shown = len(self.shown(report))
        if not self.verdicts or shown == len(report.results):
            return ""
        names = " or ".join(v.value for v in Verdict if v in self.verdicts)
        return f"Showing {shown} of {len(report.results)} models (verdict {names})."
