"""Whose public holidays move a deadline: the place where it must be met (§ 193 BGB).

§ 193 BGB moves a period's end off a Saturday, Sunday or a public holiday "am Erklärungs- oder
Leistungsort". For what the funder must receive that is the funder's seat, for the recipient's
own acts the recipient's place; a case may force one of them for every deadline
(``settings.holiday_calendar``). A place may be a part of a Land with holidays of its own
(``grant.holiday_region``, ``grant.funder_holiday_region``).
"""

from __future__ import annotations

from foerdermittel.calendar import HolidayCalendar
from foerdermittel.model.case import Case

__all__ = ["deadline_calendar", "filed_with_funder", "holiday_calendar"]


_FILED_WITH_FUNDER = frozenset({"proof_of_use", "interim_proof", "change_application", "milestone"})
"""Kinds of deadline for something the funder must receive: the proof of use, an interim
proof, a change or extension application, a programme milestone with a date (MPSC: the
declaration of interest and the extension application). The other kinds are the recipient's
own acts (using money, keeping vouchers, the council's resolution before a payout) or need no
shift (the end of an approval period)."""


def filed_with_funder(kind: str) -> bool:
    """Whether a deadline of ``kind`` is met only when the funder receives something.

    Such a deadline ends on a working day at the funder's seat: § 193 BGB counts the holidays
    "am Erklärungs- oder Leistungsort", and a declaration that must be received is made where
    it is received (§ 130 Abs. 1 BGB; § 31 Abs. 1, 3 VwVfG apply § 193 to administrative
    deadlines).

    Examples:
        >>> filed_with_funder("proof_of_use"), filed_with_funder("retention")
        (True, False)
    """
    return kind in _FILED_WITH_FUNDER


def _recipient_calendar(case: Case) -> HolidayCalendar:
    return HolidayCalendar(case.grant.land, case.grant.holiday_region)


def _funder_calendar(case: Case) -> HolidayCalendar | None:
    grant = case.grant
    if grant.funder_land is None:
        return None
    return HolidayCalendar(grant.funder_land, grant.funder_holiday_region)


def holiday_calendar(case: Case) -> HolidayCalendar:
    """The holiday calendar for the recipient's own acts under the case's settings.

    The recipient's Land (narrowed to ``grant.holiday_region``), or the funder's seat where
    ``settings.holiday_calendar = "funder"`` forces it for every deadline. Deadlines use
    [`deadline_calendar`][foerdermittel.deadline_places.deadline_calendar], which also knows
    what the funder must receive.
    """
    if case.settings.holiday_calendar == "funder":
        funder = _funder_calendar(case)
        if funder is not None:
            return funder
    return _recipient_calendar(case)


def deadline_calendar(case: Case, kind: str) -> HolidayCalendar:
    """Whose public holidays move a deadline of ``kind`` (§ 193 BGB, § 31 Abs. 3 VwVfG).

    § 193 BGB moves a period's end off "Sonnabend, Sonntag oder ein am Erklärungs- oder
    Leistungsort staatlich anerkannter allgemeiner Feiertag". Under the default setting
    ``holiday_calendar = "by_kind"`` a deadline for something the funder must receive
    ([`filed_with_funder`][foerdermittel.deadline_places.filed_with_funder]) counts the holidays at
    the funder's seat (``grant.funder_land`` and ``funder_holiday_region``); every other
    deadline those at the recipient's place (``grant.land`` and ``holiday_region``). Where the
    case does not name the funder's seat, the recipient's apply (``check_deadlines`` reports
    ``funder-seat-unknown``). ``"recipient"`` and ``"funder"`` force one calendar for all.

    Examples:
        >>> from foerdermittel.model.case import Case
        >>> case = Case.from_data({
        ...     "grant": {"id": "X", "funder": "KfW", "recipient": "Stadt", "land": "NW",
        ...               "funder_land": "BE", "decision_date": "2024-01-10",
        ...               "financing_type": "festbetragsfinanzierung",
        ...               "phases": [{"id": "A", "title": "A", "start": "2024-01-10",
        ...                           "end": "2024-12-31", "eligible_expenditure": "1000.00",
        ...                           "fixed_amount": "500.00"}]},
        ...     "plan": {"lines": [{"id": "L", "title": "L", "phase": "A",
        ...                         "category": "material", "amounts": {"2024": "1000.00"}}]},
        ... })
        >>> deadline_calendar(case, "proof_of_use"), deadline_calendar(case, "retention")
        (HolidayCalendar('BE'), HolidayCalendar('NW'))
    """
    setting = case.settings.holiday_calendar
    if setting == "recipient":
        return _recipient_calendar(case)
    if setting == "funder" or filed_with_funder(kind):
        funder = _funder_calendar(case)
        if funder is not None:
            return funder
    return _recipient_calendar(case)
