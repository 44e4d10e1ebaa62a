"""Fill a rule's message template from a fact's context: ``{grant.condition}``, ``{use.as_of}``."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from functools import lru_cache
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


@lru_cache(maxsize=4096)
def compiled(template: str) -> tuple[tuple[str, str | None, str], ...]:
    """``template`` parsed once: ``(literal text, field head or None, field tail)`` per piece.

    A rule's templates are rendered for every finding; parsing them again each time (``string.Formatter``)
    cost more than the rest of rendering. Bounded: policies and user rules may bring their own templates.
    """
    pieces = []
    for literal, field, _, _ in string.Formatter().parse(template):
        head, _, tail = (field or "").partition(".")
        pieces.append((literal, head if field is not None else None, tail))
    return tuple(pieces)


def render(template: str, values: Mapping[str, Mapping[str, Any]]) -> str:
    """Render ``template``; numbers get thousands separators and lists are joined with commas."""
    text = "".join(literal if head is None else literal + _show(values[head].get(tail))
                   for literal, head, tail in compiled(template))
    return " ".join(text.split())


def field_values(template: str, values: Mapping[str, Mapping[str, Any]]) -> tuple[Any, ...]:
    """The values ``template`` shows, hashable (lists as tuples): what a rendered text depends on."""
    return tuple(_frozen(values[head].get(tail)) for head, tail in _fields(template))


@lru_cache(maxsize=4096)
def _fields(template: str) -> tuple[tuple[str, str], ...]:
    return tuple((head, tail) for _, head, tail in compiled(template) if head is not None)


def _frozen(value: Any) -> Any:
    """``value`` as a hashable key that tells apart what ``_show`` prints differently (True and 1)."""
    if type(value) is str:
        return value
    if isinstance(value, (list, tuple)):
        return (list, *(_frozen(item) for item in value))
    if isinstance(value, dict):
        return (dict, *sorted((key, _frozen(item)) for key, item in value.items()))
    return (type(value), value)
