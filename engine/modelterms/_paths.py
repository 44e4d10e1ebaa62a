"""Where the bundled catalog and rules are, installed or in a source checkout."""

from __future__ import annotations

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
