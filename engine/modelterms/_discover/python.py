"""Model references in Python source, read from its syntax tree (never executed).

Model positions: the model argument of ``from_pretrained`` (transformers,
diffusers, peft adapters as the second argument), of model constructors
(``SentenceTransformer``, ``CrossEncoder``, vLLM's ``LLM``, Gemini's
``GenerativeModel``), of ``pipeline(task, model)``, of Hugging Face Hub
downloads, and any keyword that names a model (``model=``, ``model_name=``,
``repo_id=``...) in any call, as the OpenAI, Anthropic, Google, Mistral and
Cohere SDKs and LangChain, LlamaIndex and litellm take it; a dict key of those
names as well. A name passed there is followed to its string constant, or to
the default of ``os.environ.get(NAME, default)`` / ``os.getenv``. Every other
string literal is reported outside a model position (it counts only when the
catalog knows it exactly). Comments are not in the tree, so never read.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from .interface import Reference, SourceKind

MODEL_KEYWORDS = frozenset({
    "model", "model_name", "model_id", "repo_id", "pretrained_model_name_or_path", "model_name_or_path",
    "base_model", "base_model_name_or_path", "served_model_name", "tokenizer", "embed_model", "model_path_or_id",
    "deployment_id", "llm_model", "embedding_model", "reranker_model",
})
#: callee (the last part of its dotted name) -> which positional arguments name a model
POSITIONAL: dict[str, tuple[int, ...]] = {
    "from_pretrained": (0, 1), "SentenceTransformer": (0,), "CrossEncoder": (0,), "LLM": (0,),
    "GenerativeModel": (0,), "pipeline": (1,), "hf_hub_download": (0,), "snapshot_download": (0,),
    "init_chat_model": (0,), "StaticEmbedding": (0,), "LM": (0,),
    "SparseEncoder": (0,), "TextEmbedding": (0,), "HuggingFaceEmbedding": (0,),
}
_ENV_GETTERS = ("os.environ.get", "environ.get", "os.getenv", "getenv", "os.environ.setdefault", "environ.setdefault")
#: a variable or attribute whose name says it holds a model (``MODEL_ID = ...``, ``self.model_name = ...``,
#: a dataclass field ``base_model: str = ...``): assigning a string to it is a model position too
MODEL_VARIABLE = re.compile(r"(?:\A|_)(?:model|model_id|model_name|model_repo|repo_id|base_model|"
                            r"model_name_or_path|model_path_or_id)\Z", re.I)
_KEYWORDS = "|".join(sorted(MODEL_KEYWORDS, key=len, reverse=True))
_TRIGGER = re.compile(rf"""\b(?:{_KEYWORDS})\s*=(?!=)|["'](?:{_KEYWORDS})["']\s*:|\b(?:{"|".join(POSITIONAL)})\s*\(|"""
                      r"(?i:model)\w*\s*(?::[^=\n]*)?=(?!=)")
_QUOTED = re.compile(r"""["']([^"'\s\\]{4,200})["']""")


def may_name_a_model(text: str, known: Callable[[str], bool]) -> bool:
    """A cheap look before parsing: a file with no model position (no word that makes one) and no quoted catalog
    name cannot hold a reference, so most of a large tree is never parsed. Never false for a file that has one."""
    return _TRIGGER.search(text) is not None or any(known(match) for match in _QUOTED.findall(text))


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    return ""


