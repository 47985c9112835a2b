"""Proof of use, vouchers, drawdowns, own share and late use: findings and texts as data.

The findings carry their figures (``Decimal`` amounts, ``date`` days, ``int`` counts) and say
in words only through the catalogues: the German words are the ones the library always wrote,
the English ones contain no German.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import foerdermittel as fm
from foerdermittel.drawdowns.instalments import _YearBudget
from foerdermittel.message_types import NOTHING, Message, Param, Subject, words
from foerdermittel.messages import catalogue, render
from foerdermittel.model.records import Expenditure
from foerdermittel.proof import PROOF_FINDING_CODES
from foerdermittel.vouchers import sign_contradiction, sign_problem

from .common import BOCHUM
from .test_flat_rates import LATE, booked_vouchers, efre_data, flat_case
from .test_late_use import case_with
from .test_money_flows import bochum as bochum_flows
from .test_money_flows import one_phase
from .test_proof_of_use import make_case, two_lines

D = Decimal

_PREFIXES = (
    "voucher.",
    "proof.",
    "line-status.",
    "late-use.",
    "own-share.",
    "drawdown.basis.",
    "drawdown.remark.",
)
"""The catalogue keys of these modules besides their findings' ``finding.<code>``."""

_CODES = {
    *PROOF_FINDING_CODES - {"deadline-missed", "deadline-due-soon"},
    "own-share-not-budgeted",
    "annual-instalment-lapsed",
    "annual-instalment-carried",
    "payout-above-entitlement",
    "grant-not-fully-called",
}
"""The codes of the findings these modules make (the deadlines are another module's)."""

_GERMAN = re.compile(
    r"\b(der|die|das|dem|den|des|und|oder|nicht|mit|von|vom|bis|für|nach|über|ist|sind|"
    r"noch|bisher|Ansatz|Ansätze|Auszahlung|Belegliste|Belege?|Belegbuch|Zuwendung|Ausgaben?|"
    r"Eigenanteil|Eigenleistung|Zinsen|Stichtag|Jahresrate|Bescheid|Abrechnung|erfasst|"
    r"gezählt|Abruf|abgerufen|Schlussrate|Verwendungsnachweis|Deckungsmittel|voraussichtlich|"
    r"Prognose|Restplanung|Saldo|zuwendungsfähig\w*|Nettobetrag|Bruttobetrag|Toleranz|"
    r"Haushaltsjahr|Frist|berechenbar)\b|[äöüÄÖÜß]"
)
"""German words and letters that have no place in an English text."""

_QUOTED = re.compile(r'"[^"]*"')
"""Column names and values of the German ledger, quoted in the English hints: not words."""


def german_in(text: str) -> list[str]:
    """The German words in an English text, outside the quoted ledger vocabulary."""
    return [m.group(0) for m in _GERMAN.finditer(_QUOTED.sub("", text))]


def findings_of(report: fm.Report, code: str) -> list[fm.Finding]:
    return [f for f in report.findings if f.code == code]


# --- Worked examples: the figures, and the words in both languages ----------------------------


