"""``foerdermittel portfolio``: all grants of a city on one key date.

Loads the portfolio file and every case file it names, evaluates them, and prints the
overview ([`render_portfolio`][foerdermittel.export.portfolio_text.render_portfolio]) or, with
``--json``, the report as JSON; ``--xlsx`` and ``--ics`` write the workbook and the calendar
of all grants, each confirmed on standard error with what the writer reports. ``-`` as a file
sends it to standard output, and the text is left out.

Exit status: 0 fine; 1 a finding of severity error in the portfolio or in one of its grants;
2 unusable input — the portfolio or a case file it names cannot be loaded (``CaseError``), a
file cannot be written, or a grant fails to evaluate on an error the library raises for its
input (see [`evaluation_status`][foerdermittel.cli.portfolio.evaluation_status]); 3 an
internal error, among them a grant that fails on anything else.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TextIO

from foerdermittel.cli.exit_status import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK
from foerdermittel.cli.output import (
    STDOUT,
    _emit,
    _fail,
    _json_text,
    _say,
    _target,
    _write_calendar,
    _write_workbook,
)
from foerdermittel.errors import FoerdermittelError
from foerdermittel.messages import Words
from foerdermittel.portfolio import (
    PortfolioEvaluationError,
    PortfolioReport,
    evaluate_portfolio,
    load_portfolio,
)

__all__ = ["evaluation_status", "run_portfolio"]


def _input_errors() -> frozenset[str]:
    """The names of the errors the library raises on purpose (every ``FoerdermittelError``)."""
    names: set[str] = set()
    todo: list[type[BaseException]] = [FoerdermittelError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return frozenset(names)


def evaluation_status(error: PortfolioEvaluationError) -> int:
    """The exit status for grants that failed to evaluate: 2 for their input, else 3.

    A grant fails on its input when the error is one the library raises on purpose
    (a ``FoerdermittelError``: a ``CaseError``, a holiday calendar without the year, an
    interest table without the period): ``foerdermittel report`` on that case file alone would
    exit with 2, and so does the portfolio. Any other error — a defect (``KeyError``,
    ``ZeroDivisionError``) or an executor that broke down — makes the portfolio's status 3,
    even when other grants failed on their input. Only the error's name crosses from a worker
    (``GrantFailure.error``), so the name decides.

    Examples:
        >>> from foerdermittel.portfolio import GrantFailure
        >>> def failed(error):
        ...     return PortfolioEvaluationError([GrantFailure("K", "k.toml", error, "x")])
        >>> evaluation_status(failed("CaseError")), evaluation_status(failed("KeyError"))
        (2, 3)
    """
    known = _input_errors()
    return EXIT_INPUT if all(f.error in known for f in error.failures) else EXIT_INTERNAL


def _workbook(args: argparse.Namespace, report: PortfolioReport, out: TextIO) -> int | None:
    from foerdermittel.export.excel.portfolio import write_portfolio

    book = _write_workbook(
        out,
        args.xlsx,
        "portfolio.xlsx",
        lambda target: write_portfolio(report, target, lang=args.lang),
    )
    if isinstance(book, int):
        return book
    _say(
        Words(args.lang)(
            "portfolio.written.workbook",
            file=_target(args.xlsx),
            sheets=book.sheets,
            grants=book.grants,
        )
    )
    return None


def _calendar(args: argparse.Namespace, report: PortfolioReport, out: TextIO) -> int | None:
    from foerdermittel.export.portfolio_ical import portfolio_to_ics, write_portfolio_ics

    written = _write_calendar(
        out,
        args.ics,
        lambda: portfolio_to_ics(report, reminder_days=args.reminder_days, lang=args.lang),
        lambda target: write_portfolio_ics(
            report, target, reminder_days=args.reminder_days, lang=args.lang
        ),
    )
    if isinstance(written, int):
        return written
    _say(Words(args.lang)("cli.written.calendar", file=_target(args.ics), events=written.events))
    return None


def run_portfolio(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``foerdermittel portfolio``; returns the exit status."""
    as_of = args.as_of or date.today()
    try:
        report = evaluate_portfolio(load_portfolio(args.portfolio), as_of)
    except PortfolioEvaluationError as exc:
        return _fail(str(exc), evaluation_status(exc))
    except FoerdermittelError as exc:
        return _fail(str(exc))
    if args.xlsx:
        failed = _workbook(args, report, out)
        if failed is not None:
            return failed
    if args.ics:
        failed = _calendar(args, report, out)
        if failed is not None:
            return failed
    if STDOUT not in {args.xlsx, args.ics}:
        if args.json:
            out.write(_json_text(report.to_json(lang=args.lang)) + "\n")
        else:
            from foerdermittel.export.portfolio_text import render_portfolio

            _emit(out, render_portfolio(report, lang=args.lang))
    return EXIT_FINDINGS if report.has_errors else EXIT_OK
