"""Charts of a report with matplotlib (optional extra ``plot``), in German or English.

* ``flows``: cumulative planned expenditure, cumulative actual (and forecast) expenditure and
  cumulative calls of grant money over time, month by month.
* ``own_share``: the own share per budget year, the in-kind part and ineligible costs stacked,
  with the council's budget as markers where the case states it.

The values are the library's; converting them to floating point happens only here, for
drawing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from foerdermittel.errors import ArgumentError
from foerdermittel.forecasting import month_end
from foerdermittel.messages import DEFAULT_LANGUAGE, Words

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from foerdermittel.report import Report

__all__ = ["plot"]


def _euro(w: Words) -> Callable[[float, Any], str]:
    """An axis label for euros in the language of ``w``: ``1,5 Mio. €`` or ``€1.5m``."""
    from babel.numbers import format_decimal

    locale = w.language.locale

    def label(value: float, _: Any) -> str:
        if abs(value) >= 1_000_000:
            figure = format_decimal(value / 1_000_000, format="#,##0.0", locale=locale)
            return w("plot.millions", figure=figure)
        return w("plot.euros", figure=format_decimal(value, format="#,##0", locale=locale))

    return label


def plot(
    report: Report, kind: str = "flows", ax: Axes | None = None, *, lang: str = DEFAULT_LANGUAGE
) -> Axes:
    """Draw ``kind`` (``flows`` or ``own_share``) into ``ax`` (a new figure if none).

    The titles, legends and axis labels are in ``lang`` (``de``, the default, or ``en``).

    Raises:
        ArgumentError: an unknown kind (a ``ValueError``).
        ImportError: matplotlib is not installed (extra ``plot``).
    """
    try:
        import matplotlib.dates as mdates
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FuncFormatter
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportError(
            "Diagramme brauchen matplotlib: pip install 'foerdermittel[plot]'"
        ) from exc
    if kind not in {"flows", "own_share"}:
        raise ArgumentError(
            "plot", "kind", kind, "unbekannte Darstellung; gültig sind: flows, own_share"
        )
    w = Words(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.5))
    if kind == "flows":
        flows = report.flows
        days: Any = [month_end(f.month) for f in flows]  # matplotlib converts dates itself
        ax.plot(days, [float(f.planned_total) for f in flows], label=w("plot.flows.planned"))
        ax.plot(
            days,
            [float(f.expected_total) for f in flows],
            label=w("plot.flows.expected"),
        )
        ax.step(
            days,
            [float(f.called_total) for f in flows],
            where="post",
            label=w("plot.flows.called"),
        )
        key_date: Any = report.as_of
        ax.axvline(key_date, color="grey", linestyle=":", label=w("plot.flows.as-of"))
        ax.xaxis.set_major_formatter(cast(Any, mdates).DateFormatter("%m/%Y"))
        ax.set_title(w("plot.flows.title"))
    else:
        years = report.own_share.years
        labels = [str(y.year) for y in years]
        cash = [float(y.cash) for y in years]
        in_kind = [float(y.in_kind) for y in years]
        ineligible = [float(y.ineligible) for y in years]
        ax.bar(labels, cash, label=w("plot.own-share.cash"))
        ax.bar(labels, in_kind, bottom=cash, label=w("plot.own-share.in-kind"))
        bottoms = [c + k for c, k in zip(cash, in_kind, strict=True)]
        ax.bar(labels, ineligible, bottom=bottoms, label=w("plot.own-share.ineligible"))
        budget = [(str(y.year), float(y.budgeted)) for y in years if y.budgeted is not None]
        if budget:
            ax.scatter(
                [b[0] for b in budget],
                [b[1] for b in budget],
                color="black",
                marker="_",
                s=400,
                label=w("plot.own-share.budgeted"),
                zorder=3,
            )
        ax.set_title(w("plot.own-share.title"))
    ax.yaxis.set_major_formatter(FuncFormatter(_euro(w)))
    ax.legend(loc="upper left", fontsize="small")
    ax.grid(alpha=0.3)
    return ax
