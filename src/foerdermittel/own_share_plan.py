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

from datetime import date
from decimal import Decimal
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from foerdermittel.drawdowns import DrawdownPlan, phase_entitlement
from foerdermittel.errors import Finding, Severity
from foerdermittel.financing import Financing
from foerdermittel.forecasting import Forecast, _month_totals, month_end
from foerdermittel.frozen import built
from foerdermittel.message_types import NOTHING, Message, Subject
from foerdermittel.model.case import Case
from foerdermittel.model.grant import FinancingType
from foerdermittel.model.plan import CostCategory
from foerdermittel.money import ZERO, _largest_remainder, floor_cents, from_cents, to_cents
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


def _years(
    months: list[OwnShareMonth],
    budgets: dict[int, Decimal] | None,
    ineligible: dict[int, Decimal] | None = None,
) -> tuple[OwnShareYear, ...]:
    years: dict[int, list[OwnShareMonth]] = {}
    for item in months:
        years.setdefault(item.month.year, []).append(item)
    for year in ineligible or {}:
        years.setdefault(year, [])
    out = []
    for year, items in sorted(years.items()):
        expenditure = grant = cover = own = in_kind = ZERO
        most = None
        for i in items:
            expenditure += i.expenditure
            grant += i.grant_share
            cover += i.third_party_share
            own += i.own_share
            in_kind += i.in_kind
            if most is None or i.prefinanced > most:
                most = i.prefinanced
        out.append(
            built(
                OwnShareYear,
                {
                    "year": year,
                    "expenditure": expenditure,
                    "grant_share": grant,
                    "third_party_share": cover,
                    "own_share": own,
                    "in_kind": in_kind,
                    "cash": own - in_kind,
                    "max_prefinanced": ZERO if most is None else most,
                    "budgeted": budgets.get(year) if budgets is not None else None,
                    "ineligible": (ineligible or {}).get(year, ZERO),
                },
            )
        )
    return tuple(out)


def _month(
    month: date,
    expenditure: Decimal,
    grant_share: Decimal,
    third_party_share: Decimal,
    own: Decimal,
    in_kind: Decimal,
    prefinanced: Decimal,
) -> OwnShareMonth:
    return built(
        OwnShareMonth,
        {
            "month": month,
            "expenditure": expenditure,
            "grant_share": grant_share,
            "third_party_share": third_party_share,
            "own_share": own,
            "in_kind": in_kind,
            "prefinanced": prefinanced,
        },
    )


def _weights(lines: list[tuple[list[date], list[Decimal]]]) -> dict[date, list[int]]:
    """Each month's forecast of the lines, in cents, as the weights of the own share's split.

    ``lines`` are the phase's lines as their months and their forecast in them. A line's month
    below zero weighs nothing; a month a line does not have weighs nothing in that line.
    """
    columns = [[to_cents(a) if a > 0 else 0 for a in amounts] for _, amounts in lines]
    months = [line_months for line_months, _ in lines]
    if months and all(m == months[0] for m in months):
        return dict(zip(months[0], map(list, zip(*columns, strict=True)), strict=True))
    weights: dict[date, list[int]] = {}
    for index, (line_months, column) in enumerate(zip(months, columns, strict=True)):
        for month, cents in zip(line_months, column, strict=True):
            cells = weights.get(month)
            if cells is None:
                cells = weights[month] = [0] * len(lines)
            cells[index] = cents
    return weights


