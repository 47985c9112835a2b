"""What happened after the decision: payouts, submissions, the funder's requests, settings."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from foerdermittel.money import NonNegativeMoney

__all__ = ["InterimProofRequest", "Payout", "Settings", "Submission"]


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
    """

    holiday_calendar: Literal["recipient", "funder"] = Field(
        default="recipient",
        description="Feiertage des Empfängers (recipient) oder des Sitzes des Zuwendungsgebers",
    )
    due_soon_days: int = Field(default=30, ge=0, description="Vorwarnzeit in Tagen")
