"""Abstimmung — every report checks its own figures against each other.

Each check compares two figures that must agree (or one that must not exceed the other) and
records both and their difference, to the cent: there is no rounding slack. Where a rounding
rule of the law or of the library decides a cent, the check recomputes the figure under that
rule instead of allowing a tolerance (interest: the segments are summed exactly and the total
rounded once, half up).

The checks:

* ``financing-parts`` — per phase: grant + own share + third-party + other public money =
  eligible expenditure (VV Nr. 2 zu § 44 BHO);
* ``financing-year`` — per phase and budget year of the own-share plan: grant share +
  third-party share + own share = the year's forecast expenditure;
* ``forecast-line`` — per budget line: forecast = what is booked + what remains of the plan
  (with ``forecast_catch_up``: the plan's remainder less what no month can take; without it:
  the planned amounts of the months not yet past);
* ``calls-within-grant`` — per phase: recorded and planned calls ≤ the phase's grant;
* ``calls-final-grant`` — per phase whose final account is no longer a projection: calls less
  the refund = the final grant (ANBest Nr. 2);
* ``own-share-phase`` — per phase: the own share of its budget years = forecast expenditure −
  the grant's entitlement for it − the third-party money used for it;
* ``own-share-years`` — the own share of all budget years = the sum over the phases;
* ``vouchers-total`` — every recorded voucher = counted + excluded + paid after the key date;
* ``vouchers-lines`` — the lines' eligible actuals = the eligible amounts of the Belegliste
  (flat-rate lines apart: they have no vouchers);
* ``flat-rate-line`` — per flat-rate line (Pauschale): its eligible actual = its rate × the
  eligible actuals of its base lines, rounded down to the cent;
* ``income-planned``, ``income-actual``, ``income-sources``, ``income-grant`` — the income
  block of the proof of use: planned total = eligible expenditure, actual total = the booked
  eligible expenditure it finances (the Deckung), third-party row = the plan's sources, grant
  row = the final grant of ended phases plus the payouts of running ones;
* ``interest-late-use``, ``interest-refund`` — per payout and per phase: interest = its segments
  (principal × rate × days / year basis, summed exactly, rounded once half up);
  ``interest-late-use-total``, ``interest-refund-total`` — the totals = the parts;
* ``call-periods-gap``, ``call-periods-overlap`` — per phase: the expenditure windows the
  calls cover tile the approval period, without a day left out or covered twice (in days).

A check that does not hold becomes an error finding ``reconciliation-failed``: it means a
defect or inconsistent input.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
)

from foerdermittel.drawdowns import DrawdownPlan, call_tiling, phase_entitlement
from foerdermittel.errors import Finding, NotFoundError, Severity
from foerdermittel.financing import Financing
from foerdermittel.flat_rates import flat_rate_amount
from foerdermittel.forecasting import Forecast
from foerdermittel.frozen import built
from foerdermittel.interest import InterestResult
from foerdermittel.late_use import LateUseInterest
from foerdermittel.message_types import (
    NOTHING,
    Message,
    Param,
    Subject,
    Worded,
    message_json,
    optional_words,
    subject_json,
    words,
)
from foerdermittel.model.case import Case
from foerdermittel.model.grant import FinancingType
from foerdermittel.model.plan import SourceKind
from foerdermittel.model.voucher_columns import VoucherColumns
from foerdermittel.money import ZERO, floor_cents
from foerdermittel.own_share_plan import OwnSharePlan
from foerdermittel.proof import ProofOfUse

__all__ = ["Check", "Reconciliation", "reconcile", "reconciliation_findings"]

NO_RULE = "Abstimmung"
"""The legal reference of a check whose figures follow no rule of law, only the arithmetic."""

_PARTS_RULE = "VV Nr. 2 zu § 44 BHO (Finanzierungsarten, Gesamtfinanzierung)"
_PRO_RATA_RULE = (
    "ANBest-Gk Nr. 1.3 / ANBest-P Nr. 1.4 (anteiliger Einsatz der Eigen- und Drittmittel)"
)
_PROOF_RULE = "ANBest Nr. 6 (zahlenmäßiger Nachweis, Belegliste)"
_FINAL_RULE = "ANBest Nr. 2 (Ermäßigung), Nr. 8 (Erstattung)"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Check(Worded):
    """Abstimmungsprüfung — one reconciliation check: two figures and their difference.

    A check carries data, not words: what it is about as a
    [`Subject`][foerdermittel.message_types.Subject], what it compares as a
    [`Message`][foerdermittel.message_types.Message] (key ``check.title.<name>``), how the
    figures are formed as another. ``subject``, ``title``, ``note`` and ``message`` give the
    German words.

    Attributes:
        name: a stable code such as ``financing-parts``; tests and scripts key on it.
        about: what it is about, e.g. ``Subject("phase", "A")`` or ``Subject("line", "B-1.1")``.
        year: the budget year within ``about`` where the check is about one year of it
            (``financing-year``), else ``None``.
        what: what is compared (without the subject).
        expected: the figure the other one must match (or not exceed).
        actual: the figure checked.
        difference: ``actual − expected``.
        relation: ``eq`` (must be equal) or ``le`` (``actual`` must not exceed ``expected``).
        unit: ``EUR`` for amounts, ``days`` for day counts, ``count`` for numbers of things
            (a portfolio's grants, a grant's failed checks).
        ok: whether the check holds.
        legal_reference: the rule the figures follow; ``Abstimmung`` where none does.
        how: how the figures are formed, where ``what`` does not say it
            ([`NOTHING`][foerdermittel.message_types.NOTHING] where nothing is to add).
    """

    name: str
    about: Annotated[Subject, PlainSerializer(subject_json)]
    year: int | None = None
    what: Annotated[Message, PlainSerializer(message_json)]
    expected: Decimal
    actual: Decimal
    difference: Decimal
    relation: Literal["eq", "le"] = "eq"
    unit: Literal["EUR", "days", "count"] = "EUR"
    ok: bool
    legal_reference: str = NO_RULE
    how: Annotated[Message, PlainSerializer(message_json)] = NOTHING

    @property
    def place(self) -> Message | Subject:
        """What the check is about, with its budget year where it has one."""
        if self.year is None:
            return self.about
        return Message.of("check.in-year", about=self.about, year=Subject("year", str(self.year)))

    @property
    def text(self) -> Message:
        """The failure as a message: what is compared, both figures and the difference."""
        return Message.of("check.failed", **self._figures())

    def _figures(self) -> dict[str, Param]:
        return {
            "what": self.what,
            "bound": Message.of("check.at-most") if self.relation == "le" else NOTHING,
            "expected": self._figure(self.expected),
            "actual": self._figure(self.actual),
            "difference": self._figure(self.difference),
            "how": Message.of("check.note", how=self.how) if self.how.key else NOTHING,
        }

    def _figure(self, value: Decimal) -> Message:
        if self.unit == "days":
            return Message.of("check.days", count=int(value))
        if self.unit == "count":
            return Message.of("check.count", count=int(value))
        return Message.of("check.money", amount=value)

    def figure(self, value: Decimal) -> str:
        """A figure in German (``12 Tage``); renderers use foerdermittel.messages."""
        return words(self._figure(value))

    @property
    def subject(self) -> str:
        """What it is about, in German; renderers use foerdermittel.messages."""
        return words(self.place)

    @property
    def title(self) -> str:
        """What is compared, in German; renderers use foerdermittel.messages."""
        return words(self.what)

    @property
    def note(self) -> str | None:
        """How the figures are formed, German; renderers use foerdermittel.messages."""
        return words(self.how) if self.how.key else None

    @property
    def message(self) -> str:
        """The failure in German; renderers use foerdermittel.messages."""
        return words(self.text)

    def _words_in(self, lang: str) -> dict[str, str | None]:
        return {
            "subject": words(self.place, lang),
            "title": words(self.what, lang),
            "note": optional_words(self.how, lang),
        }


class Reconciliation(_Frozen):
    """Abstimmung — all checks of a report.

    Attributes:
        checks: every check, in a fixed order.
        ok: whether every check holds.
        failures: the checks that do not hold.
    """

    checks: tuple[Check, ...]
    ok: bool
    failures: tuple[Check, ...]

    def check(self, name: str, about: Subject | str, year: int | None = None) -> Check:
        """The check ``name`` about ``about`` (and, for ``financing-year``, the ``year``).

        ``about`` is a [`Subject`][foerdermittel.message_types.Subject]; the German words of the
        subject (``"Phase A"``, ``"Phase B, Haushaltsjahr 2023"``) are accepted too
        (deprecated).

        Raises:
            NotFoundError: no such check (a ``KeyError`` with ``(name, about)``).
        """
        for item in self.checks:
            if item.name != name:
                continue
            if isinstance(about, str):
                if item.subject == about:
                    return item
            elif item.about == about and item.year == year:
                return item
        raise NotFoundError("Abstimmung (Name, Gegenstand)", (name, about))


def _check(
    name: str,
    about: Subject,
    expected: Decimal,
    actual: Decimal,
    *,
    year: int | None = None,
    relation: Literal["eq", "le"] = "eq",
    unit: Literal["EUR", "days"] = "EUR",
    legal_reference: str = NO_RULE,
    how: Message = NOTHING,
    ok: bool | None = None,
) -> Check:
    holds = actual == expected if relation == "eq" else actual <= expected
    # every value is computed here and known good: built without validating
    return built(
        Check,
        {
            "name": name,
            "about": about,
            "year": year,
            "what": Message.of(f"check.title.{name}"),
            "expected": expected,
            "actual": actual,
            "difference": actual - expected,
            "relation": relation,
            "unit": unit,
            "ok": holds if ok is None else ok and holds,
            "legal_reference": legal_reference,
            "how": how,
        },
    )


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def _cents_sum(cents: Iterable[int]) -> Decimal:
    """A sum of integer cents as an amount with two places."""
    return Decimal(sum(cents)).scaleb(-2)


# --- financing ------------------------------------------------------------------------------


def _financing(financing: Financing, shares: OwnSharePlan) -> list[Check]:
    checks = []
    for pf in financing.phases:
        checks.append(
            _check(
                "financing-parts",
                Subject("phase", pf.phase),
                pf.eligible_expenditure,
                pf.grant + pf.own_share + pf.third_party + pf.other_public,
                legal_reference=_PARTS_RULE,
            )
        )
    for phase, years in shares.phases.items():
        for year in years:
            checks.append(
                _check(
                    "financing-year",
                    Subject("phase", phase),
                    year.expenditure,
                    year.grant_share + year.third_party_share + year.own_share,
                    year=year.year,
                    legal_reference=_PRO_RATA_RULE,
                )
            )
    return checks


# --- forecast -------------------------------------------------------------------------------


def _forecast(case: Case, spending: Forecast) -> list[Check]:
    checks = []
    catch_up = case.settings.forecast_catch_up
    for line in spending.lines:
        if catch_up:
            remaining = max(line.planned - line.actual, ZERO) - line.unplaced
            how = Message.of("check.how.catch-up")
        else:
            remaining = _sum(m.planned for m in line.months if m.actual is None)
            how = Message.of("check.how.open-months")
        checks.append(
            _check(
                "forecast-line",
                Subject("line", line.line),
                line.actual + remaining,
                line.forecast,
                how=how,
            )
        )
    return checks


# --- calls ----------------------------------------------------------------------------------


def _calls(financing: Financing, plan: DrawdownPlan, proof: ProofOfUse) -> list[Check]:
    checks = []
    final = {p.phase: p for p in proof.phases} if proof.evaluated else {}
    for phase in plan.phases:
        called = _sum(c.amount for c in phase.calls)
        about = Subject("phase", phase.phase)
        checks.append(
            _check(
                "calls-within-grant",
                about,
                financing.phase(phase.phase).grant,
                called,
                relation="le",
                legal_reference=plan.rule.source,
            )
        )
        result = final.get(phase.phase)
        if result is not None and not result.projected:
            checks.append(
                _check(
                    "calls-final-grant",
                    about,
                    result.reduction.final,
                    called - result.refund,
                    legal_reference=_FINAL_RULE,
                    how=Message.of("check.how.final-instalment"),
                )
            )
    return checks


# --- own share ------------------------------------------------------------------------------


def _cover_used(case: Case, financing: Financing, phase: str, covered: Decimal) -> Decimal:
    """Third-party and other public money used for ``covered`` expenditure (as in own_share)."""
    pf = financing.phase(phase)
    cover = pf.third_party + pf.other_public
    if cover <= 0 or covered <= 0:
        return ZERO
    if case.grant.financing_type is FinancingType.FEHLBEDARF:
        first = pf.own_funds_planned + cover
        return floor_cents(cover * min(covered, first) / first)
    if pf.eligible_expenditure <= 0:
        return ZERO
    return min(cover, floor_cents(cover * covered / pf.eligible_expenditure))


def _own_share(
    case: Case, financing: Financing, spending: Forecast, shares: OwnSharePlan
) -> list[Check]:
    checks = []
    for phase, years in shares.phases.items():
        months = spending.phase_months(phase)
        if months:
            covered = _sum(months.values())
            grant = phase_entitlement(case, financing.phase(phase))(covered)
            expected = covered - grant - _cover_used(case, financing, phase, covered)
        else:
            expected = ZERO
        checks.append(
            _check(
                "own-share-phase",
                Subject("phase", phase),
                expected,
                _sum(y.own_share for y in years),
                legal_reference=_PRO_RATA_RULE,
            )
        )
    checks.append(
        _check(
            "own-share-years",
            Subject("budget-years"),
            _sum(y.own_share for years in shares.phases.values() for y in years),
            _sum(y.own_share for y in shares.years),
            legal_reference=_PRO_RATA_RULE,
        )
    )
    return checks


# --- vouchers and the income block ----------------------------------------------------------


def _vouchers(case: Case, proof: ProofOfUse) -> list[Check]:
    if not proof.evaluated:
        return []
    vouchers = VoucherColumns.of(proof.vouchers)
    counted = _cents_sum(vouchers.amounts)
    excluded = _sum(e.amount for e in proof.excluded if not e.counted)
    net = case.settings.input_tax_deduction
    return [
        _check(
            "vouchers-total",
            Subject("vouchers"),
            _cents_sum(VoucherColumns.of(case.expenditures).amounts),
            counted + excluded + proof.after_key_date[1],
            legal_reference=_PROOF_RULE,
            how=Message.of("check.how.gross"),
        ),
        _check(
            "vouchers-lines",
            Subject("vouchers"),
            _cents_sum(vouchers.eligible_cents(net=net)),
            _sum(line.actual for line in proof.lines if line.flat_rate is None),
            legal_reference=_PROOF_RULE,
        ),
        *_flat_rate_lines(proof),
    ]


def _flat_rate_lines(proof: ProofOfUse) -> list[Check]:
    """Each flat-rate line = rate × its base lines' eligible actuals, from the proof's lines."""
    actual = {line.line: line.actual for line in proof.lines}
    checks = []
    for line in proof.lines:
        if line.flat_rate is None:
            continue
        flat = line.flat_rate.flat
        base = _sum(actual.get(b, ZERO) for b in flat.base_lines)
        checks.append(
            _check(
                "flat-rate-line",
                Subject("line", line.line),
                flat_rate_amount(flat.rate, base),
                line.actual,
                legal_reference=flat.source,
            )
        )
    return checks


def _income(case: Case, financing: Financing, proof: ProofOfUse) -> list[Check]:
    if not proof.evaluated:
        return []
    rows = {row.what.key: row for row in proof.income}

    def row(key: str) -> tuple[Decimal, Decimal]:
        found = rows.get(f"proof.income.{key}")
        return (found.planned, found.actual) if found is not None else (ZERO, ZERO)

    cover_kinds = {SourceKind.THIRD_PARTY, SourceKind.OTHER_PUBLIC}
    sources = _sum(s.amount for s in case.plan.sources if s.kind in cover_kinds)
    about = Subject("income-block")
    return [
        _check(
            "income-planned",
            about,
            financing.eligible_expenditure,
            _sum(r.planned for r in proof.income),
            legal_reference=_PROOF_RULE,
        ),
        _check(
            "income-actual",
            about,
            _sum(line.actual for line in proof.lines),
            _sum(r.actual for r in proof.income),
            legal_reference=_PROOF_RULE,
        ),
        _check(
            "income-sources",
            about,
            sources,
            row("cover")[0],
            legal_reference=_PROOF_RULE,
        ),
        _check(
            "income-grant",
            about,
            _sum(p.paid if p.projected else p.reduction.final for p in proof.phases),
            row("grant")[1],
            legal_reference=_FINAL_RULE,
        ),
    ]


# --- interest -------------------------------------------------------------------------------


def _round_fraction(value: Fraction) -> Decimal:
    """A fraction rounded half up (away from zero) to the cent, exactly."""
    hundredths = value * 100
    sign = -1 if hundredths < 0 else 1
    whole, rest = divmod(abs(hundredths.numerator), hundredths.denominator)
    if 2 * rest >= hundredths.denominator:
        whole += 1
    return Decimal(sign * whole).scaleb(-2)


_INTEREST_NOTE = Message.of("check.how.interest-segments")


def _interest(interest: LateUseInterest, proof: ProofOfUse) -> list[Check]:
    checks = []
    for use in interest.payouts:
        results = [u.interest for u in use.late if u.interest is not None]
        if use.unused_interest is not None:
            results.append(use.unused_interest)
        if not results:
            continue
        checks.append(
            _check(
                "interest-late-use",
                Subject("payout", use.payout),
                _sum(_round_fraction(_fraction(r)) for r in results),
                use.interest,
                legal_reference=interest.legal_reference,
                how=_INTEREST_NOTE,
            )
        )
    if interest.evaluated:
        checks.append(
            _check(
                "interest-late-use-total",
                Subject("interest-late-use"),
                _sum(u.interest for u in interest.payouts),
                interest.total,
                legal_reference=interest.legal_reference,
            )
        )
    for phase in proof.phases:
        if not phase.refund_interest:
            continue
        checks.append(
            _check(
                "interest-refund",
                Subject("phase", phase.phase),
                _sum(_round_fraction(_fraction(r)) for r in phase.refund_interest),
                _sum(r.interest for r in phase.refund_interest),
                legal_reference=phase.refund_interest[0].legal_reference,
                how=_INTEREST_NOTE,
            )
        )
    if proof.evaluated:
        checks.append(
            _check(
                "interest-refund-total",
                Subject("interest-refund"),
                _sum(r.interest for p in proof.phases for r in p.refund_interest),
                proof.refund_interest,
                legal_reference="§ 49a Abs. 3 VwVfG",
            )
        )
    return checks


def _fraction(result: InterestResult) -> Fraction:
    return sum(
        (
            Fraction(result.principal) * Fraction(s.rate) * s.days / (100 * s.year_basis)
            for s in result.segments
        ),
        Fraction(0),
    )


# --- call periods ---------------------------------------------------------------------------


def _tiling(case: Case, plan: DrawdownPlan) -> list[Check]:
    checks = []
    phases = {p.id: p for p in case.grant.phases}
    for item in plan.phases:
        phase = phases[item.phase]
        if not item.calls:
            continue
        days = (phase.end - phase.start).days + 1
        tiling = call_tiling(item.phase, phase.start, phase.end, item.calls)
        uncovered = sum(p.days for p in tiling.gaps)
        extra = sum(p.days for p in (*tiling.overlaps, *tiling.outside))
        about = Subject("phase", item.phase)
        window = Message.of("check.how.approval-period", start=phase.start, end=phase.end)
        checks.append(
            _check(
                "call-periods-gap",
                about,
                Decimal(days),
                Decimal(days - uncovered),
                unit="days",
                legal_reference=plan.rule.source,
                how=window,
            )
        )
        checks.append(
            _check(
                "call-periods-overlap",
                about,
                ZERO,
                Decimal(extra),
                unit="days",
                legal_reference=plan.rule.source,
                how=window,
            )
        )
    return checks


# --- all ------------------------------------------------------------------------------------


def reconcile(
    case: Case,
    *,
    financing: Financing,
    forecast: Forecast,
    drawdowns: DrawdownPlan,
    own_share: OwnSharePlan,
    proof_of_use: ProofOfUse,
    interest: LateUseInterest,
) -> Reconciliation:
    """Reconcile the figures of an evaluated (amended) case with each other.

    Args:
        case: the amended case the figures were computed from.
        financing: its financing.
        forecast: its spending forecast.
        drawdowns: its drawdown plan.
        own_share: its own-share plan.
        proof_of_use: its proof of use.
        interest: its interest on late use.

    Returns:
        Every check with both figures and the difference; ``ok`` when all hold.

    Examples:
        >>> from datetime import date
        >>> from foerdermittel import evaluate, load_case
        >>> report = evaluate(load_case("examples/bochum-mpsc.toml"), date(2021, 6, 1))
        >>> check = report.reconciliation.check("financing-parts", "Phase B")
        >>> check.expected, check.actual, check.ok
        (Decimal('14100000.00'), Decimal('14100000.00'), True)
    """
    checks = [
        *_financing(financing, own_share),
        *_forecast(case, forecast),
        *_calls(financing, drawdowns, proof_of_use),
        *_own_share(case, financing, forecast, own_share),
        *_vouchers(case, proof_of_use),
        *_income(case, financing, proof_of_use),
        *_interest(interest, proof_of_use),
        *_tiling(case, drawdowns),
    ]
    failures = tuple(c for c in checks if not c.ok)
    return Reconciliation(checks=tuple(checks), ok=not failures, failures=failures)


def reconciliation_findings(reconciliation: Reconciliation) -> tuple[Finding, ...]:
    """An error finding ``reconciliation-failed`` for every check that does not hold.

    The finding is about the check's subject and carries its figures; a check about one budget
    year of its subject names the year in the message.
    """
    return tuple(
        Finding.of(
            "reconciliation-failed",
            Severity.ERROR,
            check.about,
            check.legal_reference,
            year=NOTHING
            if check.year is None
            else Message.of("check.year", year=Subject("year", str(check.year))),
            **check._figures(),
        )
        for check in reconciliation.failures
    )
