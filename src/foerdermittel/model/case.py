"""The case: a grant decision, its financing plan and the decision's rule overrides."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from foerdermittel import rules
from foerdermittel.errors import CaseError, Problem, german_message
from foerdermittel.model.grant import Grant
from foerdermittel.model.plan import FinancingPlan
from foerdermittel.rules.model import Rulebook
from foerdermittel.rules.overrides import AppliedOverride, RuleOverride

__all__ = ["Case", "case_error_from_validation"]

SCHEMA_VERSION = 1


class Case(BaseModel):
    """Förderfall — everything the library knows about one grant.

    Attributes:
        schema_version: version of the case-file format (currently 1).
        title: a free title for the case.
        grant: the grant decision.
        plan: the financing plan.
        overrides: rulebook values the decision sets differently.
        notes: free notes (kept as written).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = Field(default=SCHEMA_VERSION, description="Version des Dateiformats")
    title: str | None = Field(default=None, description="Titel des Förderfalls")
    grant: Grant = Field(description="Zuwendungsbescheid")
    plan: FinancingPlan = Field(default_factory=FinancingPlan, description="Finanzierungsplan")
    overrides: tuple[RuleOverride, ...] = Field(
        default=(), description="Abweichungen des Bescheids vom Regelwerk"
    )
    notes: str | None = Field(default=None, description="Anmerkungen")

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        problems = _reference_problems(self)
        if problems:
            raise PydanticCustomError(
                "foerdermittel_references",
                "{summary}",
                {
                    "summary": "; ".join(p.render() for p in problems),
                    "problems": tuple((p.path, p.value, p.message) for p in problems),
                },
            )
        return self

    @classmethod
    def from_data(cls, data: Mapping[str, Any], *, file: str | None = None) -> Case:
        """Validate ``data`` (as read from a case file) into a case.

        Raises:
            CaseError: with every problem found, each naming field path and value.
        """
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise case_error_from_validation(exc, file=file) from None

    @property
    def rulebook_id(self) -> str:
        """The rulebook edition in force: the decision's, else the programme's usual one."""
        if self.grant.rulebook is not None:
            return self.grant.rulebook
        if self.grant.programme is not None:
            return rules.get_programme(self.grant.programme).default_rulebook
        return "anbest-gk-2019"

    def rulebook(self) -> tuple[Rulebook, tuple[AppliedOverride, ...]]:
        """The rulebook in force for this case and the overrides applied to it."""
        return rules.resolve(self.rulebook_id, self.grant.programme, self.overrides)


def _reference_problems(case: Case) -> list[Problem]:
    """Problems that span several parts of the case (ids that must match)."""
    problems: list[Problem] = []
    grant = case.grant
    phases = {p.id: p for p in grant.phases}
    programme = None
    if grant.programme is not None:
        try:
            programme = rules.get_programme(grant.programme)
        except CaseError as exc:
            problems.extend(Problem("grant.programme", p.value, p.message) for p in exc.problems)
    if grant.rulebook is not None and grant.rulebook not in rules.available():
        problems.append(
            Problem(
                "grant.rulebook",
                grant.rulebook,
                "unbekanntes Regelwerk; gültig sind: " + ", ".join(rules.available()),
            )
        )
    if programme is not None:
        tiers = ", ".join(programme.rates)
        if grant.rate_tier is not None and grant.rate_tier not in programme.rates:
            problems.append(
                Problem(
                    "grant.rate_tier",
                    grant.rate_tier,
                    f"unbekannte Förderquotenstufe; {programme.id} kennt: {tiers}",
                )
            )
        for index, phase in enumerate(grant.phases):
            if phase.rate_tier is not None and phase.rate_tier not in programme.rates:
                problems.append(
                    Problem(
                        f"grant.phases[{index}].rate_tier",
                        phase.rate_tier,
                        f"unbekannte Förderquotenstufe; {programme.id} kennt: {tiers}",
                    )
                )
            if phase.programme_kind not in programme.phases:
                problems.append(
                    Problem(
                        f"grant.phases[{index}].kind",
                        phase.programme_kind,
                        f"unbekannte Phasenart; {programme.id} kennt: "
                        + ", ".join(programme.phases),
                    )
                )
    valid_phases = ", ".join(phases)
    for index, line in enumerate(case.plan.lines):
        line_phase = phases.get(line.phase)
        if line_phase is None:
            problems.append(
                Problem(
                    f"plan.lines[{index}].phase",
                    line.phase,
                    f"Einzelansatz {line.id!r} nennt eine Phase, die es nicht gibt; "
                    f"vorhanden: {valid_phases}",
                )
            )
            continue
        years = line_phase.period.budget_years()
        for year in line.amounts:
            if year not in years:
                problems.append(
                    Problem(
                        f"plan.lines[{index}].amounts.{year}",
                        year,
                        f"Haushaltsjahr außerhalb des Bewilligungszeitraums der Phase "
                        f"{line_phase.id} ({line_phase.start:%d.%m.%Y}–{line_phase.end:%d.%m.%Y})",
                    )
                )
    for index, source in enumerate(case.plan.sources):
        if source.phase is None:
            if len(phases) > 1:
                problems.append(
                    Problem(
                        f"plan.sources[{index}].phase",
                        None,
                        f"Finanzierungsquelle {source.id!r}: bei mehreren Phasen muss die "
                        f"Phase angegeben werden ({valid_phases})",
                    )
                )
        elif source.phase not in phases:
            problems.append(
                Problem(
                    f"plan.sources[{index}].phase",
                    source.phase,
                    f"Finanzierungsquelle {source.id!r} nennt eine Phase, die es nicht gibt; "
                    f"vorhanden: {valid_phases}",
                )
            )
    if not problems:
        try:
            case.rulebook()
        except CaseError as exc:
            problems.extend(exc.problems)
    return problems


def _path(loc: tuple[int | str, ...]) -> str:
    """A field path as users read it: ``grant.phases[1].end``, ``plan.lines[0].amounts.2022``."""
    out = ""
    previous: int | str | None = None
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int) and previous != "amounts":
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
        previous = part
    return out


def case_error_from_validation(exc: ValidationError, *, file: str | None = None) -> CaseError:
    """Turn pydantic's validation errors into one :class:`CaseError` in the user's words."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        ctx = error.get("ctx") or {}
        kind = error["type"]
        if kind == "foerdermittel_references":
            for path, value, message in ctx["problems"]:
                problems.append(Problem(path, value, message))
            continue
        value = error.get("input")
        if kind == "missing":
            value = None
        if kind == "extra_forbidden":
            message = f"unbekannter Schlüssel {str(loc[-1])!r} (Tippfehler?)"
        elif "[key]" in loc:
            message = "Haushaltsjahr muss eine ganze Zahl sein, z. B. 2024"
        else:
            message = german_message(kind, error["msg"], ctx)
        if isinstance(value, Mapping | list | tuple):
            value = None
        problems.append(Problem(_path(loc), value, message))
    return CaseError(problems, file=file)
