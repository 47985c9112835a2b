"""Scenarios across the portfolio: one "what if" applied to chosen grants, compared by year.

A Kämmerei asks what a scenario does to the city's budget, not to one grant: "all projects
slip six months" moves own share (*Eigenanteil*) between budget years across every grant.
[`compare_portfolio`][foerdermittel.portfolio.compare_portfolio] applies each
[`PortfolioScenario`][foerdermittel.portfolio.PortfolioScenario] to the chosen grants' cases —
through the grant's own scenario machinery ([`Scenario`][foerdermittel.model.scenario.Scenario]
and its steps, on the key date's [`progress`][foerdermittel.scenarios.progress]) — and
evaluates again only the grants it changes; the other grants' reports are reused as they are,
and [`summarise_portfolio`][foerdermittel.portfolio.summarise_portfolio] sums them. Each row
shows the own share per budget year across grants, in total and per grant, the excess over the
appropriations, the highest pre-financing, the findings and whether the row reconciles.
[`sweep_portfolio`][foerdermittel.portfolio.sweep_portfolio] does the same for a grid of
parameters (delay × overrun).

The work per grant is one task — its case, the scenarios for it and the key date — so any
executor runs it (``concurrent.futures``, a ``dask.distributed.Client``); the result is the
same to the cent.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, PlainSerializer

from foerdermittel._arguments import check_date
from foerdermittel.errors import Severity
from foerdermittel.evaluation import evaluate
from foerdermittel.forecasting import month_end
from foerdermittel.message_types import Message, Subject, message_json, words
from foerdermittel.model.amending import latest_end
from foerdermittel.model.case import Case
from foerdermittel.model.scenario import ExtendPhase, ScaleLine, Scenario, ShiftLine, Transformation
from foerdermittel.money import ZERO
from foerdermittel.portfolio.evaluation import GrantFailure, PortfolioEvaluationError
from foerdermittel.portfolio.evaluation import summarise_portfolio as _summarise
from foerdermittel.portfolio.executors import MapsTasks, SubmitsTasks, TaskFailure, run_tasks
from foerdermittel.portfolio.loading import Portfolio, PortfolioGrant
from foerdermittel.portfolio.results import PortfolioReport
from foerdermittel.report import Report
from foerdermittel.scenarios import progress

__all__ = [
    "GrantSelection",
    "PortfolioComparison",
    "PortfolioComparisonRow",
    "PortfolioScenario",
    "ScenarioOutcome",
    "compare_portfolio",
    "default_steps",
    "evaluate_scenarios",
    "slip",
    "slip_steps",
    "sweep_portfolio",
]

_Words = Annotated[Message, PlainSerializer(message_json)]

GrantSelection = Iterable[str] | Callable[[PortfolioGrant], bool] | None
"""The grants a scenario is applied to: all (``None``), their keys, or a predicate."""


@dataclass(frozen=True)
class PortfolioScenario:
    """Ein Szenario für das Portfolio — what one scenario does to each chosen grant.

    Grants differ in their lines and phases, so the steps are made per grant: ``scenario`` is
    either one [`Scenario`][foerdermittel.model.scenario.Scenario] applied as it is to every
    chosen grant (steps that name no line, such as a rate change), or a function from the
    grant and the key date to its scenario. The function runs in this process; only the
    scenarios it makes travel to the executor's workers.

    Attributes:
        name: the row's label.
        scenario: the scenario, or the function that makes it for a grant.
    """

    name: str
    scenario: Scenario | Callable[[PortfolioGrant, date], Scenario]

    def for_grant(self, grant: PortfolioGrant, as_of: date) -> Scenario:
        """The scenario for one grant on the key date, named as the portfolio scenario."""
        made = self.scenario(grant, as_of) if callable(self.scenario) else self.scenario
        return made if made.name == self.name else made.model_copy(update={"name": self.name})


def slip_steps(
    case: Case, months: int, *, extend: bool = True, as_of: date | None = None
) -> tuple[Transformation, ...]:
    """The steps by which every phase of a case slips ``months``: spending moves, ends move.

    Per phase (as amended) that has not ended before ``as_of`` (a period that has run out
    neither slips nor can be extended): with ``extend`` the funder extends it cost-neutrally
    by the same months ([`ExtendPhase`][foerdermittel.model.scenario.ExtendPhase], to the
    month's end where the phase ends on one), then its open spending moves
    ([`ShiftLine`][foerdermittel.model.scenario.ShiftLine] on ``phase:<id>``). Without
    ``extend`` what slips past the approval period is no longer eligible.

    Examples:
        >>> from foerdermittel import load_case
        >>> steps = slip_steps(load_case("examples/bochum-mpsc.toml"), 6,
        ...                    as_of=date(2025, 6, 30))
        >>> [(s.kind, getattr(s, "new_end", None) or s.line) for s in steps]
        [('extend_phase', datetime.date(2027, 3, 31)), ('shift_line', 'phase:B')]
    """
    steps: list[Transformation] = []
    for phase in case.grant.phases:
        end = latest_end(phase, case.amendments)
        if as_of is not None and end < as_of:
            continue
        if extend and months > 0:
            moved = end + relativedelta(months=months)
            new_end = month_end(moved) if end == month_end(end) else moved
            steps.append(ExtendPhase(phase=phase.id, new_end=new_end))
        steps.append(ShiftLine(line=f"phase:{phase.id}", months=months))
    return tuple(steps)


def slip(months: int, *, extend: bool = True, name: str | None = None) -> PortfolioScenario:
    """Verzug — every chosen grant's spending slips ``months`` (see ``slip_steps``).

    Args:
        months: the delay in months (earlier if negative).
        extend: the funder extends every phase by the same months (default); without, what
            slips past a phase's end becomes ineligible, the city's alone.
        name: the row's label; by default ``Verzug N Monate`` (``… ohne Verlängerung``).

    Examples:
        >>> slip(6).name
        'Verzug 6 Monate'
    """
    label = name or f"Verzug {months} Monate" + ("" if extend else " ohne Verlängerung")

    def make(grant: PortfolioGrant, as_of: date) -> Scenario:
        steps = slip_steps(grant.case, months, extend=extend, as_of=as_of)
        return Scenario(name=label, steps=steps)

    return PortfolioScenario(name=label, scenario=make)


@dataclass(frozen=True)
class ScenarioOutcome:
    """One grant under one scenario (or as it is): its report, its case and the steps' notes.

    Attributes:
        report: the grant's report.
        case: the changed case, ``None`` for the case as it is.
        notes: what the steps say they could not change.
    """

    report: Report
    case: Case | None
    notes: tuple[Message, ...]


def evaluate_scenarios(
    case: Case, scenarios: Sequence[Scenario | None], as_of: date
) -> list[ScenarioOutcome | GrantFailure]:
    """One grant under each scenario (``None``: as it is) — the task an executor runs.

    The key date's progress is computed once for all scenarios. An exception comes back as a
    ``GrantFailure`` naming the scenario (text: it pickles).
    """
    outcomes: list[ScenarioOutcome | GrantFailure] = []
    state = None
    for scenario in scenarios:
        try:
            if scenario is None:
                outcomes.append(ScenarioOutcome(evaluate(case, as_of), None, ()))
                continue
            if state is None:
                state = progress(case, as_of)
            changed, notes = scenario.applied(case, progress=state)
            outcomes.append(ScenarioOutcome(evaluate(changed, as_of), changed, notes))
        except Exception as exc:  # named with its grant and scenario by the caller
            where = "" if scenario is None else f"Szenario {scenario.name!r}: "
            outcomes.append(GrantFailure("", "", type(exc).__name__, where + str(exc)))
    return outcomes


class PortfolioComparisonRow(BaseModel):
    """The portfolio under one scenario: the city's own share per budget year, and more.

    Every figure is the [`PortfolioReport`][foerdermittel.portfolio.PortfolioReport]'s of the
    portfolio with the scenario applied (``from_report`` makes a row of any such report).

    Attributes:
        label: ``scenario.name`` with the scenario's name, or ``scenario.baseline``.
        parameters: for a sweep, the grid values of this row.
        changed: the grants the scenario was applied to (keys).
        own_share: the own share of all grants over all years.
        own_share_by_year: per budget year, across grants (``PortfolioYear.own_share``).
        own_share_by_grant: per grant, over all years.
        excess_by_year: the years whose own share (as the portfolio compares it) exceeds the
            appropriation, and by how much.
        max_prefinanced: the highest month-end pre-financing across grants.
        max_prefinanced_month: its month (the first, where several share it).
        errors: findings of severity error, the portfolio's and its grants'.
        warnings: findings of severity warning, likewise.
        infos: findings of severity info, likewise.
        remarks: per changed grant, what its steps could not change.
        failed_checks: the checks that do not hold — the portfolio's Abstimmung (which holds
            each grant's) and the row's own ``portfolio-row`` (own share per year, per grant
            and in total agree); empty when the row reconciles.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    label: _Words
    parameters: dict[str, str] = {}
    changed: tuple[str, ...] = ()
    own_share: Decimal
    own_share_by_year: dict[int, Decimal]
    own_share_by_grant: dict[str, Decimal]
    excess_by_year: dict[int, Decimal]
    max_prefinanced: Decimal
    max_prefinanced_month: date | None
    errors: int
    warnings: int
    infos: int
    remarks: dict[str, tuple[_Words, ...]] = {}
    failed_checks: tuple[_Words, ...] = ()

    @property
    def reconciled(self) -> bool:
        """Whether the portfolio's Abstimmung and the row's own check hold."""
        return not self.failed_checks

    @classmethod
    def from_report(
        cls,
        report: PortfolioReport,
        *,
        label: Message,
        changed: Sequence[str] = (),
        remarks: Mapping[str, Sequence[Message]] | None = None,
    ) -> PortfolioComparisonRow:
        """The row of a portfolio report.

        Examples:
            >>> from foerdermittel import evaluate_portfolio, load_portfolio
            >>> report = evaluate_portfolio(load_portfolio("examples/portfolio/portfolio.toml"),
            ...                             date(2025, 6, 30))
            >>> row = PortfolioComparisonRow.from_report(
            ...     report, label=Message.of("scenario.baseline"))
            >>> row.own_share_by_year[2025], row.excess_by_year[2025], row.reconciled
            (Decimal('2067585.32'), Decimal('117585.32'), True)
        """
        by_year = {y.year: y.own_share for y in report.years}
        by_grant: dict[str, Decimal] = {g.key: ZERO for g in report.grants}
        for key, grant_report in report.reports.items():
            by_grant[key] = sum((y.own_share for y in grant_report.own_share.years), ZERO)
        total = sum(by_year.values(), ZERO)
        peak = max(report.prefinancing, key=lambda m: m.total, default=None)
        findings = [
            *report.findings,
            *(f for grant_report in report.reports.values() for f in grant_report.findings),
        ]
        count = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
        failed = [
            Message.of("scenario.unreconciled", check=c.name, about=c.place)
            for c in report.reconciliation.failures
        ]
        if total != sum(by_grant.values(), ZERO):
            failed.append(ROW_CHECK)
        return cls(
            label=label,
            changed=tuple(changed),
            own_share=total,
            own_share_by_year=by_year,
            own_share_by_grant=by_grant,
            excess_by_year={y.year: y.excess for y in report.years if y.excess > 0},
            max_prefinanced=peak.total if peak is not None and peak.total > 0 else ZERO,
            max_prefinanced_month=peak.month if peak is not None and peak.total > 0 else None,
            errors=count[Severity.ERROR],
            warnings=count[Severity.WARNING],
            infos=count[Severity.INFO],
            remarks={k: tuple(v) for k, v in (remarks or {}).items() if v},
            failed_checks=tuple(failed),
        )


ROW_CHECK = Message.of("scenario.unreconciled", check="portfolio-row", about=Subject("scenario"))
"""The row's own check: the own share over years = over grants."""


class PortfolioComparison(BaseModel):
    """Szenarienvergleich des Portfolios — one row per scenario, the city's own share by year.

    Attributes:
        as_of: the key date.
        rows: the rows, the portfolio as it is first (where asked for).

    Examples:
        >>> from foerdermittel import load_portfolio
        >>> table = compare_portfolio(load_portfolio("examples/portfolio/portfolio.toml"),
        ...                           [slip(6)], as_of=date(2025, 6, 30))
        >>> [words(row.label) for row in table.rows]
        ['Ausgangslage', 'Verzug 6 Monate']
        >>> table.rows[0].own_share == table.rows[1].own_share
        True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: date
    rows: tuple[PortfolioComparisonRow, ...]

    def years(self) -> list[int]:
        """Every budget year that occurs in a row."""
        return sorted({y for row in self.rows for y in row.own_share_by_year})

    def records(self) -> list[dict[str, Any]]:
        """One record per row, German column names, amounts as exact ``Decimal``.

        Columns: ``Szenario``, the grid's parameters, ``Förderfälle geändert``,
        ``Eigenanteil``, ``Eigenanteil <Jahr>`` for every year, ``Überschreitung <Jahr>`` for
        the years some row exceeds, ``Vorfinanzierung max.`` and its month, the findings by
        severity, ``Abstimmung`` (``stimmt`` or the checks that fail).
        """
        years = self.years()
        over = sorted({y for row in self.rows for y in row.excess_by_year})
        result = []
        for row in self.rows:
            record: dict[str, Any] = {"Szenario": words(row.label), **row.parameters}
            record["Förderfälle geändert"] = len(row.changed)
            record["Eigenanteil"] = row.own_share
            record.update({f"Eigenanteil {y}": row.own_share_by_year.get(y, ZERO) for y in years})
            record.update({f"Überschreitung {y}": row.excess_by_year.get(y, ZERO) for y in over})
            record["Vorfinanzierung max."] = row.max_prefinanced
            record["Vorfinanzierung max. im Monat"] = row.max_prefinanced_month
            record["Fehler"] = row.errors
            record["Warnungen"] = row.warnings
            record["Hinweise"] = row.infos
            record["Abstimmung"] = (
                "stimmt" if row.reconciled else "; ".join(words(c) for c in row.failed_checks)
            )
            result.append(record)
        return result

    def to_frame(self) -> Any:
        """The records as a pandas DataFrame indexed by scenario (needs pandas).

        Amounts stay exact ``Decimal`` values in ``object`` columns, as in the grant's
        ``ComparisonTable.to_frame``.
        """
        try:
            import pandas
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise ImportError(
                "Für DataFrames wird pandas gebraucht: pip install 'foerdermittel[pandas]'"
            ) from exc
        return pandas.DataFrame.from_records(self.records()).set_index("Szenario")

    def to_json(self, *, indent: int | None = 2) -> str:
        """The comparison as JSON (amounts as strings, labels as messages)."""
        return json.dumps(json.loads(self.model_dump_json()), indent=indent)


def _chosen(portfolio: Portfolio, grants: GrantSelection) -> list[str]:
    """The keys of the chosen grants, in the portfolio's order.

    Raises:
        NotFoundError: a key that is no grant of the portfolio.
    """
    if grants is None:
        return list(portfolio.keys)
    if callable(grants):
        return [g.key for g in portfolio.grants if grants(g)]
    keys = set()
    for key in grants:
        portfolio.grant(key)
        keys.add(key)
    return [k for k in portfolio.keys if k in keys]


def _evaluate_rows(
    portfolio: Portfolio,
    scenarios: Sequence[tuple[PortfolioScenario, dict[str, str]]],
    as_of: date,
    grants: GrantSelection,
    executor: SubmitsTasks | MapsTasks | None,
    *,
    baseline: bool,
) -> PortfolioComparison:
    chosen = set(_chosen(portfolio, grants))
    # one task per grant: its case travels once, its progress is computed once
    plans: list[list[tuple[int | None, Scenario | None]]] = []
    for grant in portfolio.grants:
        plan: list[tuple[int | None, Scenario | None]] = []
        if baseline or grant.key not in chosen:
            plan.append((None, None))
        if grant.key in chosen:
            plan.extend((i, s.for_grant(grant, as_of)) for i, (s, _) in enumerate(scenarios))
        plans.append(plan)
    tasks = [
        (grant.case, tuple(s for _, s in plan), as_of)
        for grant, plan in zip(portfolio.grants, plans, strict=True)
    ]
    results = run_tasks(evaluate_scenarios, tasks, executor)
    as_is: dict[str, Report] = {}
    changed: dict[int, dict[str, ScenarioOutcome]] = {i: {} for i in range(len(scenarios))}
    failures: list[GrantFailure] = []
    for grant, plan, result in zip(portfolio.grants, plans, results, strict=True):
        if not isinstance(result, list) or len(result) != len(plan):
            text = result.message if isinstance(result, TaskFailure) else repr(type(result))
            error = result.error if isinstance(result, TaskFailure) else "TypeError"
            failures.append(GrantFailure(grant.key, grant.file, error, text))
            continue
        for (index, _), outcome in zip(plan, result, strict=True):
            if isinstance(outcome, GrantFailure):
                failures.append(GrantFailure(grant.key, grant.file, outcome.error, outcome.message))
            elif index is None:
                as_is[grant.key] = outcome.report
            else:
                changed[index][grant.key] = outcome
    if failures:
        raise PortfolioEvaluationError(failures)
    rows = []
    if baseline:
        label = Message.of("scenario.baseline")
        rows.append(
            PortfolioComparisonRow.from_report(_summarise(portfolio, as_is, as_of), label=label)
        )
    for index, (scenario, parameters) in enumerate(scenarios):
        outcomes = changed[index]
        variant = portfolio.with_cases(
            {k: o.case for k, o in outcomes.items() if o.case is not None}
        )
        reports = {**as_is, **{k: o.report for k, o in outcomes.items()}}
        row = PortfolioComparisonRow.from_report(
            _summarise(variant, reports, as_of),
            label=Message.of("scenario.name", name=scenario.name),
            changed=[k for k in portfolio.keys if k in outcomes],
            remarks={k: o.notes for k, o in outcomes.items()},
        )
        rows.append(row.model_copy(update={"parameters": parameters}))
    return PortfolioComparison(as_of=as_of, rows=tuple(rows))


def compare_portfolio(
    portfolio: Portfolio,
    scenarios: Iterable[PortfolioScenario],
    *,
    as_of: date,
    grants: GrantSelection = None,
    executor: SubmitsTasks | MapsTasks | None = None,
    baseline: bool = True,
) -> PortfolioComparison:
    """The portfolio as it is and under each scenario, applied to the chosen grants.

    Args:
        portfolio: the portfolio.
        scenarios: the scenarios, e.g. ``[slip(6)]``.
        as_of: the key date (explicit, so the table is the same tomorrow).
        grants: the grants each scenario is applied to: all (``None``), an iterable of keys,
            or a predicate on the [`PortfolioGrant`][foerdermittel.portfolio.PortfolioGrant].
        executor: runs the grants' evaluations (``submit`` or ``map``); serially without.
        baseline: include the portfolio as it is as the first row.

    Raises:
        PortfolioEvaluationError: a grant could not be evaluated, as it is or under a
            scenario (a scenario that does not fit it); every such grant is named.
        NotFoundError: a key in ``grants`` that is no grant of the portfolio.

    Examples:
        >>> from foerdermittel import load_portfolio
        >>> portfolio = load_portfolio("examples/portfolio/portfolio.toml")
        >>> table = compare_portfolio(portfolio, [slip(6)], as_of=date(2025, 6, 30),
        ...                           grants=lambda g: g.budget.kind == "investive")
        >>> table.rows[1].changed
        ('35.02-SF-2024-BO-009 (illustrativ)',)
    """
    key_date = check_date("compare_portfolio", "as_of", as_of)
    runs: list[tuple[PortfolioScenario, dict[str, str]]] = [(s, {}) for s in scenarios]
    return _evaluate_rows(portfolio, runs, key_date, grants, executor, baseline=baseline)


def default_steps(params: Mapping[str, Any], grant: PortfolioGrant, as_of: date) -> Scenario:
    """The scenario of one grid point for one grant: ``overrun`` %, then ``delay_months``.

    ``overrun`` scales every budget line of the grant by the percentage (ScaleLine);
    ``delay_months`` slips every phase (``slip_steps``), the phases extended unless the grid
    sets ``extend`` false.
    """
    steps: list[Transformation] = []
    if params.get("overrun"):
        percent = Decimal(str(params["overrun"]))
        steps.extend(ScaleLine(line=line.id, percent=percent) for line in grant.case.plan.lines)
    if params.get("delay_months"):
        extend = bool(params.get("extend", True))
        months = int(params["delay_months"])
        steps.extend(slip_steps(grant.case, months, extend=extend, as_of=as_of))
    name = ", ".join(f"{k}={v}" for k, v in params.items()) or "Raster"
    return Scenario(name=name, steps=tuple(steps))


def sweep_portfolio(
    portfolio: Portfolio,
    grid: Mapping[str, Sequence[Any]],
    *,
    as_of: date,
    grants: GrantSelection = None,
    make: Callable[[Mapping[str, Any], PortfolioGrant, date], Scenario] | None = None,
    executor: SubmitsTasks | MapsTasks | None = None,
    baseline: bool = False,
) -> PortfolioComparison:
    """Every combination of ``grid`` applied to the chosen grants (e.g. delay × overrun).

    Args:
        portfolio: the portfolio.
        grid: parameter name -> values. Without ``make`` the names ``overrun`` (percent, every
            line), ``delay_months`` (every phase slips) and ``extend`` (whether the phases
            are extended by the delay; default true) are understood (``default_steps``).
        as_of: the key date.
        grants: the grants the grid applies to (as for ``compare_portfolio``).
        make: the scenario of one combination for one grant on the key date.
        executor: runs the grants' evaluations.
        baseline: include the portfolio as it is as the first row.

    Examples:
        >>> from foerdermittel import load_portfolio
        >>> table = sweep_portfolio(load_portfolio("examples/portfolio/portfolio.toml"),
        ...                         {"delay_months": [0, 6]}, as_of=date(2025, 6, 30))
        >>> [row.parameters for row in table.rows]
        [{'delay_months': '0'}, {'delay_months': '6'}]
    """
    key_date = check_date("sweep_portfolio", "as_of", as_of)
    maker = make or default_steps
    names = list(grid)
    runs: list[tuple[PortfolioScenario, dict[str, str]]] = []
    for values in itertools.product(*grid.values()):
        params = dict(zip(names, values, strict=True))
        name = ", ".join(f"{k}={v}" for k, v in params.items()) or "Raster"
        scenario = PortfolioScenario(name=name, scenario=functools.partial(maker, params))
        runs.append((scenario, {k: str(v) for k, v in params.items()}))
    return _evaluate_rows(portfolio, runs, key_date, grants, executor, baseline=baseline)
