"""Every rulebook value is read by the calculation it governs.

For each overridable path of the rulebook (`rules.override_paths`) the table below names a case,
a key date and a changed value; the test overrides the value and shows that the report moves
(a figure, a date, a finding). A value that only informs carries its reason in the rulebook
model (`rules.informational_paths`) and is left out. A new rulebook field that is neither
informational nor in the table fails the first test.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import foerdermittel as fm
from foerdermittel import rules

from .common import bochum_data

D = "2024-01-01"


def _two_lines(
    *,
    rulebook: str = "anbest-gk-2019",
    financing_type: str = "anteilfinanzierung",
    phase_extra: dict[str, Any] | None = None,
    l2_spent: str = "109600.00",
    sources: list[dict[str, Any]] | None = None,
    income: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One phase 2024–2025, 240,000 € in two lines; line 1 overspent by 10,000 € (+8.3 %).

    With the default ``l2_spent`` the phase spends 239,600 €: 400 € under plan, within the
    500 € threshold of ANBest Nr. 2.2. Two payouts of 60,000 €; part of the first is spent
    after six weeks (late use).
    """
    grant: dict[str, Any] = {
        "id": "W-1",
        "funder": "Bund",
        "recipient": "Stadt Musterstadt",
        "land": "NW",
        "rulebook": rulebook,
        "decision_date": "2023-12-01",
        "financing_type": financing_type,
        "phases": [
            {
                "id": "P",
                "title": "Projekt",
                "start": "2024-01-01",
                "end": "2025-12-31",
                "eligible_expenditure": "240000.00",
                **(phase_extra or {}),
            }
        ],
    }
    if financing_type == "anteilfinanzierung":
        grant["rate"] = "0.5"
    amounts = {"2024": "60000.00", "2025": "60000.00"}
    lines = [
        {
            "id": f"L{i}",
            "title": f"Ansatz {i}",
            "phase": "P",
            "category": "material",
            "amounts": amounts,
        }
        for i in (1, 2)
    ]
    expenditures = [
        {"id": "B1", "line": "L1", "paid_on": "2024-02-10", "amount": "20000.00"},
        {"id": "B2", "line": "L1", "paid_on": "2024-06-10", "amount": "50000.00"},
        {"id": "B3", "line": "L1", "paid_on": "2025-06-10", "amount": "60000.00"},
        {"id": "B4", "line": "L2", "paid_on": "2025-09-10", "amount": l2_spent},
    ]
    payouts = [
        {"id": "A1", "phase": "P", "amount": "60000.00", "paid_on": "2024-03-01"},
        {"id": "A2", "phase": "P", "amount": "60000.00", "paid_on": "2025-12-20"},
    ]
    return {
        "grant": grant,
        "plan": {"lines": lines, "sources": sources or []},
        "payouts": payouts,
        "expenditures": expenditures,
        "income": income or [],
    }


def _fixed() -> dict[str, Any]:
    """Festbetrag 100,000 € for 240,000 € planned; 95,000 € spent, line 1 over plan."""
    data = _two_lines(
        financing_type="festbetragsfinanzierung", phase_extra={"fixed_amount": "100000.00"}
    )
    data["expenditures"] = [
        {"id": "B1", "line": "L1", "paid_on": "2024-06-10", "amount": "80000.00"},
        {"id": "B2", "line": "L2", "paid_on": "2025-06-10", "amount": "15000.00"},
    ]
    data["payouts"] = []
    return data


def _net() -> dict[str, Any]:
    """Expenditure and cover funds each 600 € under plan: apart over 500 €, together zero."""
    source = {"id": "S", "kind": "third_party", "title": "Stiftung", "amount": "10000.00"}
    income = [
        {
            "id": "E1",
            "received_on": "2024-05-02",
            "amount": "9400.00",
            "source": "S",
            "kind": "third_party",
        }
    ]
    return _two_lines(l2_spent="109400.00", sources=[source], income=income)


def _bochum() -> dict[str, Any]:
    data = bochum_data()
    data.pop("ledger", None)
    return data


