"""The one module that talks to durable-rules, and the one place its traits are handled.

durable-rules 2.0.28 has traits that bite an embedder; each is handled here,
once, and ``tests/test_engine_traits.py`` proves each:

* Every ``Host`` starts timer threads that never stop: we make one host per
  process, lazily, from a subclass that starts no threads (we use neither
  timers nor queued actions, so nothing needs polling).
* Ruleset names are global to a host and cannot be registered twice: a compiled
  ruleset is named by the hash of its definition and registered at most once.
* A fact that matches no rule raises ``MessageNotHandledException`` (and a batch
  with one such fact runs no action at all): every ruleset gets a catch-all rule
  whose first condition accepts any fact and whose second waits for a fact that
  never comes, so every fact is "handled" yet the catch-all never runs an action
  (an action per fact would cost more than the evaluation itself).
* A host keeps at most 1,024 live sessions: every evaluation uses the same
  session id and deletes its state afterwards, even when an action fails.
* Asserting the same fact twice raises ``MessageObservedException``: facts carry
  a unique ``id`` within an evaluation, and state is deleted between evaluations.
* Deleting a session in which no action ran crashes the process (a segfault or
  abort inside the C core; measured here, not in DEVELOPERS.md): every
  evaluation also asserts a sentinel fact whose rule always runs an action.
* Events are consumed by the first rule they match: we assert facts, never post
  events, so every rule sees every fact.
* A rule whose only condition is an absence test spins forever: the compiler
  puts a positive ``subject`` test first in every rule, and this module refuses
  any definition whose conditions are absence-only.
* It is not thread-safe: all calls go through one lock.
* A lock held across ``fork`` (another thread mid-evaluation) deadlocks the
  child, and the host's C state may be half-updated: the child starts with a
  new lock, no host and no registered rulesets (``os.register_at_fork``), and
  registers again on first use.
* ``Ruleset()`` mutates the definition it is given (it deletes ``run``): we hand
  it a fresh copy each time.
* ``create_ruleset`` spins for ever once a ruleset holds more than ~512
  alternatives (measured: 512 one-test rules register, 513 spin; so does one
  rule with an ``$or`` of 513, as an ``in`` list of that size compiles to):
  a rule's alternatives are counted, a rule with too many is split into
  several that record the same rule id (one per slice of its largest ``$or``),
  and the rules are packed into as many rulesets as keep each under
  ``_BUDGET``. Every evaluation asserts the facts into each of them.
"""

from __future__ import annotations

import copy
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from ._errors import EvaluationError

_CATCH_ALL = "__modelterms_catch_all__"
_SENTINEL = "__modelterms_sentinel__"
_SESSION = "modelterms"

_lock = threading.RLock()
_host: Any = None
_registered: dict[str, list[str]] = {}
_fired: list[tuple[str, str]] = []


def _reset_after_fork() -> None:
    """In a forked child: forget the parent's lock (another thread may have held it) and engine state."""
    global _lock, _host, _registered, _fired, _fact_cache
    _lock = threading.RLock()
    _host = None  # the parent's host may have been mid-assert; its sessions are never deleted here
    _registered = {}
    _fired = []
    _fact_cache = OrderedDict()  # the parent may have been mid-update


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _get_host() -> Any:
    global _host
    if _host is None:
        from durable.engine import Host

        class _QuietHost(Host):  # type: ignore[misc]
            def _run(self) -> None:
                """No polling threads: we use no timers and no queued actions."""

        _host = _QuietHost()
    return _host


def _record(rule_id: str) -> Any:
    def action(c: Any) -> None:
        _fired.append((rule_id, c.m["id"]))

    return action


def _ignore(c: Any) -> None:
    return None


def _only_absence(condition: dict[str, Any]) -> bool:
    terms = condition.get("$and", [condition])
    return all(isinstance(term, dict) and set(term) <= {"$nex"} for term in terms)


#: Alternatives per durable ruleset: half the measured point where create_ruleset starts to spin.
_BUDGET = 256
#: Pieces one rule may be split into; past this a rule is refused at load (``plan_problem``).
_MAX_PIECES = 64


def _leaves(node: Any) -> int:
    """Comparisons in a condition tree."""
    if isinstance(node, dict) and len(node) == 1:
        ((key, value),) = node.items()
        if key in ("$or", "$and") and isinstance(value, list):
            return sum(_leaves(item) for item in value)
    return 1


