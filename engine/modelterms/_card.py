"""A Hugging Face model card's metadata, read from a README on disk or from a Hub response.

Both sources give the same record, so that the lineage resolver treats a card
in the scanned tree, a card passed with ``check --card`` and a card read from
the Hub alike. Only the keys the Hub itself reads are used (``license``,
``license_name``, ``license_link``, ``base_model``, ``base_model_relation``,
``tags``, and ``name`` for the repository id); the card's prose is never read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path as FsPath
from typing import Any, NamedTuple

from ._yaml import parse, read_text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*$", re.S | re.M)
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


class Card(NamedTuple):
    path: str
    label: str
    repo_id: str | None
    licenses: tuple[str, ...]
    license_name: str | None
    license_link: str | None
    base_models: tuple[str, ...]
    #: the line of the card's ``license:`` key
    line: int
    #: metadata found below the top of the file, where the Hub does not read it
    misplaced: bool = False
    #: ``base_model_relation``: adapter, quantized, merge or finetune (None: not stated)
    relation: str | None = None
    tags: tuple[str, ...] = ()
    #: the revision (commit sha) the metadata was read at, when known (Hub responses, Hub cache folders)
    revision: str | None = None
    #: whether the repository is gated on the Hub (its files need an accepted agreement)
    gated: bool = False
    #: where the metadata came from: "file" or "hub"
    origin: str = "file"


def read_card(path: FsPath, label: str) -> Card | None:
    """The card's front matter, or None when the README has none (not a model card).

    A byte-order mark and CRLF line ends are what Windows editors write: the
    card is read the same. Metadata that is not at the very top is not read by
    the Hub either, so it declares nothing: such a card is returned with
    ``misplaced`` set, to be reported unknown rather than skipped.
    """
    text = read_text(str(path)).removeprefix("\ufeff").replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if match is None:
        if _has_late_metadata(text):
            return Card(str(path), label, repo_id_of(path, None), (), None, None, (), 1, misplaced=True)
        return None
    document = parse("\n" + match.group(1), str(path))  # keep line numbers those of the file
    data = document.data if isinstance(document.data, dict) else {}
    line = document.lines.get(("license",), 1)
    return card_from_metadata(data, str(path), label, repo_id_of(path, _string(data.get("name"))), line,
                              revision=_revision_of(path))


def card_from_metadata(data: Mapping[str, Any], path: str, label: str, repo_id: str | None, line: int = 1, *,
                       revision: str | None = None, gated: bool = False, origin: str = "file",
                       extra_tags: tuple[str, ...] = ()) -> Card:
    """A Card from parsed card metadata (a README's front matter, or a Hub response's ``cardData``)."""
    relation = _string(data.get("base_model_relation"))
    return Card(path, label, repo_id, _strings(data.get("license")), _string(data.get("license_name")),
                _string(data.get("license_link")), _strings(data.get("base_model")), line,
                relation=relation.lower() if relation else None,
                tags=tuple(dict.fromkeys((*_strings(data.get("tags")), *extra_tags))), revision=revision,
                gated=gated, origin=origin)


def _has_late_metadata(text: str) -> bool:
    """Whether a ``---`` fenced block below the top gives a key the Hub reads (line by line: no regex backtracking)."""
    inside = False
    for line in text.split("\n"):
        if line.rstrip() == "---":
            inside = not inside
        elif inside and line.split(":", 1)[0].strip() in ("license", "license_name", "base_model") and ":" in line:
            return True
    return False


def _string(value: Any) -> str | None:
    return str(value).strip() if isinstance(value, (str, int, float)) and str(value).strip() else None


def _strings(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(text for item in items if (text := _string(item)) is not None)


def repo_id_of(path: FsPath, name: str | None) -> str | None:
    """The repository a README belongs to, from the most explicit evidence to the least.

    A Hub cache folder (``models--org--name/snapshots/<rev>/``); the card's own
    ``name:`` key when it is an ``org/name`` id; a folder named ``org--name``
    (how many tools save a download); else the two folders above the file.
    """
    for part in path.parts:
        if part.startswith("models--") and part.count("--") >= 2:
            return "/".join(part[len("models--"):].split("--", 1))
    if name and _REPO_ID.match(name):
        return name
    folder = path.parent.name
    if "--" in folder and not folder.startswith("-"):
        org, _, rest = folder.partition("--")
        if org and rest and _REPO_ID.match(f"{org}/{rest}"):
            return f"{org}/{rest}"
    parents = path.parent.parts
    return "/".join(parents[-2:]) if len(parents) >= 2 else None


def _revision_of(path: FsPath) -> str | None:
    """The commit of a Hub cache snapshot (``.../snapshots/<sha>/README.md``)."""
    parts = path.parts
    for index, part in enumerate(parts[:-1]):
        if part == "snapshots" and index + 1 < len(parts) - 1 and parts[index - 1].startswith("models--"):
            return parts[index + 1]
    return None