def test_refund_carries_its_figures_and_reads_in_english() -> None:
    # as test_refund_with_interest_across_a_rate_change: final grant 80,000 €, paid 100,000 €,
    # refund 20,000 € with 934.03 € interest to the repayment; no income recorded
    case = make_case(
        lines={"L": "200000.00"},
        end="2024-12-31",
        spent={"L": [("2024-05-02", "160000.00")]},
        payouts=[("2024-07-01", "100000.00")],
        extra={"settings": {"repaid_on": "2025-08-31"}},
    )
    report = fm.evaluate(case, date(2025, 9, 30))
    (refund,) = findings_of(report, "refund-due")
    assert refund.about == Subject("phase", "P")
    assert refund.text.key == "finding.refund-due"
    params = refund.text.params
    assert params["final"] == D("80000.00")
    assert params["paid"] == D("100000.00")
    assert params["refund"] == D("20000.00")
    assert params["projected"] == NOTHING
    assert params["interest"] == Message.of("proof.refund-interest-so-far", interest=D("934.03"))
    assumed = Message.of("proof.remark.cover-assumed")
    assert params["remark"] == Message.of("proof.aside", remark=assumed)
    assert refund.message == (
        "Zuwendung nach Abrechnung 80.000,00\xa0€, ausgezahlt 100.000,00\xa0€ — zu erstatten "
        "20.000,00\xa0€, Zinsen bisher 934,03\xa0€ (keine Einnahmen erfasst: Deckungsmittel wie "
        "geplant angenommen)"
    )
    assert refund.message_in("en") == (
        "Grant after the final account €80,000.00, paid out €100,000.00 — refund due "
        "€20,000.00, interest so far €934.03 (no income recorded: cover funds assumed as "
        "planned)"
    )
    assert refund.subject_in("en") == "Phase P"

    phase = report.proof_of_use.phases[0]
    assert phase.remark == assumed
    assert phase.note == "keine Einnahmen erfasst: Deckungsmittel wie geplant angenommen"
    assert phase.note_in("en") == "no income recorded: cover funds assumed as planned"
    steps = {step.what.key: step for step in phase.steps}
    final = steps["proof.step.grant-final"]
    assert final.how == Message.of("proof.formula.grant-final-anteil", threshold=D("500.00"))
    assert (final.label, final.formula) == (
        "Zuwendung nach Abrechnung",
        "min(Z, q × (A_ist − D_neu)), wenn Änderung > 500 €",
    )
    assert (final.label_in("en"), final.formula_in("en")) == (
        "grant after the final account",
        "min(Z, q × (A_actual − D_new)), if the change exceeds €500",
    )
    recognised = steps["proof.step.recognised"]
    assert recognised.how.params["tolerance"] == D("20")
    assert recognised.formula == "Σ min(Ist, Plan + 20 %) je Ansatz, höchstens A_plan"
    assert recognised.formula_in("en") == "Σ min(actual, plan + 20%) per line, at most A_plan"
    rows = {row.what.key: row for row in report.proof_of_use.income}
    assert rows["proof.income.own-share"].label == "Eigenanteil"
    assert rows["proof.income.cover"].label_in("en") == (
        "Third-party money and other public funding"
    )


def test_the_threshold_and_the_tolerance_come_from_the_rulebook() -> None:
    overrides = [
        {"path": "reduction.threshold", "value": "1000.00", "reason": "Bescheid Nr. 4"},
        {"path": "line_tolerance.overrun", "value": "0.25", "reason": "Bescheid Nr. 5"},
    ]
    case = make_case(spent={"L": [("2024-05-02", "200000.00")]}, extra={"overrides": overrides})
    report = fm.evaluate(case, date(2026, 6, 30))
    assert report.rulebook.reduction.threshold == D("1000.00")
    steps = {s.what.key: s for s in report.proof_of_use.phases[0].steps}
    final, recognised = steps["proof.step.grant-final"], steps["proof.step.recognised"]
    assert final.how.params["threshold"] == D("1000.00")
    assert final.formula == "min(Z, q × (A_ist − D_neu)), wenn Änderung > 1.000 €"
    assert final.formula_in("en").endswith("if the change exceeds €1,000")
    assert recognised.how.params["tolerance"] == D("25")
    assert recognised.formula == "Σ min(Ist, Plan + 25 %) je Ansatz, höchstens A_plan"


def test_a_line_beyond_the_tolerance() -> None:
    report = fm.evaluate(two_lines("130000.00", "70000.00"), date(2026, 6, 30))
    (line,) = findings_of(report, "line-beyond-tolerance")
    assert line.about == Subject("line", "L1")
    assert dict(line.text.params) == {
        "actual": D("130000.00"),
        "planned": D("100000.00"),
        "over": D("0.3"),
        "allowed": D("120000.00"),
        "excess": D("10000.00"),
    }
    assert line.message == (
        "130.000,00\xa0€ gegenüber Plan 100.000,00\xa0€ (+30\xa0%); zulässig bis "
        "120.000,00\xa0€, 10.000,00\xa0€ nicht zuwendungsfähig"
    )
    assert line.message_in("en") == (
        "€130,000.00 against a plan of €100,000.00 (+30%); allowed up to €120,000.00, "
        "€10,000.00 not eligible"
    )
    assert line.subject_in("en") == "Line L1"
    l1 = report.proof_of_use.lines[0]
    assert l1.status_text == Message.of("line-status.beyond_tolerance")
    assert (l1.status_in("de"), l1.status_in("en")) == (
        "Überschreitung über der Toleranz",
        "overrun beyond the tolerance",
    )


