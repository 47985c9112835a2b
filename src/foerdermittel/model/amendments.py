"""Amendments (Änderungsbescheide): extending a phase, moving money between lines or years."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from foerdermittel.frozen import ReadOnlyMap
from foerdermittel.model.dates import CaseDate
from foerdermittel.model.ids import DistinctYears, duplicate_error
from foerdermittel.money import ZERO, NonNegativeMoney, Rate

__all__ = ["Amendment", "LineChange", "PhaseChange"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PhaseChange(_Frozen):
    """Verlängerung — a phase's approval period extended (§ 31 Abs. 7 VwVfG).

    Attributes:
        phase: the phase's id.
        new_end: the new last day of the approval period; must lie after the current end.
        eligible_expenditure: the new eligible expenditure, where the amendment changes it;
            left out for a cost-neutral (kostenneutrale) extension.
        max_amount: the phase's new Höchstbetrag, where the amendment changes it.
        rate: the phase's new funding rate, where the amendment changes it.
    """

    phase: str = Field(description="Kennung der Phase")
    new_end: CaseDate = Field(description="neues Ende des Bewilligungszeitraums")
    eligible_expenditure: NonNegativeMoney | None = Field(
        default=None, description="neue zuwendungsfähige Ausgaben (leer: kostenneutral)"
    )
    max_amount: NonNegativeMoney | None = Field(
        default=None, description="neuer Höchstbetrag der Phase"
    )
    rate: Rate | None = Field(default=None, description="neue Förderquote der Phase")


class LineChange(_Frozen):
    """Umschichtung — new planned amounts per budget year for one budget line.

    Attributes:
        line: the budget line's id.
        amounts: the line's planned amounts per budget year after the amendment (they replace
            the old ones).
        monthly: new explicit monthly amounts; without them the line's monthly amounts are
            dropped and its profile (or an even spread) applies.
    """

    line: str = Field(description="Kennung des Einzelansatzes")
    amounts: Annotated[ReadOnlyMap[int, NonNegativeMoney], DistinctYears] = Field(
        description="neue Jahresbeträge"
    )
    monthly: ReadOnlyMap[str, NonNegativeMoney] | None = Field(
        default=None, description="neue Monatsbeträge (JJJJ-MM), sonst gleichmäßig/Profil"
    )

    @property
    def total(self) -> Decimal:
        """The line's new total: the sum of its yearly amounts.

        Examples:
            >>> LineChange(line="1", amounts={2025: "100.00", 2026: "50.50"}).total
            Decimal('150.50')
        """
        return sum(self.amounts.values(), ZERO)


class Amendment(_Frozen):
    """Änderungsbescheid — a later decision that changes the grant.

    Attributes:
        id: the amendment's id.
        title: what it changes.
        applied_on: the day the recipient applied for it.
        decided_on: the day of the amending decision.
        phases: phase extensions.
        lines: moved money between lines or years.
        max_amount: the grant's new Höchstbetrag, where the amendment changes it.
        rate: the grant's new funding rate, where the amendment changes it.
        eligible_expenditure: the grant's new total eligible expenditure, where it changes.
        note: free text (e.g. "Datum illustrativ").
    """

    id: str = Field(min_length=1, description="Kennung des Änderungsbescheids")
    title: str = Field(description="Gegenstand der Änderung")
    applied_on: CaseDate | None = Field(default=None, description="Antrag gestellt am")
    decided_on: CaseDate = Field(description="Datum des Änderungsbescheids")
    phases: tuple[PhaseChange, ...] = Field(default=(), description="Verlängerungen")
    lines: tuple[LineChange, ...] = Field(default=(), description="Umschichtungen")
    max_amount: NonNegativeMoney | None = Field(
        default=None, description="neuer Höchstbetrag der Zuwendung"
    )
    rate: Rate | None = Field(default=None, description="neue Förderquote")
    eligible_expenditure: NonNegativeMoney | None = Field(
        default=None, description="neue zuwendungsfähige Gesamtausgaben"
    )
    note: str | None = Field(default=None, description="Anmerkung")

    @model_validator(mode="after")
    def _each_once(self) -> Self:
        error = duplicate_error(
            "Amendment",
            [
                (
                    "phases",
                    "phase",
                    [c.phase for c in self.phases],
                    "Verlängerung derselben Phase im selben Bescheid doppelt angegeben",
                ),
                (
                    "lines",
                    "line",
                    [c.line for c in self.lines],
                    "Umschichtung desselben Einzelansatzes im selben Bescheid doppelt angegeben",
                ),
            ],
        )
        if error is not None:
            raise error
        return self

    @property
    def years(self) -> tuple[int, ...]:
        """The budget years the moved lines name, in order."""
        return tuple(sorted({year for change in self.lines for year in change.amounts}))

    @property
    def cost_neutral(self) -> bool:
        """Whether no phase's eligible expenditure changes (kostenneutral)."""
        return all(change.eligible_expenditure is None for change in self.phases)
