"""The text of one call of grant money (Mittelabruf): German, or English with ``lang="en"``.

It lays out a [`CallDocument`][foerdermittel.drawdown_call.CallDocument]: the call's day,
period, amount and legal basis, the expenditure per budget line (booked and projected apart),
its financing, and the running totals per phase. The figures are the document's.
"""

from __future__ import annotations

from foerdermittel import fmt
from foerdermittel.drawdown_call import CallDocument
from foerdermittel.export.text import drawdown_mode_text
from foerdermittel.export.text_parts import _labelled, _table
from foerdermittel.messages import DEFAULT_LANGUAGE, Words

__all__ = ["render_call"]


def render_call(document: CallDocument, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """The call's document as text.

    Examples:
        >>> from datetime import date
        >>> from foerdermittel import call_document, evaluate, load_case
        >>> report = evaluate(load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30))
        >>> print(render_call(call_document(report, next=True)).splitlines()[0])
        Mittelabruf Nr. 9 von 12 — Phase B (Umsetzungsphase)
        >>> print(render_call(call_document(report, 1), lang="en").splitlines()[0])
        Drawdown call no. 1 of 12 — phase A (Strategiephase)
    """
    w = Words(lang)
    doc, call = document, document.call
    out = [
        w(
            "call.title",
            number=doc.number,
            count=doc.count,
            phase=call.phase,
            phase_title=doc.phase_title,
        ),
        "",
    ]
    pairs = [
        *([("call.case", doc.title)] if doc.title else []),
        ("call.grant", doc.grant_id),
        ("call.as-of", w.date(doc.as_of)),
        ("call.day", f"{w.weekday(call.on)} ({w(f'call.kind.{call.kind}')})"),
        ("call.period", f"{w.date(call.covers_from)} – {w.date(call.covers_to)}"),
        ("call.amount", w.money(doc.amount)),
        ("call.mode", drawdown_mode_text(doc.rule, lang=lang)),
        ("call.basis", w.of(doc.basis)),
    ]
    if call.remark.key:
        pairs.append(("call.remark", w.of(call.remark)))
    elif call.withheld:
        pairs.append(("call.remark", w("call.withheld")))
    out += _labelled(w, pairs)
    out += ["", w("call.lines.title"), "  " + _booked_note(doc, w)]
    head = [w(f"call.lines.head.{c}") for c in ("line", "title", "booked", "projected", "amount")]
    rows = [head]
    for line in doc.lines:
        rows.append(
            [
                line.line,
                line.title,
                w.money(line.booked),
                w.money(line.projected),
                w.money(line.amount),
            ]
        )
    rows.append(
        [
            w("call.lines.total"),
            "",
            w.money(doc.booked),
            w.money(doc.projected_amount),
            w.money(doc.funds.expenditure),
        ]
    )
    out += ["    " + r for r in _table(rows, "llrrr")]
    out.append("  " + w("call.lines.vouchers", count=doc.vouchers))
    funds = doc.funds
    out += ["", w("call.funds.title-projected" if doc.projected else "call.funds.title")]
    money_rows = [
        [w("call.funds.expenditure"), w.money(funds.expenditure)],
        ["  " + w("call.funds.grant-share"), w.money(funds.grant_share)],
        ["  " + w("call.funds.third-party"), w.money(funds.third_party_share)],
        ["  " + w("call.funds.own-share"), w.money(funds.own_share)],
        [w("call.funds.requested"), w.money(doc.amount)],
        [w("call.funds.difference"), w.money(doc.difference)],
    ]
    out += ["    " + r for r in _table(money_rows, "lr")]
    out.append("  " + w("call.funds.income", amount=funds.income_booked, count=funds.income_count))
    out += ["", w("call.totals.title")]
    columns = ("phase", "approved", "before", "this", "after", "remaining")
    rows = [[w(f"call.totals.head.{c}") for c in columns]]
    for p in doc.phases:
        rows.append(
            [
                p.phase,
                *(w.money(v) for v in (p.approved, p.before, p.this_call, p.after, p.remaining)),
            ]
        )
    rows.append(
        [
            w("call.totals.total"),
            *(w.money(v) for v in (doc.approved, doc.before, doc.amount, doc.after, doc.remaining)),
        ]
    )
    out += ["    " + r for r in _table(rows, "lrrrrr")]
    return fmt.visible("\n".join(out), newlines=True) + "\n"


def _booked_note(doc: CallDocument, w: Words) -> str:
    if doc.cut_off is None or doc.cut_off < doc.call.covers_from:
        return w("call.lines.none-booked")
    if doc.projected:
        return w("call.lines.booked-until", day=doc.cut_off)
    return w("call.lines.all-booked", day=doc.cut_off)