def test_vouchers_left_out_name_their_figures() -> None:
    case = make_case(
        spent={"L": [("2023-12-20", "1000.00"), ("2024-03-01", "2000.00")]},
        phase_extra={"early_start": "2023-12-21"},
        extra={
            "expenditures": [
                {
                    "id": "G",
                    "line": "L",
                    "paid_on": "2024-04-02",
                    "amount": "100.00",
                    "kind": "credit",
                    "origin": "belege.csv:7",
                },
            ]
        },
    )
    report = fm.evaluate(case, date(2026, 6, 30))
    excluded = {e.code: e for e in report.proof_of_use.excluded}
    outside = excluded["outside-period"]
    assert outside.why == Message.of(
        "voucher.reason.outside-period",
        phase=Subject("phase", "P"),
        start=date(2024, 1, 1),
        end=date(2025, 12, 31),
        early=Message.of("voucher.reason.early-start", day=date(2023, 12, 21)),
    )
    assert outside.reason == (
        "gezahlt außerhalb des Bewilligungszeitraums der Phase P (01.01.2024–31.12.2025, "
        "vorzeitiger Beginn ab 21.12.2023)"
    )
    assert outside.reason_in("en") == (
        "paid outside the funding period of Phase P (2024-01-01–2025-12-31, early start from "
        "2023-12-21)"
    )
    (finding,) = findings_of(report, "voucher-outside-period")
    assert finding.about == Subject("vouchers")
    assert finding.text.params["count"] == 1
    assert finding.text.params["vouchers"] == (
        Message.of("voucher.shown", voucher="L-0", where=date(2023, 12, 20), amount=D("1000.00")),
    )
    assert finding.message_in("en") == (
        "1 voucher paid outside the funding period (not counted): L-0 (2023-12-20, €1,000.00)"
    )
    (credit,) = findings_of(report, "voucher-credit-sign")
    assert credit.message == (
        "1 Beleg(e) als Gutschrift mit positivem Betrag (nicht gezählt): G (belege.csv:7, "
        "100,00\xa0€). Im Belegbuch korrigieren: Gutschriften mit negativem Betrag erfassen "
        "(z. B. -100,00), eine Ausgabe in der Spalte Art als Ausgabe"
    )
    assert credit.message_in("en").startswith(
        "1 voucher entered as credit note with a positive amount (not counted): "
        "G (belege.csv:7, €100.00). Correct the ledger: "
    )
    dumped = report.proof_of_use.model_dump(mode="json")["excluded"]
    assert {e["code"]: e["why"]["key"] for e in dumped}["credit-sign"] == (
        "voucher.reason.credit-sign"
    )
    assert {e["code"]: e["reason"] for e in dumped}["credit-sign"] == (
        "Gutschrift mit positivem Betrag"
    )


def test_many_vouchers_left_out_are_counted_beyond_ten() -> None:
    spent = [(f"2023-06-{day:02}", "10.00") for day in range(1, 13)]
    report = fm.evaluate(make_case(spent={"L": spent}), date(2026, 6, 30))
    (finding,) = findings_of(report, "voucher-outside-period")
    assert finding.text.params["count"] == 12
    shown = finding.text.params["vouchers"]
    assert isinstance(shown, tuple)
    assert len(shown) == 10
    assert finding.text.params["more"] == Message.of("voucher.more", count=2)
    assert finding.message.endswith(" und 2 weitere")
    assert finding.message_in("en").startswith("12 vouchers paid outside the funding period")
    assert finding.message_in("en").endswith(" and 2 more")


