"""foerdermittel — manage German public project grants (Zuwendungen) with code you can trust.

Load a case file, evaluate it on a key date, read the report::

    >>> import foerdermittel
    >>> case = foerdermittel.load_case("examples/bochum-mpsc.toml")
    >>> report = foerdermittel.evaluate(case)
    >>> report.financing.grant, report.financing.own_share
    (Decimal('9880000.00'), Decimal('5320000.00'))

Money is ``decimal.Decimal`` with two places, dates are ``datetime.date``; every rule of law
names its source. See ``docs/`` for the concepts and the glossary.

Exports that need heavier packages are imported on use: ``foerdermittel.export.excel``
(openpyxl), ``foerdermittel.export.ical`` (icalendar), ``foerdermittel.export.frames``
(pandas), ``foerdermittel.export.plots`` (matplotlib).

The names below are imported on first use (PEP 562): ``import foerdermittel`` loads the
registry of views only, not pydantic, the message catalogues, the case model, the
calculators, the rulebooks or the exports. ``from foerdermittel import X`` works for every name in
``__all__`` as it always did, and every submodule is reached as an attribute
(``foerdermittel.scenarios``).
"""

import importlib
from typing import TYPE_CHECKING, Any

# The renderers register the views the results show in Jupyter (``_repr_html_``), as frames
# and as charts, before the first view is looked up; the results themselves import no renderer
# (see ``foerdermittel.views``). Importing the export package only hands the registration
# over; it imports neither pydantic nor a renderer.
import foerdermittel.export  # noqa: F401
from foerdermittel._wording import register_renderer as _register_renderer

if TYPE_CHECKING:
    from foerdermittel import rules
    from foerdermittel.calendar import CalendarError, HolidayCalendar
    from foerdermittel.deadlines import (
        Deadline,
        DeadlineStatus,
        ShiftPolicy,
        derive_deadlines,
        month_end_after,
        period_end,
        shift,
    )
    from foerdermittel.drawdown_call import CallDocument, CallNotFoundError, call_document
    from foerdermittel.drawdowns import (
        Call,
        CallTiling,
        DrawdownPlan,
        PayoutCover,
        PhaseDrawdowns,
        call_tiling,
        payout_cover,
        plan_drawdowns,
        plan_tiling,
    )
    from foerdermittel.errors import (
        ArgumentError,
        ArgumentTypeError,
        CaseError,
        Finding,
        FoerdermittelError,
        NotFoundError,
        Problem,
        Severity,
        UnknownRuleError,
    )
    from foerdermittel.evaluation import evaluate
    from foerdermittel.export.call_text import render_call
    from foerdermittel.export.excel.call_sheet import write_call
    from foerdermittel.export.excel.portfolio import write_portfolio
    from foerdermittel.export.portfolio_ical import write_portfolio_ics
    from foerdermittel.export.portfolio_text import render_portfolio
    from foerdermittel.extension import LineTotal, extension_amendment, line_totals, with_extension
    from foerdermittel.financing import (
        Financing,
        PhaseFinancing,
        Reduction,
        check_financing,
        compute_financing,
        later_reduction,
    )
    from foerdermittel.flat_rates import (
        FlatRateAmount,
        FlatRateLine,
        check_flat_rates,
        flat_rate_amount,
        flat_rate_amounts,
        flat_rate_lines,
        flat_rate_split,
    )
    from foerdermittel.forecasting import Forecast, LineForecast, MonthAmount, forecast
    from foerdermittel.interest import (
        BaseRate,
        BaseRateTable,
        DayCount,
        InterestError,
        InterestResult,
        RateOrigin,
        base_rate_on,
        base_rates,
        compute_interest,
        load_base_rate_file,
    )
    from foerdermittel.io import (
        attach_base_rates,
        attach_ledger,
        case_json_schema,
        dump_case,
        load_case,
        loads_case,
        save_case,
    )
    from foerdermittel.io.ledger import Ledger, LedgerError, read_ledger, write_ledger_csv
    from foerdermittel.late_use import LateUseInterest, PayoutUse, late_use_interest
    from foerdermittel.limit_checks import check_limits
    from foerdermittel.model import (
        BudgetLine,
        Case,
        CostCategory,
        FinancingPlan,
        FinancingType,
        FundingSource,
        Grant,
        Phase,
        SourceKind,
    )
    from foerdermittel.model.amendments import (
        Amendment,
        ChangedValue,
        DecisionChange,
        LineChange,
        PhaseChange,
    )
    from foerdermittel.model.narrative import ProofKind, ProofNarrative
    from foerdermittel.model.records import (
        Expenditure,
        Income,
        InterimProofRequest,
        LedgerRef,
        Payout,
        Settings,
        Submission,
    )
    from foerdermittel.model.voucher_columns import VoucherColumns
    from foerdermittel.money import (
        CENT,
        ZERO,
        Money,
        NonNegativeMoney,
        Rate,
        allocate,
        cents,
        floor_cents,
        to_money,
        to_rate,
    )
    from foerdermittel.own_share_plan import OwnShareMonth, OwnSharePlan, OwnShareYear, own_share
    from foerdermittel.periods import Period, Span, budget_year
    from foerdermittel.portfolio import (
        Appropriation,
        BudgetAssignment,
        BudgetKind,
        City,
        DoubleClaim,
        GrantControlling,
        GrantInfo,
        Owner,
        Portfolio,
        PortfolioComparison,
        PortfolioComparisonRow,
        PortfolioDeadline,
        PortfolioEvaluationError,
        PortfolioReport,
        PortfolioScenario,
        PortfolioYear,
        PrefinancingMonth,
        ProductYear,
        compare_portfolio,
        evaluate_portfolio,
        load_portfolio,
        portfolio_json_schema,
        slip,
        sweep_portfolio,
    )
    from foerdermittel.proof import (
        InterimProof,
        LineResult,
        PhaseResult,
        ProofForm,
        ProofOfUse,
        VoucherTotals,
        proof_of_use,
        voucher_totals,
    )
    from foerdermittel.reconciliation import Check, Reconciliation, reconcile
    from foerdermittel.report import Report
    from foerdermittel.rules import Rulebook, RuleOverride
    from foerdermittel.scenarios import (
        AddThirdParty,
        ChangeRate,
        ComparisonRow,
        ComparisonTable,
        DropLine,
        ExtendPhase,
        Progress,
        ScaleLine,
        Scenario,
        SetActual,
        ShiftLine,
        compare,
        progress,
        sweep,
    )
    from foerdermittel.vouchers import ExcludedVoucher, check_vouchers


