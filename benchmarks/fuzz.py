"""Fuzz every input modelterms reads; print what was run and anything unexpected.

Input kinds: use cases, project configs (YAML and ``pyproject.toml``), policies and rule files, license profiles
and model catalogs, Hugging Face model cards, and batch lines. Each input is a seed file of that kind (bundled or
hand-written) with random byte flips, insertions, deletions, truncations and injected hostile fragments (explicit
YAML tags, YAML 1.1 words, base-60 numbers, anchors, deep nesting, huge numbers, lone surrogates, odd line breaks),
or plain random bytes. Every input is written to a file and read through the same entry point the CLI uses. Every
so often the special files are tried too: a FIFO, ``/dev/zero``, ``/dev/urandom``, a directory, a symlink to a
device, a sparse file of 3 GB and one just over the size limit; and a sample of inputs runs through the CLI itself.

A finding is:

- **traceback**: any exception other than a ModelTermsError (or, through the CLI, exit 3 or a traceback);
- **hang**: an input still running after ``--hang`` seconds (stopped by SIGALRM);
- **accepted invalid**: an input the reference reader (PyYAML ``safe_load``/``json``/``tomllib`` and the
  reference ``jsonschema`` with the vocabulary) rejects, but modelterms accepts; for a use case, one that then gets
  a verdict is also counted under **permitted invalid** when that verdict is ``permitted``;
- **slow**: an input that took longer than ``--limit`` seconds (reported, not a failure: the machine may be busy).

Run: ``python benchmarks/fuzz.py --inputs 100000``. Exit status 1 if any traceback, hang or accepted-invalid
input was found.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource

from modelterms import ModelTermsError
from modelterms._batch import _document as batch_document
from modelterms._batch import _lines as batch_lines
from modelterms._card import read_card
from modelterms._config import load_config
from modelterms._loader import detect_kind, problems_for
from modelterms._paths import bundled_licenses, bundled_rules
from modelterms._schema import KINDS, SCHEMA_DIR
from modelterms._usecase import use_case_from_dict, vocabulary_terms
from modelterms._yaml import MAX_FILE_BYTES, load_file

REPO = Path(__file__).resolve().parent.parent
INJECTIONS = [
    b"!!python/object/apply:os.system ['true']", b"&a [*a]", b"*missing", b"[" * 200, b"{" * 200, b"9" * 5000,
    b"\xff\xfe", b"\x00", b"<<: *x", b"!custom", b"? [a, b]\n: c", b"--- \n---\n",
    b"!!bool maybe", b'!!int ""', b"!!int _", b'!!float ""', b"!!timestamp x", b"!!binary x", b"!!set {a}",
    b"!!omap [a: 1]", b"!!str", b"!!null x", b"190:20:30", b"1:30.5", b"NO", b"yes", b"off", b"On",
    b"2026-02-30", b'"2026-02-30"', b"0x1F", b"0o17", b"1e999", b".nan", b"-.inf", b"~", b"\xef\xbb\xbf",
    b"\r\n", b"\xe2\x80\xa8", b"\xc2\x85", b"\x0c", b'"\\ud800"', b"any: []", b"{}", b"'{}'", b"'{license.name!x}'",
    b"'{license.name:{}}'", b"{license.name}", b"deprecated: coding",
]
TOML_INJECTIONS = [b"9" * 5000, b"[" * 3000, b"{" * 3000, b"\xef\xbb\xbf", b"[tool]\n", b'"modelterms"', b" = ",
                   b"1979-05-27T07:32:00Z", b"inf", b"nan", b"'''", b'"""', b"\\u0000", b"[[tool.modelterms]]\n"]
JSON_INJECTIONS = [b"9" * 5000, b"[" * 5000, b'"\\ud800"', b'"\\udfff"', b"\xe2\x80\xa8", b"\xc2\x85", b"\x0c",
                   b"NaN", b"1e999", b'"commercial": true, "commercial": false', b"\r", b"\n", b"\x00", b"{}",
                   b'"purposes": ["coding", "nope"]', b'"as_of": "2026-02-30"']