def test_sign_contradiction_is_data_and_sign_problem_keeps_its_words() -> None:
    voucher = Expenditure(
        id="1", line="L", paid_on=date(2024, 3, 1), amount=D("100.00"), net_amount=D("-80.00")
    )
    assert sign_contradiction(voucher) == (
        "net-sign",
        Message.of("voucher.reason.net-sign", net=D("-80.00"), gross=D("100.00")),
    )
    with pytest.warns(DeprecationWarning, match="sign_problem ist veraltet"):
        assert sign_problem(voucher) == (
            "net-sign",
            "Nettobetrag -80,00\xa0€ mit anderem Vorzeichen als der Bruttobetrag 100,00\xa0€",
        )


def test_late_use_carries_its_figures() -> None:
    # as test_late_use_bears_interest_from_the_payout: 6,000 € used after 12.04.2024
    case = case_with(
        [("2024-03-01", "10000.00")], [("2024-03-10", "8000.00"), ("2024-05-20", "12000.00")]
    )
    report = fm.evaluate(case, date(2024, 6, 30))
    (late,) = findings_of(report, "late-use-interest")
    assert late.about == Subject("payout", "P1")
    assert dict(late.text.params) == {
        "paid_on": date(2024, 3, 1),
        "late": D("6000.00"),
        "window_end": date(2024, 4, 12),
        "interest": Message.of("late-use.amount", amount=D("113.36")),
    }
    assert late.message == (
        "am 01.03.2024 ausgezahlt, davon 6.000,00\xa0€ erst nach dem 12.04.2024 verwendet; "
        "Zinsen ab Auszahlung 113,36\xa0€"
    )
    assert late.message_in("en") == (
        "paid out on 2024-03-01, of which €6,000.00 used only after 2024-04-12; interest from "
        "the payout: €113.36"
    )
    assert late.subject_in("en") == "Payout P1"
    assert report.interest.use_window == fm.Span(amount=6, unit="weeks")
    assert report.interest.window == "6 Wochen"


def test_interest_that_cannot_be_computed_says_so() -> None:
    # past the shipped table of base rates, without an assumed rate (test_late_use)
    case = case_with([("2025-03-03", "10000.00")], [("2025-03-10", "2000.00")])
    report = fm.evaluate(case, date(2026, 11, 26))
    missing = findings_of(report, "interest-not-computed")
    assert missing
    for finding in missing:
        what = finding.text.params["what"]
        assert isinstance(what, Message)
        assert isinstance(finding.text.params["reason"], str)  # the InterestError's text
        assert finding.message.startswith(words(what) + " — ")
        assert not german_in(words(what, "en"))
    (refund,) = findings_of(report, "refund-due")
    assert refund.text.params["interest"] == Message.of("proof.refund-interest-unknown")
    assert ", interest cannot be computed" in refund.message_in("en")


def test_a_payout_above_its_entitlement() -> None:
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    report = fm.evaluate(case, date(2025, 6, 30))
    (above,) = findings_of(report, "payout-above-entitlement")
    assert above.about == Subject("phase", "A")
    assert dict(above.text.params) == {
        "payout": Subject("payout", "A-3"),
        "paid_on": date(2023, 1, 20),
        "called": D("715000.00"),
        "basis": Message.of("drawdown.basis.paid"),
        "entitled": D("678530.87"),
    }
    assert above.message == (
        "Auszahlung A-3 vom 20.01.2023: abgerufen insgesamt 715.000,00\xa0€, für die bis dahin "
        "bezahlten Ausgaben anteilig zustehend 678.530,87\xa0€ — zu früh oder zu viel abgerufen?"
    )
    assert above.message_in("en") == (
        "Payout A-3 of 2023-01-20: €715,000.00 called in total, while €678,530.87 is due pro "
        "rata for the expenditure paid by then — called too early or too much?"
    )
    calls = report.drawdowns.calls
    assert calls[0].remark == Message.of("drawdown.remark.payout", payout=Subject("payout", "A-1"))
    assert calls[0].note == "Auszahlung A-1"
    assert calls[0].note_in("en") == "Payout A-1"
    final = [c for c in calls if c.withheld]
    assert [c.note for c in final] == ["Schlussrate: Auszahlung erst mit dem Verwendungsnachweis"]
    assert [c.note_in("en") for c in final] == ["final instalment: paid only with the proof of use"]


