"""The portfolio's overview as text: all of a city's grants on one key date.

[`render_portfolio`][foerdermittel.export.portfolio_text.render_portfolio] lays out a
[`PortfolioReport`][foerdermittel.portfolio.PortfolioReport]: the header (city, key date,
grants), one line per grant with its money (approved, received, spent, not called, refund at
risk, its errors and warnings), the own share per budget year and per product against the
appropriation, the pre-financing of the coming months with its peak, the deadlines of the
coming weeks across grants with their owners and the missed ones, the portfolio's findings
with their legal basis, and its Abstimmung in one line. It formats; every figure is the
report's. German by default, English with ``lang="en"``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from foerdermittel import fmt
from foerdermittel.deadlines import DeadlineStatus
from foerdermittel.export.text_parts import (
    _finding_lines,
    _labelled,
    _reconciliation_lines,
    _table,
)
from foerdermittel.messages import DEFAULT_LANGUAGE, Words
from foerdermittel.money import ZERO
from foerdermittel.portfolio import (
    GrantControlling,
    Owner,
    PortfolioDeadline,
    PortfolioReport,
    PrefinancingMonth,
)

__all__ = [
    "DEADLINE_WEEKS",
    "PREFINANCING_MONTHS",
    "coming_deadlines",
    "coming_prefinancing",
    "overdue_deadlines",
    "render_portfolio",
]

DEADLINE_WEEKS = 8
"""How many weeks after the key date the overview lists deadlines."""

PREFINANCING_MONTHS = 12
"""How many months from the key date's month the overview lists the pre-financing."""

_OPEN = frozenset({DeadlineStatus.OPEN, DeadlineStatus.DUE_SOON})

_PEAK_GRANTS = 4
"""How many grants the peak of the pre-financing names, the largest parts first."""


def owner_text(owner: Owner) -> str:
    """The owner as one text: the office, and the person in brackets where named.

    Examples:
        >>> owner_text(Owner(office="Schulverwaltungsamt", person="Frau A"))
        'Schulverwaltungsamt (Frau A)'
    """
    return owner.office + (f" ({owner.person})" if owner.person else "")


def coming_deadlines(
    report: PortfolioReport, weeks: int = DEADLINE_WEEKS
) -> tuple[PortfolioDeadline, ...]:
    """The open deadlines after the key date up to ``weeks`` weeks on, by date.

    Examples:
        >>> from foerdermittel import evaluate_portfolio, load_portfolio
        >>> report = evaluate_portfolio(load_portfolio("examples/portfolio/portfolio.toml"),
        ...                             date(2026, 8, 15))
        >>> [(d.grant, d.deadline.end) for d in coming_deadlines(report)][:1]
        [('MPSC-2021-BO (illustrativ)', datetime.date(2026, 9, 30))]
    """
    until = report.as_of + timedelta(weeks=weeks)
    return tuple(
        d
        for d in report.deadlines
        if report.as_of < d.deadline.end <= until and d.deadline.status in _OPEN
    )


def overdue_deadlines(report: PortfolioReport) -> tuple[PortfolioDeadline, ...]:
    """The deadlines missed on the key date (not done in time, or done late), by date."""
    return tuple(d for d in report.deadlines if d.deadline.status is DeadlineStatus.MISSED)


def coming_prefinancing(
    report: PortfolioReport, months: int = PREFINANCING_MONTHS
) -> tuple[PrefinancingMonth, ...]:
    """The pre-financing of the key date's month and the ``months − 1`` months after it."""
    first = report.as_of.replace(day=1)
    shown = [m for m in report.prefinancing if m.month >= first]
    return tuple(shown[:months])


def _month(w: Words, month: date) -> str:
    return fmt.date(month, w.language.locale, w("portfolio.text.month-pattern"))


