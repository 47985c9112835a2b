"""Excel export of a report: one workbook (.xlsx) for the grant manager and the funder.

The workbook speaks German (``lang="de"``, the default) or English (``lang="en"``): every
word in it — sheet names, headings, labels, statuses, the findings, the document's title —
comes from the message catalogues (``workbook.…`` and the shared keys), and the dates follow
the language. The sheets, by their German and English names:

* **Übersicht** (Overview) — the decision (recipient, funder, programme, file number, phases,
  rate, Höchstbetrag, rulebook, overrides, amendments), the key figures and the findings;
* **Finanzierungsplan** (Financing plan) — budget lines × budget years, per phase, with
  subtotals;
* **Mittelabrufplan** (Drawdown plan) — every call, paid out or planned, with the running sum
  per phase;
* **Verlauf** (History) — planned and actual/forecast expenditure and the calls, cumulated per
  month, with a line chart;
* **Eigenanteil** (Own share) — the own share per budget year against the council's budget;
* **Fristen** (Deadlines) — every deadline with its rule, source, shift and status;
* **Zahlenmäßiger Nachweis** (Financial proof) — income, expenditure and payment blocks of the
  proof of use and the interim proof per budget year in the federal layout (columns 2, 3, 5,
  6; rows 14–20);
* **Abstimmung** (Reconciliation) — every reconciliation check with both figures and the
  difference;
* **Belegliste** (Voucher list) — the vouchers that count, then those excluded, with the
  reason.

The figures are the library's: the exporter only lays them out. Amounts are written as numbers
with the format ``#,##0.00 "€"`` in both languages (Excel shows the separators the reader's
way) and dates as dates: ``DD.MM.YYYY`` in German, ``YYYY-MM-DD`` in English; a deadline's
weekday is German (``[$-407]``) or English (``[$-809]``, en-GB). Totals a funder checks are live
formulas (``=SUM(...)``) with the library's figure beside them, headed ``laut Berechnung``
(``as computed``); formulas and defined names that refer to a sheet use its name in the
workbook's language. Every formula cell stores its value too (`formulas`), so a reader that
does not calculate (pandas, python-calamine, ``data_only=True``, a file preview) sees the
totals; Excel and LibreOffice calculate them again. What the user and the rulebooks wrote
(names, titles, purposes, legal references) is quoted as it is, in every language. User text
is always stored as text: a recipient called ``=HYPERLINK(...)`` stays those characters.

The constants ``SHEETS``, ``VOUCHER_COLUMNS``, ``CHECK``, ``DATE_FORMAT``,
``WEEKDAY_FORMAT``, ``MONTH_FORMAT`` and ``DAYS_FORMAT`` are the German workbook's; the
functions [`sheet_names`][foerdermittel.export.excel.sheet_names],
[`voucher_columns`][foerdermittel.export.excel.voucher_columns],
[`check_heading`][foerdermittel.export.excel.check_heading] and
[`cell_formats`][foerdermittel.export.excel.cell_formats] give them for a language.

The same report gives the same bytes: the document's dates are the key date, every zip entry
carries the same timestamp, and nothing depends on the clock. The Belegliste is streamed into
the package row by row (inline strings, the styles openpyxl registered for the same formats),
so a ledger of 100,000 vouchers needs no workbook model in memory.
[`write`][foerdermittel.export.excel.write] builds the file in memory and renames it into place,
so an error never leaves half a workbook.

The package holds one concept per module: `cells` (number formats, styles, the row-by-row
sheet writer), one module per sheet (`overview`, `financing_plan`, `drawdown_plan`, `history`,
`own_share`, `deadlines`, `proof`, `reconciliation`), `vouchers` (the streamed Belegliste),
`formulas` (the values stored with the formulas) and `package` (the zip package, `to_bytes`,
`write`). The public names are the ones below.
"""

from foerdermittel.export.excel.cells import (
    CHECK,
    DATE_FORMAT,
    DAYS_FORMAT,
    MONEY_FORMAT,
    MONTH_FORMAT,
    PERCENT_FORMAT,
    WEEKDAY_FORMAT,
    CellFormats,
    cell_formats,
    check_heading,
)
from foerdermittel.export.excel.package import SHEETS, sheet_names, to_bytes, write
from foerdermittel.export.excel.vouchers import (
    VOUCHER_COLUMNS,
    WorkbookTooLargeError,
    voucher_columns,
)

__all__ = [
    "CHECK",
    "DATE_FORMAT",
    "DAYS_FORMAT",
    "MONEY_FORMAT",
    "MONTH_FORMAT",
    "PERCENT_FORMAT",
    "SHEETS",
    "VOUCHER_COLUMNS",
    "WEEKDAY_FORMAT",
    "CellFormats",
    "WorkbookTooLargeError",
    "cell_formats",
    "check_heading",
    "sheet_names",
    "to_bytes",
    "voucher_columns",
    "write",
]
