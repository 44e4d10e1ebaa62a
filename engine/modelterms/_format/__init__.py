"""Output formats: one module each, one interface (``render(report) -> str``)."""

from __future__ import annotations

from importlib import import_module
from typing import Protocol

from .._report import Report

FORMATS = ("table", "json", "markdown", "csv", "sarif", "junit", "github", "cyclonedx")


class Formatter(Protocol):
    def __call__(self, report: Report, *, color: bool) -> str: ...


def formatter(name: str) -> Formatter:
    module = import_module(f"modelterms._format.{name}")
    render: Formatter = module.render
    return render