def _bochum_90() -> dict[str, Any]:
    """Bochum at 90 % without a rate tier: above the standard tier, within "haushaltsnotlage"."""
    data = _bochum()
    data["grant"].update(rate="0.90", max_amount=None)
    data["grant"].pop("rate_tier", None)
    return data


def _bochum_tier(rate: str, evidence: str | None = None) -> dict[str, Any]:
    """Bochum on the "haushaltsnotlage" tier (90 %) at ``rate``, with or without evidence."""
    data = _bochum_90()
    data["grant"].update(rate=rate, rate_tier="haushaltsnotlage")
    if evidence is not None:
        data["grant"]["rate_tier_evidence"] = evidence
    return data


def _bochum_limits() -> dict[str, Any]:
    """Bochum with a programme that sets limits of its own (none of their values yet)."""
    data = _bochum()
    programme = rules.get_programme(data["grant"].pop("programme"))
    limits = {"source": "Programmtext (Grenzen)"}
    data["grant"]["loaded_programme"] = {**programme.model_dump(mode="json"), "limits": limits}
    return data


PROGRAMME_LIMITS = {
    "max_public_share": "0.90",
    "min_own_share": "0.10",
    "source": "Förderrichtlinie (Prüfung)",
}
"""Limits a programme sets: Bochum's 65 % public money and 35 % own share within them."""


def _bochum_programme_limits() -> dict[str, Any]:
    """Bochum with the MPSC 2021 call as its own programme file, the call setting limits."""
    data = _bochum()
    programme = rules.get_programme(data["grant"].pop("programme")).model_dump(mode="json")
    data["grant"]["programme_file"] = "programm.toml"
    data["grant"]["loaded_programme"] = {**programme, "limits": PROGRAMME_LIMITS}
    return data


MATERIAL_CAP = [
    {
        "categories": ["material"],
        "share": "0.01",
        "of": ["own_staff"],
        "source": "Förderrichtlinie Nr. 5.1",
    }
]
"""Material costs at most 1 % of own staff: Bochum's material line B-3.3 is over it."""


def _flat() -> dict[str, Any]:
    """Indirect costs at 20 % of the material line L1, a Pauschale (Art. 54 VO (EU) 2021/1060):
    20 % × 60,000 € = 12,000 € a year, as planned; L2 is external services, outside the base."""
    data = _two_lines()
    data["grant"]["phases"][0]["eligible_expenditure"] = "264000.00"
    data["plan"]["lines"][1]["category"] = "external_services"
    data["grant"]["loaded_programme"] = {
        "id": "efre-walk",
        "title": "EFRE-Aufruf",
        "call_date": "2023-01-01",
        "default_rulebook": "anbest-gk-2019",
        "rates": {"standard": "0.5"},
        "default_tier": "standard",
        "phases": {"P": {"title": "Vorhaben", "cap": "10000000.00", "source": "Aufruf"}},
        "flat_rates": {
            "indirect": {
                "title": "indirekte Kosten",
                "max_rate": "0.25",
                "base": ["material"],
                "source": "Verordnung (EU) 2021/1060 Art. 54 Buchst. c",
            }
        },
        "source": "EFRE-Aufruf",
    }
    data["plan"]["lines"].append(
        {
            "id": "L3",
            "title": "Indirekte Kosten",
            "phase": "P",
            "category": "other",
            "amounts": {"2024": "12000.00", "2025": "12000.00"},
            "flat_rate": {"rule": "indirect", "rate": "0.20"},
        }
    )
    return data


CASES = {
    "gk": _two_lines,
    "gk-purpose": lambda: _two_lines(phase_extra={"purpose_fulfilled_on": "2025-06-30"}),
    "gk-2006": lambda: _two_lines(rulebook="anbest-gk-2006"),
    "p": lambda: _two_lines(rulebook="anbest-p-2019"),
    "fixed": _fixed,
    "net": _net,
    "bochum": _bochum,
    "bochum-90": _bochum_90,
    # no evidence: the tier's condition is quoted in a warning
    "bochum-hn": lambda: _bochum_tier("0.90"),
    # 80 % on the 90 % tier, the condition shown: below a fixed rate, within "bis zu"
    "bochum-hn-80": lambda: _bochum_tier("0.80", "Haushaltssicherungskonzept genehmigt"),
    "bochum-limits-unset": _bochum_limits,
    "bochum-limits": _bochum_programme_limits,
    "flat": _flat,
}