def test_annual_instalments_and_the_grant_left_uncalled() -> None:
    lapsing = {"annual_grant": {"2024": "70000.00", "2025": "50000.00"}}
    case = one_phase(phase_extra=lapsing, extra={"settings": {"annual_unused": "lapse"}})
    report = fm.evaluate(case, date(2024, 1, 2))
    (lapsed,) = findings_of(report, "annual-instalment-lapsed")
    assert dict(lapsed.text.params) == {
        "year": "2024",
        "left": D("10000.00"),
        "amount": D("70000.00"),
    }
    assert lapsed.message == (
        "Jahresrate 2024: 10.000,00\xa0€ von 70.000,00\xa0€ nicht abgerufen und verfallen"
    )
    assert lapsed.message_in("en") == (
        "Annual instalment 2024: €10,000.00 of €70,000.00 not called and lapsed"
    )
    (uncalled,) = findings_of(report, "grant-not-fully-called")
    assert uncalled.text.params["amount"] == D("10000.00")
    assert uncalled.message_in("en") == (
        "According to the expenditure forecast, €10,000.00 of the grant remain uncalled "
        "(expenditure below plan or annual instalments lapsed)"
    )


def test_an_instalment_that_limits_a_call_says_so() -> None:
    phase = make_case().grant.phases[0].model_copy(update={"annual_grant": {2024: D("100.00")}})
    budget = _YearBudget(phase, "lapse")
    amount, remark = budget.take(2024, D("150.00"))
    assert amount == D("100.00")
    assert remark == Message.of("drawdown.remark.instalment-limit", year="2024")
    assert words(remark) == "begrenzt durch die Jahresrate 2024"
    assert words(remark, "en") == "limited by the annual instalment 2024"
    assert budget.take(2024, D("0.00"))[1] == NOTHING


def test_own_share_not_budgeted() -> None:
    report = bochum_flows(council_budget={"2024": "1000000.00"})
    (gap,) = findings_of(report, "own-share-not-budgeted")
    assert gap.about == Subject("year", "2024")
    assert gap.text.params["missing"] == D("599500.00")
    assert gap.subject_in("en") == "Budget year 2024"
    assert "€599,500.00 short" in gap.message_in("en")


# --- Every text in English: no German ---------------------------------------------------------

_SAMPLES: dict[str, Param] = {
    "money": D("1234.5"),
    "date": date(2025, 6, 30),
    "percent": D("0.2"),
    "number": 3,
    "list": ("a", "b"),
}


def _fields(template: str | Mapping[str, str]) -> dict[str, str]:
    texts = [template] if isinstance(template, str) else list(template.values())
    found: dict[str, str] = {}
    for text in texts:
        for _, name, spec, _ in string.Formatter().parse(text):
            if name is not None:
                found[name] = spec or ""
    return found


def _own_keys() -> list[str]:
    keys = [k for k in catalogue("en") if k.startswith(_PREFIXES)]
    keys += [f"finding.{code}" for code in sorted(_CODES)]
    return keys


def test_these_modules_have_catalogue_entries_for_every_finding() -> None:
    for lang in ("de", "en"):
        assert not [code for code in _CODES if f"finding.{code}" not in catalogue(lang)]


@pytest.mark.parametrize("count", [1, 2])
def test_every_english_entry_is_english(count: int) -> None:
    for key in _own_keys():
        params: dict[str, Param] = {
            name: _SAMPLES.get(spec, "x") for name, spec in _fields(catalogue("en")[key]).items()
        }
        params["count"] = count
        text = render(Message(key, params), "en")
        assert text.strip() or key == "drawdown.remark.payout", key
        assert not german_in(text), (key, text)


