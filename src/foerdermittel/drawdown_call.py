"""The document of one call of grant money (Mittelabruf), read from the report.

A city that calls grant money hands in, with each call, what the money is for: the period the
call covers, what was spent in it per budget line, how the spending is financed (grant, third
parties, own funds), the amount requested and where the grant stands. [`call_document`]
[foerdermittel.drawdown_call.call_document] puts those figures together for one call of the
drawdown plan ([`Report.drawdowns`][foerdermittel.report.Report]); the renderers
(``export/call_text.py``, ``export/excel/call_sheet.py``) only lay them out.

**Numbering.** The calls are numbered 1, 2, 3, … in the order of ``report.drawdowns.calls``:
every call of the grant, recorded payouts and planned calls alike, by date, calls on the same
day in phase order. The numbers are those of the report: another key date (more payouts
recorded, other planned days) can number the planned calls differently. ``next=True`` takes
the first *planned* call dated after the key date.

**Expenditure of the period.** Per budget line of the call's phase, the expenditure from
``covers_from`` to ``covers_to``, taken from the report's forecast
([`Report.forecast`][foerdermittel.report.Report]), the same figures the drawdown plan
computed the call from: months that ended by the forecast's cut-off are *booked* — the
eligible amounts of the vouchers that count, paid in that month (net where input tax is
deductible; a flat-rate line its rate times its base) —, later months are *projected* (the
forecast). A month the period covers only in part counts with its days in the period, spread
evenly and rounded down to the cent, as the drawdown plan counts it.

**Funds of the period.** The period's expenditure splits into the grant's share (the phase's
entitlement for the expenditure covered up to the period's end, less that up to its start:
pro rata, or under Fehlbedarfsfinanzierung after own and other funds — ANBest-Gk Nr. 1.3,
ANBest-P Nr. 1.4), the share of third-party and other public money (pro rata of the financing
plan, under Fehlbedarfsfinanzierung first), and the own funds, the rest — the same split as the
Eigenanteil sheet. The income entries the case records (``Case.income``) received in the period
are listed beside it as booked. The amount requested is the call's amount; where it differs
from the grant's share (money not called before, a call pooled under the minimum, an
instalment limit, the withheld final instalment), the difference is shown with the call's
remark.

**Running totals.** Per phase: the grant approved, what the calls numbered before this one
called, this call, the calls after it, and the balance still open after this call. They add
up: before + this + after = the phase's calls, approved − before − this = the balance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from foerdermittel import fmt
from foerdermittel.drawdowns import Call
from foerdermittel.drawdowns.entitlements import _covered, _entitlement
from foerdermittel.errors import ArgumentError, ArgumentTypeError, NotFoundError
from foerdermittel.forecasting import month_end
from foerdermittel.message_types import NOTHING, MessageField, Worded, optional_words
from foerdermittel.model.grant import FinancingType, Phase
from foerdermittel.model.records import Income
from foerdermittel.money import ZERO, floor_cents
from foerdermittel.report import Report
from foerdermittel.rules.model import DrawdownRule

__all__ = [
    "CallDocument",
    "CallFunds",
    "CallLine",
    "CallNotFoundError",
    "CallPhaseTotals",
    "call_document",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CallNotFoundError(NotFoundError):
    r"""Mittelabruf nicht gefunden — no call of that number, or none planned after the key date.

    The message lists the plan's calls: number, day, amount.

    Attributes:
        calls: every call of the plan as ``(number, day, amount)``.
        as_of: the key date, where the next call after it was asked for (else ``None``).

    Examples:
        >>> err = CallNotFoundError(3, [(1, date(2025, 1, 20), Decimal("1000.00"))])
        >>> str(err).split("; ")
        ['Mittelabruf Nr. 3 nicht gefunden', 'vorhanden: Nr. 1 vom 20.01.2025 über 1.000,00\xa0€']
        >>> isinstance(err, KeyError), err.calls[0][0]
        (True, 1)
    """

    def __init__(
        self,
        key: int | None,
        calls: Iterable[tuple[int, date, Decimal]],
        as_of: date | None = None,
    ) -> None:
        self.calls = tuple(calls)
        self.as_of = as_of
        super().__init__("Mittelabruf", key, known=self.calls)

    def __str__(self) -> str:
        if self.as_of is not None:
            text = f"kein geplanter Mittelabruf nach dem Stichtag {fmt.date(self.as_of)}"
        else:
            text = f"Mittelabruf Nr. {self.key} nicht gefunden"
        if not self.calls:
            return text + "; der Mittelabrufplan hat keine Abrufe"
        listed = ", ".join(
            f"Nr. {n} vom {fmt.date(day)} über {fmt.money(amount)}" for n, day, amount in self.calls
        )
        return f"{text}; vorhanden: {listed}"

    def __reduce__(self) -> tuple[type[CallNotFoundError], tuple[object, ...]]:  # type: ignore[override]
        return type(self), (self.key, self.calls, self.as_of)


class CallLine(_Frozen):
    """The expenditure of one budget line in the call's period.

    Attributes:
        line: the line's id.
        title: the line's title.
        group: the line's group in the plan (Leitthema), or ``None``.
        booked: the eligible amounts booked for the period (months ended by the cut-off).
        projected: the forecast for the rest of the period (0 where all of it is booked).
    """

    line: str
    title: str
    group: str | None
    booked: Decimal
    projected: Decimal

    @property
    def amount(self) -> Decimal:
        """The line's expenditure in the period: booked plus projected."""
        return self.booked + self.projected


