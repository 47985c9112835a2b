"""The Übersicht: the decision, the key figures, the phases, overrides, amendments, findings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.export.excel.cells import (
    _BOLD,
    _Formula,
    _late_use_interest,
    _page,
    _rate,
    _refund_interest,
    _Sheet,
    _Value,
)
from foerdermittel.messages import Message, Words
from foerdermittel.model.amendments import Amendment, DecisionChange
from foerdermittel.model.grant import LAENDER
from foerdermittel.periods import Span
from foerdermittel.report import Report
from foerdermittel.rules.model import CapBasis


def _land(w: Words, code: str) -> str:
    """The Land's name in the language (the code as it is where the catalogue has none)."""
    return w(f"workbook.land.{code}") if code in LAENDER else code


def _override_value(w: Words, value: Any) -> str:
    """A rulebook value as the overview shows it: a span in words, other values as written."""
    if value is None:
        return "—"
    if isinstance(value, Span):
        return w.of(value.message)
    return str(value)


def _changes(w: Words, amendment: Amendment) -> str:
    """What an amending decision changes, phase by phase and line by line."""
    neutral = Message.of("workbook.overview.cost-neutral") if amendment.cost_neutral else ""
    grant_values = [
        Message.of(f"amendments.value.{name}")
        for name in ("eligible_expenditure", "rate", "max_amount")
        if getattr(amendment, name) is not None
    ]
    changes = [w("amendments.summary.grant", values=tuple(grant_values))] if grant_values else []
    for c in amendment.phases:
        if c.new_end is not None:
            changes.append(
                w(
                    "workbook.overview.phase-change",
                    phase=c.phase,
                    end=c.new_end,
                    eligible=(
                        Message.of(
                            "workbook.overview.phase-eligible", amount=c.eligible_expenditure
                        )
                        if c.eligible_expenditure is not None
                        else neutral
                    ),
                )
            )
        figures = [
            Message.of(f"amendments.value.{name}")
            for name in (
                ("rate", "max_amount")
                if c.new_end is not None
                else ("eligible_expenditure", "rate", "max_amount")
            )
            if getattr(c, name) is not None
        ]
        if figures:
            changes.append(w("amendments.summary.phase", phase=c.phase, values=tuple(figures)))
    changes += [w("workbook.overview.line-change", line=c.line) for c in amendment.lines]
    return "; ".join(changes)


def _shown(w: Words, change: DecisionChange, figure: Decimal | date | None) -> _Value:
    """A changed value as a typed cell: an amount, a rate, a day; words where none was set."""
    if figure is None:
        return w("amendments.shown.none")
    if isinstance(figure, Decimal) and change.value.kind == "rate":
        return _rate(figure)
    return figure


def _decision_changes(s: _Sheet, report: Report, w: Words) -> None:
    """The values the amendments changed: before and after, with the amendment and its day."""
    if not report.decision_changes:
        return
    s.skip()
    s.add([w("amendments.changes")], font=_BOLD)
    s.header([w(f"amendments.head.{key}") for key in _CHANGE_HEAD])
    for change in report.decision_changes:
        s.add(
            [
                w.of(change.about),
                w.of(change.what),
                _shown(w, change, change.before),
                _shown(w, change, change.after),
                change.amendment,
                change.decided_on,
            ]
        )


_CHANGE_HEAD = ("concerns", "value", "before", "after", "amendment", "decided-on")


