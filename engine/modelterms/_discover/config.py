"""Model references in YAML, JSON and TOML files: the value of a key that names a model, with its line.

Model positions are the values (a string, or a list of strings) of the keys in
``MODEL_KEYS`` at any depth. Every other string value is read outside a model
position. YAML is composed with the same safe loader as ``modelterms._yaml``
(no tag is ever constructed, so nothing runs) but walked here rather than
built: a repository's YAML is not modelterms input, and strictness there
(``on:`` in a GitHub workflow is a boolean key to YAML 1.1) must not turn a
scan into an error. A file that does not parse is passed over with a notice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import yaml

from .._yaml import _Loader
from .interface import Reference, SourceKind
from .shell import VARIABLE

MODEL_KEYS = frozenset({"model", "model_id", "model_name", "base_model", "served_model_name", "modelId",
                        "modelName", "model_name_or_path", "pretrained_model_name_or_path", "repo_id",
                        "base_model_name_or_path", "embedding_model", "llm_model"})
#: under a model key, a mapping names its model with one of these (``model: {name: org/x, revision: r}``)
NESTED_KEYS = frozenset({"name", "id", "repo", "repo_id", "path", "pretrained_model_name_or_path"})
_MAX_NODES = 200_000


def yaml_references(text: str, path: str) -> Iterator[Reference]:
    """Raises yaml.YAMLError for text that is not YAML."""
    seen: set[int] = set()
    count = 0
    for document in yaml.compose_all(text, Loader=_Loader):
        pending: list[tuple[yaml.Node, bool]] = [(document, False)] if document is not None else []
        while pending:
            node, position = pending.pop()
            count += 1
            if id(node) in seen or count > _MAX_NODES:
                continue  # an alias met again: its strings were read once
            seen.add(id(node))
            if isinstance(node, yaml.ScalarNode):
                if node.tag.endswith(":str") and 0 < len(node.value) <= 200:
                    yield Reference(node.value, path, node.start_mark.line + 1, SourceKind.CONFIG,
                                    in_model_position=position)
            elif isinstance(node, yaml.SequenceNode):
                pending.extend((item, position) for item in reversed(node.value))
            elif isinstance(node, yaml.MappingNode):
                keys = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
                env_name = keys.get("name")
                # a Kubernetes env entry: {name: MODEL_ID, value: org/name}
                env_model = isinstance(env_name, yaml.ScalarNode) and VARIABLE.match(env_name.value) is not None
                for key, value in reversed(node.value):
                    named = isinstance(key, yaml.ScalarNode) and (
                        key.value in MODEL_KEYS or (position and key.value in NESTED_KEYS)
                        or (env_model and key.value == "value"))
                    pending.append((value, named))  # under a model key, a mapping names it one level down


def _strings(data: Any, position: bool = False) -> Iterator[tuple[str, str | None, bool]]:
    """``(value, key, in_model_position)`` for every string value of parsed JSON or TOML."""
    pending: list[tuple[Any, str | None, bool]] = [(data, None, position)]
    while pending:
        value, key, position = pending.pop()
        if isinstance(value, str):
            yield value, key, position
        elif isinstance(value, dict):
            pending.extend((item, str(name), str(name) in MODEL_KEYS and not isinstance(item, dict))
                           for name, item in reversed(value.items()))
        elif isinstance(value, list):
            pending.extend((item, key, position) for item in reversed(value))


class _Lines:
    """Line numbers of values in the text they were parsed from, found by searching for them in order."""

    def __init__(self, text: str, comments: bool = False) -> None:
        self.text = text
        self.comments = comments  # TOML: a match after a ``#`` on its line is in a comment, not the value
        self.starts = [0]
        self.starts += [m.end() for m in re.finditer("\n", text)]
        self.after: dict[tuple[str, str | None], int] = {}  # the same value twice: the second is found after the first

    def _commented(self, offset: int) -> bool:
        if not self.comments:
            return False
        start = self.text.rfind("\n", 0, offset) + 1
        return "#" in self.text[start:offset]

    def line_of(self, offset: int) -> int:
        import bisect

        return bisect.bisect_right(self.starts, offset)

    def find(self, value: str, key: str | None, quotes: tuple[str, ...]) -> int:
        spellings = [json.dumps(value), json.dumps(value, ensure_ascii=False), *(q + value + q for q in quotes)]
        start = self.after.get((value, key), 0)
        for begin in dict.fromkeys((start, 0)):
            if key is not None:
                for spelling in spellings:
                    pattern = rf"""["']?{re.escape(key)}["']?\s*[:=]\s*(?:\[[^\]]*?)?{re.escape(spelling)}"""
                    for match in re.compile(pattern).finditer(self.text, begin):
                        if not self._commented(match.start()):
                            self.after[(value, key)] = match.end()
                            return self.line_of(match.end() - 1)
            for spelling in spellings:
                offset = self.text.find(spelling, begin)
                while offset >= 0 and self._commented(offset):
                    offset = self.text.find(spelling, offset + 1)
                if offset >= 0:
                    self.after[(value, key)] = offset + len(spelling)
                    return self.line_of(offset)
        return 1


def parsed_references(data: Any, text: str, path: str, wanted: Callable[[str], bool],
                      quotes: tuple[str, ...] = ()) -> Iterator[Reference]:
    """References in parsed JSON or TOML; ``wanted`` says which strings outside a model position are worth a
    line search (the catalog's exact names), so a large file costs one walk, not one search per string."""
    lines = _Lines(text, comments=bool(quotes))
    for value, key, position in _strings(data):
        if 0 < len(value) <= 200 and (position or wanted(value)):
            yield Reference(value, path, lines.find(value, key if position else None, quotes), SourceKind.CONFIG,
                            in_model_position=position)


def json_references(data: Any, text: str, path: str, wanted: Callable[[str], bool]) -> Iterator[Reference]:
    return parsed_references(data, text, path, wanted)


def toml_references(text: str, path: str, wanted: Callable[[str], bool]) -> Iterator[Reference]:
    """Raises tomllib.TOMLDecodeError for text that is not TOML."""
    import tomllib

    data = tomllib.loads(text)
    tool = data.get("tool")
    if isinstance(tool, dict):
        tool.pop("modelterms", None)  # modelterms' own config in pyproject.toml (see walk.OWN_CONFIG)
    return parsed_references(data, text, path, wanted, quotes=('"', "'"))
