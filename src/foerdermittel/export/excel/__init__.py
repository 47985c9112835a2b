"""Excel export of a report: one workbook (.xlsx) for the grant manager and the funder.

Sheets, all labelled in German:

* **Übersicht** — the decision (recipient, funder, programme, file number, phases, rate,
  Höchstbetrag, rulebook, overrides, amendments), the key figures and the findings;
* **Finanzierungsplan** — budget lines × budget years, per phase, with subtotals;
* **Mittelabrufplan** — every call, paid out or planned, with the running sum per phase;
* **Verlauf** — planned and actual/forecast expenditure and the calls, cumulated per month,
  with a line chart;
* **Eigenanteil** — the own share per budget year against the council's budget;
* **Fristen** — every deadline with its rule, source, shift and status;
* **Zahlenmäßiger Nachweis** — income, expenditure and payment blocks of the proof of use and
  the interim proof per budget year in the federal layout (columns 2, 3, 5, 6; rows 14–20);
* **Abstimmung** — every reconciliation check with both figures and the difference;
* **Belegliste** — the vouchers that count, then those excluded, with the reason.

The figures are the library's: the exporter only lays them out. Amounts are written as numbers
with the format ``#,##0.00 "€"`` and dates as dates (``DD.MM.YYYY``); Excel and LibreOffice
show them the German way. Totals a funder checks are live formulas (``=SUM(...)``) with the
library's figure beside them, headed ``laut Berechnung``. User text (names, titles, purposes)
is always stored as text: a recipient called ``=HYPERLINK(...)`` stays those characters.

The same report gives the same bytes: the document's dates are the key date, every zip entry
carries the same timestamp, and nothing depends on the clock. The Belegliste is streamed into
the package row by row (inline strings, the styles openpyxl registered for the same formats),
so a ledger of 100,000 vouchers needs no workbook model in memory.
[`write`][foerdermittel.export.excel.write] builds the file in memory and renames it into place,
so an error never leaves half a workbook.

The package holds one concept per module: `cells` (number formats, styles, the row-by-row
sheet writer), one module per sheet (`overview`, `financing_plan`, `drawdown_plan`, `history`,
`own_share`, `deadlines`, `proof`, `reconciliation`), `vouchers` (the streamed Belegliste) and
`package` (the zip package, `to_bytes`, `write`). The public names are the ones below.
"""

from foerdermittel.export.excel.cells import (
    CHECK,
    DATE_FORMAT,
    DAYS_FORMAT,
    MONEY_FORMAT,
    MONTH_FORMAT,
    PERCENT_FORMAT,
    WEEKDAY_FORMAT,
)
from foerdermittel.export.excel.package import SHEETS, to_bytes, write
from foerdermittel.export.excel.vouchers import VOUCHER_COLUMNS, WorkbookTooLargeError

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
    "WorkbookTooLargeError",
    "to_bytes",
    "write",
]
