"""What every source reader of ``_discover`` returns: references to models, and notices about what was passed over.

A reader knows one kind of file (Python, a notebook, a config, a shell script,
an SBOM) and reports each string that *may* name a model, with where it stands:
``in_model_position`` says the code or config puts it where a model goes (the
model argument of an SDK call, a ``model:`` key, ``vllm serve ID``). Which of
them count is decided once, in ``_discover.select``, not by each reader.
"""

from __future__ import annotations

import enum
from typing import NamedTuple


class SourceKind(enum.StrEnum):
    """The kind of file a reference was read from."""

    PYTHON = "python"
    JAVASCRIPT = "javascript"
    NOTEBOOK = "notebook"
    CONFIG = "config"
    SHELL = "shell"
    SBOM = "sbom"


class Reference(NamedTuple):
    """One place a file names (or may name) a model."""

    name: str
    """The model name as written (``meta-llama/Llama-3.1-8B``, ``gpt-4o``, ``openrouter/openai/gpt-4o``)."""
    path: str
    """The file, relative to the scanned root, with forward slashes."""
    line: int
    """The 1-based line of the file where the name is written."""
    kind: SourceKind
    revision: str | None = None
    """A pinned revision (``revision=`` in Python, an SBOM component's version), when the source gives one."""
    in_model_position: bool = False
    """True where the source puts the string where a model goes; False for a literal met anywhere else."""
    declared_license: str | None = None
    """The license the source itself declares for the model (an SBOM component's), as written."""
    detail: str | None = None
    """More precise place within the file, when the line alone does not say it (a notebook's cell and line)."""


class Notice(NamedTuple):
    """Something the walk passed over or could not read, shown to the user (never a silent skip of source)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"modelterms: {self.path}: {self.message}"
