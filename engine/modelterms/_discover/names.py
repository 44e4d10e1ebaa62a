"""Which strings can be model names at all: the decoys (paths, URLs, images, actions, npm scopes, buckets) never are.

These are shapes, not licence judgements: a string that passes here is only a
candidate, which counts when the catalog knows it or when it stands where a
model goes (see ``_discover.select``).
"""

from __future__ import annotations

import re

from .._names import PROVIDER_PREFIXES, ROUTER_PREFIXES

#: the characters of Hugging Face repo ids, API model ids, provider prefixes and Ollama tags
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+:/-]{0,199}\Z")
_FILE_SUFFIX = re.compile(r"\.(?:bin|safetensors|gguf|ggml|pt|pth|ckpt|onnx|h5|pb|tflite|pkl|npz|json|ya?ml|toml|"
                          r"txt|md|py|js|ts|sh|cfg|ini|csv|tsv|parquet|jsonl|zip|tar|gz|tgz|lock)\Z", re.I)
#: folders a training run or a download writes to: ``outputs/checkpoint-500`` is a local path, not an org/name
_LOCAL_FOLDERS = frozenset({"output", "outputs", "checkpoint", "checkpoints", "ckpt", "ckpts", "model", "models",
                            "weights", "data", "runs", "results", "artifacts", "tmp", "temp", "cache", "saved_models",
                            "saved", "exp", "exps", "experiments", "local", "pretrained", "trained", "export",
                            "exports", "logs", "src", "app", "assets", "resources", "lib", "build", "dist"})
_ROUTERS = frozenset({*PROVIDER_PREFIXES, *(prefix.rstrip("/") for prefix in ROUTER_PREFIXES), "together_ai",
                      "bedrock", "vertex_ai", "azure", "groq", "fireworks_ai", "huggingface", "ollama", "hf.co"})
_CHECKPOINT = re.compile(r"(?:\A|/)(?:checkpoint|ckpt|step|epoch)[-_]?\d+\Z", re.I)
#: a registry host before the first slash (ghcr.io/..., docker.io/..., localhost:5000/...)
_REGISTRY = re.compile(r"\A[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?/|\Alocalhost(?::\d+)?/", re.I)


def is_decoy(text: str) -> bool:
    """Whether ``text`` has a shape that never names a model: a path, URL, container image, GitHub Action,
    npm scope, bucket, template or a piece of prose."""
    if not text or text != text.strip() or any(c.isspace() for c in text):
        return True
    lowered = text.lower()
    if "://" in text or lowered.startswith(("www.", "s3:", "gs:", "az:", "file:", "hf:", "mailto:", "git@")):
        return True  # URLs and bucket or storage addresses
    if text.startswith(("/", "./", "../", "~", "@", "$", "-", ".")) or "\\" in text or "//" in text:
        return True  # paths, npm scopes (@org/pkg), variables, flags
    if any(c in text for c in "{}$%<>*?[]()|,;=\"'`#!&"):
        return True  # templates, globs, expressions
    if "@" in text:
        return True  # actions/checkout@v4, image@sha256:..., pkg@1.2
    if _FILE_SUFFIX.search(text) or text.count("/") > 3:
        return True  # files and deep paths
    first = text.split("/", 1)[0].lower()
    if "/" in text and (first in _LOCAL_FOLDERS or _CHECKPOINT.search(text)):
        return True  # outputs/checkpoint-500, models/llama-7b: a folder of the project
    if text.count("/") >= 2 and first not in _ROUTERS:
        return True  # a/b/c is a path unless a router or provider prefixes an id (openrouter/openai/gpt-4o)
    if _REGISTRY.match(text):
        return True  # images on a registry host
    if "/" in text and ":" in text.split("/", 1)[1] and not text.lower().startswith(("ollama/", "hf.co/")):
        return True  # org/image:tag is a container image (Ollama tags have no org before the colon)
    return not _NAME.match(text)


def plausible_model_name(text: str) -> bool:
    """Whether an unknown string in a model position looks like a model name (and so fails closed).

    A repo id (``org/name``) or a versioned id (``gpt-9``, ``resnet50``) does; a
    plain word (``linear``, ``default``, ``text-generation``) does not: those are
    settings, not models.
    """
    return not is_decoy(text) and ("/" in text or any(c.isdigit() for c in text))