USE_CASES = [
    b"commercial: true\nself_hosted: true\nmonthly_active_users: 50000\nterritories: [EU, US]\n"
    b"licensee_country: DE\npurposes: [coding, customer-support]\n",
    b"name: research\ncommercial: false\nmodifies: true\ndistributes: true\nas_of: 2025-06-01\n",
    b"serves_third_parties: true\ntrains_on_outputs: true\ncompetes_with_licensor: false\n"
    b"monthly_revenue_usd: 1000\nannual_revenue_usd: 12000\npurposes: [military]\n",
]
CONFIGS = [
    (REPO / "tests" / "data" / "sample-project" / "modelterms.yaml").read_bytes()
    if (REPO / "tests" / "data" / "sample-project" / "modelterms.yaml").exists() else b"",
    b"use_case:\n  commercial: true\nmodels:\n  - deepseek-ai/DeepSeek-R1\n  - model: openai/gpt-4o\n    where: chat\n"
    b"exceptions:\n  - model: openai/gpt-4o\n    rule: \"*\"\n    reason: trial\n    approved_by: legal\n"
    b"    expires: 2026-12-31\n",
]
TOMLS = [
    b'[project]\nname = "x"\n\n[tool.modelterms]\nmodels = ["deepseek-ai/DeepSeek-R1"]\n\n'
    b'[tool.modelterms.use_case]\ncommercial = true\nterritories = ["EU"]\n\n[[tool.modelterms.exceptions]]\n'
    b'model = "deepseek-ai/DeepSeek-R1"\nrule = "*"\nreason = "r"\napproved_by = "a"\nexpires = 2026-12-31\n',
    b'[tool]\nmodelterms = { models = ["openai/gpt-4o"], use_case = { self_hosted = true } }\n',
]
CARDS = [
    b"---\nlicense: mit\nbase_model: [Qwen/Qwen3-8B]\ntags: [text-generation]\n---\n# Model\n",
    b"---\nlicense: other\nlicense_name: llama3.1\nlicense_link: LICENSE\nbase_model: meta-llama/Llama-3.1-8B\n"
    b"base_model_relation: finetune\n---\n",
]
BATCH_LINES = [
    b'{"commercial": true, "self_hosted": true, "purposes": ["coding"], "territories": ["EU"]}\n',
    b'{"monthly_active_users": 800000000, "licensee_country": "US", "as_of": "2025-01-01"}\n',
]


