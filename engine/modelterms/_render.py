"""Fill a rule's message template from a fact's context: ``{grant.condition}``, ``{use.as_of}``."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

_FIELD = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")


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


def template_fields(template: str) -> list[str]:
    """The ``{path}`` fields of ``template``; ValueError for anything else.

    Only plain fields are allowed: ``str.format``'s other syntax (``{}``, ``{0}``, ``{a[b]}``,
    ``{a.b!r}``, ``{a.b:>10}``) would be accepted by the parser and fail, or print internals, only
    when a finding is rendered. Checking here lets the loader reject such a template with its line.
    """
    fields = []
    for _, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        shown = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if conversion or spec or not _FIELD.fullmatch(field):
            raise ValueError(f"`{shown}` is not a plain field: write `{{path.name}}`, e.g. `{{license.name}}`")
        fields.append(field)
    return fields


def render(template: str, values: Mapping[str, Mapping[str, Any]]) -> str:
    """Render ``template``; numbers get thousands separators and lists are joined with commas."""
    return " ".join(_formatter.vformat(template, (), values).split())
