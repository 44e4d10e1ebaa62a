"""modelterms: may I do *this* with *that* model?

The public API is what ``__all__`` lists; every module whose name starts with
an underscore is private and may change in any release.

    >>> from modelterms import Catalog, UseCase
    >>> catalog = Catalog.load()
    >>> [r.verdict.value for r in catalog.evaluate(UseCase(commercial=True), ["deepseek-ai/DeepSeek-R1"])]
    ['permitted']
"""

from __future__ import annotations

from ._catalog import Catalog
from ._compare import Cell, Comparison, Dimension, Row, compare, select_models
from ._diff import Difference, TermDifference, diff, diff_documents, history
from ._discover import Discovery, Reference, SourceKind, discover_models
from ._errors import EvaluationError, InputError, ModelTermsError, Problem, UnknownModelError
from ._explain import Alternative, Change, ChangeKind, Explanation, Explanations, Remedy, explain
from ._lineage import Evidence, Hop, Resolution, resolve
from ._model import Citation, Finding, Result, UseCase, Verdict
from ._notice import Notice, notice
from ._purposes import Purpose, purposes

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