class CallFunds(_Frozen):
    """How the period's expenditure is financed, and the income booked in it.

    Attributes:
        expenditure: the phase's expenditure in the period (the sum of the lines).
        grant_share: the grant's share of it (the entitlement's growth over the period).
        third_party_share: the share of third-party and other public money (financing plan).
        own_share: the own funds: expenditure − grant share − third-party share.
        income_booked: third-party and other public income recorded as received in the period
            for the phase (``Case.income``; entries without a phase count where the grant has
            one phase only).
        income_count: how many income entries that is.
    """

    expenditure: Decimal
    grant_share: Decimal
    third_party_share: Decimal
    own_share: Decimal
    income_booked: Decimal = ZERO
    income_count: int = 0


class CallPhaseTotals(_Frozen):
    """Where one phase's grant stands with this call.

    Attributes:
        phase: the phase.
        approved: the phase's grant (Zuwendung laut Bescheid, as amended and capped).
        before: the phase's calls numbered before this call.
        this_call: this call's amount (0 for the other phases).
        after: the phase's calls numbered after this call.
        remaining: the grant still open after this call: approved − before − this call.
    """

    phase: str
    approved: Decimal
    before: Decimal
    this_call: Decimal
    after: Decimal

    @property
    def remaining(self) -> Decimal:
        """The grant still open after this call: approved − before − this call."""
        return self.approved - self.before - self.this_call

    @property
    def called(self) -> Decimal:
        """Every call of the phase: before + this call + after."""
        return self.before + self.this_call + self.after


class CallDocument(Worded):
    """Mittelabruf — the document of one call: period, spending, financing, request, totals.

    Attributes:
        number: the call's number (1-based, in the plan's order: by date, then phase).
        count: how many calls the plan has.
        call: the call as the drawdown plan has it (day, phase, amount, covered period, kind,
            cumulative, entitlement, withheld, remark, pooled calls).
        title: the case's title.
        grant_id: the grant's id (file number).
        phase_title: the title of the call's phase.
        as_of: the key date of the report.
        cut_off: the day up to which booked figures replace the forecast (``None``: none do).
        lines: the expenditure per budget line of the call's phase, in plan order.
        funds: the period's expenditure split into grant, third-party and own funds.
        vouchers: the vouchers that count for the phase, paid in the period's booked months.
        phases: the running totals of every phase, in the grant's order.
        rule: the drawdown rule in force.
        basis: the legal basis of the drawdown mode as the plan's header cites it
            ([`Report.drawdown_basis`][foerdermittel.report.Report]: the rule's source and
            the decision's overrides).
    """

    number: int
    count: int
    call: Call
    title: str | None
    grant_id: str
    phase_title: str
    as_of: date
    cut_off: date | None
    lines: tuple[CallLine, ...]
    funds: CallFunds
    vouchers: int
    phases: tuple[CallPhaseTotals, ...]
    rule: DrawdownRule
    basis: MessageField = NOTHING

    @property
    def amount(self) -> Decimal:
        """The amount requested: the call's amount in the drawdown plan."""
        return self.call.amount

    @property
    def booked(self) -> Decimal:
        """The booked part of the period's expenditure."""
        return sum((line.booked for line in self.lines), ZERO)

    @property
    def projected_amount(self) -> Decimal:
        """The projected part of the period's expenditure (0 where all of it is booked)."""
        return sum((line.projected for line in self.lines), ZERO)

    @property
    def projected(self) -> bool:
        """Whether any figure of the period is a forecast (not yet booked)."""
        return self.cut_off is None or self.call.covers_to > self.cut_off

    @property
    def difference(self) -> Decimal:
        """The amount requested less the grant's share of the period's expenditure."""
        return self.call.amount - self.funds.grant_share

    @property
    def approved(self) -> Decimal:
        """The grant approved, all phases."""
        return sum((p.approved for p in self.phases), ZERO)

    @property
    def before(self) -> Decimal:
        """Called by the calls numbered before this one, all phases."""
        return sum((p.before for p in self.phases), ZERO)

    @property
    def after(self) -> Decimal:
        """Called by the calls numbered after this one, all phases."""
        return sum((p.after for p in self.phases), ZERO)

    @property
    def remaining(self) -> Decimal:
        """The grant still open after this call, all phases."""
        return sum((p.remaining for p in self.phases), ZERO)

    def _words_in(self, lang: str) -> dict[str, str | None]:
        return {"basis_text": optional_words(self.basis, lang)}