def _texts_in(report: fm.Report, lang: str) -> list[str]:
    texts = []
    for f in report.findings:
        if f.code not in _CODES:
            continue
        params = dict(f.text.params)
        if "reason" in params:
            params["reason"] = "…"  # an InterestError's German text, see above
        texts += [f.subject_in(lang), render(Message(f.text.key, params), lang)]
    proof = report.proof_of_use
    texts += [e.reason_in(lang) for e in proof.excluded]
    texts += [line.status_in(lang) for line in proof.lines]
    for phase in proof.phases:
        texts += [phase.note_in(lang) or ""]
        texts += [t for s in phase.steps for t in (s.label_in(lang), s.formula_in(lang))]
    texts += [row.label_in(lang) for row in proof.income]
    texts += [c.note_in(lang) or "" for c in report.drawdowns.calls]
    return texts


def _reports() -> list[fm.Report]:
    bochum = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    spent: list[dict[str, Any]] = [
        {"id": f"B{i:02}", "line": "L", "paid_on": "2023-06-01", "amount": "100.00"}
        for i in range(12)
    ]
    spent += [
        {"id": "C1", "line": "L", "paid_on": "2024-03-01", "amount": "-50.00"},
        {"id": "C2", "line": "L", "paid_on": "2024-03-01", "amount": "50.00", "kind": "credit"},
        {
            "id": "N1",
            "line": "L",
            "paid_on": "2024-03-01",
            "amount": "100.00",
            "net_amount": "-80.00",
        },
        {
            "id": "N2",
            "line": "L",
            "paid_on": "2024-03-01",
            "amount": "100.00",
            "net_amount": "180.00",
        },
        {"id": "N3", "line": "L", "paid_on": "2024-03-01", "amount": "100.00"},
    ]
    contradictions = make_case(
        phase_extra={"early_start": "2023-11-01"},
        extra={"expenditures": spent, "settings": {"input_tax_deduction": True}},
    )
    return [
        fm.evaluate(flat_case(efre_data(expenditures=booked_vouchers())), LATE),
        fm.evaluate(bochum, date(2023, 6, 30)),
        fm.evaluate(bochum, date(2025, 6, 30)),
        fm.evaluate(bochum, date(2026, 12, 1)),
        fm.evaluate(contradictions, date(2026, 6, 30)),
        fm.evaluate(two_lines("115000.00", "100000.00"), date(2026, 6, 30)),
        fm.evaluate(two_lines("130000.00", "70000.00"), date(2026, 6, 30)),
        bochum_flows(council_budget={"2024": "1000000.00"}),
        fm.evaluate(
            case_with([("2025-03-03", "10000.00")], [("2025-03-10", "2000.00")]),
            date(2026, 11, 26),
        ),
        fm.evaluate(
            one_phase(phase_extra={"annual_grant": {"2024": "100000.00", "2025": "20000.00"}}),
            date(2026, 3, 1),
        ),
    ]


def test_every_text_of_the_reports_reads_in_english() -> None:
    reports = _reports()
    codes = {f.code for r in reports for f in r.findings}
    # the booked category cap needs a rulebook limit: its English words are tested with the
    # catalogue above, its figures in test_limits
    rare = {
        "refund-interest-not-started",
        "annual-instalment-lapsed",
        "category-cap-exceeded-actual",
        # a Sachbericht with some parts only: tested with its words in test_proof_form
        "narrative-incomplete",
    }
    assert _CODES - rare <= codes
    for report in reports:
        for text in _texts_in(report, "en"):
            assert not german_in(text), text
        assert _texts_in(report, "de")  # and German words there are, as before


def test_the_dump_carries_data_and_words_in_the_language_asked_for() -> None:
    report = fm.evaluate(two_lines("115000.00", "100000.00"), date(2026, 6, 30))
    phase = report.proof_of_use.phases[0]
    english = phase.model_dump(mode="json", context={"lang": "en"})
    assert english["remark"] == {"key": "proof.remark.cover-assumed", "params": {}}
    assert english["note"] == "no income recorded: cover funds assumed as planned"
    assert english["steps"][0]["label"] == "eligible expenditure in the decision"
    assert phase.model_dump(mode="json")["note"] == phase.note
