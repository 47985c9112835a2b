"""Command line: ``foerdermittel report``, ``deadlines`` and ``schema``.

A thin edge over the library: it parses arguments, calls the library and prints German
text; help, usage and its errors are German too. Exit status: 0 fine, 1 a finding of severity
error exists, 2 the input is unusable (or the call is), 3 an internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import re
import sys
import traceback
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, NoReturn, TextIO

from foerdermittel import fmt
from foerdermittel.errors import FoerdermittelError
from foerdermittel.evaluate import evaluate
from foerdermittel.export.ical import REMINDER_DAYS
from foerdermittel.export.text import (  # the text views, importable from here as before
    render_deadlines as render_deadlines,
)
from foerdermittel.export.text import render_interest as render_interest
from foerdermittel.export.text import render_proof as render_proof
from foerdermittel.export.text import render_replan as render_replan
from foerdermittel.export.text import render_report
from foerdermittel.extension import extension_amendment, line_totals, with_extension
from foerdermittel.interest import compute_interest, load_base_rate_file, parse_day_count
from foerdermittel.io import attach_ledger, case_json_schema, load_case
from foerdermittel.model.case import Case
from foerdermittel.parse import ParseError, parse_amount, parse_date, parse_percent
from foerdermittel.report import Report

__all__ = ["main", "render_report"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a program Ctrl+C ended
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, as a shell reports a program a closed pipe ended


# argparse's own texts (every ``_(...)`` and ``ngettext(...)`` of the module) in German. The
# parser passes its own German strings where argparse asks for them (usage prefix, group titles,
# help of -h) and translates the messages argparse formats in English before they reach
# ``error``; argparse's module and other programs' parsers stay as they are.
_ARGPARSE_GERMAN: dict[str, str] = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Argumente",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "argument %(argument_name)s: %(message)s": "Argument %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "fehlende Argumente: %s",
    "one of the arguments %s is required": "eines der Argumente %s ist nötig",
    "unrecognized arguments: %s": "unbekannte Argumente: %s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "mehrdeutige Option: %(option)s könnte %(matches)s sein"
    ),
    "expected one argument": "ein Wert fehlt",
    "expected at most one argument": "höchstens ein Wert erlaubt",
    "expected at least one argument": "mindestens ein Wert nötig",
    "expected %s argument": "%s Wert erwartet",
    "expected %s arguments": "%s Werte erwartet",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ungültige Auswahl: %(value)r (möglich: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ungültiger Wert: %(value)r",
    "not allowed with argument %s": "nicht zusammen mit Argument %s erlaubt",
    "ignored explicit argument %r": "nimmt keinen Wert an, erhalten: %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "unbekannter Befehl %(parser_name)r (möglich: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "'%(filename)s' lässt sich nicht öffnen: %(error)s",
    'argument "-" with mode %r': 'Argument "-" im Modus %r',
    "unexpected option string: %s": "unerwartete Option: %s",
    "cannot have multiple subparser arguments": "nur eine Gruppe von Befehlen möglich",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
    # Mistakes in building a parser, not in calling it; translated for completeness.
    "conflicting option string: %s": "Option doppelt vergeben: %s",
    "conflicting option strings: %s": "Optionen doppelt vergeben: %s",
    "conflicting subparser: %s": "Befehl doppelt vergeben: %s",
    "conflicting subparser alias: %s": "Befehlsalias doppelt vergeben: %s",
    ".__call__() not defined": ".__call__() nicht definiert",
    "'required' is an invalid argument for positionals": (
        "'required' ist für Argumente ohne Option nicht zulässig"
    ),
    "mutually exclusive arguments must be optional": (
        "einander ausschließende Argumente müssen Optionen sein"
    ),
    "%r is not callable": "%r ist nicht aufrufbar",
    "cannot merge actions - two groups are named %r": (
        "Aktionen nicht zusammenführbar: zwei Gruppen heißen %r"
    ),
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": (
        "ungültige Option %(option)r: muss mit einem Zeichen aus %(prefix_chars)r beginnen"
    ),
    "dest= is required for options like %r": "dest= ist nötig für Optionen wie %r",
    "invalid conflict_resolution value: %r": "ungültiger Wert für conflict_resolution: %r",
}

_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[sr]")


def _pattern(msgid: str) -> re.Pattern[str]:
    """A regular expression that matches ``msgid`` once argparse has filled it in."""
    parts: list[str] = []
    position = 0
    for count, match in enumerate(_PLACEHOLDER.finditer(msgid)):
        parts.append(re.escape(msgid[position : match.start()]))
        parts.append(f"(?P<{match.group(1) or f'_{count}'}>.+?)")
        position = match.end()
    parts.append(re.escape(msgid[position:]))
    return re.compile("".join(parts), re.DOTALL)


_TRANSLATIONS = [
    (_pattern(msgid), german)
    for msgid, german in sorted(_ARGPARSE_GERMAN.items(), key=lambda item: -len(item[0]))
    if _PLACEHOLDER.search(msgid)
]


def _fill(template: str, values: dict[str, str]) -> str:
    """``template`` with the texts argparse had put into the English message."""
    unnamed = iter(value for name, value in values.items() if name.startswith("_"))

    def value(placeholder: re.Match[str]) -> str:
        name = placeholder.group(1)
        return values[name] if name else next(unnamed)

    return _PLACEHOLDER.sub(value, template)


def _german(message: str) -> str:
    """A message argparse wrote in English, in German; any other message stays as it is."""
    if message in _ARGPARSE_GERMAN:
        return _ARGPARSE_GERMAN[message]
    for pattern, german in _TRANSLATIONS:
        match = pattern.fullmatch(message)
        if match is not None:
            values = match.groupdict()
            if "message" in values:  # "argument --as-of: <argparse's or our own message>"
                values["message"] = _german(values["message"])
            return _fill(german, values)
    return message


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help as written (examples keep their lines), with a German usage prefix."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        """Add the usage line, headed ``Aufruf:`` unless told otherwise."""
        super().add_usage(
            usage, actions, groups, _ARGPARSE_GERMAN["usage: "] if prefix is None else prefix
        )


class _Parser(argparse.ArgumentParser):
    """An argument parser that speaks German; usage errors exit with status 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = _ARGPARSE_GERMAN["positional arguments"]
        self._optionals.title = _ARGPARSE_GERMAN["options"]
        self.add_argument(
            "-h",
            "--help",
            action="help",
            default=argparse.SUPPRESS,
            help=_ARGPARSE_GERMAN["show this help message and exit"],
        )

    def error(self, message: str) -> NoReturn:
        """Print the usage and the message in German, and exit with status 2.

        What the user typed is in the message (``unbekannte Argumente: …``); a control
        character in it is shown escaped.
        """
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_INPUT,
            f"foerdermittel: Aufruf fehlerhaft: {fmt.visible(_german(message))}\n"
            f"Hilfe: {self.prog} --help\n",
        )


