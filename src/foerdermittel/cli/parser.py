"""The argument parser of the command line: its commands, options, help and argument types.

A German parser (`_Parser`): help, usage and its errors are
German, a usage error exits with status 2; dates as ``30.06.2025`` or ``2025-06-30``, amounts
as ``100.000,00``, ``-`` for standard output.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn

from foerdermittel import fmt
from foerdermittel.cli.argparse_german import _ARGPARSE_GERMAN, _german
from foerdermittel.cli.exit_status import EXIT_INPUT
from foerdermittel.export.ical import REMINDER_DAYS
from foerdermittel.interest import POINTS_ABOVE_BASE
from foerdermittel.messages import DEFAULT_LANGUAGE, LANGUAGES
from foerdermittel.parse import ParseError, parse_amount, parse_date, parse_percent

__all__: list[str] = []


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
    sub: argparse._SubParsersAction[_Parser],
    name: str,
    summary: str,
    epilog: str,
    *,
    lang: bool = True,
) -> _Parser:
    parser = sub.add_parser(
        name, help=summary, description=summary[0].upper() + summary[1:] + ".", epilog=epilog
    )
    _debug_argument(parser, command=True)
    if not lang:  # the schema's descriptions are the case file's German terms
        return parser
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=DEFAULT_LANGUAGE,
        metavar="SPRACHE",
        help="Sprache der Ausgabe: de (Standard) oder en; Hilfe und Fehlermeldungen bleiben "
        "deutsch",
    )
    return parser


def _file_arg(text: str) -> str:
    """A file name as given; an empty one (``--xlsx ""``) is refused, not taken as "none"."""
    if not text.strip():
        raise argparse.ArgumentTypeError("leerer Dateiname; bitte eine Datei angeben")
    return text


NAMED_AFTER_CASE = "\x00named-after-case"
"""The value of ``--xlsx``/``--ics`` given without a file: named after the case file."""


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
            f"report {_EXAMPLE} --lang en",
            note=_STDOUT_NOTE,
        ),
    )
    _case_arguments(report)
    report.add_argument("--json", action="store_true", help="Bericht als JSON ausgeben")
    report.add_argument(
        "--xlsx",
        type=_output_arg,
        nargs="?",
        const=NAMED_AFTER_CASE,
        metavar="DATEI",
        help=(
            "Arbeitsmappe für den Zuwendungsgeber schreiben (Excel); ohne DATEI nach der "
            "Falldatei benannt im aktuellen Verzeichnis (bochum-mpsc.xlsx)"
        ),
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
        "--ics",
        type=_output_arg,
        nargs="?",
        const=NAMED_AFTER_CASE,
        metavar="DATEI",
        help=(
            "Fristen als iCalendar-Datei schreiben; ohne DATEI nach der Falldatei benannt im "
            "aktuellen Verzeichnis (bochum-mpsc.ics)"
        ),
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
        f"Zinsrechner nach § 49a VwVfG (Basiszinssatz + {POINTS_ABOVE_BASE} Prozentpunkte)",
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
    _call_command(sub)
    _portfolio_command(sub)
    _command(
        sub,
        "schema",
        "JSON-Schema der Falldatei ausgeben",
        _examples("schema > fall.schema.json"),
        lang=False,
    )
    _rules_command(sub)
    return parser


_PORTFOLIO_EXAMPLE = "examples/portfolio/portfolio.toml"


def _portfolio_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``portfolio``: all grants of a city on one key date, as text, JSON, workbook, calendar."""
    portfolio = _command(
        sub,
        "portfolio",
        "alle Förderfälle einer Kommune: Eigenanteil je Haushaltsjahr gegen den Ansatz, "
        "Vorfinanzierung, Fristen, Doppelförderung",
        _examples(
            f"portfolio {_PORTFOLIO_EXAMPLE} --as-of 30.06.2025",
            f"portfolio {_PORTFOLIO_EXAMPLE} --xlsx portfolio.xlsx --ics fristen.ics",
            f"portfolio {_PORTFOLIO_EXAMPLE} --json > portfolio.json",
            note="Exit-Status 1, wenn das Portfolio oder einer seiner Förderfälle eine "
            "Feststellung der Schwere Fehler hat.\n" + _STDOUT_NOTE,
        ),
    )
    portfolio.add_argument(
        "portfolio",
        type=_file_arg,
        metavar="PORTFOLIODATEI",
        help="Portfoliodatei (.toml oder .json); liest die Falldateien, die sie nennt, mit "
        "ihren Belegbüchern",
    )
    portfolio.add_argument("--as-of", type=_date_arg, metavar="DATUM", help=_AS_OF_HELP)
    portfolio.add_argument("--json", action="store_true", help="Portfoliobericht als JSON ausgeben")
    portfolio.add_argument(
        "--xlsx",
        type=_output_arg,
        nargs="?",
        const=NAMED_AFTER_CASE,
        metavar="DATEI",
        help="Arbeitsmappe schreiben (Excel): Übersicht, Eigenanteil, Vorfinanzierung, Fristen, "
        "Feststellungen, Abstimmung; ohne DATEI nach der Portfoliodatei benannt im aktuellen "
        "Verzeichnis (portfolio.xlsx)",
    )
    portfolio.add_argument(
        "--ics",
        type=_output_arg,
        nargs="?",
        const=NAMED_AFTER_CASE,
        metavar="DATEI",
        help="die Fristen aller Förderfälle als eine iCalendar-Datei schreiben; ohne DATEI nach "
        "der Portfoliodatei benannt im aktuellen Verzeichnis (portfolio.ics)",
    )
    portfolio.add_argument(
        "--reminder-days",
        type=_reminder_days_arg,
        default=REMINDER_DAYS,
        metavar="TAGE",
        help=f"Erinnerung so viele Tage vor jeder Frist, die Handeln verlangt (Standard: "
        f"{REMINDER_DAYS})",
    )


