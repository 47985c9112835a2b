"""HTML views of a report for Jupyter (``_repr_html_``): catalogue words, user text escaped.

Each view takes ``lang`` (``"de"``, the default, or ``"en"``) for its words and figures.

Every piece of text that may come from a user (names, titles, messages) goes through
``html.escape``; the views use plain HTML and inline CSS (no scripts), and each carries a
``<pre>`` text fallback for viewers that do not render HTML.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from foerdermittel.errors import Severity
from foerdermittel.export.text import comparison_cells, comparison_text, render_report
from foerdermittel.messages import DEFAULT_LANGUAGE, Words

if TYPE_CHECKING:
    from foerdermittel.drawdowns import DrawdownPlan
    from foerdermittel.financing import Financing
    from foerdermittel.own_share_plan import OwnSharePlan
    from foerdermittel.portfolio import PortfolioReport
    from foerdermittel.proof import ProofOfUse
    from foerdermittel.report import Report
    from foerdermittel.scenarios import ComparisonTable

__all__ = [
    "comparison_html",
    "drawdowns_html",
    "financing_html",
    "own_share_html",
    "portfolio_html",
    "proof_html",
    "report_html",
]

_STYLE = "border-collapse:collapse;font-size:0.9em"
_COLOURS = {Severity.ERROR: "#b00020", Severity.WARNING: "#b36b00", Severity.INFO: "#555"}


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> str:
    def cell(tag: str, text: str, a: str) -> str:
        side = "left" if a == "l" else "right"
        return f'<{tag} style="text-align:{side};padding:2px 8px">{html.escape(text)}</{tag}>'

    th = "".join(cell("th", h, a) for h, a in zip(head, align, strict=True))
    body = "".join(
        "<tr>" + "".join(cell("td", c, a) for c, a in zip(r, align, strict=True)) + "</tr>"
        for r in rows
    )
    return f'<table style="{_STYLE}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def _fallback(text: str) -> str:
    return f"<details><summary>Text</summary><pre>{html.escape(text)}</pre></details>"


def financing_html(financing: Financing, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """Grant, own share and third-party money per phase."""
    w = Words(lang)
    head = [w(f"text.report.head.{c}") for c in ("phase", "eligible", "grant", "own-share")]
    head.append(w("text.report.head.third-party"))
    rows = [
        [
            f"{p.phase} {p.title}",
            w.money(p.eligible_expenditure),
            w.money(p.grant),
            w.money(p.own_share),
            w.money(p.third_party + p.other_public),
        ]
        for p in financing.phases
    ]
    rows.append(
        [
            w("text.total"),
            w.money(financing.eligible_expenditure),
            w.money(financing.grant),
            w.money(financing.own_share),
            w.money(financing.third_party + financing.other_public),
        ]
    )
    return _table(head, rows, "lrrrr")


def drawdowns_html(plan: DrawdownPlan, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """Every call of the drawdown plan."""
    w = Words(lang)
    columns = ("date", "phase", "amount", "covers", "cumulative", "kind")
    head = [w(f"html.drawdowns.head.{c}") for c in columns]
    final = w("text.drawdown.final")
    rows = [
        [
            w.date(c.on),
            c.phase,
            w.money(c.amount),
            f"{w.date(c.covers_from)}–{w.date(c.covers_to)}",
            w.money(c.cumulative),
            w(f"text.replan.kind.{c.kind}") + (f" ({final})" if c.withheld else ""),
        ]
        for c in plan.calls
    ]
    return _table(head, rows, "llrlrl")


def own_share_html(plan: OwnSharePlan, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """The own share per budget year."""
    w = Words(lang)
    columns = ("year", "expenditure", "grant", "own-share", "in-kind", "budgeted")
    head = [w(f"html.own-share.head.{c}") for c in columns]
    rows = [
        [
            str(y.year),
            w.money(y.expenditure),
            w.money(y.grant_share),
            w.money(y.burden),
            w.money(y.in_kind),
            w.money(y.budgeted) if y.budgeted is not None else "—",
        ]
        for y in plan.years
    ]
    return _table(head, rows, "lrrrrr")


def proof_html(proof: ProofOfUse, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """The payment block of the proof of use and plan against actual per line."""
    w = Words(lang)
    if not proof.evaluated:
        return f"<p>{html.escape(w('html.proof.no-vouchers'))}</p>"
    columns = ("phase", "approved", "final", "paid", "balance")
    head = [w(f"text.proof.payments.head.{c}") for c in columns]
    projected = w("text.proof.payments.projected")
    rows = [
        [
            p.phase + (f" ({projected})" if p.projected else ""),
            w.money(p.reduction.approved),
            w.money(p.reduction.final),
            w.money(p.paid),
            w.money(p.balance),
        ]
        for p in proof.phases
    ]
    lines = [
        [
            r.line,
            w.money(r.planned),
            w.money(r.actual),
            "—" if r.difference_pct is None else w.percent(r.difference_pct / 100),
            w(f"line-status.{r.status}"),
        ]
        for r in proof.lines
    ]
    columns = ("line", "planned", "actual", "difference", "status")
    return _table(head, rows, "lrrrr") + _table(
        [w(f"html.proof.lines.head.{c}") for c in columns], lines, "lrrrl"
    )


def report_html(report: Report, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """A summary card of the report: key figures, next deadline, findings, then the tables."""
    w = Words(lang)
    grant = report.grant
    title = html.escape(report.title or grant.id)
    upcoming = [
        d for d in report.deadlines if d.action_required and d.status.value in {"open", "due_soon"}
    ]
    next_line = "—"
    if upcoming:
        first = upcoming[0]
        days = (first.end - report.as_of).days
        next_line = w("html.report.next", day=first.end, count=days, title=first.title_in(lang))
    figures = [
        [w("html.report.grant"), w.money(report.financing.grant)],
        [w("html.report.own-share"), w.money(report.financing.own_share)],
        [w("html.report.paid"), w.money(report.drawdowns.paid)],
        [w("html.report.next-deadline"), next_line],
    ]
    findings = "".join(
        f'<li style="color:{_COLOURS[f.severity]}">'
        f"{html.escape(w(f'severity.{f.severity.value}'))}: "
        f"{html.escape(f.subject_in(lang))}: {html.escape(f.message_in(lang))}</li>"
        for f in report.findings
    )
    return (
        f"<div><h3>{title}</h3>"
        f"<p>{html.escape(grant.recipient)} · {html.escape(grant.id)} · "
        f"{html.escape(w('html.report.as-of', day=report.as_of))}</p>"
        + _table(["", ""], figures, "lr")
        + (
            f"<ul>{findings}</ul>"
            if findings
            else f"<p>{html.escape(w('html.report.no-findings'))}</p>"
        )
        + f"<h4>{html.escape(w('html.report.financing'))}</h4>"
        + financing_html(report.financing, lang=lang)
        + f"<h4>{html.escape(w('html.report.own-share-years'))}</h4>"
        + own_share_html(report.own_share, lang=lang)
        + _fallback(render_report(report, lang=lang))
        + "</div>"
    )


def comparison_html(table: ComparisonTable, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """The scenario comparison: one column per scenario and one row per figure.

    A notebook has room for a few scenarios side by side, not for a column per budget year;
    wider tables scroll.
    """
    w = Words(lang)
    head, body = comparison_cells(table, lang=lang)
    names = "".join(f'<th style="text-align:right">{html.escape(r[0])}</th>' for r in body)
    trs = "".join(
        f'<tr><th style="text-align:left">{html.escape(label)}</th>'
        + "".join(f'<td style="text-align:right">{html.escape(r[i])}</td>' for r in body)
        + "</tr>"
        for i, label in enumerate(head)
        if i > 0
    )
    if any(row.remarks for row in table.rows):
        trs += (
            f'<tr><th style="text-align:left">{html.escape(w("html.compare.notes"))}</th>'
            + "".join(
                '<td style="text-align:left">'
                + "<br>".join(html.escape(w.of(remark)) for remark in row.remarks)
                + "</td>"
                for row in table.rows
            )
            + "</tr>"
        )
    title = html.escape(w("cli.compare.title", day=table.as_of))
    return (
        f'<div style="max-width:100%;overflow-x:auto"><strong>{title}</strong>'
        f"<table><thead><tr><th></th>{names}</tr></thead><tbody>{trs}</tbody></table>"
        f"<pre style='display:none'>{html.escape(comparison_text(table, lang=lang))}</pre></div>"
    )


def portfolio_html(report: PortfolioReport, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """A portfolio: its grants' money, the own share per year, the coming deadlines, findings.

    The tables are the text overview's
    ([`render_portfolio`][foerdermittel.export.portfolio_text.render_portfolio]), which is the
    fallback below them.
    """
    from foerdermittel.export.portfolio_text import (
        DEADLINE_WEEKS,
        coming_deadlines,
        overdue_deadlines,
        owner_text,
        render_portfolio,
    )

    w = Words(lang)
    title = html.escape(report.title or report.city.name)
    summary = w(
        "portfolio.html.summary",
        city=report.city.name,
        day=report.as_of,
        count=len(report.grants),
    )
    columns = ("grant", "owner", "approved", "called", "spent", "uncalled", "refund-at-risk")
    head = [w(f"portfolio.text.head.{c}") for c in columns]
    head.append(w("portfolio.text.head.findings"))
    infos = {g.key: g for g in report.grants}
    grants = [
        [
            c.grant,
            infos[c.grant].owner.office,
            w.money(c.approved),
            w.money(c.called),
            w.money(c.spent),
            w.money(c.uncalled),
            w.money(c.refund_at_risk),
            f"{c.errors}/{c.warnings}",
        ]
        for c in report.controlling
    ]
    year_columns = ("year", "own-share", "appropriation", "excess")
    years = [
        [
            str(y.year),
            w.money(y.own_share),
            w.money(y.appropriation) if y.appropriation is not None else "—",
            w.money(y.excess) if y.excess else "",
        ]
        for y in report.years
    ]
    shown = sorted(
        (*overdue_deadlines(report), *coming_deadlines(report)), key=lambda d: d.deadline.end
    )
    deadlines = [
        [
            w.date(d.deadline.end),
            d.grant,
            d.deadline.title_in(lang),
            w(f"deadline-status.{d.deadline.status.value}"),
            owner_text(d.owner),
        ]
        for d in shown
    ]
    findings = "".join(
        f'<li style="color:{_COLOURS[f.severity]}">'
        f"{html.escape(w(f'severity.{f.severity.value}'))}: "
        f"{html.escape(f.subject_in(lang))}: {html.escape(f.message_in(lang))}</li>"
        for f in report.findings
    )
    deadline_head = [w(f"portfolio.text.head.{c}") for c in ("date", "grant", "deadline")]
    deadline_head += [w("portfolio.text.head.status"), w("portfolio.text.head.owner")]
    return (
        f"<div><h3>{title}</h3><p>{html.escape(summary)}</p>"
        f"<h4>{html.escape(w('portfolio.html.grants'))}</h4>"
        + _table(head, grants, "llrrrrrr")
        + f"<h4>{html.escape(w('portfolio.html.years'))}</h4>"
        + _table([w(f"portfolio.text.head.{c}") for c in year_columns], years, "lrrr")
        + f"<h4>{html.escape(w('portfolio.html.deadlines', count=DEADLINE_WEEKS))}</h4>"
        + (
            _table(deadline_head, deadlines, "lllll")
            if deadlines
            else f"<p>{html.escape(w('workbook.none'))}</p>"
        )
        + f"<h4>{html.escape(w('portfolio.html.findings'))}</h4>"
        + (
            f"<ul>{findings}</ul>"
            if findings
            else f"<p>{html.escape(w('html.report.no-findings'))}</p>"
        )
        + f"<p>{html.escape(_reconciled(report, w))}</p>"
        + _fallback(render_portfolio(report, lang=lang))
        + "</div>"
    )


def _reconciled(report: PortfolioReport, w: Words) -> str:
    from foerdermittel.export.text_parts import _reconciliation_lines

    return _reconciliation_lines(report.reconciliation, w)[0]