LATE = date(2026, 3, 31)  # after the phase: final account, refund, deadlines
EARLY = date(2024, 1, 15)  # before the first call: the drawdown plan is all planned calls
IN_ARREARS = [("drawdown.mode", "in_arrears"), ("drawdown.interval_months", 6)]

# path -> (case, key date, overrides that set the scene, the changed value)
WALK: dict[str, tuple[str, date, list[tuple[str, Any]], Any]] = {
    "valid_from": ("gk", LATE, [], "2024-06-01"),
    "land": ("gk", LATE, [], "BY"),
    "drawdown.mode": ("gk", EARLY, [("drawdown.interval_months", 6)], "in_arrears"),
    "drawdown.horizon": ("gk-2006", EARLY, [], {"amount": 1, "unit": "months"}),
    "drawdown.interval_months": ("gk", EARLY, IN_ARREARS, 3),
    "drawdown.pooling": ("gk", EARLY, [], "monthly"),
    "drawdown.reimburses_paid_costs": ("gk", LATE, [], True),
    "programme.drawdown.reimburses_paid_costs": ("bochum", date(2025, 6, 30), [], False),
    "use_window.window": ("gk", LATE, [], {"amount": 6, "unit": "months"}),
    "proof_of_use.after_purpose": ("gk-purpose", LATE, [], {"amount": 2, "unit": "years"}),
    "proof_of_use.latest_after_period": ("gk", LATE, [], {"amount": 2, "unit": "years"}),
    "proof_of_use.month_end": ("gk-purpose", LATE, [], True),
    "interim_proof.required": (
        "gk",
        LATE,
        [("interim_proof.after_budget_year", {"amount": 4, "unit": "months"})],
        "yearly",
    ),
    "interim_proof.after_budget_year": ("p", LATE, [], {"amount": 2, "unit": "months"}),
    # the form of the proof of use: a Belegliste as a voluntary annex or required, the block of
    # the audit office's certificate, the declarations signed (ANBest-Gk Nr. 6.4, 7.2)
    "proof_contents.voucher_list_required": ("gk", LATE, [], True),
    "proof_contents.audit_office_certificate": ("gk", LATE, [], False),
    "proof_contents.declarations": ("gk", LATE, [], []),
    "reduction.threshold": ("gk", LATE, [], "100.00"),
    "limits.max_public_share": ("bochum", date(2025, 6, 30), [], "0.60"),
    # weekly calls of about 1,150 € pool until they reach 5,000 € (KfW 432)
    "limits.min_payout": ("gk", EARLY, [], "5000.00"),
    "programme.limits.min_payout": (
        "bochum-limits-unset",
        date(2025, 6, 30),
        [],
        "1500000.00",
    ),
    "limits.category_caps": ("gk", LATE, [], [{**MATERIAL_CAP[0], "of": []}]),
    "limits.min_own_share": ("bochum", date(2025, 6, 30), [], "0.40"),
    "programme.limits.max_public_share": ("bochum-limits", date(2025, 6, 30), [], "0.60"),
    "programme.limits.category_caps": ("bochum-limits", date(2025, 6, 30), [], MATERIAL_CAP),
    "programme.limits.min_own_share": ("bochum-limits", date(2025, 6, 30), [], "0.40"),
    "reduction.threshold_mode": ("net", LATE, [], "net"),
    "reduction.fixed_amount_capped_at_expenditure": ("fixed", LATE, [], False),
    "line_tolerance.overrun": ("gk", LATE, [], "0.05"),
    "line_tolerance.applies_to_fixed_amount": ("fixed", LATE, [], True),
    "retention.years": ("gk", LATE, [], 10),
    "interest.points_above_base": ("gk", LATE, [("reduction.threshold", "100.00")], "9"),
    "programme.call_date": ("bochum", date(2025, 6, 30), [], "2020-12-01"),
    "programme.rates.<key>": ("bochum", date(2025, 6, 30), [], "0.60"),
    "programme.default_tier": ("bochum-90", date(2025, 6, 30), [], "haushaltsnotlage"),
    "programme.tiers.<key>.condition": ("bochum-hn", date(2025, 6, 30), [], "Stärkungspakt"),
    "programme.tiers.<key>.up_to": ("bochum-hn-80", date(2025, 6, 30), [], True),
    "programme.phases.<key>.cap": ("bochum", date(2025, 6, 30), [], "1000000.00"),
    "programme.phases.<key>.cap_basis": (
        "bochum",
        date(2025, 6, 30),
        [("programme.phases.B.cap", "10000000.00")],
        "grant",
    ),
    "programme.phases.<key>.first_measures_cap": ("bochum", date(2025, 6, 30), [], "1.00"),
    # phase A (1.1 Mio € eligible) was extended: a cap after extension of 1 Mio € is exceeded
    "programme.phases.<key>.extended_cap": ("bochum", date(2025, 6, 30), [], "1000000.00"),
    # A ran 12 months and was extended by 7: at most 13 after the extension is an error
    "programme.phases.<key>.extended_max_duration": (
        "bochum",
        date(2025, 6, 30),
        [],
        {"amount": 13, "unit": "months"},
    ),
    "programme.phases.<key>.max_duration": (
        "bochum",
        date(2025, 6, 30),
        [],
        {"amount": 6, "unit": "months"},
    ),
    "programme.phases.<key>.proof_of_use_after_decision": (
        "bochum",
        date(2025, 6, 30),
        [],
        {"amount": 24, "unit": "months"},
    ),
    "programme.phases.<key>.final_instalment_after_proof": ("bochum", date(2025, 6, 30), [], False),
    "programme.drawdown.mode": (
        "bochum",
        date(2022, 1, 1),
        [("programme.drawdown.pooling", "weekly")],
        "day_of_need",
    ),
    "programme.drawdown.horizon": (
        "bochum",
        date(2022, 1, 1),
        [
            ("programme.drawdown.mode", "in_advance"),
            ("programme.drawdown.horizon", {"amount": 2, "unit": "months"}),
        ],
        {"amount": 1, "unit": "months"},
    ),
    "programme.drawdown.interval_months": ("bochum", date(2025, 6, 30), [], 3),
    "programme.drawdown.pooling": (
        "bochum",
        date(2022, 1, 1),
        [("programme.drawdown.mode", "day_of_need"), ("programme.drawdown.pooling", "weekly")],
        "monthly",
    ),
    "programme.extension_ceiling": ("bochum", date(2025, 6, 30), [], "2023-01-31"),
    "programme.milestones": ("bochum", date(2025, 6, 30), [], []),
    "programme.flat_rates.<key>.max_rate": ("flat", LATE, [], "0.15"),
    "programme.flat_rates.<key>.base": ("flat", LATE, [], ["material", "external_services"]),
}
"""How each value is shown to be read."""

