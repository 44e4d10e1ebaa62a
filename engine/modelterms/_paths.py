"""Where the bundled catalog and rules are, installed or in a source checkout."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def bundled_root() -> Path:
    """``modelterms/_bundled`` in a wheel; the repository root in a checkout or editable install."""
    installed = _PACKAGE / "_bundled"
    if (installed / "rules").is_dir():
        return installed
    return _PACKAGE.parent.parent


def bundled_licenses() -> Path:
    return bundled_root() / "licenses"


def bundled_rules() -> Path:
    return bundled_root() / "rules"


def vocabulary_file() -> Path:
    return bundled_rules() / "vocabulary.yaml"


def relative_to_cwd(path: str | Path) -> str | None:
    """``path`` relative to the working directory (the repository root in CI), with forward slashes; None when
    it lies outside. Reports name files this way so that CI annotations and waivers match what users see."""
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return None


def walk(root: Path, wanted: Callable[[str], bool], skip: Collection[str] = ()) -> list[Path]:
    """The files under ``root`` whose name ``wanted`` accepts, sorted; never silent about what it cannot read.

    ``Path.rglob`` skips a directory it cannot list without a word, so an
    unreadable folder of policies or model cards would vanish from a check and
    its rules with it. Here it is an error naming the folder. Symbolic links
    to directories are not followed (no loops, nothing outside the tree);
    folders named in ``skip`` are passed over.
    """
    from ._errors import InputError, Problem

    found: list[Path] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                items = list(entries)
        except OSError as exc:
            raise InputError([Problem(str(folder), None, "", f"cannot be read ({exc.strerror or exc})",
                                      "fix its permissions, or leave it out of the paths given")]) from None
        for entry in items:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in skip:
                    pending.append(Path(entry.path))
            elif wanted(entry.name):
                found.append(Path(entry.path))
    return sorted(found)
