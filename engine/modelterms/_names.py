"""The one place that turns a name a user typed into a catalog entry.

People name a model in many ways: the Hugging Face repo id, the bare repo name
(``Llama-3.1-8B-Instruct``), an old repo name, an Ollama tag (``llama3.1:8b``),
an API id with or without a dated snapshot, or an API id behind the provider
prefix of litellm or OpenRouter (``anthropic/claude-3-5-sonnet-20241022``,
``openrouter/openai/gpt-4o``). Every spelling is an explicit name in the
catalog data, except two derived ones, and neither ever guesses:

- the bare repo name of an id, registered only when no other entry has the
  same bare name or uses it as an alias (an ambiguous name is refused with the
  candidates, never resolved to one of them);
- a provider prefix, which is stripped only for API-only entries of that
  provider: ``gemini/gemma-3-27b-it`` is not the open-weights Gemma repo, whose
  terms differ from the hosted service's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ._errors import Problem, UnknownModelError
from ._model import ModelEntry

# Provider prefix (as litellm, OpenRouter and the vendors' SDKs write it) -> the
# catalog id organisations of that provider's API-only entries.
PROVIDER_PREFIXES: Mapping[str, tuple[str, ...]] = {
    "openai": ("openai",),
    "anthropic": ("anthropic",),
    "gemini": ("google",),
    "google": ("google",),
    "mistral": ("mistral",),
    "mistralai": ("mistral",),
    "deepseek": ("deepseek",),
    "xai": ("xai",),
    "x-ai": ("xai",),
    "cohere": ("cohere",),
    "dashscope": ("alibaba",),
    "qwen": ("alibaba",),
    "alibaba": ("alibaba",),
    "moonshot": ("moonshot",),
    "moonshotai": ("moonshot",),
    "baidu": ("baidu",),
    "qianfan": ("baidu",),
}
# Routers that put a provider prefix in front of the provider's own id.
ROUTER_PREFIXES = ("openrouter/",)
_MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class ModelIndex:
    """Every name of every entry, lower-cased, built once per catalog."""

    exact: Mapping[str, ModelEntry]
    """Ids and explicit aliases."""
    bare: Mapping[str, tuple[ModelEntry, ...]]
    """Bare repo names: one entry, or several when ambiguous."""

    @classmethod
    def build(cls, models: Iterable[ModelEntry]) -> ModelIndex:
        exact: dict[str, ModelEntry] = {}
        bare: dict[str, list[ModelEntry]] = {}
        models = tuple(models)
        for model in models:
            for name in (model.id, *model.aliases):
                exact.setdefault(name.lower(), model)
        for model in models:
            short = model.id.split("/", 1)[1].lower()
            if short in exact and exact[short] is not model:
                continue  # another entry owns this spelling explicitly
            bare.setdefault(short, []).append(model)
        return cls(exact, {name: tuple(entries) for name, entries in bare.items()})

    def lookup(self, name: str) -> ModelEntry | None:
        """The entry ``name`` denotes, or None; raises UnknownModelError for an ambiguous bare name."""
        wanted = name.strip().lower()
        found = self._direct(wanted, name)
        if found is not None:
            return found
        for router in ROUTER_PREFIXES:
            if wanted.startswith(router):
                wanted = wanted[len(router):]
                found = self._direct(wanted, name)
                if found is not None and found.access == "api-only":
                    return found
        prefix, _, rest = wanted.partition("/")
        organisations = PROVIDER_PREFIXES.get(prefix)
        if organisations and rest:
            found = self._direct(rest, name)
            if found is not None and found.access == "api-only" and \
                    found.id.split("/", 1)[0].lower() in organisations:
                return found
        return None

    def _direct(self, wanted: str, typed: str) -> ModelEntry | None:
        if wanted in self.exact:
            return self.exact[wanted]
        candidates = self.bare.get(wanted, ())
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            ids = ", ".join(sorted(model.id for model in candidates))
            raise UnknownModelError([Problem("model", None, "", f"`{typed}` is ambiguous: it names {ids}",
                                             "give the full id")])
        return None

    def nearest(self, name: str) -> list[str]:
        """Up to three catalog names closest to ``name``, for a did-you-mean hint."""
        import difflib  # only on the error path

        names = {model.id for model in self.exact.values()} | {
            alias for model in self.exact.values() for alias in model.aliases}
        lowered: dict[str, str] = {}
        for item in sorted(names):
            lowered.setdefault(item.lower(), item)
        close = difflib.get_close_matches(name.lower(), list(lowered), n=_MAX_SUGGESTIONS, cutoff=0.6)
        return [lowered[item] for item in close]


#: The hint when no name is close, in library words (the CLI says it in its own: see cli._cli_words).
SEARCH_HINT = "no catalog id or alias is close; Catalog.models lists every entry"


def unknown(names: Sequence[str], index: ModelIndex, where: str = "model") -> UnknownModelError:
    """One error listing every unknown name, each with its nearest catalog names."""
    problems = []
    for name in names:
        close = index.nearest(name)
        hint = ("did you mean " + " or ".join(f"`{item}`" for item in close) + "?") if close else SEARCH_HINT
        problems.append(Problem(where, None, "", f"unknown model `{name}`", hint))
    return UnknownModelError(problems)
