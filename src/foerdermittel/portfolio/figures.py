"""The figures across grants: sums of what each grant's report already holds.

Nothing of a grant's arithmetic is done again here: the own share per budget year is the sum
of the grants' ``own_share.years``, the pre-financing per month the sum of their
``own_share.months``, the controlling figures are read from each report's financing,
drawdown plan, proof of use and interest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from foerdermittel.errors import Severity
from foerdermittel.forecasting import month_end
from foerdermittel.frozen import FrozenMap
from foerdermittel.money import ZERO
from foerdermittel.portfolio.loading import Portfolio, PortfolioGrant
from foerdermittel.portfolio.model import BudgetKind
from foerdermittel.portfolio.results import (
    GrantControlling,
    GrantInfo,
    PortfolioDeadline,
    PortfolioYear,
    PrefinancingMonth,
    ProductYear,
)
from foerdermittel.report import Report

__all__ = [
    "continued_prefinancing",
    "controlling",
    "deadlines",
    "grant_infos",
    "prefinancing",
    "products",
    "years",
]

_RATE_PLACES = Decimal("0.0001")
"""Rates in the controlling figures: four places (a percentage with two), rounded half up."""

LAPSED = "annual-instalment-lapsed"
"""The drawdown finding of an annual instalment not called and lapsed (its ``left``)."""
CARRIED = "annual-instalment-carried"
"""The drawdown finding of an annual instalment not called and carried into the next year."""


def grant_infos(portfolio: Portfolio) -> tuple[GrantInfo, ...]:
    """Each grant as the views name it, in the portfolio's order."""
    return tuple(
        GrantInfo(
            key=g.key,
            file=g.file,
            title=g.case.title,
            recipient=g.case.grant.recipient,
            programme=g.case.grant.programme,
            owner=g.owner,
            budget=g.budget,
        )
        for g in portfolio.grants
    )


class _Sums:
    """Own share, cash, in-kind, consumptive, investive and ineligible, with the grants' parts."""

    def __init__(self) -> None:
        self.own_share = ZERO
        self.cash = ZERO
        self.in_kind = ZERO
        self.consumptive = ZERO
        self.investive = ZERO
        self.ineligible = ZERO
        self.grants: dict[str, Decimal] = {}

    def add(
        self,
        key: str,
        kind: BudgetKind,
        *,
        own_share: Decimal,
        cash: Decimal,
        in_kind: Decimal,
        ineligible: Decimal,
    ) -> None:
        self.own_share += own_share
        self.cash += cash
        self.in_kind += in_kind
        self.ineligible += ineligible
        if kind is BudgetKind.CONSUMPTIVE:
            self.consumptive += own_share
        else:
            self.investive += own_share
        self.grants[key] = self.grants.get(key, ZERO) + own_share


def _per_year(
    grants: Sequence[PortfolioGrant], reports: Mapping[str, Report]
) -> tuple[dict[int, _Sums], dict[tuple[str, int], _Sums]]:
    by_year: dict[int, _Sums] = {}
    by_product: dict[tuple[str, int], _Sums] = {}
    for grant in grants:
        for item in reports[grant.key].own_share.years:
            figures = {
                "own_share": item.own_share,
                "cash": item.cash,
                "in_kind": item.in_kind,
                "ineligible": item.ineligible,
            }
            kind = grant.budget.kind
            by_year.setdefault(item.year, _Sums()).add(grant.key, kind, **figures)
            place = (grant.budget.product, item.year)
            by_product.setdefault(place, _Sums()).add(grant.key, kind, **figures)
    return by_year, by_product


def _compared(sums: _Sums, cover: str) -> Decimal:
    if cover == "cash":
        return sums.cash
    if cover == "burden":
        return sums.own_share + sums.ineligible
    return sums.own_share


def _excess(compared: Decimal, appropriation: Decimal | None) -> Decimal:
    if appropriation is None:
        return ZERO
    return max(ZERO, compared - appropriation)


