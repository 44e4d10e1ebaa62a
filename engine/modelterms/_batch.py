"""``check --batch FILE.jsonl``: many use cases against one loaded catalog, one JSON report per line.

A bad line is reported with its number (on stderr, and as an ``error`` line in
the output so that line numbers stay aligned) and the others still run; the
exit code is 2 at the end if any line failed, else the gate's answer.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO

import click

from ._errors import ModelTermsError, Problem
from ._model import UseCase
from ._workflow import Setup, report_for
from ._yaml import Document

UseCaseBuilder = Callable[[Document], tuple[UseCase, tuple[str, ...]]]


def _lines(path: str) -> list[str]:
    from ._yaml import read_text

    return read_text(path).splitlines()


def _documents(path: str, lines: list[str]) -> Iterator[tuple[int, Document | None, list[Problem]]]:
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield number, None, [Problem(path, number, "", f"is not valid JSON: {exc.msg} (column {exc.colno})",
                                         "write one JSON object per line")]
            continue
        if not isinstance(data, dict):
            yield number, None, [Problem(path, number, "", "must be a JSON object (a use case)")]
            continue
        yield number, Document(path, data, {(): number}), []


def run_batch(path: str, setup: Setup, build: UseCaseBuilder, fail_on: str, output: str | None) -> int:
    """Evaluate every line; return the exit code (2 if any line was bad, 1 if any failed the gate, else 0)."""
    lines = _lines(path)
    bad = failed = False
    out: list[str] = []
    sink: TextIO | None = None if output else sys.stdout
    with click.progressbar(length=len(lines), label="checking", file=sys.stderr,
                           hidden=not sys.stderr.isatty()) as progress:
        for number, document, problems in _documents(path, lines):
            bad_line, failed_line = _one(number, document, problems, setup, build, fail_on, out, sink)
            bad, failed = bad or bad_line, failed or failed_line
            progress.update(number - progress.pos)
    if output:
        from ._output import write_atomically

        write_atomically(output, "".join(out))
    return 2 if bad else 1 if failed else 0


def _one(number: int, document: Document | None, problems: list[Problem], setup: Setup, build: UseCaseBuilder,
         fail_on: str, out: list[str], sink: TextIO | None) -> tuple[bool, bool]:
    """Evaluate one line; ``(bad, failed)``."""
    failed = False
    if document is not None:
        try:
            use_case, assumed = build(document)
            report = report_for(setup, use_case, assumed, fail_on)
        except ModelTermsError as exc:
            problems = list(exc.problems)
        else:
            failed = not report.gate.passed
            _write({"line": number, **report.to_dict()}, out, sink)
    for problem in problems:
        click.echo(f"error: {problem.render()}", err=True)
    if problems:
        _write({"line": number, "error": [problem.render() for problem in problems]}, out, sink)
    return bool(problems), failed


def _write(entry: dict[str, Any], out: list[str], sink: TextIO | None) -> None:
    line = json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n"
    if sink is None:
        out.append(line)
    else:
        sink.write(line)
        sink.flush()
