"""The Übersicht: the decision, the key figures, the phases, overrides, amendments, findings."""

from __future__ import annotations

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel import fmt
from foerdermittel.export.excel.cells import (
    CHECK,
    _Formula,
    _late_use_interest,
    _page,
    _rate,
    _refund_interest,
    _Sheet,
    _Value,
)
from foerdermittel.model.grant import LAENDER
from foerdermittel.report import Report
from foerdermittel.rules.model import CapBasis


def _overview(ws: Worksheet, report: Report) -> dict[str, str]:
    """The decision, the key figures and the findings; returns the cells of the defined names."""
    grant, fin, proof = report.grant, report.financing, report.proof_of_use
    s = _Sheet(
        ws,
        [46, 56, 18, 18, 24, 20, 12, 18, 18, 18, 18, 18, 18],
        wrap={1, 2, 4, 5, 6},
    )
    s.title(report.title or f"Zuwendung {grant.id}")
    s.add(["Stichtag", report.as_of])
    s.skip()
    names: dict[str, str] = {}
    sheet = quote_sheetname(ws.title)

    s.section("Zuwendungsbescheid")
    programme = report.rulebook.programme
    basis = {
        CapBasis.GRANT: "bezogen auf die Zuwendung",
        CapBasis.ELIGIBLE_COST: "bezogen auf die zuwendungsfähigen Ausgaben",
    }[grant.max_amount_basis]
    s.add(["Zuwendungsempfänger", grant.recipient])
    s.add(["Zuwendungsgeber", grant.funder])
    s.add(["Förderprogramm", programme.title if programme else grant.programme or "—"])
    s.add(["Aktenzeichen / Zusage-Nr.", grant.id])
    s.add(["Bescheid vom", grant.decision_date])
    s.add(["Land", LAENDER.get(grant.land, grant.land)])
    s.add(["Finanzierungsart", grant.financing_type.german])
    row = s.add(["Förderquote", _rate(grant.rate) if grant.rate is not None else "—"])
    names["Foerderquote"] = f"{sheet}!$B${row}"
    if grant.max_amount is not None:
        s.add(["Höchstbetrag", grant.max_amount, basis])
    else:
        s.add(["Höchstbetrag", "—"])
    s.add(["Regelwerk", report.rulebook.title])
    if grant.stated_grant is not None:
        s.add(["Zuwendung laut Bescheid", grant.stated_grant])
    if grant.stated_own_share is not None:
        s.add(["Eigenanteil laut Bescheid", grant.stated_own_share])
    s.skip()

    s.header(["Kennzahl", "Betrag", CHECK])
    first = s.add(["zuwendungsfähige Ausgaben", fin.eligible_expenditure])
    row = s.add(["Zuwendung", fin.grant])
    names["Zuwendung"] = f"{sheet}!$B${row}"
    row = s.add(["Eigenanteil", fin.own_share])
    names["Eigenanteil"] = f"{sheet}!$B${row}"
    s.add(["Drittmittel", fin.third_party])
    last = s.add(["andere öffentliche Förderung", fin.other_public])
    s.total(
        [
            "Finanzierung gesamt",
            _Formula("+".join(f"B{r}" for r in range(first + 1, last + 1))),
            fin.total,
        ]
    )
    if proof.evaluated:
        final = s.add(["Zuwendung nach Abrechnung", proof.final])
        paid = s.add(["ausgezahlt", proof.paid])
        s.total(
            [
                "Saldo (+ noch auszuzahlen / − zu erstatten)",
                _Formula(f"B{final}-B{paid}"),
                proof.balance,
            ]
        )
        s.add(["zu erstatten", proof.refund])
        s.add(["Erstattungszinsen (§ 49a Abs. 3 VwVfG)", _refund_interest(proof)])
    else:
        s.add(["Abrechnung", "nicht ermittelt: keine Belege erfasst"])
    if report.interest.evaluated:
        s.add(
            [
                "Zinsen für nicht alsbald verwendete Mittel (§ 49a Abs. 4 VwVfG)",
                _late_use_interest(report),
            ]
        )
    s.add(["Mittelabrufe gesamt (ausgezahlt und geplant)", report.drawdowns.total])
    s.skip()

    s.section("Förderphasen")
    s.header(
        [
            "Phase",
            "Bezeichnung",
            "Beginn",
            "Ende",
            "Ende laut Erstbescheid",
            "zuwendungsfähige Ausgaben",
            "Förderquote",
            "Zuwendung",
            "Eigenanteil",
            "Drittmittel",
            "andere öffentliche Förderung",
            "Summe",
            CHECK,
        ]
    )
    original = {p.id: p for p in report.original_grant.phases} if report.original_grant else {}
    top = s.row
    for phase in grant.phases:
        pf = fin.phase(phase.id)
        before = original.get(phase.id)
        r = s.row
        s.add(
            [
                phase.id,
                phase.title,
                phase.start,
                phase.end,
                before.end if before is not None and before.end != phase.end else None,
                pf.eligible_expenditure,
                _rate(pf.rate),
                pf.grant,
                pf.own_share,
                pf.third_party,
                pf.other_public,
                _Formula(f"H{r}+I{r}+J{r}+K{r}"),
                pf.total,
            ]
        )
    bottom = s.row - 1
    sums: list[_Value] = ["Summe", None, None, None, None]
    for column in range(6, 13):
        letter = get_column_letter(column)
        sums.append(None if column == 7 else _Formula(f"SUM({letter}{top}:{letter}{bottom})"))
    s.total(sums)
    s.add(
        [
            CHECK,
            None,
            None,
            None,
            None,
            fin.eligible_expenditure,
            None,
            fin.grant,
            fin.own_share,
            fin.third_party,
            fin.other_public,
            fin.total,
        ]
    )
    s.skip()

    s.section("Abweichungen vom Regelwerk laut Bescheid")
    if report.overrides:
        s.header(["Regelwerkswert", "Fundstelle im Bescheid", "bisher", "laut Bescheid"])
        for o in report.overrides:
            s.add(
                [
                    o.path,
                    o.reason,
                    "—" if o.original is None else str(o.original),
                    "—" if o.value is None else str(o.value),
                ]
            )
    else:
        s.add(["keine"])
    s.skip()

    s.section("Änderungsbescheide")
    if report.amendments:
        s.header(
            ["Kennung", "Gegenstand", "Bescheid vom", "beantragt am", "Änderungen", "Anmerkung"]
        )
        for a in report.amendments:
            changes = [
                f"Phase {c.phase}: Ende {fmt.date(c.new_end)}"
                + (
                    f", zuwendungsfähig {fmt.money(c.eligible_expenditure)}"
                    if c.eligible_expenditure is not None
                    else " (kostenneutral)"
                )
                for c in a.phases
            ]
            changes += [f"Ansatz {c.line}: neue Jahresbeträge" for c in a.lines]
            s.add([a.id, a.title, a.decided_on, a.applied_on, "; ".join(changes), a.note])
    else:
        s.add(["keine"])
    s.skip()

    s.section(f"Feststellungen ({len(report.findings)})")
    if report.findings:
        s.header(["betrifft", "Feststellung", "Schwere", "Code", "Rechtsgrundlage"])
        for f in report.findings:
            s.add([f.subject, f.message, f.severity.german, f.code, f.legal_reference])
    else:
        s.add(["keine"])
    _page(ws, report, title_rows="1:1", freeze="A2")
    return names
