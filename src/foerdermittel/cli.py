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
from typing import TextIO

from foerdermittel import fmt
from foerdermittel.errors import FoerdermittelError
from foerdermittel.evaluate import evaluate
from foerdermittel.io import case_json_schema, load_case
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
    deadlines = sub.add_parser("deadlines", help="alle Fristen mit Status zum Stichtag")
    deadlines.add_argument("case", help="Falldatei (.toml oder .json)")
    deadlines.add_argument("--as-of", type=_date_arg, help="Stichtag JJJJ-MM-TT (Standard: heute)")
    deadlines.add_argument("--ics", metavar="FILE", help="Fristen als iCalendar-Datei schreiben")
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


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    out = stdout if stdout is not None else sys.stdout
    args = _parser().parse_args(argv)
    if args.command == "schema":
        out.write(json.dumps(case_json_schema(), indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    try:
        report = evaluate(load_case(args.case), args.as_of)
        if args.command == "deadlines" and args.ics:
            from foerdermittel.export import ical

            ical.write(report, args.ics)
    except FoerdermittelError as exc:
        print(f"foerdermittel: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        print(f"foerdermittel: {args.ics}: nicht schreibbar: {exc.strerror}", file=sys.stderr)
        return EXIT_INPUT
    if args.command == "deadlines":
        out.write(render_deadlines(report))
        missed = any(d.status.value == "missed" and d.action_required for d in report.deadlines)
        return EXIT_FINDINGS if missed else EXIT_OK
    out.write(report.to_json() + "\n" if args.json else render_report(report))
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
