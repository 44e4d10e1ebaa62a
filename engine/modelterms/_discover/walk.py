"""The files of a tree worth reading for model references, and which reader reads each.

Skipped without a word: version-control folders, virtual environments (a
``pyvenv.cfg`` marks one whatever its name), ``node_modules``, build and cache
folders, and binary files. Skipped with a notice: files over ``MAX_BYTES``
(generated data, vendored bundles) and symbolic links that point out of the
tree. Symbolic links to folders are never followed, so no loop and nothing
outside the tree is read. A folder that cannot be listed is an error: the scan
would otherwise pass without having looked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from .._errors import InputError, Problem
from .interface import Notice

MAX_BYTES = 1024 * 1024
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules", "__pycache__", ".mypy_cache",
    ".pytest_cache", ".ruff_cache", ".cache", ".eggs", "build", "dist", "site-packages", ".next", ".nuxt",
    ".terraform", ".gradle", "target", ".ipynb_checkpoints", "bower_components", ".yarn", ".pnpm-store",
})
_CODE = {".py": "python", ".pyi": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript",
         ".jsx": "javascript", ".ts": "javascript", ".tsx": "javascript", ".mts": "javascript",
         ".cts": "javascript", ".ipynb": "notebook", ".yaml": "yaml", ".yml": "yaml", ".json": "json",
         ".toml": "toml", ".sh": "shell", ".bash": "shell", ".zsh": "shell", ".dockerfile": "shell",
         ".env": "shell"}


class SourceFile(NamedTuple):
    path: Path
    relative: str
    """Relative to the scanned root, with forward slashes."""
    reader: str
    """Which reader reads it: python, javascript, notebook, yaml, json, toml or shell."""


#: modelterms' own project config: its models and waivers are what the scan checks against, not uses of a model
#: (a waiver naming an unknown model would otherwise create the very reference it waives)
OWN_CONFIG = frozenset({"modelterms.yaml", "modelterms.yml"})


def reader_for(name: str) -> str | None:
    """The reader for a file name, or None for a file that names no model in a way we read."""
    lowered = name.lower()
    if lowered in OWN_CONFIG:
        return None
    if lowered == "dockerfile" or lowered.startswith(("dockerfile.", "containerfile", ".env")):
        return "shell"
    if lowered.endswith(".dockerfile"):
        return "shell"
    return _CODE.get(os.path.splitext(lowered)[1])


def is_binary(head: bytes) -> bool:
    return b"\0" in head


def source_files(root: Path, notices: list[Notice], max_bytes: int = MAX_BYTES) -> Iterator[SourceFile]:
    """Every readable source file under ``root`` (or ``root`` itself), in a stable order."""
    if root.is_file() and not root.is_symlink():
        reader = reader_for(root.name)
        if reader is not None:
            yield SourceFile(root, root.name, reader)
        return
    if not root.is_dir():
        raise InputError([Problem(str(root), None, "", "does not exist", "check the path")])
    top = root.resolve()
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as scanned:
                entries = sorted(scanned, key=lambda entry: entry.name)
        except OSError as exc:
            raise InputError([Problem(str(folder), None, "", f"cannot be read ({exc.strerror or exc})",
                                      "fix its permissions, or leave it out of the paths given")]) from None
        if folder != root and any(entry.name == "pyvenv.cfg" for entry in entries):
            continue  # a virtual environment, whatever it is called
        subfolders = []
        for entry in entries:
            relative = Path(entry.path).relative_to(root).as_posix()
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIP_DIRS and not entry.name.endswith(".egg-info"):
                    subfolders.append(Path(entry.path))
                continue
            reader = reader_for(entry.name)
            if reader is None:
                continue
            if entry.is_symlink():
                target = Path(entry.path).resolve()
                if not target.is_relative_to(top):
                    notices.append(Notice(relative, "skipped: a symbolic link pointing out of the scanned tree"))
                    continue
                if not target.is_file():
                    continue  # a link to a folder (never followed) or to nothing
            try:
                size = os.stat(entry.path).st_size
            except OSError:
                continue  # vanished while walking
            if size > max_bytes:
                notices.append(Notice(relative, f"skipped: {size} bytes is over the {max_bytes}-byte limit for "
                                                "source files"))
                continue
            yield SourceFile(Path(entry.path), relative, reader)
        pending.extend(reversed(subfolders))


def read_source(source: SourceFile, notices: list[Notice]) -> str | None:
    """The file's text, or None (with a notice) when it is binary or not text in UTF-8."""
    from .._yaml import read_bytes

    # The one reader of the package: a regular file only (a FIFO swapped in after the walk never blocks),
    # never more than the size limit read.
    data = read_bytes(str(source.path), MAX_BYTES)
    if is_binary(data[:8192]):
        return None
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        notices.append(Notice(source.relative, "skipped: not UTF-8 text"))
        return None
