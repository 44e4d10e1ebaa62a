"""Hypothesis strategies for modelterms' four file kinds, valid and invalid.

Import this in your own tests (``from modelterms import strategies``) or rely on
``st.from_type(UseCase)``, which is registered through hypothesis's entry point
once modelterms is installed.

What they generate:

* ``use_cases()``: valid ``UseCase`` objects (any keys, vocabulary purposes, real country codes).
* ``license_profiles()``: valid license-profile dicts, every term cited.
* ``model_entries(license_ids)``: valid model-catalog entries bound to the given license ids.
* ``rules()``: valid rule dicts over real fact fields, compiled without error.
* ``invalid_use_cases()``, ``invalid_license_profiles()``, ``invalid_model_entries()``,
  ``invalid_rules()``: ``(document, expected)`` pairs, where ``expected`` is a
  substring of the error the validator must report.

What they never generate: documents with YAML anchors or tags (see the hostile
input tests for those), or rules that cover no document (every generated rule
is added *beside* the bundled ones).
"""

from __future__ import annotations

from typing import Any


def _hypothesis_setup_hook() -> None:
    """Called by hypothesis (entry point group ``hypothesis``): makes ``st.from_type(UseCase)`` work.

    Defined before hypothesis is imported below: importing this module first imports hypothesis,
    whose start-up calls this hook while this module is still half-loaded. The strategy is deferred,
    so nothing defined further down is needed until it is drawn from.
    """
    from hypothesis import strategies as hypothesis_strategies

    from ._model import UseCase

    hypothesis_strategies.register_type_strategy(UseCase, hypothesis_strategies.deferred(lambda: use_cases()))


from hypothesis import strategies as st  # noqa: E402  (after the hook, see its docstring)

from ._facts import BOOL, FIELDS, INT, LIST, STR  # noqa: E402
from ._model import USE_CASE_BOOLEANS, USE_CASE_NUMBERS, UseCase  # noqa: E402
from ._schema import load_schema  # noqa: E402
from ._usecase import vocabulary  # noqa: E402

__all__ = [
    "invalid_license_profiles",
    "invalid_model_entries",
    "invalid_rules",
    "invalid_use_cases",
    "license_profiles",
    "model_entries",
    "rules",
    "use_cases",
]

_URL = "https://example.org/license"
#: Territory codes that stand for several countries (expanded before the rules see them).
_GROUPS = ("EU", "EEA")
_GRANTS = ("commercial_use", "modify", "redistribute", "serve_third_parties", "train_on_outputs")


def _countries() -> list[str]:
    return [code for code in load_schema("common.schema.json")["$defs"]["country"]["enum"] if code not in _GROUPS]


def _dates() -> st.SearchStrategy[str]:
    return st.dates(min_value=__import__("datetime").date(2020, 1, 1),
                    max_value=__import__("datetime").date(2030, 12, 31)).map(lambda d: d.isoformat())


def use_case_dicts() -> st.SearchStrategy[dict[str, Any]]:
    """Valid use-case mappings, as a user would write them in a file (any subset of keys)."""
    countries = _countries()
    values: dict[str, st.SearchStrategy[Any]] = {
        "name": st.text(max_size=20),
        "as_of": _dates(),
        **{key: st.booleans() for key in USE_CASE_BOOLEANS},
        **{key: st.integers(0, 10**12) for key in USE_CASE_NUMBERS},
        "licensee_country": st.sampled_from(countries),
        "territories": st.lists(st.sampled_from([*countries, *_GROUPS]), max_size=4, unique=True),
        "purposes": st.lists(st.sampled_from(sorted(vocabulary())), max_size=3, unique=True),
    }
    return st.fixed_dictionaries({}, optional=values)


def use_cases() -> st.SearchStrategy[UseCase]:
    """Valid UseCase objects."""
    return use_case_dicts().map(UseCase.from_dict)


def _cite() -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({"section": st.sampled_from(["1", "2.a", "§3"]), "url": st.just(_URL)})


def _grant() -> st.SearchStrategy[dict[str, Any]]:
    def build(value: str, cite: dict[str, str], excludes: bool) -> dict[str, Any]:
        grant: dict[str, Any] = {"value": value, "summary": f"grant is {value}", "cite": cite}
        if value == "conditional":
            grant["condition"] = "a condition"
        if excludes:
            grant["excludes_competitors"] = True
        return grant

    return st.builds(build, st.sampled_from(["yes", "no", "conditional"]), _cite(), st.booleans())


