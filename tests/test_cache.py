"""The catalog cache never serves anything but what the current files and code would build."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from modelterms import Catalog, InputError, UseCase

from .conftest import model, profile


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.delenv("MODELTERMS_NO_CACHE", raising=False)
    monkeypatch.setenv("MODELTERMS_CACHE_DIR", str(directory))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # the signing key
    return directory


def _write(root: Path, data: dict) -> None:
    (root / "models").mkdir(parents=True, exist_ok=True)
    (root / "fixture.yaml").write_text(yaml.safe_dump(data))
    (root / "models" / "m.yaml").write_text(yaml.safe_dump({"models": [model()]}))


def test_second_load_comes_from_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    _write(tmp_path / "lic", profile())
    first = Catalog.load(licenses=[tmp_path / "lic"])
    assert len(list(cache_dir.glob("catalog-*.json"))) == 1
    second = Catalog.load(licenses=[tmp_path / "lic"])
    assert second == first


def test_an_edit_is_never_hidden_by_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "lic"
    _write(root, profile())
    Catalog.load(licenses=[root])
    refused = profile()
    refused["grants"]["commercial_use"]["value"] = "no"
    _write(root, refused)
    (result,) = Catalog.load(licenses=[root]).evaluate(UseCase(commercial=True), ["acme/model"])
    assert result.verdict.value == "forbidden"
    broken = profile(kind="nonsense")
    _write(root, broken)
    with pytest.raises(InputError, match="kind"):
        Catalog.load(licenses=[root])


def test_a_foreign_or_corrupt_cache_file_is_rebuilt(cache_dir: Path, tmp_path: Path) -> None:
    _write(tmp_path / "lic", profile())
    good = Catalog.load(licenses=[tmp_path / "lic"])
    (path,) = cache_dir.glob("catalog-*.json")
    path.write_text('{"not": "a catalog"}')
    assert Catalog.load(licenses=[tmp_path / "lic"]) == good
    path.write_bytes(b"\x80\x05garbage")
    assert Catalog.load(licenses=[tmp_path / "lic"]) == good
    path.write_bytes(b"")
    assert Catalog.load(licenses=[tmp_path / "lic"]) == good


def test_no_cache_writes_nothing(cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODELTERMS_NO_CACHE", "1")
    _write(tmp_path / "lic", profile())
    Catalog.load(licenses=[tmp_path / "lic"])
    assert not cache_dir.exists()
