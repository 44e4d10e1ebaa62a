"""pytest fixtures for test suites that use modelterms (registered through the ``pytest11`` entry point).

* ``modelterms_catalog``: the bundled catalog, loaded once per session.
* ``make_catalog``: build a temporary catalog from plain dicts, with the
  bundled rules (or your own), to test a profile or a rule in isolation.
* ``make_catalog_session``: the same factory, session-scoped, for ``@given``
  tests (hypothesis refuses function-scoped fixtures: they would not be reset
  between examples). Each call still builds its own catalog in its own folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from ._catalog import Catalog
from ._paths import bundled_rules


@pytest.fixture(scope="session")
def modelterms_catalog() -> Catalog:
    return Catalog.load()


def write_yaml(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _catalog_factory(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Catalog]:
    def factory(licenses: Sequence[dict[str, Any]] = (), models: Sequence[dict[str, Any]] = (),
                rules: Sequence[dict[str, Any]] | None = None) -> Catalog:
        root = tmp_path_factory.mktemp("catalog")
        for profile in licenses:
            write_yaml(root / "licenses" / f"{profile['id']}.yaml", profile)
        write_yaml(root / "licenses" / "models" / "models.yaml", {"models": list(models)})
        rule_paths: list[Path] = [bundled_rules()]
        if rules is not None:
            rule_paths = [write_yaml(root / "rules" / "rules.yaml", {"rules": list(rules)})]
        return Catalog.load(licenses=[root / "licenses"], rules=rule_paths, bundled=False)

    return factory


@pytest.fixture
def make_catalog(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Catalog]:
    """``make_catalog(licenses=[...], models=[...], rules=None)`` -> a Catalog of exactly those.

    ``rules=None`` uses the bundled rules; a list of rule dicts uses only
    those. Bundled licenses and models are not included.
    """
    return _catalog_factory(tmp_path_factory)


@pytest.fixture(scope="session")
def make_catalog_session(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Catalog]:
    """``make_catalog``, session-scoped: the one to use in a ``@given`` test."""
    return _catalog_factory(tmp_path_factory)
