"""Read-only views of the catalog for ``models`` and ``show``: no verdicts, only what the files say."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from ._catalog import Catalog
from ._errors import UnknownModelError
from ._model import LicenseProfile, ModelEntry
from ._schema import suggest


def _in_force(model: ModelEntry, day: str) -> tuple[str, ...]:
    period = model.period(day)
    return period.licenses if period else ()


# How far a kind of license departs from "do as you like", for the `kind` column:
# a model bound by MIT and the Llama 3.1 terms is as restricted as the latter.
_KIND_ORDER = ("permissive", "restricted", "non-commercial", "proprietary")


def model_rows(catalog: Catalog, day: str, *, vendor: str | None = None, license_id: str | None = None,
               kind: str | None = None, search: str | None = None) -> list[dict[str, Any]]:
    """One row per catalog entry, grouped by family, optionally filtered (case-insensitive)."""
    rows: list[dict[str, Any]] = []
    for model in catalog.models:
        licenses = _in_force(model, day)
        primary = catalog.licenses[licenses[0]] if licenses else None
        kinds = [catalog.licenses[i].kind for i in licenses]
        strictest = max(kinds, key=lambda k: _KIND_ORDER.index(k) if k in _KIND_ORDER else 0) if kinds else None
        period = model.period(day)
        rows.append({
            "id": model.id, "name": model.name, "vendor": model.vendor, "aliases": list(model.aliases),
            "family": model.family,
            "license": primary.id if primary else None, "licenses": list(licenses),
            "kind": strictest,
            "access": (period.access if period and period.access else model.access),
            "weights": model.data.get("weights"), "released": model.released,
            "osi_approved": all(catalog.licenses[i].osi_approved for i in licenses) if licenses else False,
            "training_code": bool(model.data.get("training_code", False)),
            "training_data": model.data.get("training_data"),
        })
    if vendor:
        rows = [row for row in rows if vendor.lower() in row["vendor"].lower()]
    if license_id:
        rows = [row for row in rows if license_id.lower() in (item.lower() for item in row["licenses"])]
    if kind:
        rows = [row for row in rows if row["kind"] == kind]
    if search:
        needle = search.lower()
        rows = [row for row in rows if any(needle in str(text).lower() for text in
                                           (row["id"], row["name"], row["family"] or "", *row["aliases"]))]
    return sorted(rows, key=lambda row: ((row["family"] or row["id"]).lower(), row["id"].lower()))


def license_dict(profile: LicenseProfile) -> dict[str, Any]:
    return {key: value for key, value in profile.data.items()}


def model_dict(model: ModelEntry) -> dict[str, Any]:
    return dict(model.data)


def describe(catalog: Catalog, identifier: str, day: str, output_format: str) -> str:
    profile = catalog.find_license(identifier)
    if profile is not None:
        if output_format == "json":
            return json.dumps(license_dict(profile), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return _license_text(profile)
    try:
        model = catalog.find_model(identifier)
    except UnknownModelError as exc:
        problem = exc.problems[0]
        nearest_license = suggest(identifier, list(catalog.licenses))
        hints = [hint for hint in (problem.hint if "did you mean" in problem.hint else "",
                                   nearest_license.replace("did you mean", "or the license", 1)
                                   if nearest_license.startswith("did you mean") else "") if hint]
        if hints and not hints[0].startswith("did you mean"):
            hints[0] = hints[0].replace("or the license", "did you mean the license", 1)
        raise UnknownModelError([problem._replace(file=identifier, line=None, key="",
                                                  message="is neither a model nor a license id",
                                                  hint=" ".join(hints) or problem.hint)]) from None
    if output_format == "json":
        shown = {**model_dict(model), "in_force": {"as_of": day, "licenses": [
            license_dict(catalog.licenses[license_id]) for license_id in _in_force(model, day)]}}
        return json.dumps(shown, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    lines = [f"{model.name} ({model.id})", f"  vendor: {model.vendor}", f"  access: {model.access}",
             f"  weights: {model.data.get('weights')}", f"  modalities: {', '.join(model.modalities)}",
             f"  released: {model.released}"]
    if model.aliases:
        lines.append(f"  aliases: {', '.join(model.aliases)}")
    lines.append("  license history:")
    for period in model.periods:
        until = period.until or "today"
        lines.append(f"    {period.start} .. {until}: {', '.join(period.licenses)}  (source: {period.source})")
    if model.data.get("notes"):
        lines += ["  notes:", *textwrap.wrap(model.data["notes"], 90, initial_indent="    ", subsequent_indent="    ")]
    out = "\n".join(lines) + "\n"
    for license_id in _in_force(model, day):
        out += "\n" + _license_text(catalog.licenses[license_id])
    return out


def _cite(item: dict[str, Any]) -> str:
    return f"[§{item['cite']['section']}, {item['cite']['url']}]"


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(" ".join(str(text).split()), 100, initial_indent=indent, subsequent_indent=indent + "  ")


_TERM_TITLES = (("thresholds", "thresholds"), ("territories", "territory exclusions"),
                ("prohibited_purposes", "prohibited purposes"), ("obligations", "obligations"))


def _term_head(key: str, item: dict[str, Any]) -> str:
    if key == "thresholds":
        scope = " (commercial use only)" if item.get("commercial_only") else ""
        return f"{item['metric']} > {item['limit']:,} -> {item['above']}{scope}"
    if key == "territories":
        only = f", {item['modality']} models only" if item.get("modality") else ""
        return f"{', '.join(item['codes'])} (binds {item['binds']}{only})"
    if key == "prohibited_purposes":
        return ", ".join(item["tags"])
    return f"{item['type']} when {item['trigger']}"


def _license_text(profile: LicenseProfile) -> str:
    data = profile.data
    lines = [f"{data['name']} ({data['id']})",
             f"  kind: {data['kind']}; SPDX: {data['spdx']}; OSI-approved: {'yes' if profile.osi_approved else 'no'}",
             f"  version: {data.get('version', '-')}; date: {data.get('date', '-')}", f"  text: {data['url']}"]
    if data.get("gaps"):
        lines += _wrap(f"INCOMPLETE: {data['gaps']}", "  ")
    lines += _wrap(data["summary"], "  ")
    if "grants" in data:
        lines.append("  grants:")
        for name, grant in data["grants"].items():
            condition = f" ({grant['condition']})" if grant.get("condition") else ""
            lines += _wrap(f"{name}: {grant['value']}{condition}. {grant['summary']} {_cite(grant)}", "    ")
    for key, title in _TERM_TITLES:
        if data.get(key):
            lines.append(f"  {title}:")
            for item in data[key]:
                lines += _wrap(f"{_term_head(key, item)}: {item['summary']} {_cite(item)}", "    ")
    if data.get("notes"):
        lines.append("  notes:")
        lines += _wrap(data["notes"], "    ")
    return "\n".join(lines) + "\n"


def data_version() -> str:
    """The bundled catalog's data version: what it holds and a hash of its files, for ``--version`` and bug reports.

    The hash covers every file under the bundled ``licenses/`` and ``rules/`` (names and bytes), so two
    installs answer alike exactly when it matches.
    """
    import hashlib

    from ._paths import bundled_licenses, bundled_rules

    digest = hashlib.sha256()
    for root in (bundled_licenses(), bundled_rules()):
        for path in sorted(item for item in root.rglob("*.yaml") if item.is_file()):
            digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    catalog = Catalog.load()
    return (f"catalog: {len(catalog.models)} models, {len(catalog.licenses)} licenses, {len(catalog.rules)} rules; "
            f"data sha256 {digest.hexdigest()[:16]}")
