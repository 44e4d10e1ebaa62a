"""Print how long compare and explain take, warm, in one process (a script, not a timed test).

Budgets (issue 13): ``explain`` over the whole catalog at most 2 s; ``compare`` of 50 models at most 1 s.
Each figure is the median of several runs after one warm-up run (catalog loaded, facts prepared).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from modelterms import Catalog, UseCase, compare, explain

#: a use case that leaves much to explain: every activity, a large user figure, a barred purpose, an EU domicile
USE = UseCase(commercial=True, self_hosted=True, modifies=True, distributes=True, serves_third_parties=True,
              trains_on_outputs=True, monthly_active_users=800_000_000, licensee_country="DE",
              territories=("EU", "US"), purposes=("military", "coding"))


def _median(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    catalog = Catalog.load()
    fifty = list(catalog.models[::max(1, len(catalog.models) // 50)][:50])
    single = _median(lambda: catalog.evaluate(USE), args.runs)
    whole = _median(lambda: explain(catalog, USE), args.runs)
    table = _median(lambda: compare(catalog, USE, fifty), args.runs)
    answer = explain(catalog, USE)
    print(f"catalog: {len(catalog.models)} models")
    print(f"one evaluation of the whole catalog (for scale): {single:.2f} s")
    print(f"explain, whole catalog ({len(answer.explanations)} answers explained): {whole:.2f} s (budget 2 s)"
          f"{'' if whole <= 2 else '  OVER BUDGET'}")
    print(f"compare, {len(fifty)} models: {table:.2f} s (budget 1 s){'' if table <= 1 else '  OVER BUDGET'}")


if __name__ == "__main__":
    main()
