"""Command line: ``foerdermittel report``, ``deadlines``, ``abruf``, ``portfolio`` and more.

A thin edge over the library: it parses arguments, calls the library and prints German
text; help, usage and its errors are German too. Exit status: 0 fine, 1 a finding of severity
error exists, 2 the input is unusable (or the call is), 3 an internal error.

The package holds the commands and their output here; the argument parser in `parser`, the
German words of argparse in `argparse_german`, the exit status in `exit_status`, the command
``portfolio`` in `portfolio`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from foerdermittel import fmt
from foerdermittel.cli.argparse_german import _ARGPARSE_GERMAN as _ARGPARSE_GERMAN
from foerdermittel.cli.argparse_german import _german as _german
from foerdermittel.cli.exit_status import (
    EXIT_CLOSED_PIPE,
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
)
from foerdermittel.cli.exit_status import (
    EXIT_INPUT as EXIT_INPUT,
)
from foerdermittel.cli.output import _OS_ERRORS as _OS_ERRORS
from foerdermittel.cli.output import STDOUT as STDOUT
from foerdermittel.cli.output import _binary as _binary
from foerdermittel.cli.output import _emit as _emit
from foerdermittel.cli.output import _fail as _fail
from foerdermittel.cli.output import _json_text as _json_text
from foerdermittel.cli.output import _say as _say
from foerdermittel.cli.output import _target as _target
from foerdermittel.cli.output import _write_calendar, _write_workbook
from foerdermittel.cli.parser import NAMED_AFTER_CASE, _parser
from foerdermittel.cli.parser import _amount_arg as _amount_arg
from foerdermittel.cli.parser import _date_arg as _date_arg
from foerdermittel.cli.parser import _Parser as _Parser
from foerdermittel.cli.parser import _rate_arg as _rate_arg
from foerdermittel.errors import FoerdermittelError
from foerdermittel.evaluation import evaluate
from foerdermittel.export.text import comparison_text, render_report
from foerdermittel.export.text import (  # the text views, importable from here as before
    render_deadlines as render_deadlines,
)
from foerdermittel.export.text import render_interest as render_interest
from foerdermittel.export.text import render_proof as render_proof
from foerdermittel.export.text import render_replan as render_replan
from foerdermittel.extension import extension_amendment, line_totals, with_extension
from foerdermittel.interest import compute_interest, load_base_rate_file, parse_day_count
from foerdermittel.io import attach_ledger, case_json_schema, load_case
from foerdermittel.messages import Words
from foerdermittel.model.case import Case
from foerdermittel.report import Report

__all__ = ["main", "render_report"]


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
    _emit(out, render_interest(result, lang=args.lang))
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
    words = Words(args.lang)
    text = words("cli.compare.title", day=as_of) + "\n\n" + comparison_text(table, lang=args.lang)
    for row in table.rows:
        steps = "; ".join(words.of(step) for step in row.steps)
        text += f"\n{fmt.visible(words.of(row.label))}: {fmt.visible(steps)}"
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
    _emit(out, render_replan(report, draft, line_totals(case, draft), lang=args.lang))
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


def _call(args: argparse.Namespace, out: TextIO) -> int:
    """``abruf``: the document of one call, as text, or as a workbook with ``--xlsx``."""
    from foerdermittel.drawdown_call import call_document
    from foerdermittel.export.call_text import render_call

    try:
        case = _load(args.case, None)
        report = evaluate(case, args.as_of)
        document = call_document(report, args.call, next=args.call is None, income=case.income)
    except FoerdermittelError as exc:
        return _fail(str(exc))
    if args.xlsx == NAMED_AFTER_CASE:
        args.xlsx = f"{Path(args.case).stem}-abruf-{document.number}.xlsx"
    if args.xlsx:
        from foerdermittel.export.excel.call_sheet import write_call

        book = _write_workbook(
            out,
            args.xlsx,
            "abruf.xlsx",
            lambda target: write_call(document, target, lang=args.lang),
        )
        if isinstance(book, int):
            return book
        _say(
            Words(args.lang)(
                "call.written",
                file=_target(args.xlsx),
                number=document.number,
                sheets=book.sheets,
                vouchers=book.vouchers,
            )
        )
        if args.xlsx == STDOUT:
            return EXIT_OK
    _emit(out, render_call(document, lang=args.lang))
    return EXIT_OK


def _load(path: str, ledger: str | None) -> Case:
    """Load a case file and the ledger it names (or ``ledger``), relative to the case file."""
    case = load_case(path)
    return attach_ledger(case, base_dir=Path(path).parent, ledger=ledger)


def _export(args: argparse.Namespace, report: Report, out: TextIO) -> int | None:
    """Write the file ``--xlsx``/``--ics`` asks for; an exit status if that failed.

    Only what the writer documents is the user's to fix (exit 2): a target that cannot be
    written, a Belegliste too long for a worksheet. Anything else it raises is a defect (3).
    """
    if args.command == "report" and args.xlsx:
        from foerdermittel.export import excel

        try:
            book = _write_workbook(
                out,
                args.xlsx,
                "bochum.xlsx",
                lambda target: excel.write(report, target, lang=args.lang),
            )
        except excel.WorkbookTooLargeError as exc:
            return _fail(f"{_target(args.xlsx)}: {exc}")
        if isinstance(book, int):
            return book
        _say(
            Words(args.lang)(
                "cli.written.workbook",
                file=_target(args.xlsx),
                sheets=book.sheets,
                vouchers=book.vouchers,
            )
        )
    if args.command == "deadlines" and args.ics:
        from foerdermittel.export import ical

        calendar_file = _write_calendar(
            out,
            args.ics,
            lambda: ical.to_ics(report, reminder_days=args.reminder_days, lang=args.lang),
            lambda target: ical.write(
                report, target, reminder_days=args.reminder_days, lang=args.lang
            ),
        )
        if isinstance(calendar_file, int):
            return calendar_file
        _say(
            Words(args.lang)(
                "cli.written.calendar", file=_target(args.ics), events=calendar_file.events
            )
        )
    return None


def _run(args: argparse.Namespace, out: TextIO) -> int:
    if args.command == "schema":
        _emit(out, json.dumps(case_json_schema(), indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    if args.command == "rules":
        from foerdermittel.cli.rulebooks import rules_text

        try:
            _emit(out, rules_text(args))
        except FoerdermittelError as exc:
            return _fail(str(exc))
        return EXIT_OK
    if args.command == "replan":
        return _replan(args, out)
    if args.command == "interest":
        return _interest(args, out)
    if args.command == "compare":
        return _compare(args, out)
    if args.command == "abruf":
        return _call(args, out)
    if args.command == "portfolio":
        from foerdermittel.cli.portfolio import run_portfolio

        return run_portfolio(args, out)
    try:
        report = evaluate(_load(args.case, getattr(args, "ledger", None)), args.as_of)
    except FoerdermittelError as exc:
        return _fail(str(exc))
    failed = _export(args, report, out)
    if failed is not None:
        return failed
    if args.command == "proof":
        _emit(out, render_proof(report, lang=args.lang))
        return EXIT_FINDINGS if report.has_errors else EXIT_OK
    if args.command == "deadlines":
        if args.ics != STDOUT:
            _emit(out, render_deadlines(report, lang=args.lang))
        missed = any(d.status.value == "missed" and d.action_required for d in report.deadlines)
        return EXIT_FINDINGS if missed else EXIT_OK
    if args.xlsx != STDOUT:
        if args.json:
            out.write(_json_text(report.to_json(lang=args.lang)) + "\n")
        else:
            _emit(out, render_report(report, lang=args.lang))
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _parser()
    args = parser.parse_args(argv)
    for option, suffix in (("xlsx", ".xlsx"), ("ics", ".ics")):
        if args.command != "abruf" and getattr(args, option, None) == NAMED_AFTER_CASE:
            named_after = args.portfolio if args.command == "portfolio" else args.case
            setattr(args, option, Path(named_after).stem + suffix)
    if args.command == "report" and args.json and args.xlsx == STDOUT:
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        commands.choices["report"].error(
            "--json und --xlsx - schreiben beide auf die Standardausgabe; bitte nur eines"
        )
    if args.command == "portfolio":
        stdout = [
            option
            for option, given in (
                ("--json", args.json),
                ("--xlsx -", args.xlsx == STDOUT),
                ("--ics -", args.ics == STDOUT),
            )
            if given
        ]
        if len(stdout) > 1:
            commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
            commands.choices["portfolio"].error(
                f"{' und '.join(stdout)} schreiben alle auf die Standardausgabe; bitte nur eines"
                if len(stdout) > 2
                else f"{' und '.join(stdout)} schreiben beide auf die Standardausgabe; bitte "
                "nur eines"
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
