"""The German text views for the terminal: report, deadlines, proof of use, interest, replan.

Each renderer takes a result the library computed and returns text; it formats, it does not
compute. The command line prints them; the HTML view shows the report's text as its fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from foerdermittel import fmt
from foerdermittel.errors import Finding
from foerdermittel.interest import InterestResult, RateOrigin
from foerdermittel.money import ZERO
from foerdermittel.rules.model import CapBasis, DrawdownRule

if TYPE_CHECKING:
    from foerdermittel.extension import LineTotal
    from foerdermittel.model.amendments import Amendment
    from foerdermittel.report import Report
    from foerdermittel.scenarios import ComparisonTable

__all__ = [
    "comparison_cells",
    "comparison_text",
    "drawdown_mode_text",
    "render_deadlines",
    "render_interest",
    "render_proof",
    "render_replan",
    "render_report",
]


def _table(rows: Sequence[Sequence[str]], align: str) -> list[str]:
    """Rows as aligned columns; a cell's control characters are shown escaped (and counted)."""
    rows = [[fmt.visible(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [
            cell.ljust(width) if a == "l" else cell.rjust(width)
            for cell, width, a in zip(row, widths, align, strict=True)
        ]
        out.append("  ".join(cells).rstrip())
    return out


def render_deadlines(report: Report) -> str:
    """The deadlines as a German table: date, what, legal source, status, shift."""
    grant = report.grant
    lines = [
        f"Fristen {fmt.visible(grant.recipient)} – {fmt.visible(grant.id)}",
        f"Stichtag {fmt.date(report.as_of)}; Feiertage je Frist am Ort, auf den es ankommt "
        "(§ 193 BGB): Eingang beim Zuwendungsgeber an dessen Sitz, eigene Handlungen am Sitz "
        "des Empfängers",
        "",
    ]
    rows = [["Datum", "Frist", "Status", "Feiertage", "Rechtsgrundlage"]]
    notes: list[str] = []
    for d in report.deadlines:
        status = d.status.german
        if d.submitted_on is not None:
            status += f" ({fmt.date(d.submitted_on)})"
        place = d.calendar_land + (f" ({d.calendar_region})" if d.calendar_region else "")
        rows.append([fmt.weekday_date(d.end), d.title, status, place, d.legal_source])
        details = []
        if d.shift_reason:
            details.append(f"verschoben: {d.shift_reason}")
        if d.original_end is not None:
            details.append(f"ursprünglich {fmt.date(d.original_end)}")
        if details:
            notes.append(
                f"  {fmt.date(d.end)} {fmt.visible(d.id)}: " + fmt.visible("; ".join(details))
            )
    lines += _table(rows, "lllll")
    if notes:
        lines += ["", "Verschiebungen und Änderungen:", *notes]
    return "\n".join(lines) + "\n"


def drawdown_mode_text(rule: DrawdownRule) -> str:
    """How money is called under ``rule``, in German ("nachschüssig alle 6 Monate")."""
    pooled = "wöchentlich" if rule.pooling == "weekly" else "monatlich"
    return {
        "in_arrears": f"nachschüssig alle {rule.interval_months} Monate",
        "in_advance": f"im Voraus für Zahlungen der nächsten {rule.horizon}",
        "day_of_need": f"am Tag des Bedarfs ({pooled} gebündelt)",
    }[rule.mode.value]


def _drawdown_lines(report: Report) -> list[str]:
    plan = report.drawdowns
    rule = plan.rule
    mode = drawdown_mode_text(rule)
    out = ["", f"Mittelabrufplan ({mode}; {fmt.visible(rule.source)}):"]
    recorded = plan.recorded
    upcoming = [c for c in plan.calls if c.kind == "planned" and c.on > report.as_of]
    if recorded:
        out.append(f"  bisher ausgezahlt: {fmt.money(plan.paid)} in {len(recorded)} Auszahlungen")
    rows = [["Datum", "Phase", "Betrag", "für Ausgaben", "kumuliert (Phase)"]]
    for call in upcoming[:6]:
        rows.append(
            [
                fmt.weekday_date(call.on),
                call.phase,
                fmt.money(call.amount),
                f"{fmt.date(call.covers_from)}–{fmt.date(call.covers_to)}",
                fmt.money(call.cumulative) + (" (Schlussrate)" if call.withheld else ""),
            ]
        )
    if len(rows) > 1:
        out.append("  nächste Abrufe:")
        out += ["    " + line for line in _table(rows, "llrll")]
        if len(upcoming) > 6:
            out.append(f"    … und {len(upcoming) - 6} weitere")
    else:
        out.append("  keine weiteren Abrufe geplant")
    return out


def _own_share_lines(report: Report) -> list[str]:
    rows = [
        [
            "Jahr",
            "Ausgaben",
            "Zuwendung",
            "Drittmittel",
            "Eigenanteil",
            "davon Eigenleistung",
            "Vorfinanzierung max.",
            "veranschlagt",
        ]
    ]
    for year in report.own_share.years:
        rows.append(
            [
                str(year.year),
                fmt.money(year.expenditure),
                fmt.money(year.grant_share),
                fmt.money(year.third_party_share),
                fmt.money(year.own_share),
                fmt.money(year.in_kind),
                fmt.money(year.max_prefinanced),
                fmt.money(year.budgeted) if year.budgeted is not None else "—",
            ]
        )
    return ["", "Eigenanteil je Haushaltsjahr (Prognose):", *_table(rows, "lrrrrrrr")]


def _finding_lines(finding: Finding) -> list[str]:
    """A finding as text: severity, subject and message; its legal basis where it has one."""
    subject, message = fmt.visible(finding.subject), fmt.visible(finding.message)
    lines = [f"  [{finding.severity.german}] {subject}: {message}"]
    if finding.legal_reference.strip(" —-"):
        lines.append(f"      Grundlage: {fmt.visible(finding.legal_reference)}")
    return lines


def _reconciliation_lines(report: Report) -> list[str]:
    """The Abstimmung in one line, then every check that does not hold, in full."""
    result = report.reconciliation
    count = len(result.checks)
    noun = "Prüfung" if count == 1 else "Prüfungen"
    if result.ok:
        return [f"Abstimmung: {fmt.number(count)} {noun}, alle stimmen"]
    failed = len(result.failures)
    verb = "stimmt" if failed == 1 else "stimmen"
    lines = [f"Abstimmung: {fmt.number(failed)} von {fmt.number(count)} {noun} {verb} nicht:"]
    for check in result.failures:
        lines.append(f"  {fmt.visible(check.subject)}: {fmt.visible(check.message)}")
        if check.legal_reference.strip(" —-"):
            lines.append(f"      Grundlage: {fmt.visible(check.legal_reference)}")
    return lines


def render_report(report: Report) -> str:
    """The report as German text for the terminal."""
    grant, fin, rulebook = report.grant, report.financing, report.rulebook
    title = fmt.visible(report.title or grant.id)
    lines = [title, "=" * len(title)]
    programme = fmt.visible(rulebook.programme.title) if rulebook.programme else "—"
    lines += [
        f"Zuwendungsempfänger: {fmt.visible(grant.recipient)}",
        f"Zuwendungsgeber:     {fmt.visible(grant.funder)}",
        f"Bescheid:            {fmt.visible(grant.id)} vom {fmt.date(grant.decision_date)}",
        f"Programm:            {programme}",
        f"Regelwerk:           {fmt.visible(rulebook.title)}"
        + (
            " (Nr. 2.1 unter dem Vorbehalt des Haushaltsgesetzes)"
            if rulebook.budget_act_proviso
            else ""
        ),
        f"Finanzierungsart:    {grant.financing_type.german}"
        + (f", Förderquote {fmt.percent(grant.rate)}" if grant.rate is not None else ""),
    ]
    if grant.max_amount is not None:
        basis = (
            "der Zuwendung"
            if grant.max_amount_basis is CapBasis.GRANT
            else "der zuwendungsfähigen Ausgaben"
        )
        lines.append(f"Höchstbetrag:        {fmt.money(grant.max_amount)} ({basis})")
    lines.append(f"Stichtag:            {fmt.date(report.as_of)}")
    lines.append("")
    header = ["Phase", "Zeitraum", "zuwendungsfähig", "Zuwendung", "Eigenanteil", "Drittmittel"]
    rows = [header]
    for phase, pf in zip(grant.phases, fin.phases, strict=True):
        rows.append(
            [
                f"{phase.id} {phase.title}",
                f"{fmt.date(phase.start)}–{fmt.date(phase.end)}",
                fmt.money(pf.eligible_expenditure),
                fmt.money(pf.grant),
                fmt.money(pf.own_share),
                fmt.money(pf.third_party + pf.other_public),
            ]
        )
    rows.append(
        [
            "Gesamt",
            "",
            fmt.money(fin.eligible_expenditure),
            fmt.money(fin.grant),
            fmt.money(fin.own_share),
            fmt.money(fin.third_party + fin.other_public),
        ]
    )
    lines += _table(rows, "llrrrr")
    if report.amendments:
        lines += ["", "Änderungsbescheide:"]
        for a in report.amendments:
            lines.append(
                f"  {fmt.visible(a.id)} vom {fmt.date(a.decided_on)}: {fmt.visible(a.title)}"
            )
    lines += _drawdown_lines(report)
    lines += _own_share_lines(report)
    upcoming = [d for d in report.deadlines if d.status.value in {"open", "due_soon"}]
    if upcoming:
        lines += ["", "Nächste Fristen:"]
        for d in [d for d in upcoming if d.action_required][:5]:
            lines.append(f"  {fmt.weekday_date(d.end)}  {fmt.visible(d.title)} ({d.status.german})")
    if report.overrides:
        lines += ["", "Abweichungen vom Regelwerk laut Bescheid:"]
        for o in report.overrides:
            lines.append(fmt.visible(f"  {o.path}: {o.original} → {o.value} ({o.reason})"))
    lines += ["", *_reconciliation_lines(report)]
    lines.append("")
    if report.findings:
        shown_above = sum(f.code == "reconciliation-failed" for f in report.findings)
        above = f", davon {shown_above} aus der Abstimmung oben" if shown_above else ""
        lines.append(f"Feststellungen ({len(report.findings)}{above}):")
        for f in report.findings:
            if f.code != "reconciliation-failed":
                lines += _finding_lines(f)
    else:
        lines.append("Feststellungen: keine")
    return "\n".join(lines) + "\n"


def render_replan(
    report: Report, draft: Amendment, totals: Sequence[LineTotal] | None = None
) -> str:
    """The binding drawdown plan of an extension draft, with the re-planned line amounts.

    ``totals`` is the check of each line's total against the decision
    ([`line_totals`][foerdermittel.extension.line_totals]); the text states what it found and
    nothing more.
    """
    title = fmt.visible(draft.title)
    lines = [title, "=" * len(title), f"Stichtag: {fmt.date(report.as_of)}", ""]
    lines.append("Neu verteilte Jahresbeträge je Einzelansatz:")
    years = sorted({y for change in draft.lines for y in change.amounts})
    check = {t.line: t for t in totals or ()}
    extra = ["laut Bescheid", "Abweichung"] if totals is not None else []
    rows = [["Ansatz", *map(str, years), "Summe", *extra]]
    for change in draft.lines:
        total = check.get(change.line)
        rows.append(
            [
                change.line,
                *(fmt.money(change.amounts.get(y, ZERO)) for y in years),
                fmt.money(sum(change.amounts.values(), ZERO)),
                *(
                    [fmt.money(total.decided), fmt.money(total.difference)]
                    if total is not None
                    else ["—", "—"] * (totals is not None)
                ),
            ]
        )
    lines += ["  " + row for row in _table(rows, "l" + "r" * (len(years) + 1 + len(extra)))]
    if totals is not None:
        changed = fmt.visible(", ".join(t.line for t in totals if not t.matches))
        if changed:
            lines.append(
                f"Abgleich mit dem Bescheid: Summe geändert bei {changed} — "
                "der Plan ist nicht kostenneutral"
            )
        else:
            lines.append(
                f"Abgleich mit dem Bescheid: alle {len(totals)} Summen unverändert (kostenneutral)"
            )
    if draft.note:
        lines.append(f"Hinweis: {fmt.visible(draft.note)}")
    phase = draft.phases[0].phase
    lines += ["", f"Verbindlicher Mittelabrufplan Phase {fmt.visible(phase)}:"]
    rows = [["Datum", "Betrag", "für Ausgaben", "kumuliert", "Art"]]
    for call in report.drawdowns.calls:
        if call.phase != phase:
            continue
        kind = "ausgezahlt" if call.kind == "recorded" else "geplant"
        rows.append(
            [
                fmt.weekday_date(call.on),
                fmt.money(call.amount),
                f"{fmt.date(call.covers_from)}–{fmt.date(call.covers_to)}",
                fmt.money(call.cumulative),
                kind + (" (Schlussrate)" if call.withheld else ""),
            ]
        )
    lines += ["  " + row for row in _table(rows, "lrlrl")]
    relevant = [f for f in report.findings if f.subject == f"Phase {phase}"]
    if relevant:
        lines += ["", "Feststellungen:"]
        for f in relevant:
            lines.append(f"  [{f.severity.german}] {fmt.visible(f.message)}")
    return "\n".join(lines) + "\n"


def render_interest(result: InterestResult) -> str:
    """An interest result as German text, segment by segment."""
    lines = [
        f"Zinsen nach § 49a VwVfG auf {fmt.money(result.principal)}",
        f"vom {fmt.date(result.start)} (zählt nicht mit) bis {fmt.date(result.end)} (zählt mit), "
        f"{result.day_count.value}, Basiszinssatz + {result.points_above_base} Prozentpunkte",
        "",
    ]
    rows = [["Zeitraum", "Tage", "Basiszins", "Zinssatz", "Zinsen"]]
    for segment in result.segments:
        rows.append(
            [
                f"{fmt.date(segment.first_day)}–{fmt.date(segment.last_day)}",
                f"{segment.days}/{segment.year_basis}",
                fmt.percent(segment.base_rate / 100)
                + ("" if segment.origin is RateOrigin.TABLE else f" ({segment.origin.german})"),
                fmt.percent(segment.rate / 100),
                fmt.money(segment.amount),
            ]
        )
    lines += _table(rows, "lrrrr")
    lines += ["", f"Zinsen gesamt (kaufmännisch gerundet): {fmt.money(result.interest)}"]
    lines.append(f"Grundlage: {fmt.visible(result.legal_reference)}")
    if result.base_rate_file:
        lines.append(f"Basiszinssätze (Datei) aus {fmt.visible(result.base_rate_file)}")
    return "\n".join(lines) + "\n"


def render_proof(report: Report) -> str:
    """The proof of use as German text: income, expenditure and payment blocks, interest."""
    proof = report.proof_of_use
    grant = report.grant
    title = f"Verwendungsnachweis {fmt.visible(grant.recipient)} – {fmt.visible(grant.id)}"
    lines = [title, "=" * len(title), f"Stichtag: {fmt.date(report.as_of)}"]
    if not proof.evaluated:
        lines += ["", "Keine Belege erfasst: ohne Belegbuch gibt es nichts nachzuweisen."]
        return "\n".join(lines) + "\n"
    later_count, later_sum = proof.after_key_date
    lines.append(
        f"Belege: {len(proof.vouchers)} gezählt ({fmt.money(proof.counted)}), "
        f"{len(proof.excluded)} mit Befund, {later_count} nach dem Stichtag "
        f"({fmt.money(later_sum)})"
    )
    if proof.totals is not None:
        totals = proof.totals
        lines.append(
            f"Belegliste bis zum Stichtag: {fmt.money(totals.listed)} = gezählt "
            f"{fmt.money(totals.counted)} + nicht gezählt {fmt.money(totals.excluded)}"
        )

    def pct(value: Decimal | None) -> str:
        return "—" if value is None else fmt.percent(value / 100)

    rows = [["", "laut Bescheid", "%", "laut Abrechnung", "%"]]
    for row in proof.income:
        rows.append(
            [
                row.label,
                fmt.money(row.planned),
                pct(row.planned_pct),
                fmt.money(row.actual),
                pct(row.actual_pct),
            ]
        )
    rows.append(["Summe", fmt.money(proof.income_planned), "", fmt.money(proof.income_actual), ""])
    lines += ["", "1. Einnahmen", *("   " + r for r in _table(rows, "lrrrr"))]
    lines += [
        "   laut Abrechnung: Finanzierung der gebuchten Ausgaben bis zum Stichtag (= Summe Ist",
        "   zuwendungsfähig); Zuwendung: beendete Phasen nach Abrechnung, laufende ausgezahlt",
    ]

    rows = [
        [
            "Ansatz",
            "laut Bescheid",
            "Ist insgesamt",
            "Ist zuwendungsfähig",
            "nicht gezählt",
            "Abw.",
            "Status",
        ]
    ]
    for line in proof.lines:
        rows.append(
            [
                f"{line.line} {line.title}"[:48],
                fmt.money(line.planned),
                fmt.money(line.actual_total),
                fmt.money(line.actual),
                fmt.money(line.excluded),
                pct(line.difference_pct),
                line.status_german,
            ]
        )
    rows.append(
        [
            "Summe",
            fmt.money(proof.lines_planned),
            fmt.money(proof.lines_actual_total),
            fmt.money(proof.lines_actual),
            fmt.money(proof.lines_excluded),
            "",
            "",
        ]
    )
    lines += ["", "2. Ausgaben", *("   " + r for r in _table(rows, "lrrrrrl"))]

    rows = [["Phase", "bewilligt", "nach Abrechnung", "ausgezahlt", "Saldo", "Stand"]]
    for phase in proof.phases:
        rows.append(
            [
                phase.phase,
                fmt.money(phase.reduction.approved),
                fmt.money(phase.reduction.final),
                fmt.money(phase.paid),
                fmt.money(phase.balance),
                "Prognose" if phase.projected else "Ist",
            ]
        )
    rows.append(
        [
            "Gesamt",
            fmt.money(proof.approved),
            fmt.money(proof.final),
            fmt.money(proof.paid),
            fmt.money(proof.balance),
            "mit Prognose" if proof.projected else "Ist",
        ]
    )
    lines += ["", "3. Zahlungen", *("   " + r for r in _table(rows, "lrrrrl"))]
    lines.append("   Saldo: + noch auszuzahlen (Schlussrate), − zu erstatten")
    if proof.projected:
        lines.append(
            "   Prognose: die Phase läuft noch; nach Abrechnung und Saldo aus dem Ist bis zum "
            "Stichtag plus Restplanung"
        )
    missing = "nicht berechenbar (siehe Feststellungen)"
    late_use = report.interest
    lines += [
        "",
        "Erstattungszinsen (§ 49a Abs. 3 VwVfG): "
        + (fmt.money(proof.refund_interest) if proof.refund_interest_complete else missing),
        "Zinsen für nicht alsbald verwendete Mittel (§ 49a Abs. 4 VwVfG): "
        + (
            "nicht geprüft"
            if not late_use.evaluated
            else fmt.money(late_use.total)
            if late_use.complete
            else missing
        ),
    ]
    interest_results = [r for p in proof.phases for r in p.refund_interest] + [
        r
        for use in report.interest.payouts
        for r in (*(u.interest for u in use.late), use.unused_interest)
        if r is not None
    ]
    rate_files = sorted({r.base_rate_file for r in interest_results if r.base_rate_file})
    if rate_files:
        lines.append("Basiszinssätze nach der mitgelieferten Tabelle aus: " + ", ".join(rate_files))
    lines += ["", "Berechnung je Phase:"]
    for phase in proof.phases:
        lines.append(f"  Phase {fmt.visible(phase.phase)}:")
        for step in phase.steps:
            label, formula = fmt.visible(step.label), fmt.visible(step.formula)
            lines.append(f"    {label}: {fmt.money(step.value)}  [{formula}]")
        if phase.note:
            lines.append(f"    Hinweis: {fmt.visible(phase.note)}")
    relevant = report.proof_findings
    lines += ["", f"Feststellungen ({len(relevant)}):" if relevant else "Feststellungen: keine"]
    for f in relevant:
        lines += _finding_lines(f)
    return "\n".join(lines) + "\n"


def comparison_cells(table: ComparisonTable) -> tuple[list[str], list[list[str]]]:
    """The scenario comparison as cells: the head, then one row of German figures per scenario."""
    years = table.years()
    head = [
        "Szenario",
        "Gesamtausgaben",
        "Zuwendung",
        "Eigenanteil",
        "Belastung",
        *(f"Belastung {y}" for y in years),
        "Erstattung",
        "Zinsen",
        "letzter Abruf",
        "Fristen versäumt",
        "Fehler",
        "Warnungen",
    ]
    body = [
        [
            row.scenario,
            fmt.money(row.total_cost),
            fmt.money(row.grant),
            fmt.money(row.own_share),
            fmt.money(row.burden),
            *(fmt.money(row.burden_by_year.get(y, ZERO)) for y in years),
            fmt.money(row.refund),
            fmt.money(row.interest),
            fmt.date(row.last_call) if row.last_call else "—",
            str(row.deadlines_missed),
            str(row.errors),
            str(row.warnings),
        ]
        for row in table.rows
    ]
    return head, body


def _comparison_reconciliation_line(table: ComparisonTable) -> str:
    failed = sum(1 for row in table.rows if not row.reconciled)
    if not failed:
        return f"Abstimmung: alle {len(table.rows)} Zeilen stimmen"
    return f"Abstimmung: {failed} von {len(table.rows)} Zeilen stimmen nicht:"


def comparison_text(table: ComparisonTable, *, notes: bool = True) -> str:
    """The scenario comparison as German text, each row's notes below (``notes=False``: none)."""
    head, body = comparison_cells(table)
    rows = [head, *body]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for r in rows:
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    if notes:
        for row in table.rows:
            lines += [f"Hinweis zu {row.scenario}: {note}" for note in row.notes]
    lines.append(_comparison_reconciliation_line(table))
    lines += [
        f"  {row.scenario}: {', '.join(row.unreconciled)}" for row in table.rows if row.unreconciled
    ]
    return "\n".join(lines) + "\n"
