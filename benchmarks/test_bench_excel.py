"""Excel export of a report with 100,000 vouchers, against XlsxWriter writing the same cells.

The report is built once (outside the timed part); each round times one XlsxWriter workbook
in ``constant_memory`` mode with the Belegliste's cells only (12 columns, same formats) and
then one ``excel.to_bytes`` (the whole workbook: every sheet, the Belegliste streamed), and
prints library/XlsxWriter. The XlsxWriter floor needs the ``bench`` extra (``pip install -e
".[bench]"``); without it the library is timed alone. Peak memory: ``python
benchmarks/excel_memory.py``.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

import foerdermittel as fm
from foerdermittel.export import excel

from .ratios import ratio_figures
from .vouchers import bochum_without_ledger, vouchers

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"
COUNT = 100_000


def report_with_vouchers(count: int = COUNT) -> fm.Report:
    """The Bochum case with ``count`` deterministic vouchers inside the phases, evaluated."""
    case = bochum_without_ledger()
    case = case.model_copy(update={"expenditures": tuple(vouchers(case, count))})
    return fm.evaluate(case, date(2026, 11, 26))


@pytest.fixture(scope="module")
def report() -> fm.Report:
    return report_with_vouchers()


def xlsxwriter_vouchers(
    report: fm.Report, vouchers: Sequence[fm.Expenditure] | None = None
) -> bytes:
    """The Belegliste's cells written with XlsxWriter in constant_memory mode.

    ``vouchers``: the report's vouchers built once beforehand (the report holds them as
    columns and builds each ``Expenditure`` when it is taken); without them they are taken
    from the report as the rows are written.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    workbook = xlsxwriter.Workbook(buffer, options)
    sheet = workbook.add_worksheet("Belegliste")
    money = workbook.add_format({"num_format": excel.MONEY_FORMAT})
    day = workbook.add_format({"num_format": excel.DATE_FORMAT})
    bold = workbook.add_format({"bold": True})
    for column, label in enumerate(excel.VOUCHER_COLUMNS):
        sheet.write_string(1, column, label, bold)
    kinds = {"expenditure": "Ausgabe", "credit": "Gutschrift"}
    listed = report.proof_of_use.vouchers if vouchers is None else vouchers
    for row, v in enumerate(listed, 2):
        sheet.write_string(row, 0, v.id)
        sheet.write_datetime(row, 1, v.paid_on, day)
        sheet.write_number(row, 2, v.amount, money)
        if v.net_amount is not None:
            sheet.write_number(row, 3, v.net_amount, money)
        sheet.write_string(row, 4, v.line)
        texts = (
            (5, v.payee),
            (6, v.purpose),
            (8, v.reference),
            (9, v.origin),
            (10, v.invoice_number),
        )
        for column, text in texts:
            if text:
                sheet.write_string(row, column, text)
        sheet.write_string(row, 7, kinds[v.kind])
        if v.invoice_date is not None:
            sheet.write_datetime(row, 11, v.invoice_date, day)
    workbook.close()
    return buffer.getvalue()


def test_excel_export_100000_vouchers(benchmark: BenchmarkFixture, report: fm.Report) -> None:
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        floor = False
    else:
        floor = True
    built = tuple(report.proof_of_use.vouchers)  # as the floor has them: not timed
    library: list[float] = []
    xlsxwriter_times: list[float] = []

    def floor_round() -> None:  # runs untimed by the fixture before each library round
        if floor:
            began = time.perf_counter()
            assert xlsxwriter_vouchers(report, built)[:2] == b"PK"
            xlsxwriter_times.append(time.perf_counter() - began)

    def library_round() -> bytes:
        began = time.perf_counter()
        data = excel.to_bytes(report)
        library.append(time.perf_counter() - began)
        return data

    data = benchmark.pedantic(library_round, setup=floor_round, rounds=3, iterations=1)
    assert len(report.proof_of_use.vouchers) == COUNT
    assert data[:2] == b"PK"
    if not floor:
        return
    figures = ratio_figures(library, xlsxwriter_times)
    benchmark.extra_info.update(figures)
    print(
        f"\nworkbook, 100,000 vouchers: library {figures['library_min_s']:.2f} s (median "
        f"{figures['library_median_s']:.2f} s), XlsxWriter constant_memory, the Belegliste's "
        f"cells {figures['floor_min_s']:.2f} s (median "
        f"{figures['floor_median_s']:.2f} s); library/XlsxWriter "
        f"{figures['ratio_min']:.2f} (medians {figures['ratio_median']:.2f})"
    )
