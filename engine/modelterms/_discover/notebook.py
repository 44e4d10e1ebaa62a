"""Model references in Jupyter notebooks: each code cell read as Python, shell lines (``!cmd``) as shell.

A reference names the notebook's own line (what an editor and a code-scanning
UI show) and, as its detail, the cell and the line within it. IPython magics
(``%pip``, ``%%time``) are blanked before the cell is parsed; a cell that
still does not parse is passed over with a notice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from . import python, shell
from .interface import Notice, Reference, SourceKind


def _cell_lines(text: str) -> list[tuple[int, list[str]]]:
    """Each code cell's source lines with the notebook line of its first line (found in order; 1 if not found)."""
    data: Any = json.loads(text)
    cells = data.get("cells", []) if isinstance(data, dict) else []
    cells = cells if isinstance(cells, list) else []
    out: list[tuple[int, list[str]]] = []
    offset = 0
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            out.append((0, []))
            continue
        source = cell.get("source", [])
        if isinstance(source, list):
            source = [item for item in source if isinstance(item, str)]
        elif not isinstance(source, str):
            source = []
        lines = "".join(source).split("\n") if isinstance(source, list) else source.split("\n")
        first = json.dumps(source[0] if isinstance(source, list) and source else lines[0], ensure_ascii=False)
        found = text.find(first, offset) if lines and lines[0] else -1
        if found < 0:
            found = text.find(json.dumps(lines[0]), offset) if lines and lines[0] else -1
        if found >= 0:
            offset = found
            out.append((text.count("\n", 0, found) + 1, lines))
        else:
            out.append((1, lines))
    return out


def references(text: str, path: str, notices: list[Notice]) -> Iterator[Reference]:
    """Raises ValueError for a notebook that is not JSON."""
    for number, (first, lines) in enumerate(_cell_lines(text), 1):
        if not lines:
            continue
        # In nbformat's JSON each source line is on its own line of the file when the cell's first one is.
        line_of = {i: (first + i - 1 if first > 1 else 1) for i in range(1, len(lines) + 1)}
        detail_of = {i: f"cell {number}, line {i}" for i in range(1, len(lines) + 1)}
        code = []
        for i, line in enumerate(lines, 1):
            stripped = line.lstrip()
            if stripped.startswith("!"):
                for ref in shell.references(stripped[1:], path, SourceKind.NOTEBOOK):
                    yield ref._replace(line=line_of[i], detail=detail_of[i])
                code.append("")
            elif stripped.startswith("%"):
                code.append("")
            else:
                code.append(line)
        try:
            yield from python.references("\n".join(code), path, SourceKind.NOTEBOOK, line_of=line_of,
                                         detail_of=detail_of)
        except (SyntaxError, ValueError):
            notices.append(Notice(path, f"cell {number} is not valid Python: skipped"))
