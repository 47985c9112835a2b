"""``--lang en``: every view of the Bochum report in English, from the same finding data.

The English text may quote what the user and the rulebooks wrote (names, titles, legal
references, holiday names): those are data, not words of the library. Everything else must be
English: no German word of the catalogues, no German number or date format.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

import foerdermittel as fm
from foerdermittel.export.text import (
    comparison_text,
    render_deadlines,
    render_proof,
    render_report,
)
from foerdermittel.report import Report

from .common import BOCHUM, user_texts

KEY_DATES = (date(2022, 6, 30), date(2023, 3, 31), date(2025, 6, 30), date(2026, 12, 1))

GERMAN = re.compile(
    r"\b(der|die|das|und|nicht|von|bis|nach|über|für|mit|bisher|noch|zu|am|vom|im|Zuwendung"
    r"|Auszahlung|Ausgaben|Belege?|Beleg\(e\)|Belegliste|Ansatz|Frist|Stichtag|abgerufen"
    r"|ausgezahlt|Eigenanteil|Feststellung(en)?|Hinweis|Warnung|Fehler|Prüfung|voraussichtlich"
    r"|Verwendungsnachweis|Zwischennachweis|Bescheid|Gesamt|Summe)\b"
)
GERMAN_FIGURE = re.compile(r"\d\.\d{3},\d\d|\d,\d\d\xa0€|\d{2}\.\d{2}\.\d{4}|\d\xa0%")


def _without_data(text: str, report: Report) -> str:
    for quoted in user_texts(report):
        text = text.replace(quoted, "«»")
    return text


def _german_left(text: str, report: Report) -> list[str]:
    rest = _without_data(text, report)
    return [line for line in rest.splitlines() if GERMAN.search(line) or GERMAN_FIGURE.search(line)]


@pytest.fixture(scope="module")
def case() -> fm.Case:
    return fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)


@pytest.mark.parametrize("key_date", KEY_DATES, ids=str)
def test_the_report_speaks_english(case: fm.Case, key_date: date) -> None:
    report = fm.evaluate(case, key_date)
    for render in (render_report, render_proof, render_deadlines):
        text = render(report, lang="en")
        assert _german_left(text, report) == [], render.__name__


def test_every_finding_has_english_words(case: fm.Case) -> None:
    seen = 0
    for key_date in KEY_DATES:
        report = fm.evaluate(case, key_date)
        for finding in report.findings:
            seen += 1
            text = f"{finding.subject_in('en')}: {finding.message_in('en')}"
            assert _german_left(text, report) == [], finding.code
            assert finding.message_in("de") == finding.message
    assert seen > 20


def test_the_same_data_in_both_languages(case: fm.Case) -> None:
    """The English report is the German one's data: same codes, same parameters."""
    report = fm.evaluate(case, date(2025, 6, 30))
    german = render_report(report)
    english = render_report(report, lang="en")
    assert german != english
    for finding in report.findings:
        if finding.code != "reconciliation-failed":
            assert finding.message in german
            assert finding.message_in("en") in english


def test_the_comparison_speaks_english(case: fm.Case) -> None:
    table = fm.compare(case, list(case.scenarios), as_of=date(2025, 6, 30))
    report = fm.evaluate(case, date(2025, 6, 30))
    text = comparison_text(table, lang="en")
    names = [s.name for s in case.scenarios]
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "«»")
    assert _german_left(text, report) == []


def test_the_charts_speak_english(case: fm.Case) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    report = fm.evaluate(case, date(2025, 6, 30))
    flows = report.plot("flows", lang="en")
    assert flows.get_title() == "Expenditure and drawdowns"
    assert [line.get_label() for line in flows.get_lines()][:2] == [
        "Expenditure per plan (cumulative)",
        "Expenditure actual/forecast (cumulative)",
    ]
    assert flows.yaxis.get_major_formatter()(2_500_000, 0) == "€2.5m"
    assert report.plot("own_share", lang="en").get_title() == "Own share per budget year"
    german = report.plot("flows")
    assert german.yaxis.get_major_formatter()(2_500_000, 0) == "2,5 Mio. €"
