"""Generate the illustrative ledgers of the example portfolio's Bochum grants.

ILLUSTRATIVE: every voucher, payee and amount is invented. For each case file below, the
plan of each budget line is booked month by month as the forecast spreads it (evenly over the
months of the budget year in the phase, to the cent), from the phase's start up to May 2025
(the cases' ``settings.ledger_complete_until``): one voucher per line and month, on the 15th.
Own staff are booked as monthly salary postings of the city; flat-rate lines have no vouchers.

One voucher is added on purpose to the Städtebauförderung ledger: SF-2024-09-G-1-N, invoice
2024-0256 of Grünpflege Mühlenbeck GmbH (04.09.2024, 12.054,96 €), which the MPSC ledger
(../bochum-ledger.csv) already claims as voucher BO-2024-006749 — the same invoice booked again
under another voucher number: the double claim the portfolio is to find.

Usage, from the repository root::

    python examples/portfolio/generate_ledgers.py

The output is deterministic: two runs give identical bytes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from foerdermittel import forecast, load_case
from foerdermittel.io.ledger import write_ledger_csv
from foerdermittel.model.records import Expenditure

HERE = Path(__file__).resolve().parent
UNTIL = date(2025, 5, 31)

STAFF = "Stadt Bochum, Personalkosten (Sammelbuchung)"

CASES: dict[str, tuple[str, dict[str, str]]] = {
    "kfw432-bochum.toml": (
        "KF",
        {
            "B-2": "Energieagentur Ruhr-Mitte GmbH (illustrativ)",
            "B-3": "Druckerei und Veranstaltungsservice Linden (illustrativ)",
        },
    ),
    "stadterneuerung-bochum.toml": (
        "SF",
        {
            "G-1": "Bauunternehmung Westenfeld GmbH (illustrativ)",
            "G-2": "Quartiersbüro Wattenscheid e. V. (illustrativ)",
        },
    ),
    "efre-bochum.toml": ("EF", {"V-2": "Klimatechnik Hellweg GmbH (illustrativ)"}),
}

DOUBLE_CLAIM = Expenditure(
    id="SF-2024-09-G-1-N",
    line="G-1",
    paid_on=date(2024, 9, 4),
    amount=Decimal("12054.96"),
    payee="Grünpflege Mühlenbeck GmbH",
    purpose="Rechnung 2024-0256 Pflanzarbeiten Pilotstandorte",
    invoice_number="2024-0256",
    invoice_date=date(2024, 8, 24),
)


def vouchers(name: str, prefix: str, payees: dict[str, str]) -> list[Expenditure]:
    """The vouchers of one case: its plan booked month by month up to ``UNTIL``."""
    case = load_case(HERE / name)
    case = case.model_copy(update={"ledger": None})
    staff = {line.id for line in case.plan.lines if line.category == "own_staff"}
    flat = {line.id for line in case.plan.lines if line.flat_rate is not None}
    out = []
    for line in forecast(case, UNTIL).lines:
        if line.line in flat:
            continue
        for month in line.months:
            if month.month > UNTIL or month.planned <= 0:
                continue
            own = line.line in staff
            out.append(
                Expenditure(
                    id=f"{prefix}-{month.month:%Y-%m}-{line.line}",
                    line=line.line,
                    paid_on=month.month.replace(day=15),
                    amount=month.planned,
                    payee=STAFF if own else payees[line.line],
                    purpose=f"{'Bezüge' if own else 'Abschlagsrechnung'} {month.month:%m/%Y}",
                )
            )
    if name.startswith("stadterneuerung"):
        out.append(DOUBLE_CLAIM)  # deliberately claimed twice (also in the MPSC ledger)
    return sorted(out, key=lambda v: (v.paid_on, v.id))


def main() -> None:
    """Write the three ledgers next to their case files."""
    for name, (prefix, payees) in CASES.items():
        target = HERE / name.replace(".toml", "-ledger.csv")
        write_ledger_csv(vouchers(name, prefix, payees), (), target)
        print(target.name)


if __name__ == "__main__":
    main()
