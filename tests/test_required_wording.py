"""Where a license prescribes exact words, the words themselves are shown (issue 10, item 6)."""

from __future__ import annotations

from modelterms import Catalog, UseCase

FALCON_STATEMENT = ("[name of Derivative Work] is built using Falcon LLM technology from the Technology "
                    "Innovation Institute")  # Falcon 180B TII License 1.0, sections 6.1-6.2


def test_falcon_180b_derivatives_show_the_statement_word_for_word(modelterms_catalog: Catalog) -> None:
    use = UseCase(commercial=True, modifies=True, distributes=True, monthly_active_users=10)
    (result,) = modelterms_catalog.evaluate(use, ["tiiuae/falcon-180B"])
    assert any(f'Required wording: "{FALCON_STATEMENT}"' in item for item in result.obligations), result.obligations


def test_words_the_summary_already_quotes_are_not_repeated(modelterms_catalog: Catalog) -> None:
    use = UseCase(commercial=True, serves_third_parties=True, monthly_active_users=10)
    (result,) = modelterms_catalog.evaluate(use, ["meta-llama/Llama-3.1-8B-Instruct"])
    built_with = [item for item in result.obligations if "Built with Llama" in item]
    assert built_with and not any("Required wording" in item for item in built_with)
