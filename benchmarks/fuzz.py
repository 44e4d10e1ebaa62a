"""Fuzz the loader and validator with many mutated inputs; print what was run and anything unexpected.

Inputs: random bytes, and the bundled YAML files with random byte flips, insertions, deletions, truncations, and
injected tags, anchors and deep nesting. Every input must end in a clean ModelTermsError (or be valid) within the
time limit; any other exception, or an input slower than the limit, is reported as a finding.
"""

from __future__ import annotations

import argparse
import random
import time

from modelterms import ModelTermsError
from modelterms._loader import detect_kind, problems_for
from modelterms._paths import bundled_licenses, bundled_rules
from modelterms._yaml import parse

INJECTIONS = [b"!!python/object/apply:os.system ['true']", b"&a [*a]", b"*missing", b"[" * 200, b"{" * 200,
              b"9" * 5000, b"\xff\xfe", b"\x00", b"<<: *x", b"!custom", b"? [a, b]\n: c", b"--- \n---\n"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        choice = rng.random()
        position = rng.randrange(len(data) + 1)
        if choice < 0.3 and data:
            data[min(position, len(data) - 1)] = rng.randrange(9, 127)
        elif choice < 0.5:
            data[position:position] = rng.choice(INJECTIONS)
        elif choice < 0.7 and data:
            del data[position:position + rng.randint(1, 40)]
        elif choice < 0.8:
            data = data[:position]
        else:
            data[position:position] = bytes(rng.randrange(9, 127) for _ in range(rng.randint(1, 20)))
    return bytes(data)


OUTCOMES = {"not utf-8": 0, "rejected": 0, "valid": 0}


def run_one(payload: bytes, limit: float) -> str | None:
    start = time.perf_counter()
    try:
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            OUTCOMES["not utf-8"] += 1  # the file reader turns this into an InputError (tested separately)
            return None
        document = parse(text, "fuzz.yaml")
        problems = problems_for(document, detect_kind(document))
        OUTCOMES["rejected" if problems else "valid"] += 1
    except ModelTermsError:
        OUTCOMES["rejected"] += 1
    except Exception as exc:  # a finding
        return f"{type(exc).__name__}: {exc}"[:300]
    if time.perf_counter() - start > limit:
        return f"slow: {time.perf_counter() - start:.2f}s"
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=2.0, help="seconds one input may take")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    roots = (bundled_licenses(), bundled_rules())
    seeds = [path.read_bytes() for root in roots for path in sorted(root.rglob("*.yaml"))]
    findings: dict[str, bytes] = {}
    start = time.perf_counter()
    for number in range(args.inputs):
        payload = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300))) if number % 5 == 0 \
            else mutate(rng.choice(seeds), rng)
        finding = run_one(payload, args.limit)
        if finding and finding not in findings:
            findings[finding] = payload
    print(f"{args.inputs:,} inputs (seed {args.seed}) in {time.perf_counter() - start:.1f}s: "
          f"{len(findings)} distinct finding(s); outcomes: {OUTCOMES}")
    for finding, payload in findings.items():
        print(f"- {finding}\n  input starts: {payload[:120]!r}")


if __name__ == "__main__":
    main()