def _words_from_catalogues(item: Any, lang: str) -> str:
    """Give a message its words through the catalogues, imported on this first call.

    The catalogues give findings, checks and deadlines their words (``Finding.message``); the
    results themselves hold only data (see ``foerdermittel.message_types``). Once imported,
    ``foerdermittel.messages`` registers its own ``render`` in place of this function.
    """
    from foerdermittel.messages import render

    return render(item, lang)


_register_renderer(_words_from_catalogues)

__version__ = "0.1.0"

__all__ = [
    # evaluation
    "evaluate",
    "Report",
    # the document of one call (Mittelabruf)
    "call_document",
    "CallDocument",
    "CallNotFoundError",
    "render_call",
    "write_call",
    # the portfolio's outputs: overview, workbook, calendar
    "render_portfolio",
    "write_portfolio",
    "write_portfolio_ics",
    # case files
    "load_case",
    "loads_case",
    "dump_case",
    "save_case",
    "case_json_schema",
    "attach_ledger",
    "attach_base_rates",
    "read_ledger",
    "write_ledger_csv",
    "Ledger",
    "LedgerError",
    # model
    "Case",
    "Grant",
    "Phase",
    "FinancingType",
    "FinancingPlan",
    "BudgetLine",
    "CostCategory",
    "FundingSource",
    "SourceKind",
    "Amendment",
    "PhaseChange",
    "LineChange",
    "DecisionChange",
    "ChangedValue",
    "Payout",
    "Expenditure",
    "VoucherColumns",
    "Income",
    "LedgerRef",
    "Submission",
    "InterimProofRequest",
    "Settings",
    # financing
    "Financing",
    "PhaseFinancing",
    "Reduction",
    "compute_financing",
    "check_financing",
    "check_limits",
    "later_reduction",
    # flat rates (Pauschalen)
    "FlatRateAmount",
    "FlatRateLine",
    "check_flat_rates",
    "flat_rate_amount",
    "flat_rate_amounts",
    "flat_rate_lines",
    "flat_rate_split",
    # deadlines
    "Deadline",
    "DeadlineStatus",
    "ShiftPolicy",
    "derive_deadlines",
    "period_end",
    "month_end_after",
    "shift",
    "HolidayCalendar",
    "CalendarError",
    # money flows
    "Forecast",
    "LineForecast",
    "MonthAmount",
    "forecast",
    "DrawdownPlan",
    "PhaseDrawdowns",
    "Call",
    "plan_drawdowns",
    "PayoutCover",
    "payout_cover",
    "CallTiling",
    "call_tiling",
    "plan_tiling",
    "OwnSharePlan",
    "OwnShareYear",
    "OwnShareMonth",
    "own_share",
    "extension_amendment",
    "with_extension",
    "LineTotal",
    "line_totals",
    # proof of use
    "ProofForm",
    "ProofKind",
    "ProofNarrative",
    "ProofOfUse",
    "LineResult",
    "PhaseResult",
    "InterimProof",
    "ExcludedVoucher",
    "check_vouchers",
    "proof_of_use",
    "VoucherTotals",
    "voucher_totals",
    # reconciliation
    "Reconciliation",
    "Check",
    "reconcile",
    # scenarios
    "Scenario",
    "ScaleLine",
    "ShiftLine",
    "ExtendPhase",
    "AddThirdParty",
    "ChangeRate",
    "DropLine",
    "SetActual",
    "ComparisonTable",
    "ComparisonRow",
    "compare",
    "sweep",
    "Progress",
    "progress",
    # portfolio
    "Portfolio",
    "load_portfolio",
    "evaluate_portfolio",
    "portfolio_json_schema",
    "PortfolioReport",
    "PortfolioYear",
    "ProductYear",
    "PrefinancingMonth",
    "PortfolioDeadline",
    "GrantControlling",
    "GrantInfo",
    "DoubleClaim",
    "PortfolioEvaluationError",
    "compare_portfolio",
    "sweep_portfolio",
    "slip",
    "PortfolioScenario",
    "PortfolioComparison",
    "PortfolioComparisonRow",
    "Owner",
    "BudgetAssignment",
    "BudgetKind",
    "Appropriation",
    "City",
    # interest
    "BaseRate",
    "BaseRateTable",
    "DayCount",
    "InterestResult",
    "InterestError",
    "RateOrigin",
    "base_rates",
    "base_rate_on",
    "compute_interest",
    "load_base_rate_file",
    "LateUseInterest",
    "PayoutUse",
    "late_use_interest",
    # rules
    "rules",
    "Rulebook",
    "RuleOverride",
    # money and time
    "CENT",
    "ZERO",
    "Money",
    "NonNegativeMoney",
    "Rate",
    "to_money",
    "to_rate",
    "cents",
    "floor_cents",
    "allocate",
    "Period",
    "Span",
    "budget_year",
    # errors and findings
    "FoerdermittelError",
    "CaseError",
    "ArgumentError",
    "ArgumentTypeError",
    "UnknownRuleError",
    "NotFoundError",
    "Problem",
    "Finding",
    "Severity",
]


