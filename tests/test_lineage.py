"""Lineage offline: each cause of issue 11 on a card in the shape real Hub cards have.

Every card here copies the metadata keys of a real public card (the repo it imitates is named beside it);
the expected licenses are read from the catalog (licenses/models/*.yaml), never from modelterms' output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelterms import Catalog, Verdict
from modelterms._card import Card
from modelterms._lineage import MIRROR_ORGS, Evidence, Status, resolve
from modelterms.cli import main

USE = ["--commercial", "--as-of", "2026-11-01"]
DAY = "2026-11-01"


@pytest.fixture()
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MODELTERMS_HUB", raising=False)
    return tmp_path


def card(root: Path, folder: str, front: str) -> str:
    path = root / "models" / folder / "README.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}\n---\n# model\n")
    return f"models/{folder}/README.md"


def scan(*paths: str) -> dict[str, dict]:
    result = CliRunner().invoke(main, ["scan", *(paths or ("models",)), "--format", "json", *USE,
                                       "--fail-on", "never"])
    assert result.exit_code == 0, result.stderr
    return {r["model"]: r for r in json.loads(result.stdout)["results"]}


def rules(result: dict) -> list[str]:
    return [finding["rule"] for finding in result["findings"]]


def terms(catalog: Catalog, model: str) -> list[str]:
    period = catalog.find_model(model).period(DAY)
    assert period is not None
    return list(period.licenses)


def test_cause_1_base_ids_resolve_through_aliases_and_bare_names(root: Path, modelterms_catalog: Catalog) -> None:
    # Apache-labelled fine-tunes of Llama 3.1 / 3.2 and Gemma (cards like many on the Hub) get the base's terms.
    bases = {"a": "meta-llama/Meta-Llama-3.1-8B", "b": "meta-llama/Llama-3.2-1B-Instruct", "c": "google/gemma-7b",
             "d": "google/gemma-3-4b-it", "e": "Qwen/Qwen2.5-3B"}
    paths = {key: card(root, f"acme/{key}", f"license: apache-2.0\nbase_model: {base}\ntags: [trl, sft]")
             for key, base in bases.items()}
    results = scan()
    for key, base in bases.items():
        result = results[paths[key]]
        assert set(result["licenses"]) == set(terms(modelterms_catalog, base)), base
        assert "card-license-conflict" in rules(result), base
        assert result["verdict"] != "permitted"
        assert result["card"]["lineage"][-1]["evidence"] == "catalog"


def test_cause_2_mirrors_resolve_to_their_upstream_as_inferred_lineage(root: Path,
                                                                      modelterms_catalog: Catalog) -> None:
    # unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit's card, minus its base_model line; NousResearch's
    # Llama-2 re-upload declares nothing.
    unsloth = card(root, "unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit",
                   "language: [en]\nlibrary_name: transformers\nlicense: llama3.1\n"
                   "tags: [llama-3, llama, meta, facebook, unsloth, transformers]")
    nous = card(root, "NousResearch/Llama-2-7b-hf", "{}")
    gguf = card(root, "bartowski/gemma-2-9b-it-GGUF", "license: apache-2.0\nquantized_by: bartowski")
    results = scan()
    assert results[unsloth]["licenses"] == terms(modelterms_catalog, "meta-llama/Llama-3.1-8B-Instruct")
    # a repo that is itself a catalog alias is not inferred
    assert results[nous]["card"]["mapped_by"] in ("repo id", "base model")
    for path in (unsloth, gguf):
        assert "card-lineage-inferred" in rules(results[path])
        assert results[path]["verdict"] != "permitted"
        assert results[path]["card"]["lineage"][0]["evidence"] == "name"
        assert results[path]["card"]["lineage_inferred"] is True
    assert results[gguf]["licenses"][0] == terms(modelterms_catalog, "google/gemma-2-9b-it")[0]


def test_cause_3_tags_are_weaker_evidence_and_an_empty_base_list_is_no_base(root: Path) -> None:
    # TheBloke-style card with the `llama-2` family tag and no base_model; a merge with `base_model: []`.
    tagged = card(root, "someone/chat-7b", "license: llama2\ntags: [facebook, meta, pytorch, llama, llama-2]")
    merge = card(root, "someone/merge", "base_model: []\nlicense: apache-2.0\ntags: [mergekit, merge]")
    results = scan()
    assert results[tagged]["licenses"][0] == "llama-2"
    assert results[tagged]["card"]["lineage"][0]["evidence"] == "tag"
    assert "card-lineage-inferred" in rules(results[tagged])
    assert results[merge]["card"]["mapped_by"] == "license key"  # nothing states or suggests a base


def test_cause_4_unknown_license_key_does_not_stop_the_base_deciding(root: Path) -> None:
    for key in ("cc-by-nc-3.0", "cc0-1.0"):
        path = card(root, f"acme/{key}", f"license: {key}\nbase_model: meta-llama/Llama-3.1-8B-Instruct")
        result = scan(f"models/acme/{key}")[path]
        assert result["card"]["status"] == "mapped" and result["licenses"][0] == "llama-3.1"
        assert "card-license-conflict" in rules(result)


def test_cause_5_quantisation_without_license_inherits_the_permissive_base(root: Path) -> None:
    # cortecs/phi-4-FP8-Dynamic: base_model microsoft/phi-4 (MIT), no license line.
    quant = card(root, "cortecs/phi-4-FP8-Dynamic", "base_model: microsoft/phi-4\nbase_model_relation: quantized")
    tune = card(root, "acme/phi-4-tuned", "base_model: microsoft/phi-4\ntags: [trl]")
    results = scan()
    assert results[quant]["licenses"] == ["mit"] and results[quant]["verdict"] == "permitted"
    assert not [r for r in rules(results[quant]) if r.startswith("card-")]
    # A fine-tune declaring nothing: the base's part is MIT, the tuner's weights are granted by nobody.
    assert results[tune]["licenses"] == ["mit"]
    assert "card-derivative-grants-nothing" in rules(results[tune])
    assert results[tune]["verdict"] == "restricted"


def test_cause_6_bare_license_other_is_unknown_not_a_conflict(root: Path) -> None:
    bare = card(root, "acme/bare-other", "license: other\nbase_model: google/gemma-7b")
    alone = card(root, "acme/only-other", "license: other")
    results = scan()
    assert "card-license-conflict" not in rules(results[bare])
    assert results[bare]["licenses"][0] == "gemma-terms-2025-03-24"
    assert results[alone]["card"]["status"] == "unknown"


def test_cause_7_mit_declared_on_a_llama_distill_fine_tune_keeps_llama_terms(root: Path,
                                                                            modelterms_catalog: Catalog) -> None:
    path = card(root, "acme/r1-distill-ft", "license: mit\nbase_model: deepseek-ai/DeepSeek-R1-Distill-Llama-8B")
    result = scan()[path]
    assert set(result["licenses"]) == set(terms(modelterms_catalog, "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"))
    assert result["license"] == "llama-3.1"  # the binding document is the primary
    assert "card-license-conflict" in rules(result)


def test_cause_9_cc_by_nc_cards_do_not_get_cohere_policy(root: Path) -> None:
    path = card(root, "acme/nc-model", "license: cc-by-nc-4.0")
    assert scan()[path]["licenses"] == ["cc-by-nc-4.0"]
    # Command R itself still has its policy: it comes from the catalog entry.
    own = card(root, "CohereForAI/c4ai-command-r-v01", "license: cc-by-nc-4.0")
    assert scan()[own]["licenses"] == ["cc-by-nc-4.0", "c4ai-aup"]


def test_cause_9_policies_a_license_incorporates_still_come_with_it(root: Path) -> None:
    path = card(root, "acme/declared-llama", "license: llama3.1")
    assert scan()[path]["licenses"] == ["llama-3.1", "llama-3.1-aup"]


def test_cause_10_org_dash_dash_folders_and_name_key_give_the_repo_id(root: Path) -> None:
    folder = card(root, "downloads/meta-llama--Llama-3.1-8B-Instruct", "license: llama3.1")
    named = card(root, "x/y", "name: google/gemma-3-4b-it\nlicense: gemma")
    results = scan()
    assert results[folder]["card"]["repo_id"] == "meta-llama/Llama-3.1-8B-Instruct"
    assert results[folder]["card"]["mapped_by"] == "repo id"
    assert results[named]["card"]["repo_id"] == "google/gemma-3-4b-it"
    assert results[named]["card"]["catalog_model"] == "google/gemma-3-4b-it"


def test_cause_10_conflict_message_shows_the_license_name(root: Path) -> None:
    path = card(root, "acme/named-other", "license: other\nlicense_name: acme-research\n"
                "base_model: meta-llama/Llama-3.1-8B-Instruct")
    conflict = next(f for f in scan()[path]["findings"] if f["rule"] == "card-license-conflict")
    assert "other (acme-research)" in conflict["message"]
    assert "section 1.b.i" in conflict["message"]  # the Llama 3.1 clause that carries into derivatives


def test_multi_hop_chain_through_the_tree(root: Path) -> None:
    top = card(root, "acme/step-3", "license: apache-2.0\nbase_model: acme/step-2")
    card(root, "acme/step-2", "license: apache-2.0\nbase_model: acme/step-1")
    card(root, "acme/step-1", "base_model: meta-llama/Llama-3.2-1B-Instruct\nbase_model_relation: adapter")
    result = scan()[top]
    assert result["licenses"][0] == "llama-3.2"
    hops = [(hop["evidence"], hop["id"]) for hop in result["card"]["lineage"]]
    assert hops == [("card", "acme/step-2"), ("tree", "acme/step-2"), ("card", "acme/step-1"),
                    ("tree", "acme/step-1"), ("card", "meta-llama/Llama-3.2-1B-Instruct"),
                    ("catalog", "meta-llama/Llama-3.2-1B-Instruct")]


def test_a_base_model_loop_is_unknown_not_a_hang(root: Path) -> None:
    a = card(root, "acme/a", "base_model: acme/b")
    card(root, "acme/b", "base_model: acme/a")
    result = scan()[a]
    assert result["card"]["status"] == "unknown" and "loops" in result["card"]["explanation"]


def test_merge_of_two_bases_keeps_every_binding_document(root: Path) -> None:
    path = card(root, "acme/merge", "license: apache-2.0\nbase_model_relation: merge\n"
                "base_model: [mistralai/Mistral-7B-v0.1, google/gemma-7b]")
    result = scan()[path]
    assert result["licenses"][0] == "gemma-terms-2025-03-24" and "apache-2.0" in result["licenses"]


def test_a_permissive_base_lets_the_card_declare_its_own_license(root: Path) -> None:
    path = card(root, "acme/zephyr-like", "license: mit\nbase_model: mistralai/Mistral-7B-v0.1")
    result = scan()[path]
    assert result["licenses"] == ["mit"] and result["verdict"] == "permitted"


def test_library_resolve_explains_itself(modelterms_catalog: Catalog) -> None:
    own = resolve("meta-llama/Meta-Llama-3.1-8B", modelterms_catalog, day=DAY)
    assert own.status is Status.CATALOG and own.catalog_model == "meta-llama/Llama-3.1-8B"
    assert own.lineage[0].evidence is Evidence.CATALOG and "alias" in own.lineage[0].detail
    unknown = resolve("acme/not-anywhere", modelterms_catalog, day=DAY)
    assert unknown.status is Status.UNKNOWN and unknown.entry is None and "--hub" in unknown.reason
    local = Card("a/README.md", "a", "acme/tuned", ("apache-2.0",), None, None, ("google/gemma-7b",), 1)
    found = resolve("acme/tuned", modelterms_catalog, card=local, day=DAY)
    assert found.status is Status.BASE and found.conflict
    assert [hop.to_dict()["evidence"] for hop in found.lineage] == ["card", "catalog"]


def test_check_card_resolves_a_local_card(root: Path) -> None:
    card(root, "acme/tuned", "license: apache-2.0\nbase_model: google/gemma-7b")
    result = CliRunner().invoke(main, ["check", "--card", "models/acme/tuned", "--format", "json", *USE])
    report = json.loads(result.stdout)
    (entry,) = report["results"]
    assert entry["license"] == "gemma-terms-2025-03-24" and "card-license-conflict" in rules(entry)
    assert entry["card"]["lineage"][-1]["id"] == "google/gemma-7b"
    missing = CliRunner().invoke(main, ["check", "--card", "models/nowhere", *USE])
    assert missing.exit_code == 2 and "no such model card" in missing.stderr


_CATALOG = Catalog.load()
_OPEN = sorted(m.id for m in _CATALOG.models if m.access != "api-only")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(model=st.sampled_from(_OPEN), org=st.sampled_from(MIRROR_ORGS),
       suffix=st.sampled_from(["", "-GGUF", "-AWQ", "-GPTQ", "-bnb-4bit", "-4bit", "-FP8", "-FP8-Dynamic", "-MLX",
                               "-ONNX", "-Int4", "-Int8", "-exl2"]),
       declared=st.sampled_from([(), ("apache-2.0",), ("mit",)]))
def test_inference_alone_never_yields_permitted(model: str, org: str, suffix: str, declared: tuple[str, ...]) -> None:
    repo = f"{org}/{model.split('/', 1)[1]}{suffix}"
    mirror = Card(f"{repo}/README.md", repo, repo, declared, None, None, (), 1)
    found = resolve(repo, _CATALOG, card=mirror, day=DAY)
    if not found.inferred or found.entry is None:
        return  # a catalog id itself, or the declared license decides: no inference involved
    (result,) = _CATALOG.evaluate(_use(), [found.entry])
    assert result.verdict is not Verdict.PERMITTED
    assert "card-lineage-inferred" in [f.rule for f in result.findings]


def _use():  # type: ignore[no-untyped-def]
    from modelterms import UseCase

    return UseCase(as_of=DAY)


def test_whether_a_base_binds_derivatives_is_profile_data(root: Path) -> None:
    # The same Llama 3.1 fine-tune, once with the bundled profile (derivatives: binds) and once with a copy of
    # it that says its terms do not carry into derivatives: only the data changed, and so did the answer.
    path = card(root, "acme/llama-ft", "license: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B-Instruct")
    assert scan()[path]["license"] == "llama-3.1"
    bundled = Path(__file__).parent.parent / "licenses" / "llama-3.1.yaml"
    text = bundled.read_text()
    assert "derivatives: {binds: true" in text
    (root / "profiles").mkdir()
    unbound = text.replace("derivatives: {binds: true", "derivatives: {binds: false")
    (root / "profiles" / "llama-3.1.yaml").write_text(unbound)
    result = CliRunner().invoke(main, ["scan", "models/acme/llama-ft", "--licenses", "profiles", "--format", "json",
                                       *USE, "--fail-on", "never"])
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)["results"]
    assert entry["license"] == "apache-2.0" and "card-license-conflict" not in rules(entry)
