"""diff: terms matched by what they are about, both citations shown, identical terms summarised."""

from __future__ import annotations

import json

from click.testing import CliRunner

from modelterms import Catalog, diff, history
from modelterms.cli import main

DAY = "2026-01-01"


def _changed(difference: object) -> dict[tuple[str, str], object]:
    return {(item.section, item.key): item for item in difference.changed}  # type: ignore[attr-defined]


def test_llama_3_and_3_1_differ_in_training_on_outputs_and_the_attribution_string(modelterms_catalog: Catalog) -> None:
    result = diff(modelterms_catalog, "llama-3", "llama-3.1", as_of=DAY)
    changed = _changed(result)
    training = changed[("grant", "train_on_outputs")]
    # Llama 3 §1.b.v bars improving other LLMs with outputs; Llama 3.1 §1.b.i allows it under a naming rule
    assert training.left.value == "no" and training.left.citations[0].section == "1.b.v"  # type: ignore[attr-defined]
    assert training.right.value.startswith("conditional")  # type: ignore[attr-defined]
    assert training.right.citations[0].license == "llama-3.1"  # type: ignore[attr-defined]
    attribution = changed[("obligation", "attribution (distributes_or_serves)")]
    assert (attribution.left.value, attribution.right.value) == (  # type: ignore[attr-defined]
        "Built with Meta Llama 3", "Built with Llama")
    # the 700M MAU cap (§2) and the commercial grant (§1.a) are the same in both
    assert ("threshold", "monthly_active_users") in result.same and ("grant", "commercial_use") in result.same


def test_a_license_against_itself_differs_in_nothing(modelterms_catalog: Catalog) -> None:
    result = diff(modelterms_catalog, "gemma-terms-2024", "gemma-terms-2024", as_of=DAY)
    assert result.changed == () and result.same


def test_diff_is_symmetric(modelterms_catalog: Catalog) -> None:
    ids = ["gemma-terms-2024", "gemma-terms-2025-03-24", "llama-3.2", "qwen", "apache-2.0", "openai-services-terms"]
    for a in ids:
        for b in ids:
            one, two = diff(modelterms_catalog, a, b, as_of=DAY), diff(modelterms_catalog, b, a, as_of=DAY)
            assert one.same == two.same
            assert [(c.section, c.key, c.left, c.right) for c in one.changed] == [
                (c.section, c.key, c.right, c.left) for c in two.changed]


def test_model_history_between_two_dates(modelterms_catalog: Catalog) -> None:
    # Yi-34B moved from the Yi community licence to Apache-2.0 on 2024-05-30 (catalog history)
    result = history(modelterms_catalog, "01-ai/Yi-34B", "2024-01-01", "2025-01-01")
    assert result.left_documents == ("yi-community-2.1",) and result.right_documents == ("apache-2.0",)
    kind = _changed(result)[("license", "kind")]
    assert (kind.left.value, kind.right.value) == ("restricted", "permissive")  # type: ignore[attr-defined]
    same_period = history(modelterms_catalog, "01-ai/Yi-34B", "2025-01-01", "2026-01-01")
    assert same_period.changed == ()


def test_two_models_compare_their_documents_in_force(modelterms_catalog: Catalog) -> None:
    result = diff(modelterms_catalog, "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.2-11B-Vision-Instruct",
                  as_of=DAY)
    assert result.left_documents == ("llama-3.1", "llama-3.1-aup")
    # the EU paragraph of the Llama 3.2 AUP, for multimodal models, has no Llama 3.1 counterpart
    territory = _changed(result)[("territory", "domicile, image models")]
    assert territory.left is None and territory.right.value == "excludes EU"  # type: ignore[attr-defined]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_formats() -> None:
    code, out, _ = run("diff", "llama-3", "llama-3.1")
    assert code == 0 and "Identical (" in out and "[llama-3 §1.b.v]" in out
    code, out, _ = run("diff", "llama-3", "llama-3.1", "--format", "json")
    assert code == 0 and json.loads(out)["left"]["documents"] == ["llama-3"]
    code, out, _ = run("diff", "llama-3", "llama-3.1", "--format", "markdown")
    assert code == 0 and out.startswith("| term |")


def test_cli_bad_input_exits_2() -> None:
    code, _, err = run("diff", "llama-9", "llama-3.1")
    assert code == 2 and "llama-9" in err and "neither a license id nor a catalog model" in err
    code, _, err = run("diff", "01-ai/Yi-34B", "--from", "2025-01-01", "--to", "2024-01-01")
    assert code == 2 and "is not before" in err
    code, _, err = run("diff", "01-ai/Yi-34B", "--from", "2025-13-01")
    assert code == 2
    code, _, err = run("diff", "llama-3")
    assert code == 2 and "two licenses" in err
    code, _, err = run("diff", "nope/model", "--from", "2024-01-01", "--to", "2025-01-01")
    assert code == 2 and "nope/model" in err
