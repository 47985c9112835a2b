"""The Belegliste, streamed: its head through openpyxl, its rows as sheet XML, a row at a time.

The form's order (ANBest-P Nr. 6.2.2; under ANBest-Gk Nr. 6.4 a voluntary annex, and the
title says so): the vouchers that count by the plan's structure — per phase, per group of
lines (the Leitthema) where the lines have one, per line (Einzelansatz) with its vouchers in
date order and a row "Summe <Einzelansatz>" — then the income by funding source, then the
vouchers excluded with the reason of each. Every sum is a formula stored with its value (the
sum of the cells it adds up, as they were written), so a reader that does not calculate sees
it too; the overall total is the proof of use's counted vouchers. The rows are inline strings
with the styles openpyxl registered for the same formats, so a ledger of 100,000 vouchers
needs no workbook model in memory. The words of the rows (kinds, checks) are looked up once
per workbook, the reason of each excluded voucher per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.errors import FoerdermittelError
from foerdermittel.export.excel.cells import (
    _BOLD,
    MONEY_FORMAT,
    _formula_cell_xml,
    _page,
    _Sheet,
)
from foerdermittel.export.excel.voucher_groups import _Blocks, _blocks, _LineBlock
from foerdermittel.export.excel.xml_cells import (
    _EXCEL_EPOCH,
    _cents_text,
    _date_cell,
    _number_cell,
    _sum_of,
    _text_cell,
    _text_cells,
    _text_rest,
)
from foerdermittel.messages import DEFAULT_LANGUAGE, Words
from foerdermittel.model.records import Expenditure
from foerdermittel.model.voucher_builder import NO_DAY, NO_NET
from foerdermittel.money import ZERO
from foerdermittel.report import Report
from foerdermittel.vouchers import ExcludedVoucher


class WorkbookTooLargeError(FoerdermittelError, ValueError):
    """The Belegliste has more rows than a worksheet holds (1.048.576): the input's size."""


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


_MAX_ROWS = 1_048_576

_VOUCHER_KINDS = ("expenditure", "credit")
_CHECKS = (
    "outside-period",
    "duplicate-voucher",
    "sign",
    "credit-sign",
    "net-above-gross",
    "net-sign",
    "net-missing",
    "flat-rate",
)
_COLUMNS = (
    "voucher",
    "paid-on",
    "amount",
    "net",
    "line",
    "payee",
    "purpose",
    "kind",
    "reference",
    "origin",
    "invoice-number",
    "invoice-date",
)

VOUCHER_COLUMNS = (
    "Belegnummer",
    "Zahlungsdatum",
    "Betrag",
    "Netto",
    "Einzelansatz",
    "Zahlungsempfänger",
    "Verwendungszweck",
    "Art",
    "Bezug",
    "Herkunft",
    "Rechnungsnummer",
    "Rechnungsdatum",
)
"""The Belegliste's columns in the German workbook (see
[`voucher_columns`][foerdermittel.export.excel.voucher_columns] for another language)."""
_VOUCHER_FIRST_ROW = 3


