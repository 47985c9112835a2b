"""Running sums of a checked ledger, per budget line and phase, cut at any key date.

The voucher checks ([`checked_vouchers`][foerdermittel.vouchers.checked_vouchers]) sort a
ledger once and decide once which vouchers count; the calculators then ask for sums up to a
day — what a phase had paid by a payout, what each line spent per month, what counts on the
key date. They read them here: per budget line the payment days of its vouchers that count
(ordinals, in order of day and number) and their gross and eligible amounts as running sums
of integer cents, ``s[k]`` the sum of the first ``k``, so a sum up to a day is one bisection
(``s[bisect_right(days, day)]``). Every amount has two places, so the cents are exact and
turn back into the same ``Decimal``.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate, chain, repeat
from operator import itemgetter, sub
from typing import TYPE_CHECKING, Any

from foerdermittel.model.voucher_columns import VoucherColumns

if TYPE_CHECKING:
    from foerdermittel.vouchers import ExcludedVoucher

__all__ = ["CheckedVouchers", "LineSums"]


def euros(cents: int) -> Decimal:
    """Integer cents as an amount with two places."""
    return Decimal(cents).scaleb(-2)


def running(values: Iterable[int]) -> array[int]:
    """Running sums of integer cents, starting with 0 (eight bytes a voucher)."""
    return array("q", accumulate(values, initial=0))


def values_at(column: Sequence[Any], positions: Sequence[int]) -> Sequence[Any]:
    """The values of ``column`` at ``positions``, in that order."""
    if len(positions) == 1:
        return (column[positions[0]],)
    return itemgetter(*positions)(column) if positions else ()


@dataclass(frozen=True)
class LineSums:
    """The vouchers of one budget line, in order of day and number, with running sums.

    Attributes:
        positions: their ranks (places in the order of day and number).
        days: their payment days as ordinals.
        gross: their gross amounts in cents, running (``gross[k]``: the first ``k``).
        eligible: their eligible amounts (net where input tax is deductible), running.
    """

    positions: Sequence[int]
    days: array[int]
    gross: array[int]
    eligible: array[int]

    def count(self, day: int) -> int:
        """How many were paid on or before the ordinal ``day``."""
        return bisect_right(self.days, day)

    def part(self, start: int, stop: int) -> LineSums:
        """The vouchers ``start`` to ``stop`` (not included), with their own running sums."""
        if start == 0 and stop == len(self.days):
            return self
        gross = self.gross
        eligible = _rebased(self.eligible, start, stop)
        return LineSums(
            self.positions[start:stop],
            self.days[start:stop],
            eligible if gross is self.eligible else _rebased(gross, start, stop),
            eligible,
        )

    @classmethod
    def of(
        cls, store: VoucherColumns, positions: Sequence[int], eligible: Sequence[int]
    ) -> LineSums:
        """The sums of the vouchers at ``positions`` of ``store`` (``eligible``: per voucher)."""
        gross = running(values_at(store.amounts, positions))
        return cls(
            positions,
            array("i", values_at(store.days, positions)),
            gross,
            gross if eligible is store.amounts else running(values_at(eligible, positions)),
        )


def _rebased(sums: array[int], start: int, stop: int) -> array[int]:
    """Running sums of the values ``start`` to ``stop`` from running sums of all."""
    return array("q", map(sub, sums[start : stop + 1], repeat(sums[start])))


class CheckedVouchers:
    """Every voucher of a ledger checked: those that count, those that do not, running sums.

    Attributes:
        ordered: every voucher, by payment day and number: a voucher's place here is its
            rank.
        counted: the vouchers that count, in the same order.
        excluded: the vouchers that do not count, each with its check, in the same order.
        excluded_days: their payment days as ordinals.
        lines: per budget line with a voucher that counts, its vouchers that count and their
            running sums, the lines in the order of their first such voucher.
        recorded: per budget line of the ledger, all of its vouchers (counted or not).
        total: the gross amount of every voucher, in cents.
        eligible: each voucher's eligible amount in cents, by rank.
    """

    __slots__ = (
        "_excluded",
        "_phase_of_line",
        "_phases",
        "counted",
        "eligible",
        "excluded_days",
        "lines",
        "ordered",
        "recorded",
        "total",
    )

    def __init__(
        self,
        *,
        ordered: VoucherColumns,
        counted: VoucherColumns,
        excluded: Callable[[], list[ExcludedVoucher]],
        excluded_days: list[int],
        lines: dict[str, LineSums],
        recorded: Sequence[LineSums],
        total: int,
        eligible: Sequence[int],
        phase_of_line: dict[str, str],
    ) -> None:
        self.ordered = ordered
        self.counted = counted
        self._excluded: Callable[[], list[ExcludedVoucher]] | list[ExcludedVoucher] = excluded
        self.excluded_days = excluded_days
        self.lines = lines
        self.recorded = recorded
        self.total = total
        self.eligible = eligible
        self._phase_of_line = phase_of_line
        self._phases: dict[str, tuple[array[int], array[int]]] = {}

    @property
    def excluded(self) -> list[ExcludedVoucher]:
        """The vouchers that do not count, each with its check, in order (built once)."""
        found = self._excluded
        if callable(found):
            found = self._excluded = found()
        return found

    def count(self, as_of: date) -> int:
        """How many vouchers that count were paid on or before ``as_of``."""
        day = as_of.toordinal()
        return sum(line.count(day) for line in self.lines.values())

    def counted_until(self, as_of: date) -> VoucherColumns:
        """The vouchers that count, paid on or before ``as_of``."""
        return self.counted[: self.count(as_of)]

    def counted_sums(self, as_of: date) -> tuple[int, int]:
        """The gross and eligible amount (cents) of the vouchers that count, up to ``as_of``."""
        day = as_of.toordinal()
        gross = eligible = 0
        for line in self.lines.values():
            k = line.count(day)
            gross += line.gross[k]
            eligible += line.eligible[k]
        return gross, eligible

    def excluded_until(self, as_of: date) -> list[ExcludedVoucher]:
        """The vouchers that do not count, paid on or before ``as_of``."""
        return self.excluded[: bisect_right(self.excluded_days, as_of.toordinal())]

    def later(self, as_of: date) -> tuple[int, Decimal]:
        """The number and sum of the vouchers paid after ``as_of`` (counted or not)."""
        day = as_of.toordinal()
        count = cents = 0
        for line in self.recorded:
            k = line.count(day)
            count += len(line.days) - k
            cents += line.gross[-1] - line.gross[k]
        return count, euros(cents)

    def first_day(self) -> int | None:
        """The earliest payment day of a voucher that counts (ordinal), if any counts."""
        return min((line.days[0] for line in self.lines.values()), default=None)

    def phase(self, phase: str) -> tuple[array[int], array[int]]:
        """A phase's vouchers that count: their payment days and running eligible amounts.

        In order of day and number; the amounts in cents.
        """
        found = self._phases.get(phase)
        if found is None:
            parts = [
                line.positions
                for ident, line in self.lines.items()
                if self._phase_of_line.get(ident) == phase
            ]
            positions = sorted(chain.from_iterable(parts))  # by rank: by day and number
            days = array("i", values_at(self.ordered.days, positions))
            sums = running(values_at(self.eligible, positions))
            found = self._phases[phase] = (days, sums)
        return found

    def phase_paid(self, phase_lines: Iterable[str], day: int) -> int:
        """The eligible amount (cents) of the vouchers that count of ``phase_lines`` by ``day``."""
        cents = 0
        for ident in phase_lines:
            line = self.lines.get(ident)
            if line is not None:
                cents += line.eligible[line.count(day)]
        return cents


def eligible_by_month(checked: CheckedVouchers, cut: date) -> dict[str, dict[date, Decimal]]:
    """Per budget line, the eligible amount of its vouchers that count, per month up to ``cut``.

    Only months with a voucher are given, in order; the lines in the order of their first
    voucher.
    """
    end = cut.toordinal()
    spent: dict[str, dict[date, Decimal]] = {}
    for ident, line in checked.lines.items():
        days, sums = line.days, line.eligible
        last = bisect_right(days, end)
        if not last:
            continue
        by_month: dict[date, Decimal] = {}
        start = 0
        while start < last:
            month = date.fromordinal(days[start]).replace(day=1)
            following = (month + timedelta(days=32)).replace(day=1).toordinal()
            stop = bisect_left(days, following, start, last)
            by_month[month] = euros(sums[stop] - sums[start])
            start = stop
        spent[ident] = by_month
    return spent
