"""The portfolio's results: figures across grants, as typed frozen values for the renderers.

Every figure here is a sum of the grants' own figures, as each grant's
[`Report`][foerdermittel.report.Report] has them; nothing of a grant's arithmetic is done
again. Renderers (text, workbook, calendar, JSON, frames) read these types and compute
nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from foerdermittel.deadlines import Deadline
from foerdermittel.errors import Finding, NotFoundError, Severity
from foerdermittel.frozen import ReadOnlyMap
from foerdermittel.model.records import Expenditure
from foerdermittel.portfolio.model import (
    AppropriationBasis,
    AppropriationCover,
    BudgetAssignment,
    BudgetKind,
    City,
    Owner,
)
from foerdermittel.reconciliation import Reconciliation
from foerdermittel.report import Report
from foerdermittel.views import Viewable

__all__ = [
    "DoubleClaim",
    "GrantControlling",
    "GrantInfo",
    "PortfolioDeadline",
    "PortfolioReport",
    "PortfolioYear",
    "PrefinancingMonth",
    "ProductYear",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GrantInfo(_Frozen):
    """One grant of the portfolio as its views name it.

    Attributes:
        key: the grant's key in the portfolio, its grant id (Aktenzeichen).
        file: the case file as the portfolio names it.
        title: the case's title.
        recipient: the recipient the decision names.
        programme: the programme call (registry id), where the grant has one.
        owner: who is in charge.
        budget: where its own share sits in the budget.
    """

    key: str
    file: str
    title: str | None
    recipient: str
    programme: str | None
    owner: Owner
    budget: BudgetAssignment


class PortfolioYear(_Frozen):
    """Eigenanteil im Haushaltsjahr — the own share of all grants in one budget year.

    Each figure is the sum of the grants' ``own_share.years`` of the year (the grant's
    [`OwnShareYear`][foerdermittel.own_share_plan.OwnShareYear]), to the cent.

    Attributes:
        year: the budget year.
        own_share: the own share of all grants.
        cash: its cash part (own share less in-kind own share).
        in_kind: its in-kind part: own staff (Eigenleistung).
        consumptive: the own share of the grants assigned to the Ergebnisplan.
        investive: the own share of the grants assigned to the Finanzplan (investments).
        ineligible: planned expenditure that is not eligible, which the city carries on top.
        grants: the own share per grant (key), for the grants with a figure in the year.
        appropriation: the own share appropriated for the year, where the portfolio gives it.
        basis: whether the appropriation stands in the Haushaltsplan or the Finanzplanung.
        compared: the figure compared with the appropriation: ``own_share``, or ``cash`` or
            ``own_share + ineligible`` where the portfolio's ``appropriations_cover`` says so.
        excess: how far ``compared`` exceeds the appropriation (0 where it does not, or
            where there is no appropriation).
    """

    year: int
    own_share: Decimal
    cash: Decimal
    in_kind: Decimal
    consumptive: Decimal
    investive: Decimal
    ineligible: Decimal
    grants: ReadOnlyMap[str, Decimal]
    appropriation: Decimal | None
    basis: AppropriationBasis | None
    compared: Decimal
    excess: Decimal


class ProductYear(_Frozen):
    """Eigenanteil je Produkt — the own share of the grants assigned to one product in a year.

    Attributes:
        product: the budget product.
        year: the budget year.
        own_share: the own share of its grants in the year.
        cash: its cash part.
        in_kind: its in-kind part.
        consumptive: the part of the grants assigned as consumptive.
        investive: the part of the grants assigned as investive.
        ineligible: planned expenditure that is not eligible, which the city carries on top.
        grants: the own share per grant (key).
        appropriation: the own share appropriated for the product in the year, where given.
        basis: whether it stands in the Haushaltsplan or the Finanzplanung (``None``
            without an appropriation).
        compared: the figure compared with the appropriation (as for the year).
        excess: how far ``compared`` exceeds the appropriation (0 where it does not).
    """

    product: str
    year: int
    own_share: Decimal
    cash: Decimal
    in_kind: Decimal
    consumptive: Decimal
    investive: Decimal
    ineligible: Decimal
    grants: ReadOnlyMap[str, Decimal]
    appropriation: Decimal | None
    basis: AppropriationBasis | None
    compared: Decimal
    excess: Decimal


class PrefinancingMonth(_Frozen):
    """Vorfinanzierung — at a month's end, grant money spent and not yet received, all grants.

    A grant's figure is its own share plan's ``prefinanced`` (the grant's share of the
    expenditure so far less the calls received by the month's end). The grant's plan runs
    over the months of expenditure of its phases; after a phase's last month of expenditure
    its pre-financing goes on by the same definition — the phase's grant share (its
    ``own_share.phases`` summed) less the phase's calls received by each month's end — until
    the phase's last call (the final instalment after the proof of use) covers it. That part
    is ``continued``: the grant's own monthly plan does not show it.

    Attributes:
        month: the first day of the month.
        total: pre-financed money of all grants at the month's end.
        grants: per grant (key), those with money pre-financed in the month.
        continued: per grant, the part of ``grants`` from phases whose expenditure has ended
            and whose final call is still to come.
    """

    month: date
    total: Decimal
    grants: ReadOnlyMap[str, Decimal]
    continued: ReadOnlyMap[str, Decimal]


class PortfolioDeadline(_Frozen):
    """A deadline of one grant, in the portfolio's one list.

    Attributes:
        grant: the grant's key.
        owner: who is in charge of it.
        deadline: the deadline as the grant's report has it (status on the key date).
    """

    grant: str
    owner: Owner
    deadline: Deadline


class GrantControlling(_Frozen):
    """Controlling — how one grant's money stands: approved, called, spent, at risk.

    Attributes:
        grant: the grant's key.
        approved: the grant approved (the decision as amended).
        eligible_expenditure: the eligible expenditure approved.
        spent: eligible expenditure booked (the proof of use's lines, actual).
        called: grant money received: the recorded payouts.
        planned_calls: calls still planned after the key date.
        uncalled: approved less received (``approved − called``).
        not_called_forecast: what stays uncalled at the end on the forecast (spending short
            of the plan, lapsed annual instalments).
        called_rate: ``called / approved`` (four places, half up); ``None`` without a grant.
        spent_rate: ``spent / eligible_expenditure``; ``None`` without eligible expenditure.
        prefinanced: grant money spent and not received at the end of the key date's month.
        lapsed: annual instalments (Jahresraten) not called and lapsed, by the drawdown plan's
            findings ``annual-instalment-lapsed``.
        carried: annual instalments not called and carried into the next year
            (``annual-instalment-carried``).
        refund: refunds of the proof of use (Erstattung, ANBest Nr. 8).
        refund_interest: interest on the refunds (§ 49a Abs. 3 VwVfG).
        late_use_interest: interest on money not used in time (§ 49a Abs. 4 VwVfG).
        interest_complete: whether every interest figure could be computed.
        projected: the proof-of-use figures hold a projection (a phase still runs).
        errors: the grant's findings of severity error.
        warnings: the grant's findings of severity warning.
        reconciled: the grant's own reconciliation holds.
    """

    grant: str
    approved: Decimal
    eligible_expenditure: Decimal
    spent: Decimal
    called: Decimal
    planned_calls: Decimal
    uncalled: Decimal
    not_called_forecast: Decimal
    called_rate: Decimal | None
    spent_rate: Decimal | None
    prefinanced: Decimal
    lapsed: Decimal
    carried: Decimal
    refund: Decimal
    refund_interest: Decimal
    late_use_interest: Decimal
    interest_complete: bool
    projected: bool
    errors: int
    warnings: int
    reconciled: bool

    @computed_field  # type: ignore[prop-decorator]
    @property
    def refund_at_risk(self) -> Decimal:
        """Refund, its interest and the interest on late use: what may have to be paid back."""
        return self.refund + self.refund_interest + self.late_use_interest


MatchedOn = Literal["invoice", "invoice-split", "voucher"]
"""The kinds of key two vouchers of different grants can agree on: ``invoice`` — invoice number
and payee, the same amount; ``invoice-split`` — invoice number and payee with different amounts
(a split to check, not a double claim); ``voucher`` — voucher number, payee, payment date and
amount (see [`KEY_KINDS`][foerdermittel.portfolio.claims.KEY_KINDS])."""


class DoubleClaim(_Frozen):
    """Doppelförderung — one voucher in the ledgers of two grants.

    A voucher in more than two grants gives one claim for each grant after the first, paired
    with the first.

    Attributes:
        grant: the grant that lists it first (in the portfolio's order).
        voucher: the voucher as that grant's case has it.
        other_grant: the other grant.
        other_voucher: the voucher as the other grant's case has it.
        matched_on: what made them the same voucher: ``invoice`` — invoice number and payee
            (same amount); ``invoice-split`` — the same invoice with different amounts, a split
            to check rather than a double claim; ``voucher`` — voucher number, payee, payment
            date and amount.
    """

    grant: str
    voucher: Expenditure
    other_grant: str
    other_voucher: Expenditure
    matched_on: MatchedOn


class PortfolioReport(_Frozen, Viewable):
    """Portfoliobericht — all grants of a city evaluated on one key date, and their sums.

    Every grant's report is kept unchanged in ``reports``; the figures across grants are sums
    of those reports' figures. A portfolio whose grants could not all be evaluated has no
    report: [`evaluate_portfolio`][foerdermittel.portfolio.evaluate_portfolio] raises instead.

    Attributes:
        title: the portfolio's title.
        city: the city.
        as_of: the key date.
        appropriations_cover: what the appropriations are compared with (``own_share``,
            ``cash`` or ``burden``).
        grants: the grants, in the portfolio's order.
        reports: each grant's report, by key.
        years: the own share per budget year across grants, with the appropriation.
        products: the own share per product and budget year, with the appropriation.
        prefinancing: pre-financed money per month across grants.
        deadlines: every grant's deadlines in one list, by date.
        controlling: the controlling figures per grant, in the portfolio's order.
        double_claims: vouchers found in the ledgers of two grants.
        reconciliation: the portfolio's Abstimmung: its sums against the grants' figures.
        findings: the portfolio's findings (across grants), errors first; each grant's own
            findings are in its report.

    Examples:
        >>> from datetime import date
        >>> from foerdermittel import evaluate_portfolio, load_portfolio
        >>> report = evaluate_portfolio(load_portfolio("examples/portfolio/portfolio.toml"),
        ...                             date(2025, 6, 30))
        >>> year = report.years[-3]
        >>> year.year, year.own_share, year.appropriation, year.excess
        (2025, Decimal('2067585.32'), Decimal('1950000.00'), Decimal('117585.32'))
        >>> due = next(d for d in report.deadlines if d.deadline.status == "open")
        >>> due.grant, due.deadline.end
        ('MPSC-2021-BO (illustrativ)', datetime.date(2026, 9, 30))
        >>> due.owner.office
        'Stabsstelle Digitalisierung und Smart City'
    """

    title: str | None
    city: City
    as_of: date
    appropriations_cover: AppropriationCover
    grants: tuple[GrantInfo, ...]
    reports: ReadOnlyMap[str, Report]
    years: tuple[PortfolioYear, ...]
    products: tuple[ProductYear, ...]
    prefinancing: tuple[PrefinancingMonth, ...]
    deadlines: tuple[PortfolioDeadline, ...]
    controlling: tuple[GrantControlling, ...]
    double_claims: tuple[DoubleClaim, ...]
    reconciliation: Reconciliation
    findings: tuple[Finding, ...]

    @property
    def own_share_by_year(self) -> dict[int, Decimal]:
        """The own share of all grants per budget year."""
        return {y.year: y.own_share for y in self.years}

    @property
    def own_share_by_product(self) -> dict[tuple[str, int], Decimal]:
        """The own share per (product, budget year)."""
        return {(p.product, p.year): p.own_share for p in self.products}

    def own_share_by_kind(self, kind: BudgetKind) -> dict[int, Decimal]:
        """The own share per budget year of the grants assigned consumptive or investive."""
        if kind is BudgetKind.CONSUMPTIVE:
            return {y.year: y.consumptive for y in self.years}
        return {y.year: y.investive for y in self.years}

    def grant(self, key: str) -> GrantInfo:
        """The grant with the key ``key``.

        Raises:
            NotFoundError: no grant has that key.
        """
        for item in self.grants:
            if item.key == key:
                return item
        raise NotFoundError("Förderfall", key, [g.key for g in self.grants])

    @property
    def has_errors(self) -> bool:
        """Whether the portfolio or one of its grants has a finding of severity error."""
        return any(f.severity is Severity.ERROR for f in self.findings) or any(
            report.has_errors for report in self.reports.values()
        )

    def to_json(self, *, indent: int | None = 2, lang: str = "de") -> str:
        """The portfolio report as JSON (amounts as strings), the grants' reports included."""
        return self.model_dump_json(indent=indent, context={"lang": lang})
