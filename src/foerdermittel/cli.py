"""Command line: ``foerdermittel report``, ``deadlines`` and ``schema``.

A thin edge over the library: it parses arguments, calls the library and prints German
text. Exit status: 0 fine, 1 a finding of severity error exists, 2 the input is unusable.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from babel.numbers import NumberFormatError, parse_decimal

from foerdermittel import fmt
from foerdermittel.errors import FoerdermittelError
from foerdermittel.evaluate import evaluate
from foerdermittel.extension import extension_amendment, with_extension
from foerdermittel.interest import (
    InterestResult,
    RateOrigin,
    compute_interest,
    load_base_rate_file,
    parse_day_count,
)
from foerdermittel.io import attach_ledger, case_json_schema, load_case
from foerdermittel.model.amendments import Amendment
from foerdermittel.model.case import Case
from foerdermittel.money import ZERO, to_money
from foerdermittel.report import Report
from foerdermittel.rules.model import CapBasis

__all__ = ["main", "render_report"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit with status 2 and a German hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"foerdermittel: Aufruf fehlerhaft: {message}\n")


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} ist kein Datum im Format JJJJ-MM-TT (z. B. 2025-06-30)"
        ) from None


def _amount_arg(text: str) -> Decimal:
    try:
        if "," in text:
            text = str(parse_decimal(text, locale="de_DE", strict=True))
        return to_money(text)
    except (ValueError, NumberFormatError):
        raise argparse.ArgumentTypeError(
            f"{text!r} ist kein Betrag (z. B. 100000.00 oder 100.000,00)"
        ) from None


def _rate_arg(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ".").rstrip("% ").strip())
    except ArithmeticError:
        raise argparse.ArgumentTypeError(f"{text!r} ist kein Prozentsatz (z. B. 1.27)") from None


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="foerdermittel",
        description="Zuwendungen verwalten: Finanzierung und Prüfung eines Förderfalls.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    report = sub.add_parser("report", help="Übersicht und Feststellungen zu einem Förderfall")
    report.add_argument("case", help="Falldatei (.toml oder .json)")
    report.add_argument("--as-of", type=_date_arg, help="Stichtag JJJJ-MM-TT (Standard: heute)")
    report.add_argument("--json", action="store_true", help="Bericht als JSON ausgeben")
    report.add_argument(
        "--xlsx", metavar="FILE", help="Arbeitsmappe für den Zuwendungsgeber schreiben (Excel)"
    )
    deadlines = sub.add_parser("deadlines", help="alle Fristen mit Status zum Stichtag")
    deadlines.add_argument("case", help="Falldatei (.toml oder .json)")
    deadlines.add_argument("--as-of", type=_date_arg, help="Stichtag JJJJ-MM-TT (Standard: heute)")
    deadlines.add_argument("--ics", metavar="FILE", help="Fristen als iCalendar-Datei schreiben")
    replan = sub.add_parser(
        "replan",
        help="kostenneutrale Verlängerung einer Phase: verbindlicher Mittelabrufplan",
    )
    replan.add_argument("case", help="Falldatei (.toml oder .json)")
    replan.add_argument("--phase", required=True, help="Kennung der Phase, z. B. B")
    replan.add_argument("--new-end", required=True, type=_date_arg, help="neues Ende JJJJ-MM-TT")
    replan.add_argument("--as-of", type=_date_arg, help="Stichtag JJJJ-MM-TT (Standard: heute)")
    interest = sub.add_parser(
        "interest", help="Zinsrechner nach § 49a VwVfG (Basiszinssatz + 5 Prozentpunkte)"
    )
    interest.add_argument(
        "amount", type=_amount_arg, help="Betrag, z. B. 100000.00 oder 100.000,00"
    )
    interest.add_argument(
        "start", type=_date_arg, help="Auszahlung/Unwirksamkeit (zählt nicht mit)"
    )
    interest.add_argument("end", type=_date_arg, help="Verwendung/Rückzahlung (zählt mit)")
    interest.add_argument(
        "--day-count",
        default="act/365",
        help="Zinstagekonvention: act/365 (Standard), act/act, act/360, 30E/360",
    )
    interest.add_argument(
        "--assumed-rate",
        type=_rate_arg,
        help="angenommener Basiszinssatz in Prozent für Tage nach der Tabelle, z. B. 1.27",
    )
    interest.add_argument(
        "--base-rate-file",
        help="neuere Basiszinssätze: CSV-Download der Bundesbank-Zeitreihe BBK01.SU0115",
    )
    proof = sub.add_parser("proof", help="Verwendungsnachweis: Einnahmen, Ausgaben, Zahlungen")
    proof.add_argument("case", help="Falldatei (.toml oder .json)")
    proof.add_argument("--ledger", help="Belegbuch (CSV/XLSX); Standard: ledger der Falldatei")
    proof.add_argument("--as-of", type=_date_arg, help="Stichtag JJJJ-MM-TT (Standard: heute)")
    comparison = sub.add_parser("compare", help="Szenarien der Falldatei vergleichen")
    comparison.add_argument("case", help="Falldatei (.toml oder .json)")
    comparison.add_argument(
        "--scenario", action="append", metavar="NAME", help="nur dieses Szenario (mehrfach)"
    )
    comparison.add_argument("--as-of", type=_date_arg, help="Stichtag JJJJ-MM-TT (Standard: heute)")
    sub.add_parser("schema", help="JSON-Schema der Falldatei ausgeben")
    return parser


def _table(rows: Sequence[Sequence[str]], align: str) -> list[str]:
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
    lines = [
        f"Fristen {report.grant.recipient} – {report.grant.id}",
        f"Stichtag {fmt.date(report.as_of)}; Feiertage: "
        + (report.deadlines[0].calendar_land if report.deadlines else report.grant.land),
        "",
    ]
    rows = [["Datum", "Frist", "Status", "Rechtsgrundlage"]]
    notes: list[str] = []
    for d in report.deadlines:
        status = d.status.german
        if d.submitted_on is not None:
            status += f" ({fmt.date(d.submitted_on)})"
        rows.append([fmt.weekday_date(d.end), d.title, status, d.legal_source])
        details = []
        if d.shift_reason:
            details.append(f"verschoben: {d.shift_reason}")
        if d.original_end is not None:
            details.append(f"ursprünglich {fmt.date(d.original_end)}")
        if details:
            notes.append(f"  {fmt.date(d.end)} {d.id}: " + "; ".join(details))
    lines += _table(rows, "llll")
    if notes:
        lines += ["", "Verschiebungen und Änderungen:", *notes]
    return "\n".join(lines) + "\n"


def _drawdown_lines(report: Report) -> list[str]:
    plan = report.drawdowns
    rule = plan.rule
    pooled = "wöchentlich" if rule.pooling == "weekly" else "monatlich"
    mode = {
        "in_arrears": f"nachschüssig alle {rule.interval_months} Monate",
        "in_advance": f"im Voraus für Zahlungen der nächsten {rule.horizon}",
        "day_of_need": f"am Tag des Bedarfs ({pooled} gebündelt)",
    }[rule.mode.value]
    out = ["", f"Mittelabrufplan ({mode}; {rule.source}):"]
    recorded = [c for c in plan.calls if c.kind == "recorded"]
    upcoming = [c for c in plan.calls if c.kind == "planned" and c.on > report.as_of]
    if recorded:
        total = sum((c.amount for c in recorded), ZERO)
        out.append(f"  bisher ausgezahlt: {fmt.money(total)} in {len(recorded)} Auszahlungen")
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


def render_report(report: Report) -> str:
    """The report as German text for the terminal."""
    grant, fin, rulebook = report.grant, report.financing, report.rulebook
    lines = [report.title or grant.id, "=" * len(report.title or grant.id)]
    programme = rulebook.programme.title if rulebook.programme else "—"
    lines += [
        f"Zuwendungsempfänger: {grant.recipient}",
        f"Zuwendungsgeber:     {grant.funder}",
        f"Bescheid:            {grant.id} vom {fmt.date(grant.decision_date)}",
        f"Programm:            {programme}",
        f"Regelwerk:           {rulebook.title}",
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
            lines.append(f"  {a.id} vom {fmt.date(a.decided_on)}: {a.title}")
    lines += _drawdown_lines(report)
    lines += _own_share_lines(report)
    upcoming = [d for d in report.deadlines if d.status.value in {"open", "due_soon"}]
    if upcoming:
        lines += ["", "Nächste Fristen:"]
        for d in [d for d in upcoming if d.action_required][:5]:
            lines.append(f"  {fmt.weekday_date(d.end)}  {d.title} ({d.status.german})")
    if report.overrides:
        lines += ["", "Abweichungen vom Regelwerk laut Bescheid:"]
        for o in report.overrides:
            lines.append(f"  {o.path}: {o.original} → {o.value} ({o.reason})")
    lines.append("")
    if report.findings:
        lines.append(f"Feststellungen ({len(report.findings)}):")
        for f in report.findings:
            lines.append(f"  [{f.severity.german}] {f.subject}: {f.message}")
            lines.append(f"      Grundlage: {f.legal_reference}")
    else:
        lines.append("Feststellungen: keine")
    return "\n".join(lines) + "\n"


def render_replan(report: Report, draft: Amendment) -> str:
    """The binding drawdown plan of an extension draft, with the re-planned line amounts."""
    lines = [draft.title, "=" * len(draft.title), f"Stichtag: {fmt.date(report.as_of)}", ""]
    lines.append("Neu verteilte Jahresbeträge je Einzelansatz (Summen unverändert):")
    years = sorted({y for change in draft.lines for y in change.amounts})
    rows = [["Ansatz", *map(str, years), "Summe"]]
    for change in draft.lines:
        rows.append(
            [
                change.line,
                *(fmt.money(change.amounts.get(y, ZERO)) for y in years),
                fmt.money(sum(change.amounts.values(), ZERO)),
            ]
        )
    lines += ["  " + row for row in _table(rows, "l" + "r" * (len(years) + 1))]
    phase = draft.phases[0].phase
    lines += ["", f"Verbindlicher Mittelabrufplan Phase {phase}:"]
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
            lines.append(f"  [{f.severity.german}] {f.message}")
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
    lines.append(f"Grundlage: {result.legal_reference}")
    if result.base_rate_file:
        lines.append(f"Basiszinssätze (Datei) aus {result.base_rate_file}")
    return "\n".join(lines) + "\n"


def _interest(args: argparse.Namespace, out: TextIO) -> int:
    try:
        result = compute_interest(
            args.amount,
            args.start,
            args.end,
            day_count=parse_day_count(args.day_count),
            assumed_base_rate=args.assumed_rate,
            base_rate_table=load_base_rate_file(args.base_rate_file)
            if args.base_rate_file
            else None,
        )
    except FoerdermittelError as exc:
        print(f"foerdermittel: {exc}", file=sys.stderr)
        return EXIT_INPUT
    out.write(render_interest(result))
    return EXIT_OK


def _compare(args: argparse.Namespace, out: TextIO) -> int:
    from foerdermittel.scenarios import compare

    as_of = args.as_of or date.today()
    try:
        case = _load(args.case, None)
        chosen = list(case.scenarios)
        if args.scenario:
            known = {s.name: s for s in chosen}
            missing = [n for n in args.scenario if n not in known]
            if missing:
                valid = ", ".join(known) or "—"
                print(
                    f"foerdermittel: unbekanntes Szenario {', '.join(missing)}; "
                    f"in der Falldatei: {valid}",
                    file=sys.stderr,
                )
                return EXIT_INPUT
            chosen = [known[n] for n in args.scenario]
        table = compare(case, chosen, as_of=as_of)
    except FoerdermittelError as exc:
        print(f"foerdermittel: {exc}", file=sys.stderr)
        return EXIT_INPUT
    out.write(f"Szenarienvergleich, Stichtag {fmt.date(as_of)}\n\n")
    out.write(table.render())
    for row in table.rows:
        out.write(f"\n{row.scenario}: {row.description}")
    out.write("\n")
    return EXIT_OK


def _replan(args: argparse.Namespace, out: TextIO) -> int:
    as_of = args.as_of or date.today()
    try:
        case = _load(args.case, None)
        draft = extension_amendment(case, args.phase, args.new_end, as_of=as_of)
        report = evaluate(with_extension(case, args.phase, args.new_end, as_of=as_of), as_of)
    except FoerdermittelError as exc:
        print(f"foerdermittel: {exc}", file=sys.stderr)
        return EXIT_INPUT
    out.write(render_replan(report, draft))
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


def _load(path: str, ledger: str | None) -> Case:
    """Load a case file and the ledger it names (or ``ledger``), relative to the case file."""
    case = load_case(path)
    return attach_ledger(case, base_dir=Path(path).parent, ledger=ledger)


def render_proof(report: Report) -> str:
    """The proof of use as German text: income, expenditure and payment blocks, interest."""
    proof = report.proof_of_use
    grant = report.grant
    title = f"Verwendungsnachweis {grant.recipient} – {grant.id}"
    lines = [title, "=" * len(title), f"Stichtag: {fmt.date(report.as_of)}"]
    if not proof.evaluated:
        lines += ["", "Keine Belege erfasst: ohne Belegbuch gibt es nichts nachzuweisen."]
        return "\n".join(lines) + "\n"
    later_count, later_sum = proof.after_key_date
    counted = sum((v.amount for v in proof.vouchers), ZERO)
    lines.append(
        f"Belege: {len(proof.vouchers)} gezählt ({fmt.money(counted)}), "
        f"{len(proof.excluded)} mit Befund, {later_count} nach dem Stichtag "
        f"({fmt.money(later_sum)})"
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
    planned = sum((row.planned for row in proof.income), ZERO)
    actual = sum((row.actual for row in proof.income), ZERO)
    rows.append(["Summe", fmt.money(planned), "", fmt.money(actual), ""])
    lines += ["", "1. Einnahmen", *("   " + r for r in _table(rows, "lrrrr"))]

    rows = [["Ansatz", "laut Bescheid", "Ist insgesamt", "Ist zuwendungsfähig", "Abw.", "Status"]]
    for line in proof.lines:
        rows.append(
            [
                f"{line.line} {line.title}"[:48],
                fmt.money(line.planned),
                fmt.money(line.actual_total),
                fmt.money(line.actual),
                pct(line.difference_pct),
                line.status_german,
            ]
        )
    rows.append(
        [
            "Summe",
            fmt.money(sum((x.planned for x in proof.lines), ZERO)),
            fmt.money(sum((x.actual_total for x in proof.lines), ZERO)),
            fmt.money(sum((x.actual for x in proof.lines), ZERO)),
            "",
            "",
        ]
    )
    lines += ["", "2. Ausgaben", *("   " + r for r in _table(rows, "lrrrrl"))]

    rows = [["Phase", "bewilligt", "nach Abrechnung", "ausgezahlt", "Saldo"]]
    for phase in proof.phases:
        rows.append(
            [
                phase.phase,
                fmt.money(phase.reduction.approved),
                fmt.money(phase.reduction.final),
                fmt.money(phase.paid),
                fmt.money(phase.balance),
            ]
        )
    rows.append(
        [
            "Gesamt",
            fmt.money(proof.approved),
            fmt.money(proof.final),
            fmt.money(proof.paid),
            fmt.money(proof.balance),
        ]
    )
    lines += ["", "3. Zahlungen", *("   " + r for r in _table(rows, "lrrrr"))]
    lines.append("   Saldo: + noch auszuzahlen (Schlussrate), − zu erstatten")
    lines += [
        "",
        f"Erstattungszinsen (§ 49a Abs. 3 VwVfG): {fmt.money(proof.refund_interest)}",
        "Zinsen für nicht alsbald verwendete Mittel (§ 49a Abs. 4 VwVfG): "
        + (fmt.money(report.interest.total) if report.interest.evaluated else "nicht geprüft"),
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
        lines.append(f"  Phase {phase.phase}:")
        for step in phase.steps:
            lines.append(f"    {step.label}: {fmt.money(step.value)}  [{step.formula}]")
        if phase.note:
            lines.append(f"    Hinweis: {phase.note}")
    codes = {
        "voucher-outside-period",
        "voucher-duplicate-voucher",
        "voucher-sign",
        "voucher-net-missing",
        "vouchers-after-key-date",
        "line-beyond-tolerance",
        "line-within-tolerance",
        "overrun-not-compensated",
        "refund-due",
        "final-instalment-due",
        "late-use-interest",
        "payout-unused",
        "deadline-missed",
        "deadline-due-soon",
    }
    relevant = [f for f in report.findings if f.code in codes]
    lines += ["", f"Feststellungen ({len(relevant)}):" if relevant else "Feststellungen: keine"]
    for f in relevant:
        lines.append(f"  [{f.severity.german}] {f.subject}: {f.message}")
        lines.append(f"      Grundlage: {f.legal_reference}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    out = stdout if stdout is not None else sys.stdout
    args = _parser().parse_args(argv)
    if args.command == "schema":
        out.write(json.dumps(case_json_schema(), indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    if args.command == "replan":
        return _replan(args, out)
    if args.command == "interest":
        return _interest(args, out)
    if args.command == "compare":
        return _compare(args, out)
    try:
        report = evaluate(_load(args.case, getattr(args, "ledger", None)), args.as_of)
        target = getattr(args, "ics", None) or getattr(args, "xlsx", None)
        if args.command == "deadlines" and args.ics:
            from foerdermittel.export import ical

            ical.write(report, args.ics)
        if args.command == "report" and args.xlsx:
            from foerdermittel.export import excel

            excel.write(report, args.xlsx)
    except FoerdermittelError as exc:
        print(f"foerdermittel: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        print(f"foerdermittel: {target}: nicht schreibbar: {exc.strerror}", file=sys.stderr)
        return EXIT_INPUT
    if args.command == "proof":
        out.write(render_proof(report))
        return EXIT_FINDINGS if report.has_errors else EXIT_OK
    if args.command == "deadlines":
        out.write(render_deadlines(report))
        missed = any(d.status.value == "missed" and d.action_required for d in report.deadlines)
        return EXIT_FINDINGS if missed else EXIT_OK
    out.write(report.to_json() + "\n" if args.json else render_report(report))
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
