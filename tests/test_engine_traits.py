"""Each durable-rules trait listed in DEVELOPERS.md is handled in _engine.py; each test proves one."""

from __future__ import annotations

import threading
from collections import OrderedDict

import pytest

from modelterms import EvaluationError, UseCase, _engine

from .conftest import profile


def test_fact_matching_no_rule_does_not_raise(make_catalog) -> None:
    # MessageNotHandledException: with only one narrow rule, most facts match nothing.
    rules = [{"id": "only-military", "description": "d", "subject": "license",
              "when": [{"use.commercial": True}], "verdict": "forbidden", "message": "m", "cite": "license"}]
    catalog = make_catalog(licenses=[profile()], models=[_model()], rules=rules)
    assert catalog.evaluate(UseCase(commercial=True))[0].verdict.value == "forbidden"


def test_uncovered_document_fails_closed(make_catalog) -> None:
    # ... and when no rule matches a document at all, the engine refuses rather than says "permitted".
    rules = [{"id": "only-commercial", "description": "d", "subject": "license",
              "when": [{"use.commercial": True}], "verdict": "forbidden", "message": "m", "cite": "license"}]
    catalog = make_catalog(licenses=[profile()], models=[_model()], rules=rules)
    with pytest.raises(EvaluationError, match="no rule covered fixture"):
        catalog.evaluate(UseCase(commercial=False))


def test_more_evaluations_than_the_session_cap(make_catalog) -> None:
    # A host keeps at most 1,024 live sessions; each evaluation deletes its own.
    catalog = make_catalog(licenses=[profile()], models=[_model()])
    verdicts = {catalog.evaluate(UseCase(monthly_active_users=n))[0].verdict for n in range(1_100)}
    assert verdicts == {catalog.evaluate(UseCase())[0].verdict}


def test_one_host_per_process_and_no_polling_threads(make_catalog) -> None:
    catalog = make_catalog(licenses=[profile()], models=[_model()])
    catalog.evaluate(UseCase())
    host = _engine._get_host()
    before = threading.active_count()
    for _ in range(20):
        make_catalog(licenses=[profile()], models=[_model()]).evaluate(UseCase())
    assert _engine._get_host() is host
    assert threading.active_count() == before
    assert not [t for t in threading.enumerate() if isinstance(t, threading.Timer)]


def test_same_ruleset_loaded_twice_registers_once(make_catalog) -> None:
    first = make_catalog(licenses=[profile()], models=[_model()])
    first.evaluate(UseCase())
    count = _engine.registered_rulesets()
    second = make_catalog(licenses=[profile()], models=[_model()])
    assert second.compiled.name == first.compiled.name
    assert second.evaluate(UseCase()) == first.evaluate(UseCase())
    assert _engine.registered_rulesets() == count


def test_several_rules_see_the_same_fact(make_catalog) -> None:
    # Events are consumed by the first rule; facts are seen by all. Two rules on one grant fact both fire.
    rules = [{"id": f"r{n}", "description": "d", "subject": "grant", "when": [{"grant.name": "modify"}],
              "verdict": "restricted", "message": f"rule {n}", "cite": "term"} for n in (1, 2)]
    rules.append({"id": "cover", "description": "d", "subject": "license", "when": [{"license.primary": True}],
                  "verdict": "permitted", "message": "covered", "cite": "license"})
    catalog = make_catalog(licenses=[profile()], models=[_model()], rules=rules)
    fired = {finding.rule for finding in catalog.evaluate(UseCase())[0].findings}
    assert {"r1", "r2"} <= fired


def test_absence_only_rule_is_refused_not_run() -> None:
    with pytest.raises(EvaluationError, match="only for absence"):
        _engine.run("modelterms-test-absence", {"r": {"all": [{"m": {"$nex": {"x": 1}}}]}},
                    [{"id": "0", "subject": "license"}])


def test_compiled_rules_always_start_with_a_positive_subject_test(modelterms_catalog) -> None:
    for definition in modelterms_catalog.compiled.definition.values():
        first = definition["all"][0]["m"]["$and"][0]
        assert list(first) == ["subject"]


def test_same_fact_twice_in_a_row_is_not_observed_twice(make_catalog) -> None:
    # MessageObservedException: the same facts are asserted by every identical evaluation.
    catalog = make_catalog(licenses=[profile()], models=[_model()])
    assert catalog.evaluate(UseCase()) == catalog.evaluate(UseCase())


def test_threads_get_the_results_of_one_thread(modelterms_catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    # One model per license document (every document is covered, not the whole catalog again and again);
    # one thread's answers come from the plain path (every fact sent), the threads race on filling the
    # fired-rules and findings caches from empty.
    models: dict[str, str] = {}
    for entry in modelterms_catalog.models:
        for period in entry.periods:
            for license_id in period.licenses:
                models.setdefault(license_id, entry.id)
    assert set(models) == {license_id for entry in modelterms_catalog.models for period in entry.periods
                           for license_id in period.licenses}
    chosen = sorted(set(models.values()))
    uses = [UseCase(commercial=bool(n % 2), monthly_active_users=n * 10_000_000,
                    territories=("EU",) if n % 3 == 0 else (), purposes=("military",) if n % 5 == 0 else ())
            for n in range(40)]
    monkeypatch.setenv("MODELTERMS_NO_FACT_CACHE", "1")
    expected = [modelterms_catalog.evaluate(use, chosen) for use in uses]
    monkeypatch.delenv("MODELTERMS_NO_FACT_CACHE")
    monkeypatch.setattr(_engine, "_fact_cache", OrderedDict())
    monkeypatch.setattr("modelterms._catalog._FIRING", {})
    modelterms_catalog._findings.clear()
    results: dict[int, list] = {}

    def work(offset: int) -> None:
        results[offset] = [modelterms_catalog.evaluate(uses[(offset + i) % len(uses)], chosen)
                           for i in range(len(uses))]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for offset, got in results.items():
        assert got == [expected[(offset + i) % len(uses)] for i in range(len(uses))]


@pytest.mark.parametrize("fact_cache", ["empty", "off"])
def test_durable_errors_do_not_leak(monkeypatch: pytest.MonkeyPatch, make_catalog, fact_cache: str) -> None:
    catalog = make_catalog(licenses=[profile()], models=[_model()])
    host = _engine._get_host()
    # facts of these contents may have been evaluated by an earlier test: make durable-rules see them
    monkeypatch.setattr(_engine, "_fact_cache", OrderedDict())
    monkeypatch.setattr("modelterms._catalog._FIRING", {})
    if fact_cache == "off":
        monkeypatch.setenv("MODELTERMS_NO_FACT_CACHE", "1")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(host, "assert_facts", broken)
    with pytest.raises(EvaluationError, match="boom"):
        catalog.evaluate(UseCase())


def _model():
    from .conftest import model

    return model()


def test_evaluation_where_no_rule_fires_does_not_crash_on_cleanup() -> None:
    # Deleting a session in which no action ran kills the process inside durable's C core; the sentinel prevents it.
    definition = {"never": {"all": [{"m": {"$and": [{"subject": "license"}, {"use.commercial": True}]}}]}}
    for _ in range(3):
        assert _engine.run("modelterms-test-nothing-fires", definition,
                           [{"id": "0", "subject": "license", "use": {"commercial": False}}]) == []