def _grant_rows(report: PortfolioReport, w: Words) -> list[list[str]]:
    head = (
        "grant",
        "programme",
        "owner",
        "approved",
        "called",
        "spent",
        "uncalled",
        "refund-at-risk",
        "findings",
    )
    rows = [[w(f"portfolio.text.head.{c}") for c in head]]
    infos = {g.key: g for g in report.grants}
    for c in report.controlling:
        info = infos[c.grant]
        rows.append(
            [
                c.grant,
                info.programme or "—",
                info.owner.office,
                w.money(c.approved),
                w.money(c.called),
                w.money(c.spent),
                w.money(c.uncalled),
                w.money(c.refund_at_risk),
                f"{c.errors}/{c.warnings}",
            ]
        )
    rows.append(
        [
            w("text.total"),
            "",
            "",
            *(w.money(_sum(report.controlling, field)) for field in _SUMMED),
            f"{sum(c.errors for c in report.controlling)}/"
            f"{sum(c.warnings for c in report.controlling)}",
        ]
    )
    return rows


_SUMMED = ("approved", "called", "spent", "uncalled", "refund_at_risk")


def _sum(items: tuple[GrantControlling, ...], field: str) -> Decimal:
    total = ZERO
    for item in items:
        value = getattr(item, field)
        assert isinstance(value, Decimal)
        total += value
    return total


def _note(w: Words, excess: Decimal, appropriation: Decimal | None) -> str:
    if appropriation is None:
        return w("portfolio.text.no-appropriation")
    return w("portfolio.text.over") if excess > 0 else ""


def _year_lines(report: PortfolioReport, w: Words) -> list[str]:
    columns = (
        "year",
        "own-share",
        "cash",
        "in-kind",
        "consumptive",
        "investive",
        "appropriation",
        "basis",
        "excess",
        "note",
    )
    rows = [[w(f"portfolio.text.head.{c}") for c in columns]]
    for y in report.years:
        rows.append(
            [
                str(y.year),
                w.money(y.own_share),
                w.money(y.cash),
                w.money(y.in_kind),
                w.money(y.consumptive),
                w.money(y.investive),
                w.money(y.appropriation) if y.appropriation is not None else "—",
                w(f"portfolio.basis-short.{y.basis.value}") if y.basis is not None else "",
                w.money(y.excess) if y.excess else "",
                _note(w, y.excess, y.appropriation),
            ]
        )
    compared = w(f"portfolio.compared.{report.appropriations_cover}")
    lines = ["", w("portfolio.text.years-title"), *_table(rows, "lrrrrrrlrl")]
    lines.append(f"{w('portfolio.text.compared')}: {compared}")
    rows = [
        [w(f"portfolio.text.head.{c}") for c in ("product", "year", "own-share")]
        + [w(f"portfolio.text.head.{c}") for c in ("appropriation", "excess", "note")]
    ]
    for p in report.products:
        rows.append(
            [
                p.product,
                str(p.year),
                w.money(p.own_share),
                w.money(p.appropriation) if p.appropriation is not None else "—",
                w.money(p.excess) if p.excess else "",
                _note(w, p.excess, p.appropriation),
            ]
        )
    return [*lines, "", w("portfolio.text.products-title"), *_table(rows, "llrrrl")]


def _prefinancing_lines(report: PortfolioReport, w: Words) -> list[str]:
    shown = coming_prefinancing(report)
    if not report.prefinancing or not shown:
        return ["", w("portfolio.text.prefinancing-none")]
    columns = ("month", "prefinanced", "continued")
    rows = [[w(f"portfolio.text.head.{c}") for c in columns]]
    for m in shown:
        continued = sum(m.continued.values(), ZERO)
        rows.append([_month(w, m.month), w.money(m.total), w.money(continued) if continued else ""])
    lines = ["", w("portfolio.text.prefinancing-title", count=len(shown)), *_table(rows, "lrr")]
    peak = max(report.prefinancing, key=lambda m: m.total)  # the first month of the peak
    if peak.total > 0:
        parts = sorted(peak.grants.items(), key=lambda item: (-item[1], item[0]))
        named = parts[:_PEAK_GRANTS]
        share = ", ".join(f"{fmt.visible(key)} {w.money(amount)}" for key, amount in named)
        if len(parts) > len(named):
            share += w("portfolio.text.prefinancing-others", count=len(parts) - len(named))
        month = _month(w, peak.month)
        lines.append(
            w("portfolio.text.prefinancing-max", amount=peak.total, month=month, grants=share)
        )
    last = [m for m in report.prefinancing if m.total > 0]
    if last and last[-1].month > shown[-1].month:
        lines.append(w("portfolio.text.prefinancing-later", month=_month(w, last[-1].month)))
    return lines