_KEYS = {
    "programme.rates.<key>": "standard",
    "programme.tiers.<key>": "haushaltsnotlage",
    "programme.phases.<key>.cap_basis": "B",
    "programme.phases.<key>.final_instalment_after_proof": "B",
    "programme.phases.<key>": "A",
    "programme.flat_rates.<key>": "indirect",
}
"""Which rate tier or phase kind a path with ``<key>`` is tried on."""


def _concrete(path: str) -> str:
    for pattern, key in _KEYS.items():
        if path.startswith(pattern):
            return path.replace("<key>", key, 1)
    raise KeyError(path)


def _report(name: str, as_of: date, overrides: list[tuple[str, Any]]) -> dict[str, Any]:
    data = CASES[name]()
    chosen = {_concrete(path) if "<key>" in path else path: value for path, value in overrides}
    data["overrides"] = [
        {"path": path, "value": value, "reason": "Prüfung"} for path, value in chosen.items()
    ]
    dumped = fm.evaluate(fm.Case.from_data(data), as_of).model_dump(mode="json")
    # the rulebook and its echoes in the report are not figures
    dumped.pop("overrides")
    dumped.pop("rulebook")
    dumped["drawdowns"].pop("rule")
    return _without_echoes(dumped)


_ECHOES = frozenset({"points_above_base", "how", "formula", "max_rate", "categories"})
"""Keys that echo rulebook values: the interest points, the proof of use's formulas
(``Step.how`` and its words ``formula`` name the line tolerance and the threshold of ANBest
Nr. 2.2), and a flat-rate line's rule (``FlatRateLine.max_rate``, ``.categories``)."""


