"""pandas DataFrames of a report's parts, for analysis in Jupyter (optional extra ``pandas``).

Amounts stay exact: they are ``Decimal`` values in ``object`` columns, so sums keep every
cent. pandas' ``Styler.format(decimal=",", thousands=".")`` ignores ``Decimal`` columns; use
[`german`][foerdermittel.export.frames.german] for display, which formats through babel
(explicit ``de_DE``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from foerdermittel import fmt
from foerdermittel.errors import ArgumentError
from foerdermittel.message_types import words

if TYPE_CHECKING:
    import pandas as pd

    from foerdermittel.portfolio import PortfolioReport
    from foerdermittel.report import Report
    from foerdermittel.scenarios import ComparisonTable

__all__ = [
    "comparison_frame",
    "deadlines_frame",
    "drawdowns_frame",
    "financing_frame",
    "german",
    "lines_frame",
    "own_share_frame",
    "portfolio_frame",
    "portfolio_frames",
    "to_frame",
]


def _frame(rows: list[dict[str, Any]], index: str | None = None) -> pd.DataFrame:
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportError(
            "DataFrames brauchen pandas: pip install 'foerdermittel[pandas]'"
        ) from exc
    frame = pandas.DataFrame(rows)
    return frame.set_index(index) if index is not None and rows else frame


def financing_frame(report: Report) -> pd.DataFrame:
    """Grant, own share and third-party money per phase."""
    rows = [
        {
            "Phase": p.phase,
            "Bezeichnung": p.title,
            "zuwendungsfähig": p.eligible_expenditure,
            "Förderquote": p.rate,
            "Zuwendung": p.grant,
            "Eigenanteil": p.own_share,
            "Drittmittel": p.third_party,
            "andere öffentliche": p.other_public,
        }
        for p in report.financing.phases
    ]
    return _frame(rows, "Phase")


def drawdowns_frame(report: Report) -> pd.DataFrame:
    """Every call of the drawdown plan."""
    rows = [
        {
            "Datum": c.on,
            "Phase": c.phase,
            "Betrag": c.amount,
            "von": c.covers_from,
            "bis": c.covers_to,
            "Art": "ausgezahlt" if c.kind == "recorded" else "geplant",
            "kumuliert": c.cumulative,
            "Schlussrate": c.withheld,
        }
        for c in report.drawdowns.calls
    ]
    return _frame(rows)


def own_share_frame(report: Report) -> pd.DataFrame:
    """The own share per budget year."""
    rows = [
        {
            "Jahr": y.year,
            "Ausgaben": y.expenditure,
            "Zuwendung": y.grant_share,
            "Drittmittel": y.third_party_share,
            "Eigenanteil": y.own_share,
            "Eigenleistung": y.in_kind,
            "nicht zuwendungsfähig": y.ineligible,
            "Vorfinanzierung max.": y.max_prefinanced,
            "veranschlagt": y.budgeted,
        }
        for y in report.own_share.years
    ]
    return _frame(rows, "Jahr")


def deadlines_frame(report: Report) -> pd.DataFrame:
    """Every deadline with its status."""
    rows = [
        {
            "Frist": d.end,
            "Kennung": d.id,
            "Was": d.title_in("de"),
            "Status": words(d.status.message),
            "Rechtsgrundlage": d.legal_source,
            "rechnerisch": d.raw_end,
            "ursprünglich": d.original_end,
            "Verschiebung": d.shift_reason_in("de"),
        }
        for d in report.deadlines
    ]
    return _frame(rows)


def lines_frame(report: Report) -> pd.DataFrame:
    """Plan against actual per budget line (where vouchers are recorded), else the plan."""
    if report.proof_of_use.evaluated:
        rows: list[dict[str, Any]] = [
            {
                "Ansatz": r.line,
                "Bezeichnung": r.title,
                "Phase": r.phase,
                "Plan": r.planned,
                "Ist": r.actual,
                "Abweichung": r.difference,
                "Abweichung %": r.difference_pct,
                "Status": r.status,
            }
            for r in report.proof_of_use.lines
        ]
    else:
        rows = [
            {
                "Ansatz": line.id,
                "Bezeichnung": line.title,
                "Phase": line.phase,
                "Plan": line.total,
            }
            for line in report.plan.lines
        ]
    return _frame(rows, "Ansatz")


def comparison_frame(table: ComparisonTable) -> pd.DataFrame:
    """A scenario comparison: one row per scenario, one column per figure and budget year."""
    years = table.years()
    burden_years = sorted({y for row in table.rows for y in row.burden_by_year})
    rows = []
    for row in table.rows:
        item: dict[str, Any] = {"Szenario": words(row.label), **row.parameters}
        item.update(
            {
                "Gesamtausgaben": row.total_cost,
                "Zuwendung": row.grant,
                "Drittmittel": row.third_party,
                "Eigenanteil": row.own_share,
                **{
                    f"Eigenanteil {y}": row.own_share_by_year.get(y, Decimal("0.00")) for y in years
                },
                "Belastung": row.burden,
                **{
                    f"Belastung {y}": row.burden_by_year.get(y, Decimal("0.00"))
                    for y in burden_years
                },
                "Erstattung": row.refund,
                "Zinsen": row.interest,
                "letzter Abruf": row.last_call,
                "Fristen versäumt": row.deadlines_missed,
                "Fehler": row.errors,
                "Warnungen": row.warnings,
                "Abstimmung": "stimmt"
                if row.reconciled
                else "; ".join(words(check) for check in row.failed_checks),
                "Hinweise": " ".join(words(remark) for remark in row.remarks),
            }
        )
        rows.append(item)
    return _frame(rows, "Szenario")


_PARTS = {
    "financing": financing_frame,
    "drawdowns": drawdowns_frame,
    "own_share": own_share_frame,
    "deadlines": deadlines_frame,
    "lines": lines_frame,
}


def to_frame(report: Report, part: str = "financing") -> pd.DataFrame:
    """One part of the report as a DataFrame.

    The parts: ``financing``, ``drawdowns``, ``own_share``, ``deadlines`` or ``lines``.

    Raises:
        ArgumentError: an unknown part (a ``ValueError``); the message lists the valid ones.
    """
    try:
        return _PARTS[part](report)
    except KeyError:
        raise ArgumentError(
            "to_frame", "part", part, "unbekannter Teil; gültig sind: " + ", ".join(_PARTS)
        ) from None


def _portfolio_years(report: PortfolioReport) -> pd.DataFrame:
    rows = [
        {
            "Jahr": y.year,
            "Eigenanteil": y.own_share,
            "bar": y.cash,
            "Eigenleistung": y.in_kind,
            "konsumtiv": y.consumptive,
            "investiv": y.investive,
            "nicht zuwendungsfähig": y.ineligible,
            "verglichen": y.compared,
            "Ansatz": y.appropriation,
            "Grundlage": y.basis.value if y.basis is not None else None,
            "Überschreitung": y.excess,
        }
        for y in report.years
    ]
    return _frame(rows, "Jahr")


def _portfolio_products(report: PortfolioReport) -> pd.DataFrame:
    rows = [
        {
            "Produkt": p.product,
            "Jahr": p.year,
            "Eigenanteil": p.own_share,
            "bar": p.cash,
            "Eigenleistung": p.in_kind,
            "verglichen": p.compared,
            "Ansatz": p.appropriation,
            "Grundlage": p.basis.value if p.basis is not None else None,
            "Überschreitung": p.excess,
        }
        for p in report.products
    ]
    frame = _frame(rows)
    return frame.set_index(["Produkt", "Jahr"]) if rows else frame


def _portfolio_prefinancing(report: PortfolioReport) -> pd.DataFrame:
    keys = [g.key for g in report.grants]
    rows = [
        {
            "Monat": m.month,
            "vorfinanziert": m.total,
            "davon nach Ende der Ausgaben": sum(m.continued.values(), Decimal("0.00")),
            **{key: m.grants.get(key, Decimal("0.00")) for key in keys},
        }
        for m in report.prefinancing
    ]
    return _frame(rows, "Monat")


def _portfolio_deadlines(report: PortfolioReport) -> pd.DataFrame:
    rows = [
        {
            "Frist": d.deadline.end,
            "Förderfall": d.grant,
            "Kennung": d.deadline.id,
            "Was": d.deadline.title_in("de"),
            "Status": words(d.deadline.status.message),
            "zu erledigen": d.deadline.calls_for_action,
            "Federführung": d.owner.office,
            "Person": d.owner.person,
            "Rechtsgrundlage": d.deadline.legal_source,
        }
        for d in report.deadlines
    ]
    return _frame(rows)


def _portfolio_controlling(report: PortfolioReport) -> pd.DataFrame:
    infos = {g.key: g for g in report.grants}
    rows = [
        {
            "Förderfall": c.grant,
            "Programm": infos[c.grant].programme,
            "Federführung": infos[c.grant].owner.office,
            "Produkt": infos[c.grant].budget.product,
            "bewilligt": c.approved,
            "zuwendungsfähig": c.eligible_expenditure,
            "ausgegeben": c.spent,
            "erhalten": c.called,
            "noch geplante Abrufe": c.planned_calls,
            "nicht abgerufen": c.uncalled,
            "Abrufquote": c.called_rate,
            "Ausgabenquote": c.spent_rate,
            "vorfinanziert": c.prefinanced,
            "verfallene Jahresraten": c.lapsed,
            "Erstattung": c.refund,
            "Rückforderungsrisiko": c.refund_at_risk,
            "Fehler": c.errors,
            "Warnungen": c.warnings,
            "Abstimmung stimmt": c.reconciled,
        }
        for c in report.controlling
    ]
    return _frame(rows, "Förderfall")


_PORTFOLIO_PARTS = {
    "years": _portfolio_years,
    "products": _portfolio_products,
    "prefinancing": _portfolio_prefinancing,
    "deadlines": _portfolio_deadlines,
    "controlling": _portfolio_controlling,
}


def portfolio_frame(report: PortfolioReport, part: str = "years") -> pd.DataFrame:
    """One part of a portfolio report as a DataFrame.

    The parts: ``years`` (own share per budget year against the appropriation), ``products``
    (the same per product and year), ``prefinancing`` (per month, the total and each grant's
    part), ``deadlines`` (every grant's, with the owner) or ``controlling`` (per grant).

    Raises:
        ArgumentError: an unknown part (a ``ValueError``); the message lists the valid ones.
    """
    try:
        return _PORTFOLIO_PARTS[part](report)
    except KeyError:
        raise ArgumentError(
            "portfolio_frame",
            "part",
            part,
            "unbekannter Teil; gültig sind: " + ", ".join(_PORTFOLIO_PARTS),
        ) from None


def portfolio_frames(report: PortfolioReport) -> dict[str, pd.DataFrame]:
    """Every part of a portfolio report as a DataFrame, by part (see `portfolio_frame`).

    Examples:
        >>> from datetime import date
        >>> from foerdermittel import evaluate_portfolio, load_portfolio
        >>> report = evaluate_portfolio(load_portfolio("examples/portfolio/portfolio.toml"),
        ...                             date(2025, 6, 30))
        >>> frames = portfolio_frames(report)
        >>> list(frames)
        ['years', 'products', 'prefinancing', 'deadlines', 'controlling']
        >>> frames["years"].loc[2025, "Überschreitung"]
        Decimal('117585.32')
    """
    return {part: make(report) for part, make in _PORTFOLIO_PARTS.items()}


def german(frame: pd.DataFrame) -> Any:
    """A ``Styler`` that shows ``Decimal`` amounts as ``1.234,56 €`` and dates as ``TT.MM.JJJJ``."""
    import datetime as dt

    def cell(value: object) -> str:
        if isinstance(value, Decimal):
            return fmt.money(value)
        if isinstance(value, dt.date):
            return fmt.date(value)
        if value is None:
            return "—"
        return str(value)

    return frame.style.format(cell)