def voucher_columns(lang: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """The voucher list's columns in a language (catalogue ``workbook.vouchers.column``).

    Examples:
        >>> voucher_columns() == VOUCHER_COLUMNS
        True
        >>> voucher_columns("en")[:3]
        ('Voucher no.', 'Payment date', 'Amount')
    """
    w = Words(lang)
    return tuple(w(f"workbook.vouchers.column.{name}") for name in _COLUMNS)


@dataclass(frozen=True)
class _Styles:
    """Style ids (cellXfs indexes) openpyxl registered for the streamed cells."""

    date: int
    money: int
    bold: int
    bold_money: int
    blocks: _Blocks  # what the rows list, ordered once (``voucher_groups``)


@dataclass(frozen=True)
class _RowWords:
    """The words the streamed rows repeat, looked up once: kinds, checks, yes and no."""

    w: Words
    kinds: dict[str, str]
    checks: dict[str, str]
    yes: str
    no: str
    kind_cells: dict[str, str]  # the kind's cell after its reference

    @classmethod
    def of(cls, w: Words) -> _RowWords:
        return cls(
            w=w,
            kinds={kind: w(f"workbook.vouchers.kind.{kind}") for kind in _VOUCHER_KINDS},
            checks={code: w(f"workbook.vouchers.check-name.{code}") for code in _CHECKS},
            yes=w("workbook.yes"),
            no=w("workbook.no"),
            kind_cells={
                kind: _text_rest(w(f"workbook.vouchers.kind.{kind}")) for kind in _VOUCHER_KINDS
            },
        )


def _style_id(ws: Worksheet, *, number_format: str | None = None, bold: bool = False) -> int:
    """Register a cell style with the workbook and return its id, without adding a cell."""
    probe = Cell(ws, row=1, column=1)
    if number_format is not None:
        probe.number_format = number_format
    if bold:
        probe.font = _BOLD
    return probe.style_id


def _title(report: Report, w: Words) -> str:
    """The sheet's title: required by the rulebook, or a voluntary annex (ANBest-Gk Nr. 6.4)."""
    contents = report.rulebook.proof_contents
    key = "required" if contents.voucher_list_required else "voluntary"
    return w(f"workbook.belegliste.title-{key}", source=contents.source, day=report.as_of)


def _expenditure_rows(blocks: _Blocks) -> int:
    """The rows of the expenditure's phases (headings, vouchers, sums), before the total."""
    rows = 0
    for phase in blocks.phases:
        rows += 2  # the phase's heading and sum
        for group in phase.groups:
            rows += 2 if group.group is not None else 0
            rows += sum(2 + len(line.vouchers) for line in group.lines)
    return rows


def _row_count(blocks: _Blocks, report: Report) -> int:
    """The rows from the first data row to the end: what the stream will write (with gaps)."""
    proof = report.proof_of_use
    rows = 1 + _expenditure_rows(blocks)  # and the overall total, or the note that none counts
    if blocks.income:
        rows += 4 + sum(2 + len(b.entries) for b in blocks.income)  # gap, title, header, total
    if blocks.income_after[0]:
        rows += 2
    if proof.excluded:
        rows += 3 + len(proof.excluded) + (2 if proof.totals is not None else 0)
    if proof.after_key_date[0]:
        rows += 2
    return rows


def _voucher_sheet(ws: Worksheet, report: Report, w: Words) -> tuple[_Styles, int]:
    """The Belegliste's head (title, header, layout); returns the styles and the last row.

    The styles carry the sheet's blocks (``voucher_groups``), ordered once, for the rows.
    """
    blocks = _blocks(report)
    s = _Sheet(ws, w, [18, 16, 16, 16, 13, 34, 60, 16, 18, 24, 18, 16])
    s.title(_title(report, w))
    header = s.header(list(voucher_columns(w.lang)))
    end = _VOUCHER_FIRST_ROW + _row_count(blocks, report) - 1
    expenditure_rows = _expenditure_rows(blocks)
    ws.auto_filter.ref = f"A{header}:L{max(_VOUCHER_FIRST_ROW + expenditure_rows - 1, header)}"
    if end > _MAX_ROWS:
        count = len(report.proof_of_use.vouchers)
        raise WorkbookTooLargeError(
            f"Belegliste mit {count} Belegen passt nicht auf ein Arbeitsblatt "
            f"(höchstens {_MAX_ROWS} Zeilen)"
        )
    _page(s, report, title_rows="1:2", freeze="B3")
    styles = _Styles(
        date=_style_id(ws, number_format=s.formats.date),
        money=_style_id(ws, number_format=MONEY_FORMAT),
        bold=_style_id(ws, bold=True),
        bold_money=_style_id(ws, number_format=MONEY_FORMAT, bold=True),
        blocks=blocks,
    )
    return styles, end


def _voucher_row(r: int, v: Expenditure, st: _Styles, words: _RowWords, line: str) -> str:
    """One voucher's row (the hot path).

    The date and number cells are written in place; the line's cell (``line``, after its
    reference) and the kind's are written once for all rows.
    """
    day, money = st.date, st.money
    net, invoiced = v.net_amount, v.invoice_date
    return "".join(
        (
            f'<row r="{r}">',
            _text_cell(f"A{r}", v.id),
            f'<c r="B{r}" s="{day}"><v>{v.paid_on.toordinal() - _EXCEL_EPOCH}</v></c>'
            f'<c r="C{r}" s="{money}"><v>{v.amount:f}</v></c>',
            "" if net is None else f'<c r="D{r}" s="{money}"><v>{net:f}</v></c>',
            f'<c r="E{r}"{line}',
            _text_cell(f"F{r}", v.payee),
            _text_cell(f"G{r}", v.purpose),
            f'<c r="H{r}"{words.kind_cells[v.kind]}',
            _text_cell(f"I{r}", v.reference),
            _text_cell(f"J{r}", v.origin),
            _text_cell(f"K{r}", v.invoice_number),
            ""
            if invoiced is None
            else f'<c r="L{r}" s="{day}"><v>{invoiced.toordinal() - _EXCEL_EPOCH}</v></c>',
            "</row>",
        )
    )


def _line_rows(
    r: int, block: _LineBlock, st: _Styles, words: _RowWords, line: str, sums: list[int]
) -> Iterator[str]:
    """The rows of a line's vouchers from row ``r`` on, read from the columns (the hot path).

    The vouchers are the proof of use's (``st.blocks.vouchers``) at the block's positions;
    a voucher kept as it is (``VoucherColumns.odd``) is written from its model. ``sums``
    gets the line's amount and net amount added, in cents.
    """
    vouchers = st.blocks.vouchers
    days, amounts, nets = vouchers.days, vouchers.amounts, vouchers.nets
    payees = vouchers.payees
    cells = st.blocks.cells
    if not cells:  # the text columns looked at once for the whole list
        for column, texts in (
            ("A", vouchers.ids),
            ("G", vouchers.purposes),
            ("I", vouchers.references),
            ("K", vouchers.invoice_numbers),
        ):
            cells[column] = _text_cells(texts, column)  # type: ignore[arg-type]
    id_cell, purpose_cell, reference_cell, number_cell = (cells[c] for c in "AGIK")
    invoiced, kinds = vouchers.invoice_days, vouchers.kinds
    files, rows, table = vouchers.origin_files, vouchers.origin_rows, vouchers.origin_table
    odd = vouchers.odd or {}
    day, money = st.date, st.money
    kind_cells = [words.kind_cells[kind] for kind in ("expenditure", "credit")]
    shared: dict[str, str] = {}  # the cells of texts many rows repeat (payees)
    amount_sum = net_sum = 0
    for i in block.vouchers:
        kept = odd.get(i)
        if kept is not None:
            yield _voucher_row(r, kept, st, words, line)
            amount_sum += int(kept.amount.scaleb(2))
            if kept.net_amount is not None:
                net_sum += int(kept.net_amount.scaleb(2))
            r += 1
            continue
        cents = amounts[i]
        amount_sum += cents
        net = NO_NET if nets is None else nets[i]
        payee = None if payees is None else payees[i]
        payee_cell = ""
        if payee:
            rest = shared.get(payee)
            if rest is None:
                rest = shared[payee] = _text_rest(payee)
            payee_cell = f'<c r="F{r}"{rest}'
        origin = None
        if files is not None:
            file, row = table[files[i]], rows[i]  # type: ignore[index]
            origin = file if row < 0 or file is None else f"{file}:{row}"
        invoice_day = NO_DAY if invoiced is None else invoiced[i]
        if net != NO_NET:
            net_sum += net
        yield "".join(
            (
                f'<row r="{r}">',
                id_cell(r, i),
                f'<c r="B{r}" s="{day}"><v>{days[i] - _EXCEL_EPOCH}</v></c>'
                f'<c r="C{r}" s="{money}"><v>{_cents_text(cents)}</v></c>',
                "" if net == NO_NET else f'<c r="D{r}" s="{money}"><v>{_cents_text(net)}</v></c>',
                f'<c r="E{r}"{line}',
                payee_cell,
                purpose_cell(r, i),
                f'<c r="H{r}"{kind_cells[kinds[i]]}',
                reference_cell(r, i),
                _text_cell(f"J{r}", origin),
                number_cell(r, i),
                ""
                if invoice_day == NO_DAY
                else f'<c r="L{r}" s="{day}"><v>{invoice_day - _EXCEL_EPOCH}</v></c>',
                "</row>",
            )
        )
        r += 1
    sums[0] += amount_sum
    sums[1] += net_sum


def _label_row(r: int, text: str, st: _Styles) -> str:
    return f'<row r="{r}">' + _text_cell(f"A{r}", text, st.bold) + "</row>"


def _sum_row(
    r: int,
    label: str,
    formulas: tuple[str | None, str | None],
    values: tuple[Decimal, Decimal],
    st: _Styles,
    *,
    net: bool = True,
) -> str:
    """A sum row: its label, the amount's and the net amount's formula with their values.

    Without ``net`` the net amount is left out (the income has none); a formula that is
    ``None`` (too long for a cell) leaves its value alone.
    """
    cells = [f'<row r="{r}">', _text_cell(f"A{r}", label, st.bold)]
    for column, formula, value in zip("CD", formulas, values if net else values[:1], strict=False):
        ref = f"{column}{r}"
        cells.append(
            _number_cell(ref, value, st.bold_money)
            if formula is None
            else _formula_cell_xml(ref, formula, value, st.bold_money)
        )
    cells.append("</row>")
    return "".join(cells)


class _Stream:
    """The rows of the Belegliste as XML, and the row they are at."""

    def __init__(self, report: Report, st: _Styles, w: Words) -> None:
        self.report = report
        self.st = st
        self.w = w
        self.words = _RowWords.of(w)
        self.r = _VOUCHER_FIRST_ROW
        self.last: tuple[int, Decimal, Decimal] = (0, ZERO, ZERO)  # the last sum row written

    def line(self, block: _LineBlock) -> Iterator[str]:
        """A line's heading, its vouchers in date order and its sum row (``self.last``)."""
        w, st, words = self.w, self.st, self.words
        name = w("workbook.belegliste.line", line=block.line, title=block.title)
        yield _label_row(self.r, name, st)
        self.r += 1
        first = r = self.r
        line_cell = _text_rest(block.line) if block.line else "/>"  # the same in every row
        sums = [0, 0]
        yield from _line_rows(r, block, st, words, line_cell, sums)
        r += len(block.vouchers)
        amount, net = _euros(sums[0]), _euros(sums[1])
        label = w("workbook.belegliste.line-total", line=block.line, title=block.title)
        formulas = (f"SUM(C{first}:C{r - 1})", f"SUM(D{first}:D{r - 1})")
        yield _sum_row(r, label, formulas, (amount, net), st)
        self.last = (r, amount, net)
        self.r = r + 1

    def level(
        self, label: str, parts: list[tuple[int, Decimal, Decimal]], *, net: bool = True
    ) -> tuple[str, int, Decimal, Decimal]:
        """The sum row of a group, a phase or the whole list over the sums one level down."""
        rows = [row for row, _, _ in parts]
        amount = sum((a for _, a, _ in parts), ZERO)
        nets = sum((n for _, _, n in parts), ZERO)
        r = self.r
        self.r += 1
        formulas = (_sum_of("C", rows), _sum_of("D", rows))
        return _sum_row(r, label, formulas, (amount, nets), self.st, net=net), r, amount, nets

    def expenditure(self) -> Iterator[str]:
        """The counted vouchers by phase, group and line, each with its sum, and the total."""
        w, st = self.w, self.st
        blocks = st.blocks
        phases: list[tuple[int, Decimal, Decimal]] = []
        for phase in blocks.phases:
            title = (
                w("workbook.belegliste.phase", phase=phase.phase, title=phase.title)
                if phase.phase is not None
                else w("workbook.belegliste.unplanned")
            )
            yield _label_row(self.r, title, st)
            self.r += 1
            sums: list[tuple[int, Decimal, Decimal]] = []
            for group in phase.groups:
                if group.group is not None:
                    yield _label_row(self.r, group.group, st)
                    self.r += 1
                lines: list[tuple[int, Decimal, Decimal]] = []
                for block in group.lines:
                    yield from self.line(block)
                    lines.append(self.last)
                if group.group is None:
                    sums.extend(lines)
                    continue
                label = w("workbook.belegliste.group-total", group=group.group)
                xml, row, amount, net = self.level(label, lines)
                yield xml
                sums.append((row, amount, net))
            label = (
                w("workbook.belegliste.phase-total", phase=phase.phase, title=phase.title)
                if phase.phase is not None
                else w("workbook.belegliste.unplanned-total")
            )
            xml, row, amount, net = self.level(label, sums)
            yield xml
            phases.append((row, amount, net))
        proof = self.report.proof_of_use
        if phases:
            label = w("workbook.vouchers.total", count=len(proof.vouchers))
            yield self.level(label, phases)[0]
            return
        note = w(
            "workbook.vouchers.none-recorded"
            if not proof.evaluated
            else "workbook.vouchers.none-counted"
        )
        yield f'<row r="{self.r}">' + _text_cell(f"A{self.r}", note) + "</row>"
        self.r += 1

    def income(self) -> Iterator[str]:
        """The income up to the key date, by funding source, each with its sum, and the total."""
        w, st = self.w, self.st
        blocks = st.blocks
        if not blocks.income:
            return
        self.r += 1
        yield _label_row(self.r, w("workbook.belegliste.income"), st)
        self.r += 1
        column = "workbook.vouchers.column."
        labels = {
            "A": w(column + "voucher"),
            "B": w("workbook.belegliste.received-on"),
            "C": w(column + "amount"),
            "E": w("workbook.belegliste.source"),
            "F": w("workbook.belegliste.payer"),
            "G": w(column + "purpose"),
            "H": w(column + "kind"),
            "J": w(column + "origin"),
        }
        yield (
            f'<row r="{self.r}">'
            + "".join(_text_cell(f"{c}{self.r}", label, st.bold) for c, label in labels.items())
            + "</row>"
        )
        self.r += 1
        kinds = {k: w(f"source-kind.{k}") for k in ("third_party", "other_public", "own_funds")}
        sums: list[tuple[int, Decimal, Decimal]] = []
        count = 0
        for block in blocks.income:
            kind = kinds.get(block.kind, block.kind)
            name = (
                w("workbook.belegliste.income-source", source=block.source, title=block.title)
                if block.source is not None
                else w("workbook.belegliste.income-unplanned", kind=kind)
            )
            yield _label_row(self.r, name, st)
            self.r += 1
            first = r = self.r
            for entry in block.entries:
                yield (
                    f'<row r="{r}">'
                    + _text_cell(f"A{r}", entry.id)
                    + _date_cell(f"B{r}", entry.received_on, st.date)
                    + _number_cell(f"C{r}", entry.amount, st.money)
                    + _text_cell(f"E{r}", entry.source)
                    + _text_cell(f"F{r}", entry.payer)
                    + _text_cell(f"G{r}", entry.purpose)
                    + _text_cell(f"H{r}", kind)
                    + _text_cell(f"J{r}", entry.origin)
                    + "</row>"
                )
                r += 1
            count += len(block.entries)
            amount = sum((e.amount for e in block.entries), ZERO)
            label = w("workbook.belegliste.income-total-source", name=name)
            formulas = (f"SUM(C{first}:C{r - 1})", None)
            yield _sum_row(r, label, formulas, (amount, ZERO), st, net=False)
            sums.append((r, amount, ZERO))
            self.r = r + 1
        label = w("workbook.belegliste.income-total", count=count)
        yield self.level(label, sums, net=False)[0]

    def rest(self) -> Iterator[str]:
        """Income after the key date, the excluded vouchers and those after the key date."""
        w, st = self.w, self.st
        later, later_sum = st.blocks.income_after
        if later:
            self.r += 1
            yield (
                f'<row r="{self.r}">'
                + _text_cell(f"A{self.r}", w("workbook.belegliste.income-after", count=later))
                + _number_cell(f"C{self.r}", later_sum, st.money)
                + "</row>"
            )
            self.r += 1
        yield from _excluded_rows(self.report, self.r, st, self.words)


def _excluded_rows(report: Report, r: int, st: _Styles, words: _RowWords) -> Iterator[str]:
    """The excluded vouchers with their reasons and sums, then those after the key date.

    From row ``r`` on, after a gap.
    """
    proof = report.proof_of_use
    w = words.w
    if proof.excluded:
        r += 1
        yield _label_row(r, w("workbook.vouchers.excluded"), st)
        r += 1
        column = "workbook.vouchers.column."
        labels = {
            "A": w(column + "voucher"),
            "B": w(column + "paid-on"),
            "C": w(column + "amount"),
            "D": w("workbook.vouchers.counted"),
            "E": w(column + "line"),
            "F": w("workbook.vouchers.check"),
            "G": w("workbook.vouchers.reason"),
            "J": w(column + "origin"),
        }
        yield (
            f'<row r="{r}">'
            + "".join(_text_cell(f"{c}{r}", label, st.bold) for c, label in labels.items())
            + "</row>"
        )
        r += 1
        for excluded in proof.excluded:
            yield _excluded_row(r, excluded, st, words)
            r += 1
        if proof.totals is not None:
            sums = (
                (w("workbook.vouchers.excluded-total"), proof.totals.excluded),
                (w("workbook.vouchers.listed-total"), proof.totals.listed),
            )
            for label, value in sums:
                yield (
                    f'<row r="{r}">'
                    + _text_cell(f"A{r}", label, st.bold)
                    + _number_cell(f"C{r}", value, st.bold_money)
                    + "</row>"
                )
                r += 1
    count, amount = proof.after_key_date
    if count:
        r += 1
        yield (
            f'<row r="{r}">'
            + _text_cell(f"A{r}", w("workbook.after-key-date", count=count))
            + _number_cell(f"C{r}", amount, st.money)
            + "</row>"
        )


def _excluded_row(r: int, e: ExcludedVoucher, st: _Styles, words: _RowWords) -> str:
    return "".join(
        (
            f'<row r="{r}">',
            _text_cell(f"A{r}", e.voucher),
            _date_cell(f"B{r}", e.paid_on, st.date),
            _number_cell(f"C{r}", e.amount, st.money),
            _text_cell(f"D{r}", words.yes if e.counted else words.no),
            _text_cell(f"E{r}", e.line),
            _text_cell(f"F{r}", words.checks.get(e.code, e.code)),
            _text_cell(f"G{r}", words.w.of(e.why)),
            _text_cell(f"J{r}", e.origin),
            "</row>",
        )
    )


def _voucher_rows(report: Report, st: _Styles, w: Words) -> Iterator[str]:
    """The Belegliste's rows from row 3 on, as XML, a row at a time.

    The expenditure by the plan's structure with the sums, the income, the excluded vouchers.
    """
    stream = _Stream(report, st, w)
    yield from stream.expenditure()
    yield from stream.income()
    yield from stream.rest()