def _without_echoes(value: Any) -> Any:
    """The dump without rulebook echoes: the interest amounts, the figures must move."""
    if isinstance(value, dict):
        return {k: _without_echoes(v) for k, v in value.items() if k not in _ECHOES}
    if isinstance(value, list):
        return [_without_echoes(v) for v in value]
    return value


def test_every_rulebook_value_is_read_or_informs_only() -> None:
    informational = rules.informational_paths()
    assert all(reason.strip() for reason in informational.values())
    values = set(rules.override_paths()) - set(informational)
    assert values == set(WALK)


@pytest.mark.parametrize("path", sorted(WALK))
def test_changing_the_value_moves_the_report(path: str) -> None:
    name, as_of, scene, value = WALK[path]
    before = _report(name, as_of, scene)
    after = _report(name, as_of, [*scene, (path, value)])
    assert before != after, f"{path} = {value!r} changed nothing in case {name!r}"


@pytest.mark.parametrize("path", sorted(rules.informational_paths()))
def test_informational_values_change_no_figure(path: str) -> None:
    values = {
        "edition": "Sonderausgabe",
        "procurement.description": "anderes Vergaberecht",
        "procurement.threshold": "1.00",
        "budget_act_proviso": True,
        "programme.default_rulebook": "anbest-p-2019",
    }
    name = "bochum" if path.startswith("programme.") else "gk"
    assert _report(name, LATE, []) == _report(name, LATE, [(path, values[path])])


def test_the_walk_sees_a_value_that_is_not_read() -> None:
    # reduction.threshold changes nothing where expenditure matches the plan to the cent
    data = _two_lines(l2_spent="110000.00")
    data["expenditures"][2]["amount"] = "50000.00"
    CASES["exact"] = lambda: data
    try:
        assert _report("exact", LATE, []) == _report(
            "exact", LATE, [("reduction.threshold", "100.00")]
        )
    finally:
        del CASES["exact"]


def test_a_drawdown_mode_without_its_value_is_refused() -> None:
    data = _two_lines()
    data["overrides"] = [{"path": "drawdown.mode", "value": "in_arrears", "reason": "Bescheid"}]
    with pytest.raises(fm.CaseError, match="in_arrears braucht einen Wert für interval_months"):
        fm.Case.from_data(data)
    with pytest.raises(ValueError, match="braucht einen Wert für pooling"):
        rules.DrawdownRule(mode=rules.DrawdownMode.DAY_OF_NEED, source="ANBest-Gk Nr. 1.3")


def test_interest_points_move_late_use_and_refund_interest() -> None:
    # § 49a Abs. 3 VwVfG: five points above the Basiszinssatz unless the decision says otherwise
    def interest(points: str) -> tuple[Any, Any]:
        data = _two_lines()
        data["overrides"] = [
            {"path": "reduction.threshold", "value": "100.00", "reason": "Bescheid"},
            {"path": "interest.points_above_base", "value": points, "reason": "Bescheid"},
        ]
        report = fm.evaluate(fm.Case.from_data(data), LATE)
        refund = sum(
            (r.interest for p in report.proof_of_use.phases for r in p.refund_interest),
            start=fm.ZERO,
        )
        return report.interest.total, refund

    late_5, refund_5 = interest("5")
    late_9, refund_9 = interest("9")
    assert late_5 > 0
    assert refund_5 > 0
    assert late_9 > late_5
    assert refund_9 > refund_5
