"""HTML views of a report for Jupyter (``_repr_html_``): German formats, user text escaped.

Every piece of text that may come from a user (names, titles, messages) goes through
``html.escape``; the views use plain HTML and inline CSS (no scripts), and each carries a
``<pre>`` text fallback for viewers that do not render HTML.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from foerdermittel import fmt
from foerdermittel.errors import Severity
from foerdermittel.export.text import comparison_cells, comparison_text, render_report

if TYPE_CHECKING:
    from foerdermittel.drawdowns import DrawdownPlan
    from foerdermittel.financing import Financing
    from foerdermittel.own_share import OwnSharePlan
    from foerdermittel.proof_of_use import ProofOfUse
    from foerdermittel.report import Report
    from foerdermittel.scenarios import ComparisonTable

__all__ = [
    "comparison_html",
    "drawdowns_html",
    "financing_html",
    "own_share_html",
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


def financing_html(financing: Financing) -> str:
    """Grant, own share and third-party money per phase."""
    head = ["Phase", "zuwendungsfähig", "Zuwendung", "Eigenanteil", "Drittmittel"]
    rows = [
        [
            f"{p.phase} {p.title}",
            fmt.money(p.eligible_expenditure),
            fmt.money(p.grant),
            fmt.money(p.own_share),
            fmt.money(p.third_party + p.other_public),
        ]
        for p in financing.phases
    ]
    rows.append(
        [
            "Gesamt",
            fmt.money(financing.eligible_expenditure),
            fmt.money(financing.grant),
            fmt.money(financing.own_share),
            fmt.money(financing.third_party + financing.other_public),
        ]
    )
    return _table(head, rows, "lrrrr")


def drawdowns_html(plan: DrawdownPlan) -> str:
    """Every call of the drawdown plan."""
    head = ["Datum", "Phase", "Betrag", "für Ausgaben", "kumuliert", "Art"]
    rows = [
        [
            fmt.date(c.on),
            c.phase,
            fmt.money(c.amount),
            f"{fmt.date(c.covers_from)}–{fmt.date(c.covers_to)}",
            fmt.money(c.cumulative),
            ("ausgezahlt" if c.kind == "recorded" else "geplant")
            + (" (Schlussrate)" if c.withheld else ""),
        ]
        for c in plan.calls
    ]
    return _table(head, rows, "llrlrl")


def own_share_html(plan: OwnSharePlan) -> str:
    """The own share per budget year."""
    head = ["Jahr", "Ausgaben", "Zuwendung", "Eigenanteil", "Eigenleistung", "veranschlagt"]
    rows = [
        [
            str(y.year),
            fmt.money(y.expenditure),
            fmt.money(y.grant_share),
            fmt.money(y.burden),
            fmt.money(y.in_kind),
            fmt.money(y.budgeted) if y.budgeted is not None else "—",
        ]
        for y in plan.years
    ]
    return _table(head, rows, "lrrrrr")


def proof_html(proof: ProofOfUse) -> str:
    """The payment block of the proof of use and plan against actual per line."""
    if not proof.evaluated:
        return "<p>Keine Belege erfasst.</p>"
    head = ["Phase", "bewilligt", "nach Abrechnung", "ausgezahlt", "Saldo"]
    rows = [
        [
            p.phase + (" (Prognose)" if p.projected else ""),
            fmt.money(p.reduction.approved),
            fmt.money(p.reduction.final),
            fmt.money(p.paid),
            fmt.money(p.balance),
        ]
        for p in proof.phases
    ]
    lines = [
        [
            r.line,
            fmt.money(r.planned),
            fmt.money(r.actual),
            "—" if r.difference_pct is None else fmt.percent(r.difference_pct / 100),
            r.status_german,
        ]
        for r in proof.lines
    ]
    return _table(head, rows, "lrrrr") + _table(
        ["Ansatz", "Plan", "Ist", "Abw.", "Status"], lines, "lrrrl"
    )


def report_html(report: Report) -> str:
    """A summary card of the report: key figures, next deadline, findings, then the tables."""
    grant = report.grant
    title = html.escape(report.title or grant.id)
    upcoming = [
        d for d in report.deadlines if d.action_required and d.status.value in {"open", "due_soon"}
    ]
    next_line = "—"
    if upcoming:
        first = upcoming[0]
        days = (first.end - report.as_of).days
        next_line = f"{fmt.date(first.end)} ({days} Tage): {first.title}"
    figures = [
        ["Zuwendung", fmt.money(report.financing.grant)],
        ["Eigenanteil", fmt.money(report.financing.own_share)],
        ["ausgezahlt", fmt.money(report.drawdowns.paid)],
        ["nächste Frist", next_line],
    ]
    findings = "".join(
        f'<li style="color:{_COLOURS[f.severity]}">{html.escape(f.severity.german)}: '
        f"{html.escape(f.subject)}: {html.escape(f.message)}</li>"
        for f in report.findings
    )
    return (
        f"<div><h3>{title}</h3>"
        f"<p>{html.escape(grant.recipient)} · {html.escape(grant.id)} · Stichtag "
        f"{html.escape(fmt.date(report.as_of))}</p>"
        + _table(["", ""], figures, "lr")
        + (f"<ul>{findings}</ul>" if findings else "<p>Keine Feststellungen.</p>")
        + "<h4>Finanzierung</h4>"
        + financing_html(report.financing)
        + "<h4>Eigenanteil je Haushaltsjahr</h4>"
        + own_share_html(report.own_share)
        + _fallback(render_report(report))
        + "</div>"
    )


def comparison_html(table: ComparisonTable) -> str:
    """The scenario comparison: one column per scenario and one row per figure.

    A notebook has room for a few scenarios side by side, not for a column per budget year;
    wider tables scroll.
    """
    head, body = comparison_cells(table)
    names = "".join(f'<th style="text-align:right">{html.escape(r[0])}</th>' for r in body)
    trs = "".join(
        f'<tr><th style="text-align:left">{html.escape(label)}</th>'
        + "".join(f'<td style="text-align:right">{html.escape(r[i])}</td>' for r in body)
        + "</tr>"
        for i, label in enumerate(head)
        if i > 0
    )
    if any(row.notes for row in table.rows):
        trs += (
            '<tr><th style="text-align:left">Hinweise</th>'
            + "".join(
                '<td style="text-align:left">'
                + "<br>".join(html.escape(n) for n in row.notes)
                + "</td>"
                for row in table.rows
            )
            + "</tr>"
        )
    title = html.escape(f"Szenarienvergleich, Stichtag {fmt.date(table.as_of)}")
    return (
        f'<div style="max-width:100%;overflow-x:auto"><strong>{title}</strong>'
        f"<table><thead><tr><th></th>{names}</tr></thead><tbody>{trs}</tbody></table>"
        f"<pre style='display:none'>{html.escape(comparison_text(table))}</pre></div>"
    )
