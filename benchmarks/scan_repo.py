"""Print how long `modelterms scan` takes on a synthetic 10,000-file repository, and its peak memory.

The repository mixes what a real one holds: Python modules (most of them naming no model, some calling
from_pretrained or an SDK), TypeScript, YAML and JSON configs, TOML, notebooks, Dockerfiles and shell scripts,
Markdown, and a node_modules folder and a virtual environment that the walk must skip. Budget: the whole command
(start-up, catalog, walk, reading, evaluation, JSON) in at most 10 s, with memory that does not grow with the tree.

    .venv/bin/python benchmarks/scan_repo.py [--files 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
MODELS = ["meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct", "gpt-4o-mini", "BAAI/bge-base-en-v1.5",
          "mistralai/Mistral-7B-Instruct-v0.3", "claude-3-5-haiku-20241022", "google/gemma-2-9b-it"]
_PLAIN_PY = '''"""Module {i}: business logic; it mentions a model in prose, as code does, but names none."""
import os
from pathlib import Path

DATA = Path("data") / "file_{i}.json"
URL = "https://example.com/api/{i}"


class Handler{i}:
    def __init__(self, name: str = "handler-{i}") -> None:
        self.name = name
        self.items = [n * 2 for n in range(10)]

    def run(self, payload: dict) -> dict:
        result = {{"id": {i}, "name": self.name, "ok": True}}
        for key, value in payload.items():
            result[key] = str(value).strip()
        return result
'''
_MODEL_PY = '''import os
from transformers import AutoModelForCausalLM
from openai import OpenAI

MODEL = os.environ.get("MODEL_ID", "{model}")
model = AutoModelForCausalLM.from_pretrained(
    MODEL,
    revision="main",
)
reply = OpenAI().chat.completions.create(model="{model}", messages=[])
'''
_TS = '''import OpenAI from "openai";
// a comment naming nothing
export async function f{i}(prompt: string) {{
  const client = new OpenAI();
  return client.chat.completions.create({{ model: "{model}", messages: [{{ role: "user", content: prompt }}] }});
}}
'''
_YAML = "service: svc-{i}\nreplicas: 2\nimage: acme/svc:{i}\nserving:\n  model: {model}\n  port: 8000\n"


def build(root: Path, files: int, seed: int = 12) -> dict[str, int]:
    """Write the synthetic tree; return how many files of each kind it holds."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}

    def write(relative: str, text: str, kind: str) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        counts[kind] = counts.get(kind, 0) + 1

    weights = [("py", 55), ("model_py", 5), ("ts", 12), ("yaml", 8), ("json", 6), ("toml", 2), ("md", 7),
               ("ipynb", 2), ("sh", 2), ("dockerfile", 1)]
    kinds = [kind for kind, weight in weights for _ in range(weight)]
    for i in range(files):
        kind = rng.choice(kinds)
        model = rng.choice(MODELS)
        folder = f"pkg{i % 40}/sub{i % 7}"
        if kind == "py":
            write(f"{folder}/mod_{i}.py", _PLAIN_PY.format(i=i), kind)
        elif kind == "model_py":
            write(f"{folder}/load_{i}.py", _MODEL_PY.format(model=model), kind)
        elif kind == "ts":
            write(f"web/{folder}/f{i}.ts", _TS.format(i=i, model=model), kind)
        elif kind == "yaml":
            write(f"deploy/{folder}/svc{i}.yaml", _YAML.format(i=i, model=model), kind)
        elif kind == "json":
            write(f"conf/{folder}/c{i}.json", json.dumps({"name": f"c{i}", "model": model, "n": list(range(20))},
                                                          indent=2), kind)
        elif kind == "toml":
            write(f"conf/{folder}/c{i}.toml", f'[eval]\nmodel_name = "{model}"\nsteps = {i}\n', kind)
        elif kind == "md":
            write(f"docs/{folder}/page{i}.md", f"# Page {i}\n\nNothing to see.\n", kind)
        elif kind == "ipynb":
            cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
                    "source": ["from transformers import pipeline\n", f'p = pipeline("text-generation", "{model}")\n']}
            write(f"notebooks/nb{i}.ipynb", json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
                                                        "nbformat_minor": 5}, indent=1), kind)
        elif kind == "sh":
            write(f"scripts/run{i}.sh", f"#!/bin/sh\nvllm serve {model} --port 8000\n", kind)
        else:
            write(f"docker/{i}/Dockerfile", f"FROM python:3.11\nENV MODEL_ID={model}\n", kind)
    for i in range(2000):  # what the walk must skip
        write(f"node_modules/pkg{i % 50}/index{i}.js", 'module.exports = { model: "google/gemma-2-9b-it" };\n',
              "skipped")
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    for i in range(500):
        write(f".venv/lib/site-packages/m{i}.py", 'MODEL = "google/gemma-2-9b-it"\n', "skipped")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="build the tree here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="modelterms-scan-bench-"))
    try:
        if args.keep and root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True, exist_ok=True)
        counts = build(root, args.files)
        (root / ".git").mkdir()
        print(f"tree: {args.files} source files ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})")
        times = []
        cpu = []
        report: dict = {}
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run([str(BIN / "modelterms"), "scan", ".", "--no-config", "--format", "json",
                                   "--fail-on", "never"], cwd=root, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if done.returncode != 0:
                raise SystemExit(f"scan failed ({done.returncode}): {done.stderr[-2000:]}")
            report = json.loads(done.stdout)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        references = sum(len(r.get("found_in", ())) for r in report["results"])
        found = {r["model"] for r in report["results"]}
        skipped_leak = any(item["path"].startswith(("node_modules/", ".venv/")) for r in report["results"]
                           for item in r.get("found_in", ()))
        print(f"scan wall time: best {min(times):.2f} s, median {sorted(times)[len(times) // 2]:.2f} s "
              f"over {args.runs} runs (budget 10 s)")
        print(f"scan CPU time (user + system, what machine load does not inflate): best {min(cpu):.2f} s")
        print(f"peak resident memory of the scan: {peak:.0f} MiB")
        print(f"found {len(found)} models at {references} places; skipped folders read: {skipped_leak}")
        print("within budget" if min(times) <= 10 else "OVER BUDGET")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
