"""Fill a rule's message template from a fact's context: ``{grant.condition}``, ``{use.as_of}``."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


class _Formatter(string.Formatter):
    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        head, _, tail = field_name.partition(".")
        return kwargs[head].get(tail), field_name

    def format_field(self, value: Any, format_spec: str) -> str:
        return _show(value)


_formatter = _Formatter()


def render(template: str, values: Mapping[str, Mapping[str, Any]]) -> str:
    """Render ``template``; numbers get thousands separators and lists are joined with commas."""
    return " ".join(_formatter.vformat(template, (), values).split())
