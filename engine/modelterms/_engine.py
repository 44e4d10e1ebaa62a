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
"""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Sequence
from typing import Any

from ._errors import EvaluationError

_CATCH_ALL = "__modelterms_catch_all__"
_SENTINEL = "__modelterms_sentinel__"
_SESSION = "modelterms"

_lock = threading.RLock()
_host: Any = None
_registered: set[str] = set()
_fired: list[tuple[str, str]] = []


def _reset_after_fork() -> None:
    """In a forked child: forget the parent's lock (another thread may have held it) and engine state."""
    global _lock, _host, _registered, _fired
    _lock = threading.RLock()
    _host = None  # the parent's host may have been mid-assert; its sessions are never deleted here
    _registered = set()
    _fired = []


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


def _register(name: str, definition: dict[str, Any]) -> None:
    if name in _registered:
        return
    rules: dict[str, Any] = {}
    for rule_id, rule in copy.deepcopy(definition).items():
        for condition in rule["all"]:
            if _only_absence(condition["m"]):
                raise EvaluationError(f"rule {rule_id} tests only for absence, which durable-rules cannot run")
        rules[rule_id] = {**rule, "run": _record(rule_id)}
    rules[_SENTINEL] = {"all": [{"m": {"subject": _SENTINEL}}], "run": _ignore}
    rules[_CATCH_ALL] = {
        "all": [{"any_fact": {"$ex": {"subject": 1}}},
                {"never": {"$and": [{"subject": _CATCH_ALL}, {"$ex": {"never": 1}}]}}],
        "run": _ignore,
    }
    try:
        _get_host().register_rulesets({name: rules})
    except Exception as exc:  # durable raises bare Exception for bad definitions
        raise EvaluationError(f"durable-rules rejected ruleset {name}: {exc}") from None
    _registered.add(name)


def run(name: str, definition: dict[str, Any], facts: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """Assert ``facts`` into the ruleset and return ``(rule id, fact id)`` for every rule that fired.

    The facts are tagged with the session id in place: callers build them fresh for each evaluation.
    """
    from durable.engine import MessageNotHandledException, MessageObservedException

    with _lock:
        _register(name, definition)
        host = _get_host()
        for fact in facts:  # the facts are built fresh for each evaluation: tag them in place
            fact["sid"] = _SESSION
        batch = [*facts, {"sid": _SESSION, "id": _SENTINEL, "subject": _SENTINEL}]
        _fired.clear()
        try:
            host.assert_facts(name, batch)
            return sorted(_fired, key=lambda hit: (int(hit[1]), hit[0]))
        except (MessageNotHandledException, MessageObservedException) as exc:
            raise EvaluationError(f"durable-rules refused the facts: {type(exc).__name__}") from None
        except EvaluationError:
            raise
        except Exception as exc:
            raise EvaluationError(f"durable-rules failed: {exc}") from None
        finally:
            _fired.clear()
            try:
                host.delete_state(name, _SESSION)
            except Exception:  # no state was created (e.g. the assert failed early)
                pass


def registered_rulesets() -> int:
    """How many rulesets this process has registered (for tests and benchmarks)."""
    return len(_registered)
