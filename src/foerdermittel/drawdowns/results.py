"""The drawdown plan as a result: each call, the calls of a phase, every call of the grant."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from foerdermittel.message_types import NOTHING, MessageField, Worded, optional_words
from foerdermittel.money import ZERO
from foerdermittel.rules.model import DrawdownRule
from foerdermittel.views import Viewable

__all__ = ["Call", "DrawdownPlan", "PhaseDrawdowns"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Call(Worded):
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
        remark: remarks as a message (keys ``drawdown.remark.…``), or
            [`NOTHING`][foerdermittel.message_types.NOTHING] without: the payout a recorded
            call is (``payout``), a call limited by an annual instalment
            (``instalment-limit``), money not called so far (``catch-up``, ``including``),
            needs below the minimum per call carried into this one (``pooled``), the final
            instalment (``final-instalment``). Its German words are the property
            ``note``, those of another language
            [`note_in`][foerdermittel.drawdowns.Call.note_in] (``None`` without a remark); a
            dump carries them under the name ``note`` too.
        pooled: the calls below the minimum per call (``limits.min_payout``) this call
            carries: each as it would have been made without the minimum (its day, its amount,
            the period it was for). Their periods lie within this call's covered period, which
            reaches back to the first of them; empty for a call that carries none (and then
            left out of a dump).
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
    remark: MessageField = NOTHING
    pooled: tuple[Call, ...] = ()

    @property
    def pooled_amount(self) -> Decimal:
        """What the call carries from the calls below the minimum it pools (0 without)."""
        return sum((c.amount for c in self.pooled), ZERO)

    @property
    def note(self) -> str | None:
        """The remarks in German, or ``None``; renderers use foerdermittel.messages."""
        return optional_words(self.remark)

    def note_in(self, lang: str) -> str | None:
        """The remarks in a language of the catalogues, or ``None`` without a remark."""
        return optional_words(self.remark, lang)

    def _words_in(self, lang: str) -> dict[str, str | None]:
        return {"note": self.note_in(lang)}

    def _left_out_when_empty(self) -> tuple[str, ...]:
        return ("pooled",)


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
