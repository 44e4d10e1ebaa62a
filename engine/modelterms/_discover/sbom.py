"""Models listed in SBOMs: CycloneDX 1.5/1.6 JSON and SPDX 3.0 JSON-LD.

CycloneDX: every component of type ``machine-learning-model`` (nested
components included), named by its ``pkg:huggingface`` purl when it has one,
else ``group/name``, else ``name``; its version is the revision and its
licenses are what it declares. The ancestors in its ``pedigree`` are models it
derives from, and are references too. SPDX 3.0: every ``AIPackage`` element
(``ai_AIPackage`` in JSON-LD), by name. Each is in a model position: an SBOM
that lists a model modelterms does not know fails closed like code does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from .interface import Reference, SourceKind

ML_MODEL = "machine-learning-model"


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The objects of a JSON list; anything else (a hostile or broken SBOM) holds none."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def is_cyclonedx(data: Any) -> bool:
    return isinstance(data, dict) and data.get("bomFormat") == "CycloneDX"


def is_spdx3(data: Any) -> bool:
    if not isinstance(data, dict) or "@graph" not in data:
        return False
    context = data.get("@context")
    return "spdx.org/rdf/3" in (context if isinstance(context, str) else repr(context))


def purl_model(purl: str) -> tuple[str, str | None] | None:
    """``pkg:huggingface/org/name@rev`` -> ("org/name", "rev"); None for any other purl."""
    if not purl.startswith("pkg:huggingface/"):
        return None
    body = purl[len("pkg:huggingface/"):].split("?", 1)[0].split("#", 1)[0]
    body, _, version = body.partition("@")
    return unquote(body), (unquote(version) or None)


def _licenses(component: dict[str, Any]) -> str | None:
    names = []
    for item in _dicts(component.get("licenses")):
        if isinstance(item.get("expression"), str):
            names.append(item["expression"])
        license_ = item.get("license")
        if isinstance(license_, dict) and license_.get("acknowledgement", "declared") == "declared":
            name = license_.get("id") or license_.get("name")
            if isinstance(name, str):
                names.append(name)
    return " AND ".join(names) or None


class _Lines:
    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0

    def find(self, *needles: str) -> int:
        """The line of the first needle found after the previous find (components are listed in order)."""
        for needle in needles:
            if not needle:
                continue
            match = re.compile(re.escape(needle)).search(self.text, self.offset)
            if match:
                self.offset = match.end()
                return self.text.count("\n", 0, match.start()) + 1
        return 1


def cyclonedx_references(data: dict[str, Any], text: str, path: str) -> Iterator[Reference]:
    lines = _Lines(text)
    pending: list[dict[str, Any]] = _dicts(data.get("components"))
    if isinstance(data.get("metadata"), dict) and isinstance(data["metadata"].get("component"), dict):
        pending.insert(0, data["metadata"]["component"])
    while pending:
        component = pending.pop(0)
        nested = _dicts(component.get("components"))
        pedigree = component.get("pedigree")
        ancestors = _dicts(pedigree.get("ancestors")) if isinstance(pedigree, dict) else []
        pending[:0] = [*ancestors, *nested]
        if component.get("type") != ML_MODEL:
            continue
        purl = component.get("purl") if isinstance(component.get("purl"), str) else ""
        from_purl = purl_model(purl) if purl else None
        name = str(component.get("name") or "")
        group = str(component.get("group") or "")
        version = component.get("version") if isinstance(component.get("version"), str) else None
        if from_purl is not None:
            model, revision = from_purl[0], from_purl[1] or version
        else:
            model, revision = (f"{group}/{name}" if group and "/" not in name else name), version
        if not model:
            continue
        line = lines.find(f'"{purl}"' if purl else "", f'"name": "{name}"', f'"{name}"')
        yield Reference(model, path, line, SourceKind.SBOM, revision, True, _licenses(component))


def _spdx3_declared(graph: list[Any]) -> dict[str, str]:
    """Element id -> its declared license expression, from ``hasDeclaredLicense`` relationships."""
    expressions = {str(e.get("spdxId")): e["simplelicensing_licenseExpression"] for e in graph
                   if isinstance(e.get("simplelicensing_licenseExpression"), str)}
    declared: dict[str, list[str]] = {}
    for e in graph:
        if isinstance(e, dict) and e.get("type") == "Relationship" and e.get("relationshipType") == \
                "hasDeclaredLicense" and isinstance(e.get("from"), str):
            to = e.get("to")
            targets: list[Any] = to if isinstance(to, list) else [to]
            declared.setdefault(e["from"], []).extend(expressions[t] for t in targets
                                                      if isinstance(t, str) and t in expressions)
    return {key: " AND ".join(values) for key, values in declared.items() if values}


def spdx3_references(data: dict[str, Any], text: str, path: str) -> Iterator[Reference]:
    lines = _Lines(text)
    graph = _dicts(data.get("@graph"))
    declared = _spdx3_declared(graph)
    for element in graph:
        if element.get("type") not in ("ai_AIPackage", "AIPackage"):
            continue
        name = element.get("name")
        if not isinstance(name, str) or not name:
            continue
        version = element.get("software_packageVersion")
        yield Reference(name, path, lines.find(f'"name": "{name}"', f'"{name}"'), SourceKind.SBOM,
                        version if isinstance(version, str) else None, True,
                        declared.get(str(element.get("spdxId"))))
