"""`modelterms scan` finds the models a repository names in code, notebooks, configs, container files and SBOMs.

tests/data/discover/app is a small application with a reference of every source kind and a decoy of every kind.
What it should find is written in the tree itself, by hand: a trailing `expect: <catalog id>` comment on the line
of each reference (comments are never read as references, so the markers cannot find themselves), and, for the
files where a comment cannot go (JSON, a notebook, a Dockerfile, whose `#` starts a comment only at a line's
start), in HAND_WRITTEN below.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from modelterms._catalog import Catalog
from modelterms._discover import Reference, Resolver, SourceKind, discover, select
from modelterms._discover.names import is_decoy
from modelterms.cli import main

from .conftest import DISCOVER_APP

APP = DISCOVER_APP
_MARKER = re.compile(r"(?:#|//)\s*expect: (\S+)")
HAND_WRITTEN = {
    ("microsoft/phi-4", "Dockerfile", 3),  # ENV MODEL_ID=microsoft/phi-4
    ("mistralai/Mixtral-8x7B-Instruct-v0.1", "Dockerfile", 6),  # CMD ["--model", ...]
    ("openai/whisper-large-v3", "notebooks/explore.ipynb", 18),  # !huggingface-cli download in cell 2
    ("google-bert/bert-base-uncased", "notebooks/explore.ipynb", 31),  # from_pretrained( over lines, cell 3
    ("openai/gpt-4o", "web/package.json", 9),  # "config": {"model": "gpt-4o"}
    ("acme/support-llama", "sbom/bom.cdx.json", 22),  # an ML component unknown to the catalog
    ("meta-llama/Llama-3.2-3B-Instruct", "sbom/bom.cdx.json", 36),  # its pedigree ancestor, by purl
    ("Alibaba-NLP/gte-base-en-v1.5", "sbom/bom.cdx.json", 45),  # by purl
    ("microsoft/phi-4", "sbom/model.spdx.json", 22),  # SPDX 3 AIPackage
}
UNKNOWN = {"acme/llama-support-lora", "acme/ticket-router-7b", "acme/internal-embedder-v2", "acme/private-13b",
           "Xenova/all-MiniLM-L6-v2", "acme/support-llama"}


def expected() -> set[tuple[str, str, int]]:
    found = set(HAND_WRITTEN)
    for path in sorted(APP.rglob("*")):
        if path.is_file():
            for number, line in enumerate(path.read_text().split("\n"), 1):
                for match in _MARKER.finditer(line):
                    found.add((match.group(1), path.relative_to(APP).as_posix(), number))
    return found


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(Catalog.load())


def scan(*args: str) -> tuple[int, dict, str]:
    result = CliRunner().invoke(main, ["scan", "--no-config", "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}, result.stderr


def located(report: dict) -> set[tuple[str, str, int]]:
    return {(r["model"], item["path"], item["line"]) for r in report["results"] for item in r.get("found_in", ())}


def test_every_reference_is_found_at_its_line_and_no_decoy_is(app: Path) -> None:
    code, report, err = scan(".", "--fail-on", "never")
    assert code == 0, err
    assert located(report) == expected()


def test_one_result_per_model_merging_its_references(app: Path) -> None:
    _, report, _ = scan(".", "--fail-on", "never")
    models = [r["model"] for r in report["results"]]
    assert len(models) == len(set(models))
    gpt4o = next(r for r in report["results"] if r["model"] == "openai/gpt-4o")
    # written as openai/gpt-4o, openrouter/openai/gpt-4o and gpt-4o: one model, four places
    assert {(i["path"], i["line"]) for i in gpt4o["found_in"]} == {
        ("src/chat.py", 41), ("src/rag.py", 8), ("web/src/client.ts", 18), ("web/package.json", 9)}
    assert set(gpt4o["discovered"]["spellings"]) == {"openai/gpt-4o", "openrouter/openai/gpt-4o", "gpt-4o"}


def test_an_unknown_model_in_a_model_position_fails_closed(app: Path) -> None:
    code, report, _ = scan(".")
    unknown = {r["model"]: r for r in report["results"] if r["findings"][0]["rule"] == "unknown-model-reference"}
    assert set(unknown) == UNKNOWN
    assert all(r["verdict"] == "forbidden" for r in unknown.values())
    assert code == 1 and set(UNKNOWN) <= set(report["gate"]["failing"])


def test_an_unknown_reference_can_be_waived(app: Path) -> None:
    (app / "modelterms.yaml").write_text(
        "use_case: {}\nexceptions:\n" + "".join(
            f"  - {{model: {name}, rule: unknown-model-reference, reason: in-house, approved_by: legal, "
            "expires: 2099-01-01}\n" for name in sorted(UNKNOWN)))
    result = CliRunner().invoke(main, ["scan", "--format", "json", "src", "scripts", "web", "sbom"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    waived = [f for r in report["results"] for f in r["findings"] if f["waiver"]]
    assert {f["rule"] for f in waived} == {"unknown-model-reference"} and len(waived) == len(UNKNOWN)


def test_the_revision_pin_and_the_notebook_cell_are_reported(app: Path) -> None:
    _, report, _ = scan(".", "--fail-on", "never")
    by_model = {r["model"]: r for r in report["results"]}
    llama = {(i["path"], i.get("revision")) for i in by_model["meta-llama/Llama-3.1-8B-Instruct"]["found_in"]}
    assert ("src/chat.py", "5206a32e0bd3067aef1ce90f5528ade7d866253f") in llama
    assert by_model["acme/internal-embedder-v2"]["found_in"][0]["revision"] == "v2.1"
    assert by_model["meta-llama/Llama-3.2-3B-Instruct"]["found_in"][0]["revision"] == "0cb88a4f"
    (bert,) = by_model["google-bert/bert-base-uncased"]["found_in"]
    assert bert["detail"] == "cell 3, line 4" and bert["kind"] == "notebook"


def test_the_sbom_declared_license_is_kept(app: Path) -> None:
    _, report, _ = scan("sbom", "--fail-on", "never")
    by_model = {r["model"]: r for r in report["results"]}
    assert by_model["acme/support-llama"]["discovered"]["declared_licenses"] == ["Apache-2.0"]
    assert by_model["Alibaba-NLP/gte-base-en-v1.5"]["discovered"]["declared_licenses"] == ["Apache-2.0"]


# --- skip rules -----------------------------------------------------------------------------------------------

GEMMA = 'from transformers import AutoModel\nAutoModel.from_pretrained("google/gemma-2-9b-it")\n'


def _models(root: Path, resolver: Resolver) -> set[str]:
    return {r.name for r in discover(root, resolver).references}


@pytest.mark.parametrize("folder", [".git", "node_modules/pkg", ".venv/lib", "venv", "__pycache__", "build",
                                    "dist", ".tox/py311", "site-packages/x", "pkg.egg-info", ".mypy_cache"])
def test_folders_that_are_not_source_are_skipped(tmp_path: Path, resolver: Resolver, folder: str) -> None:
    (tmp_path / folder).mkdir(parents=True)
    (tmp_path / folder / "load.py").write_text(GEMMA)
    (tmp_path / "app.py").write_text(GEMMA.replace("google/gemma-2-9b-it", "Qwen/Qwen2.5-7B-Instruct"))
    assert _models(tmp_path, resolver) == {"Qwen/Qwen2.5-7B-Instruct"}


def test_a_virtual_environment_is_known_by_its_pyvenv_cfg_whatever_its_name(tmp_path: Path,
                                                                             resolver: Resolver) -> None:
    (tmp_path / "py311" / "lib").mkdir(parents=True)
    (tmp_path / "py311" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "py311" / "lib" / "load.py").write_text(GEMMA)
    (tmp_path / "env_notes").mkdir()
    (tmp_path / "env_notes" / "load.py").write_text(GEMMA)  # an ordinary folder is read
    found = discover(tmp_path, resolver).references
    assert {r.path for r in found} == {"env_notes/load.py"}


def test_binary_and_oversized_files_are_skipped_the_oversized_with_a_notice(app: Path) -> None:
    (app / "blob.py").write_bytes(GEMMA.encode() + b"\0\x01\x02")
    (app / "huge.json").write_text(json.dumps({"model": "google/gemma-2-9b-it", "pad": "x" * (1024 * 1024)}))
    _, report, err = scan(".", "--fail-on", "never")
    paths = {item["path"] for r in report["results"] for item in r.get("found_in", ())}
    assert "blob.py" not in paths and "huge.json" not in paths
    assert "huge.json: skipped:" in err and "limit" in err
    assert "blob.py" not in err  # a binary file is no source: passed over without a word


def test_symbolic_links_out_of_the_tree_or_in_a_loop_are_not_followed(tmp_path: Path, resolver: Resolver) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(GEMMA)
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text(GEMMA.replace("google/gemma-2-9b-it", "Qwen/Qwen2.5-7B-Instruct"))
    os.symlink(outside / "secret.py", root / "src" / "linked.py")
    os.symlink(outside, root / "vendor")
    os.symlink(root, root / "src" / "loop")  # a folder link back up: would loop if followed
    os.symlink(root / "src" / "app.py", root / "alias.py")  # a file link inside the tree is read
    discovery = discover(root, resolver)
    assert {(r.name, r.path) for r in discovery.references} == {
        ("Qwen/Qwen2.5-7B-Instruct", "src/app.py"), ("Qwen/Qwen2.5-7B-Instruct", "alias.py")}
    assert [str(n) for n in discovery.notices] == [
        "modelterms: src/linked.py: skipped: a symbolic link pointing out of the scanned tree"]


def test_a_file_that_does_not_parse_is_passed_over_with_a_notice(tmp_path: Path, resolver: Resolver) -> None:
    (tmp_path / "broken.py").write_text('from_pretrained("google/gemma-2-9b-it"\n')
    (tmp_path / "broken.yaml").write_text("model: [unclosed\n")
    discovery = discover(tmp_path, resolver)
    assert discovery.references == ()
    assert sorted(n.path for n in discovery.notices) == ["broken.py", "broken.yaml"]


def test_an_unreadable_folder_is_an_error_not_a_silent_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # CI runs as root, who reads every folder whatever its mode: the refusal is made by os.scandir itself here.
    locked = tmp_path / "locked"
    locked.mkdir()
    real = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied")
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr("modelterms._discover.walk.os.scandir", scandir)
    result = CliRunner().invoke(main, ["scan", "--no-config", "--allow-empty", str(tmp_path)])
    assert result.exit_code == 2 and "locked: cannot be read (Permission denied)" in result.stderr


# --- decoys ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("decoy", [
    "./checkpoints/final", "/models/llama", "models/llama/weights.safetensors", "C:\\models\\llama",  # paths
    "https://huggingface.co/acme/model", "hf.co/acme/model#readme", "www.example.com/acme",  # URLs
    "vllm/vllm-openai:v0.6.3", "ghcr.io/acme/server", "docker.io/acme/model",  # container images
    "actions/checkout@v4", "acme/model@sha256:abc",  # GitHub Actions, pinned images
    "@huggingface/transformers", "@acme/model",  # npm scopes
    "s3://acme-models/llama", "gs://acme/model", "acme-models",  # buckets
    "${MODEL_ID}", "$MODEL", "{model}",  # templates
    "outputs/checkpoint-500", "models/llama-7b-ft", "runs/exp3/final", "acme/run-2/checkpoint-1200",  # local
])
def test_a_decoy_in_a_model_position_is_never_a_reference(tmp_path: Path, resolver: Resolver, decoy: str) -> None:
    (tmp_path / "app.py").write_text(f"from transformers import AutoModel\nAutoModel.from_pretrained({decoy!r})\n"
                                     "AutoModel.from_pretrained('acme/control-model-7b')\n")
    # the control line proves the position is read: only the decoy is left out
    assert _models(tmp_path, resolver) == {"acme/control-model-7b"}


@pytest.mark.parametrize(("name", "commented", "uncommented"), [
    ("a.py", '# model = AutoModel.from_pretrained("google/gemma-2-9b-it")\nx = 1\n',
     'model = AutoModel.from_pretrained("google/gemma-2-9b-it")\nx = 1\n'),
    ("a.ts", '// { model: "google/gemma-2-9b-it" }\n/* "google/gemma-2-9b-it" */ const x = 1;\n',
     'f({ model: "google/gemma-2-9b-it" })\nconst x = 1;\n'),
    ("a.sh", "# vllm serve google/gemma-2-9b-it\necho ok\n", "vllm serve google/gemma-2-9b-it\necho ok\n"),
    ("a.yaml", "# model: google/gemma-2-9b-it\nname: ok\n", "model: google/gemma-2-9b-it\nname: ok\n"),
])
def test_comments_are_never_read(tmp_path: Path, resolver: Resolver, name: str, commented: str,
                                 uncommented: str) -> None:
    (tmp_path / name).write_text(commented)
    assert _models(tmp_path, resolver) == set()
    (tmp_path / name).write_text(uncommented)
    assert _models(tmp_path, resolver) == {"google/gemma-2-9b-it"}  # the same words, not in a comment: found


def test_an_unknown_org_name_outside_a_model_position_is_not_a_reference(tmp_path: Path,
                                                                         resolver: Resolver) -> None:
    (tmp_path / "app.py").write_text('DATASET = "acme/support-tickets"\nload_dataset("acme/support-tickets")\n'
                                     'REPO = "meta-llama/Llama-3.1-8B-Instruct"\n')
    (tmp_path / "conf.yaml").write_text("dataset: acme/support-tickets\noutput_repo: acme/support-model\n")
    # a catalog id counts anywhere; an unknown org/name only where a model goes
    assert _models(tmp_path, resolver) == {"meta-llama/Llama-3.1-8B-Instruct"}


def test_a_plain_word_in_a_model_position_is_a_setting_not_a_model(tmp_path: Path, resolver: Resolver) -> None:
    (tmp_path / "fit.py").write_text('train(model="linear")\ntrain(model="acme-net-3")\n')
    assert _models(tmp_path, resolver) == {"acme-net-3"}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["https://", "./", "../", "/", "s3://", "@", "gs://"]),
       st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}/[A-Za-z0-9.-]{1,20}", fullmatch=True))
def test_paths_urls_buckets_and_scopes_are_decoys_whatever_follows(prefix: str, rest: str) -> None:
    assert is_decoy(prefix + rest)


# --- each source kind, one position at a time -----------------------------------------------------------------

def _one(tmp_path: Path, resolver: Resolver, name: str, text: str) -> list[tuple[str, int, SourceKind]]:
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text)
    return [(r.name, r.line, r.kind) for r in discover(tmp_path, resolver).references]


@pytest.mark.parametrize(("text", "line"), [
    ('import os\nM = os.getenv("M", "acme/env-model-1")\nAutoModel.from_pretrained(M)\n', 2),
    ('M = os.environ.get("M") or "acme/env-model-1"\nLLM(M)\n', 1),
    ('x = SentenceTransformer(\n    model_name_or_path=\n        "acme/env-model-1",\n)\n', 3),
    ('client.models.generate_content(model="acme/env-model-1", contents="hi")\n', 1),
    ('GenerativeModel("acme/env-model-1")\n', 1),
    ('init_chat_model("acme/env-model-1")\n', 1),
    ('class Config:\n    model: str = "acme/env-model-1"\nChatAnthropic(model=Config.model)\nf(model=model)\n', 2),
])
def test_python_positions(tmp_path: Path, resolver: Resolver, text: str, line: int) -> None:
    assert _one(tmp_path, resolver, "a.py", text) == [("acme/env-model-1", line, SourceKind.PYTHON)]


def test_python_provider_prefixes_resolve_to_the_api_model(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('completion(model="anthropic/claude-3-5-sonnet-20241022")\n'
                                   'init_chat_model("openai:gpt-4o")\n')
    code, report, err = scan(str(tmp_path), "--fail-on", "never")
    assert code == 0, err
    assert {r["model"] for r in report["results"]} == {"anthropic/claude-3-5-sonnet-20241022", "openai/gpt-4o"}


@pytest.mark.parametrize(("text", "line"), [
    ('const c = { model: "acme/js-model-2" };\n', 1),
    ("const M = 'acme/js-model-2';\nawait openai.chat.completions.create({\n  model: M,\n});\n", 1),
    ('create({\n  messages: [],\n  model: process.env.MODEL || "acme/js-model-2",\n})\n', 3),
    ('const pipe = await pipeline("text-generation", `acme/js-model-2`);\n', 1),
    ('genAI.getGenerativeModel({ modelName: "acme/js-model-2" })\n', 1),
    ('AutoModel.from_pretrained("acme/js-model-2")\n', 1),
])
def test_javascript_positions(tmp_path: Path, resolver: Resolver, text: str, line: int) -> None:
    assert _one(tmp_path, resolver, "a.ts", text) == [("acme/js-model-2", line, SourceKind.JAVASCRIPT)]


def test_javascript_imports_and_other_strings_are_not_positions(tmp_path: Path, resolver: Resolver) -> None:
    text = ('import x from "@acme/model";\nimport y from "acme/js-model-2";\nconst s = "acme/js-model-2";\n'
            'const u = "https://api.example.com/acme/js-model-2";\n')
    assert _one(tmp_path, resolver, "a.mjs", text) == []


@pytest.mark.parametrize(("name", "text", "line"), [
    ("a.yaml", "a:\n  b:\n    - x: 1\n      served_model_name: acme/cfg-model-3\n", 4),
    ("a.yaml", "---\nkind: Deployment\n---\nspec:\n  args: [\"--model\", \"acme/cfg-model-3\"]\n", 5),
    ("a.json", '{\n  "x": {"model": "other/none"},\n  "llm": {\n    "model_id": "acme/cfg-model-3"\n  }\n}\n', 4),
    ("a.toml", '[a]\nmodel = "acme/cfg-model-3"\n', 2),
    ("a.toml", "[a]\nbase_model = [\n  'x-org/y-1',\n  'acme/cfg-model-3',\n]\n", 4),
])
def test_config_keys_with_lines(tmp_path: Path, resolver: Resolver, name: str, text: str, line: int) -> None:
    found = [item for item in _one(tmp_path, resolver, name, text) if item[0] == "acme/cfg-model-3"]
    assert found == [("acme/cfg-model-3", line, SourceKind.CONFIG)]


@pytest.mark.parametrize("command", [
    "vllm serve acme/sh-model-4 --port 8000", "ollama pull acme/sh-model-4", "ollama run acme/sh-model-4",
    "huggingface-cli download acme/sh-model-4 --local-dir w", "hf download --quiet acme/sh-model-4",
    "python serve.py --model acme/sh-model-4", "python serve.py --model=acme/sh-model-4",
    "text-generation-launcher --model-id acme/sh-model-4", "export MODEL_ID=acme/sh-model-4",
    "MODEL_NAME='acme/sh-model-4' python app.py",
])
def test_shell_commands(tmp_path: Path, resolver: Resolver, command: str) -> None:
    assert _one(tmp_path, resolver, "run.sh", f"#!/bin/sh\n{command}\n") == [
        ("acme/sh-model-4", 2, SourceKind.SHELL)]


@pytest.mark.parametrize("name", ["Dockerfile", "Dockerfile.gpu", "serve.dockerfile", "Containerfile"])
def test_dockerfiles(tmp_path: Path, resolver: Resolver, name: str) -> None:
    text = "FROM acme/runtime:1.0\nARG BASE_MODEL=acme/sh-model-4\nRUN echo acme/other-thing-5\n"
    assert _one(tmp_path, resolver, name, text) == [("acme/sh-model-4", 2, SourceKind.SHELL)]


@pytest.mark.parametrize("spec", ["1.5", "1.6"])
def test_cyclonedx_sboms(tmp_path: Path, resolver: Resolver, spec: str) -> None:
    bom = {"bomFormat": "CycloneDX", "specVersion": spec, "version": 1, "components": [
        {"type": "application", "name": "acme/app-1"},
        {"type": "library", "name": "torch", "components": [
            {"type": "machine-learning-model", "name": "Qwen2.5-7B-Instruct", "group": "Qwen", "version": "a1"}]}]}
    (tmp_path / "bom.json").write_text(json.dumps(bom, indent=2))
    (found,) = discover(tmp_path, resolver).references
    assert (found.name, found.revision, found.kind, found.in_model_position) == (
        "Qwen/Qwen2.5-7B-Instruct", "a1", SourceKind.SBOM, True)


def test_select_is_the_one_precision_rule(resolver: Resolver) -> None:
    def ref(name: str, position: bool) -> Reference:
        return Reference(name, "a.py", 1, SourceKind.PYTHON, in_model_position=position)

    assert select(ref("gpt-4o", False), resolver)  # an alias counts anywhere
    assert not select(ref("o3", False), resolver)  # but a short word only in a model position
    assert select(ref("o3", True), resolver)
    assert not select(ref("acme/x-1", False), resolver) and select(ref("acme/x-1", True), resolver)
    assert not select(ref("https://x.org/acme/x-1", True), resolver)


def test_spdx3_ai_packages_with_their_declared_license(tmp_path: Path, resolver: Resolver) -> None:
    graph = [{"type": "ai_AIPackage", "spdxId": "urn:m1", "name": "Qwen/Qwen2.5-7B-Instruct",
              "software_packageVersion": "r1"},
             {"type": "software_Package", "spdxId": "urn:p1", "name": "acme/not-a-model-9"},
             {"type": "simplelicensing_LicenseExpression", "spdxId": "urn:l1",
              "simplelicensing_licenseExpression": "Apache-2.0"},
             {"type": "Relationship", "spdxId": "urn:r1", "from": "urn:m1", "relationshipType": "hasDeclaredLicense",
              "to": ["urn:l1"]}]
    (tmp_path / "model.spdx3.json").write_text(json.dumps(
        {"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": graph}, indent=2))
    (found,) = discover(tmp_path, resolver).references
    assert (found.name, found.line, found.revision, found.declared_license) == (
        "Qwen/Qwen2.5-7B-Instruct", 7, "r1", "Apache-2.0")  # line 7: the element's "name"


def test_modelterms_own_config_is_not_a_use_of_its_models(tmp_path: Path, resolver: Resolver) -> None:
    # a waiver for an unknown model must not create the reference it waives (it would never go stale)
    (tmp_path / "modelterms.yaml").write_text("models:\n  - model: acme/declared-1\nexceptions:\n"
                                              "  - {model: acme/waived-2, rule: '*', reason: x, approved_by: y, "
                                              "expires: 2099-01-01}\n")
    (tmp_path / "pyproject.toml").write_text('[tool.modelterms]\nmodels = [{model = "acme/declared-1"}]\n'
                                             '[tool.other]\nmodel = "acme/used-3"\n')
    assert _models(tmp_path, resolver) == {"acme/used-3"}


@pytest.mark.parametrize(("name", "text", "line"), [
    ("a.py", 'import os\nMODEL_ID = "acme/var-model-6"\n', 2),
    ("a.py", '@dataclass\nclass Args:\n    base_model: str = "acme/var-model-6"\n', 3),
    ("a.py", 'class A:\n    def __init__(self):\n        self.embedding_model_name = "acme/var-model-6"\n', 3),
    ("a.ts", 'export const EMBED_MODEL = "acme/var-model-6";\n', 1),
    ("a.yaml", "env:\n  - name: MODEL_ID\n    value: acme/var-model-6\n", 3),
    ("a.yaml", "model:\n  name: acme/var-model-6\n  revision: main\n", 2),
    (".env.example", "OPENAI_API_KEY=\nMODEL_NAME=acme/var-model-6\n", 2),
])
def test_a_variable_named_for_a_model_is_a_model_position(tmp_path: Path, resolver: Resolver, name: str, text: str,
                                                          line: int) -> None:
    assert [(n, ln) for n, ln, _ in _one(tmp_path, resolver, name, text)] == [("acme/var-model-6", line)]


@pytest.mark.parametrize(("name", "text"), [
    ("a.py", 'MODEL_DIR = "acme/var-model-6"\nmodel_type = "acme/var-model-6"\n'),
    ("a.yaml", "env:\n  - name: LOG_LEVEL\n    value: acme/var-model-6\nmodel:\n  revision: acme/var-model-6\n"),
])
def test_other_variables_are_not(tmp_path: Path, resolver: Resolver, name: str, text: str) -> None:
    assert _one(tmp_path, resolver, name, text) == []


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.sampled_from(
    ["machine-learning-model", "code", "model", "CycloneDX", "ai_AIPackage", "acme/x-1", "gpt-4o", ""]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
        ["cells", "cell_type", "source", "bomFormat", "components", "type", "name", "group", "purl", "version",
         "licenses", "license", "pedigree", "ancestors", "@graph", "@context", "model", "base_model"]),
        inner, max_size=5), max_leaves=30)


@settings(max_examples=150, deadline=None)
@given(data=_JSON, name=st.sampled_from(["a.ipynb", "bom.cdx.json", "a.json", "a.yaml"]),
       frame=st.sampled_from(["plain", "cyclonedx", "spdx", "notebook"]))
def test_a_broken_or_hostile_document_never_crashes_the_scan(tmp_path_factory: pytest.TempPathFactory,
                                                             resolver: Resolver, data: object, name: str,
                                                             frame: str) -> None:
    document = {"plain": data, "cyclonedx": {"bomFormat": "CycloneDX", "components": data},
                "spdx": {"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": data},
                "notebook": {"cells": data}}[frame]
    root = tmp_path_factory.mktemp("hostile")
    (root / name).write_text(json.dumps(document))  # JSON is YAML too
    for reference in discover(root, resolver).references:  # never raises; whatever it finds is well formed
        assert reference.path == name and reference.line >= 1


@pytest.mark.parametrize(("name", "text"), [
    ("ci.yaml", "jobs:\n  test:\n    name: runs phi-4 and gpt-4o nightly\n"),
    ("run.sh", 'echo "now serving gpt-4o and phi-4"\n'),
])
def test_a_catalog_name_inside_prose_is_not_a_reference(tmp_path: Path, resolver: Resolver, name: str,
                                                        text: str) -> None:
    assert _one(tmp_path, resolver, name, text) == []
    (tmp_path / name).write_text(text.replace("runs phi-4 and gpt-4o nightly", "gpt-4o")
                                 .replace('"now serving gpt-4o and phi-4"', "gpt-4o"))
    assert [r.name for r in discover(tmp_path, resolver).references] == ["gpt-4o"]  # the literal alone: found


def test_a_revision_pin_is_kept_when_the_same_literal_is_met_twice(tmp_path: Path, resolver: Resolver) -> None:
    (tmp_path / "a.py").write_text('MODEL = "acme/pinned-7"\nREV = "r42"\ntok = AutoTokenizer.from_pretrained(MODEL)\n'
                                   "m = AutoModel.from_pretrained(MODEL, revision=REV)\n")
    (found,) = discover(tmp_path, resolver).references
    assert (found.name, found.line, found.revision) == ("acme/pinned-7", 1, "r42")


def test_the_library_discovers_what_scan_does() -> None:
    from modelterms import Catalog as PublicCatalog
    from modelterms import SourceKind as PublicKind
    from modelterms import discover_models

    found = discover_models(APP, PublicCatalog.load())
    assert ("Xenova/all-MiniLM-L6-v2", "web/src/client.ts", 21, PublicKind.JAVASCRIPT) in {
        (r.name, r.path, r.line, r.kind) for r in found.references}


def test_a_toml_comment_does_not_move_the_line(tmp_path: Path, resolver: Resolver) -> None:
    text = '# model = "acme/toml-8" was the old one\n[a]\nx = 1  # model = "acme/toml-8"\nmodel = "acme/toml-8"\n'
    assert _one(tmp_path, resolver, "a.toml", text) == [("acme/toml-8", 4, SourceKind.CONFIG)]


@pytest.mark.parametrize(("name", "text"), [
    ("a.ts", 'const r = await generateText({\n  model: anthropic("acme/vercel-9"),\n  prompt: "hi" });\n'),
    ("a.py", 'import os\nos.environ.setdefault("MODEL", "acme/vercel-9")\nLLM(os.environ.setdefault("M", '
             '"acme/vercel-9"))\n'),
])
def test_more_sdk_positions(tmp_path: Path, resolver: Resolver, name: str, text: str) -> None:
    assert {(n, ln) for n, ln, _ in _one(tmp_path, resolver, name, text)} == {("acme/vercel-9", 2 if name ==
                                                                                "a.ts" else 3)}


@pytest.mark.parametrize(("name", "text"), [
    ("a.py", 'hf_hub_download(repo_id="acme/tickets-2024", filename="x.csv", repo_type="dataset")\n'
             'snapshot_download("acme/demo-space-1", repo_type="space")\n'),
    ("a.sh", "huggingface-cli download acme/tickets-2024 --repo-type dataset\n"
             "hf download acme/tickets-2024 --repo-type=dataset --local-dir d\n"),
])
def test_a_dataset_or_space_download_is_not_a_model(tmp_path: Path, resolver: Resolver, name: str,
                                                    text: str) -> None:
    assert _one(tmp_path, resolver, name, text) == []
    # the same download of a model is one
    assert _one(tmp_path, resolver, name, text.replace("dataset", "model").replace("space", "model")) != []


def test_one_config_serves_check_and_scan_with_a_waiver_for_an_unknown_reference(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "modelterms.yaml").write_text(
        "use_case: {commercial: true}\nmodels:\n  - model: gpt-4o\nexceptions:\n  - {model: acme/private-13b, "
        "rule: unknown-model-reference, reason: in-house, approved_by: legal, expires: 2099-01-01}\n")
    (tmp_path / "app.py").write_text('LLM(model="acme/private-13b")\n')
    monkeypatch.chdir(tmp_path)
    checked = CliRunner().invoke(main, ["check", "--format", "json"])
    assert checked.exit_code == 0, checked.stderr  # check does not see code, so leaves the waiver to scan
    scanned = CliRunner().invoke(main, ["scan", ".", "--format", "json"])
    assert scanned.exit_code == 0, scanned.stderr
    (result,) = json.loads(scanned.stdout)["results"]
    assert result["model"] == "acme/private-13b" and result["findings"][0]["waiver"]["reason"] == "in-house"


def test_litellm_huggingface_prefix_names_the_hub_repository(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('completion(model="huggingface/Qwen/Qwen2.5-7B-Instruct", messages=[])\n')
    code, report, err = scan(str(tmp_path), "--fail-on", "never")
    assert code == 0, err
    assert [r["model"] for r in report["results"]] == ["Qwen/Qwen2.5-7B-Instruct"]


def test_a_fifo_named_like_source_never_blocks_the_scan(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / ".git").mkdir()
    (tmp_path / "app.py").write_text('MODEL = "meta-llama/Llama-3.1-8B-Instruct"\n', encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.py")
    done = subprocess.run([sys.executable, "-m", "modelterms", "scan", "--no-config", "--format", "json", "."],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr  # named, not read: a FIFO would block a plain read for ever
    assert "pipe.py" in done.stderr and "regular file" in done.stderr
