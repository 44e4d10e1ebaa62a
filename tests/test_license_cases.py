"""Table-driven verdicts: every case in tests/cases/<license>.yaml was derived by reading the license clause it cites.

The expected verdicts are written by hand from the license texts, never produced by this engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from modelterms import Catalog, UseCase

CASES = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for index, case in enumerate(data["cases"]):
            out.append(pytest.param(data["license"], case, id=f"{path.stem}[{index}]"))
    return out


@pytest.mark.parametrize(("license_id", "case"), _cases())
def test_case(modelterms_catalog: Catalog, license_id: str, case: dict[str, Any]) -> None:
    use = dict(case.get("use") or {})
    if "as_of" in case:
        use["as_of"] = str(case["as_of"])
    (result,) = modelterms_catalog.evaluate(UseCase.from_dict(use), [case["model"]])
    if case.get("in_force", True) is False:
        # A case on the far side of a license change: on that date no period of the catalog covers the model.
        assert result.licenses == () and [f.rule for f in result.findings] == ["no-license-in-force"], case["name"]
    else:
        assert license_id in result.licenses, f"{case['model']} is not bound by {license_id} on that date"
    reasons = [f"{f.verdict.value}: {f.rule}: {f.message}" for f in result.findings]
    assert result.verdict.value == case["expect"], (case["name"], case["clause"], reasons)


def test_every_license_has_at_least_five_cases(modelterms_catalog: Catalog) -> None:
    counts = {}
    for path in CASES.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        counts[data["license"]] = len(data["cases"])
    missing = {lid: counts.get(lid, 0) for lid in modelterms_catalog.licenses if counts.get(lid, 0) < 5}
    assert not missing, missing


def test_every_case_cites_a_clause() -> None:
    for path in CASES.glob("*.yaml"):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            assert case.get("clause"), (path.name, case["name"])
