"""foerdermittel — manage German public project grants (Zuwendungen) with code you can trust.

Load a case file, evaluate it on a key date, read the report::

    >>> import foerdermittel
    >>> case = foerdermittel.load_case("examples/bochum-mpsc.toml")
    >>> report = foerdermittel.evaluate(case)
    >>> report.financing.grant, report.financing.own_share
    (Decimal('9880000.00'), Decimal('5320000.00'))

Money is ``decimal.Decimal`` with two places, dates are ``datetime.date``; every rule of law
names its source. See ``docs/`` for the concepts and the glossary.
"""

from foerdermittel import rules
from foerdermittel.errors import (
    CaseError,
    Finding,
    FoerdermittelError,
    Problem,
    Severity,
    UnknownRuleError,
)
from foerdermittel.evaluate import evaluate
from foerdermittel.financing import (
    Financing,
    PhaseFinancing,
    Reduction,
    check_financing,
    compute_financing,
    later_reduction,
)
from foerdermittel.io import case_json_schema, dump_case, load_case, loads_case, save_case
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
from foerdermittel.periods import Period, Span, budget_year
from foerdermittel.report import Report
from foerdermittel.rules import Rulebook, RuleOverride

__version__ = "0.1.0"

__all__ = [
    # evaluation
    "evaluate",
    "Report",
    # case files
    "load_case",
    "loads_case",
    "dump_case",
    "save_case",
    "case_json_schema",
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
    # financing
    "Financing",
    "PhaseFinancing",
    "Reduction",
    "compute_financing",
    "check_financing",
    "later_reduction",
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
    "UnknownRuleError",
    "Problem",
    "Finding",
    "Severity",
]
