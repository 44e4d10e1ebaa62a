"""modelterms: may I do *this* with *that* model?

The public API is what ``__all__`` lists; every module whose name starts with
an underscore is private and may change in any release.

    >>> from modelterms import Catalog, UseCase
    >>> catalog = Catalog.load()
    >>> [r.verdict.value for r in catalog.evaluate(UseCase(commercial=True), ["deepseek-ai/DeepSeek-R1"])]
    ['permitted']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._catalog import Catalog
from ._errors import EvaluationError, InputError, ModelTermsError, Problem, UnknownModelError
from ._model import Citation, Finding, Result, UseCase, Verdict

if TYPE_CHECKING:  # imported on first use (below), so that `modelterms check` does not pay for them at start-up
    from ._compare import Cell, Comparison, Dimension, Row, compare, select_models
    from ._diff import Difference, TermDifference, diff, diff_documents, history
    from ._discover import Discovery, Reference, SourceKind, discover_models
    from ._explain import Alternative, Change, ChangeKind, Explanation, Explanations, Remedy, explain
    from ._lineage import Evidence, Hop, Resolution, resolve
    from ._notice import Notice, notice
    from ._purposes import Purpose, purposes

#: public name -> the private module that defines it, for the names imported on first use
_LAZY = {
    **dict.fromkeys(("Cell", "Comparison", "Dimension", "Row", "compare", "select_models"), "_compare"),
    **dict.fromkeys(("Difference", "TermDifference", "diff", "diff_documents", "history"), "_diff"),
    **dict.fromkeys(("Discovery", "Reference", "SourceKind", "discover_models"), "_discover"),
    **dict.fromkeys(("Alternative", "Change", "ChangeKind", "Explanation", "Explanations", "Remedy", "explain"),
                    "_explain"),
    **dict.fromkeys(("Evidence", "Hop", "Resolution", "resolve"), "_lineage"),
    **dict.fromkeys(("Notice", "notice"), "_notice"),
    **dict.fromkeys(("Purpose", "purposes"), "_purposes"),
}


def __getattr__(name: str) -> object:
    """Import the comparison, explanation, discovery, lineage and notice APIs when first asked for (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'modelterms' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"modelterms.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__version__ = "0.1.0"

__all__ = [
    "Alternative",
    "Catalog",
    "Cell",
    "Change",
    "ChangeKind",
    "Citation",
    "Comparison",
    "Difference",
    "Dimension",
    "Discovery",
    "EvaluationError",
    "Evidence",
    "Explanation",
    "Explanations",
    "Finding",
    "Hop",
    "InputError",
    "ModelTermsError",
    "Notice",
    "Problem",
    "Purpose",
    "Reference",
    "Remedy",
    "Resolution",
    "Result",
    "Row",
    "SourceKind",
    "TermDifference",
    "UnknownModelError",
    "UseCase",
    "Verdict",
    "__version__",
    "compare",
    "diff",
    "diff_documents",
    "discover_models",
    "explain",
    "history",
    "notice",
    "purposes",
    "resolve",
    "select_models",
]
