"""The voucher checks over the columns give what checking voucher by voucher gives.

``checked_vouchers`` sorts a ledger once, cuts each line's vouchers at its phase's window by
bisection and keeps running sums of integer cents; the calculators read those sums. Here the
same ledgers are checked the plain way — every voucher as an ``Expenditure``, one after the
other in order of day and number, amounts as ``Decimal`` — and every result compared: the
vouchers that count (and their order), those that do not (with their reasons), those after
the key date, the sums per phase up to a day, the spending per line and month, and the
matching of payouts in the late-use interest; and the entitlements in integer cents the
matching reads against the ``Decimal`` ones.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.drawdowns import phase_entitlement
from foerdermittel.drawdowns.entitlements import (
    phase_entitlement_cents,
    phase_entitlements_cents,
)
from foerdermittel.model.case import Case
from foerdermittel.model.records import Expenditure
from foerdermittel.proof import voucher_totals
from foerdermittel.vouchers import (
    ExcludedVoucher,
    check_vouchers,
    eligible_amount,
    eligible_by_month,
    eligible_paid,
    sign_contradiction,
)

from .common import ROOT

ZERO = Decimal("0.00")


def _reference(
    case: Case, as_of: date
) -> tuple[list[Expenditure], list[tuple[str, str, date]], tuple[int, Decimal]]:
    """The checks voucher by voucher: counted, excluded as (number, code, day), later."""
    line_phase = {line.id: line.phase for line in case.plan.lines}
    flat = {line.id for line in case.plan.lines if line.flat_rate is not None}
    net = case.settings.input_tax_deduction
    windows = {
        p.id: (min(p.start, p.early_start) if p.early_start else p.start, p.end)
        for p in case.grant.phases
    }
    seen: set[str] = set()
    counted: list[Expenditure] = []
    excluded: list[tuple[str, str, date]] = []
    later = (0, ZERO)
    for item in sorted(case.expenditures, key=lambda e: (e.paid_on, e.id)):
        if item.paid_on > as_of:
            later = (later[0] + 1, later[1] + item.amount)
        code: str | None
        if item.id in seen:
            code = "duplicate-voucher"
        else:
            seen.add(item.id)
            found = sign_contradiction(item)
            code = found[0] if found else None
            first, last = windows[line_phase[item.line]]
            if item.line in flat:
                code = "flat-rate"
            elif not first <= item.paid_on <= last:
                code = "outside-period"
            elif code is None and net and item.net_amount is None:
                code = "net-missing"
        if item.paid_on > as_of:
            continue
        if code is None:
            counted.append(item)
        else:
            excluded.append((item.id, code, item.paid_on))
    return counted, excluded, later


def _vouchers(case: Case, count: int, rng: random.Random) -> tuple[Expenditure, ...]:
    """Vouchers on the case's lines, in and around the phases, with every kind of problem."""
    phases = {p.id: p for p in case.amended().grant.phases}
    out = []
    for number in range(count):
        line = rng.choice(case.plan.lines)
        phase = phases[line.phase]
        start = phase.start - timedelta(days=60)
        day = start + timedelta(days=rng.randrange((phase.end - start).days + 120))
        cents = rng.choice([rng.randrange(1, 10**7), -rng.randrange(1, 10**5), 0])
        credit = cents < 0 if rng.random() < 0.95 else cents > 0
        net = None
        if rng.random() < 0.4:
            net = rng.choice([cents * 100 // 119, cents * 2, -cents, 0])
        out.append(
            Expenditure(
                id=f"V-{rng.randrange(count * 3 // 2 + 1):05d}",  # some numbers twice
                line=line.id,
                paid_on=day,
                amount=Decimal(cents).scaleb(-2),
                net_amount=None if net is None else Decimal(net).scaleb(-2),
                kind="credit" if credit else "expenditure",
                origin=f"belege.csv:{number + 2}" if rng.random() < 0.9 else None,
            )
        )
    return tuple(out)


def _cases() -> list[Case]:
    bochum = fm.load_case(ROOT / "examples" / "bochum-mpsc.toml")
    efre = fm.load_case(ROOT / "examples" / "efre-nrw.toml")  # with a flat-rate line
    return [bochum, efre]


@pytest.mark.parametrize("seed", range(6))
def test_the_checks_over_the_columns_are_the_checks_voucher_by_voucher(seed: int) -> None:
    rng = random.Random(seed)
    for base in _cases():
        vouchers = _vouchers(base, rng.choice([1, 40, 400]), rng)
        deduct = seed % 2 == 1
        case = base.model_copy(
            update={
                "expenditures": vouchers if seed % 3 else fm.VoucherColumns.of(vouchers),
                "ledger": None,
                "settings": base.settings.model_copy(update={"input_tax_deduction": deduct}),
            }
        )
        for checked_case in (case, case.amended()):
            phases = checked_case.grant.phases
            first = min(p.start for p in phases) - timedelta(days=90)
            for as_of in [first + timedelta(days=rng.randrange(2500)) for _ in range(4)]:
                counted, excluded, later = check_vouchers(checked_case, as_of)
                ref_counted, ref_excluded, ref_later = _reference(checked_case, as_of)
                assert counted == ref_counted
                assert [(v.paid_on, v.id) for v in counted] == [
                    (v.paid_on, v.id) for v in ref_counted
                ]
                assert [(e.voucher, e.code, e.paid_on) for e in excluded] == ref_excluded
                assert all(isinstance(e, ExcludedVoucher) and not e.counted for e in excluded)
                assert later == ref_later
                line_phase = {line.id: line.phase for line in checked_case.plan.lines}
                for phase in phases:
                    if any(line.flat_rate for line in checked_case.plan.lines):
                        continue  # flat rates on top: see test_flat_rates
                    expected = sum(
                        (
                            eligible_amount(v, net=deduct)
                            for v in ref_counted
                            if line_phase[v.line] == phase.id
                        ),
                        ZERO,
                    )
                    assert eligible_paid(checked_case, phase.id, as_of) == expected
                by_month: dict[str, dict[date, Decimal]] = {}
                for v in ref_counted:
                    months = by_month.setdefault(v.line, {})
                    month = v.paid_on.replace(day=1)
                    months[month] = months.get(month, ZERO) + eligible_amount(v, net=deduct)
                assert eligible_by_month(checked_case, as_of) == by_month
                assert list(eligible_by_month(checked_case, as_of)) == list(by_month)
                if checked_case is not case:  # the totals of the amended case
                    totals = voucher_totals(case, as_of)
                    assert totals.counted == sum((v.amount for v in ref_counted), ZERO)
                    assert totals.counted_count == len(ref_counted)
                    assert totals.counted_eligible == sum(
                        (eligible_amount(v, net=deduct) for v in ref_counted), ZERO
                    )
                    assert (totals.after_key_date_count, totals.after_key_date) == ref_later
                    assert totals.recorded == sum((v.amount for v in vouchers), ZERO)
                    assert totals.excluded_count == len(ref_excluded)


def _matched(
    case: Case, financing: fm.Financing, cut: date
) -> dict[str, tuple[Decimal, Decimal, list[tuple[Decimal, date]]]]:
    """The late-use matching voucher by voucher (FIFO, Decimal): left, in time, late parts."""
    from foerdermittel.deadline_arithmetic import ShiftPolicy, period_end, shift

    rulebook, _ = case.rulebook()
    window = rulebook.use_window.window
    calendar = fm.evaluation.holiday_calendar(case)
    line_phase = {line.id: line.phase for line in case.plan.lines}
    counted = check_vouchers(case, cut)[0]
    net = case.settings.input_tax_deduction
    out = {}
    for phase in case.grant.phases:
        share = phase_entitlement(case, financing.phase(phase.id))
        queue = [
            [
                p,
                p.amount,
                ZERO,
                [],
                shift(period_end(p.paid_on, window), ShiftPolicy.FORWARD, calendar)[0],
            ]
            for p in sorted(case.payouts, key=lambda p: (p.paid_on, p.id))
            if p.phase == phase.id and p.paid_on <= cut
        ]
        covered = funded_before = carry = ZERO
        for item in (e for e in counted if line_phase[e.line] == phase.id):
            covered += eligible_amount(item, net=net)
            funded = share(covered)
            carry += funded - funded_before
            funded_before = funded
            for entry in queue:
                if carry <= 0:
                    break
                if entry[1] <= 0:
                    continue
                used = min(entry[1], carry)
                entry[1] -= used
                carry -= used
                used_on = max(item.paid_on, entry[0].paid_on)
                if used_on <= entry[4]:
                    entry[2] += used
                else:
                    entry[3].append((used, used_on))
        for entry in queue:
            out[entry[0].id] = (entry[1], entry[2], entry[3])
    return out


@pytest.mark.parametrize("seed", range(4))
def test_the_late_use_matching_over_the_columns_is_the_matching_voucher_by_voucher(
    seed: int,
) -> None:
    rng = random.Random(100 + seed)
    base = fm.load_case(ROOT / "examples" / "bochum-mpsc.toml")
    vouchers = _vouchers(base, rng.choice([30, 300, 3000]), rng)
    if seed % 2:  # paid late: the payouts wait for them, parts of them beyond their window
        vouchers = tuple(v for v in vouchers if v.paid_on.year >= 2025)
    case = base.model_copy(update={"expenditures": vouchers, "ledger": None}).amended()
    key_date = date(2026, 11, 26)
    report = fm.evaluate(case, key_date)
    expected = _matched(case, report.financing, report.forecast.cut_off or key_date)
    assert report.interest.payouts
    if seed % 2:
        assert any(use.late for use in report.interest.payouts)
    for use in report.interest.payouts:
        left, in_time, late = expected[use.payout]
        assert use.unused == left
        assert use.used_in_time == in_time
        assert [(u.amount, u.used_on) for u in use.late] == late


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(list(fm.FinancingType)),
    st.integers(min_value=0, max_value=10**14),
    st.integers(min_value=0, max_value=10**14),
    st.integers(min_value=0, max_value=10**14),
    st.lists(st.integers(min_value=-(10**14), max_value=10**14), max_size=20),
)
def test_the_entitlements_in_cents_are_the_decimal_ones(
    kind: fm.FinancingType, grant: int, eligible: int, own: int, covered: list[int]
) -> None:
    def euros(cents: int) -> Decimal:
        return Decimal(cents).scaleb(-2)

    phase = SimpleNamespace(
        grant=euros(grant),
        eligible_expenditure=euros(eligible),
        own_funds_planned=euros(own),
        third_party=ZERO,
        other_public=ZERO,
    )
    case = SimpleNamespace(grant=SimpleNamespace(financing_type=kind))
    one = phase_entitlement(case, phase)  # type: ignore[arg-type]
    if eligible and grant:  # quotients just below a whole cent, where rounding could show
        covered += [(eligible * k - 1) // grant + 1 for k in (1, 7, 10**6)]
    expected = [int(one(euros(c)).scaleb(2)) for c in covered]
    assert phase_entitlements_cents(case, phase)(covered) == expected  # type: ignore[arg-type]
    single = phase_entitlement_cents(case, phase)  # type: ignore[arg-type]
    assert [single(c) for c in covered] == expected
