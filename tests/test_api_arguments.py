"""The public functions check their arguments: a FoerdermittelError naming argument and value.

One table: each row is a call as a script might make it by mistake, the error class it must
raise (an ``ArgumentError`` is a ``ValueError``; an ``ArgumentTypeError`` is also a
``TypeError``, so code that caught either before still does) and words the German message
must contain (the argument's name, the value).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

import foerdermittel as fm
from foerdermittel.drawdowns import entitlement
from foerdermittel.errors import ArgumentError, ArgumentTypeError, FoerdermittelError

D = Decimal
RULE = fm.rules.get("anbest-gk-2019").reduction
RULEBOOK = fm.rules.get("anbest-gk-2019")
NRW = fm.HolidayCalendar("NW")
SIX_MONTHS = fm.Span(amount=6, unit="months")


def reduction(**changes: Any) -> fm.Reduction:
    arguments: dict[str, Any] = {
        "financing_type": fm.FinancingType.ANTEIL,
        "approved_grant": D("9880000.00"),
        "planned_eligible": D("15200000.00"),
        "actual_eligible": D("14000000.00"),
        "planned_cover": D("0.00"),
        "actual_cover": D("0.00"),
        "rule": RULE,
        "rate": D("0.65"),
    }
    arguments.update(changes)
    return fm.later_reduction(**arguments)


def entitled(**changes: Any) -> Decimal:
    arguments: dict[str, Any] = {
        "grant": D("715000.00"),
        "eligible": D("1100000.00"),
        "covered": D("100000.00"),
        "own_and_cover": D("0.00"),
    }
    arguments.update(changes)
    financing_type = arguments.pop("financing_type", fm.FinancingType.ANTEIL)
    return entitlement(financing_type, **arguments)


def interest(**changes: Any) -> fm.InterestResult:
    arguments: dict[str, Any] = {
        "principal": D("100000.00"),
        "start": date(2024, 3, 1),
        "end": date(2024, 8, 31),
    }
    arguments.update(changes)
    return fm.compute_interest(**arguments)


TYPE = ArgumentTypeError
VALUE = ArgumentError

CASES: list[tuple[str, Callable[[], object], type[Exception], tuple[str, ...]]] = [
    # flat rates -------------------------------------------------------------------------
    ("flat rate float", lambda: fm.flat_rate_amount(0.15, D(1)), TYPE, ("rate", "float")),
    ("flat rate above 1", lambda: fm.flat_rate_amount(D(2), D(1)), VALUE, ("rate", "(0, 1]")),
    ("flat base 3 places", lambda: fm.flat_rate_amount(D("0.1"), D("1.001")), VALUE, ("1.001",)),
    ("flat lines no plan", lambda: fm.flat_rate_lines(None, RULEBOOK), TYPE, ("plan", "None")),
    # allocate ---------------------------------------------------------------------------
    ("allocate float total", lambda: fm.allocate(100.0, [D(1)]), TYPE, ("total", "float")),
    ("allocate None total", lambda: fm.allocate(None, [D(1)]), TYPE, ("total", "None")),
    (
        "allocate float weights",
        lambda: fm.allocate(D(1), [1.0, 2.0]),
        TYPE,
        ("weights[0]", "float"),
    ),
    ("allocate None weights", lambda: fm.allocate(D(1), None), TYPE, ("weights", "None")),
    ("allocate None weight", lambda: fm.allocate(D(1), [D(1), None]), TYPE, ("weights[1]",)),
    ("allocate text weights", lambda: fm.allocate(D(1), "12"), TYPE, ("weights", "'12'")),
    ("allocate no weights", lambda: fm.allocate(D(1), []), VALUE, ("keine Gewichte",)),
    (
        "allocate negative weight",
        lambda: fm.allocate(D(1), [D(1), D(-1)]),
        VALUE,
        ("weights[1]", "negativ"),
    ),
    (
        "allocate NaN weight",
        lambda: fm.allocate(D(1), [D("NaN")]),
        VALUE,
        ("weights[0]", "endliche"),
    ),
    ("allocate zero weights", lambda: fm.allocate(D(1), [D(0), D(0)]), VALUE, ("Summe",)),
    ("allocate three places", lambda: fm.allocate(D("1.005"), [D(1)]), VALUE, ("total", "1.005")),
    ("allocate NaN total", lambda: fm.allocate(D("NaN"), [D(1)]), VALUE, ("total", "NaN")),
    ("allocate huge total", lambda: fm.allocate(D("1E+30"), [D(1)]), VALUE, ("total", "zu groß")),
    # cents, floor_cents, to_money, to_rate -----------------------------------------------
    ("cents float", lambda: fm.cents(1.005), TYPE, ("value", "float", "1.005")),
    ("cents None", lambda: fm.cents(None), TYPE, ("value", "None")),
    ("cents text", lambda: fm.cents("1.005"), TYPE, ("value", "'1.005'")),
    ("cents NaN", lambda: fm.cents(D("NaN")), VALUE, ("endliche",)),
    ("cents infinity", lambda: fm.cents(D("Infinity")), VALUE, ("endliche",)),
    ("cents too large", lambda: fm.cents(D("1E+30")), VALUE, ("zu groß",)),
    ("floor_cents float", lambda: fm.floor_cents(0.5), TYPE, ("floor_cents", "float")),
    ("floor_cents bool", lambda: fm.floor_cents(True), TYPE, ("Wahrheitswert",)),
    ("to_money float", lambda: fm.to_money(1.5), TYPE, ("to_money", "float")),
    ("to_money None", lambda: fm.to_money(None), TYPE, ("to_money", "None")),
    ("to_money three places", lambda: fm.to_money("1.005"), VALUE, ("zwei Nachkommastellen",)),
    ("to_rate 65", lambda: fm.to_rate(D("65")), VALUE, ("to_rate", "65")),
    ("to_rate float", lambda: fm.to_rate(0.65), TYPE, ("float",)),
    # later_reduction ---------------------------------------------------------------------
    ("reduction float rate", lambda: reduction(rate=0.65), TYPE, ("rate", "float", "0.65")),
    ("reduction rate 65", lambda: reduction(rate=D("65")), VALUE, ("rate", "65", "0.65")),
    ("reduction rate 0", lambda: reduction(rate=D("0")), VALUE, ("rate",)),
    ("reduction rate text", lambda: reduction(rate="0.65"), TYPE, ("rate", "'0.65'")),
    ("reduction no rate", lambda: reduction(rate=None), VALUE, ("rate", "Förderquote")),
    ("reduction float amount", lambda: reduction(approved_grant=1.5), TYPE, ("approved_grant",)),
    ("reduction None amount", lambda: reduction(actual_eligible=None), TYPE, ("actual_eligible",)),
    ("reduction NaN cover", lambda: reduction(actual_cover=D("NaN")), VALUE, ("actual_cover",)),
    (
        "reduction three places",
        lambda: reduction(planned_cover=D("0.001")),
        VALUE,
        ("planned_cover", "zwei"),
    ),
    (
        "reduction huge",
        lambda: reduction(actual_eligible=D("1E+20")),
        VALUE,
        ("actual_eligible", "zu groß"),
    ),
    (
        "reduction type",
        lambda: reduction(financing_type="anteil"),
        VALUE,
        ("financing_type", "anteilfinanzierung"),
    ),
    ("reduction type None", lambda: reduction(financing_type=None), TYPE, ("financing_type",)),
    ("reduction rule", lambda: reduction(rule="anbest-gk-2019"), TYPE, ("rule", "ReductionRule")),
    # entitlement -------------------------------------------------------------------------
    ("entitlement float", lambda: entitled(grant=1.0), TYPE, ("grant", "float")),
    ("entitlement None", lambda: entitled(covered=None), TYPE, ("covered",)),
    ("entitlement NaN", lambda: entitled(eligible=D("NaN")), VALUE, ("eligible",)),
    ("entitlement type", lambda: entitled(financing_type="voll"), VALUE, ("financing_type",)),
    # deadlines arithmetic ----------------------------------------------------------------
    (
        "period_end datetime",
        lambda: fm.period_end(datetime(2025, 8, 31, 12), SIX_MONTHS),
        TYPE,
        ("anchor", "datetime"),
    ),
    (
        "period_end text",
        lambda: fm.period_end("2025-08-31", SIX_MONTHS),
        TYPE,
        ("anchor", "'2025-08-31'"),
    ),
    (
        "period_end span",
        lambda: fm.period_end(date(2025, 8, 31), "6 Monate"),
        TYPE,
        ("span", "Span"),
    ),
    (
        "period_end counted_from",
        lambda: fm.period_end(date(2025, 8, 31), SIX_MONTHS, counted_from="start"),
        VALUE,
        ("counted_from", "'start'"),
    ),
    (
        "period_end past 9999",
        lambda: fm.period_end(date(9999, 8, 31), SIX_MONTHS),
        VALUE,
        ("9999",),
    ),
    (
        "period_end huge span",
        lambda: fm.period_end(date(2025, 1, 1), fm.Span(amount=10**6, unit="years")),
        VALUE,
        ("1000000",),
    ),
    (
        "month_end_after datetime",
        lambda: fm.month_end_after(datetime(2025, 12, 31), 6),
        TYPE,
        ("anchor",),
    ),
    (
        "month_end_after float",
        lambda: fm.month_end_after(date(2025, 12, 31), 6.0),
        TYPE,
        ("months", "6.0"),
    ),
    (
        "month_end_after huge",
        lambda: fm.month_end_after(date(2025, 12, 31), 10**8),
        VALUE,
        ("months",),
    ),
    (
        "month_end_after negative",
        lambda: fm.month_end_after(date(2025, 12, 31), -1),
        VALUE,
        ("months", "-1"),
    ),
    (
        "month_end_after past 9999",
        lambda: fm.month_end_after(date(9999, 12, 31), 1),
        VALUE,
        ("9999",),
    ),
    (
        "shift datetime",
        lambda: fm.shift(datetime(2028, 4, 30), fm.ShiftPolicy.FORWARD, NRW),
        TYPE,
        ("raw", "datetime"),
    ),
    (
        "shift policy",
        lambda: fm.shift(date(2028, 4, 30), "vorwärts", NRW),
        VALUE,
        ("policy", "'forward'"),
    ),
    (
        "shift calendar",
        lambda: fm.shift(date(2028, 4, 30), fm.ShiftPolicy.FORWARD, "NW"),
        TYPE,
        ("calendar",),
    ),
    # periods -----------------------------------------------------------------------------
    (
        "Period datetime",
        lambda: fm.Period(start=datetime(2025, 1, 1), end=date(2025, 2, 1)),
        VALUE,
        ("start", "Uhrzeit"),
    ),
    (
        "Period timestamp",
        lambda: fm.Period(start=0, end=date(2025, 2, 1)),
        VALUE,
        ("start", "JJJJ-MM-TT"),
    ),
    (
        "Period German text",
        lambda: fm.Period(start="01.01.2025", end=date(2025, 2, 1)),
        VALUE,
        ("start", "'01.01.2025'"),
    ),
    (
        "Period order",
        lambda: fm.Period(start=date(2025, 2, 1), end=date(2025, 1, 1)),
        VALUE,
        ("vor dem Beginn",),
    ),
    (
        "Period.contains datetime",
        lambda: fm.budget_year(2025).contains(datetime(2025, 1, 1)),
        TYPE,
        ("day",),
    ),
    ("Period.overlaps None", lambda: fm.budget_year(2025).overlaps(None), TYPE, ("other",)),
    (
        "latest_end_within far",
        lambda: fm.Period(start=date(9990, 1, 1), end=date(9990, 1, 1)).latest_end_within(
            fm.Span(amount=20, unit="years")
        ),
        VALUE,
        ("9999",),
    ),
    ("Span float", lambda: fm.Span(amount=1.5, unit="days"), VALUE, ("amount", "1.5")),
    ("Span whole float", lambda: fm.Span(amount=6.0, unit="months"), VALUE, ("amount",)),
    ("Span text", lambda: fm.Span(amount="6", unit="months"), VALUE, ("amount", "'6'")),
    ("Span unit", lambda: fm.Span(amount=6, unit="Monate"), VALUE, ("unit",)),
    ("Span huge", lambda: fm.Span(amount=10**30, unit="days"), VALUE, ("tausend Jahre",)),
    ("budget_year text", lambda: fm.budget_year("2024"), TYPE, ("year", "'2024'")),
    ("budget_year bool", lambda: fm.budget_year(True), TYPE, ("year",)),
    ("budget_year 0", lambda: fm.budget_year(0), VALUE, ("year", "1…9999")),
    # interest ----------------------------------------------------------------------------
    (
        "interest float principal",
        lambda: interest(principal=1.0),
        fm.InterestError,
        ("Kapitalbetrag", "float"),
    ),
    (
        "interest datetime",
        lambda: interest(start=datetime(2024, 3, 1)),
        fm.InterestError,
        ("Beginn",),
    ),
    (
        "interest table",
        lambda: interest(base_rate_table="bbk.csv"),
        fm.InterestError,
        ("base_rate_table",),
    ),
    (
        "interest huge points",
        lambda: interest(points_above_base=D("1E+400")),
        fm.InterestError,
        ("points_above_base",),
    ),
    (
        "interest huge total",
        lambda: interest(
            principal=D("999999999999999.99"), end=date(9999, 12, 31), assumed_base_rate=D(1)
        ),
        fm.InterestError,
        ("15 Stellen",),
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [pytest.param(call, error, words, id=name) for name, call, error, words in CASES],
)
def test_bad_argument_raises_a_german_error_naming_it(
    call: Callable[[], object], error: type[Exception], words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, FoerdermittelError)
    assert isinstance(info.value, ValueError)  # what most of them raised before
    text = str(info.value)
    for word in words:
        assert word in text, text
    assert "Traceback" not in text


def test_type_errors_stay_type_errors() -> None:
    # later_reduction with a float rate raised TypeError before: it still does.
    with pytest.raises(TypeError):
        reduction(rate=0.65)
    with pytest.raises(TypeError):
        fm.allocate(D("1.00"), [0.5, 0.5])


def test_argument_error_carries_its_parts_and_pickles() -> None:
    with pytest.raises(ArgumentError) as info:
        fm.period_end(datetime(2025, 8, 31), SIX_MONTHS)
    err = info.value
    assert (err.function, err.argument) == ("period_end", "anchor")
    assert err.value == datetime(2025, 8, 31)
    assert str(pickle.loads(pickle.dumps(err))) == str(err)


def test_long_values_are_cut_in_the_message() -> None:
    with pytest.raises(ArgumentError) as info:
        fm.budget_year(10**5000)
    assert len(str(info.value)) < 200
    assert "5000 Stellen" in str(info.value)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: fm.allocate(100, [1, 2, 1]), (D("25.00"), D("50.00"), D("25.00"))),
        (lambda: fm.cents(5), D("5.00")),
        (lambda: fm.cents(D("-0.005")), D("-0.01")),
        (lambda: reduction(financing_type="anteilfinanzierung").final, D("9100000.00")),
        (lambda: reduction(rate=D("0.65")).final, D("9100000.00")),
        (lambda: entitled(financing_type="anteilfinanzierung"), D("65000.00")),
        (lambda: fm.shift(date(2028, 4, 30), "forward", NRW)[0], date(2028, 5, 2)),
        (lambda: fm.shift(date(2028, 4, 30), fm.ShiftPolicy.NONE, NRW)[0], date(2028, 4, 30)),
        (lambda: fm.period_end(date(9999, 6, 30), SIX_MONTHS), date(9999, 12, 30)),
        (lambda: fm.month_end_after(date(2025, 12, 31), 0), date(2025, 12, 31)),
        (lambda: fm.Period(start="2025-01-01", end="2025-12-31"), fm.budget_year(2025)),
        (lambda: fm.budget_year(9999).end, date(9999, 12, 31)),
    ],
)
def test_good_arguments_still_work(call: Callable[[], object], expected: object) -> None:
    assert call() == expected


def test_a_string_policy_is_not_read_as_its_opposite() -> None:
    # Before, any policy that was not the enum member itself shifted backwards.
    assert fm.shift(date(2028, 4, 30), "forward", NRW) == fm.shift(
        date(2028, 4, 30), fm.ShiftPolicy.FORWARD, NRW
    )


def test_spans_from_a_case_file_stay_case_errors() -> None:
    # Inside a case file, the same checks report a CaseError with the field path.
    from tests.common import bochum_data

    data = bochum_data()
    data["overrides"] = [
        {"path": "use_window.window", "value": {"amount": 10**9, "unit": "days"}, "reason": "x"}
    ]
    with pytest.raises(fm.CaseError, match="tausend Jahre"):
        fm.loads_case(_json(data), fmt="json")


def _json(data: object) -> str:
    import json

    return json.dumps(data, default=str)


def _bochum_report() -> fm.Report:
    from .common import BOCHUM

    return fm.evaluate(fm.load_case(BOCHUM), date(2025, 6, 30))


def test_a_lookup_that_finds_nothing_is_a_german_key_error() -> None:
    from foerdermittel.errors import NotFoundError

    report = _bochum_report()
    lookups: list[tuple[Callable[[], object], object, str]] = [
        (lambda: report.grant.phase("Z"), "Z", "Phase 'Z' nicht gefunden; vorhanden: A, B"),
        (lambda: report.financing.phase("Z"), "Z", "Phase 'Z' nicht gefunden"),
        (lambda: report.forecast.line("Z-9"), "Z-9", "Einzelansatz 'Z-9' nicht gefunden"),
        (lambda: report.reconciliation.check("x", "y"), ("x", "y"), "nicht gefunden"),
    ]
    for lookup, key, words in lookups:
        with pytest.raises(KeyError) as info:
            lookup()
        err = info.value
        assert isinstance(err, NotFoundError)
        assert isinstance(err, FoerdermittelError)
        assert err.args[0] == key
        assert words in str(err)
        assert str(pickle.loads(pickle.dumps(err))) == str(err)


def test_an_unknown_rulebook_path_is_a_key_error_with_its_segment() -> None:
    from foerdermittel.errors import NotFoundError
    from foerdermittel.rules import target_type

    with pytest.raises(NotFoundError) as info:
        target_type("use_window.nowhere")
    assert isinstance(info.value, KeyError)
    assert info.value.args[0] == "nowhere"


def test_renderer_arguments_raise_argument_errors() -> None:
    from foerdermittel.export.frames import to_frame
    from foerdermittel.export.ical import to_ics

    report = _bochum_report()
    with pytest.raises(ArgumentError, match="to_frame: Argument part: unbekannter Teil"):
        to_frame(report, "nothing")
    with pytest.raises(ArgumentError, match="to_ics: Argument reminder_days: muss mindestens 1"):
        to_ics(report, reminder_days=0)


def test_month_end_with_a_span_in_weeks_is_an_input_error() -> None:
    from .common import bochum_data

    data = bochum_data()
    data["grant"].update(programme=None, rulebook="anbest-p-2019", rate_tier=None)
    data["overrides"] = [
        {
            "path": "proof_of_use.latest_after_period",
            "value": {"amount": 6, "unit": "weeks"},
            "reason": "Bescheid Nr. 6",
        }
    ]
    with pytest.raises(fm.CaseError, match="month_end zählt ganze Monate"):
        fm.evaluate(fm.Case.from_data(data), date(2025, 6, 30))


# Raised on purpose as plain built-in errors: none but these, each for a reason.
_PLAIN_RAISES_LEFT = {
    # month_end with a span in days or weeks: refused when the rulebook is validated
    # (ProofOfUseRule), so this is an internal invariant.
    ("deadlines.py", "ValueError"),
}


def test_every_error_raised_on_purpose_is_a_foerdermittel_error() -> None:
    import ast

    from .common import ROOT

    plain = {"ValueError", "KeyError", "TypeError", "LookupError", "IndexError"}
    found = set()
    for path in sorted((ROOT / "src" / "foerdermittel").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id in plain:
                found.add((path.name, exc.id))
    assert found == _PLAIN_RAISES_LEFT
