"""A plain text grid that fits a width: columns as narrow as their words, wrapped, never cutting a word."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=1)


def _natural(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=1)


def grid(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> str:
    """Rows under headers, columns separated by two spaces, wrapped so that no line passes ``width``.

    Every column gets at least its longest word; the space left goes, a character at a time, to the column
    with the smallest share of its natural width.
    """
    table = [list(headers), *[list(row) for row in rows]]
    columns = range(len(headers))
    floor = [max(_longest_word(row[c]) for row in table) for c in columns]
    # no column may claim more than half the width: a long list must not starve the others
    want = [max(min(_natural(row[c]), width // 2) for row in table) for c in columns]
    sizes = list(floor)
    spare = width - 2 * (len(headers) - 1) - sum(sizes)
    while spare > 0:
        growable = [c for c in columns if sizes[c] < want[c]]
        if not growable:
            break
        neediest = min(growable, key=lambda c: sizes[c] / want[c])
        sizes[neediest] += 1
        spare -= 1
    lines = []
    for index, row in enumerate(table):
        cells = [[wrapped for line in (row[c].splitlines() or [""])
                  for wrapped in (textwrap.wrap(line, sizes[c], break_long_words=False, break_on_hyphens=False)
                                  or [""])] for c in columns]
        height = max(len(cell) for cell in cells)
        for line in range(height):
            parts = [(cells[c][line] if line < len(cells[c]) else "").ljust(sizes[c]) for c in columns]
            lines.append("  ".join(parts).rstrip())
        if index == 0:
            lines.append("  ".join("-" * size for size in sizes))
    return "\n".join(lines) + "\n"
