"""The Verlauf: planned and actual/forecast expenditure and the calls per month, with a chart."""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference
from openpyxl.chart.axis import DateAxis
from openpyxl.chart.legend import Legend
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.export.excel.cells import _Day, _page, _Sheet
from foerdermittel.messages import Words
from foerdermittel.report import Report


def _history(ws: Worksheet, report: Report, w: Words) -> None:
    """Monthly planned, actual/forecast expenditure and calls, cumulated, with a line chart."""
    s = _Sheet(ws, w, [11, 11, 18, 18, 18, 18, 18, 18])
    month = s.formats.month
    s.title(w("workbook.history.title"))
    header = s.header(
        [
            w("workbook.history.month"),
            w("workbook.word.kind"),
            w("workbook.history.planned"),
            w("workbook.history.expected"),
            w("workbook.history.called"),
            w("workbook.history.planned-total"),
            w("workbook.history.expected-total"),
            w("workbook.history.called-total"),
        ]
    )
    actual, projected = w("text.proof.payments.actual"), w("text.proof.payments.projected")
    for flow in report.flows:
        s.add(
            [
                _Day(flow.month, month),
                actual if flow.actual else projected,
                flow.planned,
                flow.expected,
                flow.called,
                flow.planned_total,
                flow.expected_total,
                flow.called_total,
            ]
        )
    last = s.row - 1
    ws.auto_filter.ref = f"A{header}:H{max(last, header)}"
    if last > header:
        _month_chart(
            ws,
            w,
            w("workbook.history.chart"),
            month,
            w("workbook.history.month"),
            Reference(ws, min_col=6, max_col=8, min_row=header, max_row=last),
            Reference(ws, min_col=1, min_row=header + 1, max_row=last),
            "J3",
        )
    _page(s, report, title_rows="1:2", freeze="A3")


def _month_chart(
    ws: Worksheet,
    w: Words,
    title: str,
    month_format: str,
    month_title: str,
    data: Reference,
    months: Reference,
    anchor: str,
) -> None:
    """A line chart of amounts by month (series titled by their header cells) at ``anchor``."""
    chart = LineChart()
    chart.title = title
    chart.style = 2
    chart.height = 11
    chart.width = 24
    chart.y_axis.title = w("workbook.history.axis-amount")
    chart.y_axis.number_format = '#,##0 "€"'
    chart.y_axis.crossAx = 500
    chart.x_axis = DateAxis(crossAx=100)
    chart.x_axis.number_format = month_format
    chart.x_axis.majorTimeUnit = "months"
    chart.x_axis.title = month_title
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend = Legend(legendPos="b")
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(months)
    for series in chart.series:
        series.smooth = False
    ws.add_chart(chart, anchor)
