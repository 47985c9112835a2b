"""Exports of a finished report (renderers only read a [`Report`][foerdermittel.report.Report]).

Importing this package registers the views the result types show through
([`foerdermittel.views`][foerdermittel.views]): HTML for Jupyter, the comparison's text,
DataFrames and charts. ``import foerdermittel`` imports it; the modules it names import
pandas and matplotlib only when a frame or a chart is asked for.
"""

from foerdermittel.drawdowns import DrawdownPlan
from foerdermittel.export import frames, html, plots, text
from foerdermittel.financing import Financing
from foerdermittel.own_share_plan import OwnSharePlan
from foerdermittel.proof import ProofOfUse
from foerdermittel.report import Report
from foerdermittel.scenarios import ComparisonTable
from foerdermittel.views import register_view

__all__: list[str] = []

register_view("html", Report, html.report_html)
register_view("html", DrawdownPlan, html.drawdowns_html)
register_view("html", Financing, html.financing_html)
register_view("html", OwnSharePlan, html.own_share_html)
register_view("html", ProofOfUse, html.proof_html)
register_view("html", ComparisonTable, html.comparison_html)
register_view("text", ComparisonTable, text.comparison_text)
register_view("frame", Report, frames.to_frame)
register_view("frame", ComparisonTable, frames.comparison_frame)
register_view("plot", Report, plots.plot)
