"""Safe YAML reading that remembers where every key came from.

PyYAML's ``safe_load`` forgets line numbers and expands aliases without limit,
so we compose the node graph (the C parser when present) and build plain values
ourselves: every value's line is recorded under its key path, only the standard
scalar tags are accepted (``!!python/object`` and friends are errors, never
executed), duplicate keys are errors, and the number of values built is bounded
so that an alias bomb is rejected instead of exhausting memory.
"""

from __future__ import annotations

import datetime as _dt
import os
import stat
from typing import Any, BinaryIO

import yaml

from ._errors import InputError, Problem

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_VALUES = 200_000
MAX_DEPTH = 64

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_constructor = yaml.constructor.SafeConstructor()

Path = tuple[str | int, ...]


def key_path(path: Path) -> str:
    """Render ``("grants", "modify", "cite")`` as ``grants.modify.cite`` and list indexes as ``[2]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class Document:
    """A parsed YAML file: its data and the line of every key path in it."""

    __slots__ = ("data", "lines", "name", "rename")

    def __init__(self, name: str, data: Any, lines: dict[Path, int] | None = None,
                 rename: dict[Path, Path] | None = None) -> None:
        self.name = name
        self.data = data
        self.lines: dict[Path, int] = {} if lines is None else lines
        #: For a part cut out of a bigger file (a config's ``use_case``): path prefix here -> key path there,
        #: so that messages name the key as the user wrote it.
        self.rename: dict[Path, Path] = rename or {}

    def line(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def problem(self, path: Path, message: str, hint: str = "") -> Problem:
        shown = path
        for prefix in sorted(self.rename, key=len, reverse=True):
            if path[: len(prefix)] == prefix:
                shown = (*self.rename[prefix], *path[len(prefix):])
                break
        return Problem(self.name, self.line(path), key_path(shown), message, hint)


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _not_regular(path: str, mode: int) -> InputError:
    return InputError([Problem(path, None, "", f"is not a regular file (it is {_kind_of(mode)})",
                               "give the path of a regular file")])


def open_regular(path: str, limit: int | None = MAX_FILE_BYTES) -> BinaryIO:
    """Open ``path`` for reading only if it is a regular file no larger than ``limit`` bytes.

    Every input goes through here, because a FIFO blocks ``open`` for ever, a device
    (``/dev/zero``) never ends, and a sparse file of gigabytes should be refused from its
    size alone. The path is checked with ``stat`` before it is opened (so that opening has no
    side effect on a device), opened non-blocking, and checked again on the open descriptor
    (so that a file swapped in between is caught). ``limit=None`` leaves the size to the caller
    (a batch file is streamed line by line).
    """
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            raise _not_regular(path, before.st_mode)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError([Problem(path, None, "", f"cannot be read: {exc.strerror or exc}")]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(path, info.st_mode)
        if limit is not None and info.st_size > limit:
            raise _too_large(path, limit)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb", buffering=1 << 16)
    except BaseException:
        os.close(fd)
        raise


def _too_large(path: str, limit: int) -> InputError:
    return InputError([Problem(path, None, "", f"is larger than {limit} bytes", "split it into smaller files")])


def read_bytes(path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The whole of a regular file of at most ``limit`` bytes; never more than ``limit + 1`` bytes are read."""
    handle = open_regular(path, limit)
    chunks: list[bytes] = []
    size = 0
    try:
        with handle:
            while size <= limit:
                chunk = os.read(handle.fileno(), min(1 << 20, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except OSError as exc:
        raise InputError([Problem(path, None, "", f"cannot be read: {exc.strerror or exc}")]) from None
    if size > limit:
        raise _too_large(path, limit)  # it grew after the size check
    return b"".join(chunks)


def read_text(path: str) -> str:
    """Read a file as UTF-8, turning every OS and decoding failure into an InputError."""
    raw = read_bytes(path)
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0  # a UTF-8 byte order mark, as some Windows editors write
    try:
        return raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: bom + exc.start].count(b"\n") + 1
        raise InputError(
            [Problem(path, line, "", f"is not valid UTF-8 (byte {bom + exc.start})", "save the file as UTF-8")]
        ) from None


def load_file(path: str) -> Document:
    return parse(read_text(path), path)


def parse(text: str, name: str) -> Document:
    """Parse one YAML document; raise InputError naming the file and line on any problem."""
    if len(text) > MAX_FILE_BYTES:
        raise InputError([Problem(name, None, "", f"is larger than {MAX_FILE_BYTES} bytes")])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        if "nesting depth" in str(exc.problem):
            # libyaml (0.2.5+, under PyYAML 6.0.4+) stops at its own depth limit before our builder sees the node;
            # report it as the builder does, whichever of the two limits is met first.
            raise InputError([Problem(name, line, "", f"nests deeper than {MAX_DEPTH} levels")]) from None
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise InputError([Problem(name, line, "", f"is not valid YAML: {message}")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, None, "", f"is not valid YAML: {exc}")]) from None
    except RecursionError:
        raise InputError([Problem(name, None, "", "nests too deeply")]) from None
    document = Document(name, None)
    if node is None:
        document.lines[()] = 1
        return document
    builder = _Builder(document)
    document.data = builder.build(node, (), 0)
    return document