class _Reader:
    def __init__(self, path: str, kind: SourceKind, line_of: dict[int, int] | None, detail_of: dict[int, str]
                 | None) -> None:
        self.path = path
        self.kind = kind
        self.line_of = line_of or {}
        self.detail_of = detail_of or {}
        self.constants: dict[str, list[ast.Constant]] = {}
        self.positioned: set[int] = set()  # ids of Constant nodes already reported in a model position
        self.out: list[Reference] = []

    def reference(self, node: ast.Constant, in_position: bool, revision: str | None = None) -> None:
        line = self.line_of.get(node.lineno, node.lineno)
        self.out.append(Reference(str(node.value), self.path, line, self.kind, revision, in_position,
                                  detail=self.detail_of.get(node.lineno)))

    def values(self, node: ast.expr) -> list[ast.Constant]:
        """The string constants an argument evaluates to, as far as a reader can tell without running it."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node]
        if isinstance(node, ast.Name):
            return self.constants.get(node.id, [])
        if isinstance(node, ast.Call) and _dotted(node.func) in _ENV_GETTERS and len(node.args) >= 2:
            return self.values(node.args[1])
        if isinstance(node, ast.Call) and _dotted(node.func) in _ENV_GETTERS:
            default = next((k.value for k in node.keywords if k.arg == "default"), None)
            return self.values(default) if default is not None else []
        if isinstance(node, ast.BoolOp):  # os.environ.get("MODEL") or "org/name"
            return [found for value in node.values for found in self.values(value)]
        if isinstance(node, ast.IfExp):
            return self.values(node.body) + self.values(node.orelse)
        return []

    def read(self, tree: ast.AST) -> None:
        """One walk of the tree: constants first (a call may come before the assignment it uses), then positions,
        then every other string literal."""
        assignments: list[tuple[list[ast.expr], ast.expr]] = []
        calls: list[ast.Call] = []
        dicts: list[ast.Dict] = []
        literals: list[ast.Constant] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant):
                if isinstance(node.value, str) and 0 < len(node.value) <= 200:
                    literals.append(node)
            elif isinstance(node, ast.Call):
                calls.append(node)
            elif isinstance(node, ast.Assign):
                assignments.append((node.targets, node.value))
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                assignments.append(([node.target], node.value))
            elif isinstance(node, ast.Dict):
                dicts.append(node)
        for targets, value in assignments:
            for target in targets:
                if isinstance(target, ast.Name):
                    self.constants.setdefault(target.id, []).extend(self.values(value))
                named = target.id if isinstance(target, ast.Name) else \
                    target.attr if isinstance(target, ast.Attribute) else ""
                if MODEL_VARIABLE.search(named):
                    for constant in self.values(value):
                        self.positioned.add(id(constant))
                        self.reference(constant, True)
        for call in calls:
            self.call(call)
        for mapping in dicts:
            for key, item in zip(mapping.keys, mapping.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in MODEL_KEYWORDS:
                    for constant in self.values(item):
                        self.positioned.add(id(constant))
                        self.reference(constant, True)
        for literal in literals:
            if id(literal) not in self.positioned:
                self.reference(literal, False)

    def call(self, node: ast.Call) -> None:
        callee = _dotted(node.func).rsplit(".", 1)[-1]
        kinds = [c.value for k in node.keywords if k.arg == "repo_type" for c in self.values(k.value)]
        if any(kind != "model" for kind in kinds):
            return  # hf_hub_download(repo_id=..., repo_type="dataset"): a dataset or a Space, not a model
        pins = [constant.value for k in node.keywords if k.arg == "revision" for constant in self.values(k.value)]
        revision = str(pins[0]) if pins else None
        arguments: list[ast.expr] = [k.value for k in node.keywords if k.arg in MODEL_KEYWORDS]
        indexes = POSITIONAL.get(callee, ())
        arguments += [node.args[i] for i in indexes if i < len(node.args)]
        for argument in arguments:
            for constant in self.values(argument):
                self.positioned.add(id(constant))
                self.reference(constant, True, revision)


def references(text: str, path: str, kind: SourceKind = SourceKind.PYTHON, *, line_of: dict[int, int] | None = None,
               detail_of: dict[int, str] | None = None) -> Iterator[Reference]:
    """The references in one Python file; raises SyntaxError (or ValueError) for source that does not parse.

    ``line_of`` maps the source's lines to the file's (a notebook cell's lines
    to the notebook's), ``detail_of`` gives each line a finer place.
    """
    tree = ast.parse(text, filename=path)
    reader = _Reader(path, kind, line_of, detail_of)
    reader.read(tree)
    yield from reader.out
