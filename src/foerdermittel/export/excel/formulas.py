"""The stored values of the workbook's formulas: every formula cell carries its result.

A formula cell is written as ``<c r="B24"><f>B20+B21+B22+B23</f><v>9880000</v></c>``: the
formula, which Excel and LibreOffice calculate again when they open the file, and its value,
which a reader that does not calculate (openpyxl with ``data_only=True``, pandas,
python-calamine, file previews, a funder's import script) shows as it is. openpyxl writes an
empty ``<v/>``; the package fills it in as it stores the sheet (`_insert_values`), and the
streamed Belegliste writes its values itself (``cells._formula_cell_xml``).

**Which value.** The value stored is the formula's own result over the cells of its sheet as
they are written (`_formula_values`), never a figure from elsewhere: a reader that does not
calculate and one that does see the same number in the same cell. Where the renderer knows
the library's figure for a formula (``_Formula(..., value=...)``: the ``laut Berechnung``
figure beside it, a total it wrote), that figure is what the result must come to; the tests
compare the two for the Bochum workbook and for random cases (`_mismatches`). A difference is
not hidden by storing the library's figure instead: the workbook is written with the
formula's result, and the library's figure stays in its own cell beside it (and in the
Abstimmung), where every reader sees that the two disagree.

**Which formulas.** Exactly the small language the sheets use; anything else raises
`FormulaError` when the workbook is written, so that no formula is ever stored without its
value::

    formula = term *( ("+" / "-") term )
    term    = cell / "SUM(" cell ":" cell ")"
    cell    = column letters and row number on the same sheet (B20; no $, no sheet name)

A cell counts as Excel counts it: an empty cell 0, a number its value, a formula its value.
Text inside a ``SUM`` range is skipped (Excel skips it); text, a date or a truth value as a
term of ``+``/``-`` and a date or truth value inside a range are refused (no formula of the
workbook adds them). Values are computed in ``Decimal`` from the cells' values (the library's
``Decimal`` amounts, percentages as fractions, day counts as integers), so a sum of amounts is
exact to the cent, and stored as the shortest text of the nearest double
(``cells._number_text``: ``98181.82``), which is how Excel reads any number. No formula yields
a date; one that did would need its value as a day serial and is refused today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.export.excel.cells import _FIGURES, _number_text

_REF = "([A-Z]{1,3})([1-9][0-9]{0,6})"
_TERM = re.compile(rf"([+-]?)(?:SUM\({_REF}:{_REF}\)|{_REF})")

_Term = tuple[int, int, int, int, int]
"""A term: sign (1 or -1), first row, first column, last row, last column (one cell: equal)."""


class FormulaError(ValueError):
    """A formula the workbook cannot store a value for: outside the language the sheets use.

    An error of the exporter, not of the input: every formula the sheets write must be one of
    the forms in this module's docstring.
    """


def _parse(text: str) -> list[_Term]:
    """The terms of a formula (without ``=``), or `FormulaError`."""
    terms: list[_Term] = []
    at = 0
    while at < len(text):
        match = _TERM.match(text, at)
        if match is None or (not terms and match.group(1)) or (terms and not match.group(1)):
            raise FormulaError(f"nicht unterstützt ab Zeichen {at + 1}")
        sign = -1 if match.group(1) == "-" else 1
        first_col, first_row, last_col, last_row, col, row = match.groups()[1:]
        if col is not None:
            c, r = column_index_from_string(col), int(row)
            terms.append((sign, r, c, r, c))
        else:
            top, left = int(first_row), column_index_from_string(first_col)
            bottom, right = int(last_row), column_index_from_string(last_col)
            if bottom < top or right < left:
                raise FormulaError(f"Bereich {first_col}{first_row}:{last_col}{last_row} verkehrt")
            terms.append((sign, top, left, bottom, right))
        at = match.end()
    if not terms:
        raise FormulaError("leere Formel")
    return terms


class _Evaluation:
    """The formulas of one worksheet evaluated over its cells as written."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.cells = ws._cells  # reading a cell must not create one
        self.results: dict[tuple[int, int], Decimal] = {}
        self.busy: set[tuple[int, int]] = set()

    def where(self, row: int, column: int) -> str:
        return f"{self.ws.title}!{get_column_letter(column)}{row}"

    def formula(self, row: int, column: int) -> Decimal:
        """The value of the formula cell at (row, column)."""
        key = (row, column)
        done = self.results.get(key)
        if done is not None:
            return done
        text = str(self.cells[key].value)[1:]
        if key in self.busy:
            raise FormulaError(f"{self.where(row, column)} ={text}: Zirkelbezug")
        self.busy.add(key)
        try:
            terms = _parse(text)
        except FormulaError as error:
            raise FormulaError(f"{self.where(row, column)} ={text}: {error}") from None
        result = Decimal(0)
        for sign, top, left, bottom, right in terms:
            single = top == bottom and left == right
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    value = self.value(r, c, in_range=not single, formula=(row, column, text))
                    if value is not None:
                        result += sign * value
        self.busy.discard(key)
        self.results[key] = result
        return result

    def value(
        self, row: int, column: int, *, in_range: bool, formula: tuple[int, int, str]
    ) -> Decimal | None:
        """A referenced cell's number (``None``: skipped, as text in a range)."""
        cell = self.cells.get((row, column))
        if cell is None or cell.value is None:
            return Decimal(0)
        kind = cell.data_type
        if kind == "f":
            return self.formula(row, column)
        if kind == "n" and not isinstance(cell.value, bool):
            value = cell.value
            if isinstance(value, float):  # the library writes none; as Python shows it
                return Decimal(repr(value))
            assert isinstance(value, Decimal | int)
            return Decimal(value)
        if kind in ("s", "inlineStr") and in_range:
            return None  # SUM skips text
        at, column_at, text = formula
        raise FormulaError(
            f"{self.where(at, column_at)} ={text}: {self.where(row, column)} enthält "
            f"{type(cell.value).__name__}, keine Zahl"
        )


