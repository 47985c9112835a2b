"""Evaluating a portfolio: each grant on its own (serially or through an executor), then sums.

Each grant is evaluated by [`evaluate_grant`][foerdermittel.portfolio.evaluate_grant], a
module-level function of the case and the key date: it and its arguments pickle, so any
executor can run it — a ``concurrent.futures.ProcessPoolExecutor``, or a
``dask.distributed.Client`` when one machine is not enough. Both have ``submit``, whose future
has ``result()``; an object with only ``map`` (``multiprocessing.Pool``) is used through that.

A grant that cannot be evaluated fails the whole evaluation: a
[`PortfolioEvaluationError`][foerdermittel.portfolio.PortfolioEvaluationError] names every
grant that failed and why, after all the others have run. A report with a grant left out
would show sums — own share per year, pre-financing — that look complete and are not; a
Kämmerei that forwards them could not tell. So there is no such report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from foerdermittel._arguments import check_date
from foerdermittel.errors import FoerdermittelError, NotFoundError, Severity
from foerdermittel.evaluation import evaluate
from foerdermittel.frozen import FrozenMap
from foerdermittel.model.case import Case
from foerdermittel.portfolio import checks, claims, figures
from foerdermittel.portfolio.executors import MapsTasks, SubmitsTasks, TaskFailure, run_tasks
from foerdermittel.portfolio.loading import Portfolio
from foerdermittel.portfolio.results import PortfolioReport
from foerdermittel.reconciliation import reconciliation_findings
from foerdermittel.report import Report

__all__ = [
    "GrantFailure",
    "PortfolioEvaluationError",
    "evaluate_grant",
    "evaluate_portfolio",
    "summarise_portfolio",
]

_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class GrantFailure:
    """A grant that could not be evaluated: which, and the error, as text (it pickles).

    Attributes:
        grant: the grant's key (empty where a worker reports it, before it is matched).
        file: the case file.
        error: the type of the exception, e.g. ``CalendarError``.
        message: its message.
    """

    grant: str
    file: str
    error: str
    message: str

    def render(self) -> str:
        """One line: the grant, its file, the error."""
        where = f"{self.grant} ({self.file})" if self.file else self.grant
        return f"{where}: {self.error}: {self.message}"


class PortfolioEvaluationError(FoerdermittelError):
    """Portfolio nicht auswertbar — grants that could not be evaluated, each named.

    Attributes:
        failures: every grant that failed, with its file and error.

    Examples:
        >>> err = PortfolioEvaluationError([GrantFailure("K-1", "k.toml", "ValueError", "x")])
        >>> print(err)
        Portfolio nicht ausgewertet: 1 Förderfall ließ sich nicht auswerten, keine Summe ohne ihn
          - K-1 (k.toml): ValueError: x
    """

    def __init__(self, failures: Iterable[GrantFailure]) -> None:
        self.failures = tuple(failures)
        count = len(self.failures)
        head = (
            "Portfolio nicht ausgewertet: 1 Förderfall ließ sich nicht auswerten, keine Summe "
            "ohne ihn"
            if count == 1
            else f"Portfolio nicht ausgewertet: {count} Förderfälle ließen sich nicht "
            "auswerten, keine Summe ohne sie"
        )
        super().__init__(head + "".join(f"\n  - {f.render()}" for f in self.failures))

    def __reduce__(self) -> tuple[type[PortfolioEvaluationError], tuple[tuple[GrantFailure, ...]]]:
        return type(self), (self.failures,)


def evaluate_grant(case: Case, as_of: date) -> Report | GrantFailure:
    """Evaluate one grant; an exception comes back as a ``GrantFailure`` (text, it pickles).

    The function the executors run: a module-level function of the case and the key date.
    The exception is caught in the worker because not every exception pickles back.

    Examples:
        >>> from foerdermittel import load_case
        >>> report = evaluate_grant(load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30))
        >>> str(report.financing.grant)
        '9880000.00'
    """
    try:
        return evaluate(case, as_of)
    except Exception as exc:  # every error of one grant is reported, named, by the caller
        return GrantFailure("", "", type(exc).__name__, str(exc))


def _run(
    cases: Sequence[Case], as_of: date, executor: SubmitsTasks | MapsTasks | None
) -> list[Report | GrantFailure]:
    """Each case evaluated, in order; what the executor fails at, a failure of its grant."""
    outcomes: list[Report | GrantFailure] = []
    for value in run_tasks(evaluate_grant, [(case, as_of) for case in cases], executor):
        if isinstance(value, Report | GrantFailure):
            outcomes.append(value)
        elif isinstance(value, TaskFailure):
            outcomes.append(GrantFailure("", "", value.error, value.message))
        else:
            kind = type(value).__name__
            outcomes.append(GrantFailure("", "", kind, "unerwartetes Ergebnis des Executors"))
    return outcomes


def evaluate_portfolio(
    portfolio: Portfolio,
    as_of: date | None = None,
    executor: SubmitsTasks | MapsTasks | None = None,
) -> PortfolioReport:
    """Evaluate every grant of a portfolio on a key date, and the figures across them.

    Args:
        portfolio: the portfolio, as loaded by
            [`load_portfolio`][foerdermittel.portfolio.load_portfolio].
        as_of: the key date; today when not given.
        executor: runs the grants' evaluations (an object with ``submit``, such as a
            ``concurrent.futures.ProcessPoolExecutor`` or a ``dask.distributed.Client``, or
            one with ``map``); serially in this process without one. The result is the same.

    Raises:
        PortfolioEvaluationError: a grant could not be evaluated; every such grant is named,
            with its file and the error, and no report is made.
        ArgumentTypeError: ``as_of`` is not a date.

    Returns:
        The [`PortfolioReport`][foerdermittel.portfolio.PortfolioReport].

    Examples:
        >>> from foerdermittel import load_portfolio
        >>> portfolio = load_portfolio("examples/portfolio/portfolio.toml")
        >>> result = evaluate_portfolio(portfolio, date(2025, 6, 30))
        >>> result.own_share_by_year[2025] == sum(
        ...     y.own_share for r in result.reports.values() for y in r.own_share.years
        ...     if y.year == 2025)
        True
        >>> sorted({f.code for f in result.findings if f.severity == "error"})
        ['double-claim', 'own-share-above-appropriation']
    """
    key_date = check_date(
        "evaluate_portfolio", "as_of", as_of if as_of is not None else date.today()
    )
    outcomes = _run([g.case for g in portfolio.grants], key_date, executor)
    reports: dict[str, Report] = {}
    failures: list[GrantFailure] = []
    for grant, outcome in zip(portfolio.grants, outcomes, strict=True):
        if isinstance(outcome, GrantFailure):
            failures.append(GrantFailure(grant.key, grant.file, outcome.error, outcome.message))
        else:
            reports[grant.key] = outcome
    if failures:
        raise PortfolioEvaluationError(failures)
    return summarise_portfolio(portfolio, reports, key_date)


def summarise_portfolio(
    portfolio: Portfolio, reports: Mapping[str, Report], as_of: date
) -> PortfolioReport:
    """The portfolio report from the grants' reports, one per grant, by key.

    What [`evaluate_portfolio`][foerdermittel.portfolio.evaluate_portfolio] does once every
    grant is evaluated; a sweep that changes some grants evaluates only those and passes the
    others' reports as they were.

    Raises:
        NotFoundError: a grant of the portfolio without a report.
    """
    missing = [g.key for g in portfolio.grants if g.key not in reports]
    if missing:
        raise NotFoundError("Bericht des Förderfalls", missing[0], tuple(reports))
    years = figures.years(portfolio, reports)
    products = figures.products(portfolio, reports)
    prefinancing = figures.prefinancing(portfolio, reports)
    found_claims = claims.double_claims(portfolio.grants)
    reconciliation = checks.reconcile(portfolio, reports, years, products, prefinancing)
    findings = (
        *checks.grant_findings(portfolio),
        *checks.appropriation_findings(portfolio, years, products),
        *claims.double_claim_findings(found_claims),
        *reconciliation_findings(reconciliation),
    )
    return PortfolioReport(
        title=portfolio.title,
        city=portfolio.city,
        as_of=as_of,
        appropriations_cover=portfolio.definition.appropriations_cover,
        grants=figures.grant_infos(portfolio),
        reports=FrozenMap({g.key: reports[g.key] for g in portfolio.grants}),
        years=years,
        products=products,
        prefinancing=prefinancing,
        deadlines=figures.deadlines(portfolio, reports),
        controlling=figures.controlling(portfolio, reports, as_of),
        double_claims=found_claims,
        reconciliation=reconciliation,
        findings=tuple(sorted(findings, key=lambda f: _ORDER[f.severity])),
    )
