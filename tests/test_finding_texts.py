"""Finding texts name their subject once: the renderers print ``subject: message``."""

from __future__ import annotations

import re
from datetime import date

import pytest

import foerdermittel as fm

from .common import BOCHUM

KEY_DATES = [date(2022, 6, 30), date(2023, 6, 30), date(2025, 6, 30), date(2026, 12, 1)]


def bochum_findings(as_of: date) -> tuple[fm.Finding, ...]:
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    return fm.evaluate(case, as_of).findings


def opens_with_subject(subject: str, message: str) -> bool:
    """Whether the message opens with the subject, or with another word for the same id."""
    ident = subject.split(" ", 1)[-1]
    opening = message.split(":", 1)[0] if ":" in message else ""
    return message.startswith(subject) or bool(re.fullmatch(rf"\S*\s*{re.escape(ident)}", opening))


def repeats_subject(finding: fm.Finding, lang: str = "de") -> bool:
    """Whether the finding's message, in ``lang``, names its subject again at the start."""
    return opens_with_subject(finding.subject_in(lang), finding.message_in(lang))


def test_the_check_sees_a_repetition() -> None:
    assert opens_with_subject("Ansatz B-3.2", "Einzelansatz B-3.2: 1.375.000,00 € gegenüber Plan")
    assert not opens_with_subject("Ansatz B-3.2", "1.375.000,00 € gegenüber Plan")


@pytest.mark.parametrize("as_of", KEY_DATES, ids=str)
def test_bochum_findings_name_their_subject_once(as_of: date) -> None:
    findings = bochum_findings(as_of)
    assert findings
    assert [f for f in findings if repeats_subject(f)] == []
    assert [f for f in findings if repeats_subject(f, "en")] == []


def test_the_rewritten_messages_read_well() -> None:
    findings = {(f.code, f.subject): f.message for f in bochum_findings(date(2025, 6, 30))}
    assert findings[("late-use-interest", "Auszahlung A-3")] == (
        "am 20.01.2023 ausgezahlt, davon 12.763,63\xa0€ erst nach dem 03.03.2023 verwendet; "
        "Zinsen ab Auszahlung 222,24\xa0€"
    )
    assert findings[("refund-due", "Phase A")].startswith(
        "Zuwendung nach Abrechnung 702.000,00\xa0€, ausgezahlt 715.000,00\xa0€"
    )
    assert findings[("final-instalment-due", "Phase B")].startswith(
        "voraussichtlich — nach Abrechnung noch auszuzahlen "
    )


def names_ident(subject: str, message: str) -> bool:
    """Whether the message names the subject's id again ("der Phase B", "Einzelansatz 1")."""
    kind, _, ident = subject.partition(" ")
    return bool(ident) and bool(re.search(rf"\b{re.escape(kind)}\w* {re.escape(ident)}\b", message))


def _ident_repeated(finding: fm.Finding) -> bool:
    return names_ident(finding.subject, finding.message)


def test_plan_findings_name_their_subject_once() -> None:
    from .common import simple_case
    from .test_financing import bochum_with, findings_of

    cases = [
        simple_case(eligible="15200000.00", max_amount="9000000.00"),  # grant-capped
        simple_case(  # overfinanced
            eligible="100000.00",
            sources=[{"id": "S", "kind": "other_public", "title": "Land", "amount": "40000.00"}],
        ),
        simple_case(  # line-total-mismatch
            lines=[
                {
                    "id": "1",
                    "title": "Ansatz",
                    "phase": "P",
                    "category": "material",
                    "amounts": {"2024": "60000.00", "2025": "40000.00"},
                    "stated_total": "100080.00",
                }
            ]
        ),
        bochum_with({"rate": "0.90"}),  # rate-above-tier
        bochum_with({"phases.0.end": "2023-01-31", "phases.1.eligible_expenditure": "15100000.00"}),
    ]
    findings = [f for case in cases for f in findings_of(case)]
    expected = {
        "grant-capped",
        "overfinanced",
        "line-total-mismatch",
        "rate-above-tier",
        "plan-lines-mismatch",
        "phase-too-long",
    }
    assert expected <= {f.code for f in findings}
    assert [f for f in findings if repeats_subject(f) or _ident_repeated(f)] == []


def test_the_id_check_sees_a_repetition() -> None:
    assert names_ident("Phase B", "Die Einzelansätze der Phase B ergeben 1,00 €")
    assert not names_ident("Phase B", "Die Einzelansätze ergeben")
