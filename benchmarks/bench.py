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


#: Run by each interpreter compared (this checkout's and the base's): evaluations per second as JSON.
_WORKER = r"""
import json, sys, time
from modelterms import Catalog, UseCase
spec = json.load(open(sys.argv[1]))
catalog = Catalog.load()
ids = {model.id for model in catalog.models}
if spec["mode"] == "ids":
    print(json.dumps(sorted(ids)))
    raise SystemExit
models = [name for name in spec["models"] if name in ids]
uses = spec["uses"]
if spec["mode"] == "catalog":
    catalog.evaluate(UseCase.from_dict(uses[0]), models)
    start = time.perf_counter()
    for data in uses:
        catalog.evaluate(UseCase.from_dict(data), models)
    print(json.dumps({"rate": len(uses) * len(models) / (time.perf_counter() - start)}))
else:
    catalog.evaluate(UseCase.from_dict(uses[0]), models[:1])
    start = time.perf_counter()
    for n, data in enumerate(uses):
        catalog.evaluate(UseCase.from_dict(data), [models[n % len(models)]])
    print(json.dumps({"rate": len(uses) / (time.perf_counter() - start)}))
"""


def use_case_mix(count: int, seed: int = 16) -> list[dict[str, object]]:
    """Random use cases over keys both versions know: the same mix for each side of a comparison."""
    import random

    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for _ in range(count):
        data: dict[str, object] = {key: rng.random() < 0.5 for key in
                                   ("commercial", "distributes", "modifies", "serves_third_parties",
                                    "self_hosted", "trains_on_outputs")}
        figure = rng.choice([None, 0, 5_000, 700_000_000, 2_000_000_000])
        if figure is not None:
            data["monthly_active_users"] = figure
        if rng.random() < 0.4:
            data["territories"] = rng.choice([["EU"], ["US"], ["CN", "US"], ["DE", "FR", "US"]])
        if rng.random() < 0.3:
            data["licensee_country"] = rng.choice(["US", "CN", "DE", "RU"])
        if rng.random() < 0.4:
            data["purposes"] = rng.choice([["military"], ["medical-advice", "coding"], ["research"], ["coding"]])
        out.append(data)
    return out


def _worker(python: str, spec: dict[str, object]) -> object:
    import json

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
    try:
        done = subprocess.run([python, "-c", _WORKER, handle.name], capture_output=True, text=True, check=True,
                              env={**os.environ, "MODELTERMS_NO_CACHE": "1"})
    finally:
        os.unlink(handle.name)
    return json.loads(done.stdout)


def compare_with_base(base_python: str, rounds: int) -> None:
    """Whole-catalog pairs/s and single-model evaluations/s (with from_dict), this checkout over the base.

    Both run the same use-case mix over the models both catalogs hold; runs alternate, and the ratio
    printed is the median of each round's ratio, so machine load hits both sides alike.
    """
    ours_ids = set(_worker(sys.executable, {"mode": "ids"}))  # type: ignore[arg-type]
    base_ids = set(_worker(base_python, {"mode": "ids"}))  # type: ignore[arg-type]
    common = sorted(ours_ids & base_ids)
    everything = sorted(ours_ids)
    print(f"comparison with {base_python}: {len(common)} models in both catalogs, {len(ours_ids)} here")
    for mode, models, count, label in (
            ("catalog", common, 60, f"whole catalog ({len(common)} common models), pairs/s"),
            ("single", common, 3000, "single-model evaluations/s with UseCase.from_dict")):
        ours, base, ratios = [], [], []
        for round_number in range(rounds):
            spec = {"mode": mode, "models": models, "uses": use_case_mix(count, seed=16 + round_number)}
            ours.append(float(_worker(sys.executable, spec)["rate"]))  # type: ignore[index]
            base.append(float(_worker(base_python, spec)["rate"]))  # type: ignore[index]
            ratios.append(ours[-1] / base[-1])
        print(f"  {label}: {statistics.median(ours):,.0f} here vs {statistics.median(base):,.0f} base "
              f"= {statistics.median(ratios):.1f}x (median of {rounds} interleaved rounds)")
    spec = {"mode": "catalog", "models": everything, "uses": use_case_mix(30)}
    print(f"  whole catalog here ({len(everything)} models), pairs/s: "
          f"{float(_worker(sys.executable, spec)['rate']):,.0f}")  # type: ignore[index]


def batch_figures(lines: int, rss_lines: int) -> None:
    """``check --batch`` lines/s on three models, and peak RSS with -o for a short and a long batch."""
    import json

    models = ["meta-llama/Llama-3.1-8B-Instruct", "deepseek-ai/DeepSeek-R1", "google/gemma-2-9b-it"]
    folder = Path(tempfile.mkdtemp(prefix="modelterms-batch-"))
    try:
        mix = use_case_mix(1000)
        for count in sorted({lines, min(lines, 20_000), rss_lines}):
            with open(folder / f"batch-{count}.jsonl", "w") as handle:
                for n in range(count):
                    handle.write(json.dumps(mix[n % len(mix)]) + "\n")
        command = [str(BIN / "modelterms"), "check", "--fail-on", "never"]
        for name in models:
            command += ["--model", name]

        def run(count: int) -> tuple[float, float]:
            start = time.perf_counter()
            batch = str(folder / f"batch-{count}.jsonl")
            done = subprocess.run(["/usr/bin/time", "-f", "%M", *command, "--batch", batch,
                                   "-o", str(folder / "out.jsonl")], capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            peak = int(done.stderr.strip().splitlines()[-1]) / 1024
            return elapsed, peak

        short_count = min(lines, 20_000)
        elapsed, short_peak = run(short_count)
        print(f"check --batch, 3 models, {short_count:,} lines with -o: {short_count / elapsed:,.0f} lines/s "
              f"(start-up included), peak RSS {short_peak:.1f} MiB")
        elapsed, long_peak = run(rss_lines)
        print(f"check --batch, 3 models, {rss_lines:,} lines with -o: {rss_lines / elapsed:,.0f} lines/s, "
              f"peak RSS {long_peak:.1f} MiB (flat if close to the short batch's)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-python", default="/tmp/base-venv/bin/python",
                        help="interpreter with main at 30962df installed (skipped if missing)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-lines", type=int, default=20_000)
    parser.add_argument("--rss-lines", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["compare", "batch", "cli", "all"], default="all")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--evaluations", type=int, default=100_000)
    parser.add_argument("--thread-evaluations", type=int, default=10_000)
    args = parser.parse_args()
    if args.only in ("compare", "all") and Path(args.base_python).exists():
        compare_with_base(args.base_python, args.rounds)
    if args.only in ("batch", "all"):
        batch_figures(args.batch_lines, args.rss_lines)
    if args.only not in ("cli", "all"):
        return

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