def years(portfolio: Portfolio, reports: Mapping[str, Report]) -> tuple[PortfolioYear, ...]:
    """The own share per budget year across grants, each year beside its appropriation.

    The years are those of any grant's own share plan and those with an appropriation.
    """
    by_year, _ = _per_year(portfolio.grants, reports)
    cover = portfolio.definition.appropriations_cover
    for item in portfolio.appropriations:
        by_year.setdefault(item.year, _Sums())
    out = []
    for year, sums in sorted(by_year.items()):
        appropriation = portfolio.definition.appropriation(year)
        amount = appropriation.total if appropriation is not None else None
        compared = _compared(sums, cover)
        out.append(
            PortfolioYear(
                year=year,
                own_share=sums.own_share,
                cash=sums.cash,
                in_kind=sums.in_kind,
                consumptive=sums.consumptive,
                investive=sums.investive,
                ineligible=sums.ineligible,
                grants=FrozenMap(sums.grants),
                appropriation=amount,
                basis=appropriation.basis if appropriation is not None else None,
                compared=compared,
                excess=_excess(compared, amount),
            )
        )
    return tuple(out)


def products(portfolio: Portfolio, reports: Mapping[str, Report]) -> tuple[ProductYear, ...]:
    """The own share per product and budget year, each beside the product's appropriation.

    The pairs are those with a grant's own share and those with an appropriation for the
    product; sorted by product, then year.
    """
    _, by_product = _per_year(portfolio.grants, reports)
    cover = portfolio.definition.appropriations_cover
    for item in portfolio.appropriations:
        for product in item.products:
            by_product.setdefault((product, item.year), _Sums())
    out = []
    for (product, year), sums in sorted(by_product.items()):
        appropriation = portfolio.definition.appropriation(year)
        amount = appropriation.products.get(product) if appropriation is not None else None
        compared = _compared(sums, cover)
        out.append(
            ProductYear(
                product=product,
                year=year,
                own_share=sums.own_share,
                cash=sums.cash,
                in_kind=sums.in_kind,
                consumptive=sums.consumptive,
                investive=sums.investive,
                ineligible=sums.ineligible,
                grants=FrozenMap(sums.grants),
                appropriation=amount,
                basis=appropriation.basis if appropriation and amount is not None else None,
                compared=compared,
                excess=_excess(compared, amount),
            )
        )
    return tuple(out)


def _months_between(first: date, last: date) -> Iterable[date]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield date(year, month, 1)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def continued_prefinancing(report: Report) -> dict[date, Decimal]:
    """A grant's pre-financing after each phase's last month of expenditure, per month.

    For each phase: its grant share (``own_share.phases``, summed over the years) less its
    calls received by the month's end, from the month after its last month of expenditure
    (in ``forecast``) to the month of its last call — the definition of the own share plan's
    ``prefinanced``, carried on where the plan's months stop. Months without any are left out.

    Examples:
        >>> from foerdermittel import evaluate, load_case
        >>> report = evaluate(load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30))
        >>> later = continued_prefinancing(report)  # phase B's final instalment, June 2027
        >>> min(later), max(later), later[date(2027, 5, 1)]
        (datetime.date(2026, 10, 1), datetime.date(2027, 5, 1), Decimal('433333.26'))
    """
    last: dict[str, date] = {}
    for line in report.forecast.lines:
        for item in line.months:
            if line.phase not in last or item.month > last[line.phase]:
                last[line.phase] = item.month
    out: dict[date, Decimal] = {}
    for phase, years_of_phase in report.own_share.phases.items():
        if phase not in last:
            continue
        granted = sum((y.grant_share for y in years_of_phase), ZERO)
        calls = sorted((c.on, c.amount) for c in report.drawdowns.calls if c.phase == phase)
        ended = month_end(last[phase])
        later = [(on, amount) for on, amount in calls if on > ended]
        if not later:
            continue
        received = sum((amount for on, amount in calls if on <= ended), ZERO)
        for month in _months_between(_month_after(last[phase]), later[-1][0]):
            received += sum((a for on, a in later if month <= on <= month_end(month)), ZERO)
            still_open = granted - received
            if still_open > 0:
                out[month] = out.get(month, ZERO) + still_open
    return dict(sorted(out.items()))


def _month_after(month: date) -> date:
    if month.month == 12:
        return date(month.year + 1, 1, 1)
    return date(month.year, month.month + 1, 1)