def _overview(ws: Worksheet, report: Report, w: Words) -> dict[str, str]:
    """The decision, the key figures and the findings; returns the cells of the defined names."""
    grant, fin, proof = report.grant, report.financing, report.proof_of_use
    s = _Sheet(
        ws,
        w,
        [46, 56, 18, 18, 24, 20, 12, 18, 18, 18, 18, 18, 18],
        wrap={1, 2, 4, 5, 6},
    )
    check = s.check
    s.title(report.title or w("workbook.title", grant=grant.id))
    s.add([w("text.report.as-of"), report.as_of])
    s.skip()
    names: dict[str, str] = {}
    sheet = quote_sheetname(ws.title)

    s.section(w("workbook.overview.decision"))
    programme = report.rulebook.programme
    basis = "grant" if grant.max_amount_basis is CapBasis.GRANT else "eligible"
    s.add([w("text.report.recipient"), grant.recipient])
    s.add([w("text.report.funder"), grant.funder])
    s.add(
        [
            w("workbook.overview.programme"),
            programme.title if programme else grant.programme or "—",
        ]
    )
    s.add([w("workbook.overview.file-number"), grant.id])
    s.add([w("workbook.word.decided-on"), grant.decision_date])
    s.add([w("workbook.overview.land"), _land(w, grant.land)])
    s.add([w("text.report.financing"), w(f"financing-type.{grant.financing_type.value}")])
    row = s.add([w("workbook.word.rate"), _rate(grant.rate) if grant.rate is not None else "—"])
    names[w("workbook.name.rate")] = f"{sheet}!$B${row}"
    if grant.max_amount is not None:
        s.add(
            [
                w("text.report.max-amount"),
                grant.max_amount,
                w(f"workbook.overview.max-amount-basis.{basis}"),
            ]
        )
    else:
        s.add([w("text.report.max-amount"), "—"])
    s.add([w("text.report.rulebook"), report.rulebook.title])
    if grant.stated_grant is not None:
        s.add([w("workbook.overview.stated-grant"), grant.stated_grant])
    if grant.stated_own_share is not None:
        s.add([w("workbook.overview.stated-own-share"), grant.stated_own_share])
    s.skip()

    s.header([w("workbook.overview.figure"), w("workbook.word.amount"), check])
    first = s.add([w("workbook.word.eligible"), fin.eligible_expenditure])
    row = s.add([w("workbook.word.grant"), fin.grant])
    names[w("workbook.name.grant")] = f"{sheet}!$B${row}"
    row = s.add([w("workbook.word.own-share"), fin.own_share])
    names[w("workbook.name.own-share")] = f"{sheet}!$B${row}"
    s.add([w("workbook.word.third-party"), fin.third_party])
    last = s.add([w("workbook.word.other-public"), fin.other_public])
    s.total(
        [
            w("workbook.overview.financing-total"),
            _Formula("+".join(f"B{r}" for r in range(first + 1, last + 1)), value=fin.total),
            fin.total,
        ]
    )
    if proof.evaluated:
        final = s.add([w("workbook.word.final"), proof.final])
        paid = s.add([w("workbook.overview.paid"), proof.paid])
        s.total(
            [
                w("workbook.overview.balance"),
                _Formula(f"B{final}-B{paid}", value=proof.balance),
                proof.balance,
            ]
        )
        s.add([w("workbook.word.refund"), proof.refund])
        s.add([w("workbook.refund-interest"), _refund_interest(proof, w)])
    else:
        s.add([w("workbook.overview.settlement"), w("workbook.overview.not-settled")])
    if report.interest.evaluated:
        s.add([w("workbook.late-use-interest"), _late_use_interest(report, w)])
    s.add([w("workbook.overview.calls-total"), report.drawdowns.total])
    s.skip()

    s.section(w("workbook.overview.phases"))
    s.header(
        [
            w("workbook.word.phase"),
            w("workbook.word.title"),
            w("workbook.overview.start"),
            w("workbook.overview.end"),
            w("workbook.overview.original-end"),
            w("workbook.word.eligible"),
            w("workbook.word.rate"),
            w("workbook.word.grant"),
            w("workbook.word.own-share"),
            w("workbook.word.third-party"),
            w("workbook.word.other-public"),
            w("text.sum"),
            check,
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
                _Formula(f"H{r}+I{r}+J{r}+K{r}", value=pf.total),
                pf.total,
            ]
        )
    bottom = s.row - 1
    sums: list[_Value] = [w("text.sum"), None, None, None, None]
    figures = {
        6: fin.eligible_expenditure,
        8: fin.grant,
        9: fin.own_share,
        10: fin.third_party,
        11: fin.other_public,
        12: fin.total,
    }
    for column in range(6, 13):
        letter = get_column_letter(column)
        formula = _Formula(f"SUM({letter}{top}:{letter}{bottom})", value=figures.get(column))
        sums.append(None if column == 7 else formula)
    s.total(sums)
    s.add(
        [
            check,
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

    s.section(w("workbook.overview.overrides"))
    if report.overrides:
        s.header(
            [
                w("workbook.overview.override-path"),
                w("workbook.overview.override-reason"),
                w("workbook.overview.override-before"),
                w("workbook.overview.override-value"),
            ]
        )
        for o in report.overrides:
            s.add([o.path, o.reason, _override_value(w, o.original), _override_value(w, o.value)])
    else:
        s.add([w("workbook.none")])
    s.skip()

    s.section(w("workbook.overview.amendments"))
    if report.amendments:
        s.header(
            [
                w("workbook.word.id"),
                w("workbook.overview.amendment-title"),
                w("workbook.word.decided-on"),
                w("workbook.overview.applied-on"),
                w("workbook.overview.changes"),
                w("workbook.overview.remark"),
            ]
        )
        for a in report.amendments:
            s.add([a.id, a.title, a.decided_on, a.applied_on, _changes(w, a), a.note])
        _decision_changes(s, report, w)
    else:
        s.add([w("workbook.none")])
    s.skip()

    s.section(w("workbook.overview.findings", count=len(report.findings)))
    if report.findings:
        s.header(
            [
                w("workbook.word.concerns"),
                w("workbook.overview.finding"),
                w("workbook.overview.severity"),
                w("workbook.overview.code"),
                w("text.deadlines.head.source"),
            ]
        )
        for f in report.findings:
            s.add(
                [
                    w.of(f.about),
                    w.of(f.text),
                    w(f"severity.{f.severity.value}"),
                    f.code,
                    f.legal_reference,
                ]
            )
    else:
        s.add([w("workbook.none")])
    _page(s, report, title_rows="1:1", freeze="A2")
    return names
