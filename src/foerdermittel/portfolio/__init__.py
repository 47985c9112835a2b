"""Portfolio — all of a city's grants in one view.

A portfolio file names the city, its grants' case files with owner and budget assignment,
and the own share appropriated per budget year
([`PortfolioFile`][foerdermittel.portfolio.PortfolioFile]).
[`load_portfolio`][foerdermittel.portfolio.load_portfolio] reads it and every case with its
ledger; [`evaluate_portfolio`][foerdermittel.portfolio.evaluate_portfolio] evaluates each
grant (serially or through an executor) and sums across them into a
[`PortfolioReport`][foerdermittel.portfolio.PortfolioReport]: the own share per budget year
and product against the appropriations, pre-financing per month, one deadline list, the
controlling figures per grant, double claims, and the portfolio's own Abstimmung.
[`compare_portfolio`][foerdermittel.portfolio.compare_portfolio] and
[`sweep_portfolio`][foerdermittel.portfolio.sweep_portfolio] apply scenarios to chosen grants
and compare the city's own share per budget year.

Examples:
    >>> from datetime import date
    >>> report = evaluate_portfolio(load_portfolio("examples/portfolio/portfolio.toml"),
    ...                             date(2025, 6, 30))
    >>> [(c.grant, c.other_grant) for c in report.double_claims]
    [('MPSC-2021-BO (illustrativ)', '35.02-SF-2024-BO-009 (illustrativ)')]
"""

from foerdermittel.portfolio.evaluation import (
    GrantFailure,
    PortfolioEvaluationError,
    evaluate_grant,
    evaluate_portfolio,
    summarise_portfolio,
)
from foerdermittel.portfolio.executors import MapsTasks, SubmitsTasks, TaskFailure
from foerdermittel.portfolio.loading import (
    Portfolio,
    PortfolioGrant,
    load_portfolio,
    portfolio_json_schema,
    read_case_file,
)
from foerdermittel.portfolio.model import (
    Appropriation,
    AppropriationBasis,
    BudgetAssignment,
    BudgetKind,
    City,
    GrantEntry,
    Owner,
    PortfolioFile,
)
from foerdermittel.portfolio.results import (
    DoubleClaim,
    GrantControlling,
    GrantInfo,
    PortfolioDeadline,
    PortfolioReport,
    PortfolioYear,
    PrefinancingMonth,
    ProductYear,
)
from foerdermittel.portfolio.scenarios import (
    PortfolioComparison,
    PortfolioComparisonRow,
    PortfolioScenario,
    compare_portfolio,
    default_steps,
    slip,
    slip_steps,
    sweep_portfolio,
)

__all__ = [
    "Appropriation",
    "AppropriationBasis",
    "BudgetAssignment",
    "BudgetKind",
    "City",
    "DoubleClaim",
    "GrantControlling",
    "GrantEntry",
    "GrantFailure",
    "GrantInfo",
    "MapsTasks",
    "Owner",
    "Portfolio",
    "PortfolioComparison",
    "PortfolioComparisonRow",
    "PortfolioDeadline",
    "PortfolioEvaluationError",
    "PortfolioFile",
    "PortfolioGrant",
    "PortfolioReport",
    "PortfolioScenario",
    "PortfolioYear",
    "PrefinancingMonth",
    "ProductYear",
    "SubmitsTasks",
    "TaskFailure",
    "compare_portfolio",
    "default_steps",
    "evaluate_grant",
    "evaluate_portfolio",
    "load_portfolio",
    "portfolio_json_schema",
    "read_case_file",
    "slip",
    "slip_steps",
    "summarise_portfolio",
    "sweep_portfolio",
]
