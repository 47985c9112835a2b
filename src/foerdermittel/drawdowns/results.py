"""The drawdown plan as a result: each call, the calls of a phase, every call of the grant."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from foerdermittel.money import ZERO
from foerdermittel.rules.model import DrawdownRule
from foerdermittel.views import Viewable

__all__ = ["Call", "DrawdownPlan", "PhaseDrawdowns"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Call(_Frozen):
    """Mittelabruf — one call of grant money, planned or recorded.

    Attributes:
        phase: the phase.
        on: the day of the call (recorded: the value date of the payout).
        amount: the amount.
        covers_from: the first day of the expenditure period the call is for (the day after
            the previous call's period; the phase's start for its first call).
        covers_to: the last day of that period (the phase's end for its last call).
        kind: ``recorded`` (a payout in the case) or ``planned``.
        cumulative: the phase's calls up to and including this one.
        entitlement: what the phase may have called by then (pro rata of the expenditure covered).
        withheld: the final instalment, paid only with the proof of use.
        note: remarks (instalment limits, the final instalment).
    """

    phase: str
    on: date
    amount: Decimal
    covers_from: date
    covers_to: date
    kind: Literal["recorded", "planned"]
    cumulative: Decimal
    entitlement: Decimal
    withheld: bool = False
    note: str | None = None


class PhaseDrawdowns(_Frozen):
    """The calls of one phase.

    Attributes:
        phase: the phase.
        grant: the phase's grant.
        calls: the calls in date order.
        called: sum of the calls.
        not_called: grant left uncalled (expenditure short of the plan, lapsed instalments).
    """

    phase: str
    grant: Decimal
    calls: tuple[Call, ...]
    called: Decimal
    not_called: Decimal


class DrawdownPlan(_Frozen, Viewable):
    """Mittelabrufplan — every call of the grant.

    Attributes:
        rule: the drawdown rule applied, with its source.
        phases: the calls per phase.
        calls: all calls in date order.
        total: sum of all calls.
    """

    rule: DrawdownRule
    phases: tuple[PhaseDrawdowns, ...]
    calls: tuple[Call, ...]
    total: Decimal

    @property
    def recorded(self) -> tuple[Call, ...]:
        """The recorded payouts (calls of kind ``recorded``), in date order."""
        return tuple(c for c in self.calls if c.kind == "recorded")

    @property
    def paid(self) -> Decimal:
        """Paid out so far: the sum of the recorded payouts."""
        return sum((c.amount for c in self.recorded), ZERO)