def prefinancing(
    portfolio: Portfolio, reports: Mapping[str, Report]
) -> tuple[PrefinancingMonth, ...]:
    """Pre-financed money per month across grants: the grants' own figures, summed.

    Every month from the first month of any grant's own share plan to the last month with
    expenditure or pre-financing of any grant. A grant counts with its own share plan's
    ``prefinanced`` in the plan's months, and with
    [`continued_prefinancing`][foerdermittel.portfolio.figures.continued_prefinancing] after
    a phase's expenditure has ended.
    """
    per_month: dict[date, dict[str, Decimal]] = {}
    continued: dict[date, dict[str, Decimal]] = {}
    for grant in portfolio.grants:
        report = reports[grant.key]
        for item in report.own_share.months:
            bucket = per_month.setdefault(item.month, {})
            if item.prefinanced:
                bucket[grant.key] = item.prefinanced
        for month, amount in continued_prefinancing(report).items():
            bucket = per_month.setdefault(month, {})
            bucket[grant.key] = bucket.get(grant.key, ZERO) + amount
            continued.setdefault(month, {})[grant.key] = amount
    if not per_month:
        return ()
    out = []
    for month in _months_between(min(per_month), max(per_month)):
        parts = per_month.get(month, {})
        out.append(
            PrefinancingMonth(
                month=month,
                total=sum(parts.values(), ZERO),
                grants=FrozenMap(parts),
                continued=FrozenMap(continued.get(month, {})),
            )
        )
    return tuple(out)


def deadlines(portfolio: Portfolio, reports: Mapping[str, Report]) -> tuple[PortfolioDeadline, ...]:
    """Every grant's deadlines in one list, by date; on one day in the portfolio's order."""
    items = [
        PortfolioDeadline(grant=grant.key, owner=grant.owner, deadline=deadline)
        for grant in portfolio.grants
        for deadline in reports[grant.key].deadlines
    ]
    return tuple(sorted(items, key=lambda item: item.deadline.end))


def _rate(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (part / whole).quantize(_RATE_PLACES, rounding=ROUND_HALF_UP)


def _finding_sum(report: Report, code: str) -> Decimal:
    total = ZERO
    for finding in report.findings:
        if finding.code != code:
            continue
        left = finding.text.params.get("left")
        if isinstance(left, Decimal):
            total += left
    return total


def _prefinanced_on(report: Report, as_of: date) -> Decimal:
    month = as_of.replace(day=1)
    value = ZERO
    for item in report.own_share.months:
        if item.month > month:
            break
        value = item.prefinanced
    return value


def controlling(
    portfolio: Portfolio, reports: Mapping[str, Report], as_of: date
) -> tuple[GrantControlling, ...]:
    """The controlling figures of each grant, read from its report."""
    out = []
    for grant in portfolio.grants:
        report = reports[grant.key]
        approved = report.financing.grant
        eligible = report.financing.eligible_expenditure
        spent = report.proof_of_use.lines_actual
        called = report.drawdowns.paid
        proof = report.proof_of_use
        out.append(
            GrantControlling(
                grant=grant.key,
                approved=approved,
                eligible_expenditure=eligible,
                spent=spent,
                called=called,
                planned_calls=report.drawdowns.total - called,
                uncalled=approved - called,
                not_called_forecast=sum((p.not_called for p in report.drawdowns.phases), ZERO),
                called_rate=_rate(called, approved),
                spent_rate=_rate(spent, eligible),
                prefinanced=_prefinanced_on(report, as_of),
                lapsed=_finding_sum(report, LAPSED),
                carried=_finding_sum(report, CARRIED),
                refund=proof.refund,
                refund_interest=proof.refund_interest,
                late_use_interest=report.interest.total,
                interest_complete=proof.refund_interest_complete and report.interest.complete,
                projected=proof.projected,
                errors=sum(1 for f in report.findings if f.severity is Severity.ERROR),
                warnings=sum(1 for f in report.findings if f.severity is Severity.WARNING),
                reconciled=report.reconciliation.ok,
            )
        )
    return tuple(out)
