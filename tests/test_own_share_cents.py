"""The own share computed in integer cents gives the figures of the rule computed in euros.

``_reference`` is the calculation month by month on ``Decimal`` amounts (entitlement, third-party
money pro rata, own share as the rest, its split over the lines, sums per year), as the module
documents it; the module computes the same in integer cents and converts at the end. The two
must agree in every figure, down to the places each amount is written with.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel import own_share_plan
from foerdermittel.drawdowns import DrawdownPlan, phase_entitlement
from foerdermittel.financing import Financing
from foerdermittel.forecasting import Forecast, month_end
from foerdermittel.model.grant import FinancingType
from foerdermittel.model.plan import CostCategory
from foerdermittel.money import ZERO, _largest_remainder, floor_cents, from_cents, to_cents
from foerdermittel.own_share_plan import (
    _EUROS,
    OwnShareMonth,
    OwnSharePlan,
    OwnShareYear,
    _Euros,
    _weights,
    own_share,
)

from .common import bochum_data

D = Decimal


def _years_of(
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
        own = sum((i.own_share for i in items), ZERO)
        in_kind = sum((i.in_kind for i in items), ZERO)
        out.append(
            OwnShareYear(
                year=year,
                expenditure=sum((i.expenditure for i in items), ZERO),
                grant_share=sum((i.grant_share for i in items), ZERO),
                third_party_share=sum((i.third_party_share for i in items), ZERO),
                own_share=own,
                in_kind=in_kind,
                cash=own - in_kind,
                max_prefinanced=max((i.prefinanced for i in items), default=ZERO),
                budgeted=budgets.get(year) if budgets is not None else None,
                ineligible=(ineligible or {}).get(year, ZERO),
            )
        )
    return tuple(out)


def _reference(
    case: fm.Case, financing: Financing, spending: Forecast, drawdowns: DrawdownPlan
) -> OwnSharePlan:
    """The own share month by month in euros (the previous calculation, kept as the rule)."""
    staff = {line.id for line in case.plan.lines if line.category is CostCategory.OWN_STAFF}
    all_months: dict[date, list[OwnShareMonth]] = {}
    per_phase: dict[str, tuple[OwnShareYear, ...]] = {}
    per_line: dict[str, dict[int, int]] = {line.id: {} for line in case.plan.lines}
    fehlbedarf = case.grant.financing_type is FinancingType.FEHLBEDARF
    for phase in case.grant.phases:
        pf = financing.phase(phase.id)
        cover = pf.third_party + pf.other_public
        first_funds = pf.own_funds_planned + cover
        share = phase_entitlement(case, pf)
        lines = [lf for lf in spending.lines if lf.phase == phase.id]
        months: dict[date, Decimal] = {}
        for lf in lines:
            for item in lf.months:
                months[item.month] = months.get(item.month, ZERO) + item.forecast
        calls = sorted((c.on, c.amount) for c in drawdowns.calls if c.phase == phase.id)
        covered = prev_grant = prev_cover = ZERO
        rows: list[OwnShareMonth] = []
        for month, expenditure in sorted(months.items()):
            covered += expenditure
            grant_cum = share(covered)
            if cover <= 0 or covered <= 0:
                cover_cum = ZERO
            elif fehlbedarf:
                cover_cum = floor_cents(cover * min(covered, first_funds) / first_funds)
            elif pf.eligible_expenditure > 0:
                cover_cum = min(cover, floor_cents(cover * covered / pf.eligible_expenditure))
            else:
                cover_cum = ZERO
            grant_part, cover_part = grant_cum - prev_grant, cover_cum - prev_cover
            prev_grant, prev_cover = grant_cum, cover_cum
            own = expenditure - grant_part - cover_part
            in_kind = ZERO
            own_cents = to_cents(own)
            if lines and own_cents:
                weights = []
                for lf in lines:
                    found = [i.forecast for i in lf.months if i.month == month]
                    weights.append(max(to_cents(found[0]), 0) if found else 0)
                if not any(weights):
                    weights = [1] * len(lines)
                parts = _largest_remainder(abs(own_cents), weights)
                if own_cents < 0:
                    parts = [-part for part in parts]
                in_kind = from_cents(
                    sum(p for p, lf in zip(parts, lines, strict=True) if lf.line in staff)
                )
                for lf, part in zip(lines, parts, strict=True):
                    bucket = per_line[lf.line]
                    bucket[month.year] = bucket.get(month.year, 0) + part
            elif lines:
                for lf in lines:
                    per_line[lf.line].setdefault(month.year, 0)
            received = sum((a for on, a in calls if on <= month_end(month)), ZERO)
            rows.append(
                OwnShareMonth(
                    month=month,
                    expenditure=expenditure,
                    grant_share=grant_part,
                    third_party_share=cover_part,
                    own_share=own,
                    in_kind=in_kind,
                    prefinanced=max(ZERO, grant_cum - received),
                )
            )
        per_phase[phase.id] = _years_of(rows, None)
        for row in rows:
            all_months.setdefault(row.month, []).append(row)
    combined = [
        OwnShareMonth(
            month=month,
            expenditure=sum((r.expenditure for r in rows), ZERO),
            grant_share=sum((r.grant_share for r in rows), ZERO),
            third_party_share=sum((r.third_party_share for r in rows), ZERO),
            own_share=sum((r.own_share for r in rows), ZERO),
            in_kind=sum((r.in_kind for r in rows), ZERO),
            prefinanced=sum((r.prefinanced for r in rows), ZERO),
        )
        for month, rows in sorted(all_months.items())
    ]
    return OwnSharePlan(
        months=tuple(combined),
        years=_years_of(
            combined,
            dict(case.council_budget) if case.council_budget else None,
            dict(case.plan.ineligible),
        ),
        phases=per_phase,
        lines={
            k: {year: from_cents(c) for year, c in sorted(v.items())} for k, v in per_line.items()
        },
    )


def _agree(case: fm.Case, as_of: date) -> None:
    report = fm.evaluate(case, as_of)
    amended = case.amended()
    args = (amended, report.financing, report.forecast, report.drawdowns)
    computed = own_share(*args)
    # the JSON writes each amount with its places: 0.00 and 0 would differ
    assert computed.model_dump_json() == _reference(*args).model_dump_json()
    assert computed == report.own_share


_SOURCE_KINDS = ["third_party", "other_public", "own_funds"]


@settings(max_examples=25, deadline=None)
@given(
    kind=st.sampled_from(["anteilfinanzierung", "fehlbedarfsfinanzierung", "vollfinanzierung"]),
    sources=st.lists(
        st.tuples(
            st.sampled_from(_SOURCE_KINDS),
            st.sampled_from(["A", "B"]),
            st.integers(min_value=0, max_value=200_000_000),
        ),
        max_size=3,
    ),
    scale=st.sampled_from([D("1"), D("0.5"), D("1.37"), D("0")]),
    as_of=st.dates(min_value=date(2021, 6, 1), max_value=date(2027, 6, 30)),
)
def test_the_cents_give_the_figures_in_euros(
    kind: str, sources: list[tuple[str, str, int]], scale: Decimal, as_of: date
) -> None:
    data: dict[str, Any] = bochum_data()
    data["grant"]["financing_type"] = kind
    for index, (source_kind, phase, cents) in enumerate(sources):
        data["plan"]["sources"].append(
            {
                "id": f"X-{index}",
                "kind": source_kind,
                "title": "Quelle",
                "phase": phase,
                "amount": from_cents(cents),
            }
        )
    for line in data["plan"]["lines"][::3]:  # some lines more or less expensive
        line["amounts"] = {
            year: floor_cents(D(amount) * scale) for year, amount in line["amounts"].items()
        }
    _agree(fm.Case.from_data(data), as_of)


def test_the_examples_agree() -> None:
    for name in ("bochum-mpsc", "efre-nrw", "kfw432-quartier", "stadterneuerung-nrw"):
        case = fm.load_case(f"examples/{name}.toml")
        for as_of in (date(2021, 1, 1), date(2024, 1, 1), date(2025, 6, 30), date(2028, 1, 1)):
            _agree(case, as_of)


@given(
    st.lists(
        st.tuples(
            st.lists(st.integers(min_value=0, max_value=6), max_size=6, unique=True),
            st.lists(st.integers(min_value=-(10**9), max_value=10**9), min_size=6, max_size=6),
        ),
        max_size=4,
    )
)
def test_weights_are_the_lines_forecast_in_cents(
    lines: list[tuple[list[int], list[int]]],
) -> None:
    columns = [
        ([date(2024, 1 + m, 1) for m in months], [from_cents(c) for c in cents[: len(months)]])
        for months, cents in lines
    ]
    weights = _weights(columns)
    expected: dict[date, list[int]] = {}
    for index, (months, amounts) in enumerate(columns):
        for month, amount in zip(months, amounts, strict=True):
            cells = expected.setdefault(month, [0] * len(columns))
            cells[index] = max(to_cents(amount), 0)
    assert weights == {month: tuple(cells) for month, cells in expected.items()}


@given(st.lists(st.integers(min_value=-(10**15), max_value=10**15), max_size=50))
def test_remembered_euros_are_the_amounts(cents: list[int]) -> None:
    for value in cents:
        assert str(_EUROS[value]) == str(from_cents(value))


def test_remembered_euros_start_afresh_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(own_share_plan, "_EUROS_KEPT", 3)
    euros = _Euros()
    for value in [0, 1, -1, 5, 0, 250, 1, 99999999]:
        assert str(euros[value]) == str(from_cents(value))
        assert len(euros) <= 3
