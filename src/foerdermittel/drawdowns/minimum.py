"""Mindestbetrag je Abruf: calls below a programme's minimum are pooled with the next call.

A programme or the decision may refuse to pay out less than a minimum per call
(``limits.min_payout``; KfW 432: "Zuschüsse unter 5.000 EURO werden nicht ausgezahlt"). A
planned call below it is not made: its need is carried forward and joins the next call, which
covers the pooled periods too. No call is brought forward — a programme that reimburses costs
already paid must not draw before they are paid. Only the last call of a phase may stay below
the minimum (nothing comes after it to pool with); the funder may then refuse it and the rest
of the grant is lost. Both that and a recorded payout below the minimum are warnings, unless
the phase's whole grant is below the minimum (it cannot be called otherwise).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from foerdermittel.drawdowns.results import Call
from foerdermittel.errors import Finding, Severity
from foerdermittel.message_types import NOTHING, Message, Subject
from foerdermittel.model.records import Payout
from foerdermittel.money import ZERO
from foerdermittel.rules.model import LimitsRule

__all__: list[str] = []


def _pooled_within(calls: list[Call]) -> list[Call]:
    """The pooled calls' periods laid into their call's covered period, once it is tiled.

    Each pooled call covers from the day after the one before it (the first from its call's
    first day) to the end of its own period; what is left belongs to the call itself.
    """
    one = timedelta(days=1)
    out: list[Call] = []
    for call in calls:
        if not call.pooled:
            out.append(call)
            continue
        laid: list[Call] = []
        begin = call.covers_from
        for held in call.pooled:
            end = min(max(held.covers_to, begin), call.covers_to)
            laid.append(held.model_copy(update={"covers_from": begin, "covers_to": end}))
            begin = min(end + one, call.covers_to)
        out.append(call.model_copy(update={"pooled": tuple(laid)}))
    return out


class _Pool:
    """The calls of one phase held back because they are below the minimum per call."""

    def __init__(self, limits: LimitsRule, grant: Decimal) -> None:
        self.minimum = limits.min_payout
        self.source = limits.source
        # a phase whose whole grant is below the minimum can only be called below it
        self.warns = self.minimum is not None and grant >= self.minimum
        self.held: list[Call] = []

    @property
    def carried(self) -> Decimal:
        """The needs held back so far: the next call carries them."""
        return sum((c.amount for c in self.held), ZERO)

    def holds(self, amount: Decimal, *, last: bool, joins: bool) -> bool:
        """Whether a planned call of ``amount`` is held back for the next call.

        ``last``: no later call of the phase could carry it. ``joins``: it is made on the day
        of the call before it and becomes part of that one.
        """
        return self.minimum is not None and amount < self.minimum and not (last or joins)

    def hold(self, would_be: Call) -> None:
        """Hold back a call as it would have been without the minimum (its own need only)."""
        if would_be.amount > 0:
            self.held.append(would_be)

    def release(self, call: Call) -> Call:
        """The call with the needs held back until now: they are its ``pooled`` calls."""
        if not self.held or self.minimum is None:
            return call
        then = (
            Message.of("drawdown.remark.then", remark=call.remark) if call.remark.key else NOTHING
        )
        pooled = call.model_copy(
            update={
                "pooled": tuple(self.held),
                "remark": Message.of(
                    "drawdown.remark.pooled",
                    amount=self.carried,
                    count=len(self.held),
                    minimum=self.minimum,
                    then=then,
                ),
            }
        )
        self.held = []
        return pooled

    def payout_finding(self, payout: Payout, about: Subject) -> Finding | None:
        """A recorded payout below the minimum: the funder paid less than its rule allows."""
        if self.minimum is None or not self.warns or payout.amount >= self.minimum:
            return None
        return Finding.of(
            "payout-below-minimum",
            Severity.WARNING,
            about,
            self.source,
            payout=Subject("payout", payout.id),
            paid_on=payout.paid_on,
            amount=payout.amount,
            minimum=self.minimum,
        )

    def final_finding(self, calls: list[Call], about: Subject) -> Finding | None:
        """The phase's last call, planned and below the minimum: the funder may refuse it."""
        if self.minimum is None or not self.warns or not calls:
            return None
        final = calls[-1]
        if final.kind != "planned" or final.amount >= self.minimum:
            return None
        return Finding.of(
            "final-call-below-minimum",
            Severity.WARNING,
            about,
            self.source,
            on=final.on,
            amount=final.amount,
            minimum=self.minimum,
        )