@lru_cache(maxsize=4096)
def _split(total: int, weights: tuple[int, ...]) -> tuple[int, ...]:
    """``total`` cents split over ``weights`` by the largest-remainder method, remembered.

    A pure function of integers: the months a scenario leaves as they are (another phase's,
    the months before a change) split the same own share over the same weights again.
    """
    return tuple(_largest_remainder(total, list(weights)))


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
    all_months: dict[date, list[OwnShareMonth]] = {}
    per_phase: dict[str, tuple[OwnShareYear, ...]] = {}
    # the own share per line and year, in cents
    per_line: dict[str, dict[int, int]] = {line.id: {} for line in case.plan.lines}
    fehlbedarf = case.grant.financing_type is FinancingType.FEHLBEDARF
    sums = _month_totals(spending)
    for phase in case.grant.phases:
        pf = financing.phase(phase.id)
        cover = pf.third_party + pf.other_public
        first_funds = pf.own_funds_planned + cover
        share = phase_entitlement(case, pf)
        lines = [lf for lf in spending.lines if lf.phase == phase.id]
        weights = _weights(sums.lines.get(phase.id, []))
        staff_index = [i for i, lf in enumerate(lines) if lf.line in staff]
        even = [1] * len(lines)
        split: dict[int, list[tuple[int, ...]]] = {}  # per year, each month's split over the lines
        months = sums.phases.get(phase.id, {})
        calls = sorted((c.on, c.amount) for c in drawdowns.calls if c.phase == phase.id)
        next_call, received = 0, ZERO
        covered = ZERO
        prev_grant = prev_cover = ZERO
        rows: list[OwnShareMonth] = []
        for month, expenditure in months.items():
            covered += expenditure
            grant_cum = share(covered)
            if cover <= 0 or covered <= 0:
                cover_cum = ZERO
            elif fehlbedarf:
                used_first = min(covered, first_funds)
                cover_cum = floor_cents(cover * used_first / first_funds)
            elif pf.eligible_expenditure > 0:
                cover_cum = min(cover, floor_cents(cover * covered / pf.eligible_expenditure))
            else:
                cover_cum = ZERO
            grant_part, cover_part = grant_cum - prev_grant, cover_cum - prev_cover
            prev_grant, prev_cover = grant_cum, cover_cum
            own = expenditure - grant_part - cover_part
            in_kind = ZERO
            if lines:
                own_cents = to_cents(own)
                if own_cents:
                    month_weights = weights.get(month)
                    if month_weights is None or not any(month_weights):
                        month_weights = even
                    parts = _split(abs(own_cents), tuple(month_weights))
                    if own_cents < 0:
                        parts = tuple([-part for part in parts])
                    if staff_index:
                        in_kind = from_cents(sum([parts[i] for i in staff_index]))
                else:
                    parts = (0,) * len(lines)
                split.setdefault(month.year, []).append(parts)
            if next_call < len(calls):
                last_day = month_end(month)
                while next_call < len(calls) and calls[next_call][0] <= last_day:
                    received += calls[next_call][1]
                    next_call += 1
            rows.append(
                _month(
                    month,
                    expenditure,
                    grant_part,
                    cover_part,
                    own,
                    in_kind,
                    max(ZERO, grant_cum - received),
                )
            )
        for year, parts_of_months in split.items():
            for lf, part in zip(lines, map(sum, zip(*parts_of_months, strict=True)), strict=True):
                bucket = per_line[lf.line]
                bucket[year] = bucket.get(year, 0) + part
        per_phase[phase.id] = _years(rows, None)
        for row in rows:
            all_months.setdefault(row.month, []).append(row)
    combined = [
        rows[0]
        if len(rows) == 1
        else _month(
            month,
            sum((r.expenditure for r in rows), ZERO),
            sum((r.grant_share for r in rows), ZERO),
            sum((r.third_party_share for r in rows), ZERO),
            sum((r.own_share for r in rows), ZERO),
            sum((r.in_kind for r in rows), ZERO),
            sum((r.prefinanced for r in rows), ZERO),
        )
        for month, rows in sorted(all_months.items())
    ]
    return built(
        OwnSharePlan,
        {
            "months": tuple(combined),
            "years": _years(
                combined,
                dict(case.council_budget) if case.council_budget else None,
                dict(case.plan.ineligible),
            ),
            "phases": per_phase,
            "lines": {
                k: {year: from_cents(c) for year, c in sorted(v.items())}
                for k, v in per_line.items()
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
