"""Validate data against the shipped JSON Schemas, with lines and suggestions.

The schemas in ``schemas/`` are the single source of truth for the shape of
every file kind: editors use them as people type, and this module interprets
the subset of JSON Schema they use, so that errors carry the file, the line,
the key path and a "did you mean" hint. The test suite checks that this
interpreter and the reference ``jsonschema`` implementation agree.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path as _FsPath
from typing import Any

from ._errors import MAX_SHOWN, Problem
from ._yaml import Document, Path

KINDS = {
    "license": "license-profile.schema.json",
    "models": "model-catalog.schema.json",
    "use-case": "use-case.schema.json",
    "rules": "rules.schema.json",
    "config": "config.schema.json",
    "vocabulary": "vocabulary.schema.json",
}
SCHEMA_DIR = _FsPath(__file__).parent / "schemas"
_TYPE_NAMES = {
    "string": "a string", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "array": "a list", "object": "a mapping", "null": "empty (null)",
}


@cache
def schema_text(filename: str) -> str:
    return (SCHEMA_DIR / filename).read_text("utf-8")


@cache
def load_schema(filename: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text(filename))
    return loaded


def suggest(word: str, options: list[str] | tuple[str, ...] | set[str]) -> str:
    """A 'did you mean' hint for a misspelt word, or the list of options when nothing is close."""
    import difflib  # only on the error path

    options = sorted(str(option) for option in options)
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    if len(options) <= 12:
        return "expected one of: " + ", ".join(options)
    return ""


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _is_type(value: Any, expected: str) -> bool:
    actual = _type_of(value)
    return actual == expected or (expected == "number" and actual == "integer")


def _declares(option: dict[str, Any], value: Any) -> bool:
    """Whether an ``anyOf`` option states a type that ``value`` has."""
    expected = option.get("type")
    if expected is None:
        return False
    return any(_is_type(value, name) for name in (expected if isinstance(expected, list) else [expected]))


@cache
def _resolve(ref: str, filename: str) -> tuple[dict[str, Any], str]:
    """The schema node a ``$ref`` names, and its file (the schemas are read once, so are their nodes)."""
    target_file, _, pointer = ref.partition("#")
    filename = target_file or filename
    node: Any = load_schema(filename)
    for part in filter(None, pointer.split("/")):
        node = node[part]
    return node, filename


#: id(schema node) -> its keywords beside ``$ref``; nodes come from load_schema's cache, so ids stay valid.
_REST: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}


def _beside_ref(schema: dict[str, Any]) -> dict[str, Any]:
    found = _REST.get(id(schema))
    if found is None or found[0] is not schema:
        found = _REST[id(schema)] = (schema, {k: v for k, v in schema.items() if k not in ("$ref", "description")})
    return found[1]


class _Validator:
    def __init__(self, document: Document, filename: str) -> None:
        self.document = document
        self.filename = filename
        self.count = 0
        self.quiet = 0

    def resolve(self, ref: str, filename: str) -> tuple[dict[str, Any], str]:
        return _resolve(ref, filename)

    def check(self, value: Any, schema: dict[str, Any], path: Path, filename: str) -> list[Problem]:
        if "$ref" in schema:
            target, target_file = self.resolve(schema["$ref"], filename)
            problems = self.check(value, target, path, target_file)
            rest = _beside_ref(schema)
            return problems or (self.check(value, rest, path, filename) if rest else [])
        if "anyOf" in schema:
            # Options are tried quietly (no "did you mean" for a branch that may pass or be dropped) and the
            # first that passes ends the search; only the option whose problems are shown is checked again
            # with suggestions, so they are built for shown problems alone.
            options = schema["anyOf"]
            attempts = self.quietly(lambda option: self.check(value, option, path, filename), options)
            if attempts is not None:
                # The option written for this type of value says best what is wrong with it
                # (`any: []` "needs at least 1 item", not "must be a string ... not a list").
                fitting = [index for index, option in enumerate(options) if _declares(option, value)]
                best = min(fitting or range(len(options)), key=lambda index: len(attempts[index]))
                return self.check(value, options[best], path, filename)
        if "const" in schema and value != schema["const"]:
            return [self.problem(path, f"must be {schema['const']!r}")]
        if "enum" in schema and value not in schema["enum"]:
            shown = "" if isinstance(value, (dict, list)) else f"{value!r} "
            return [self.problem(path, f"{shown}is not allowed here",
                                 self.suggest(str(value), schema["enum"])
                                 or schema.get("description", ""))]
        expected = schema.get("type")
        if expected is not None:
            allowed = expected if isinstance(expected, list) else [expected]
            if not any(_is_type(value, name) for name in allowed):
                return [self.type_problem(value, allowed, path)]
        if isinstance(value, str):
            return self.check_string(value, schema, path)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                return [self.problem(path, f"must be at least {schema['minimum']}")]
            if "maximum" in schema and value > schema["maximum"]:
                return [self.problem(path, f"must be at most {schema['maximum']}")]
        if isinstance(value, list):
            return self.check_array(value, schema, path, filename)
        if isinstance(value, dict):
            return self.check_object(value, schema, path, filename)
        return []

    def check_string(self, value: str, schema: dict[str, Any], path: Path) -> list[Problem]:
        if len(value) < schema.get("minLength", 0):
            return [self.problem(path, "must not be empty")]
        pattern = schema.get("pattern")
        if pattern and not re.search(pattern, value):
            hint = schema.get("description", "")
            return [self.problem(path, f"{value[:80]!r} is not in the expected form", hint)]
        if schema.get("format") == "date":
            try:
                _dt.date.fromisoformat(value)
            except ValueError as exc:
                return [self.problem(path, f"is not a valid date: {exc}", "give a day that exists, YYYY-MM-DD")]
        return []

    def check_array(self, value: list[Any], schema: dict[str, Any], path: Path, filename: str) -> list[Problem]:
        problems: list[Problem] = []
        if len(value) < schema.get("minItems", 0):
            problems.append(self.problem(path, f"needs at least {schema['minItems']} item(s)"))
        if schema.get("uniqueItems"):
            seen: list[Any] = []
            for index, item in enumerate(value):
                if item in seen:
                    problems.append(self.problem((*path, index), f"repeats {item!r}", "list each item once"))
                seen.append(item)
        if "items" in schema:
            for index, item in enumerate(value):
                problems += self.check(item, schema["items"], (*path, index), filename)
        return problems

    def check_object(self, value: dict[str, Any], schema: dict[str, Any], path: Path,
                     filename: str) -> list[Problem]:
        problems: list[Problem] = []
        properties: dict[str, Any] = schema.get("properties", {})
        if "maxProperties" in schema and len(value) > schema["maxProperties"]:
            problems.append(self.problem(path, f"must have at most {schema['maxProperties']} key(s)",
                                         "split it into separate list items"))
        if len(value) < schema.get("minProperties", 0):
            problems.append(self.problem(path, "must not be empty"))
        for name in schema.get("required", []):
            if name not in value:
                problems.append(self.problem(path, f"is missing the key `{name}`", f"add `{name}:`"))
        names = schema.get("propertyNames")
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            child = (*path, key)
            if names and "pattern" in names and not re.search(names["pattern"], key):
                problems.append(self.problem(child, f"`{key}` is not a valid key here",
                                             schema.get("description", "")))
                continue
            if key in properties:
                problems += self.check(item, properties[key], child, filename)
            elif extra is False:
                problems.append(self.problem(child, f"`{key}` is not a known key",
                                             self.suggest(key, list(properties))))
            elif isinstance(extra, dict):
                problems += self.check(item, extra, child, filename)
        if not problems and "anyOf" in schema and self.quietly(
            lambda option: self.check(value, option, path, filename), schema["anyOf"]
        ) is not None:
            wanted = " or ".join(f"`{req}`" for option in schema["anyOf"] for req in option.get("required", []))
            problems.append(self.problem(path, f"needs {wanted}"))
        return problems

    def type_problem(self, value: Any, allowed: list[str], path: Path) -> Problem:
        wanted = " or ".join(_TYPE_NAMES.get(name, name) for name in allowed)
        hint = ""
        yaml_words = ("yes", "no", "true", "false", "on", "off")
        if "boolean" in allowed and isinstance(value, str) and value.lower() in yaml_words:
            hint = "write true or false, without quotes"
        elif "integer" in allowed and isinstance(value, str) and value.replace("_", "").replace(",", "").isdigit():
            hint = "write the number without quotes or commas"
        elif "integer" in allowed and isinstance(value, float):
            hint = "write a whole number"
        return self.problem(path, f"must be {wanted}, not {_TYPE_NAMES.get(_type_of(value), _type_of(value))}", hint)

    def quietly(self, attempt: Callable[[Any], list[Problem]], options: list[Any]) -> list[list[Problem]] | None:
        """Each option's problems, or None as soon as one option passes; no suggestions are built meanwhile."""
        self.quiet += 1
        try:
            attempts = []
            for option in options:
                problems = attempt(option)
                if not problems:
                    return None
                attempts.append(problems)
            return attempts
        finally:
            self.quiet -= 1

    def problem(self, path: Path, message: str, hint: str = "") -> Problem:
        if self.quiet:
            return Problem(self.document.name, None, "", message, hint)  # tried, never shown
        self.count += 1
        return self.document.problem(path, message, hint)

    def suggest(self, word: str, options: list[Any]) -> str:
        """A hint for the first shown problems only: a discarded branch's or a hidden problem's is never read."""
        if self.quiet or self.count >= MAX_SHOWN:
            return ""
        return suggest(word, [str(option) for option in options])


def validate(document: Document, kind: str) -> list[Problem]:
    """Problems of ``document`` against the schema of ``kind`` (empty when valid)."""
    filename = KINDS[kind]
    return _Validator(document, filename).check(document.data, load_schema(filename), (), filename)