def _date_arg(text: str) -> date:
    """A date as ``30.06.2025`` or ``2025-06-30``; anything else is refused in German."""
    try:
        return parse_date(text)
    except ParseError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} ist kein Datum: {exc}") from None


def _amount_arg(text: str) -> Decimal:
    """An amount as ``100.000,00`` or ``100000.00``; ``100.000`` is ambiguous and refused."""
    try:
        return parse_amount(text)
    except ParseError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} ist kein Betrag: {exc}") from None


def _reminder_days_arg(text: str) -> int:
    if not re.fullmatch(r"\d{1,3}", text.strip()) or int(text) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} ist keine Zahl von Tagen zwischen 1 und 999 (z. B. 14)"
        )
    return int(text)


def _rate_arg(text: str) -> Decimal:
    """A percentage as ``1,27``, ``1.27`` or ``1,27 %``."""
    try:
        return parse_percent(text)
    except ParseError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} ist kein Prozentsatz: {exc}") from None


_EXAMPLE = "examples/bochum-mpsc.toml"
_CASE_HELP = "Falldatei (.toml oder .json); liest auch das Belegbuch, das sie nennt"
_AS_OF_HELP = "Stichtag TT.MM.JJJJ oder JJJJ-MM-TT (Standard: heute)"
_STDOUT_NOTE = "Ist DATEI ein -, geht die Datei auf die Standardausgabe; der Text entfällt dann."


def _examples(*lines: str, note: str = "") -> str:
    text = "Beispiele:\n" + "".join(f"  foerdermittel {line}\n" for line in lines)
    return text + (f"\n{note}\n" if note else "")


