"""The portfolio's findings and its Abstimmung.

Findings across grants:

* ``own-share-above-appropriation`` (error) — the grants' own share of a budget year exceeds
  what the city appropriated for the year, in total or for a product;
* ``own-share-without-appropriation`` (info) — grants need own share in a year for which the
  portfolio gives no appropriation: not checked;
* ``appropriation-product-unused`` (warning) — an appropriation for a product no grant is
  assigned to (a typing error in the product, or a grant missing from the portfolio);
* ``recipient-not-city`` (warning) — a grant's recipient is neither the city nor the
  recipient its entry names: its case file may be another city's;
* ``grant-other-land`` (warning) — a grant's recipient sits in another Land than the city;
* ``double-claim`` (error) — one voucher in the ledgers of two grants
  ([`foerdermittel.portfolio.claims`][foerdermittel.portfolio.claims]);
* ``reconciliation-failed`` (error) — a check of the portfolio's Abstimmung does not hold.

The Abstimmung (named checks, both figures and the difference, to the cent):

* ``portfolio-own-share-year`` — per budget year: the portfolio's own share (from the grants'
  budget years) = the sum of the grants' months in that year;
* ``portfolio-own-share-kinds`` — per budget year: consumptive + investive = own share;
* ``portfolio-own-share-cash`` — per budget year: cash + in-kind = own share;
* ``portfolio-own-share-products`` — per budget year: the sum over products = own share;
* ``portfolio-prefinancing`` — per month: the pre-financing = the sum of the grants' figures
  (their own share plans' months, and what continues after a phase's expenditure has ended);
* ``portfolio-grant-reconciled`` — per grant: its own Abstimmung has no failed check;
* ``portfolio-grants-evaluated`` — the number of reports = the number of grants.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Literal

from foerdermittel.errors import Finding, Severity
from foerdermittel.message_types import NOTHING, Message, Subject
from foerdermittel.money import ZERO
from foerdermittel.portfolio.loading import Portfolio
from foerdermittel.portfolio.results import PortfolioYear, PrefinancingMonth, ProductYear
from foerdermittel.reconciliation import NO_RULE, Check, Reconciliation
from foerdermittel.report import Report

__all__ = ["APPROPRIATION_RULE", "appropriation_findings", "grant_findings", "reconcile"]

APPROPRIATION_RULE = (
    "VV Nr. 1.2 zu § 44 BHO/LHO (Gesamtfinanzierung gesichert); Gemeindehaushaltsrecht "
    "(Ermächtigung durch den Haushaltsplan, über- und außerplanmäßige Aufwendungen und "
    "Auszahlungen)"
)
"""What an own share beyond the appropriation breaks: the grant's financing is not secured
by the budget, and the city would spend beyond what its council authorised."""

_PORTFOLIO = "—"  # what the portfolio itself notes: no rule of law behind it


def _compared(cover: str) -> Message:
    return Message.of(f"portfolio.compared.{cover}")


def appropriation_findings(
    portfolio: Portfolio, years: tuple[PortfolioYear, ...], products: tuple[ProductYear, ...]
) -> tuple[Finding, ...]:
    """The findings about the own share against the appropriations."""
    cover = portfolio.definition.appropriations_cover
    findings: list[Finding] = []
    for year in years:
        if year.appropriation is None:
            if year.own_share > 0:
                findings.append(
                    Finding.of(
                        "own-share-without-appropriation",
                        Severity.INFO,
                        Subject("year", str(year.year)),
                        _PORTFOLIO,
                        own_share=year.own_share,
                    )
                )
            continue
        if year.excess > 0:
            findings.append(
                Finding.of(
                    "own-share-above-appropriation",
                    Severity.ERROR,
                    Subject("year", str(year.year)),
                    APPROPRIATION_RULE,
                    what=_compared(cover),
                    amount=year.compared,
                    basis=Message.of(f"portfolio.basis.{year.basis}"),
                    appropriation=year.appropriation,
                    excess=year.excess,
                    year=NOTHING,
                )
            )
    for item in products:
        if item.appropriation is None or item.excess <= 0:
            continue
        findings.append(
            Finding.of(
                "own-share-above-appropriation",
                Severity.ERROR,
                Subject("product", item.product),
                APPROPRIATION_RULE,
                what=_compared(cover),
                amount=item.compared,
                basis=Message.of(f"portfolio.basis.{item.basis}"),
                appropriation=item.appropriation,
                excess=item.excess,
                year=Message.of("portfolio.in-year", year=Subject("year", str(item.year))),
            )
        )
    used = {g.budget.product for g in portfolio.grants}
    unused: dict[str, list[int]] = {}
    for appropriation in portfolio.appropriations:
        for product in appropriation.products:
            if product not in used:
                unused.setdefault(product, []).append(appropriation.year)
    for product, in_years in unused.items():
        findings.append(
            Finding.of(
                "appropriation-product-unused",
                Severity.WARNING,
                Subject("product", product),
                _PORTFOLIO,
                years=tuple(str(y) for y in sorted(in_years)),
                known=tuple(sorted(used)),
            )
        )
    return tuple(findings)


def grant_findings(portfolio: Portfolio) -> tuple[Finding, ...]:
    """The findings about a grant's place in the portfolio: its recipient and its Land."""
    city = portfolio.city
    findings: list[Finding] = []
    for grant in portfolio.grants:
        decision = grant.case.grant
        expected = grant.recipient or city.name
        if decision.recipient != expected:
            findings.append(
                Finding.of(
                    "recipient-not-city",
                    Severity.WARNING,
                    Subject("grant", grant.key),
                    _PORTFOLIO,
                    recipient=decision.recipient,
                    expected=expected,
                    file=grant.file,
                )
            )
        if decision.land != city.land:
            findings.append(
                Finding.of(
                    "grant-other-land",
                    Severity.WARNING,
                    Subject("grant", grant.key),
                    _PORTFOLIO,
                    land=decision.land,
                    city_land=city.land,
                )
            )
    return tuple(findings)


