"""Reuse a validated catalog across runs when none of its inputs changed.

Parsing and validating ~100 YAML files costs more than evaluating them, and a
CI job or a terminal user runs ``modelterms check`` again and again on the same
files. The cache key hashes the *content* of every input file and of the
package's own code and schemas, so any edit (even one that keeps the mtime)
misses the cache; a file that fails validation is never cached, so an error
can never be hidden by an old good copy. ``MODELTERMS_NO_CACHE=1`` turns it
off; ``MODELTERMS_CACHE_DIR`` moves it (default: ``$XDG_CACHE_HOME/modelterms``).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_PACKAGE = Path(__file__).resolve().parent
_KEEP = 8


def cache_dir() -> Path | None:
    if os.environ.get("MODELTERMS_NO_CACHE"):
        return None
    configured = os.environ.get("MODELTERMS_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "modelterms"


def _inputs(roots: Iterable[Path]) -> Iterable[Path]:
    code = sorted(p for p in _PACKAGE.rglob("*") if p.suffix in (".py", ".json") and "_bundled" not in p.parts)
    yield from code
    for root in roots:
        if root.is_file():
            yield root
        elif root.is_dir():
            yield from sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            yield root  # missing: part of the key, and the loader reports it


def key(roots: Iterable[Path], extra: str) -> str:
    try:  # the C module directly: importing hashlib loads OpenSSL, which costs more than the whole lookup
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other Python implementations
        from hashlib import blake2b
    digest = blake2b(extra.encode(), digest_size=20)
    for path in _inputs(roots):
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()


FORMAT = "3"


def cached(roots: list[Path], extra: str, build: Callable[[], T], usable: Callable[[object], bool]) -> T:
    """``build()``, or its result from an earlier run with byte-identical inputs.

    ``usable`` vets what was unpickled (type and attributes), so that a file
    written by another version of the code is rebuilt instead of trusted.
    """
    directory = cache_dir()
    if directory is None:
        return build()
    path = directory / f"catalog-{key(roots, f'{FORMAT}|{extra}')}.pickle"
    try:
        with open(path, "rb") as handle:
            loaded = pickle.load(handle)
        if usable(loaded):
            return loaded  # type: ignore[no-any-return]
    except Exception:  # missing, truncated or from another version: rebuild
        pass
    value = build()  # raises on invalid input: nothing is written
    try:
        import tempfile

        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, delete=False, suffix=".tmp") as temporary:
            pickle.dump(value, temporary, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary.name, path)
        _prune(directory, keep=path)
    except OSError:
        pass  # a read-only home is no reason to fail a check
    return value


def _prune(directory: Path, keep: Path) -> None:
    files = sorted(directory.glob("catalog-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[_KEEP:]:
        if old != keep:
            old.unlink(missing_ok=True)
