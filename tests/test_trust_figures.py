"""An unstated user or revenue figure is not zero (issue 14, finding 11)."""

from __future__ import annotations

from modelterms import Catalog, UseCase

KIMI = "moonshotai/Kimi-K2-Instruct"  # Modified MIT: a display duty above 100M MAU or USD 20M monthly revenue


def test_an_unstated_figure_keeps_the_answer_restricted_and_names_it(modelterms_catalog: Catalog) -> None:
    (result,) = modelterms_catalog.evaluate(UseCase(commercial=True, monthly_active_users=1000), [KIMI])
    assert result.verdict.value == "restricted"
    unstated = [f for f in result.findings if f.rule == "threshold-figure-unstated"]
    assert [f.message.split(";")[0] for f in unstated] == ["You did not state monthly_revenue_usd"]
    assert (unstated[0].remedy or "").startswith("State monthly_revenue_usd in the use case")


def test_stated_figures_below_the_threshold_are_permitted(modelterms_catalog: Catalog) -> None:
    use = UseCase(commercial=True, monthly_active_users=1000, monthly_revenue_usd=0)
    (result,) = modelterms_catalog.evaluate(use, [KIMI])
    assert result.verdict.value == "permitted"


def test_a_commercial_only_threshold_does_not_ask_non_commercial_users(modelterms_catalog: Catalog) -> None:
    (result,) = modelterms_catalog.evaluate(UseCase(commercial=False), [KIMI])
    assert "threshold-figure-unstated" not in {f.rule for f in result.findings}


def test_the_round_trip_keeps_unstated_figures_unstated() -> None:
    use = UseCase(commercial=True)
    assert use.monthly_revenue_usd is None and UseCase.from_dict(use.to_dict()) == use