#: YAML 1.1 reads these plain words as booleans; people mean text (``licensee_country: NO``) or are unsure.
_WORD_BOOLEANS = {"yes", "no", "on", "off", "y", "n"}


class _Builder:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.count = 0
        self.seen: set[int] = set()
        self.aliased = False

    def fail(self, node: yaml.Node, path: Path, message: str, hint: str = "") -> InputError:
        return InputError([Problem(self.document.name, node.start_mark.line + 1, key_path(path), message, hint)])

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.count += 1
        if not isinstance(node, yaml.ScalarNode):
            if id(node) in self.seen:
                self.aliased = True  # the same node met twice: an alias
            self.seen.add(id(node))
        if self.count > MAX_VALUES:
            if self.aliased:
                raise self.fail(node, path, f"expands to more than {MAX_VALUES} values",
                                "remove the YAML anchors/aliases that multiply the content")
            raise self.fail(node, path, f"has more than {MAX_VALUES} values", "split it into smaller files")
        if depth > MAX_DEPTH:
            raise self.fail(node, path, f"nests deeper than {MAX_DEPTH} levels")
        self.document.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            if node.tag != f"{_STD}map":
                raise self.fail(node, path, f"uses the YAML tag {node.tag!r}, which is not allowed",
                                "remove the tag")
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != f"{_STD}str":
                    raise self.fail(key_node, path, "has a key that is not a plain string",
                                    "quote the key")
                key = key_node.value
                if key in result:
                    raise self.fail(key_node, (*path, key), "is given twice", "keep one of them")
                self.document.lines[(*path, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*path, key), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != f"{_STD}seq":
                raise self.fail(node, path, f"uses the YAML tag {node.tag!r}, which is not allowed",
                                "remove the tag")
            return [self.build(item, (*path, index), depth + 1) for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self.scalar(node, path)

    def scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, path, f"uses the YAML tag {node.tag!r}, which is not allowed",
                            "remove the tag; only plain values are read")
        kind = node.tag[len(_STD):]
        try:
            value = self.construct(node, kind)
        except Exception as exc:  # PyYAML's constructors raise KeyError, IndexError, TypeError...
            what = "date" if kind == "timestamp" else {"bool": "boolean", "int": "whole number"}.get(kind, kind)
            detail = str(exc) if isinstance(exc, ValueError) and str(exc) else repr(node.value[:40])
            raise self.fail(node, path, f"is not a valid {what}: {detail}") from None
        if kind == "bool" and node.value.lower() in _WORD_BOOLEANS:
            raise self.fail(node, path, f"`{node.value}` is read as {str(value).lower()} (YAML 1.1)",
                            f'write true or false; write "{node.value}" in quotes if you mean the text')
        if kind in ("int", "float") and ":" in node.value:
            raise self.fail(node, path, f"`{node.value}` is read as the base-60 number {value} (YAML 1.1)",
                            f'write the number in plain digits, or "{node.value}" in quotes if you mean the text')
        return value

    @staticmethod
    def construct(node: yaml.ScalarNode, kind: str) -> Any:
        if kind == "str":
            return node.value
        if kind == "int":
            return _constructor.construct_yaml_int(node)
        if kind == "float":
            return _constructor.construct_yaml_float(node)
        if kind == "bool":
            return _constructor.construct_yaml_bool(node)
        if kind == "null":
            return None
        value = _constructor.construct_yaml_timestamp(node)
        if isinstance(value, _dt.datetime):
            return value.date().isoformat() if value.time() == _dt.time() else value.isoformat()
        return value.isoformat()