def _evaluate(ws: Worksheet) -> dict[tuple[int, int], Decimal]:
    """Every formula cell of ``ws`` with its value, by (row, column), in row order."""
    evaluation = _Evaluation(ws)
    cells = sorted(key for key, cell in evaluation.cells.items() if cell.data_type == "f")
    return {key: evaluation.formula(*key) for key in cells}


def _formula_values(ws: Worksheet) -> dict[str, str]:
    """The value to store with every formula cell of ``ws``: cell reference → number as text.

    Raises:
        FormulaError: a formula outside the language the sheets use.
    """
    return {
        f"{get_column_letter(column)}{row}": _number_text(value)
        for (row, column), value in _evaluate(ws).items()
    }


@dataclass(frozen=True)
class _Mismatch:
    """A formula whose result differs from the library's figure the renderer gave for it."""

    cell: str
    formula: str
    result: Decimal
    figure: Decimal


def _mismatches(ws: Worksheet) -> list[_Mismatch]:
    """The formulas of ``ws`` whose result is not the library's figure given with them."""
    figures = _FIGURES.get(ws, {})
    found: list[_Mismatch] = []
    for key, result in _evaluate(ws).items():
        figure = figures.get(key)
        if figure is None:
            continue
        if result != figure:
            row, column = key
            cell = f"{ws.title}!{get_column_letter(column)}{row}"
            formula = str(ws._cells[key].value)
            found.append(_Mismatch(cell, formula, result, Decimal(figure)))
    return found


_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]+)"([^>]*)><f>([^<]*)</f>(?:<v\s*/>|<v></v>)')
_ANY_FORMULA = re.compile(rb"<f[ >]")


def _insert_values(xml: bytes, values: dict[str, str], name: str) -> bytes:
    """The sheet XML openpyxl wrote, with the value of every formula cell filled in.

    Raises:
        FormulaError: a formula cell without a value, or a value without its cell.
    """
    if not values and _ANY_FORMULA.search(xml) is None:
        return xml
    used: list[str] = []

    def fill(match: re.Match[bytes]) -> bytes:
        ref = match.group(1).decode()
        value = values.get(ref)
        if value is None:
            raise FormulaError(f"{name} {ref}: Formel ohne Wert")
        used.append(ref)
        head = match.group(0)[: match.end(3) - match.start(0)]
        return head + b"</f><v>" + value.encode() + b"</v>"

    result = _FORMULA_CELL.sub(fill, xml)
    formulas = len(_ANY_FORMULA.findall(xml))
    if len(used) != len(values) or formulas != len(values):
        missing = sorted(set(values) - set(used))
        raise FormulaError(
            f"{name}: {formulas} Formeln, {len(values)} Werte, {len(used)} eingesetzt"
            + (f"; ohne Zelle: {', '.join(missing[:5])}" if missing else "")
        )
    return result
