"""Exports of a finished report (renderers only read a [`Report`][foerdermittel.report.Report]).

Importing this package registers the views the result types show through
([`foerdermittel.views`][foerdermittel.views]): HTML for Jupyter, the comparison's text,
DataFrames and charts. ``import foerdermittel`` imports it. The registration itself waits
until a view is first looked up ([`defer_views`][foerdermittel.views.defer_views]): only then
are the renderers and the result types they show imported, so the import stays light. The
modules it names import pandas and matplotlib only when a frame or a chart is asked for; each
of them is also reached as an attribute (``foerdermittel.export.frames``), imported on first
use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from foerdermittel.views import defer_views, register_view

if TYPE_CHECKING:
    from types import ModuleType

__all__: list[str] = []

_MODULES = frozenset(
    {"excel", "frames", "html", "ical", "plots", "portfolio_ical", "portfolio_text", "text"}
)


def _register() -> None:
    """Register the views of the result types (called before the first view is looked up)."""
    from foerdermittel.drawdowns import DrawdownPlan
    from foerdermittel.export import frames, html, plots, portfolio_text, text
    from foerdermittel.financing import Financing
    from foerdermittel.own_share_plan import OwnSharePlan
    from foerdermittel.portfolio import PortfolioReport
    from foerdermittel.proof import ProofOfUse
    from foerdermittel.report import Report
    from foerdermittel.scenarios import ComparisonTable

    register_view("html", Report, html.report_html)
    register_view("html", DrawdownPlan, html.drawdowns_html)
    register_view("html", Financing, html.financing_html)
    register_view("html", OwnSharePlan, html.own_share_html)
    register_view("html", ProofOfUse, html.proof_html)
    register_view("html", ComparisonTable, html.comparison_html)
    register_view("html", PortfolioReport, html.portfolio_html)
    register_view("text", PortfolioReport, portfolio_text.render_portfolio)
    register_view("text", ComparisonTable, text.comparison_text)
    register_view("frame", Report, frames.to_frame)
    register_view("frame", ComparisonTable, frames.comparison_frame)
    register_view("frame", PortfolioReport, frames.portfolio_frame)
    register_view("plot", Report, plots.plot)


defer_views(_register)


def __getattr__(name: str) -> ModuleType:
    """The renderer modules as attributes, imported on first use (PEP 562)."""
    if name in _MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
