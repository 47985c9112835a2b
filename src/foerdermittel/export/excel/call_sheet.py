"""The workbook of one call of grant money (Mittelabruf): one sheet, deterministic bytes.

It lays out a [`CallDocument`][foerdermittel.drawdown_call.CallDocument] as the text does:
the call (day, period, amount, mode, legal basis), the expenditure per budget line (booked,
projected, together), its financing, and the running totals per phase. Sums and differences
are live formulas (``SUM`` of a range, ``+``/``−`` of cells) with the library's figure beside
them, headed ``laut Berechnung``. The same document gives the same bytes: every zip entry and
the document's dates carry the key date. User text is stored as text.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time
from typing import IO

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.drawdown_call import CallDocument
from foerdermittel.export.excel.cells import _BOLD, _Formula, _properties, _Sheet, _Value
from foerdermittel.export.excel.package import _save
from foerdermittel.export.text import drawdown_mode_text
from foerdermittel.export.written import WrittenWorkbook
from foerdermittel.io.atomic import write_atomic
from foerdermittel.messages import DEFAULT_LANGUAGE, Words

__all__ = ["call_to_bytes", "write_call"]


_LINE_COLUMNS = ("line", "title", "booked", "projected", "amount")


def _fill(ws: Worksheet, doc: CallDocument, w: Words) -> None:
    call = doc.call
    s = _Sheet(ws, w, [16, 44, 18, 18, 18, 18, 18], wrap={2})
    s.title(
        w(
            "call.title",
            number=doc.number,
            count=doc.count,
            phase=call.phase,
            phase_title=doc.phase_title,
        )
    )
    s.skip()
    if doc.title:
        s.add([w("call.case"), doc.title], font=None)
    s.add([w("call.grant"), doc.grant_id])
    s.add([w("call.as-of"), doc.as_of])
    s.add([w("call.day"), call.on, w(f"call.kind.{call.kind}")])
    s.add([w("call.period"), call.covers_from, call.covers_to])
    s.add([w("call.amount"), doc.amount])
    s.add([w("call.mode"), drawdown_mode_text(doc.rule, lang=w.lang)])
    s.add([w("call.basis"), w.of(doc.basis)], wrap=True)
    if call.remark.key:
        s.add([w("call.remark"), w.of(call.remark)], wrap=True)
    elif call.withheld:
        s.add([w("call.remark"), w("call.withheld")], wrap=True)
    for row in range(3, s.row):
        ws.cell(row=row, column=1).font = _BOLD
    s.skip()
    s.section(w("call.lines.title"))
    s.header(
        [
            *(
                w(f"call.lines.head.{c}")
                for c in ("line", "title", "booked", "projected", "amount")
            ),
            s.check,
        ]
    )
    first = s.row
    for line in doc.lines:
        r = s.row
        s.add(
            [
                line.line,
                line.title,
                line.booked,
                line.projected,
                _Formula(f"C{r}+D{r}"),
                line.amount,
            ]
        )
    last = s.row - 1
    span = last >= first

    def column_sum(column: str, fallback: _Value) -> _Value:
        return _Formula(f"SUM({column}{first}:{column}{last})") if span else fallback

    expenditure_row = s.total(
        [
            w("call.lines.total"),
            None,
            column_sum("C", doc.booked),
            column_sum("D", doc.projected_amount),
            column_sum("E", doc.funds.expenditure),
            doc.funds.expenditure,
        ]
    )
    s.add(["", w("call.lines.vouchers", count=doc.vouchers)])
    s.skip()
    funds = doc.funds
    s.section(w("call.funds.title-projected" if doc.projected else "call.funds.title"))
    s.header(["", "", w("workbook.word.amount"), s.check])
    exp = s.add(
        [
            w("call.funds.expenditure"),
            None,
            _Formula(f"E{expenditure_row}"),
            funds.expenditure,
        ]
    )
    grant = s.add([w("call.funds.grant-share"), None, funds.grant_share])
    third = s.add([w("call.funds.third-party"), None, funds.third_party_share])
    s.add(
        [
            w("call.funds.own-share"),
            None,
            _Formula(f"C{exp}-C{grant}-C{third}"),
            funds.own_share,
        ]
    )
    requested = s.total([w("call.funds.requested"), None, doc.amount])
    s.add(
        [
            w("call.funds.difference"),
            None,
            _Formula(f"C{requested}-C{grant}"),
            doc.difference,
        ]
    )
    s.add(["", w("call.funds.income", amount=funds.income_booked, count=funds.income_count)])
    s.skip()
    s.section(w("call.totals.title"))
    columns = ("phase", "approved", "before", "this", "after", "remaining")
    s.header([*(w(f"call.totals.head.{c}") for c in columns), s.check])
    top = s.row
    for p in doc.phases:
        r = s.row
        s.add(
            [
                p.phase,
                p.approved,
                p.before,
                p.this_call,
                p.after,
                _Formula(f"B{r}-C{r}-D{r}"),
                p.remaining,
            ]
        )
    bottom = s.row - 1
    if bottom >= top:
        s.total(
            [
                w("call.totals.total"),
                *(_Formula(f"SUM({c}{top}:{c}{bottom})") for c in "BCDEF"),
                doc.remaining,
            ]
        )
    _page_for(s, doc)


def _page_for(s: _Sheet, doc: CallDocument) -> None:
    """The print setup every sheet shares, with this document's key date in the footer."""
    ws, w = s.ws, s.w
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    footer = ws.oddFooter
    assert footer is not None  # openpyxl creates it with the sheet
    footer.left.text = "&A"
    footer.center.text = w("workbook.page.as-of", day=doc.as_of)
    footer.right.text = w("workbook.page.pages")


