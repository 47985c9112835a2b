"""What happened after the decision: payouts, submissions, the funder's requests, settings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from foerdermittel.interest import InterestError, parse_day_count
from foerdermittel.money import Money, NonNegativeMoney

__all__ = ["Expenditure", "InterimProofRequest", "Payout", "Settings", "Submission"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Payout(_Frozen):
    """Auszahlung — grant money the funder paid out.

    Attributes:
        id: the payout's id, e.g. ``A-1``.
        phase: the phase the money belongs to.
        amount: the amount paid.
        requested_on: date of the request (Mittelabruf), where known.
        paid_on: value date, the day the money arrived (Wertstellung).
    """

    id: str = Field(min_length=1, description="Kennung der Auszahlung")
    phase: str = Field(description="Kennung der Phase")
    amount: NonNegativeMoney = Field(description="ausgezahlter Betrag")
    requested_on: date | None = Field(default=None, description="Datum des Mittelabrufs")
    paid_on: date = Field(description="Wertstellung (Zahlungseingang)")


class Expenditure(_Frozen):
    """Beleg — an expenditure actually paid, charged to a budget line.

    Credit notes and refunds are negative amounts.

    Attributes:
        id: the voucher number (Belegnummer).
        line: the budget line it is charged to.
        paid_on: payment date.
        amount: amount paid (negative for a credit note or refund).
        payee: who was paid.
        purpose: what for.
    """

    id: str = Field(min_length=1, description="Belegnummer")
    line: str = Field(description="Kennung des Einzelansatzes")
    paid_on: date = Field(description="Zahlungsdatum")
    amount: Money = Field(description="Betrag (Gutschriften negativ)")
    payee: str | None = Field(default=None, description="Zahlungsempfänger")
    purpose: str | None = Field(default=None, description="Verwendungszweck")


class Submission(_Frozen):
    """Erledigung — the day a deadline was met (a proof submitted, a resolution passed).

    Attributes:
        deadline: the deadline's id as the deadline list shows it, e.g. ``proof-of-use:A``.
        submitted_on: the day it was submitted or done.
        note: free text, e.g. the file number of the covering letter.
    """

    deadline: str = Field(description="Kennung der Frist, z. B. proof-of-use:A")
    submitted_on: date = Field(description="eingereicht / erledigt am")
    note: str | None = Field(default=None, description="Anmerkung")


class InterimProofRequest(_Frozen):
    """Anforderung eines Zwischennachweises — the funder asks for an interim proof.

    Under ANBest-Gk an interim proof is due only on the funder's request (Nr. 6.1); the request
    sets its own due date.

    Attributes:
        id: the request's id.
        phase: the phase it concerns.
        requested_on: date of the request.
        due: the due date the request sets.
    """

    id: str = Field(min_length=1, description="Kennung der Anforderung")
    phase: str = Field(description="Kennung der Phase")
    requested_on: date = Field(description="angefordert am")
    due: date = Field(description="vorzulegen bis")


class Settings(_Frozen):
    """Einstellungen — choices the law leaves open, with their defaults.

    Attributes:
        holiday_calendar: whose public holidays move a deadline: the recipient's Land
            (default) or the Land of the funder's seat (open question, grant-law §9.9).
        due_soon_days: a deadline within this many days of the key date is "due soon".
        ledger_complete_until: the day up to which the recorded expenditures are complete;
            by default the key date once any expenditure is recorded, else none (the plan
            stands for the past too).
        forecast_catch_up: planned money not spent in the past is spread over the remaining
            months of the phase (default), instead of being dropped.
        annual_unused: what happens to a budget-year instalment (Jahresrate) not called in
            its year: carried over to the next year (default) or lapsed.
        day_count: the day-count convention for § 49a interest (default act/365; the law
            leaves it open).
        assumed_base_rate: a Basiszinssatz (percent) assumed for days after the shipped table.
    """

    holiday_calendar: Literal["recipient", "funder"] = Field(
        default="recipient",
        description="Feiertage des Empfängers (recipient) oder des Sitzes des Zuwendungsgebers",
    )
    due_soon_days: int = Field(default=30, ge=0, description="Vorwarnzeit in Tagen")
    ledger_complete_until: date | None = Field(
        default=None,
        description=(
            "Belege vollständig erfasst bis (ohne Angabe: bis zum Stichtag, sobald Belege "
            "erfasst sind)"
        ),
    )
    forecast_catch_up: bool = Field(
        default=True,
        description="nicht verausgabte Planmittel der Vergangenheit auf die Restlaufzeit verteilen",
    )
    day_count: str = Field(
        default="act/365",
        description="Zinstagekonvention für Zinsen nach § 49a VwVfG (act/365, act/act, ...)",
    )
    assumed_base_rate: Decimal | None = Field(
        default=None,
        description="angenommener Basiszinssatz (Prozent) für Tage nach der hinterlegten Tabelle",
    )
    annual_unused: Literal["carry_over", "lapse"] = Field(
        default="carry_over",
        description="nicht abgerufene Jahresrate: übertragen (carry_over) oder verfallen (lapse)",
    )

    @field_validator("day_count")
    @classmethod
    def _known_day_count(cls, name: str) -> str:
        try:
            return parse_day_count(name).value
        except InterestError as exc:
            raise PydanticCustomError(
                "foerdermittel_day_count", "{message}", {"message": str(exc)}
            ) from None
