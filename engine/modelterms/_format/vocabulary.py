"""``modelterms purposes``: the purpose tags, their meaning and which documents bar them."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .._purposes import Purpose
from ._grid import grid

FORMATS = ("table", "json")


def render(purposes: Sequence[Purpose], output_format: str, *, width: int = 120) -> str:
    if output_format == "json":
        from .. import __version__

        return json.dumps({"modelterms_version": __version__, "purposes": [p.to_dict() for p in purposes]},
                          indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    rows = [[p.tag, p.description, f"{len(p.documents)}: {', '.join(p.documents)}" if p.documents else "-"]
            for p in purposes]
    return grid(["tag", "meaning", "barred by"], rows, width)
