"""The financing plan (Finanzierungsplan): budget lines and funding sources."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from foerdermittel._moved import german_label
from foerdermittel.frozen import FrozenMap, ReadOnlyMap
from foerdermittel.model.ids import DistinctYears, duplicate_error
from foerdermittel.model.narrative import NonBlankText
from foerdermittel.money import ZERO, Rate
from foerdermittel.plausible import PlausibleNonNegativeMoney, year_problem

__all__ = [
    "BudgetLine",
    "CostCategory",
    "FinancingPlan",
    "FlatRateUse",
    "FundingSource",
    "SourceKind",
]


def _years_checked(amounts: Mapping[int, Decimal]) -> Mapping[int, Decimal]:
    """``amounts`` unchanged if every key is a plausible budget year; else a pydantic error."""
    for year in amounts:
        problem = year_problem(year)
        if problem is not None:
            raise PydanticCustomError("foerdermittel_year", "{problem}", {"problem": problem})
    return amounts


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CostCategory(StrEnum):
    """Kostenart of a budget line."""

    OWN_STAFF = "own_staff"
    EXTERNAL_SERVICES = "external_services"
    MATERIAL = "material"
    INVESTMENT = "investment"
    OTHER = "other"

    @property
    def german(self) -> str:
        """Deprecated: the German label; renderers use foerdermittel.messages.

        The words are the catalogue's ``cost-category.<value>``.

        Examples:
            >>> from foerdermittel.message_types import Message, words
            >>> words(Message.of(f"cost-category.{CostCategory.OWN_STAFF.value}"))
            'Personal (eigen)'
        """
        return german_label(self, "cost-category")


class SourceKind(StrEnum):
    """Art der Deckungsmittel — kind of a funding source besides this grant."""

    OWN_FUNDS = "own_funds"
    THIRD_PARTY = "third_party"
    OTHER_PUBLIC = "other_public"

    @property
    def german(self) -> str:
        """Deprecated: the German label; renderers use foerdermittel.messages.

        The words are the catalogue's ``source-kind.<value>``.

        Examples:
            >>> from foerdermittel.message_types import Message, words
            >>> words(Message.of(f"source-kind.{SourceKind.THIRD_PARTY.value}"))
            'Drittmittel'
        """
        return german_label(self, "source-kind")


class FlatRateUse(_Frozen):
    """Pauschale — a budget line paid as a share of other lines (``ProgrammeRules.flat_rates``).

    Attributes:
        rule: the id of the programme's flat rate, e.g. ``indirect-staff``.
        rate: the rate the decision sets, at most the programme's ``max_rate``.

    Examples:
        >>> FlatRateUse(rule="indirect-staff", rate="15 %").rate
        Decimal('0.15')
    """

    rule: str = Field(min_length=1, description="Kennung der Pauschale im Förderprogramm")
    rate: Rate = Field(description="Pauschalsatz laut Bescheid")


class BudgetLine(_Frozen):
    """Einzelansatz — one line of the financing plan, with planned amounts per budget year.

    Attributes:
        id: the line's id, e.g. ``1.2``.
        title: what the money is for.
        phase: the id of the phase the line belongs to.
        category: the cost category.
        group: a grouping for reports (Bochum: the Leitthema).
        first_measure: the line is a first implementation measure (MPSC phase A sub-cap).
        amounts: planned eligible expenditure per budget year (year -> amount).
        stated_total: the line's total as the plan states it, where it states one.
        profile: name of a monthly profile (``Case.profiles``) that spreads each year's amount
            over its months; without profile and monthly amounts the spread is even.
        monthly: explicit amounts per month (``"2024-03"``); each year's months must add up to
            that year's amount.
        official_condition: an overrun beyond 20 % is due to official conditions (behördliche
            Auflagen) and allowed within the plan's total (ANBest Nr. 1.2).
        flat_rate: the line is a flat rate (Pauschale) of other lines of its phase: planned
            and settled as its rate times its base, without vouchers of its own.
        justification: why the line deviates from its plan (Begründung der Abweichung), for
            the proof of use; the form shows it in the line's row, and a line beyond the
            tolerance of ANBest Nr. 1.2 without one gets a warning.
    """

    id: str = Field(min_length=1, description="Kennung des Einzelansatzes")
    title: str = Field(description="Bezeichnung des Einzelansatzes")
    phase: str = Field(description="Kennung der Phase, zu der der Ansatz gehört")
    category: CostCategory = Field(description="Kostenart")
    group: str | None = Field(default=None, description="Gruppe, z. B. Leitthema")
    first_measure: bool = Field(
        default=False, description="erste Umsetzungsmaßnahme (Teilobergrenze Phase A)"
    )
    amounts: Annotated[ReadOnlyMap[int, PlausibleNonNegativeMoney], DistinctYears] = Field(
        description="geplante zuwendungsfähige Ausgaben je Haushaltsjahr"
    )
    stated_total: PlausibleNonNegativeMoney | None = Field(
        default=None, description="Summe des Ansatzes laut Plan"
    )
    profile: str | None = Field(
        default=None, description="Name eines Monatsprofils (profiles) für die Verteilung"
    )
    monthly: ReadOnlyMap[str, PlausibleNonNegativeMoney] | None = Field(
        default=None, description="ausdrückliche Monatsbeträge, Schlüssel JJJJ-MM"
    )
    official_condition: bool = Field(
        default=False,
        description="Überschreitung über 20 % wegen behördlicher Auflagen zugelassen",
    )
    flat_rate: FlatRateUse | None = Field(
        default=None,
        description="Pauschale: der Ansatz ist Satz mal Bemessungsgrundlage, ohne eigene Belege",
    )
    justification: NonBlankText | None = Field(
        default=None, description="Begründung der Abweichung vom Ansatz (Verwendungsnachweis)"
    )

    @field_validator("amounts")
    @classmethod
    def _plausible_years(cls, amounts: Mapping[int, Decimal]) -> FrozenMap[int, Decimal]:
        return FrozenMap(sorted(_years_checked(amounts).items()))

    @field_validator("monthly")
    @classmethod
    def _month_keys(cls, monthly: Mapping[str, Decimal] | None) -> FrozenMap[str, Decimal] | None:
        if monthly is None:
            return None
        for key in monthly:
            if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", key):
                raise PydanticCustomError(
                    "foerdermittel_month_key",
                    "Monat '{key}' hat nicht die Form JJJJ-MM (z. B. 2024-03)",
                    {"key": key},
                )
            problem = year_problem(int(key[:4]))
            if problem is not None:
                raise PydanticCustomError(
                    "foerdermittel_year",
                    "Monat '{key}': {problem}",
                    {"key": key, "problem": problem},
                )
        return FrozenMap(sorted(monthly.items()))

    @property
    def total(self) -> Decimal:
        """Sum of the planned amounts over all years."""
        return sum(self.amounts.values(), ZERO)


class FundingSource(_Frozen):
    """Deckungsmittel — money besides this grant: own funds, third-party money, other grants.

    Attributes:
        id: the source's id.
        kind: own funds, third-party money or other public funding.
        title: who gives it.
        phase: the phase it finances; may be left out when the grant has one phase.
        amount: the amount planned.
    """

    id: str = Field(min_length=1, description="Kennung der Finanzierungsquelle")
    kind: SourceKind = Field(description="Art: Eigenmittel, Drittmittel, andere Förderung")
    title: str = Field(description="Geber / Bezeichnung")
    phase: str | None = Field(default=None, description="Kennung der Phase")
    amount: PlausibleNonNegativeMoney = Field(description="geplanter Betrag")


class FinancingPlan(_Frozen):
    """Finanzierungsplan — what the money is spent on and where it comes from.

    Attributes:
        lines: the budget lines (Einzelansätze).
        sources: funding sources besides this grant.
        ineligible: expenditure of the project that is not eligible (e.g. costs after the
            approval period), per budget year; the recipient carries it alone.
    """

    lines: tuple[BudgetLine, ...] = Field(default=(), description="Einzelansätze")
    sources: tuple[FundingSource, ...] = Field(default=(), description="Deckungsmittel")
    ineligible: Annotated[ReadOnlyMap[int, PlausibleNonNegativeMoney], DistinctYears] = Field(
        default_factory=FrozenMap,
        description="nicht zuwendungsfähige Ausgaben je Haushaltsjahr (trägt der Empfänger allein)",
    )

    @field_validator("ineligible")
    @classmethod
    def _plausible_years(cls, amounts: Mapping[int, Decimal]) -> Mapping[int, Decimal]:
        return _years_checked(amounts)

    @field_validator("lines", "sources")
    @classmethod
    def _unique_ids(
        cls, items: tuple[BudgetLine, ...] | tuple[FundingSource, ...], info: ValidationInfo
    ) -> tuple[BudgetLine, ...] | tuple[FundingSource, ...]:
        field = str(info.field_name)
        phrase = (
            "Kennung des Einzelansatzes doppelt vergeben"
            if field == "lines"
            else "Kennung der Finanzierungsquelle doppelt vergeben"
        )
        error = duplicate_error(
            "FinancingPlan", [(field, "id", [item.id for item in items], phrase)], in_field=True
        )
        if error is not None:
            raise error
        return items

    def lines_of(self, phase_id: str) -> tuple[BudgetLine, ...]:
        """The budget lines of one phase."""
        return tuple(line for line in self.lines if line.phase == phase_id)