_FROM: dict[str, str] = {
    "foerdermittel.calendar": "CalendarError HolidayCalendar",
    "foerdermittel.drawdown_call": "CallDocument CallNotFoundError call_document",
    "foerdermittel.deadlines": (
        "Deadline DeadlineStatus ShiftPolicy derive_deadlines month_end_after period_end shift"
    ),
    "foerdermittel.drawdowns": (
        "Call CallTiling DrawdownPlan PayoutCover PhaseDrawdowns call_tiling payout_cover "
        "plan_drawdowns plan_tiling"
    ),
    "foerdermittel.errors": (
        "ArgumentError ArgumentTypeError CaseError Finding FoerdermittelError NotFoundError "
        "Problem Severity UnknownRuleError"
    ),
    "foerdermittel.evaluation": "evaluate",
    "foerdermittel.export.call_text": "render_call",
    "foerdermittel.export.excel.call_sheet": "write_call",
    "foerdermittel.export.excel.portfolio": "write_portfolio",
    "foerdermittel.export.portfolio_ical": "write_portfolio_ics",
    "foerdermittel.export.portfolio_text": "render_portfolio",
    "foerdermittel.extension": "LineTotal extension_amendment line_totals with_extension",
    "foerdermittel.financing": (
        "Financing PhaseFinancing Reduction check_financing compute_financing later_reduction"
    ),
    "foerdermittel.flat_rates": (
        "FlatRateAmount FlatRateLine check_flat_rates flat_rate_amount flat_rate_amounts "
        "flat_rate_lines flat_rate_split"
    ),
    "foerdermittel.forecasting": "Forecast LineForecast MonthAmount forecast",
    "foerdermittel.interest": (
        "BaseRate BaseRateTable DayCount InterestError InterestResult RateOrigin base_rate_on "
        "base_rates compute_interest load_base_rate_file"
    ),
    "foerdermittel.io": (
        "attach_base_rates attach_ledger case_json_schema dump_case load_case loads_case save_case"
    ),
    "foerdermittel.io.ledger": "Ledger LedgerError read_ledger write_ledger_csv",
    "foerdermittel.late_use": "LateUseInterest PayoutUse late_use_interest",
    "foerdermittel.limit_checks": "check_limits",
    "foerdermittel.model": (
        "BudgetLine Case CostCategory FinancingPlan FinancingType FundingSource Grant Phase "
        "SourceKind"
    ),
    "foerdermittel.model.narrative": "ProofKind ProofNarrative",
    "foerdermittel.model.amendments": (
        "Amendment ChangedValue DecisionChange LineChange PhaseChange"
    ),
    "foerdermittel.model.records": (
        "Expenditure Income InterimProofRequest LedgerRef Payout Settings Submission"
    ),
    "foerdermittel.model.voucher_columns": "VoucherColumns",
    "foerdermittel.money": (
        "CENT ZERO Money NonNegativeMoney Rate allocate cents floor_cents to_money to_rate"
    ),
    "foerdermittel.own_share_plan": "OwnShareMonth OwnSharePlan OwnShareYear own_share",
    "foerdermittel.periods": "Period Span budget_year",
    "foerdermittel.portfolio": (
        "Appropriation BudgetAssignment BudgetKind City DoubleClaim GrantControlling GrantInfo "
        "Owner Portfolio PortfolioDeadline PortfolioEvaluationError PortfolioReport "
        "PortfolioYear PrefinancingMonth ProductYear evaluate_portfolio load_portfolio "
        "portfolio_json_schema compare_portfolio sweep_portfolio slip PortfolioScenario "
        "PortfolioComparison PortfolioComparisonRow"
    ),
    "foerdermittel.proof": (
        "InterimProof LineResult PhaseResult ProofForm ProofOfUse VoucherTotals proof_of_use "
        "voucher_totals"
    ),
    "foerdermittel.reconciliation": "Check Reconciliation reconcile",
    "foerdermittel.report": "Report",
    "foerdermittel.rules": "Rulebook RuleOverride",
    "foerdermittel.scenarios": (
        "AddThirdParty ChangeRate ComparisonRow ComparisonTable DropLine ExtendPhase Progress "
        "ScaleLine Scenario SetActual ShiftLine compare progress sweep"
    ),
    "foerdermittel.vouchers": "ExcludedVoucher check_vouchers",
}
"""Where each public name is defined; it is imported from there on first use."""

_ORIGIN = {name: module for module, names in _FROM.items() for name in names.split()}


def __getattr__(name: str) -> Any:
    """A public name, or a submodule, imported on first use (PEP 562).

    Examples:
        >>> sorted(set(__all__) ^ set(_ORIGIN))  # every public name has its module; rules is one
        ['rules']
        >>> import foerdermittel
        >>> foerdermittel.compute_interest is foerdermittel.interest.compute_interest
        True
    """
    module = _ORIGIN.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value
    if not name.startswith("__"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
