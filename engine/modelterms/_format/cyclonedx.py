"""CycloneDX 1.6 JSON: an ML-BOM of the models a check or scan covered, with modelterms' answer for each.

One ``machine-learning-model`` component per result. Its licenses say both
what the source declared (a card's ``license:``, an SBOM component's) with
``acknowledgement: declared``, and what modelterms concluded governs it (the
license documents in force, by profile id) with ``acknowledgement:
concluded``: the two differ exactly when a card or SBOM is wrong. The verdict,
the verdict left after waivers, each finding's rule id, each obligation and
each place the model was found are ``modelterms:*`` properties. A model whose
weights are on the Hugging Face Hub gets its ``pkg:huggingface`` purl, with the
pinned revision as its version; a scanned card's base model, whose terms
govern it, is its pedigree. Written as plain JSON: the shape is small and
cyclonedx-python-lib has no model card type (the tests validate the output
against the official 1.6 schema it ships).
"""

from __future__ import annotations

import datetime as _dt
import json
import uuid
from typing import Any

from .._model import Result
from .._report import Report
from ._common import status

SCHEMA = "http://cyclonedx.org/schema/bom-1.6.schema.json"


def _property(name: str, value: str) -> dict[str, str]:
    return {"name": f"modelterms:{name}", "value": value}


def _name(report: Report, result: Result) -> str:
    """The model's id as a BOM reader should resolve it: the catalog id, or for a card its repository."""
    card = report.cards.get(result.model)
    if card is not None:
        return str(card.get("repo_id") or card.get("catalog_model") or result.model)
    return result.model


def _ancestors(report: Report, result: Result, name: str) -> list[dict[str, Any]]:
    """A card's base model, whose terms govern it (a fine-tune, a quantisation), as its pedigree."""
    card = report.cards.get(result.model)
    base = str(card.get("catalog_model") or "") if card is not None else ""
    if not base or base.lower() == name.lower():
        return []
    group, _, short = base.rpartition("/")
    return [{"type": "machine-learning-model", "bom-ref": f"{name}:base:{base}", "name": short,
             **({"group": group} if group else {})}]


def _declared(report: Report, result: Result) -> list[str]:
    card = report.cards.get(result.model)
    if card is not None:
        return [str(item) for item in card.get("declared_license") or ()]
    found = report.discovered.get(result.model)
    return list(found.declared_licenses) if found is not None else []


def component(report: Report, result: Result, index: int) -> dict[str, Any]:
    name = _name(report, result)
    group, _, short = name.rpartition("/")
    found = report.discovered.get(result.model)
    revisions = list(found.revisions) if found is not None else []
    out: dict[str, Any] = {"type": "machine-learning-model", "bom-ref": f"model-{index}:{name}", "name": short}
    if group:
        out["group"] = group
    if revisions:
        out["version"] = revisions[0]
    purl = found.purl if found is not None else None
    if purl is None and result.model in report.cards and "/" in name and report.cards[result.model].get("repo_id"):
        purl = f"pkg:huggingface/{report.cards[result.model]['repo_id']}"
    if purl is not None:
        out["purl"] = purl + (f"@{revisions[0]}" if revisions else "")
    licenses = [{"license": {"name": text, "acknowledgement": "declared"}} for text in _declared(report, result)]
    licenses += [{"license": {"name": license_id, "acknowledgement": "concluded"}} for license_id in result.licenses]
    if licenses:
        out["licenses"] = licenses
    ancestors = _ancestors(report, result, name)
    if ancestors:
        out["pedigree"] = {"ancestors": ancestors}
    properties = [_property("verdict", result.verdict.value),
                  _property("outstanding_verdict", report.gate.outstanding(result).value),
                  _property("status", status(report, result))]
    if name != result.model:
        properties.append(_property("result", result.model))
    properties += [_property("rule", rule) for rule in dict.fromkeys(f.rule for f in result.findings)]
    properties += [_property("obligation", text) for text in result.obligations]
    if found is not None:
        properties += [_property("found_in", f"{item.path}:{item.line}") for item in found.found_in]
        properties += [_property("revision", revision) for revision in revisions[1:]]
    out["properties"] = properties
    return out


def render(report: Report, *, color: bool = False) -> str:
    from .. import __version__

    gate = report.gate
    bom = {
        "$schema": SCHEMA,
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": {
            "timestamp": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "tools": {"components": [{"type": "application", "name": "modelterms", "version": __version__}]},
            "properties": [_property("passed", "true" if gate.passed else "false"),
                           _property("fail_on", gate.fail_on), _property("as_of", report.use_case.as_of)],
        },
        "components": [component(report, result, index) for index, result in enumerate(report.results, 1)],
    }
    return json.dumps(bom, indent=2, ensure_ascii=False) + "\n"
