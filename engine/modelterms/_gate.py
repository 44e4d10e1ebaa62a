"""Pass or fail: which findings count against ``--fail-on`` once waivers are applied.

The verdicts themselves never change (a waiver does not make a license say
something else); a waiver only stops a finding from failing the check. As in
pip-audit and conftest, a waiver that matches nothing is reported as stale, and
an expired waiver fails the check on its own, so that no acceptance outlives
its approval silently.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from ._config import Waiver
from ._model import Finding, Result, Verdict

FAIL_ON = ("forbidden", "restricted", "never")


class Gate(NamedTuple):
    fail_on: str
    today: str
    #: (model id, rule id) -> the waiver that accepts that finding
    waived: dict[tuple[str, str], Waiver]
    #: (model id, waiver) for each expired waiver: each fails the check
    expired: tuple[tuple[str, Waiver], ...]
    stale: tuple[Waiver, ...]
    #: model ids with at least one unwaived finding at or above ``fail_on``
    failing: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failing and not self.expired

    @property
    def expired_models(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(model for model, _ in self.expired))

    def expired_for(self, model: str) -> list[Waiver]:
        return [waiver for owner, waiver in self.expired if owner == model]

    def waiver_for(self, model: str, finding: Finding) -> Waiver | None:
        return self.waived.get((model, finding.rule))

    def outstanding(self, result: Result) -> Verdict:
        """The most severe finding not waived (``permitted`` when every finding is waived)."""
        live = [f.verdict for f in result.findings if self.waiver_for(result.model, f) is None]
        return max(live, key=lambda verdict: verdict.severity, default=Verdict.PERMITTED)

    def messages(self) -> list[tuple[str, str]]:
        """``(level, text)`` for what a person must act on: ``error`` for expired waivers (they fail the check),
        ``warning`` for stale ones."""
        out = [("error", f"{w.file}:{w.line}: waiver for {w.model} ({w.rule}) expired on {w.expires}; "
                         "renew it with a new approval or fix the finding") for _, w in self.expired]
        out += [("warning", f"{w.file}:{w.line}: waiver for {w.model} ({w.rule}) matches no finding; remove it "
                            "(stale)") for w in self.stale]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "fail_on": self.fail_on,
            "passed": self.passed,
            "failing": list(self.failing),
            "waivers": {
                "expired": [w.to_dict() for _, w in self.expired],
                "stale": [w.to_dict() for w in self.stale],
            },
        }


def judge(results: Sequence[Result], waivers: Iterable[tuple[str, Waiver]], fail_on: str,
          today: str | None = None) -> Gate:
    """Apply ``waivers`` (each paired with the model id it resolves to) and decide pass or fail."""
    today = today or _dt.date.today().isoformat()
    threshold = None if fail_on == "never" else Verdict(fail_on).severity
    waived: dict[tuple[str, str], Waiver] = {}
    expired: list[tuple[str, Waiver]] = []
    stale: list[Waiver] = []
    by_model = {result.model: result for result in results}
    for model_id, waiver in waivers:
        result = by_model.get(model_id)
        matched = [] if result is None else [f for f in result.findings
                                             if waiver.rule in ("*", f.rule) and f.verdict != Verdict.PERMITTED]
        if waiver.expired(today):
            expired.append((model_id, waiver))
        elif not matched:
            stale.append(waiver)
        else:
            for finding in matched:
                waived.setdefault((model_id, finding.rule), waiver)
    gate = Gate(fail_on, today, waived, tuple(expired), tuple(stale), ())
    failing = tuple(result.model for result in results
                    if threshold is not None and gate.outstanding(result).severity >= threshold)
    return gate._replace(failing=failing)
