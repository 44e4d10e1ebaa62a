"""The speed-ups change no answer: cached and uncached evaluation agree, and each cache keeps its bounds."""

from __future__ import annotations

from collections import OrderedDict

import pytest
from hypothesis import HealthCheck, given, settings

from modelterms import Catalog, EvaluationError, InputError, UseCase, _engine, _usecase, strategies
from modelterms import _catalog as _catalog_module
from modelterms._render import field_values, render

_catalog = Catalog.load()


def _one_model_per_document(catalog: Catalog) -> list[str]:
    chosen: dict[str, str] = {}
    for entry in catalog.models:
        for period in entry.periods:
            for license_id in period.licenses:
                chosen.setdefault(license_id, entry.id)
    return sorted(set(chosen.values()))


_models = _one_model_per_document(_catalog)


def _plain(use: UseCase, models: list[str] | None, monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as patch:
        patch.setenv("MODELTERMS_NO_FACT_CACHE", "1")
        return _catalog.evaluate(use, models)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(use=strategies.use_cases())
def test_cached_evaluation_gives_what_sending_every_fact_gives(use: UseCase) -> None:
    with pytest.MonkeyPatch.context() as patch:
        plain = _plain(use, _models, patch)
        patch.setattr(_engine, "_fact_cache", OrderedDict())
        patch.setattr("modelterms._catalog._FIRING", {})
        cold = _catalog.evaluate(use, _models)  # fired rules worked out from durable-rules, then cached
        warm = _catalog.evaluate(use, _models)  # the same from the cache
    assert cold == plain
    assert warm == plain


def test_whole_catalog_cached_and_plain_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    use = UseCase(commercial=True, distributes=True, territories=("EU",), purposes=("military",),
                  monthly_active_users=900_000_000)
    assert _catalog.evaluate(use) == _plain(use, None, monkeypatch)


def test_tiny_caches_still_give_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    uses = [UseCase(commercial=bool(n % 2), monthly_active_users=n * 50_000_000) for n in range(6)]
    expected = [_plain(use, _models, monkeypatch) for use in uses]
    monkeypatch.setattr(_engine, "FACT_CACHE_SIZE", 3)
    monkeypatch.setattr(_engine, "_fact_cache", OrderedDict())
    monkeypatch.setattr("modelterms._catalog._FIRING", {})
    monkeypatch.setattr("modelterms._catalog.FINDINGS_CACHED", 2)
    monkeypatch.setattr("modelterms._catalog.FIRING_CACHED", 2)
    _catalog._findings.clear()
    for use, want in zip(uses * 2, expected * 2, strict=True):
        assert _catalog.evaluate(use, _models) == want
        assert len(_engine._fact_cache) <= 3
        assert len(_catalog._findings) <= 2
        assert len(_catalog_module._FIRING) <= 2


def test_each_distinct_fact_is_sent_once_and_repeats_not_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[int] = []
    real = _engine.run

    def counting(name, definition, facts):  # type: ignore[no-untyped-def]
        sent.append(len(facts))
        return real(name, definition, facts)

    monkeypatch.setattr(_engine, "run", counting)
    monkeypatch.setattr(_engine, "_fact_cache", OrderedDict())
    monkeypatch.setattr("modelterms._catalog._FIRING", {})
    use = UseCase(commercial=True, monthly_active_users=12_345)
    first = _catalog.evaluate(use)
    facts_in_catalog = sum(len(_catalog._prepared_for(model, model.periods.index(model.period(use.as_of))))
                           for model in _catalog.models if model.period(use.as_of) is not None)
    assert len(sent) == 1 and 0 < sent[0] < facts_in_catalog / 10  # distinct contents only
    assert _catalog.evaluate(use) == first
    assert len(sent) == 1  # the second evaluation sent nothing


def test_a_rule_joining_two_facts_is_refused_so_the_cache_cannot_be_wrong() -> None:
    definition = {"pair": {"all": [{"a": {"subject": "license"}}, {"b": {"subject": "grant"}}], "run": None}}
    with pytest.raises(EvaluationError, match="pair joins 2 facts"):
        _engine.require_single_fact(definition)
    with pytest.raises(EvaluationError, match="joins 2 facts"):
        _engine.fired_by_content("modelterms-test-two-facts", definition, ["k"],
                                 lambda key, fact_id: {"id": fact_id, "subject": "license"})
    _engine.require_single_fact(_catalog.compiled.definition)  # the compiler makes one condition per rule


def test_compiled_templates_render_as_documented() -> None:
    values = {"use": {"monthly_active_users": 1234567, "territories": ["DE", "FR"], "commercial": True},
              "license": {"name": "Llama  3"}}
    template = ("{license.name} caps {use.monthly_active_users} users in {use.territories} ({{literal}}) "
                "{use.commercial}")
    assert render(template, values) == "Llama 3 caps 1,234,567 users in DE, FR ({literal}) yes"
    # what a rendered text is remembered by tells True from 1, which render tells apart too
    assert field_values("{use.x}", {"use": {"x": True}}) != field_values("{use.x}", {"use": {"x": 1}})


def test_from_dict_validates_once_and_direct_construction_still_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = _usecase.use_case_problems

    def counting(document, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(document.name)
        return real(document, **kwargs)

    monkeypatch.setattr(_usecase, "use_case_problems", counting)
    UseCase.from_dict({"commercial": True, "territories": ["EU", "US"]})
    assert len(calls) == 1
    with pytest.raises(InputError, match="territories"):
        UseCase(territories=("Germany",))
    with pytest.raises(InputError, match="territories"):
        UseCase.from_dict({"territories": ["Germany"]})


def test_a_shown_schema_problem_still_gets_its_suggestion() -> None:
    with pytest.raises(InputError) as raised:
        UseCase.from_dict({"territories": ["DX"], "comercial": True})
    text = str(raised.value)
    assert "did you mean `commercial`?" in text


def test_the_stat_key_never_hides_an_edit_that_keeps_size_and_mtime(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import yaml

    from .conftest import model, profile

    monkeypatch.delenv("MODELTERMS_NO_CACHE", raising=False)
    monkeypatch.setenv("MODELTERMS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    root = tmp_path / "lic"
    (root / "models").mkdir(parents=True)
    (root / "models" / "m.yaml").write_text(yaml.safe_dump({"models": [model()]}))
    granted = profile()
    granted["grants"]["commercial_use"]["value"] = "yes"
    path = root / "fixture.yaml"
    path.write_text(yaml.safe_dump(granted) + "# pad\n")
    before = os.stat(path)
    use = UseCase(commercial=True)
    assert Catalog.load(licenses=[root]).evaluate(use, ["acme/model"])[0].verdict.value != "forbidden"
    assert Catalog.load(licenses=[root]).evaluate(use, ["acme/model"])[0].verdict.value != "forbidden"
    assert list((tmp_path / "cache").glob("stat-*.key"))  # the second load went the stat way
    refused = dict(granted, grants={**granted["grants"], "commercial_use": {**granted["grants"]["commercial_use"],
                                                                            "value": "no"}})
    text = yaml.safe_dump(refused) + "# pad.\n"
    assert len(text) == before.st_size  # "no" for "yes", one more character in the comment: the same size
    path.write_text(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    (result,) = Catalog.load(licenses=[root]).evaluate(use, ["acme/model"])
    assert result.verdict.value == "forbidden"