def _deadline_row(item: PortfolioDeadline, w: Words) -> list[str]:
    d = item.deadline
    status = w(f"deadline-status.{d.status.value}")
    if d.submitted_on is not None:
        status += f" ({w.date(d.submitted_on)})"
    elif d.calls_for_action:
        status += f", {w('portfolio.text.deadline-action')}"
    return [w.weekday(d.end), item.grant, d.title_in(w.lang), status, owner_text(item.owner)]


def _deadline_lines(report: PortfolioReport, w: Words) -> list[str]:
    until = report.as_of + timedelta(weeks=DEADLINE_WEEKS)
    lines = ["", w("portfolio.text.deadlines-title", day=until, count=DEADLINE_WEEKS)]
    shown = sorted(
        (*overdue_deadlines(report), *coming_deadlines(report)), key=lambda d: d.deadline.end
    )
    if shown:
        columns = ("date", "grant", "deadline", "status", "owner")
        rows = [[w(f"portfolio.text.head.{c}") for c in columns]]
        rows += [_deadline_row(item, w) for item in shown]
        lines += ["  " + row for row in _table(rows, "lllll")]
    else:
        lines.append(w("portfolio.text.deadlines-none"))
    later = [d for d in report.deadlines if d.deadline.end > until and d.deadline.calls_for_action]
    if later:
        first = later[0]
        lines.append(
            w(
                "portfolio.text.deadlines-next",
                day=first.deadline.end,
                grant=fmt.visible(first.grant),
                title=fmt.visible(first.deadline.title_in(w.lang)),
                owner=fmt.visible(owner_text(first.owner)),
            )
        )
    return lines


def render_portfolio(report: PortfolioReport, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """The portfolio's overview as text for the terminal (German, or ``lang="en"``).

    Examples:
        >>> from foerdermittel import evaluate_portfolio, load_portfolio
        >>> report = evaluate_portfolio(load_portfolio("examples/portfolio/portfolio.toml"),
        ...                             date(2025, 6, 30))
        >>> text = render_portfolio(report)
        >>> print(text.splitlines()[2])
        Kommune:     Stadt Bochum (NW)
        >>> year = next(line for line in text.splitlines() if line.startswith("2025 "))
        >>> "1.950.000,00" in year, "117.585,32" in year, year.endswith("über dem Ansatz")
        (True, True, True)
    """
    w = Words(lang)
    title = fmt.visible(report.title or report.city.name)
    lines = [title, "=" * len(title)]
    city = w("portfolio.text.city-of", name=report.city.name, land=report.city.land)
    lines += _labelled(
        w,
        [
            ("portfolio.text.city", fmt.visible(city)),
            ("portfolio.text.as-of", w.date(report.as_of)),
            ("portfolio.text.grants", str(len(report.grants))),
        ],
    )
    lines += ["", w("portfolio.text.grants-title"), *_table(_grant_rows(report, w), "lllrrrrrr")]
    lines += _year_lines(report, w)
    lines += _prefinancing_lines(report, w)
    lines += _deadline_lines(report, w)
    lines += ["", *_reconciliation_lines(report.reconciliation, w), ""]
    if report.findings:
        shown_above = sum(f.code == "reconciliation-failed" for f in report.findings)
        key = "text.findings.count-above" if shown_above else "text.findings.count"
        lines.append(w(key, count=len(report.findings), above=shown_above))
        for f in report.findings:
            if f.code != "reconciliation-failed":
                lines += _finding_lines(f, w)
    else:
        lines.append(w("text.findings.none"))
    lines.append(w("portfolio.text.findings-grants"))
    return "\n".join(lines) + "\n"