def _cost(node: Any) -> int:
    """The alternatives a condition adds to a ruleset: the comparisons under its ``$or`` nodes (an upper bound)."""
    if isinstance(node, dict) and len(node) == 1:
        ((key, value),) = node.items()
        if key == "$or" and isinstance(value, list):
            return sum(_leaves(item) for item in value)
        if key == "$and" and isinstance(value, list):
            return sum(_cost(item) for item in value)
    return 0


def _rule_cost(rule: dict[str, Any]) -> int:
    return 1 + sum(_cost(condition["m"]) for condition in rule["all"])


def _flat_or(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, dict) and list(item) == ["$or"]:
            out += _flat_or(item["$or"])
        else:
            out.append(item)
    return out


def _split(rule: dict[str, Any]) -> list[dict[str, Any]]:
    """``rule`` as rules each within the budget, together matching what it matches; [] if it cannot be split."""
    if _rule_cost(rule) <= _BUDGET:
        return [rule]
    conditions = rule["all"]
    if len(conditions) != 1 or list(conditions[0]["m"]) != ["$and"]:
        return []
    parts = conditions[0]["m"]["$and"]
    candidates = [(len(_flat_or(part["$or"])), index) for index, part in enumerate(parts)
                  if isinstance(part, dict) and list(part) == ["$or"]]
    if not candidates:
        return []
    size, index = max(candidates)
    alternatives = _flat_or(parts[index]["$or"])
    step = max(1, (_BUDGET - 1) // 2)
    if size <= 1:
        return []
    if size <= step:  # this $or is small: the cost is elsewhere
        step = max(1, size // 2)
    out: list[dict[str, Any]] = []
    for start in range(0, size, step):
        chunk = alternatives[start:start + step]
        piece = [*parts[:index], chunk[0] if len(chunk) == 1 else {"$or": chunk}, *parts[index + 1:]]
        pieces = _split({**rule, "all": [{"m": {"$and": piece}}]})
        if not pieces:
            return []
        out += pieces
        if len(out) > _MAX_PIECES:
            return []
    return out


def plan_problem(rule_id: str, rule: dict[str, Any]) -> str | None:
    """Why durable-rules could not run this compiled rule, or None: for the compiler to report at load."""
    if _rule_cost(rule) > _BUDGET and not _split(copy.deepcopy(rule)):
        return (f"rule {rule_id} has {_rule_cost(rule) - 1} alternatives; split it into at most "
                f"{_MAX_PIECES} rules of at most {_BUDGET} alternatives each")
    return None


def _register(name: str, definition: dict[str, Any]) -> list[str]:
    """The names of the durable rulesets that together hold ``definition``, registered once."""
    parts = _registered.get(name)
    if parts is not None:
        return parts
    require_single_fact(definition)  # what fired_by_content's cache relies on, checked once per ruleset
    pieces: list[tuple[str, dict[str, Any]]] = []
    for rule_id, rule in copy.deepcopy(definition).items():
        for condition in rule["all"]:
            if _only_absence(condition["m"]):
                raise EvaluationError(f"rule {rule_id} tests only for absence, which durable-rules cannot run")
        split = _split(rule)
        if not split:
            raise EvaluationError(plan_problem(rule_id, rule) or f"rule {rule_id} cannot be split")
        for number, piece in enumerate(split):
            piece_name = rule_id if len(split) == 1 else f"{rule_id}__piece{number}"
            pieces.append((piece_name, {**piece, "run": _record(rule_id)}))
    groups: list[dict[str, Any]] = [{}]
    spent = 0
    for piece_name, piece in pieces:
        cost = _rule_cost(piece)
        if groups[-1] and spent + cost > _BUDGET - 2:  # 2: the sentinel and the catch-all
            groups.append({})
            spent = 0
        groups[-1][piece_name] = piece
        spent += cost
    names = [name if len(groups) == 1 else f"{name}-part{number}" for number in range(len(groups))]
    host = _get_host()
    for part_name, rules in zip(names, groups, strict=True):
        rules[_SENTINEL] = {"all": [{"m": {"subject": _SENTINEL}}], "run": _ignore}
        rules[_CATCH_ALL] = {
            "all": [{"any_fact": {"$ex": {"subject": 1}}},
                    {"never": {"$and": [{"subject": _CATCH_ALL}, {"$ex": {"never": 1}}]}}],
            "run": _ignore,
        }
        try:
            host.register_rulesets({part_name: rules})
        except Exception as exc:  # durable raises bare Exception for bad definitions
            raise EvaluationError(f"durable-rules rejected ruleset {name}: {exc}") from None
    _registered[name] = names
    return names


def run(name: str, definition: dict[str, Any], facts: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """Assert ``facts`` into the ruleset and return ``(rule id, fact id)`` for every rule that fired.

    The facts are tagged with the session id in place: callers build them fresh for each evaluation.
    """
    from durable.engine import MessageNotHandledException, MessageObservedException

    with _lock:
        parts = _register(name, definition)
        host = _get_host()
        for fact in facts:  # the facts are built fresh for each evaluation: tag them in place
            fact["sid"] = _SESSION
        batch = [*facts, {"sid": _SESSION, "id": _SENTINEL, "subject": _SENTINEL}]
        _fired.clear()
        asserted: list[str] = []
        try:
            for part in parts:
                asserted.append(part)
                host.assert_facts(part, batch)
            # a split rule can match one fact in two pieces: each (rule, fact) once
            return sorted(set(_fired), key=lambda hit: (int(hit[1]), hit[0]))
        except (MessageNotHandledException, MessageObservedException) as exc:
            raise EvaluationError(f"durable-rules refused the facts: {type(exc).__name__}") from None
        except EvaluationError:
            raise
        except Exception as exc:
            raise EvaluationError(f"durable-rules failed: {exc}") from None
        finally:
            _fired.clear()
            for part in asserted:
                try:
                    host.delete_state(part, _SESSION)
                except Exception:  # no state was created (e.g. the assert failed early)
                    pass


#: Rules fired by a fact content, per compiled ruleset: (ruleset name, content key) -> rule ids. Bounded.
FACT_CACHE_SIZE = 65536
_fact_cache: OrderedDict[tuple[str, Hashable], tuple[str, ...]] = OrderedDict()

K = TypeVar("K", bound=Hashable)


def fact_cache_enabled() -> bool:
    """``MODELTERMS_NO_FACT_CACHE=1`` sends every fact of every evaluation to durable-rules (tests compare both)."""
    return not os.environ.get("MODELTERMS_NO_FACT_CACHE")


def require_single_fact(definition: dict[str, Any]) -> None:
    """Refuse a rule joining several facts: the fired-rules cache keys one fact's content at a time.

    Which rules a fact fires depends on that fact alone only while every rule has one condition on one
    fact (``all: [m]``); a rule matching two facts together would fire on combinations no key describes.
    """
    for rule_id, rule in definition.items():
        conditions = rule.get("all") if isinstance(rule, dict) else None
        if not isinstance(conditions, list) or len(conditions) != 1 or "any" in rule:
            raise EvaluationError(f"rule {rule_id} joins {len(conditions or ())} facts; every rule must test "
                                  "one fact (the fired-rules cache is keyed by one fact's content)")


def fired_by_content(name: str, definition: dict[str, Any], keys: Iterable[K],
                     fact: Callable[[K, str], dict[str, Any]]) -> dict[K, tuple[str, ...]]:
    """For each distinct fact content ``key``, the ids of the rules it fires, in id order.

    Contents seen before (for this compiled ruleset) come from a bounded cache; the others are each
    sent to durable-rules once, as ``fact(key, fact_id)``. durable-rules still evaluates every distinct
    fact: only the repeats of one already evaluated are not sent again.
    """
    out: dict[K, tuple[str, ...]] = {}
    pending: list[K] = []
    cache = _fact_cache
    with _lock:
        for key in keys:
            hit = cache.get((name, key))
            if hit is None:
                pending.append(key)
            else:
                cache.move_to_end((name, key))
                out[key] = hit
        if pending:
            fired: dict[str, list[str]] = {str(index): [] for index in range(len(pending))}
            for rule_id, fact_id in run(name, definition, [fact(key, str(index)) for index, key in enumerate(pending)]):
                fired[fact_id].append(rule_id)
            for index, key in enumerate(pending):
                out[key] = cache[(name, key)] = tuple(fired[str(index)])
            while len(cache) > FACT_CACHE_SIZE:
                cache.popitem(last=False)
    return out


def registered_rulesets() -> int:
    """How many rulesets this process has registered (for tests and benchmarks)."""
    return len(_registered)
