"""``modelterms diff`` as a side-by-side table, Markdown or JSON."""

from __future__ import annotations

import json
import textwrap

from .._diff import Difference, Side
from ._grid import grid

FORMATS = ("table", "json", "markdown")


def _side(side: Side | None) -> str:
    if side is None:
        return "(none)"
    where = "; ".join(dict.fromkeys(
        c.license if c.section == "whole document" else f"{c.license} §{c.section}" for c in side.citations))
    return f"{side.value}\n[{where}]"


def _same(difference: Difference) -> str:
    if not difference.same:
        return "No term is identical."
    by_section: dict[str, list[str]] = {}
    for section, key in difference.same:
        by_section.setdefault(section, []).append(key)
    return f"Identical ({len(difference.same)}): " + "; ".join(
        f"{section}: {', '.join(keys)}" for section, keys in by_section.items()) + "."


def render(difference: Difference, output_format: str, *, width: int = 120) -> str:
    if output_format == "json":
        return json.dumps(difference.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    left = f"{difference.left} ({', '.join(difference.left_documents) or 'no license in force'})"
    right = f"{difference.right} ({', '.join(difference.right_documents) or 'no license in force'})"
    rows = [[f"{item.section}\n{item.key}", _side(item.left), _side(item.right)] for item in difference.changed]
    if output_format == "markdown":
        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", "<br>")

        lines = [f"| term | {cell(left)} | {cell(right)} |", "|---|---|---|"]
        lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
        body = "\n".join(lines) + "\n" if rows else "No term differs.\n"
        return body + "\n" + _same(difference) + "\n"
    body = grid(["term", left, right], rows, width) if rows else "No term differs.\n"
    return body + textwrap.fill(_same(difference), width, break_long_words=False, break_on_hyphens=False) + "\n"