def _command(
    sub: argparse._SubParsersAction[_Parser], name: str, summary: str, epilog: str
) -> _Parser:
    parser = sub.add_parser(
        name, help=summary, description=summary[0].upper() + summary[1:] + ".", epilog=epilog
    )
    _debug_argument(parser, command=True)
    return parser


def _file_arg(text: str) -> str:
    """A file name as given; an empty one (``--xlsx ""``) is refused, not taken as "none"."""
    if not text.strip():
        raise argparse.ArgumentTypeError("leerer Dateiname; bitte eine Datei angeben")
    return text


def _output_arg(text: str) -> str:
    """A file to write, or ``-`` for standard output; an empty name is refused."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "leerer Dateiname; bitte eine Datei angeben (oder - für die Standardausgabe)"
        )
    return text


_DEBUG_HELP = (
    "bei einem internen Fehler den Traceback zeigen (auch nach dem Befehl möglich; "
    "ebenso FOERDERMITTEL_DEBUG=1)"
)


def _debug_argument(parser: argparse.ArgumentParser, *, command: bool) -> None:
    """``--debug`` before the command, and (not in its usage) after it."""
    if command:  # a command's default must not overwrite a --debug given before it
        parser.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    else:
        parser.add_argument("--debug", action="store_true", help=_DEBUG_HELP)


def _case_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", type=_file_arg, metavar="FALLDATEI", help=_CASE_HELP)
    parser.add_argument("--as-of", type=_date_arg, metavar="DATUM", help=_AS_OF_HELP)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="foerdermittel",
        description="Zuwendungen verwalten: Finanzierung und Prüfung eines Förderfalls.",
        epilog=(
            "Daten: TT.MM.JJJJ oder JJJJ-MM-TT. Hilfe zu einem Befehl: foerdermittel BEFEHL -h\n"
            "\n"
            "Exit-Status:\n"
            "    0  in Ordnung\n"
            "    1  eine Feststellung der Schwere Fehler (deadlines: eine Frist versäumt;\n"
            "       compare: eine Abstimmung stimmt nicht)\n"
            "    2  Eingabe unbrauchbar oder Aufruf fehlerhaft (die Meldung nennt Datei, Feld\n"
            "       und Wert oder das Argument)\n"
            "    3  interner Fehler: ein Defekt des Programms, eine Zeile; --debug zeigt den\n"
            "       Traceback\n"
            "  130  mit Strg+C abgebrochen\n"
            "  141  der Leser einer Pipe hat aufgehört (| head)\n"
            "\n"
            "Steuerzeichen in Texten der Falldatei und in Meldungen werden sichtbar gezeigt\n"
            "(\\x1b statt ESC), nicht ausgeführt."
        ),
    )
    _debug_argument(parser, command=False)
    sub = parser.add_subparsers(
        dest="command", metavar="BEFEHL", required=True, parser_class=_Parser
    )
    report = _command(
        sub,
        "report",
        "Übersicht und Feststellungen zu einem Förderfall",
        _examples(
            f"report {_EXAMPLE} --as-of 30.06.2025",
            f"report {_EXAMPLE} --xlsx bochum.xlsx",
            f"report {_EXAMPLE} --json > bochum.json",
            note=_STDOUT_NOTE,
        ),
    )
    _case_arguments(report)
    report.add_argument("--json", action="store_true", help="Bericht als JSON ausgeben")
    report.add_argument(
        "--xlsx",
        type=_output_arg,
        metavar="DATEI",
        help="Arbeitsmappe für den Zuwendungsgeber schreiben (Excel)",
    )
    deadlines = _command(
        sub,
        "deadlines",
        "alle Fristen mit Status zum Stichtag",
        _examples(
            f"deadlines {_EXAMPLE} --as-of 30.06.2025",
            f"deadlines {_EXAMPLE} --ics fristen.ics",
            note=_STDOUT_NOTE,
        ),
    )
    _case_arguments(deadlines)
    deadlines.add_argument(
        "--ics", type=_output_arg, metavar="DATEI", help="Fristen als iCalendar-Datei schreiben"
    )
    deadlines.add_argument(
        "--reminder-days",
        type=_reminder_days_arg,
        default=REMINDER_DAYS,
        metavar="TAGE",
        help=f"Erinnerung so viele Tage vor jeder Frist, die Handeln verlangt (Standard: "
        f"{REMINDER_DAYS})",
    )
    replan = _command(
        sub,
        "replan",
        "kostenneutrale Verlängerung einer Phase: verbindlicher Mittelabrufplan",
        _examples(f"replan {_EXAMPLE} --phase B --new-end 31.03.2028 --as-of 31.12.2024"),
    )
    _case_arguments(replan)
    replan.add_argument(
        "--phase", required=True, metavar="PHASE", help="Kennung der Phase, z. B. B"
    )
    replan.add_argument(
        "--new-end",
        required=True,
        type=_date_arg,
        metavar="DATUM",
        help="neues Ende der Phase, TT.MM.JJJJ oder JJJJ-MM-TT",
    )
    proof = _command(
        sub,
        "proof",
        "Verwendungsnachweis: Einnahmen, Ausgaben, Zahlungen",
        _examples(
            f"proof {_EXAMPLE} --as-of 26.11.2026",
            f"proof {_EXAMPLE} --ledger examples/bochum-ledger.csv --as-of 30.06.2022",
        ),
    )
    _case_arguments(proof)
    proof.add_argument(
        "--ledger",
        type=_file_arg,
        metavar="DATEI",
        help="Belegbuch (CSV/XLSX); Standard: das Belegbuch der Falldatei",
    )
    comparison = _command(
        sub,
        "compare",
        "Szenarien der Falldatei vergleichen",
        _examples(
            f"compare {_EXAMPLE} --as-of 01.01.2024",
            f"compare {_EXAMPLE} --scenario 'Haushaltsnotlage: 90 %'",
        ),
    )
    _case_arguments(comparison)
    comparison.add_argument(
        "--scenario",
        action="append",
        metavar="NAME",
        help="nur dieses Szenario (mehrfach möglich)",
    )
    interest = _command(
        sub,
        "interest",
        "Zinsrechner nach § 49a VwVfG (Basiszinssatz + 5 Prozentpunkte)",
        _examples(
            "interest 100.000,00 01.03.2024 31.08.2024",
            "interest 100000 2024-03-01 2024-08-31 --day-count act/act",
        ),
    )
    interest.add_argument(
        "amount", type=_amount_arg, metavar="BETRAG", help="Betrag, z. B. 100000.00 oder 100.000,00"
    )
    interest.add_argument(
        "start", type=_date_arg, metavar="VON", help="Auszahlung/Unwirksamkeit (zählt nicht mit)"
    )
    interest.add_argument(
        "end", type=_date_arg, metavar="BIS", help="Verwendung/Rückzahlung (zählt mit)"
    )
    interest.add_argument(
        "--day-count",
        default="act/365",
        metavar="KONVENTION",
        help="Zinstagekonvention: act/365 (Standard), act/act, act/360, 30E/360",
    )
    interest.add_argument(
        "--assumed-rate",
        type=_rate_arg,
        metavar="PROZENT",
        help="angenommener Basiszinssatz in Prozent für Tage nach der Tabelle, z. B. 1,27",
    )
    interest.add_argument(
        "--base-rate-file",
        type=_file_arg,
        metavar="DATEI",
        help="neuere Basiszinssätze: CSV-Download der Bundesbank-Zeitreihe BBK01.SU0115",
    )
    _command(
        sub,
        "schema",
        "JSON-Schema der Falldatei ausgeben",
        _examples("schema > fall.schema.json"),
    )
    return parser


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
        return _fail(str(exc))
    _emit(out, render_interest(result))
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
                valid = ", ".join(fmt.visible(n) for n in known) or "—"
                return _fail(
                    f"unbekanntes Szenario {', '.join(fmt.visible(n) for n in missing)}; "
                    f"in der Falldatei: {valid}"
                )
            chosen = [known[n] for n in args.scenario]
        table = compare(case, chosen, as_of=as_of)
    except FoerdermittelError as exc:
        return _fail(str(exc))
    text = f"Szenarienvergleich, Stichtag {fmt.date(as_of)}\n\n" + table.render()
    for row in table.rows:
        text += f"\n{fmt.visible(row.scenario)}: {fmt.visible(row.description)}"
    _emit(out, text + "\n")
    return EXIT_OK if all(row.reconciled for row in table.rows) else EXIT_FINDINGS


def _replan(args: argparse.Namespace, out: TextIO) -> int:
    as_of = args.as_of or date.today()
    try:
        case = _load(args.case, None)
        draft = extension_amendment(case, args.phase, args.new_end, as_of=as_of)
        report = evaluate(with_extension(case, args.phase, args.new_end, as_of=as_of), as_of)
    except FoerdermittelError as exc:
        return _fail(str(exc))
    _emit(out, render_replan(report, draft, line_totals(case, draft)))
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


def _load(path: str, ledger: str | None) -> Case:
    """Load a case file and the ledger it names (or ``ledger``), relative to the case file."""
    case = load_case(path)
    return attach_ledger(case, base_dir=Path(path).parent, ledger=ledger)


_OS_ERRORS = {
    errno.ENOENT: "den Ordner gibt es nicht",
    errno.ENOTDIR: "ein Teil des Pfads ist kein Ordner",
    errno.EACCES: "keine Berechtigung",
    errno.EPERM: "keine Berechtigung",
    errno.EISDIR: "das ist ein Ordner",
    errno.ENOSPC: "kein Platz mehr auf dem Datenträger",
    errno.EROFS: "das Dateisystem ist schreibgeschützt",
}
"""German reasons for the errors of writing a file (the system's own texts are English)."""

STDOUT = "-"
"""The output file name that means standard output (``--xlsx -``, ``--ics -``)."""


def _target(path: str) -> str:
    return "Standardausgabe" if path == STDOUT else path


def _binary(out: TextIO) -> BinaryIO | None:
    buffer: BinaryIO | None = getattr(out, "buffer", None)
    return buffer


def _write_failed(args: argparse.Namespace, target: str, exc: OSError) -> int:
    """The message for a file that could not be written, in German."""
    if isinstance(exc, FoerdermittelError):  # not a regular file: say how to reach stdout
        option = "--xlsx" if args.command == "report" else "--ics"
        return _fail(f"{exc} (Standardausgabe: {option} -)")
    reason = _OS_ERRORS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return _fail(f"{_target(target)}: nicht schreibbar: {reason}")


def _export(args: argparse.Namespace, report: Report, out: TextIO) -> int | None:
    """Write the file ``--xlsx``/``--ics`` asks for; an exit status if that failed.

    Only what the writer documents is the user's to fix (exit 2): a target that cannot be
    written, a Belegliste too long for a worksheet. Anything else it raises is a defect (3).
    """
    if args.command == "report" and args.xlsx:
        from foerdermittel.export import excel

        stream = _binary(out) if args.xlsx == STDOUT else None
        if args.xlsx == STDOUT and (stream is None or out.isatty()):
            return _fail(
                "--xlsx -: eine Arbeitsmappe ist binär und gehört nicht ins Terminal; bitte "
                "umleiten, z. B. --xlsx - > bochum.xlsx"
            )
        try:
            book = excel.write(report, stream if stream is not None else args.xlsx)
        except BrokenPipeError:
            raise
        except OSError as exc:
            return _write_failed(args, args.xlsx, exc)
        except excel.WorkbookTooLargeError as exc:
            return _fail(f"{_target(args.xlsx)}: {exc}")
        _say(
            f"Arbeitsmappe geschrieben: {_target(args.xlsx)} ({fmt.number(book.sheets)} "
            f"Blätter, {fmt.number(book.vouchers)} Belege)"
        )
    if args.command == "deadlines" and args.ics:
        from foerdermittel.export import ical
        from foerdermittel.export.written import WrittenCalendar

        try:
            if args.ics == STDOUT:
                stream = _binary(out)
                data = ical.to_ics(report, reminder_days=args.reminder_days)
                if stream is None:
                    out.write(data.decode())
                    out.flush()
                else:
                    stream.write(data)
                    stream.flush()
                calendar_file = WrittenCalendar.of(None, data)
            else:
                calendar_file = ical.write(report, args.ics, reminder_days=args.reminder_days)
        except BrokenPipeError:
            raise
        except OSError as exc:
            return _write_failed(args, args.ics, exc)
        _say(
            f"Kalender geschrieben: {_target(args.ics)} "
            f"({fmt.number(calendar_file.events)} Termine)"
        )
    return None


_JSON_RAW = re.compile("[\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""The characters of [`fmt.INVISIBLE`][foerdermittel.fmt.INVISIBLE] that JSON leaves raw: it
escapes only U+0000–U+001F."""


def _json_text(text: str) -> str:
    r"""JSON with DEL, the C1 controls and the direction marks as ``\u`` escapes.

    They can stand only inside strings, where ``\u009b`` means the same character, so the
    data read back is unchanged and the terminal shows them instead of acting on them.
    """
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    if args.command == "schema":
        _emit(out, json.dumps(case_json_schema(), indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    if args.command == "replan":
        return _replan(args, out)
    if args.command == "interest":
        return _interest(args, out)
    if args.command == "compare":
        return _compare(args, out)
    try:
        report = evaluate(_load(args.case, getattr(args, "ledger", None)), args.as_of)
    except FoerdermittelError as exc:
        return _fail(str(exc))
    failed = _export(args, report, out)
    if failed is not None:
        return failed
    if args.command == "proof":
        _emit(out, render_proof(report))
        return EXIT_FINDINGS if report.has_errors else EXIT_OK
    if args.command == "deadlines":
        if args.ics != STDOUT:
            _emit(out, render_deadlines(report))
        missed = any(d.status.value == "missed" and d.action_required for d in report.deadlines)
        return EXIT_FINDINGS if missed else EXIT_OK
    if args.xlsx != STDOUT:
        if args.json:
            out.write(_json_text(report.to_json()) + "\n")
        else:
            _emit(out, render_report(report))
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


def _emit(out: TextIO, text: str) -> None:
    """Write a rendered text; a control character a renderer let through is shown escaped."""
    out.write(fmt.visible(text, newlines=True))


def _say(message: str) -> None:
    """One line on standard error, controls shown escaped; a closed stderr does not matter."""
    with contextlib.suppress(OSError, ValueError):  # stderr closed: nothing else can be told
        print(fmt.visible(message, newlines=True), file=sys.stderr)


def _fail(message: str, status: int = EXIT_INPUT) -> int:
    """Say what went wrong on standard error; returns ``status`` (2 unless told otherwise)."""
    _say(f"foerdermittel: {message}")
    return status


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "report" and args.json and args.xlsx == STDOUT:
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        commands.choices["report"].error(
            "--json und --xlsx - schreiben beide auf die Standardausgabe; bitte nur eines"
        )
    return args


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    """Run the command line; returns the exit status.

    0 fine, 1 a finding of severity error, 2 unusable input or a usage error (argparse raises
    ``SystemExit(2)``), 3 an internal error: a defect, told in one German line; with
    ``--debug`` (or ``FOERDERMITTEL_DEBUG=1``) the traceback comes first, and the status is
    still 3. A closed pipe (``| head``) ends quietly with status 141, the status a shell gives a
    program that ``SIGPIPE`` ended (128 + 13), so that it is not taken for a finding (1);
    Ctrl+C ends with 130 (128 + SIGINT) and one line.
    """
    out = stdout if stdout is not None else sys.stdout
    tokens = list(sys.argv[1:] if argv is None else argv)
    debug = os.environ.get("FOERDERMITTEL_DEBUG", "") not in {"", "0"}
    try:
        args = _parse(tokens)
        debug = debug or getattr(args, "debug", False)
        status = _run(args, out)
        out.flush()  # a closed pipe shows here, not at the interpreter's exit
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_CLOSED_PIPE
    except KeyboardInterrupt:
        return _fail("abgebrochen", EXIT_INTERRUPTED)
    except Exception as exc:  # a defect: whatever it is, it is no finding and no bad input
        return _internal_error(exc, debug=debug or "--debug" in tokens)
    return status


def _internal_error(exc: BaseException, *, debug: bool) -> int:
    """Tell a defect in one German line (after the traceback with ``debug``); returns 3."""
    if debug:
        try:
            _say("".join(traceback.format_exception(exc)).rstrip("\n"))
        except Exception:  # pragma: no cover - a traceback that cannot be formatted
            _say(f"(Traceback nicht darstellbar: {type(exc).__name__})")
    try:
        text = " ".join(str(exc).split())
    except Exception:  # an exception whose text fails itself
        text = ""
    if len(text) > 300:
        text = text[:300] + " …"
    detail = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    how = (
        "bitte mit dem Aufruf und dem Traceback oben melden"
        if debug
        else "bitte mit dem Aufruf und der Ausgabe mit --debug melden"
    )
    return _fail(
        f"interner Fehler: {fmt.visible(detail)} — ein Defekt in foerdermittel, kein Fehler in "
        f"den Eingaben; {how}",
        EXIT_INTERNAL,
    )


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the flush at exit fails no more."""
    try:
        fileno = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by a stream without a descriptor
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
