"""Amendments (Änderungsbescheide): what a later decision changes of the grant.

A phase extended, money moved between lines or years, the values the decision fixed changed
(Höchstbetrag, Förderquote, zuwendungsfähige Ausgaben).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from foerdermittel.frozen import ReadOnlyMap
from foerdermittel.message_types import Message, Subject
from foerdermittel.model.dates import CaseDate
from foerdermittel.model.ids import DistinctYears, duplicate_error
from foerdermittel.money import ZERO, NonNegativeMoney, Rate

__all__ = ["Amendment", "ChangedValue", "DecisionChange", "LineChange", "PhaseChange"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PhaseChange(_Frozen):
    """What an amendment changes of one phase: period, eligible expenditure, Höchstbetrag, rate.

    The period is extended (Verlängerung, § 31 Abs. 7 VwVfG). A change names at least one of
    them; what it leaves out stays as it was.

    Attributes:
        phase: the phase's id.
        new_end: the new last day of the approval period; must lie after the current end.
            Left out where the period stays (a change of the phase's figures only).
        eligible_expenditure: the new eligible expenditure, where the amendment changes it;
            left out for a cost-neutral (kostenneutrale) extension.
        max_amount: the phase's new Höchstbetrag, where the amendment changes it.
        rate: the phase's new funding rate, where the amendment changes it
            (Anteilfinanzierung only).

    Examples:
        >>> PhaseChange(phase="A", max_amount="350000.00").new_end is None
        True
    """

    phase: str = Field(description="Kennung der Phase")
    new_end: CaseDate | None = Field(
        default=None, description="neues Ende des Bewilligungszeitraums (leer: unverändert)"
    )
    eligible_expenditure: NonNegativeMoney | None = Field(
        default=None, description="neue zuwendungsfähige Ausgaben (leer: kostenneutral)"
    )
    max_amount: NonNegativeMoney | None = Field(
        default=None, description="neuer Höchstbetrag der Phase"
    )
    rate: Rate | None = Field(default=None, description="neue Förderquote der Phase")

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if (
            self.new_end is None
            and self.eligible_expenditure is None
            and self.max_amount is None
            and self.rate is None
        ):
            raise PydanticCustomError(
                "foerdermittel_phase_change_empty",
                "die Änderung der Phase {phase} nennt nichts, was sich ändert: mindestens "
                "eines von new_end, eligible_expenditure, max_amount oder rate angeben",
                {"phase": self.phase},
            )
        return self


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
        phases: what changes of single phases (extensions, their figures).
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
    phases: tuple[PhaseChange, ...] = Field(
        default=(), description="Änderungen einzelner Phasen (Verlängerungen, Beträge, Quoten)"
    )
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
        """Whether no phase's eligible expenditure changes (kostenneutral).

        An amendment that changes the grant's figures (Höchstbetrag, rate, total eligible
        expenditure) is not cost-neutral either.
        """
        return (
            self.max_amount is None
            and self.rate is None
            and self.eligible_expenditure is None
            and all(
                change.eligible_expenditure is None
                and change.max_amount is None
                and change.rate is None
                for change in self.phases
            )
        )


class ChangedValue(StrEnum):
    """A value of the decision an amendment can change.

    * ``end``: the last day of a phase's approval period.
    * ``eligible_expenditure``: the eligible expenditure (of a phase, or the grant's total).
    * ``rate``: the Förderquote.
    * ``max_amount``: the Höchstbetrag.
    """

    END = "end"
    ELIGIBLE_EXPENDITURE = "eligible_expenditure"
    RATE = "rate"
    MAX_AMOUNT = "max_amount"

    @property
    def kind(self) -> Literal["date", "money", "rate"]:
        """How the value is written: a day, an amount in euros or a rate.

        Examples:
            >>> ChangedValue.END.kind, ChangedValue.MAX_AMOUNT.kind, ChangedValue.RATE.kind
            ('date', 'money', 'rate')
        """
        if self is ChangedValue.END:
            return "date"
        return "rate" if self is ChangedValue.RATE else "money"


class DecisionChange(_Frozen):
    """One value of the decision an amendment changed: the value before and after it.

    Attributes:
        amendment: the amendment's id.
        decided_on: the day of the amending decision.
        phase: the phase whose value changed; ``None`` for the grant as a whole.
        value: which value changed.
        before: the value before the amendment: the decision's, or an earlier amendment's;
            ``None`` where none was set (e.g. a phase without a Höchstbetrag of its own).
        after: the value the amendment sets.

    Examples:
        >>> change = DecisionChange(amendment="Ä-1", decided_on=date(2026, 3, 1), phase=None,
        ...                         value=ChangedValue.MAX_AMOUNT, before=Decimal("210000.00"),
        ...                         after=Decimal("350000.00"))
        >>> change.value.kind, change.after - change.before
        ('money', Decimal('140000.00'))
    """

    amendment: str = Field(description="Kennung des Änderungsbescheids")
    decided_on: date = Field(description="Datum des Änderungsbescheids")
    phase: str | None = Field(description="Phase (leer: die Zuwendung insgesamt)")
    value: ChangedValue = Field(description="geänderter Wert")
    before: Decimal | date | None = Field(description="Wert vor der Änderung")
    after: Decimal | date = Field(description="Wert nach der Änderung")

    @property
    def about(self) -> Message | Subject:
        """What the value belongs to: the phase, or the grant as a whole."""
        if self.phase is None:
            return Message.of("amendments.whole-grant")
        return Subject("phase", self.phase)

    @property
    def what(self) -> Message:
        """The value's name (catalogue ``amendments.value.<value>``)."""
        return Message.of(f"amendments.value.{self.value.value}")

    @property
    def shown_before(self) -> Message:
        """The value before, as its kind is written; "not set" where there was none."""
        return _shown(self.value, self.before)

    @property
    def shown_after(self) -> Message:
        """The value after, as its kind is written."""
        return _shown(self.value, self.after)


def _shown(value: ChangedValue, figure: Decimal | date | None) -> Message:
    r"""A value as its kind is written (catalogue ``amendments.shown.<kind>``).

    Examples:
        >>> from foerdermittel.message_types import words
        >>> words(_shown(ChangedValue.RATE, Decimal("0.75")))
        '75\xa0%'
        >>> words(_shown(ChangedValue.MAX_AMOUNT, None))
        'nicht festgesetzt'
    """
    if figure is None:
        return Message.of("amendments.shown.none")
    return Message.of(f"amendments.shown.{value.kind}", figure=figure)
