"""Output formats: one module each, one interface (``render(report) -> str``)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Protocol

from .._report import Report

if TYPE_CHECKING:
    from ._view import View

FORMATS = ("table", "json", "markdown", "csv", "sarif", "junit", "github", "cyclonedx", "html")
#: the formats people read: they also take a ``view`` (``--details``, ``--verdict``; see _view.py)
HUMAN = ("table", "markdown", "html")


class Formatter(Protocol):
    def __call__(self, report: Report, *, color: bool) -> str: ...


def formatter(name: str) -> Formatter:
    module = import_module(f"modelterms._format.{name}")
    render: Formatter = module.render
    return render


class HumanFormatter(Protocol):
    def __call__(self, report: Report, *, color: bool, view: View | None = None) -> str: ...


def human_formatter(name: str) -> HumanFormatter:
    """The renderer of a format people read (one of HUMAN), which also takes a ``View``."""
    if name not in HUMAN:
        raise ValueError(f"{name} is not one of {HUMAN}")
    module = import_module(f"modelterms._format.{name}")
    render: HumanFormatter = module.render
    return render