def mutate(data: bytes, rng: random.Random, injections: list[bytes]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        choice = rng.random()
        position = rng.randrange(len(out) + 1)
        if choice < 0.3 and out:
            out[min(position, len(out) - 1)] = rng.randrange(9, 127)
        elif choice < 0.55:
            out[position:position] = rng.choice(injections)
        elif choice < 0.7 and out:
            del out[position:position + rng.randint(1, 40)]
        elif choice < 0.8:
            out = out[:position]
        else:
            out[position:position] = bytes(rng.randrange(9, 127) for _ in range(rng.randint(1, 20)))
    return bytes(out)


# --- the reference reader: what a correct implementation must reject ----------------------------------------

_SCHEMAS = {path.name: json.loads(path.read_text("utf-8")) for path in SCHEMA_DIR.glob("*.json")}
_REGISTRY = Registry().with_resources(
    (schema["$id"], Resource.from_contents(schema)) for schema in _SCHEMAS.values())
#: PyYAML's safe loader, the C one when present (as modelterms uses), as the reference YAML reader
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_VALIDATORS = {kind: jsonschema.Draft202012Validator(_SCHEMAS[name], registry=_REGISTRY)
               for kind, name in KINDS.items()}


def _purposes_problem(tags: Any) -> str | None:
    known = vocabulary_terms().known
    if isinstance(tags, list):
        unknown = [tag for tag in tags if isinstance(tag, str) and tag not in known]
        if unknown:
            return f"unknown purpose {unknown[0]!r}"
    return None


def _schema_problem(kind: str, data: Any) -> str | None:
    error = jsonschema.exceptions.best_match(_VALIDATORS[kind].iter_errors(data))
    if error is not None:
        return f"schema: {'.'.join(str(part) for part in error.absolute_path)}: {error.message[:120]}"
    return None


def reference_problem(kind: str, payload: bytes) -> str | None:
    """Why an independent reader (PyYAML/json/tomllib + jsonschema) rejects ``payload`` as ``kind``, or None."""
    if kind == "config-toml":
        try:
            data = tomllib.loads(payload.decode("utf-8").removeprefix("\ufeff"))
        except Exception as exc:  # any failure of the reference reader means "invalid"
            return f"tomllib: {type(exc).__name__}"
        table = data.get("tool", {}).get("modelterms") if isinstance(data.get("tool"), dict) else None
        if table is None:
            return "no [tool.modelterms]"
        return _schema_problem("config", _dates_as_text(table))
    if kind == "batch":
        for line in payload.split(b"\n"):
            if not line.strip():
                continue
            try:
                data = json.loads(line.decode("utf-8"))
            except Exception as exc:  # any failure of the reference reader means "invalid"
                return f"json: {type(exc).__name__}"
            if not isinstance(data, dict):
                return "json: not an object"
            problem = _schema_problem("use-case", data) or _purposes_problem(data.get("purposes"))
            if problem:
                return problem
        return None
    try:
        data = _dates_as_text(yaml.load(payload.decode("utf-8").removeprefix("\ufeff"), Loader=_LOADER))
    except Exception as exc:  # any failure of the reference reader means "invalid"
        return f"yaml: {type(exc).__name__}"
    if kind == "use-case":
        data = {} if data is None else data
        if not isinstance(data, dict):
            return "not a mapping"
        return _schema_problem("use-case", data) or _purposes_problem(data.get("purposes"))
    if kind == "config" and data is None:
        return None  # an empty config declares nothing, as documented
    if not isinstance(data, dict):
        return "not a mapping"
    if kind == "license":
        return _schema_problem("models" if "models" in data or "families" in data else "license", data)
    return _schema_problem(kind, data)


def _dates_as_text(value: Any) -> Any:
    import datetime as dt

    if isinstance(value, dict):
        return {str(key): _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value


# --- modelterms, through the entry point the CLI uses -------------------------------------------------------

class Hang(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


class Fuzzer:
    def __init__(self, folder: Path, limit: float, hang: float) -> None:
        from modelterms._workflow import load_setup

        self.folder = folder
        self.limit = limit
        self.hang = hang
        self.setup = load_setup(None, ("deepseek-ai/DeepSeek-R1", "openai/gpt-4o", "meta-llama/Llama-3.1-8B"))
        self.outcomes: Counter[str] = Counter()
        self.findings: dict[str, bytes] = {}
        self.counts: Counter[str] = Counter()

    def finding(self, label: str, payload: bytes) -> None:
        self.counts[label.split(":")[0]] += 1
        self.findings.setdefault(label[:300], payload)

    def timed(self, label: str, payload: bytes, action: Callable[[], Any]) -> tuple[str, Any]:
        """``("ok", value)``, ``("rejected", None)``, or a finding recorded and ``("finding", None)``."""
        signal.setitimer(signal.ITIMER_REAL, self.hang)
        start = time.perf_counter()
        try:
            result: tuple[str, Any] = ("ok", action())
        except Hang:
            self.finding(f"hang: {label}", payload)
            return "finding", None
        except ModelTermsError:
            result = ("rejected", None)
        except Exception as exc:  # a finding: every failure must be a ModelTermsError
            signal.setitimer(signal.ITIMER_REAL, 0)
            self.finding(f"traceback: {label}: {type(exc).__name__}: {exc}", payload)
            return "finding", None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if time.perf_counter() - start > self.limit:
            self.finding(f"slow: {label}: {time.perf_counter() - start:.1f}s", payload)
        return result

    def run(self, kind: str, payload: bytes) -> None:
        name = {"config": "modelterms.yaml", "config-toml": "pyproject.toml", "card": "README.md",
                "batch": "batch.jsonl"}.get(kind, f"{kind}.yaml")
        path = self.folder / kind / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(payload)
        status, value = self.timed(kind, payload, lambda: self.read(kind, path))
        self.outcomes[f"{kind} {status}"] += 1
        if status != "ok" or kind == "card":
            return
        reason = reference_problem(kind, payload)
        if reason:
            verdicts = value if isinstance(value, list) else []
            self.finding(f"accepted invalid: {kind}: {reason}", payload)
            if "permitted" in verdicts:
                self.finding(f"permitted invalid: {kind}", payload)

    def read(self, kind: str, path: Path) -> Any:
        if kind in ("config", "config-toml"):
            return load_config(path)
        if kind == "card":
            return read_card(path, "fuzz")
        if kind == "batch":
            results = []
            for number, raw, _ in batch_lines(str(path)):
                document, problems = batch_document(str(path), number, raw)
                if problems:
                    raise ModelTermsError(problems)
                if document is not None:
                    results += self.verdicts(use_case_from_dict(document.data, document=document))
            return results
        document = load_file(str(path))
        if kind == "use-case":
            if document.data is None:
                document.data = {}
            return self.verdicts(use_case_from_dict(document.data, document=document))
        detected = detect_kind(document)
        expected = {"rules": ("rules",), "license": ("license", "models")}[kind]
        if detected not in expected:
            raise ModelTermsError(f"looks like {detected}")
        problems = problems_for(document, detected)
        if problems:
            raise ModelTermsError(problems)
        return None

    def verdicts(self, use_case: Any) -> list[str]:
        from modelterms._workflow import report_for

        report = report_for(self.setup, use_case, (), "forbidden")
        return [result["verdict"] for result in report.to_dict()["results"]]

    def special_files(self) -> None:
        """FIFOs, devices, directories and oversize files, through every reader: each must be an InputError."""
        fifo = self.folder / "special" / "fifo.yaml"
        fifo.parent.mkdir(exist_ok=True)
        if not fifo.exists():
            os.mkfifo(fifo)
            os.symlink("/dev/zero", self.folder / "special" / "zero.yaml")
            (self.folder / "special" / "dir.yaml").mkdir()
            with open(self.folder / "special" / "sparse.yaml", "wb") as handle:
                handle.truncate(3 * 1024**3)
            (self.folder / "special" / "over.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
        targets = [str(fifo), "/dev/zero", "/dev/urandom", "/dev/null", *(str(self.folder / "special" / name)
                   for name in ("zero.yaml", "dir.yaml", "sparse.yaml", "over.yaml"))]
        readers: dict[str, Callable[[str], Any]] = {
            "load_file": load_file, "load_config": load_config, "read_card": lambda p: read_card(Path(p), "x"),
            "batch": lambda p: list(batch_lines(p)),
        }
        for target in targets:
            for reader_name, reader in readers.items():
                if reader_name == "batch" and target.endswith("over.yaml"):
                    continue  # a batch file has no size limit, only its lines
                status, _ = self.timed(f"special {reader_name} {target}", target.encode(),
                                       lambda r=reader, t=target: r(t))  # type: ignore[misc]
                self.outcomes[f"special {status}"] += 1
                if status == "ok":
                    self.finding(f"accepted invalid: special {reader_name} {target}", target.encode())

    def cli(self, kind: str, payload: bytes) -> None:
        """One input through the command line: exit 0/1 only if valid, 2 if not, never 3 or a traceback."""
        from click.testing import CliRunner

        from modelterms.cli import main

        path = self.folder / "cli" / ("modelterms.yaml" if kind == "config" else f"{kind}.yaml")
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(payload)
        option = {"use-case": "--use-case", "config": "--config", "rules": "--policy"}[kind]
        status, result = self.timed(f"cli {kind}", payload, lambda: CliRunner().invoke(
            main, ["check", "--model", "deepseek-ai/DeepSeek-R1", option, str(path), "--format", "json",
                   *(["--no-config"] if kind != "config" else [])]))
        self.outcomes[f"cli {kind} {status}"] += 1
        if status != "ok":
            return
        if result.exit_code == 3 or "Traceback" in result.output or result.exit_code not in (0, 1, 2):
            self.finding(f"traceback: cli {kind}: exit {result.exit_code}: {result.output[-200:]}", payload)
        elif result.exit_code in (0, 1) and reference_problem(kind, payload):
            self.finding(f"accepted invalid: cli {kind}: {reference_problem(kind, payload)}", payload)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=2.0, help="seconds after which an input is reported slow")
    parser.add_argument("--hang", type=float, default=30.0, help="seconds after which an input counts as a hang")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds: dict[str, list[bytes]] = {
        "use-case": USE_CASES, "config": [seed for seed in CONFIGS if seed], "config-toml": TOMLS,
        "rules": [path.read_bytes() for path in sorted((REPO / "policies").glob("*.yaml"))]
        + [path.read_bytes() for path in sorted(bundled_rules().glob("*.yaml")) if path.name != "vocabulary.yaml"],
        "license": [path.read_bytes() for path in sorted(bundled_licenses().rglob("*.yaml"))],
        "card": CARDS + [path.read_bytes() for path in sorted((REPO / "tests" / "data" / "model-cards").rglob("*.md"))],
        "batch": [b"".join(rng.sample(BATCH_LINES, 2)) for _ in range(3)],
    }
    kinds = list(seeds)
    injections = {"config-toml": TOML_INJECTIONS, "batch": JSON_INJECTIONS}
    signal.signal(signal.SIGALRM, _alarm)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="modelterms-fuzz-") as folder:
        fuzzer = Fuzzer(Path(folder), args.limit, args.hang)
        for number in range(args.inputs):
            kind = kinds[number % len(kinds)]
            if number % 11 == 0:
                payload = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
            else:
                payload = mutate(rng.choice(seeds[kind]), rng, injections.get(kind, INJECTIONS))
            fuzzer.run(kind, payload)
            if number % 2_000 == 0:
                fuzzer.special_files()
            if number % 250 == 0 and kind in ("use-case", "config", "rules"):
                fuzzer.cli(kind, payload)
            if number and number % 10_000 == 0:
                print(f"... {number:,} inputs, {time.perf_counter() - start:.0f}s, {dict(fuzzer.counts)}",
                      file=sys.stderr, flush=True)
    total = sum(fuzzer.outcomes.values())
    print(f"{args.inputs:,} fuzzed inputs ({total:,} runs with special files and CLI samples), seed {args.seed}, "
          f"in {time.perf_counter() - start:.1f}s")
    for label in ("traceback", "hang", "accepted invalid", "permitted invalid", "slow"):
        print(f"  {label}: {fuzzer.counts.get(label, 0)}")
    print(f"  outcomes: {dict(sorted(fuzzer.outcomes.items()))}")
    for finding, payload in fuzzer.findings.items():
        print(f"- {finding}\n  input starts: {payload[:160]!r}")
    sys.exit(1 if any(fuzzer.counts.get(label) for label in ("traceback", "hang", "accepted invalid")) else 0)


if __name__ == "__main__":
    main()
