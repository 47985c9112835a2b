"""One calendar for all grants of a portfolio (iCalendar, RFC 5545).

Every grant's deadlines as the grant's own calendar has them
([`ical.to_ics`][foerdermittel.export.ical.to_ics]): the same events, built by the same
code, with the same reminders (on every deadline the city still has to act on), the same UID
(the grant's id and the deadline's id: unique across grants, and one deadline is one event
whichever of the two files a calendar imported), the same ``DTSTAMP`` and ``SEQUENCE`` (the
grant's latest decision and its number of amendments). What the portfolio adds: the grant in
each event's title, the grant and its owner (office and person) at the top of the description,
and the grant and the owner's office as categories, so that a calendar can filter by them. The
events are in the order of the portfolio's deadline list (by date). Nothing depends on the
clock: the same report gives the same bytes.
"""

from __future__ import annotations

import os

from foerdermittel.export.ical import REMINDER_DAYS, _calendar, _check_reminder_days, _event
from foerdermittel.export.portfolio_text import owner_text
from foerdermittel.export.written import WrittenCalendar
from foerdermittel.io.atomic import write_atomic
from foerdermittel.messages import DEFAULT_LANGUAGE, Words
from foerdermittel.portfolio import PortfolioReport

__all__ = ["portfolio_to_ics", "write_portfolio_ics"]


def portfolio_to_ics(
    report: PortfolioReport, *, reminder_days: int = REMINDER_DAYS, lang: str = DEFAULT_LANGUAGE
) -> bytes:
    """The deadlines of all grants as one iCalendar file (bytes, CRLF line ends).

    Args:
        report: the evaluated portfolio.
        reminder_days: how many days before an action deadline the calendar reminds (≥ 1).
        lang: the language of titles and descriptions (``de`` or ``en``); the UIDs do not
            depend on it.

    Raises:
        ArgumentError: ``reminder_days`` below 1 (a ``ValueError``).

    Examples:
        >>> from datetime import date
        >>> from foerdermittel import evaluate_portfolio, load_portfolio
        >>> report = evaluate_portfolio(load_portfolio("examples/portfolio/portfolio.toml"),
        ...                             date(2025, 6, 30))
        >>> data = portfolio_to_ics(report)
        >>> data == portfolio_to_ics(report), data.count(b"BEGIN:VEVENT") == len(report.deadlines)
        (True, True)
    """
    _check_reminder_days("portfolio_to_ics", reminder_days)
    w = Words(lang)
    title = report.title or report.city.name
    calendar = _calendar(w("portfolio.ical.name", title=title))
    infos = {g.key: g for g in report.grants}
    for item in report.deadlines:
        grant = report.reports[item.grant]
        info = infos[item.grant]
        deadline = item.deadline
        first = (
            w("portfolio.ical.grant", grant=item.grant, title=info.title or "—"),
            w("portfolio.ical.owner", owner=owner_text(item.owner)),
        )
        event = _event(
            grant,
            deadline,
            reminder_days,
            w,
            summary=w("portfolio.ical.summary", grant=item.grant, title=deadline.title_in(lang)),
            first_lines=first,
            categories=(item.grant, item.owner.office),
        )
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def write_portfolio_ics(
    report: PortfolioReport,
    path: str | os.PathLike[str],
    *,
    reminder_days: int = REMINDER_DAYS,
    lang: str = DEFAULT_LANGUAGE,
) -> WrittenCalendar:
    """Write the portfolio's calendar as an ``.ics`` file, atomically; returns what was written.

    Raises:
        OSError: the folder does not exist or cannot be written.
        ArgumentError: ``reminder_days`` below 1.

    Examples:
        >>> import tempfile
        >>> from datetime import date
        >>> from pathlib import Path
        >>> from foerdermittel import evaluate_portfolio, load_portfolio
        >>> report = evaluate_portfolio(load_portfolio("examples/portfolio/portfolio.toml"),
        ...                             date(2025, 6, 30))
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     written = write_portfolio_ics(report, Path(folder) / "fristen.ics")
        >>> written.events
        30
    """
    data = portfolio_to_ics(report, reminder_days=reminder_days, lang=lang)
    write_atomic(path, data)
    return WrittenCalendar.of(os.fspath(path), data)
