"""Discover the models a repository uses: code, notebooks, configs, container and shell files, SBOMs.

``discover(root, resolver)`` walks the tree (see ``walk``), lets the reader of
each file kind report the strings that may name a model (see ``interface``),
and keeps those that count, in one place (``select``):

- a literal that is exactly a catalog id or alias counts wherever it stands;
- any other string counts only in a model position, and there only if it has
  the shape of a model name and none of a decoy (a path, URL, container image,
  GitHub Action, npm scope or bucket: see ``names``). Such a string the
  catalog does not know becomes an ``unknown-model-reference`` finding, so
  that the gate fails closed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from .._catalog import Catalog
from .interface import Notice, Reference, SourceKind
from .names import is_decoy, plausible_model_name
from .resolve import Resolver
from .walk import SourceFile, read_source, source_files

__all__ = ["Discovery", "Notice", "Reference", "Resolver", "SourceKind", "discover", "discover_models", "select"]


class Discovery(NamedTuple):
    references: tuple[Reference, ...]
    """The references that count, in file and line order, one per name, file and line."""
    notices: tuple[Notice, ...]


def discover_models(path: str | Path, catalog: Catalog) -> Discovery:
    """The model references under ``path`` (a folder or one file) that count, for ``catalog``.

    The library's entry point: what ``modelterms scan`` reads besides model cards. Each reference names the
    file (relative to ``path``) and line; an unknown name is kept when it stands where a model goes.

        >>> from modelterms import Catalog, discover_models
        >>> found = discover_models("src", Catalog.load())  # doctest: +SKIP
    """
    return discover(Path(path), Resolver(catalog))


def discover(root: Path, resolver: Resolver) -> Discovery:
    """Every model reference under ``root`` (a folder or one file) that counts (see the module docstring)."""
    notices: list[Notice] = []
    kept: dict[tuple[str, str, int], Reference] = {}
    for source in source_files(root, notices):
        for reference in _read(source, resolver, notices):
            if select(reference, resolver):
                key = (reference.name.lower(), reference.path, reference.line)
                old = kept.get(key)
                if old is None or (reference.in_model_position and not old.in_model_position):
                    kept[key] = reference._replace(revision=reference.revision or (old and old.revision))
                elif reference.revision and not old.revision:
                    kept[key] = old._replace(revision=reference.revision)
    ordered = sorted(kept.values(), key=lambda r: (r.path, r.line, r.name.lower()))
    return Discovery(tuple(ordered), tuple(notices))


def select(reference: Reference, resolver: Resolver) -> bool:
    """Whether a reader's candidate counts as a reference (the precision rules, in one place)."""
    if resolver.known_literal(reference.name):
        return True
    if not reference.in_model_position:
        return False
    if resolver.resolve(reference.name) is not None:
        return True  # the catalog's word first: models/gemini-2.5-pro is an id, though it looks like a folder
    return not is_decoy(reference.name) and plausible_model_name(reference.name)


def _read(source: SourceFile, resolver: Resolver, notices: list[Notice]) -> list[Reference]:
    from . import config, javascript, notebook, python, sbom, shell

    text = read_source(source, notices)
    if text is None:
        return []
    path = source.relative
    try:
        if source.reader == "python":
            return list(python.references(text, path)) if python.may_name_a_model(text, resolver.known_literal) \
                else []
        if source.reader == "javascript":
            return list(javascript.references(text, path))
        if source.reader == "notebook":
            return list(notebook.references(text, path, notices))
        if source.reader == "shell":
            return list(shell.references(text, path))
        if source.reader == "yaml":
            return [*config.yaml_references(text, path),
                    *shell.references(text, path, SourceKind.CONFIG, anywhere=False)]
        if source.reader == "toml":
            return list(config.toml_references(text, path, resolver.known_literal))
        data = json.loads(text)
        if sbom.is_cyclonedx(data):
            return list(sbom.cyclonedx_references(data, text, path))
        if sbom.is_spdx3(data):
            return list(sbom.spdx3_references(data, text, path))
        return list(config.json_references(data, text, path, resolver.known_literal))
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        notices.append(Notice(path, f"skipped: not valid {source.reader} ({type(exc).__name__})"))
        return []
    except Exception as exc:  # yaml.YAMLError and tomllib's errors, without importing them here
        if type(exc).__module__.startswith(("yaml", "tomllib")):
            notices.append(Notice(path, f"skipped: not valid {source.reader} ({type(exc).__name__})"))
            return []
        raise
