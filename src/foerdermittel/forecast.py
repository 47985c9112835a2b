"""Deprecated: this module is now [`foerdermittel.forecasting`][foerdermittel.forecasting].

Importing it warns with a ``DeprecationWarning``; its names are those of the new module, and
the module can be called like [`foerdermittel.forecast`][foerdermittel.forecasting.forecast].
"""

from foerdermittel._moved import moved
from foerdermittel.forecasting import (
    Forecast as Forecast,
)
from foerdermittel.forecasting import (
    LineForecast as LineForecast,
)
from foerdermittel.forecasting import (
    MonthAmount as MonthAmount,
)
from foerdermittel.forecasting import (
    MonthAmounts as MonthAmounts,
)
from foerdermittel.forecasting import (
    forecast as forecast,
)
from foerdermittel.forecasting import (
    month_end as month_end,
)
from foerdermittel.forecasting import (
    months_of as months_of,
)

__all__ = [
    "Forecast",
    "LineForecast",
    "MonthAmount",
    "MonthAmounts",
    "forecast",
    "month_end",
    "months_of",
]

moved(__name__, "foerdermittel.forecasting", forecast)
