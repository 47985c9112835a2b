"""A generated portfolio of many grants with ledgers, for the portfolio benchmark.

``write_portfolio(directory, grants, vouchers)`` writes a portfolio file, one JSON case file per
grant and one German ledger CSV per grant. The grants are copies of the example portfolio's
grants (KfW 432, Städtebauförderung NRW, EFRE/JTF NRW; every tenth the Bochum MPSC case) under
their shipped programmes, each with its own grant id and its amounts multiplied by a whole
factor of 1 to 5 (KfW 432 and MPSC as they are: the programme caps KfW's grant), so every amount
stays exact to the cent and the grant's own figures keep their proportions. Each ledger holds
about ``vouchers`` expenditures up to the case's ``ledger_complete_until`` (31.05.2025 where the
case gives none): every planned line-month up to then (flat-rate lines excepted: they have no
vouchers) split into vouchers with random weights, to the cent, so a ledger books what was
planned. Deterministic: the same arguments write the same bytes.
"""

from __future__ import annotations

import csv
import json
import random
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from foerdermittel.money import allocate

ROOT = Path(__file__).resolve().parent.parent / "examples"
TEMPLATES = (
    ("portfolio/kfw432-bochum.toml", "14.01.02", "consumptive", "Umwelt- und Grünflächenamt"),
    ("portfolio/stadterneuerung-bochum.toml", "09.02.01", "investive", "Amt für Stadtplanung"),
    ("portfolio/efre-bochum.toml", "14.01.03", "consumptive", "Umwelt- und Grünflächenamt"),
)
MPSC = ("bochum-mpsc.toml", "01.12.01", "consumptive", "Stabsstelle Smart City")
PAYEES = (
    "Ingenieurgesellschaft Ruhrtal mbH",
    "Sensorik West GmbH & Co. KG",
    "Büro für Beteiligung Müller",
    "Stadt Bochum, Personalkosten (Sammelbuchung)",
    "Druckerei und Veranstaltungsservice Linden",
    "Grünpflege Mühlenbeck GmbH",
)
CUT = date(2025, 5, 31)
"""The ledgers' cut-off where a template gives none."""
HEADER = (
    "Belegnummer",
    "Zahlungsdatum",
    "Betrag",
    "Netto",
    "Einzelansatz",
    "Zahlungsempfänger",
    "Verwendungszweck",
    "Art",
    "Bezug",
    "Finanzierungsquelle",
)


def _template(name: str) -> dict[str, Any]:
    with (ROOT / name).open("rb") as handle:
        data: dict[str, Any] = tomllib.load(handle, parse_float=Decimal)
    return data


def _scaled(value: Any, factor: int) -> Any:
    """Every decimal amount times ``factor`` (cents stay cents); other values as they are."""
    if isinstance(value, Decimal):
        return value * factor
    if isinstance(value, dict):
        return {k: _scaled(v, factor) for k, v in value.items()}
    if isinstance(value, list):
        return [_scaled(v, factor) for v in value]
    return value


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def _months(start: date, end: date) -> list[date]:
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _line_months(data: dict[str, Any], cut: date) -> list[tuple[str, date, Decimal]]:
    """Every planned (line, month, amount) up to ``cut``: yearly amounts spread evenly."""
    phases = {p["id"]: p for p in data["grant"]["phases"]}
    for amendment in data.get("amendments", []):
        for change in amendment.get("phases", []):
            if change.get("new_end"):
                phases[change["phase"]] = dict(phases[change["phase"]], end=change["new_end"])
    result = []
    for line in data["plan"]["lines"]:
        if line.get("flat_rate"):
            continue
        phase = phases[line["phase"]]
        months = _months(phase["start"], phase["end"])
        for year, amount in line["amounts"].items():
            in_year = [m for m in months if m.year == int(year)]
            if not in_year:
                continue
            parts = allocate(amount, [Decimal(1)] * len(in_year))
            result.extend(
                (line["id"], m, part)
                for m, part in zip(in_year, parts, strict=True)
                if m.replace(day=28) <= cut and part > 0
            )
    return result


def _ledger(
    data: dict[str, Any], number: int, vouchers: int, rng: random.Random
) -> list[tuple[str, ...]]:
    settings = data.setdefault("settings", {})
    cut = settings.setdefault("ledger_complete_until", CUT)
    planned = _line_months(data, cut)
    if not planned:
        return []
    per = max(1, vouchers // len(planned))
    rows = []
    for line, month, amount in planned:
        count = min(per, int(amount * 100) // 100 or 1)
        weights = [Decimal(rng.randrange(1, 100)) for _ in range(count)]
        for index, part in enumerate(allocate(amount, weights)):
            day = month.replace(day=1 + rng.randrange(28))
            rows.append(
                (
                    f"G{number:04d}-{day:%Y%m}-{line}-{index:03d}",
                    f"{day:%d.%m.%Y}",
                    f"{part}".replace(".", ","),
                    "",
                    line,
                    rng.choice(PAYEES),
                    f"Rechnung {day:%Y-%m} Nr. {index + 1} zu {line}",
                    "Ausgabe",
                    "",
                    "",
                )
            )
    return rows


def write_portfolio(directory: Path, grants: int, vouchers: int = 2_000, seed: int = 17) -> Path:
    """Write a portfolio of ``grants`` grants with about ``vouchers`` vouchers each.

    Returns:
        The portfolio file.
    """
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}-{grants}-{vouchers}")
    entries = []
    for number in range(grants):
        name, product, kind, office = MPSC if number % 10 == 9 else TEMPLATES[number % 3]
        # KfW 432 caps the grant at 210.000 € and MPSC is large already: those stay as they are
        factor = 1 if name in (MPSC[0], TEMPLATES[0][0]) else 1 + rng.randrange(5)
        data = _scaled(_template(name), factor)
        data["grant"]["id"] = f"{data['grant']['id']} #{number:04d}"
        data["title"] = f"{data.get('title', '')} #{number:04d}"
        data.pop("scenarios", None)
        rows = _ledger(data, number, vouchers, rng)
        ledger = f"g{number:04d}-ledger.csv"
        data["ledger"] = {"file": ledger}
        with (directory / ledger).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(rows)
        case = f"g{number:04d}.json"
        (directory / case).write_text(json.dumps(_json(data), ensure_ascii=False, indent=1))
        entries.append(
            f'[[grants]]\nfile = "{case}"\nowner = {{ office = "{office}" }}\n'
            f'budget = {{ product = "{product}", kind = "{kind}" }}\n'
        )
    portfolio = directory / "portfolio.toml"
    portfolio.write_text(
        f'title = "Generiertes Portfolio ({grants} Förderfälle)"\n\n'
        '[city]\nname = "Stadt Bochum"\nland = "NW"\n\n' + "\n".join(entries),
        encoding="utf-8",
    )
    return portfolio


if __name__ == "__main__":  # pragma: no cover - by hand: python benchmarks/portfolio_gen.py DIR N
    import sys

    print(write_portfolio(Path(sys.argv[1]), int(sys.argv[2])))
