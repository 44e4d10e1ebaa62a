"""``modelterms compare`` as a table, Markdown, CSV or JSON: one row per model, one column per dimension."""

from __future__ import annotations

import csv
import io
import json
import textwrap

from .._compare import Cell, Comparison, Dimension
from .._model import Verdict
from ._grid import grid

FORMATS = ("table", "json", "markdown", "csv")
WORD = {Verdict.PERMITTED: "yes", Verdict.RESTRICTED: "cond", Verdict.FORBIDDEN: "NO"}
#: two-line headers, so that eleven columns fit 120 characters
HEADERS = {
    Dimension.COMMERCIAL: "commer-\ncial", Dimension.SELF_HOSTING: "self-\nhost", Dimension.MODIFYING: "modify",
    Dimension.DISTRIBUTING: "distri-\nbute", Dimension.SERVING: "serve", Dimension.TRAINING: "train on\noutputs",
    Dimension.CAPS: "caps", Dimension.TERRITORY: "terri-\ntory", Dimension.PURPOSES: "purposes",
}
LEGEND = ("yes = permitted, cond = restricted (conditions apply), NO = forbidden; (in brackets) = not part of "
          "your use case: what would apply if it were.")


def _cell(cell: Cell) -> str:
    word = WORD[cell.verdict] if cell.declared else f"({WORD[cell.verdict]})"
    if cell.dimension == Dimension.TERRITORY and cell.figure:
        return f"{word}\nexcl. {cell.figure}"
    return f"{word}\n{cell.figure}" if cell.figure else word


def render(comparison: Comparison, output_format: str, *, width: int = 120) -> str:
    if output_format == "json":
        return json.dumps(comparison.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["model", "licenses", "verdict", *(column for d in comparison.dimensions
                                                            for column in (d.value, f"{d.value} figure"))])
        for row in comparison.rows:
            writer.writerow([row.model, " ".join(row.licenses), row.verdict.value,
                             *(value for cell in row.cells for value in (cell.verdict.value, cell.figure))])
        return buffer.getvalue()
    headers = ["model", "overall", *(HEADERS[d] for d in comparison.dimensions)]
    rows = [[row.model.replace("/", "/\n", 1), WORD[row.verdict], *(_cell(cell) for cell in row.cells)]
            for row in comparison.rows]
    use = comparison.use_case
    footer = f"{textwrap.fill(LEGEND, width)}\nUse case{f' {use.name!r}' if use.name else ''} as of {use.as_of}.\n"
    if output_format == "markdown":
        lines = ["| " + " | ".join(["model", "overall", *(d.value for d in comparison.dimensions)]) + " |",
                 "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join([f"`{row.model}`", *(cell.replace("\n", " ").replace("|", "\\|")
                                                         for cell in cells[1:])]) + " |"
                  for row, cells in zip(comparison.rows, rows, strict=True)]
        return "\n".join(lines) + "\n\n" + footer
    return grid(headers, rows, width) + footer
