"""Model references in Dockerfiles, compose files, Kubernetes manifests and shell scripts, read as words.

Model positions: the word after ``--model``, ``--model-id`` (and their ``_``
and ``=`` spellings, ``--served-model-name``, ``--base-model``), after ``vllm
serve``, ``ollama pull|run``, ``huggingface-cli download`` and ``hf
download``, and the value of a variable whose name says it holds a model
(``MODEL_ID=...``, ``ENV BASE_MODEL ...``). Comments (``#`` at the start of a
word) are dropped; ``FROM`` images and every other word are read outside a
model position, so only an exact catalog name counts there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .interface import Reference, SourceKind

FLAGS = frozenset({"--model", "--model-id", "--model_id", "--model-name", "--model_name", "--served-model-name",
                   "--base-model", "--base_model", "--model-path", "--tokenizer"})
#: a word followed by these words takes the next one as a model (``vllm serve ID``)
COMMANDS = {("vllm", "serve"), ("ollama", "pull"), ("ollama", "run"), ("huggingface-cli", "download"),
            ("hf", "download"), ("ollama", "show")}
VARIABLE = re.compile(r"\A(?:[A-Z0-9_]*_)?(?:MODEL|MODEL_ID|MODEL_NAME|MODEL_REPO|BASE_MODEL)\Z")
_WORD = re.compile(r"""'([^'\n]*)'|"((?:\\.|[^"\\\n])*)"|([^\s'"=,\[\]]+)|(=)""")
_COMMENT = re.compile(r"(?:^|(?<=\s))#.*$", re.M)


def words(text: str) -> list[tuple[str, int, bool]]:
    """Each word of the text with its line, and whether it came from inside a quoted phrase: quotes removed,
    ``=``, ``,`` and brackets as separators (``--model=ID``, ``["--model", "ID"]``), a YAML list dash dropped,
    comments dropped. A YAML key keeps its colon (``MODEL_ID:``)."""
    out: list[tuple[str, int, bool]] = []
    for number, line in enumerate(text.split("\n"), 1):
        line = _COMMENT.sub("", line) if "#" in line else line
        for match in _WORD.finditer(line):
            word = next((group for group in match.groups() if group is not None), "")
            if match.group(3) is None and match.group(4) is None and any(c.isspace() for c in word):
                out += [(inner, number, True) for inner, _, _ in words(word)]  # sh -c "ollama pull ID && ..."
            elif word not in ("-", "\\", "&&", "||", ";", "|"):
                out.append((word, number, False))
    return out


def _target(found: list[tuple[str, int, bool]], i: int) -> int | None:
    """The index of the word that ``found[i]`` puts in a model position, if it puts one there."""
    word = found[i][0]
    before = found[i - 1][0] if i else ""
    after = found[i + 1][0] if i + 1 < len(found) else ""
    if word.lower() in FLAGS:
        return i + 2 if after == "=" else i + 1
    if (before.lower(), word.lower()) in COMMANDS:
        if _repo_type(found, i) not in (None, "model"):
            return None  # huggingface-cli download ID --repo-type dataset: not a model
        target = i + 1
        while target < len(found) and found[target][0].startswith("-"):  # --quiet and friends before the id
            target += 1
        return target
    if word.endswith(":") and VARIABLE.match(word[:-1]):  # compose / Kubernetes environment: MODEL_ID: org/name
        return i + 1
    if VARIABLE.match(word) and (after == "=" or before in ("ENV", "ARG")):
        return i + 2 if after == "=" else i + 1
    return None


def _repo_type(found: list[tuple[str, int, bool]], i: int) -> str | None:
    """The ``--repo-type`` given to the command at ``found[i]`` on the same line, if any."""
    line = found[i][1]
    for j in range(i + 1, min(len(found), i + 24)):
        if found[j][1] != line:
            break
        if found[j][0] == "--repo-type" and j + 1 < len(found):
            value = found[j + 2][0] if found[j + 1][0] == "=" and j + 2 < len(found) else found[j + 1][0]
            return value.lower()
    return None


def references(text: str, path: str, kind: SourceKind = SourceKind.SHELL, *,
               anywhere: bool = True) -> Iterator[Reference]:
    """``anywhere``: also report each other word outside a model position (not for YAML, whose values the config
    reader reports whole). A word of a quoted phrase (``echo "runs phi-4 nightly"``) is prose there, never
    reported outside a model position."""
    found = words(text)
    positioned: set[int] = set()
    for i in range(len(found)):
        target = _target(found, i)
        if target is not None and target < len(found) and found[target][0] not in ("=", ""):
            positioned.add(target)
            value, line, _ = found[target]
            yield Reference(value, path, line, kind, in_model_position=True)
    if not anywhere:
        return
    for i, (word, line, inner) in enumerate(found):
        if i not in positioned and word != "=" and not inner:
            yield Reference(word.rstrip(":"), path, line, kind)
