"""Issue 14: the cache, the prepared-facts memo and the engine fail closed under attack.

Findings 1 (a cache that runs and trusts what it did not write), 8 (stale facts
reused by id), 6b/6c (hangs in durable-rules: a long ``in`` list, a fork while
another thread evaluates) and part of 10 (thousands of rules; ``not_contains``).
"""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from modelterms import Catalog, UseCase, _cache

from .conftest import grant, model, profile


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.delenv("MODELTERMS_NO_CACHE", raising=False)
    monkeypatch.setenv("MODELTERMS_CACHE_DIR", str(directory))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return directory


def _catalog_root(root: Path, commercial: str = "yes") -> Path:
    data = profile()
    data["grants"]["commercial_use"] = grant(commercial)
    (root / "models").mkdir(parents=True, exist_ok=True)
    (root / "fixture.yaml").write_text(yaml.safe_dump(data))
    (root / "models" / "m.yaml").write_text(yaml.safe_dump({"models": [model()]}))
    return root


def _entries(directory: Path) -> list[Path]:
    return sorted(path for path in directory.iterdir() if path.name.startswith("catalog-"))


def _verdict(root: Path) -> str:
    (result,) = Catalog.load(licenses=[root]).evaluate(UseCase(commercial=True), ["acme/model"])
    return result.verdict.value


class _RunsCommand:
    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (self.command,))


class _Exits:
    def __reduce__(self) -> tuple[Any, ...]:
        import sys

        return (sys.exit, (0,))


# --- finding 1: the cache -----------------------------------------------------------------------------------------

def test_a_planted_pickle_in_the_cache_is_never_run(cache_dir: Path, tmp_path: Path) -> None:
    root = _catalog_root(tmp_path / "lic")
    Catalog.load(licenses=[root])
    marker = tmp_path / "ran"
    for entry in _entries(cache_dir):
        entry.write_bytes(pickle.dumps(_RunsCommand(f"touch {marker}")))
    assert _verdict(root) == "permitted"
    assert not marker.exists()


def test_a_cache_entry_that_calls_exit_does_not_end_the_run(cache_dir: Path, tmp_path: Path) -> None:
    root = _catalog_root(tmp_path / "lic")
    Catalog.load(licenses=[root])
    for entry in _entries(cache_dir):
        entry.write_bytes(pickle.dumps(_Exits()))
    assert _verdict(root) == "permitted"


def test_a_genuine_entry_for_other_inputs_cannot_change_a_verdict(cache_dir: Path, tmp_path: Path) -> None:
    # An attacker who can write the cache copies a real entry (here: one permitting commercial use)
    # over the entry of the files actually checked (which forbid it).
    strict = _catalog_root(tmp_path / "strict", commercial="no")
    assert _verdict(strict) == "forbidden"
    (strict_entry,) = _entries(cache_dir)
    lenient = _catalog_root(tmp_path / "lenient", commercial="yes")
    assert _verdict(lenient) == "permitted"
    (lenient_entry,) = set(_entries(cache_dir)) - {strict_entry}
    strict_entry.write_bytes(lenient_entry.read_bytes())
    assert _verdict(strict) == "forbidden"


def test_an_edited_cache_entry_is_refused(cache_dir: Path, tmp_path: Path) -> None:
    root = _catalog_root(tmp_path / "lic", commercial="no")
    assert _verdict(root) == "forbidden"
    (entry,) = _entries(cache_dir)
    content = entry.read_bytes()
    assert b'"value":"no"' in content
    entry.write_bytes(content.replace(b'"value":"no"', b'"value":"yes"'))
    assert _verdict(root) == "forbidden"


def test_an_entry_signed_with_another_users_key_is_refused(cache_dir: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # The attacker has a key of their own (another account sharing the CI cache) and signs a forged entry.
    root = _catalog_root(tmp_path / "lic", commercial="no")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "attacker"))
    forged = Catalog.load(licenses=[_catalog_root(tmp_path / "other", commercial="yes")])
    payload = {"key": _cache.key([root], f"{_cache.FORMAT}|{[(str(root), 'user')]!r}"),
               "value": _cache.to_plain(forged)}
    import json

    body = json.dumps(payload, separators=(",", ":")).encode()
    secret = _cache._secret()
    assert secret is not None
    (cache_dir / f"catalog-{payload['key']}.json").write_bytes(
        _cache._MAGIC + _cache._sign(secret, body) + b"\n" + body)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert _verdict(root) == "forbidden"


