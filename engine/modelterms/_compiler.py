"""Compile declarative YAML rules into durable-rules ruleset definitions.

A rule's ``when`` is a list of comparisons that must all hold; ``any:`` groups
alternatives. Paths name fact fields (``use.commercial``, ``grant.value``);
every path and literal is checked against the fact model here, so a typo in a
rule is an error at load time rather than a rule that silently never fires.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from ._engine import plan_problem
from ._errors import Problem
from ._facts import BOOL, CONTEXT, FIELDS, INT, LIST, STR
from ._model import CompiledRules, Rule
from ._render import template_fields
from ._schema import suggest
from ._yaml import Document, Path

_OPERATORS = {"eq": None, "ne": "$neq", "gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte"}
_ORDERED = {"gt", "gte", "lt", "lte"}
#: Every operator of the rule language (the schema's ``comparison`` allows exactly these). There is no
#: ``not_contains``: durable-rules' ``$iall`` is false on an empty list, so "lacks x" cannot be said faithfully.
_KNOWN = frozenset({*_OPERATORS, "in", "not_in", "contains", "exists"})


class _RuleCompiler:
    def __init__(self, rule: Rule, document: Document | None, path: Path) -> None:
        self.rule = rule
        self.document = document
        self.path = path
        self.problems: list[Problem] = []
        self.paths: set[str] = set()

    def problem(self, where: Path, message: str, hint: str = "") -> None:
        full = (*self.path, *where)
        if self.document is not None:
            self.problems.append(self.document.problem(full, message, hint))
        else:
            self.problems.append(Problem(self.rule.source, None, ".".join(map(str, full)), message, hint))

    def field_type(self, dotted: str, where: Path) -> str | None:
        head, _, tail = dotted.partition(".")
        allowed = (*CONTEXT, self.rule.subject) if self.rule.subject not in CONTEXT else CONTEXT
        if head not in allowed:
            self.problem(where, f"`{dotted}` cannot be used in a rule `subject: {self.rule.subject}`",
                         "paths start with " + ", ".join(f"`{name}.`" for name in allowed))
            return None
        known = FIELDS[head]
        if tail not in known:
            self.problem(where, f"`{dotted}` is not a field of the fact model",
                         suggest(dotted, [f"{head}.{name}" for name in known]))
            return None
        self.paths.add(dotted)
        return known[tail]

    def literal(self, value: Any, kind: str, where: Path) -> None:
        expected = {BOOL: bool, INT: int, STR: str}.get(kind)
        if value is None or expected is None:
            return
        if (expected is int and isinstance(value, bool)) or not isinstance(value, expected):
            self.problem(where, f"compares a {kind} field with {value!r}", f"give a {kind}")

    def comparison(self, dotted: str, spec: Any, where: Path) -> dict[str, Any] | None:
        kind = self.field_type(dotted, where)
        if kind is None:
            return None
        if not isinstance(spec, dict):
            spec = {"eq": spec}
        ((op, operand),) = spec.items()
        where = (*where, op)
        if op not in _KNOWN:  # the schema lists the same operators; this keeps a gap from becoming a crash
            self.problem(where, f"`{op}` is not an operator", suggest(op, sorted(_KNOWN)))
            return None
        if isinstance(operand, dict):  # {ref: other.path}
            other = operand["ref"]
            other_kind = self.field_type(other, where)
            if other_kind is not None and op != "contains" and other_kind != kind:
                self.problem(where, f"compares {dotted} ({kind}) with {other} ({other_kind})")
            right: Any = {"$m": other}
        else:
            right = operand
        if op == "exists":
            return {"$ex" if operand else "$nex": {dotted: 1}}
        if op == "contains":
            if kind != LIST:
                self.problem(where, f"`contains` needs a list field; {dotted} is a {kind}")
            return {"$iany": {dotted: {"$i": right}}}
        if op in ("in", "not_in"):
            if not isinstance(operand, list) or not operand:
                self.problem(where, f"`{op}` needs a non-empty list")
                return None
            for index, item in enumerate(operand):
                self.literal(item, kind, (*where, index))
            if op == "in":
                return {"$or": [{dotted: item} for item in operand]}
            return {"$and": [{"$neq": {dotted: item}} for item in operand]}
        if kind == LIST:
            self.problem(where, f"{dotted} is a list: use `contains`")
            return None
        if op in _ORDERED and kind != INT:
            self.problem(where, f"`{op}` needs a number field; {dotted} is a {kind}")
        if not isinstance(operand, dict):
            self.literal(operand, kind, where)
        durable_op = _OPERATORS[op]
        return {dotted: right} if durable_op is None else {durable_op: {dotted: right}}

    def condition(self, item: dict[str, Any], where: Path) -> dict[str, Any] | None:
        ((key, value),) = item.items()
        if key == "any":
            parts = [self.condition(option, (*where, "any", index)) for index, option in enumerate(value)]
            compiled = [part for part in parts if part is not None]
            return {"$or": compiled} if len(compiled) == len(parts) and compiled else None
        return self.comparison(key, value, (*where, key))

    def templates(self) -> None:
        for name in ("message", "remedy", "obligation"):
            text = getattr(self.rule, name)
            if text is None:
                continue
            try:
                fields = template_fields(text)
            except ValueError as exc:
                self.problem((name,), f"is not a valid template: {exc}", "write {{ and }} for literal braces")
                continue
            for field in fields:
                self.field_type(field, (name,))

    def compile(self) -> dict[str, Any]:
        # The subject test always comes first: it is positive, so no rule is ever absence-only
        # (durable-rules spins forever on a rule whose only condition is an absence test).
        parts: list[dict[str, Any]] = [{"subject": self.rule.subject}]
        for index, item in enumerate(self.rule.when):
            compiled = self.condition(item, ("when", index))
            if compiled is not None:
                parts.append(compiled)
        paths_before = set(self.paths)
        self.templates()
        self.template_paths = self.paths - paths_before
        return {"all": [{"m": {"$and": parts}}]}


def compile_rules(rules: Sequence[Rule], documents: Mapping[str, Document] | None = None,
                  locations: Mapping[str, Path] | None = None) -> tuple[CompiledRules | None, list[Problem]]:
    """Compile ``rules``; return the problems instead of raising so callers can report them all."""
    documents = documents or {}
    locations = locations or {}
    definition: dict[str, Any] = {}
    wanted: dict[str, set[str]] = {}
    problems: list[Problem] = []
    for rule in rules:
        compiler = _RuleCompiler(rule, documents.get(rule.source), locations.get(rule.id, ()))
        definition[rule.id] = compiler.compile()
        too_big = plan_problem(rule.id, definition[rule.id]) if not compiler.problems else None
        if too_big is not None:  # found here, at load, rather than when the first evaluation registers it
            compiler.problem(("when",), too_big, "move the long lists into separate rules or a shorter `in`")
        problems += compiler.problems
        condition_paths = compiler.paths - compiler.template_paths
        wanted.setdefault(rule.subject, set()).update(condition_paths)
    if problems:
        return None, problems
    digest = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()[:20]
    return CompiledRules(
        name=f"modelterms-{digest}",
        definition=definition,
        rules=tuple(rules),
        wanted={subject: tuple(sorted(paths)) for subject, paths in sorted(wanted.items())},
    ), []

