"""The case model: grant decision, phases, financing plan."""

from foerdermittel.model.case import Case, case_error_from_validation
from foerdermittel.model.grant import LAENDER, FinancingType, Grant, Phase
from foerdermittel.model.plan import (
    BudgetLine,
    CostCategory,
    FinancingPlan,
    FundingSource,
    SourceKind,
)

__all__ = [
    "LAENDER",
    "BudgetLine",
    "Case",
    "CostCategory",
    "FinancingPlan",
    "FinancingType",
    "FundingSource",
    "Grant",
    "Phase",
    "SourceKind",
    "case_error_from_validation",
]
