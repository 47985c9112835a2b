"""The Zahlenmäßiger Nachweis: income, expenditure, payments and the interim proofs.

The federal layout of the proof of use per phase and of the interim proof per budget year
(columns 2, 3, 5, 6; rows 14–20).
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel import fmt
from foerdermittel.export.excel.cells import (
    _BOLD,
    CHECK,
    PERCENT_FORMAT,
    _Formula,
    _late_use_interest,
    _page,
    _pct,
    _refund_interest,
    _Sheet,
    _yes,
)
from foerdermittel.report import Report


def _proof(ws: Worksheet, report: Report) -> None:
    proof, fin = report.proof_of_use, report.financing
    s = _Sheet(ws, [12, 46, 18, 18, 18, 18, 18, 18, 14, 18, 30, 30, 18], wrap={2, 11, 12})
    s.title(f"Zahlenmäßiger Nachweis (Stichtag {fmt.date(report.as_of)})")
    if not proof.evaluated:
        s.skip()
        s.add(["Keine Belege erfasst: ohne Belegbuch gibt es nichts nachzuweisen."])
        _page(ws, report, title_rows="1:1", freeze="A2")
        return
    s.skip()

    s.section("1. Einnahmen")
    s.header(["Nr.", "Position", "laut Bescheid", "%", "laut Abrechnung", "%"])
    top = s.row
    for index, income in enumerate(proof.income, 1):
        s.add(
            [
                f"1.{index}",
                income.label,
                income.planned,
                _pct(income.planned_pct),
                income.actual,
                _pct(income.actual_pct),
            ]
        )
    bottom = s.row - 1
    s.total(
        [
            "Summe",
            None,
            _Formula(f"SUM(C{top}:C{bottom})"),
            _Formula(f"SUM(D{top}:D{bottom})", PERCENT_FORMAT),
            _Formula(f"SUM(E{top}:E{bottom})"),
            _Formula(f"SUM(F{top}:F{bottom})", PERCENT_FORMAT),
        ]
    )
    covered = proof.totals.counted_eligible if proof.totals is not None else None
    s.add([CHECK, None, fin.total, None, covered])
    s.add(
        [
            "",
            "laut Abrechnung: Finanzierung der gebuchten Ausgaben bis zum Stichtag "
            "(= Summe Ist zuwendungsfähig); Zuwendung: beendete Phasen nach Abrechnung, "
            "laufende ausgezahlt",
        ]
    )
    s.skip()

    s.section("2. Ausgaben")
    s.header(
        [
            "Ansatz",
            "Bezeichnung",
            "Phase",
            "laut Bescheid",
            "Ist insgesamt",
            "Ist zuwendungsfähig",
            "Differenz",
            CHECK,
            "Abweichung",
            "zulässig bis (Plan + Toleranz)",
            "anerkannt",
            "Status",
            "nicht gezählt",
        ]
    )
    top = s.row
    for line in proof.lines:
        r = s.row
        s.add(
            [
                line.line,
                line.title,
                line.phase,
                line.planned,
                line.actual_total,
                line.actual,
                _Formula(f"F{r}-D{r}"),
                line.difference,
                _pct(line.difference_pct),
                line.allowed,
                line.recognised,
                line.status_german,
                line.excluded,
            ]
        )
    bottom = s.row - 1
    s.total(
        [
            "Summe",
            None,
            None,
            *(_Formula(f"SUM({c}{top}:{c}{bottom})") for c in "DEFG"),
            None,
            None,
            None,
            _Formula(f"SUM(K{top}:K{bottom})"),
            None,
            _Formula(f"SUM(M{top}:M{bottom})"),
        ]
    )
    s.add([CHECK, None, None, fin.eligible_expenditure])
    s.skip()

    s.section("3. Abrechnung je Phase")
    s.header(
        [
            "Phase",
            "Ermäßigung nach ANBest Nr. 2",
            "zuwendungsfähig laut Bescheid",
            "Ist (bei Prognose: mit Restplanung)",
            "anerkannt",
            "Deckungsmittel geplant",
            "Deckungsmittel erhalten",
            "Zuwendung nach Abrechnung",
            "Prognose",
            "Erstattung verzinst ab",
            "Hinweis",
            "Ist gebucht",
        ]
    )
    for phase in proof.phases:
        s.add(
            [
                phase.phase,
                phase.reduction.reason,
                phase.planned,
                phase.actual,
                phase.recognised,
                phase.cover_planned,
                phase.cover_actual,
                phase.reduction.final,
                _yes(phase.projected),
                phase.ineffective_on if phase.refund > 0 else None,
                "; ".join(x for x in (phase.note, phase.interest_problem) if x) or None,
                phase.booked,
            ]
        )
    s.skip()

    s.section("4. Zahlungen")
    s.header(
        [
            "Phase",
            "",
            "bewilligt",
            "nach Abrechnung",
            "ausgezahlt",
            "Saldo",
            CHECK,
            "zu erstatten",
            "Stand",
        ]
    )
    top = s.row
    for phase in proof.phases:
        r = s.row
        s.add(
            [
                phase.phase,
                None,
                phase.reduction.approved,
                phase.reduction.final,
                phase.paid,
                _Formula(f"D{r}-E{r}"),
                phase.balance,
                phase.refund,
                "Prognose" if phase.projected else "Ist",
            ]
        )
    bottom = s.row - 1
    s.total(
        [
            "Summe",
            None,
            *(_Formula(f"SUM({c}{top}:{c}{bottom})") for c in "CDEF"),
            None,
            _Formula(f"SUM(H{top}:H{bottom})"),
        ]
    )
    s.add([CHECK, None, proof.approved, proof.final, proof.paid, proof.balance, None, proof.refund])
    s.add(["", "Saldo: + noch auszuzahlen (Schlussrate), − zu erstatten"])
    if proof.projected:
        s.add(
            [
                "",
                "Prognose: die Phase läuft noch; nach Abrechnung und Saldo aus dem Ist bis zum "
                "Stichtag plus Restplanung",
            ]
        )
    s.add(["", "Erstattungszinsen (§ 49a Abs. 3 VwVfG)", _refund_interest(proof)])
    if report.interest.evaluated:
        s.add(
            [
                "",
                "Zinsen für nicht alsbald verwendete Mittel (§ 49a Abs. 4 VwVfG)",
                _late_use_interest(report),
            ]
        )
    count, amount = proof.after_key_date
    if count:
        s.add(["", f"{count} Beleg(e) nach dem Stichtag, nicht berücksichtigt", amount])
    s.skip()

    s.section("5. Zwischennachweise je Haushaltsjahr (Bundesmuster, Spalten 2, 3, 5, 6)")
    for interim in proof.interim:
        s.skip()
        s.add([f"Zwischennachweis {interim.year}"], font=_BOLD)
        s.header(
            [
                "Pos.",
                "Bezeichnung",
                "(2) anerkannt bis Vorjahr",
                "(3) Ausgaben im Jahr",
                "(5) kumuliert = (2) + (3)",
                CHECK,
                "(6) Finanzierungsplan gesamt",
            ]
        )
        top = s.row
        for row in interim.rows:
            r = s.row
            s.add(
                [
                    row.line,
                    row.title,
                    row.before,
                    row.year,
                    _Formula(f"C{r}+D{r}"),
                    row.cumulative,
                    row.plan,
                ]
            )
        bottom = s.row - 1
        s.total(
            [
                "Summe",
                None,
                *(_Formula(f"SUM({c}{top}:{c}{bottom})") for c in "CDE"),
                None,
                _Formula(f"SUM(G{top}:G{bottom})"),
            ]
        )
        s.skip()
        s.header(["Nr.", "Position", "Betrag", CHECK])
        r14 = s.add(
            [
                "(14)",
                "Ausgaben des Jahres (Summe Spalte 3)",
                _Formula(f"SUM(D{top}:D{bottom})"),
                interim.expenditure,
            ]
        )
        r15 = s.add(["(15)", "Eigenmittel laut Finanzierungsplan", interim.own_funds])
        r16 = s.add(["(16)", "Drittmittel / Einnahmen laut Finanzierungsplan", interim.third_party])
        s.add(
            [
                "(17)",
                "zusätzliche Drittmittel / Einnahmen (vgl. Nr. 2 ANBest)",
                interim.additional_third_party,
            ]
        )
        r17b = s.add(
            ["(17b)", "davon Anteil des Zuwendungsgebers", interim.additional_federal_share]
        )
        r18 = s.add(
            [
                "(18)",
                "verbleibender Anteil des Zuwendungsgebers = (14) − (15) − (16) − (17b)",
                _Formula(f"C{r14}-C{r15}-C{r16}-C{r17b}"),
                interim.federal_share,
            ]
        )
        r19 = s.add(
            [
                "(19)",
                "Zahlungen des Zuwendungsgebers einschl. Kassenbestand des Vorjahres",
                interim.federal_payments,
            ]
        )
        s.add(
            [
                "(20)",
                "Kassenbestand am 31.12. = (19) − (18)",
                _Formula(f"C{r19}-C{r18}"),
                interim.cash_balance,
            ]
        )
    _page(ws, report, title_rows="1:1", freeze="A2")
