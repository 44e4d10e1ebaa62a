"""Print how long `modelterms scan` takes over 1,000 Hugging Face model cards, offline. Budget: 5 s.

The cards mix the shapes real ones have: catalog repos, fine-tunes naming a base (by id, alias or bare
name), chains through other cards of the tree, quantisations declaring nothing, mirrors whose upstream is
inferred from the name, cards declaring only a license, and cards nothing maps (unknown). The whole command
is timed (start-up, catalog, walk, lineage, evaluation, JSON), once cold (no catalog cache) and then warm.

    .venv/bin/python benchmarks/scan_cards.py [--cards 1000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
BUDGET_SECONDS = 5.0
SHAPES = [
    ("meta-llama/Llama-3.1-8B-Instruct", "license: llama3.1"),
    ("acme/llama-ft-{i}", "license: apache-2.0\nbase_model: meta-llama/Meta-Llama-3.1-8B"),
    ("acme/gemma-ft-{i}", "license: gemma\nbase_model: google/gemma-3-4b-it"),
    ("acme/qwen-ft-{i}", "license: apache-2.0\nbase_model: Qwen/Qwen2.5-7B-Instruct"),
    ("acme/chain-{i}", "license: mit\nbase_model: acme/llama-ft-{j}"),
    ("cortecs/phi-4-FP8-{i}", "base_model: microsoft/phi-4\nbase_model_relation: quantized"),
    ("unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit", "license: llama3.1"),
    ("acme/nc-{i}", "license: cc-by-nc-4.0"),
    ("acme/mystery-{i}", "license: other\nlicense_name: acme-{i}"),
    ("acme/merge-{i}", "license: apache-2.0\nbase_model: [mistralai/Mistral-7B-v0.1, google/gemma-7b]"),
]


def build(root: Path, count: int) -> None:
    for i in range(count):
        repo, front = SHAPES[i % len(SHAPES)]
        folder = root / "models" / f"set{i}" / repo.format(i=i)
        folder.mkdir(parents=True, exist_ok=True)
        text = front.format(i=i, j=i - 3 if i >= 3 else 1)
        (folder / "README.md").write_text(f"---\n{text}\ntags: [text-generation]\n---\n# model {i}\n" + "prose\n" * 40)


def run(root: Path, env: dict[str, str]) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "modelterms"), "scan", "models", "--format", "json", "--commercial",
                           "--fail-on", "never", "--no-config"], cwd=root, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"scan failed ({done.returncode}): {done.stderr[:500]}")
    return elapsed, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--keep", type=Path, default=None, help="build the tree here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="modelterms-cards-"))
    try:
        build(root, args.cards)
        env = {**os.environ, "MODELTERMS_CACHE_DIR": str(root / ".cache")}
        env.pop("MODELTERMS_HUB", None)
        cold, report = run(root, env)
        warm, _ = run(root, env)
        results = report["results"]
        by = {}
        for result in results:
            key = result["card"]["mapped_by"] or "unknown"
            by[key] = by.get(key, 0) + 1
        print(f"{len(results)} cards: {', '.join(f'{n} {k}' for k, n in sorted(by.items()))}")
        print(f"cold (catalog parsed): {cold:.2f} s; warm: {warm:.2f} s; budget {BUDGET_SECONDS:.1f} s (warm) -> "
              + ("OK" if warm <= BUDGET_SECONDS else "OVER BUDGET"))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