def _check(
    name: str,
    about: Subject,
    expected: Decimal,
    actual: Decimal,
    *,
    year: int | None = None,
    unit: Literal["EUR", "count"] = "EUR",
) -> Check:
    return Check(
        name=name,
        about=about,
        year=year,
        what=Message.of(f"check.title.{name}"),
        expected=expected,
        actual=actual,
        difference=actual - expected,
        unit=unit,
        ok=actual == expected,
        legal_reference=NO_RULE,
    )


def reconcile(
    portfolio: Portfolio,
    reports: Mapping[str, Report],
    years: tuple[PortfolioYear, ...],
    products: tuple[ProductYear, ...],
    prefinancing: tuple[PrefinancingMonth, ...],
) -> Reconciliation:
    """The portfolio's Abstimmung: its figures against the grants' own, each check named."""
    checks: list[Check] = []
    by_month: dict[int, Decimal] = {}
    by_month_prefinanced: dict[date, Decimal] = {}
    for grant in portfolio.grants:
        plan = reports[grant.key].own_share
        for item in plan.months:
            by_month[item.month.year] = by_month.get(item.month.year, ZERO) + item.own_share
            by_month_prefinanced[item.month] = (
                by_month_prefinanced.get(item.month, ZERO) + item.prefinanced
            )
    product_sums: dict[int, Decimal] = {}
    for product in products:
        product_sums[product.year] = product_sums.get(product.year, ZERO) + product.own_share
    for year in years:
        about = Subject("year", str(year.year))
        checks.append(
            _check("portfolio-own-share-year", about, by_month.get(year.year, ZERO), year.own_share)
        )
        checks.append(
            _check(
                "portfolio-own-share-kinds",
                about,
                year.own_share,
                year.consumptive + year.investive,
            )
        )
        checks.append(
            _check("portfolio-own-share-cash", about, year.own_share, year.cash + year.in_kind)
        )
        checks.append(
            _check(
                "portfolio-own-share-products",
                about,
                year.own_share,
                product_sums.get(year.year, ZERO),
            )
        )
    for month in prefinancing:
        checks.append(
            _check(
                "portfolio-prefinancing",
                Subject("month", month.month.isoformat()[:7]),
                by_month_prefinanced.get(month.month, ZERO) + sum(month.continued.values(), ZERO),
                month.total,
            )
        )
    for grant in portfolio.grants:
        failures = len(reports[grant.key].reconciliation.failures)
        checks.append(
            _check(
                "portfolio-grant-reconciled",
                Subject("grant", grant.key),
                ZERO,
                Decimal(failures),
                unit="count",
            )
        )
    checks.append(
        _check(
            "portfolio-grants-evaluated",
            Subject("portfolio"),
            Decimal(len(portfolio.grants)),
            Decimal(sum(1 for g in portfolio.grants if g.key in reports)),
            unit="count",
        )
    )
    failed = tuple(c for c in checks if not c.ok)
    return Reconciliation(checks=tuple(checks), ok=not failed, failures=failed)