def _number(report: Report, number: int | None, *, next: bool) -> int:
    calls = report.drawdowns.calls
    listed = [(n, c.on, c.amount) for n, c in enumerate(calls, 1)]
    if next:
        for n, call in enumerate(calls, 1):
            if call.kind == "planned" and call.on > report.as_of:
                return n
        raise CallNotFoundError(None, listed, as_of=report.as_of)
    if number is None:
        raise ArgumentError(
            "call_document", "number", None, "eine Abrufnummer angeben (oder next=True)"
        )
    if isinstance(number, bool) or not isinstance(number, int):
        raise ArgumentTypeError("call_document", "number", number, "keine ganze Zahl")
    if not 1 <= number <= len(calls):
        raise CallNotFoundError(number, listed)
    return number


def _phase(report: Report, phase_id: str) -> Phase:
    """The grant's phase of that id (every call belongs to one)."""
    for phase in report.grant.phases:
        if phase.id == phase_id:
            return phase
    raise NotFoundError("Phase", phase_id, known=(p.id for p in report.grant.phases))


def _spread(
    months: dict[date, Decimal], start: date, end: date, first: date, last: date
) -> Decimal:
    """The months' amounts from ``first`` to ``last``, a month in part by its days."""
    upto = _covered(months, start, end)
    return upto(last) - upto(first - timedelta(days=1))


