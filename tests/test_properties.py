"""Invariants of the financing, over many generated cases."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel import rules
from foerdermittel.financing import compute_financing, later_reduction
from foerdermittel.money import ZERO, floor_cents

D = Decimal
money = st.decimals(min_value=D("0.00"), max_value=D("50000000.00"), places=2, allow_nan=False)
small_money = st.decimals(min_value=D("0.00"), max_value=D("5000000.00"), places=2, allow_nan=False)
rates = st.decimals(min_value=D("0.0001"), max_value=D("1"), places=4, allow_nan=False).filter(
    lambda r: r > 0
)
kinds = st.sampled_from(list(fm.FinancingType))


@st.composite
def cases(draw: st.DrawFn) -> fm.Case:
    kind = draw(kinds)
    n = draw(st.integers(min_value=1, max_value=3))
    phases: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    for i in range(n):
        start = date(2022, 1, 1) + timedelta(days=draw(st.integers(0, 1000)))
        end = start + timedelta(days=draw(st.integers(0, 1500)))
        phase: dict[str, Any] = {
            "id": f"P{i}",
            "title": f"Phase {i}",
            "start": start,
            "end": end,
            "eligible_expenditure": draw(money),
        }
        if kind is fm.FinancingType.ANTEIL and draw(st.booleans()):
            phase["rate"] = draw(rates)
        if draw(st.booleans()):
            phase["max_amount"] = draw(money)
        if kind is fm.FinancingType.FESTBETRAG:
            phase["fixed_amount"] = draw(money)
        phases.append(phase)
        for j, source_kind in enumerate(
            draw(st.lists(st.sampled_from(list(fm.SourceKind)), max_size=3))
        ):
            sources.append(
                {
                    "id": f"S{i}-{j}",
                    "kind": source_kind.value,
                    "title": "Quelle",
                    "phase": f"P{i}",
                    "amount": draw(small_money),
                }
            )
    grant: dict[str, Any] = {
        "id": "G",
        "funder": "Bund",
        "recipient": "Stadt",
        "land": draw(st.sampled_from(sorted(fm.model.LAENDER))),
        "rulebook": draw(st.sampled_from(rules.available())),
        "decision_date": date(2021, 12, 1),
        "financing_type": kind.value,
        "rate": draw(rates),
        "phases": phases,
        "max_amount_basis": draw(st.sampled_from(["grant", "eligible_cost"]))
        if kind is fm.FinancingType.ANTEIL
        else "grant",
    }
    if draw(st.booleans()):
        grant["max_amount"] = draw(money)
    return fm.Case.from_data({"grant": grant, "plan": {"sources": sources}})


@settings(max_examples=300)
@given(cases())
def test_parts_add_up_to_the_cent(case: fm.Case) -> None:
    fin = compute_financing(case)
    for pf in fin.phases:
        assert pf.total == pf.eligible_expenditure
        assert pf.grant.as_tuple().exponent == -2
    assert fin.total == fin.eligible_expenditure
    assert fin.grant == sum((p.grant for p in fin.phases), ZERO)
    assert fin.own_share == sum((p.own_share for p in fin.phases), ZERO)


@settings(max_examples=300)
@given(cases())
def test_grant_within_rate_and_caps(case: fm.Case) -> None:
    fin = compute_financing(case)
    grant = case.grant
    assert fin.grant >= 0
    if grant.max_amount is not None and grant.max_amount_basis == "grant":
        assert fin.grant <= grant.max_amount
    if grant.max_amount is not None and grant.max_amount_basis == "eligible_cost":
        # the cap limits the expenditure the rates apply to, in total
        top = max(r for r in (grant.phase_rate(p) for p in grant.phases) if r is not None)
        assert fin.grant <= floor_cents(top * grant.max_amount)
    for phase, pf in zip(grant.phases, fin.phases, strict=True):
        assert pf.grant >= 0
        if grant.financing_type is fm.FinancingType.ANTEIL:
            rate = grant.phase_rate(phase)
            assert rate is not None
            assert pf.grant <= floor_cents(rate * phase.eligible_expenditure)
        else:
            assert pf.grant <= phase.eligible_expenditure
        if phase.max_amount is not None:
            if grant.financing_type is fm.FinancingType.ANTEIL and (
                grant.max_amount_basis == "eligible_cost"
            ):
                rate = grant.phase_rate(phase)
                assert rate is not None
                assert pf.grant <= floor_cents(rate * phase.max_amount)
            else:
                assert pf.grant <= phase.max_amount


@settings(max_examples=200)
@given(cases())
def test_json_round_trip(case: fm.Case) -> None:
    again = fm.loads_case(fm.dump_case(case), fmt="json")
    assert again == case
    assert fm.dump_case(again) == fm.dump_case(case)


@given(
    kind=kinds,
    approved=money,
    planned=money,
    actual=money,
    planned_cover=small_money,
    actual_cover=small_money,
    own=small_money,
    rate=rates,
    mode=st.sampled_from(["separate", "net"]),
)
def test_reduction_never_raises_nor_goes_negative(
    kind: fm.FinancingType,
    approved: Decimal,
    planned: Decimal,
    actual: Decimal,
    planned_cover: Decimal,
    actual_cover: Decimal,
    own: Decimal,
    rate: Decimal,
    mode: str,
) -> None:
    rule = rules.get("anbest-p-2019").reduction.model_copy(update={"threshold_mode": mode})
    r = later_reduction(
        financing_type=kind,
        approved_grant=approved,
        planned_eligible=planned,
        actual_eligible=actual,
        planned_cover=planned_cover,
        actual_cover=actual_cover,
        own_funds_planned=own,
        rate=rate,
        rule=rule,
    )
    assert ZERO <= r.final <= approved
    assert r.reduction == approved - r.final
    if not r.triggered and kind is not fm.FinancingType.FESTBETRAG:
        assert r.final == approved