def _call_number_arg(text: str) -> int:
    """A call's number in the drawdown plan: a whole number from 1."""
    if not re.fullmatch(r"\d{1,6}", text.strip()) or int(text) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} ist keine Abrufnummer; bitte eine ganze Zahl ab 1 (z. B. 3)"
        )
    return int(text)


def _call_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``abruf``: the document of one call of the drawdown plan, as text or a workbook."""
    call = _command(
        sub,
        "abruf",
        "Mittelabruf: Unterlage zu einem Abruf (Ausgaben je Einzelansatz seit dem letzten "
        "Abruf, Finanzierung, angeforderter Betrag, Stand der Zuwendung je Phase)",
        _examples(
            f"abruf {_EXAMPLE} --next --as-of 30.06.2025",
            f"abruf {_EXAMPLE} --call 3 --as-of 30.06.2025",
            f"abruf {_EXAMPLE} --next --xlsx abruf.xlsx",
            note="Die Abrufe sind nach Datum numeriert (1 = der erste Abruf der Zuwendung, "
            "ausgezahlte und geplante).\nOhne --call: der nächste geplante Abruf nach dem "
            "Stichtag.\n" + _STDOUT_NOTE,
        ),
    )
    _case_arguments(call)
    which = call.add_mutually_exclusive_group()
    which.add_argument(
        "--call",
        type=_call_number_arg,
        metavar="NR",
        help="Nummer des Abrufs im Mittelabrufplan (nach Datum, ab 1)",
    )
    which.add_argument(
        "--next",
        action="store_true",
        help="der nächste geplante Abruf nach dem Stichtag (Standard)",
    )
    call.add_argument(
        "--xlsx",
        type=_output_arg,
        nargs="?",
        const=NAMED_AFTER_CASE,
        metavar="DATEI",
        help=(
            "den Mittelabruf als Arbeitsmappe mit einem Blatt schreiben (Excel); ohne DATEI "
            "nach Falldatei und Abruf benannt (bochum-mpsc-abruf-9.xlsx)"
        ),
    )


def _rules_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``rules``: the shipped rulebooks, one with its sources, a file checked, the schema."""
    rules = _command(
        sub,
        "rules",
        "Regelwerke und Förderprogramme: Liste, Werte mit Quellen, Prüfung einer Datei",
        _examples(
            "rules",
            "rules show anbest-gk-2019",
            "rules show mpsc-2021",
            "rules schema > regelwerk.schema.json",
            note="Ohne UNTERBEFEHL: alle mitgelieferten Regelwerke und Programme mit Datum.",
        ),
        lang=False,
    )
    rules.usage = "%(prog)s [-h] [show ID | check DATEI | schema]"
    commands = rules.add_subparsers(
        dest="rules_command", metavar="UNTERBEFEHL", required=False, parser_class=_Parser
    )
    show = commands.add_parser(
        "show",
        prog="foerdermittel rules show",
        help="ein Regelwerk oder Programm mit der Grundlage jedes Werts",
        description="Ein Regelwerk oder Programm mit der Grundlage jedes Werts.",
        epilog=_examples("rules show anbest-gk-2019"),
    )
    show.add_argument("id", metavar="ID", help="Kennung, z. B. anbest-gk-2019 oder mpsc-2021")
    check = commands.add_parser(
        "check",
        prog="foerdermittel rules check",
        help="eine eigene Regelwerksdatei (TOML) prüfen",
        description=(
            "Eine eigene Regelwerksdatei (TOML) prüfen; Exit-Status 0, wenn sie in Ordnung ist, "
            "2 mit jedem Problem (Datei, Feld, Wert)."
        ),
        epilog=_examples("rules check eigene-regeln.toml"),
    )
    check.add_argument("file", type=_file_arg, metavar="DATEI", help="Regelwerksdatei (.toml)")
    commands.add_parser(
        "schema",
        prog="foerdermittel rules schema",
        help="JSON-Schema einer Regelwerksdatei ausgeben",
        description="JSON-Schema einer Regelwerksdatei ausgeben.",
        epilog=_examples("rules schema > regelwerk.schema.json"),
    )
    for parser in (show, check):
        _debug_argument(parser, command=True)
