"""The cells of the streamed Belegliste as sheet XML: inline text, numbers, dates, sums.

The rows are written as text, not through openpyxl's cell objects: an inline-string cell
escapes what XML must not hold and cleans what a worksheet must not hold (control characters,
text beyond a cell's length); a column of texts that holds none of that is written as it is,
checked once (``_text_cells``). Numbers are written as ``Decimal`` writes them, from integer
cents where the rows read the voucher columns; dates as Excel's serial day numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from foerdermittel.export.excel.cells import _MAX_TEXT, _clean

__all__: list[str] = []

_EXCEL_EPOCH = date(1899, 12, 30).toordinal()


_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _text_cell(ref: str, text: str | None, style: int = 0) -> str:
    """An inline-string cell (XML-escaped); empty text gives no cell."""
    if not text:
        return ""
    return f'<c r="{ref}"{_text_rest(text, style)}'


def _text_rest(text: str, style: int = 0) -> str:
    """An inline-string cell after its reference: written once for text that many rows share.

    >>> _text_rest("B-1.1")
    ' t="inlineStr"><is><t>B-1.1</t></is></c>'
    """
    body = text
    if len(text) > _MAX_TEXT or _SPECIAL.search(text):
        text = _clean(text)
        body = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        body = body.replace("\r", "&#13;")
    space = ' xml:space="preserve"' if text[0] in " \t\n\r" or text[-1] in " \t\n\r" else ""
    s = f' s="{style}"' if style else ""
    return f'{s} t="inlineStr"><is><t{space}>{body}</t></is></c>'


def _number_cell(ref: str, value: Decimal | None, style: int) -> str:
    if value is None:
        return ""
    return f'<c r="{ref}" s="{style}"><v>{value:f}</v></c>'


def _date_cell(ref: str, day: date, style: int) -> str:
    return f'<c r="{ref}" s="{style}"><v>{day.toordinal() - _EXCEL_EPOCH}</v></c>'


_MAX_FORMULA = 8_192  # the longest formula a cell holds (characters)


def _sum_of(column: str, rows: list[int]) -> str | None:
    """The sum of single cells of a column (the sums one level down) as ``C5+C9``.

    ``None`` where the formula would be longer than a cell's formula can be (about 900 sums
    in one group or phase): the row then holds the value without a formula.

    >>> _sum_of("C", [5, 9])
    'C5+C9'
    >>> _sum_of("C", list(range(100_000, 102_000))) is None
    True
    """
    formula = "+".join(f"{column}{r}" for r in rows)
    return formula if len(formula) < _MAX_FORMULA else None


def _cents_text(cents: int) -> str:
    """An amount in integer cents as the sheet's number, as ``f"{Decimal:f}"`` writes it.

    >>> _cents_text(123456), _cents_text(-50), _cents_text(0)
    ('1234.56', '-0.50', '0.00')
    """
    whole, part = divmod(-cents if cents < 0 else cents, 100)
    return f"{'-' if cents < 0 else ''}{whole}.{part:02d}"


_INLINE = ' t="inlineStr"><is><t>'


def _plain(texts: list[str | None] | None) -> bool:
    """Whether every text of a column is written as it is (``_text_rest`` changes none).

    No character to escape or clean, none too long, none that starts or ends with a blank.
    """
    if texts is None:
        return True
    given = [text for text in texts if text]
    joined = "\n".join(given)  # a line break is neither escaped nor cleaned
    return (
        _SPECIAL.search(joined) is None
        and max(map(len, given), default=0) <= _MAX_TEXT
        and list(map(str.strip, given)) == given
    )


def _text_cells(texts: list[str | None] | None, column: str) -> Callable[[int, int], str]:
    """A function giving the text cell of ``texts[i]`` in row ``r`` of ``column``."""
    if texts is None:
        return lambda r, i: ""
    if _plain(texts):
        return lambda r, i: (
            f'<c r="{column}{r}"{_INLINE}{texts[i]}</t></is></c>' if texts[i] else ""
        )
    return lambda r, i: _text_cell(f"{column}{r}", texts[i])
