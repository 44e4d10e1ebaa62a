"""The domain objects: immutable, typed, and independent of how they were stored."""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple


class Verdict(enum.StrEnum):
    """What a license lets you do, from least to most severe."""

    PERMITTED = "permitted"
    RESTRICTED = "restricted"
    FORBIDDEN = "forbidden"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    def __str__(self) -> str:
        return self.value


_SEVERITY = {Verdict.PERMITTED: 0, Verdict.RESTRICTED: 1, Verdict.FORBIDDEN: 2}


class Citation(NamedTuple):
    """Where a finding comes from: the license document, its section and the URL of the text."""

    license: str
    section: str
    url: str

    def to_dict(self) -> dict[str, str]:
        return {"license": self.license, "section": self.section, "url": self.url}


class Finding(NamedTuple):
    """One rule that fired for one model, with its reason, citation and remedy."""

    rule: str
    verdict: Verdict
    message: str
    citation: Citation
    remedy: str | None = None
    source: str = "license"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "verdict": self.verdict.value,
            "message": self.message,
            "citation": self.citation.to_dict(),
            "remedy": self.remedy,
            "source": self.source,
        }


class Result(NamedTuple):
    """The verdict for one model under one use case: the most severe of its findings."""

    model: str
    model_name: str
    license: str | None
    licenses: tuple[str, ...]
    verdict: Verdict
    findings: tuple[Finding, ...]
    obligations: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The shape of one entry of the CLI's JSON ``results`` (schema_version 1)."""
        return {
            "model": self.model,
            "model_name": self.model_name,
            "license": self.license,
            "licenses": list(self.licenses),
            "verdict": self.verdict.value,
            "findings": [finding.to_dict() for finding in self.findings],
            "obligations": list(self.obligations),
        }


USE_CASE_BOOLEANS = (
    "commercial", "self_hosted", "modifies", "distributes", "serves_third_parties",
    "trains_on_outputs", "competes_with_licensor",
)
USE_CASE_NUMBERS = ("monthly_active_users", "monthly_revenue_usd", "annual_revenue_usd")


@dataclass(frozen=True)
class UseCase:
    """The intended use. Its keys are a public contract; booleans default to false, figures to None.

    A figure (users, revenue) left at None is *not stated*: it is not taken as
    0, because a threshold on it could change the answer; the rule
    ``threshold-figure-unstated`` then keeps the verdict at restricted or worse
    and names the figure to state.

    ``territories`` keeps what the user wrote (``EU`` stays ``EU``); the rules see
    it expanded to the member states.
    """

    name: str = ""
    as_of: str = field(default_factory=lambda: _dt.date.today().isoformat())
    commercial: bool = False
    self_hosted: bool = False
    modifies: bool = False
    distributes: bool = False
    serves_third_parties: bool = False
    trains_on_outputs: bool = False
    competes_with_licensor: bool = False
    monthly_active_users: int | None = None
    monthly_revenue_usd: int | None = None
    annual_revenue_usd: int | None = None
    licensee_country: str | None = None
    #: any sequence of codes (a list or a tuple); stored as a tuple. A bare string is refused, not split.
    territories: Sequence[str] = ()
    #: any sequence of purpose tags; stored as a tuple. A bare string is refused, not split.
    purposes: Sequence[str] = ()

    def __post_init__(self) -> None:
        # Accept any sequence from callers but store tuples, so the object stays hashable and immutable.
        for key, noun in (("territories", "codes"), ("purposes", "purpose tags")):
            value = getattr(self, key)
            if isinstance(value, (str, bytes)):
                from ._errors import InputError, Problem

                raise InputError([Problem("UseCase", None, key, f"must be a list of {noun}, not the string "
                                          f"{value!r}", f"write {key}=[{value!r}]")])
            object.__setattr__(self, key, tuple(value))
        from ._usecase import check_use_case  # validation lives with the loader

        check_use_case(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<use case>") -> UseCase:
        """Build a use case from plain data (a parsed ``--use-case`` file), validating every key."""
        from ._usecase import use_case_from_dict

        return use_case_from_dict(data, source=source)

    def to_dict(self) -> dict[str, Any]:
        """Every key with the value used, defaults included: what the output states as assumptions."""
        out: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            out[item.name] = list(value) if isinstance(value, tuple) else value
        return out

    def explicit_assumptions(self, given: set[str]) -> list[str]:
        """The keys the user did not give, i.e. the defaults this evaluation assumed."""
        return [item.name for item in fields(self) if item.name not in given and item.name != "name"]


class Term(NamedTuple):
    """One cited term of a license profile, as the rules see it."""

    subject: str
    fields: Mapping[str, Any]
    citation: Citation


class LicenseProfile(NamedTuple):
    id: str
    name: str
    kind: str
    url: str
    data: Mapping[str, Any]
    terms: tuple[Term, ...]
    source: str

    @property
    def osi_approved(self) -> bool:
        return bool(self.data.get("osi_approved"))


class LicensePeriod(NamedTuple):
    licenses: tuple[str, ...]
    start: str
    until: str | None
    access: str | None
    source: str

    def covers(self, day: str) -> bool:
        return self.start <= day and (self.until is None or day < self.until)


class ModelEntry(NamedTuple):
    id: str
    name: str
    vendor: str
    aliases: tuple[str, ...]
    access: str
    modalities: tuple[str, ...]
    released: str
    periods: tuple[LicensePeriod, ...]
    data: Mapping[str, Any]
    source: str
    family: str | None = None
    """The id of the family the entry was listed in, if any."""
    where: tuple[str | int, ...] = ()
    """The key path of the entry in its catalog file, for messages that name its line."""

    def period(self, day: str) -> LicensePeriod | None:
        for period in self.periods:
            if period.covers(day):
                return period
        return None


class Rule(NamedTuple):
    id: str
    description: str
    subject: str
    when: tuple[Any, ...]
    verdict: Verdict
    message: str
    cite: str
    remedy: str | None
    obligation: str | None
    source: str
    origin: str = "license"


class CompiledRules(NamedTuple):
    """A ruleset ready for the engine: a stable name, its definition, and the paths facts must carry."""

    name: str
    definition: dict[str, Any]
    rules: tuple[Rule, ...]
    wanted: dict[str, tuple[str, ...]]
