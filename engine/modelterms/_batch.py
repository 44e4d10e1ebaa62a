"""``check --batch FILE.jsonl``: many use cases against one loaded catalog, one JSON report per line.

A bad line is reported with its number (on stderr, and as an ``error`` line in
the output so that line numbers stay aligned) and the others still run; the
exit code is 2 at the end if any line failed, else the gate's answer.

The file is streamed: only ``\\n`` ends a line (JSON strings may hold U+2028,
U+0085 or a form feed, which ``str.splitlines`` would split at), each line is
bounded (``MAX_LINE_BYTES``) but the file is not, and each report is written
as soon as it is made, to standard output or to a temporary file beside the
``-o`` target that replaces it at the end. Memory stays flat however long the batch.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Callable, Collection, Iterator
from contextlib import ExitStack
from typing import IO, Any

import click

from ._errors import InputError, ModelTermsError, Problem
from ._model import UseCase
from ._workflow import Setup, report_for
from ._yaml import MAX_DEPTH, Document, open_regular

UseCaseBuilder = Callable[[Document], tuple[UseCase, tuple[str, ...]]]

#: One use case is a few hundred bytes; a line longer than this is an error on that line, not a memory hog.
MAX_LINE_BYTES = 1024 * 1024
#: How far past an overlong line we read to find the next one before giving up on the file.
MAX_SKIP_BYTES = 16 * MAX_LINE_BYTES


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook``: a key given twice is an error, as in YAML, never silently the last one."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _lines(path: str) -> Iterator[tuple[int, bytes | None, int]]:
    """``(line number, raw line or None when too long, bytes read so far)`` for every line of ``path``."""
    consumed = 0
    with open_regular(path, limit=None) as handle:
        number = 0
        while True:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            consumed += len(raw)
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                skipped = len(raw)
                while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a bounded chunk at a time
                    if skipped > MAX_SKIP_BYTES:  # not a batch file at all (a sparse file, a disk image)
                        raise InputError([Problem(path, number, "", f"is longer than {MAX_SKIP_BYTES} bytes; "
                                                  "the rest of the file was not read", "one use case per line")])
                    raw = handle.readline(1 << 16)
                    consumed += len(raw)
                    skipped += len(raw)
                yield number, None, consumed
                continue
            yield number, raw, consumed


def _problem(path: str, number: int, message: str, hint: str = "", key: str = "") -> list[Problem]:
    return [Problem(path, number, key, message, hint)]


def _shape_problem(value: Any, depth: int = 0) -> str | None:
    """Why a parsed line cannot be used as it is: too deep, or text with a lone surrogate (``"\\ud800"``)."""
    if depth > MAX_DEPTH:
        return f"nests deeper than {MAX_DEPTH} levels"
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "contains a lone surrogate escape (such as \\ud800), which is not text"
        return None
    items: list[Any] = []
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        items = value
    for item in items:
        found = _shape_problem(item, depth + 1)
        if found:
            return found
    return None


def _document(path: str, number: int, raw: bytes | None) -> tuple[Document | None, list[Problem]]:
    """One line as a use-case document, or the problems that make it unusable."""
    if raw is None:
        return None, _problem(path, number, f"is longer than {MAX_LINE_BYTES} bytes", "one use case per line")
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, _problem(path, number, f"is not valid UTF-8 (byte {exc.start} of the line)",
                              "save the file as UTF-8")
    if not text.strip(" \t\r\n"):
        return None, []
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        return None, _problem(path, number, "is given twice", "keep one of them", key=exc.key)
    except json.JSONDecodeError as exc:
        return None, _problem(path, number, f"is not valid JSON: {exc.msg} (column {exc.colno})",
                              "write one JSON object per line")
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return None, _problem(path, number, f"is not usable JSON: {exc}".split(";")[0],
                              "write one JSON object per line")
    except RecursionError:
        return None, _problem(path, number, f"nests deeper than {MAX_DEPTH} levels")
    shape = _shape_problem(data)
    if shape:
        return None, _problem(path, number, shape)
    if not isinstance(data, dict):
        return None, _problem(path, number, "must be a JSON object (a use case)")
    return Document(path, data, {(): number}), []


def run_batch(path: str, setup: Setup, build: UseCaseBuilder, fail_on: str, output: str | None,
              inputs: Collection[str] = ()) -> int:
    """Evaluate every line; return the exit code (2 if any line was bad, 1 if any failed the gate, else 0)."""
    lines = _lines(path)
    first = next(lines, None)  # opens the file: a FIFO, a device or a missing file is an error before any output
    size = os.stat(path).st_size
    bad = failed = False
    with ExitStack() as stack:
        sink: IO[str] = sys.stdout
        if output:
            from ._output import report_file

            sink = stack.enter_context(report_file(output, inputs))
        progress = stack.enter_context(click.progressbar(length=max(size, 1), label="checking", file=sys.stderr,
                                                         hidden=not sys.stderr.isatty()))
        for number, raw, consumed in itertools.chain([first] if first else [], lines):
            document, problems = _document(path, number, raw)
            if document is not None or problems:
                bad_line, failed_line = _one(number, document, problems, setup, build, fail_on, sink,
                                             "" if progress.hidden else _CLEAR_LINE)
                bad, failed = bad or bad_line, failed or failed_line
            progress.update(consumed - progress.pos)
        progress.update(max(size, 1) - progress.pos)
    return 2 if bad else 1 if failed else 0


#: Back to the start of the terminal line and erase it: the progress bar is redrawn below an error, not beside it.
_CLEAR_LINE = "\r\x1b[K"


def _one(number: int, document: Document | None, problems: list[Problem], setup: Setup, build: UseCaseBuilder,
         fail_on: str, sink: IO[str], clear: str = "") -> tuple[bool, bool]:
    """Evaluate one line; ``(bad, failed)``. ``clear`` is written before each error (the progress bar's line)."""
    failed = False
    if document is not None:
        try:
            use_case, assumed = build(document)
            report = report_for(setup, use_case, assumed, fail_on)
        except ModelTermsError as exc:
            problems = list(exc.problems)
        else:
            failed = not report.gate.passed
            _write({"line": number, **report.to_dict()}, sink)
    for problem in problems:
        click.echo(f"{clear}error: {problem.render()}", err=True)
    if problems:
        _write({"line": number, "error": [problem.render() for problem in problems]}, sink)
    return bool(problems), failed


#: Characters that JSON allows raw in strings but line-splitting tools take for line ends: written escaped.
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"})


def _write(entry: dict[str, Any], sink: IO[str]) -> None:
    sink.write(json.dumps(entry, sort_keys=True, ensure_ascii=False).translate(_LINE_BREAKS) + "\n")
    sink.flush()