def test_the_signing_key_lives_outside_the_cache_and_is_private(cache_dir: Path, tmp_path: Path) -> None:
    Catalog.load(licenses=[_catalog_root(tmp_path / "lic")])
    key = tmp_path / "config" / "modelterms" / "cache.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert not any(path.name == "cache.key" for path in cache_dir.rglob("*"))


def test_no_usable_key_means_no_cache_and_still_an_answer(cache_dir: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    config.write_text("a file where the config directory should be")
    root = _catalog_root(tmp_path / "lic", commercial="no")
    assert _verdict(root) == "forbidden"
    assert not cache_dir.exists() or not _entries(cache_dir)
    config.unlink()
    (config / "modelterms").mkdir(parents=True)
    key = config / "modelterms" / "cache.key"
    key.write_text("0" * 64)
    key.chmod(0o644)  # readable by others: anyone could sign with it
    assert _verdict(root) == "forbidden"
    assert not cache_dir.exists() or not _entries(cache_dir)


def test_a_symlink_in_the_cache_is_neither_followed_nor_written_through(cache_dir: Path, tmp_path: Path) -> None:
    root = _catalog_root(tmp_path / "lic")
    Catalog.load(licenses=[root])
    (entry,) = _entries(cache_dir)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    entry.unlink()
    entry.symlink_to(victim)
    assert _verdict(root) == "permitted"
    assert victim.read_text() == "keep me"
    assert not entry.is_symlink()


def test_a_catalog_of_800_models_round_trips_through_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "big"
    models = [model(f"acme/model-{n}", aliases=[f"alias-{n}"]) for n in range(800)]
    (root / "models").mkdir(parents=True)
    (root / "fixture.yaml").write_text(yaml.safe_dump(profile()))
    (root / "models" / "m.yaml").write_text(yaml.safe_dump({"models": models}))
    built = Catalog.load(licenses=[root])
    (entry,) = _entries(cache_dir)
    assert entry.suffix == ".json"
    again = Catalog.load(licenses=[root])
    assert again == built and again is not built
    assert type(again.models[0].periods) is tuple and type(again.rules[0].verdict) is type(built.rules[0].verdict)


# --- finding 8: prepared facts are keyed by content, and bounded -------------------------------------------------

def test_an_entry_reusing_an_id_gets_its_own_facts(make_catalog: Any) -> None:
    catalog = make_catalog(licenses=[profile()], models=[model("x/y")])
    (open_weights,) = catalog.models
    api_only = open_weights._replace(access="api-only")
    use = UseCase(self_hosted=True)
    assert catalog.evaluate(use, [open_weights])[0].verdict.value == "permitted"
    assert catalog.evaluate(use, [api_only])[0].verdict.value == "forbidden"
    assert catalog.evaluate(use, [open_weights])[0].verdict.value == "permitted"


def test_an_edited_entry_is_evaluated_as_edited(make_catalog: Any) -> None:
    # `scan` of a card edited in place, in one process: same id, another license.
    catalog = make_catalog(licenses=[profile(), profile("strict", grants={
        "commercial_use": grant("no"), "modify": grant(), "redistribute": grant(), "serve_third_parties": grant(),
        "train_on_outputs": grant()})], models=[model("card/one")])
    (entry,) = catalog.models
    card = entry._replace(source="README.md")
    edited = card._replace(periods=(card.periods[0]._replace(licenses=("strict",)),))
    use = UseCase(commercial=True)
    assert catalog.evaluate(use, [card])[0].verdict.value == "permitted"
    (result,) = catalog.evaluate(use, [edited])
    assert (result.license, result.verdict.value) == ("strict", "forbidden")


def test_facts_of_entries_outside_the_catalog_are_bounded(make_catalog: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from modelterms import _catalog

    monkeypatch.setattr(_catalog, "PREPARED_ENTRIES", 50)
    catalog = make_catalog(licenses=[profile()], models=[model()])
    (entry,) = catalog.models
    for number in range(300):
        catalog.evaluate(UseCase(), [entry._replace(id=f"card/{number}")])
    assert len(catalog._recent) == 50
    catalog.evaluate(UseCase())  # the catalog's own models stay warm, outside the bound
    assert (entry.id, 0) in catalog._prepared


# --- finding 6c: a fork while another thread evaluates ------------------------------------------------------------

def _evaluate_in_child(catalog: Catalog, queue: Any) -> None:
    queue.put([result.verdict.value for result in catalog.evaluate(UseCase(commercial=True))])


def test_a_forked_child_evaluates_while_another_thread_holds_the_engine(make_catalog: Any) -> None:
    import multiprocessing
    import threading

    from modelterms import _engine

    catalog = make_catalog(licenses=[profile()], models=[model()])
    expected = [result.verdict.value for result in catalog.evaluate(UseCase(commercial=True))]
    inside, release = threading.Event(), threading.Event()

    def mid_evaluation() -> None:  # holds the engine lock as an evaluation in progress does
        with _engine._lock:
            inside.set()
            release.wait(60)

    holder = threading.Thread(target=mid_evaluation)
    holder.start()
    try:
        assert inside.wait(30)
        context = multiprocessing.get_context("fork")
        _run_forked_child(context, catalog, expected)
    finally:
        release.set()
        holder.join(30)


def _in_forked_child(context: Any, target: Any, args: tuple[Any, ...], seconds: int, stuck: str) -> Any:
    """What ``target(*args, queue)`` puts on the queue in a forked child; a child still running after
    ``seconds`` (a deadlock, a spin inside durable-rules) is killed and fails the test with ``stuck``."""
    queue = context.Queue()
    child = context.Process(target=target, args=(*args, queue))
    child.start()
    child.join(seconds)
    alive = child.is_alive()
    if alive:
        child.kill()
        child.join(5)
    assert not alive, stuck
    assert child.exitcode == 0
    return queue.get(timeout=5)


def _run_forked_child(context: Any, catalog: Any, expected: list[str]) -> None:
    """Evaluate in a forked child, bounded: a child stuck on an inherited lock is killed and fails the test."""
    got = _in_forked_child(context, _evaluate_in_child, (catalog,), 30,
                           "the forked child deadlocked on the engine lock")
    assert got == expected


def test_a_forked_child_evaluates_while_threads_keep_evaluating(make_catalog: Any) -> None:
    import multiprocessing
    import threading

    catalog = make_catalog(licenses=[profile()], models=[model()])
    expected = [result.verdict.value for result in catalog.evaluate(UseCase(commercial=True))]
    stop = threading.Event()

    def busy() -> None:
        while not stop.is_set():
            catalog.evaluate(UseCase(commercial=True))

    workers = [threading.Thread(target=busy) for _ in range(2)]
    for worker in workers:
        worker.start()
    try:
        context = multiprocessing.get_context("fork")
        for _ in range(5):
            _run_forked_child(context, catalog, expected)
    finally:
        stop.set()
        for worker in workers:
            worker.join(30)


# --- finding 10 (part): the schema and the compiler agree on the operators -----------------------------------------

def _schema_operators() -> list[str]:
    import json

    import modelterms

    schema = json.loads((Path(modelterms.__file__).parent / "schemas" / "rules.schema.json").read_text())
    return sorted(schema["$defs"]["comparison"]["properties"])


_OPERANDS = {  # op -> (path, operand): a well-typed use of each operator the compiler knows
    "eq": ("use.commercial", True), "ne": ("use.commercial", False), "gt": ("use.monthly_active_users", 10),
    "gte": ("use.monthly_active_users", 10), "lt": ("use.monthly_active_users", 10),
    "lte": ("use.monthly_active_users", 10), "in": ("license.kind", ["permissive", "copyleft"]),
    "not_in": ("license.kind", ["proprietary"]), "contains": ("use.purposes", "military"),
    "exists": ("license.spdx", True),
}


@pytest.mark.parametrize("op", _schema_operators())
def test_every_operator_the_schema_allows_compiles_and_runs(op: str, tmp_path: Path, make_catalog: Any) -> None:
    from modelterms._loader import validate_paths

    assert op in _OPERANDS, f"the schema allows `{op}` but the compiler has no branch for it"
    path, operand = _OPERANDS[op]
    rule = {"id": f"uses-{op.replace('_', '-')}", "description": "d", "subject": "license",
            "when": [{path: {op: operand}}], "verdict": "restricted", "message": "m", "cite": "license"}
    cover = {"id": "cover", "description": "d", "subject": "license", "when": [{"license.primary": True}],
             "verdict": "permitted", "message": "covered", "cite": "license"}
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(yaml.safe_dump({"rules": [rule, cover]}))
    ((_, kind, problems),) = validate_paths([str(rules_file)])
    assert (kind, problems) == ("rules", [])
    catalog = make_catalog(licenses=[profile()], models=[model()], rules=[rule, cover])
    assert catalog.evaluate(UseCase(monthly_active_users=50, purposes=("military",)))


def test_not_contains_is_refused_by_validation_not_a_crash(tmp_path: Path) -> None:
    # durable-rules cannot say "this list lacks x": $iall is false on an empty list, and an $or over it
    # never matches, so the operator is not part of the rule language.
    from modelterms._loader import validate_paths

    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(yaml.safe_dump({"rules": [{
        "id": "r", "description": "d", "subject": "license", "when": [{"license.kind": {"not_contains": "x"}}],
        "verdict": "restricted", "message": "m", "cite": "license"}]}))
    ((_, _, problems),) = validate_paths([str(rules_file)])
    assert problems and all(problem.line is not None for problem in problems)
    assert any("not_contains" in problem.render() for problem in problems)


# --- findings 6b and 10: long `in` lists and thousands of rules ---------------------------------------------------

def _verdicts_in_child(licenses: Path, rules: Path, uses: list[UseCase], queue: Any) -> None:
    catalog = Catalog.load(licenses=[licenses], rules=[rules], bundled=False)
    queue.put([sorted(f.rule for f in catalog.evaluate(use)[0].findings) for use in uses])


def _run_bounded(tmp_path: Path, rules: list[dict[str, Any]], uses: list[UseCase]) -> list[list[str]]:
    """Load and evaluate in a child, so that a spin inside durable-rules fails the test instead of hanging it."""
    import multiprocessing

    root = tmp_path / "licenses"
    (root / "models").mkdir(parents=True)
    (root / "fixture.yaml").write_text(yaml.safe_dump(profile()))
    (root / "models" / "m.yaml").write_text(yaml.safe_dump({"models": [model()]}))
    rules_file = tmp_path / "rules.yaml"
    cover = {"id": "cover", "description": "d", "subject": "license", "when": [{"license.primary": True}],
             "verdict": "permitted", "message": "covered", "cite": "license"}
    rules_file.write_text(yaml.safe_dump({"rules": [cover, *rules]}))
    result: list[list[str]] = _in_forked_child(multiprocessing.get_context("fork"), _verdicts_in_child,
                                               (root, rules_file, uses), 120,
                                               "durable-rules spun while creating the ruleset")
    return result


def test_an_in_list_of_a_thousand_names_compiles_and_matches(tmp_path: Path) -> None:
    names = [f"project-{n}" for n in range(1000)]
    rule = {"id": "listed-projects", "description": "d", "subject": "license",
            "when": [{"use.name": {"in": names}}, {"use.commercial": True}], "verdict": "restricted",
            "message": "listed", "cite": "license"}
    uses = [UseCase(name="project-997", commercial=True), UseCase(name="project-3", commercial=True),
            UseCase(name="project-3"), UseCase(name="elsewhere", commercial=True)]
    assert _run_bounded(tmp_path, [rule], uses) == [["cover", "listed-projects"], ["cover", "listed-projects"],
                                                    ["cover"], ["cover"]]


def test_an_any_of_long_in_lists_compiles_and_matches(tmp_path: Path) -> None:
    rule = {"id": "either-list", "description": "d", "subject": "license",
            "when": [{"any": [{"use.name": {"in": [f"a-{n}" for n in range(400)]}},
                              {"use.licensee_country": {"in": ["FR", "DE"]}},
                              {"use.name": {"in": [f"b-{n}" for n in range(400)]}}]}],
            "verdict": "restricted", "message": "listed", "cite": "license"}
    uses = [UseCase(name="b-399"), UseCase(name="a-0"), UseCase(name="c-1", licensee_country="FR"),
            UseCase(name="c-1")]
    assert _run_bounded(tmp_path, [rule], uses) == [["cover", "either-list"]] * 3 + [["cover"]]


def test_three_thousand_rules_load_and_each_fires(tmp_path: Path) -> None:
    rules = [{"id": f"policy-{n}", "description": "d", "subject": "license",
              "when": [{"use.name": f"team-{n}"}], "verdict": "restricted", "message": f"team {n}",
              "cite": "license"} for n in range(3000)]
    uses = [UseCase(name="team-0"), UseCase(name="team-2999"), UseCase(name="team-1500"), UseCase(name="nobody")]
    assert _run_bounded(tmp_path, rules, uses) == [["cover", "policy-0"], ["cover", "policy-2999"],
                                                   ["cover", "policy-1500"], ["cover"]]


def test_a_rule_too_long_to_split_is_refused_at_load_with_its_line(tmp_path: Path) -> None:
    from modelterms._loader import validate_paths

    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(yaml.safe_dump({"rules": [{
        "id": "huge", "description": "d", "subject": "license",
        "when": [{"use.name": {"in": [f"n-{n}" for n in range(20_000)]}}],
        "verdict": "restricted", "message": "m", "cite": "license"}]}))
    ((_, kind, problems),) = validate_paths([str(rules_file)])
    assert kind == "rules"
    (problem,) = problems
    assert problem.line is not None and problem.key.endswith("when")
    assert "alternatives" in problem.message