def call_to_bytes(document: CallDocument, *, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """The call's document as a one-sheet .xlsx workbook; the same document, the same bytes.

    Raises:
        NotFoundError: for a language without a catalogue.

    Examples:
        >>> from datetime import date
        >>> from foerdermittel import call_document, evaluate, load_case
        >>> report = evaluate(load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30))
        >>> doc = call_document(report, next=True)
        >>> call_to_bytes(doc) == call_to_bytes(doc), call_to_bytes(doc)[:2]
        (True, b'PK')
    """
    w = Words(lang)
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = w("call.sheet.name")
    _fill(ws, document, w)
    stamp = _stamp_of(document)
    title = w(
        "call.title",
        number=document.number,
        count=document.count,
        phase=document.call.phase,
        phase_title=document.phase_title,
    )
    _properties(wb, stamp, title, w("workbook.subject"), w)
    return _save(wb, stamp)


def _stamp_of(document: CallDocument) -> datetime:
    """The document's date: the key date at 00:00, never the clock."""
    return datetime.combine(max(document.as_of, date(1980, 1, 1)), time(0, 0))


def write_call(
    document: CallDocument,
    path: str | os.PathLike[str] | IO[bytes],
    *,
    lang: str = DEFAULT_LANGUAGE,
) -> WrittenWorkbook:
    """Write the call's document as a one-sheet workbook: to a file atomically, or a stream.

    Args:
        document: the call's document ([`call_document`][foerdermittel.drawdown_call]).
        path: the file to write (temporary name, then renamed), or a binary stream such as
            ``sys.stdout.buffer``.
        lang: the language of the sheet: ``de`` (the default) or ``en``.

    Returns:
        What was written: the file (``None`` for a stream), its size, one sheet, and the
        vouchers the period's booked figures rest on.

    Raises:
        OSError: the folder does not exist or cannot be written.
        NotFoundError: for a language without a catalogue.
    """
    data = call_to_bytes(document, lang=lang)
    target: str | None = None
    if isinstance(path, str | os.PathLike):
        target = os.fspath(path)
        write_atomic(target, data)
    else:
        path.write(data)
        path.flush()
    return WrittenWorkbook(path=target, size=len(data), sheets=1, vouchers=document.vouchers)