def license_profiles(license_id: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Valid license-profile dicts; ``license_id`` fixes the id.

    Some carry ``gaps``; none gives an obligation ``policy:``, which must name a profile that exists.
    """
    tags = sorted(vocabulary())
    threshold = st.fixed_dictionaries({
        "metric": st.sampled_from(["monthly_active_users", "monthly_revenue_usd", "annual_revenue_usd"]),
        "limit": st.integers(0, 10**12), "above": st.sampled_from(["forbidden", "restricted"]),
        "summary": st.just("a threshold"), "cite": _cite()}, optional={"commercial_only": st.booleans()})
    territory = st.fixed_dictionaries({
        "codes": st.lists(st.sampled_from(["EU", "GB", "KR", "US", "CN"]), min_size=1, max_size=3, unique=True),
        "binds": st.sampled_from(["domicile", "use", "either"]), "summary": st.just("a territory"),
        "cite": _cite()}, optional={"modality": st.sampled_from(["text", "image"])})
    purpose = st.fixed_dictionaries({"tags": st.lists(st.sampled_from(tags), min_size=1, max_size=3, unique=True),
                                     "summary": st.just("prohibited"), "cite": _cite()})
    obligation = st.fixed_dictionaries({
        "type": st.sampled_from(["attribution", "naming", "include_license", "pass_through", "notice",
                                 "registration", "acceptable_use", "other"]),
        "trigger": st.sampled_from(["always", "commercial", "modifies", "distributes", "serves_third_parties",
                                    "distributes_or_serves", "trains_on_outputs"]),
        "summary": st.just("an obligation"), "cite": _cite()})
    ids = st.just(license_id) if license_id else st.from_regex(r"\Agen-[a-z0-9]{1,8}\Z")
    return st.fixed_dictionaries(
        {"id": ids, "name": st.just("Generated License"),
         "kind": st.sampled_from(["permissive", "restricted", "non-commercial", "proprietary"]),
         "version": st.just("1.0"), "url": st.just(_URL), "spdx": st.just("LicenseRef-generated"),
         "osi_approved": st.booleans(), "summary": st.just("Generated for tests.")},
        optional={"grants": st.fixed_dictionaries({name: _grant() for name in _GRANTS}),
                  "thresholds": st.lists(threshold, max_size=2), "territories": st.lists(territory, max_size=2),
                  "prohibited_purposes": st.lists(purpose, max_size=3),
                  "obligations": st.lists(obligation, max_size=3),
                  "gaps": st.just("Part of the text was not found.")})


def model_entries(license_ids: list[str], model_id: str = "acme/generated") -> st.SearchStrategy[dict[str, Any]]:
    """Valid model-catalog entries bound to ``license_ids`` (one period from 2020-01-01)."""
    return st.fixed_dictionaries({
        "id": st.just(model_id), "name": st.just("Generated"), "vendor": st.just("Acme"),
        "access": st.sampled_from(["open-weights", "api-only"]),
        "weights": st.sampled_from(["open", "gated", "closed"]),
        "modalities": st.lists(st.sampled_from(["text", "image", "code"]), min_size=1, max_size=2, unique=True),
        "released": st.just("2020-01-01"),
        "licenses": st.just([{"licenses": list(license_ids), "from": "2020-01-01", "source": _URL}]),
    })


def _literal(kind: str) -> st.SearchStrategy[Any]:
    if kind == BOOL:
        return st.booleans()
    if kind == INT:
        return st.integers(0, 10**12)
    return st.sampled_from(["yes", "no", "conditional", "forbidden", "restricted", "commercial_use", "domicile"])


@st.composite
def _comparison(draw: st.DrawFn, subject: str) -> dict[str, Any]:
    heads = ["use", "model", "license"] + ([subject] if subject != "license" else [])
    head = draw(st.sampled_from(heads))
    tail, kind = draw(st.sampled_from(sorted(FIELDS[head].items())))
    path = f"{head}.{tail}"
    if kind == LIST:
        item = draw(st.sampled_from(["text", "image", "EU", "DE", "military", "coding"]))
        return {path: {"contains": item}}
    if kind == INT:
        op = draw(st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"]))
        return {path: {op: draw(_literal(INT))}}
    if kind == STR:
        return {path: draw(_literal(STR))}
    return {path: draw(st.booleans())}


@st.composite
def rules(draw: st.DrawFn) -> dict[str, Any]:
    """A valid rule dict over real fact fields."""
    subject = draw(st.sampled_from(["license", "grant", "threshold", "territory", "purpose", "obligation"]))
    when = draw(st.lists(_comparison(subject), min_size=1, max_size=3))
    return {"id": draw(st.from_regex(r"\Agenerated-[a-z0-9]{1,6}\Z")), "description": "Generated rule.",
            "subject": subject, "when": when,
            "verdict": draw(st.sampled_from(["permitted", "restricted", "forbidden"])),
            "message": "generated rule fired", "cite": draw(st.sampled_from(["term", "license"]))}


def invalid_use_cases() -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """``(use-case mapping, expected error substring)`` pairs."""
    return st.one_of(
        st.sampled_from(["comercial", "self_hosting", "users", "country"]).map(
            lambda key: ({key: True}, f"`{key}` is not a known key")),
        st.sampled_from(list(USE_CASE_BOOLEANS)).map(lambda key: ({key: "yes"}, "must be true or false")),
        st.sampled_from(list(USE_CASE_NUMBERS)).map(lambda key: ({key: -1}, "must be at least 0")),
        st.sampled_from(["militray", "chat", "spam-bots"]).map(
            lambda tag: ({"purposes": [tag]}, "unknown purpose tag")),
        st.sampled_from(["UK", "XX", "eu", "USA"]).map(
            lambda code: ({"licensee_country": code}, "is not allowed here")),
    )


def invalid_license_profiles() -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """``(profile, expected error substring)`` pairs: a valid profile with one thing broken."""

    def drop_cite(profile: dict[str, Any]) -> tuple[dict[str, Any], str]:
        profile["grants"]["modify"].pop("cite")
        return profile, "is missing the key `cite`"

    def bad_kind(profile: dict[str, Any]) -> tuple[dict[str, Any], str]:
        profile["kind"] = "permisive"
        return profile, "did you mean `permissive`?"

    def bad_tag(profile: dict[str, Any]) -> tuple[dict[str, Any], str]:
        profile["prohibited_purposes"] = [{"tags": ["wepons"], "summary": "s", "cite": {"section": "1", "url": _URL}}]
        return profile, "unknown purpose tag `wepons`"

    def extra_key(profile: dict[str, Any]) -> tuple[dict[str, Any], str]:
        profile["licence"] = "x"
        return profile, "`licence` is not a known key"

    base = license_profiles().filter(lambda p: "grants" in p)
    return st.tuples(base, st.sampled_from([drop_cite, bad_kind, bad_tag, extra_key])).map(lambda t: t[1](t[0]))


def invalid_model_entries() -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """``(catalog document, expected error substring)`` pairs."""

    def bad_access(entry: dict[str, Any]) -> tuple[dict[str, Any], str]:
        entry["access"] = "open-weight"
        return {"models": [entry]}, "did you mean `open-weights`?"

    def no_license(entry: dict[str, Any]) -> tuple[dict[str, Any], str]:
        entry["licenses"] = []
        return {"models": [entry]}, "needs at least 1 item"

    def bad_date(entry: dict[str, Any]) -> tuple[dict[str, Any], str]:
        entry["released"] = "2024-1-1"
        return {"models": [entry]}, "is not in the expected form"

    return st.tuples(model_entries(["mit"]), st.sampled_from([bad_access, no_license, bad_date])).map(
        lambda t: t[1](t[0]))


def invalid_rules() -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """``(rules document, expected error substring)`` pairs."""

    def typo_path(rule: dict[str, Any]) -> tuple[dict[str, Any], str]:
        rule["when"] = [{"use.comercial": True}]
        return {"rules": [rule]}, "did you mean `use.commercial`?"

    def bad_verdict(rule: dict[str, Any]) -> tuple[dict[str, Any], str]:
        rule["verdict"] = "allowed"
        return {"rules": [rule]}, "'allowed' is not allowed here"

    def wrong_type(rule: dict[str, Any]) -> tuple[dict[str, Any], str]:
        rule["when"] = [{"use.commercial": "yes"}]
        return {"rules": [rule]}, "compares a boolean field with 'yes'"

    return st.tuples(rules(), st.sampled_from([typo_path, bad_verdict, wrong_type])).map(lambda t: t[1](t[0]))
