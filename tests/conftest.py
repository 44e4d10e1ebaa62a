"""Shared builders for small, valid documents that tests then bend one key at a time."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest

URL = "https://example.org/license"
#: the sample application of the discovery tests: every source kind, every decoy kind
DISCOVER_APP = Path(__file__).parent / "data" / "discover" / "app"


def cite(section: str = "1") -> dict[str, str]:
    return {"section": section, "url": URL}


def grant(value: str = "yes", **extra: Any) -> dict[str, Any]:
    out = {"value": value, "summary": f"{value} in the fixture", "cite": cite("1")}
    if value == "conditional":
        out["condition"] = "the fixture's condition"
    out.update(extra)
    return out


def profile(license_id: str = "fixture", **terms: Any) -> dict[str, Any]:
    """A valid permissive profile; keyword arguments replace or add top-level keys."""
    base: dict[str, Any] = {
        "id": license_id,
        "name": f"Fixture License {license_id}",
        "kind": "permissive",
        "version": "1.0",
        "url": URL,
        "spdx": "LicenseRef-fixture",
        "osi_approved": False,
        "summary": "A license made up for tests.",
        "grants": {name: grant() for name in
                   ("commercial_use", "modify", "redistribute", "serve_third_parties", "train_on_outputs")},
    }
    base.update(copy.deepcopy(terms))
    return base


def model(model_id: str = "acme/model", licenses: tuple[str, ...] = ("fixture",), **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": model_id, "name": model_id.split("/")[-1], "vendor": "Acme", "aliases": [],
        "access": "open-weights", "weights": "open", "modalities": ["text"], "released": "2024-01-01",
        "licenses": [{"licenses": list(licenses), "from": "2024-01-01", "source": URL}],
    }
    base.update(copy.deepcopy(extra))
    return base


@pytest.fixture
def one_model(make_catalog: Any) -> Any:
    """``one_model(**profile_terms)`` -> (catalog, model id) for a single fixture license and model."""

    def build(model_extra: dict[str, Any] | None = None, **terms: Any) -> Any:
        catalog = make_catalog(licenses=[profile(**terms)], models=[model(**(model_extra or {}))])
        return catalog, "acme/model"

    return build


@pytest.fixture()
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the discovery sample application as the working directory, with a .git marking the project
    boundary (no config above it is picked up)."""
    root = tmp_path / "app"
    shutil.copytree(DISCOVER_APP, root)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    return root
