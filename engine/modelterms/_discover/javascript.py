"""Model references in JavaScript and TypeScript, read from a small tokenizer (no parser, no new dependency).

Comments are dropped before anything is read. Model positions: the value of an
object key that names a model (``model: "gpt-4o"``, as the OpenAI, Anthropic,
Google, Mistral and Cohere SDKs, LangChain.js and the Vercel AI SDK take it),
up to the next ``,`` or ``}`` so that ``process.env.MODEL ?? "..."`` gives its
default; the model argument of transformers.js ``pipeline(task, id)`` and
``from_pretrained(id)``; and of ``getGenerativeModel({model})``. An identifier
there is followed to its ``const``/``let``/``var`` string. Import specifiers
(``"@org/pkg"``) and every other string literal are reported outside a model
position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from .interface import Reference, SourceKind
from .python import MODEL_VARIABLE

MODEL_KEYS = frozenset({"model", "modelName", "model_name", "modelId", "model_id", "repoId", "repo_id",
                        "baseModel", "base_model", "embeddingModel", "modelPath"})
#: callee -> the positional arguments that name a model: transformers.js, and the Vercel AI SDK's provider functions
#: (``generateText({ model: openai("gpt-4o") })``)
_CALLS = {"pipeline": (1,), "from_pretrained": (0,), "SentenceTransformer": (0,), "openai": (0,), "anthropic": (0,),
          "google": (0,), "mistral": (0,), "cohere": (0,), "createOpenAI": (), "azure": (0,), "vertex": (0,)}
_TOKEN = re.compile(r"""
    (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\$]|\$(?!\{))*`)
  | (?P<template>`)
  | (?P<name>[A-Za-z_$][\w$]*)
  | (?P<newline>\n)
  | (?P<space>[ \t\r\f\v]+)
  | (?P<punct>\?\?|\|\||=>|[^\s])
""", re.S | re.X)


class Token(NamedTuple):
    kind: str
    text: str
    line: int


def tokens(text: str) -> list[Token]:
    """Strings (unquoted), names and punctuation with their lines; comments and white space dropped."""
    out: list[Token] = []
    line = 1
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        value = match.group()
        if kind == "string":
            out.append(Token("string", value[1:-1], line))
        elif kind in ("name", "punct", "template"):
            out.append(Token(kind, value, line))
        line += value.count("\n")
    return out


def references(text: str, path: str) -> Iterator[Reference]:
    found = tokens(text)
    constants: dict[str, list[Token]] = {}
    for i, token in enumerate(found[:-3]):
        if token.kind == "name" and token.text in ("const", "let", "var") and found[i + 1].kind == "name":
            j = i + 2
            if found[j].text == ":":  # const MODEL: string = "..."
                j += 2
            if found[j].text == "=":
                constants.setdefault(found[i + 1].text, []).extend(_expression(found, j + 1))
    positioned: set[int] = set()
    named = {name for name in constants if MODEL_VARIABLE.search(name)}  # const MODEL_ID = "..." is a position

    def emit(token: Token) -> Iterator[Reference]:
        positioned.add(id(token))
        yield Reference(token.text, path, token.line, SourceKind.JAVASCRIPT, in_model_position=True)

    def resolve(items: list[Token]) -> list[Token]:
        return [t for item in items for t in ([item] if item.kind == "string" else constants.get(item.text, []))]

    for name in sorted(named):
        for value in constants[name]:
            if value.kind == "string":
                yield from emit(value)
    for i, token in enumerate(found):
        following = found[i + 1] if i + 1 < len(found) else None
        if following is not None and following.text == ":" and token.kind in ("name", "string") \
                and token.text in MODEL_KEYS and (i == 0 or found[i - 1].text in ("{", ",")):
            for value in resolve(_expression(found, i + 2)):
                yield from emit(value)
        elif token.kind == "name" and following is not None and following.text == "(" and _CALLS.get(token.text):
            arguments = _arguments(found, i + 2)
            for index in _CALLS[token.text]:
                if index < len(arguments):
                    for value in resolve(arguments[index]):
                        yield from emit(value)
    for token in found:
        if token.kind == "string" and id(token) not in positioned and 0 < len(token.text) <= 200:
            yield Reference(token.text, path, token.line, SourceKind.JAVASCRIPT)


def _expression(found: list[Token], start: int) -> list[Token]:
    """The strings and names of one expression from ``start`` to the ``,``, ``;`` or closing bracket that ends it;
    empty when it is a call or an object (whose strings are not the value)."""
    depth = 0
    out: list[Token] = []
    for token in found[start:start + 64]:
        if token.text in "([{":
            if token.text == "(" and out and out[-1].kind == "name":
                out.pop()  # a call: its arguments are not the value
            depth += 1
        elif token.text in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and token.text in (",", ";"):
            break
        elif depth == 0 and token.kind == "string":
            out.append(token)
        elif depth == 0 and token.kind == "name" and token.text not in ("process", "env", "import", "meta"):
            out.append(token)
    return out


def _arguments(found: list[Token], start: int) -> list[list[Token]]:
    """A call's arguments from just after its ``(``: for each, its strings and names at the top level."""
    arguments: list[list[Token]] = [[]]
    depth = 0
    for token in found[start:start + 256]:
        if token.text in "([{":
            depth += 1
        elif token.text in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and token.text == ",":
            arguments.append([])
        elif depth == 0 and token.kind in ("string", "name"):
            arguments[-1].append(token)
    return arguments
