"""Print speed and memory figures (a script, not a timed test).

* median wall time of `modelterms check --format json` over the whole catalog, cold (no cache) and warm, against the
  floor `python -c "import yaml, click, tabulate, durable.lang"`, as ratios (budget: warm at most 1.5x the floor);
* evaluations per second in one process (one use case x the whole catalog, and one use case x one model);
* resident memory over many evaluations in one process (it must stay flat).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def _interleaved(first: list[str], second: list[str], runs: int, env: dict[str, str],
                 second_env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Median times of two commands run alternately (so machine load hits both alike) and the median ratio."""
    a, b, ratios = [], [], []
    for _ in range(runs):
        a.append(_wall(first, env))
        b.append(_wall(second, second_env or env))
        ratios.append(b[-1] / a[-1])
    return statistics.median(a), statistics.median(b), statistics.median(ratios)


def _rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def threads_check(catalog: object, models: list[str], per_thread: int, threads: int = 8) -> None:
    """8 threads x N evaluations must give exactly what one thread gives."""
    import threading

    from modelterms import UseCase

    uses = [UseCase(commercial=bool(n % 2), distributes=bool(n % 3 == 0), monthly_active_users=n * 997)
            for n in range(per_thread)]
    expected = [catalog.evaluate(use, models) for use in uses]  # type: ignore[attr-defined]
    mismatches = [0] * threads

    def work(index: int) -> None:
        for n in range(per_thread):
            position = (n + index * 7) % per_thread
            if catalog.evaluate(uses[position], models) != expected[position]:  # type: ignore[attr-defined]
                mismatches[index] += 1

    start = time.perf_counter()
    workers = [threading.Thread(target=work, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    print(f"{threads} threads x {per_thread:,} evaluations: {sum(mismatches)} results differ from one thread's "
          f"({threads * per_thread / elapsed:,.0f}/s)")
    if sum(mismatches):
        raise SystemExit("thread safety violated")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--evaluations", type=int, default=100_000)
    parser.add_argument("--thread-evaluations", type=int, default=10_000)
    args = parser.parse_args()

    # A regular `pip install` compiles bytecode, as it did for yaml, click, tabulate and durable; an editable install
    # under PYTHONDONTWRITEBYTECODE would recompile modelterms on every run, which is not what users run.
    import compileall

    import modelterms

    compileall.compile_dir(Path(modelterms.__file__).parent, quiet=1, force=False)
    cache = tempfile.mkdtemp(prefix="modelterms-bench-")
    env = {**os.environ, "MODELTERMS_CACHE_DIR": cache}
    check = [str(BIN / "modelterms"), "check", "--format", "json", "--fail-on", "never"]
    floor_cmd = [sys.executable, "-c", "import yaml, click, tabulate, durable.lang"]
    subprocess.run(check, stdout=subprocess.DEVNULL, env=env)  # fill the cache
    floor, warm, warm_ratio = _interleaved(floor_cmd, check, args.runs, env)
    _, cold, cold_ratio = _interleaved(floor_cmd, check, max(3, args.runs // 3), env,
                                       {**env, "MODELTERMS_NO_CACHE": "1"})
    one = [str(BIN / "modelterms"), "check", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--format", "json",
           "--fail-on", "never"]
    _, one_warm, one_warm_ratio = _interleaved(floor_cmd, one, args.runs, env)
    _, one_cold, one_cold_ratio = _interleaved(floor_cmd, one, max(3, args.runs // 3), env,
                                               {**env, "MODELTERMS_NO_CACHE": "1"})
    shutil.rmtree(cache, ignore_errors=True)
    print(f"floor (import yaml, click, tabulate, durable.lang): {floor * 1000:7.1f} ms")
    print(f"check --model X --format json, warm cache:         {one_warm * 1000:7.1f} ms  = {one_warm_ratio:.2f}x floor"
          " (budget 1.50x)")
    print(f"check --model X --format json, no cache:           {one_cold * 1000:7.1f} ms  = {one_cold_ratio:.2f}x floor"
          " (budget 3.00x)")
    print(f"check --format json, whole catalog, warm cache:    {warm * 1000:7.1f} ms  = {warm_ratio:.2f}x floor"
          " (median of interleaved runs; budget 1.50x)")
    print(f"check --format json, whole catalog, no cache:      {cold * 1000:7.1f} ms  = {cold_ratio:.2f}x floor")

    from modelterms import Catalog, UseCase

    catalog = Catalog.load()
    models = len(catalog.models)
    use = UseCase(commercial=True, serves_third_parties=True, monthly_active_users=1_000_000)
    start = time.perf_counter()
    rounds = 50
    for _ in range(rounds):
        catalog.evaluate(use)
    per_catalog = (time.perf_counter() - start) / rounds
    print(f"one use case x {models} models: {per_catalog * 1000:.1f} ms "
          f"({models / per_catalog:,.0f} model evaluations/s)")

    single = ["deepseek-ai/DeepSeek-R1"]
    catalog.evaluate(use, single)
    rss_start = _rss_mib()
    start = time.perf_counter()
    samples = []
    for n in range(args.evaluations):
        catalog.evaluate(UseCase(commercial=bool(n % 2), monthly_active_users=n), single)
        if n % (args.evaluations // 10 or 1) == 0:
            samples.append(_rss_mib())
    elapsed = time.perf_counter() - start
    rss_end = _rss_mib()
    print(f"{args.evaluations:,} single-model evaluations in one process: {args.evaluations / elapsed:,.0f}/s; "
          f"RSS {rss_start:.1f} MiB -> {rss_end:.1f} MiB (samples: {', '.join(f'{s:.1f}' for s in samples)})")
    threads_check(catalog, single, per_thread=args.thread_evaluations)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.1f} MiB")


if __name__ == "__main__":
    main()