def call_document(
    report: Report,
    number: int | None = None,
    *,
    next: bool = False,  # the CLI's --next; shadows the builtin here
    income: Sequence[Income] = (),
) -> CallDocument:
    """The document of one call of the drawdown plan (Mittelabruf).

    Args:
        report: the evaluated case.
        number: the call's number: 1 for the first call of ``report.drawdowns.calls`` (by
            date, then phase; recorded payouts and planned calls alike).
        next: take the first planned call after the key date instead of ``number``.
        income: the case's income entries (``Case.income``) to list the third-party money
            booked in the period; without them that figure is 0.

    Returns:
        The call's period, expenditure per line (booked and projected), its financing, the
        amount requested, the running totals per phase and the drawdown rule's basis.

    Raises:
        CallNotFoundError: (a ``NotFoundError``, ``KeyError``) no call of that number, or no
            planned call after the key date; the message lists the calls.
        ArgumentError: (a ``ValueError``) neither ``number`` nor ``next``, or both;
            ``ArgumentTypeError`` (also a ``TypeError``) for a number that is no integer.

    Examples:
        >>> from datetime import date
        >>> from foerdermittel import evaluate, load_case
        >>> report = evaluate(load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30))
        >>> doc = call_document(report, next=True)
        >>> doc.number, doc.call.phase, doc.amount, doc.call.covers_from, doc.call.covers_to
        (9, 'B', Decimal('1405056.35'), datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
        >>> doc.phases[1].before + doc.amount + doc.phases[1].after == doc.phases[1].approved
        True
    """
    if next and number is not None:
        raise ArgumentError(
            "call_document", "next", next, "entweder eine Abrufnummer oder next=True, nicht beides"
        )
    n = _number(report, number, next=next)
    call = report.drawdowns.calls[n - 1]
    phase = call.phase
    grant_phase = _phase(report, phase)
    cut = report.forecast.cut_off
    first, last = call.covers_from, call.covers_to
    plan_lines = {line.id: line for line in report.plan.lines}
    lines: list[CallLine] = []
    phase_months: dict[date, Decimal] = {}
    for lf in report.forecast.lines:
        if lf.phase != phase:
            continue
        for m in lf.months:
            phase_months[m.month] = phase_months.get(m.month, ZERO) + m.forecast
    span_end = max([grant_phase.end, *phase_months]) if phase_months else grant_phase.end
    for lf in report.forecast.lines:
        if lf.phase != phase:
            continue
        booked = {m.month: m.forecast for m in lf.months if m.actual is not None}
        ahead = {m.month: m.forecast for m in lf.months if m.actual is None}
        line = plan_lines[lf.line]
        lines.append(
            CallLine(
                line=lf.line,
                title=line.title,
                group=line.group,
                booked=_spread(booked, grant_phase.start, span_end, first, last),
                projected=_spread(ahead, grant_phase.start, span_end, first, last),
            )
        )
    funds = _funds(report, call, phase_months, grant_phase.start, span_end, income)
    vouchers = sum(
        1
        for v in report.proof_of_use.vouchers
        if plan_lines.get(v.line) is not None
        and plan_lines[v.line].phase == phase
        and first <= v.paid_on <= last
        and cut is not None
        and month_end(v.paid_on) <= cut
    )
    return CallDocument(
        number=n,
        count=len(report.drawdowns.calls),
        call=call,
        title=report.title,
        grant_id=report.grant.id,
        phase_title=grant_phase.title,
        as_of=report.as_of,
        cut_off=cut,
        lines=tuple(lines),
        funds=funds,
        vouchers=vouchers,
        phases=_totals(report, n),
        rule=report.drawdowns.rule,
        basis=report.drawdown_basis,
    )


def _funds(
    report: Report,
    call: Call,
    months: dict[date, Decimal],
    start: date,
    end: date,
    income: Sequence[Income],
) -> CallFunds:
    """The period's expenditure split as the Eigenanteil sheet splits it, and income booked."""
    pf = report.financing.phase(call.phase)
    upto = _covered(months, start, end)
    before = upto(call.covers_from - timedelta(days=1))
    through = upto(call.covers_to)
    cover = pf.third_party + pf.other_public
    fehlbedarf = report.financing.financing_type is FinancingType.FEHLBEDARF
    first_funds = pf.own_funds_planned + cover

    def grant_upto(covered: Decimal) -> Decimal:
        return _entitlement(
            report.financing.financing_type,
            grant=pf.grant,
            eligible=pf.eligible_expenditure,
            covered=covered,
            own_and_cover=first_funds,
        )

    def cover_upto(covered: Decimal) -> Decimal:
        if cover <= 0 or covered <= 0:
            return ZERO
        if fehlbedarf:
            return floor_cents(cover * min(covered, first_funds) / first_funds)
        if pf.eligible_expenditure > 0:
            return min(cover, floor_cents(cover * covered / pf.eligible_expenditure))
        return ZERO

    expenditure = through - before
    grant_share = grant_upto(through) - grant_upto(before)
    third = cover_upto(through) - cover_upto(before)
    single = len(report.grant.phases) == 1
    received = [
        i
        for i in income
        if (i.phase == call.phase or (i.phase is None and single))
        and call.covers_from <= i.received_on <= min(call.covers_to, report.as_of)
    ]
    return CallFunds(
        expenditure=expenditure,
        grant_share=grant_share,
        third_party_share=third,
        own_share=expenditure - grant_share - third,
        income_booked=sum((i.amount for i in received), ZERO),
        income_count=len(received),
    )


def _totals(report: Report, number: int) -> tuple[CallPhaseTotals, ...]:
    calls = report.drawdowns.calls
    rows = []
    for pd in report.drawdowns.phases:
        mine = [(n, c) for n, c in enumerate(calls, 1) if c.phase == pd.phase]
        rows.append(
            CallPhaseTotals(
                phase=pd.phase,
                approved=pd.grant,
                before=sum((c.amount for n, c in mine if n < number), ZERO),
                this_call=sum((c.amount for n, c in mine if n == number), ZERO),
                after=sum((c.amount for n, c in mine if n > number), ZERO),
            )
        )
    return tuple(rows)
