"""Jahresraten: what a phase may still call per budget year, and what was left.

What a year's instalment leaves uncalled either carries over to the next year or lapses
(``settings.annual_unused``); both are findings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from foerdermittel.errors import Finding, Severity
from foerdermittel.message_types import NOTHING, Message, Subject
from foerdermittel.model.grant import Phase
from foerdermittel.money import ZERO

__all__: list[str] = []


class _YearBudget:
    """Jahresraten: what may still be called per budget year."""

    def __init__(self, phase: Phase, unused: Literal["carry_over", "lapse"]) -> None:
        self.annual = dict(phase.annual_grant or {})
        self.limited = bool(self.annual)
        self.unused = unused
        self.called: dict[int, Decimal] = {}
        self.last_year = max(self.annual, default=phase.end.year)

    def available(self, year: int) -> Decimal:
        if not self.limited:
            return Decimal("Infinity")
        if self.unused == "lapse":
            return self.annual.get(year, ZERO) - self.called.get(year, ZERO)
        total = sum((a for y, a in self.annual.items() if y <= year), ZERO)
        return total - sum((c for y, c in self.called.items() if y <= year), ZERO)

    def spend(self, year: int, amount: Decimal) -> None:
        self.called[year] = self.called.get(year, ZERO) + amount

    def room(self, year: int, want: Decimal) -> Decimal:
        """What a call of ``want`` in ``year`` would get, without taking it."""
        return min(want, max(self.available(year), ZERO))

    def take(self, year: int, want: Decimal) -> tuple[Decimal, Message]:
        """Take up to ``want`` from the year's instalment; the remark says when it limited."""
        amount = self.room(year, want)
        self.spend(year, amount)
        remark = NOTHING
        if amount < want:
            remark = Message.of("drawdown.remark.instalment-limit", year=str(year))
        return amount, remark

    def findings(self, phase: Phase) -> list[Finding]:
        out: list[Finding] = []
        if not self.limited:
            return out
        for year, amount in sorted(self.annual.items()):
            called = self.called.get(year, ZERO)
            if called >= amount:
                continue
            lapsed = self.unused == "lapse"
            out.append(
                Finding.of(
                    "annual-instalment-lapsed" if lapsed else "annual-instalment-carried",
                    Severity.WARNING if lapsed else Severity.INFO,
                    Subject("phase", phase.id),
                    "Zuwendungsbescheid (Jahresraten); § 45 BHO",
                    year=str(year),
                    left=amount - called,
                    amount=amount,
                )
            )
        return out
