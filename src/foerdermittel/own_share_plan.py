"""Own share (Eigenanteil) per budget year and month: what the city's budget must carry.

The forecast expenditure of each phase is split month by month into the grant's share, the
share of third-party and other public money, and the own share, so that the three add up to
the expenditure to the cent in every month (and so in every year):

* the grant's share is the increase of the phase's entitlement
  ([`drawdowns.entitlement`][foerdermittel.drawdowns.entitlement]: pro rata, or —
  Fehlbedarfsfinanzierung — only after own and third-party funds);
* third-party and other public money are used pro rata (rounded down to the cent, cumulative);
  under Fehlbedarfsfinanzierung they come first, together with the own funds;
* the own share is the rest.

Own staff costs (lines of category ``own_staff``) are the city's own work: their part of the
own share is shown as in-kind own share (Eigenleistung), the remainder is the cash own share.
The pre-financing (Vorfinanzierung) is the grant share already spent but not yet received —
what the city's cash must bridge at each month's end when the money is paid in arrears.

References:
    VV Nr. 2 zu § 44 BHO (financing types); ANBest-Gk Nr. 1.3 / ANBest-P Nr. 1.4 (pro-rata use
    of own and third-party funds).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate

from pydantic import BaseModel, ConfigDict

from foerdermittel.drawdowns import DrawdownPlan
from foerdermittel.drawdowns.entitlements import phase_entitlements_cents
from foerdermittel.errors import Finding, Severity
from foerdermittel.financing import Financing, PhaseFinancing
from foerdermittel.forecasting import Forecast, _month_totals, month_end
from foerdermittel.frozen import built
from foerdermittel.message_types import NOTHING, Message, Subject
from foerdermittel.model.case import Case
from foerdermittel.model.grant import FinancingType
from foerdermittel.model.plan import CostCategory
from foerdermittel.money import (
    _HUNDRED,
    ZERO,
    _largest_remainder,
    floor_cents,
    from_cents,
    to_cents,
)
from foerdermittel.views import Viewable

__all__ = ["OwnShareMonth", "OwnSharePlan", "OwnShareYear", "check_own_share", "own_share"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OwnShareMonth(_Frozen):
    """One month (all phases, or one phase).

    Attributes:
        month: first day of the month.
        expenditure: forecast expenditure.
        grant_share: the grant's share of it.
        third_party_share: third-party and other public money's share.
        own_share: the own share (``expenditure − grant_share − third_party_share``).
        in_kind: the part of the own share that is own staff (Eigenleistung).
        prefinanced: at the month's end, grant share spent but not yet received.
    """

    month: date
    expenditure: Decimal
    grant_share: Decimal
    third_party_share: Decimal
    own_share: Decimal
    in_kind: Decimal
    prefinanced: Decimal


class OwnShareYear(_Frozen):
    """One budget year.

    Attributes:
        year: the budget year.
        expenditure: forecast expenditure, summed over its months.
        grant_share: the grant's share, summed over its months.
        third_party_share: third-party and other public money's share, summed over its months.
        own_share: the own share, summed over its months.
        in_kind: the in-kind own share (Eigenleistung), summed over its months.
        cash: own share less in-kind own share.
        max_prefinanced: the highest month-end pre-financing in the year.
        budgeted: the own share the council budgeted, where the case states it.
        ineligible: planned expenditure that is not eligible (the plan's ``ineligible``);
            the city carries it on top of the own share.
    """

    year: int
    expenditure: Decimal
    grant_share: Decimal
    third_party_share: Decimal
    own_share: Decimal
    in_kind: Decimal
    cash: Decimal
    max_prefinanced: Decimal
    budgeted: Decimal | None
    ineligible: Decimal = ZERO

    @property
    def burden(self) -> Decimal:
        """Everything the city's budget carries in the year: own share plus ineligible costs."""
        return self.own_share + self.ineligible


class OwnSharePlan(_Frozen, Viewable):
    """Eigenanteil — per month and budget year, per phase and per line.

    Attributes:
        months: all phases together, month by month.
        years: all phases together, budget year by budget year.
        phases: per phase, budget year by budget year.
        lines: per line, the own share per budget year.
    """

    months: tuple[OwnShareMonth, ...]
    years: tuple[OwnShareYear, ...]
    phases: dict[str, tuple[OwnShareYear, ...]]
    lines: dict[str, dict[int, Decimal]]


class _Euros(dict[int, Decimal]):
    """Amounts in euros by their cents, each converted once while it is remembered.

    The own share's figures repeat: from scenario to scenario the months a change leaves as
    they are, and within one the zeros (no third-party money, no pre-financing). A ``Decimal``
    is immutable, so results may share one. Bounded: it starts afresh once full.
    """

    def __missing__(self, cents: int) -> Decimal:
        if len(self) >= _EUROS_KEPT:
            self.clear()
        euros = self[cents] = from_cents(cents)
        return euros


_EUROS_KEPT = 4096
_EUROS = _Euros()


_Row = tuple[date, int, int, int, int, int, int]
"""A month in cents: the month, its expenditure, grant share, third-party share, own share,
in-kind own share and pre-financing."""


def _years(
    rows: list[_Row],
    budgets: dict[int, Decimal] | None,
    ineligible: dict[int, Decimal] | None = None,
) -> tuple[OwnShareYear, ...]:
    """The months' rows (in cents) summed per budget year, converted to euros at the end."""
    euros = _EUROS
    totals: dict[int, list[int] | None] = {}
    for month, spent, grant, cover, own, in_kind, prefinanced in rows:
        year = month.year
        sums = totals.get(year)
        if sums is None:
            totals[year] = [spent, grant, cover, own, in_kind, prefinanced]
        else:
            sums[0] += spent
            sums[1] += grant
            sums[2] += cover
            sums[3] += own
            sums[4] += in_kind
            if prefinanced > sums[5]:
                sums[5] = prefinanced
    for year in ineligible or {}:
        totals.setdefault(year, None)
    none = [0] * 6  # a year with ineligible costs only
    out = []
    for year, found in sorted(totals.items()):
        spent, grant, cover, own, in_kind, most = none if found is None else found
        out.append(
            built(
                OwnShareYear,
                {
                    "year": year,
                    "expenditure": euros[spent],
                    "grant_share": euros[grant],
                    "third_party_share": euros[cover],
                    "own_share": euros[own],
                    "in_kind": euros[in_kind],
                    "cash": euros[own - in_kind],
                    "max_prefinanced": euros[most],
                    "budgeted": budgets.get(year) if budgets is not None else None,
                    "ineligible": (ineligible or {}).get(year, ZERO),
                },
            )
        )
    return tuple(out)


def _month(row: _Row, expenditure: Decimal | None = None) -> OwnShareMonth:
    """One month's row in euros; ``expenditure``: the forecast's own amount, where it is one."""
    month, spent, grant, cover, own, in_kind, prefinanced = row
    euros = _EUROS
    return built(
        OwnShareMonth,
        {
            "month": month,
            "expenditure": euros[spent] if expenditure is None else expenditure,
            "grant_share": euros[grant],
            "third_party_share": euros[cover],
            "own_share": euros[own],
            "in_kind": euros[in_kind],
            "prefinanced": euros[prefinanced],
        },
    )


def _cents(amounts: Iterable[Decimal]) -> list[int]:
    """[`to_cents`][foerdermittel.money.to_cents] of each amount, a column at a time."""
    return list(map(int, map(_HUNDRED.__mul__, amounts)))


def _weights(lines: list[tuple[list[date], list[Decimal]]]) -> dict[date, tuple[int, ...]]:
    """Each month's forecast of the lines, in cents, as the weights of the own share's split.

    ``lines`` are the phase's lines as their months and their forecast in them. A line's month
    below zero weighs nothing; a month a line does not have weighs nothing in that line.
    """
    columns = [_cents(amounts) for _, amounts in lines]
    for index, column in enumerate(columns):
        if min(column, default=0) < 0:
            columns[index] = [cents if cents > 0 else 0 for cents in column]
    months = [line_months for line_months, _ in lines]
    if months and all(m == months[0] for m in months):
        return dict(zip(months[0], zip(*columns, strict=True), strict=True))
    weights: dict[date, list[int]] = {}
    for index, (line_months, column) in enumerate(zip(months, columns, strict=True)):
        for month, cents in zip(line_months, column, strict=True):
            cells = weights.get(month)
            if cells is None:
                cells = weights[month] = [0] * len(lines)
            cells[index] = cents
    return {month: tuple(cells) for month, cells in weights.items()}


@lru_cache(maxsize=4096)
def _split(total: int, weights: tuple[int, ...]) -> tuple[int, ...]:
    """``total`` cents split over ``weights`` by the largest-remainder method, remembered.

    A pure function of integers: the months a scenario leaves as they are (another phase's,
    the months before a change) split the same own share over the same weights again.
    """
    return tuple(_largest_remainder(total, list(weights)))


def _covers(pf: PhaseFinancing, covered: list[int], *, fehlbedarf: bool) -> list[int]:
    """Third-party and other public money used, cumulative, for each expenditure covered (cents).

    Pro rata, rounded down to the cent; under Fehlbedarfsfinanzierung first, with the own
    funds. Computed on the amounts in euros, as the rule is written.
    """
    cover = pf.third_party + pf.other_public
    if cover <= 0:
        return [0] * len(covered)
    first_funds = pf.own_funds_planned + cover
    out = []
    for cents in covered:
        if cents <= 0:
            out.append(0)
            continue
        spent = from_cents(cents)
        if fehlbedarf:
            used_first = min(spent, first_funds)
            out.append(to_cents(floor_cents(cover * used_first / first_funds)))
        elif pf.eligible_expenditure > 0:
            share = min(cover, floor_cents(cover * spent / pf.eligible_expenditure))
            out.append(to_cents(share))
        else:
            out.append(0)
    return out


def own_share(
    case: Case, financing: Financing, spending: Forecast, drawdowns: DrawdownPlan
) -> OwnSharePlan:
    """Split the forecast expenditure of the (amended) case into grant, third-party and own share.

    Each month's own share is split over the phase's lines in proportion to their forecast
    expenditure in the month ([`allocate`][foerdermittel.money.allocate], in integer cents),
    for the own share per line and the in-kind part.

    Examples:
        >>> from foerdermittel import evaluate, load_case
        >>> from datetime import date
        >>> plan = evaluate(load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30)).own_share
        >>> sum(y.own_share for y in plan.years)
        Decimal('5320000.00')
    """
    staff = {line.id for line in case.plan.lines if line.category is CostCategory.OWN_STAFF}
    # every phase's rows of a month, and the forecast's amount of the month's first phase
    all_months: dict[date, list[_Row]] = {}
    amounts: dict[date, Decimal] = {}
    per_phase: dict[str, tuple[OwnShareYear, ...]] = {}
    # the own share per line and year, in cents
    per_line: dict[str, dict[int, int]] = {line.id: {} for line in case.plan.lines}
    fehlbedarf = case.grant.financing_type is FinancingType.FEHLBEDARF
    sums = _month_totals(spending)
    # the whole phase in integer cents, converted to euros only for the results
    for phase in case.grant.phases:
        pf = financing.phase(phase.id)
        lines = [lf for lf in spending.lines if lf.phase == phase.id]
        weights = _weights(sums.lines.get(phase.id, []))
        staff_index = [i for i, lf in enumerate(lines) if lf.line in staff]
        even = (1,) * len(lines)
        nothing = (0,) * len(lines)
        split: dict[int, list[tuple[int, ...]]] = {}  # per year, each month's split over the lines
        months = sums.phases.get(phase.id, {})
        spent = _cents(months.values())
        covered = list(accumulate(spent))
        granted = phase_entitlements_cents(case, pf)(covered)
        covers = _covers(pf, covered, fehlbedarf=fehlbedarf)
        calls = sorted((c.on, c.amount) for c in drawdowns.calls if c.phase == phase.id)
        next_call, received = 0, 0
        prev_grant = prev_cover = 0
        rows: list[_Row] = []
        for month, expenditure, grant_cum, cover_cum in zip(
            months, spent, granted, covers, strict=True
        ):
            grant_part, cover_part = grant_cum - prev_grant, cover_cum - prev_cover
            prev_grant, prev_cover = grant_cum, cover_cum
            own = expenditure - grant_part - cover_part
            in_kind = 0
            if lines:
                if own:
                    month_weights = weights.get(month)
                    if month_weights is None or not any(month_weights):
                        month_weights = even
                    parts = _split(abs(own), month_weights)
                    if own < 0:
                        parts = tuple([-part for part in parts])
                    if staff_index:
                        in_kind = sum([parts[i] for i in staff_index])
                else:
                    parts = nothing
                split.setdefault(month.year, []).append(parts)
            if next_call < len(calls):
                last_day = month_end(month)
                while next_call < len(calls) and calls[next_call][0] <= last_day:
                    received += to_cents(calls[next_call][1])
                    next_call += 1
            rows.append(
                (
                    month,
                    expenditure,
                    grant_part,
                    cover_part,
                    own,
                    in_kind,
                    max(0, grant_cum - received),
                )
            )
        for year, parts_of_months in split.items():
            for lf, part in zip(lines, map(sum, zip(*parts_of_months, strict=True)), strict=True):
                bucket = per_line[lf.line]
                bucket[year] = bucket.get(year, 0) + part
        per_phase[phase.id] = _years(rows, None)
        for row in rows:
            found = all_months.get(row[0])
            if found is None:
                all_months[row[0]] = [row]
                amounts[row[0]] = months[row[0]]
            else:
                found.append(row)
    combined: list[_Row] = []
    rows_out: list[OwnShareMonth] = []
    for month, of_month in sorted(all_months.items()):
        if len(of_month) == 1:  # one phase: its row, with the forecast's amount
            combined.append(of_month[0])
            rows_out.append(_month(of_month[0], amounts[month]))
        else:
            _, spent_, grant_, cover_, own_, in_kind_, prefinanced_ = zip(*of_month, strict=True)
            row = (
                month,
                sum(spent_),
                sum(grant_),
                sum(cover_),
                sum(own_),
                sum(in_kind_),
                sum(prefinanced_),
            )
            combined.append(row)
            rows_out.append(_month(row))
    return built(
        OwnSharePlan,
        {
            "months": tuple(rows_out),
            "years": _years(
                combined,
                dict(case.council_budget) if case.council_budget else None,
                dict(case.plan.ineligible),
            ),
            "phases": per_phase,
            "lines": {
                k: {year: _EUROS[c] for year, c in sorted(v.items())} for k, v in per_line.items()
            },
        },
    )


_SECURED = "VV Nr. 1.2 zu § 44 BHO/LHO (Gesamtfinanzierung gesichert)"
"""The rule an own share the budget does not carry breaks, for every grant whatever its
programme: a project whose total financing is not secured may not be started with a grant
("Eine Anfinanzierung von Vorhaben, deren Gesamtfinanzierung nicht gesichert ist, ist
unzulässig", the wording of VV-LHO Niedersachsen Nr. 1.2 zu § 44)."""


def check_own_share(plan: OwnSharePlan) -> tuple[Finding, ...]:
    """A finding for each budget year whose own share the council's budget does not cover.

    The finding ``own-share-not-budgeted`` carries the figures of the year: the own share
    required with the ineligible costs (``burden``), its in-kind part, the ineligible costs
    (where there are any), what the council budgeted and what is missing.
    """
    findings = []
    for year in plan.years:
        if year.budgeted is None or year.burden <= year.budgeted:
            continue
        findings.append(
            Finding.of(
                "own-share-not-budgeted",
                Severity.ERROR,
                Subject("year", str(year.year)),
                _SECURED,
                burden=year.burden,
                in_kind=year.in_kind,
                ineligible=(
                    Message.of("own-share.ineligible", amount=year.ineligible)
                    if year.ineligible
                    else NOTHING
                ),
                budgeted=year.budgeted,
                missing=year.burden - year.budgeted,
            )
        )
    return tuple(findings)
