"""Scenarios for budget analysis: compare outcomes side by side, sweep a grid of parameters.

[`compare`][foerdermittel.scenarios.compare] evaluates the case as it is and each
[`Scenario`][foerdermittel.model.scenario.Scenario], and returns a
[`ComparisonTable`][foerdermittel.scenarios.ComparisonTable] of what a finance office asks: the
grant it will receive, its own share (in total and per budget year), refunds and interest, the
last call, deadlines missed and the number of findings by severity.
[`sweep`][foerdermittel.scenarios.sweep] does the same for every combination of a grid of
parameters (e.g. cost overrun × delay).

Scenarios respect what happened: on the key date the steps change only what is not yet booked
([`progress`][foerdermittel.scenarios.progress]); booked vouchers and recorded payouts stay. Each
row shows what the project costs in total (booked plus what the forecast still expects, eligible
or not) and the city's burden per budget year — own share, costs that are not eligible, grant
the final account does not give, and interest — so that
``grant + third-party money + burden = total cost + interest`` to the cent, and a pure delay
changes the timing of the burden but never the total cost.

Both run the evaluations through any ``concurrent.futures.Executor`` the caller passes —
a ``concurrent.futures.ProcessPoolExecutor``, or a ``dask.distributed`` client, which
implements the interface — and give the same results whatever executor runs them (each task
gets the frozen case and scenario, which pickle, and returns a frozen row). A progress bar shows for
long runs when ``tqdm`` is installed (``tqdm.auto``: terminal and Jupyter).
"""

from __future__ import annotations

import importlib
import itertools
import pickle
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager, nullcontext
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, PlainSerializer

from foerdermittel._collector import collector_paused
from foerdermittel._moved import deprecated
from foerdermittel.deadlines import derive_deadlines
from foerdermittel.errors import Severity
from foerdermittel.evaluation import evaluate
from foerdermittel.forecasting import forecast, month_end
from foerdermittel.message_types import NOTHING, Message, Subject, message_json, words
from foerdermittel.model.case import Case
from foerdermittel.model.scenario import (
    AddThirdParty,
    ChangeRate,
    DropLine,
    ExtendPhase,
    Progress,
    ScaleLine,
    Scenario,
    SetActual,
    ShiftLine,
    Transformation,
)
from foerdermittel.money import ZERO
from foerdermittel.report import Report
from foerdermittel.views import Viewable, render_view
from foerdermittel.vouchers import check_vouchers, eligible_amount

_Words = Annotated[Message, PlainSerializer(message_json)]

__all__ = [
    "ROW_BALANCE",
    "AddThirdParty",
    "ChangeRate",
    "ComparisonRow",
    "ComparisonTable",
    "DropLine",
    "ExtendPhase",
    "Progress",
    "ScaleLine",
    "Scenario",
    "SetActual",
    "ShiftLine",
    "Transformation",
    "compare",
    "outcome",
    "progress",
    "sweep",
]

BASELINE = "Ausgangslage"
"""The name of the scenario for the case as it is, where a sweep's grid names no parameter.

Deprecated: the German word; the row of the case as it is carries the label
``Message.of("scenario.baseline")``."""


class ComparisonRow(BaseModel):
    """The outcome of one scenario.

    The words a row shows are data: its label, its steps, its notes and the checks that do not
    hold are [`Message`][foerdermittel.message_types.Message] values (keys ``scenario.…``);
    ``scenario``, ``description``, ``notes`` and ``unreconciled`` give their German words.

    Attributes:
        label: the row's label: the scenario's name (``scenario.name``), or
            ``scenario.baseline`` for the case as it is.
        steps: what the scenario does, step by step (``scenario.as-recorded`` for the case as
            it is).
        parameters: for a sweep, the grid values of this row.
        grant: the grant the city will receive: the (projected) final grant where vouchers
            are recorded, else what the drawdown plan can call.
        own_share: the own share plus ineligible costs of the plan, in total.
        own_share_by_year: the same per budget year.
        refund: money to pay back (payouts above the final grant; the burden already counts the
            city's cost against the final grant, so the refund is no cost on top).
        interest: refund interest and interest on money not used in time.
        total_cost: what the project costs: booked vouchers plus what the forecast still
            expects, eligible or not (Gesamtausgaben).
        third_party: third-party and other public money's share of it.
        burden: everything the city carries: ``total_cost − grant − third_party + interest``.
        burden_by_year: the same per budget year: own share, ineligible costs (of the plan, and
            vouchers paid outside the approval period, in their year), grant the final account
            does not give although the spending counted on it (in the year the last phase
            ends), and interest (in the year it runs to).
        remarks: what the row must say besides its figures (a step that changes nothing any
            more, a scenario the case cannot take on the key date, interest that could not be
            computed).
        failed_checks: the checks that do not hold, each ``scenario.unreconciled`` with the
            check's name and subject: those of the scenario's own Abstimmung
            (`Report.reconciliation`) and the row's balance
            ``grant + third_party + burden = total_cost + interest`` (``row-balance``); empty
            when every figure of the row reconciles.
        last_call: the date of the last call of grant money.
        deadlines_missed: deadlines that require action and were missed.
        errors: the number of findings of severity error.
        warnings: the number of findings of severity warning.
        infos: the number of findings of severity info.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    label: _Words
    steps: tuple[_Words, ...]
    parameters: dict[str, str]
    grant: Decimal
    own_share: Decimal
    own_share_by_year: dict[int, Decimal]
    refund: Decimal
    interest: Decimal
    last_call: date | None
    deadlines_missed: int
    errors: int
    warnings: int
    infos: int
    total_cost: Decimal = ZERO
    third_party: Decimal = ZERO
    burden: Decimal = ZERO
    burden_by_year: dict[int, Decimal] = {}
    remarks: tuple[_Words, ...] = ()
    failed_checks: tuple[_Words, ...] = ()

    @property
    def reconciled(self) -> bool:
        """Whether every check of the scenario's report and the row's balance hold."""
        return not self.failed_checks

    @property
    def scenario(self) -> str:
        """Deprecated: the row's label in German; renderers use foerdermittel.messages."""
        deprecated("ComparisonRow.scenario", "ComparisonRow.label")
        return words(self.label)

    @property
    def description(self) -> str:
        """Deprecated: the steps in German, ``; `` between; renderers use foerdermittel.messages."""
        deprecated("ComparisonRow.description", "ComparisonRow.steps")
        return "; ".join(words(step) for step in self.steps)

    @property
    def notes(self) -> tuple[str, ...]:
        """Deprecated: the remarks in German; renderers use foerdermittel.messages."""
        deprecated("ComparisonRow.notes", "ComparisonRow.remarks")
        return tuple(words(remark) for remark in self.remarks)

    @property
    def unreconciled(self) -> tuple[str, ...]:
        """Deprecated: the failed checks in German; renderers use foerdermittel.messages."""
        deprecated("ComparisonRow.unreconciled", "ComparisonRow.failed_checks")
        return tuple(words(check) for check in self.failed_checks)


def _interest_by_year(report: Report, total: Decimal) -> dict[int, Decimal]:
    """Interest per budget year.

    Each result counts in the year of its last day, the rest in the key date's year.
    """
    by_year: dict[int, Decimal] = {}
    results = [
        result
        for use in report.interest.payouts
        for result in (
            *(late.interest for late in use.late),
            use.unused_interest,
        )
        if result is not None
    ]
    results += [r for phase in report.proof_of_use.phases for r in phase.refund_interest]
    for result in results:
        by_year[result.end.year] = by_year.get(result.end.year, ZERO) + result.interest
    rest = total - sum(by_year.values(), ZERO)
    if rest:
        by_year[report.as_of.year] = by_year.get(report.as_of.year, ZERO) + rest
    return by_year


def outcome(
    report: Report,
    *,
    scenario: str | Message,
    steps: Sequence[Message] = (),
    notes: Sequence[Message] = (),
) -> ComparisonRow:
    """Reduce a report to the figures the comparison shows.

    ``scenario`` is the scenario's name, or the row's label as a message; ``steps`` and
    ``notes`` are what the scenario does and what the row must say besides its figures.

    The total cost is the forecast expenditure (booked plus expected) with the plan's
    ineligible costs and the vouchers paid outside the approval period (ANBest Nr. 1 with the
    decision: they do not count, the city pays them). The burden is what of it the grant and
    third parties do not carry, plus interest (§ 49a Abs. 3, 4 VwVfG).
    """
    proof = report.proof_of_use
    grant = proof.final if proof.evaluated else report.drawdowns.total
    years = report.own_share.years
    by_year = {y.year: y.burden for y in years}
    expenditure = sum((y.expenditure for y in years), ZERO)
    third = sum((y.third_party_share for y in years), ZERO)
    outside: dict[int, Decimal] = {}
    for voucher in proof.excluded:
        if voucher.code == "outside-period" and not voucher.counted:
            year = voucher.paid_on.year
            outside[year] = outside.get(year, ZERO) + voucher.amount
    planned_ineligible = sum((y.ineligible for y in years), ZERO)
    total_cost = expenditure + planned_ineligible + sum(outside.values(), ZERO)
    # the grant the own-share split counted on and the final account does not give (or more)
    shortfall = expenditure - grant - third - sum((y.own_share for y in years), ZERO)
    interest = proof.refund_interest + report.interest.total
    burden_by_year = dict(by_year)
    for year, amount in outside.items():
        burden_by_year[year] = burden_by_year.get(year, ZERO) + amount
    if shortfall:
        final_year = max(p.end for p in report.grant.phases).year
        burden_by_year[final_year] = burden_by_year.get(final_year, ZERO) + shortfall
    for year, amount in _interest_by_year(report, interest).items():
        burden_by_year[year] = burden_by_year.get(year, ZERO) + amount
    count = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    burden = sum(burden_by_year.values(), ZERO)
    unreconciled = [
        Message.of("scenario.unreconciled", check=c.name, about=c.place)
        for c in report.reconciliation.failures
    ]
    if grant + third + burden != total_cost + interest:
        unreconciled.append(ROW_BALANCE)
    if not isinstance(scenario, Message):
        scenario = Message.of("scenario.name", name=scenario)
    return ComparisonRow(
        label=scenario,
        steps=tuple(steps),
        parameters={},
        grant=grant,
        own_share=sum(by_year.values(), ZERO),
        own_share_by_year=by_year,
        refund=proof.refund,
        interest=interest,
        last_call=max((c.on for c in report.drawdowns.calls), default=None),
        deadlines_missed=sum(
            1 for d in report.deadlines if d.action_required and d.status.value == "missed"
        ),
        errors=count[Severity.ERROR],
        warnings=count[Severity.WARNING],
        infos=count[Severity.INFO],
        total_cost=total_cost,
        third_party=third,
        burden=burden,
        burden_by_year=dict(sorted(burden_by_year.items())),
        remarks=tuple(notes) + _missing_interest(report),
        failed_checks=tuple(unreconciled),
    )


ROW_BALANCE = Message.of("scenario.unreconciled", check="row-balance", about=Subject("scenario"))
"""The row's own check: ``grant + third_party + burden = total_cost + interest``."""


def _missing_interest(report: Report) -> tuple[Message, ...]:
    """A note for each interest figure that could not be computed.

    The row's interest and burden lack it; an error finding of the report says why.
    """
    missing = []
    if not report.proof_of_use.refund_interest_complete:
        missing.append("refund-interest")
    if not report.interest.complete:
        missing.append("late-use-interest")
    return tuple(
        Message.of("scenario.note.not-computable", what=Message.of(f"scenario.interest.{what}"))
        for what in missing
    )


def progress(case: Case, as_of: date) -> Progress:
    """Stand am Stichtag — what each line has booked and what is still open, for the steps.

    Booked are the eligible vouchers up to the forecast's cut-off, per line and month (the
    checks of [`foerdermittel.vouchers`][foerdermittel.vouchers]) — for a flat-rate line,
    which has no vouchers, its rate times what its base lines have spent; open is what the forecast
    still expects beyond them. The programme's extension offer is closed when its application
    milestone (``extension-application``; MPSC call 2021: 31.01.2025, after a declaration by
    31.12.2024) has passed without a submission recorded.

    Examples:
        >>> from foerdermittel import load_case
        >>> p = progress(load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30))
        >>> p.cut_off is None, p.extension_closed is not None
        (True, True)
    """
    amended = case.amended()
    spending = forecast(amended, as_of)
    cut = spending.cut_off
    booked: dict[str, dict[date, Decimal]] = {}
    if cut is not None:
        net = amended.settings.input_tax_deduction
        for item in check_vouchers(amended, cut)[0]:
            months = booked.setdefault(item.line, {})
            month = item.paid_on.replace(day=1)
            months[month] = months.get(month, ZERO) + eligible_amount(item, net=net)
        # a flat-rate line has no vouchers: what it has spent is the forecast's actual
        # (rate × its base lines' spending), as the proof of use settles it
        flat = {line.id for line in amended.plan.lines if line.flat_rate is not None}
        for line in spending.lines:
            if line.line in flat:
                booked[line.line] = {
                    m.month: m.actual for m in line.months if m.actual is not None and m.actual
                }
    remaining: dict[str, dict[date, Decimal]] = {}
    for line in spending.lines:
        done = booked.get(line.line, {})
        remaining[line.line] = {
            m.month: m.forecast - done.get(m.month, ZERO)
            for m in line.months
            if (cut is None or month_end(m.month) > cut) and m.forecast != done.get(m.month, ZERO)
        }
    rulebook, _ = case.rulebook()
    programme = rulebook.programme
    closed: Message | None = None
    if programme is not None:
        deadlines = {
            d.id: d for d in derive_deadlines(case, rulebook, as_of=as_of, amended=amended)
        }
        application = deadlines.get("milestone:extension-application")
        if application is not None and application.submitted_on is None and application.end < as_of:
            declaration = deadlines.get("milestone:extension-declaration")
            titles = {m.id: m.title for m in programme.milestones}
            closed = Message.of(
                "scenario.extension-closed",
                application=titles.get("extension-application", ""),
                end=application.end,
                declaration=NOTHING
                if declaration is None
                else Message.of("scenario.declaration-by", end=declaration.end),
            )
    return Progress(
        as_of=as_of,
        cut_off=cut,
        booked={k: dict(sorted(v.items())) for k, v in booked.items()},
        remaining=remaining,
        decision_date=case.grant.decision_date,
        extension_closure=closed,
        extension_ceiling=programme.extension_ceiling if programme is not None else None,
        phase_ends={p.id: p.end for p in amended.grant.phases},
    )


def _run(
    case: Case, scenario: Scenario | None, as_of: date, state: Progress | None = None
) -> ComparisonRow:
    """One evaluation; arguments and result pickle, so any executor can run it."""
    with collector_paused():
        return _row(case, scenario, as_of, state)


def _row(
    case: Case, scenario: Scenario | None, as_of: date, state: Progress | None
) -> ComparisonRow:
    if scenario is None:
        return outcome(
            evaluate(case, as_of),
            scenario=Message.of("scenario.baseline"),
            steps=(Message.of("scenario.as-recorded"),),
        )
    changed, notes = scenario.applied(case, progress=state)
    steps = tuple(step.summary for step in scenario.steps)
    return outcome(evaluate(changed, as_of), scenario=scenario.name, steps=steps, notes=notes)


def _run_many(
    case: Case | _Sent[Case],
    scenarios: Sequence[Scenario | None],
    as_of: date,
    state: Progress | _Sent[Progress] | None = None,
) -> list[ComparisonRow]:
    """Several evaluations in one task."""
    case = case.value if isinstance(case, _Sent) else case
    state = state.value if isinstance(state, _Sent) else state
    return [_run(case, scenario, as_of, state) for scenario in scenarios]


_T = TypeVar("_T")


class _Sent(Generic[_T]):
    """A value every task of a run gets, unpickled once per worker process.

    Pickled, it is its value's pickle (made once) with a token for the run; a worker that
    unpickles a token it has seen gets the value it made the first time. So the tasks of a run
    that one worker takes share one case and one progress: what is computed once per case
    (the checked ledger, the rulebook, the deadlines) is computed once per worker, not once
    per task. A worker forked while the value is being sent (inside ``sending``) holds the
    sender's very value already, with what the sender has computed for it: it takes that
    instead of unpickling. Without pickling (threads) the task gets the value itself.
    """

    __slots__ = ("_payload", "_token", "value")

    def __init__(self, value: _T, token: str | None = None) -> None:
        self.value = value
        self._token = token if token is not None else uuid.uuid4().hex
        self._payload: bytes | None = None

    def __reduce__(self) -> tuple[Callable[[str, bytes], _Sent[_T]], tuple[str, bytes]]:
        if self._payload is None:
            self._payload = pickle.dumps(self.value, protocol=pickle.HIGHEST_PROTOCOL)
        return (_received, (self._token, self._payload))

    @contextmanager
    def sending(self) -> Iterator[_Sent[_T]]:
        """This value as being sent for the ``with`` block: a worker forked meanwhile has it."""
        _SENDING[self._token] = self
        try:
            yield self
        finally:
            _SENDING.pop(self._token, None)


_SENDING: dict[str, _Sent[Any]] = {}
"""The values this process is sending, by token (a forked worker inherits them)."""

_RECEIVED: dict[str, _Sent[Any]] = {}
_RECEIVED_KEPT = 4


def _received(token: str, payload: bytes) -> _Sent[Any]:
    """The value sent with ``token``: unpickled the first time this process sees the token.

    A process forked from the sender while it sends holds the value itself: it is taken as it
    is, without unpickling (the same value, with the results remembered for it).
    """
    found = _RECEIVED.get(token) or _SENDING.get(token)
    if found is not None:
        return found
    sent: _Sent[Any] = _Sent(pickle.loads(payload), token)
    for old in list(_RECEIVED)[: max(0, len(_RECEIVED) - _RECEIVED_KEPT + 1)]:
        _RECEIVED.pop(old, None)
    _RECEIVED[token] = sent
    return sent


CHUNK = 25
"""Scenarios per task when an executor runs them."""


def _progress(items: Iterable[Any], total: int, label: str) -> Iterable[Any]:
    if total < 20:
        return items
    try:
        bar = importlib.import_module("tqdm.auto").tqdm
    except ImportError:
        return items
    return bar(items, total=total, desc=label, unit="Szenario")  # type: ignore[no-any-return]


def _evaluate_all(
    case: Case,
    scenarios: Sequence[Scenario | None],
    as_of: date,
    executor: Executor | None,
    label: str,
) -> list[ComparisonRow]:
    state = progress(case, as_of) if any(s is not None for s in scenarios) else None
    if executor is None:
        results = (_run(case, scenario, as_of, state) for scenario in scenarios)
        return list(_progress(results, len(scenarios), label))
    chunks = [scenarios[i : i + CHUNK] for i in range(0, len(scenarios), CHUNK)]
    # one task per chunk; the case and the progress are unpickled once per worker
    sent_state = _Sent(state) if state is not None else None
    rows: list[ComparisonRow] = []
    with (
        _Sent(case).sending() as sent_case,
        sent_state.sending() if sent_state is not None else nullcontext(),
    ):
        futures = [
            executor.submit(_run_many, sent_case, chunk, as_of, sent_state) for chunk in chunks
        ]
        # the rows arrive unpickled, without cycles: the collector's passes over the caller's
        # heap would compete with the workers (paused after submitting: a worker forked from
        # here starts with the collector as the caller has it)
        with collector_paused():
            for done in _progress((f.result() for f in futures), len(chunks), label):
                rows.extend(done)
    return rows


def compare(
    case: Case,
    scenarios: Iterable[Scenario] | None = None,
    *,
    as_of: date,
    executor: Executor | None = None,
    baseline: bool = True,
) -> ComparisonTable:
    """Evaluate the case and each scenario on the key date; return the comparison table.

    Args:
        case: the case (with its ledger attached, where it has one).
        scenarios: the scenarios; by default the case's own (``case.scenarios``).
        as_of: the key date — explicit, so a notebook gives the same table tomorrow.
        executor: run the evaluations in parallel (any ``concurrent.futures.Executor``).
        baseline: include the case as it is as the first row.

    Raises:
        CaseError: a scenario does not fit the case.

    Examples:
        >>> from foerdermittel import load_case
        >>> case = load_case("examples/bochum-mpsc.toml")
        >>> table = compare(case, [Scenario(name="Quote 90 %", steps=(ChangeRate(
        ...     tier="haushaltsnotlage"),))], as_of=date(2024, 1, 1))
        >>> [str(row.grant) for row in table.rows]
        ['9880000.00', '13680000.00']
    """
    chosen = list(case.scenarios if scenarios is None else scenarios)
    runs: list[Scenario | None] = ([None] if baseline else []) + list(chosen)
    return ComparisonTable(
        as_of=as_of, rows=tuple(_evaluate_all(case, runs, as_of, executor, "Szenarien"))
    )


def _default_maker(lines: Sequence[str] | None) -> Callable[[Mapping[str, Any]], Scenario]:
    def make(params: Mapping[str, Any]) -> Scenario:
        steps: list[Transformation] = []
        targets = list(lines or [])
        if "extend_to" in params and params["extend_to"] is not None:
            steps.append(
                ExtendPhase(phase=str(params.get("phase", "B")), new_end=params["extend_to"])
            )
        for line in targets:
            if params.get("overrun"):
                steps.append(ScaleLine(line=line, percent=Decimal(str(params["overrun"]))))
            if params.get("delay_months"):
                steps.append(ShiftLine(line=line, months=int(params["delay_months"])))
        name = ", ".join(f"{k}={v}" for k, v in params.items())
        return Scenario(name=name or BASELINE, steps=tuple(steps))

    return make


def sweep(
    case: Case,
    grid: Mapping[str, Sequence[Any]],
    *,
    as_of: date,
    lines: Sequence[str] | None = None,
    make: Callable[[Mapping[str, Any]], Scenario] | None = None,
    executor: Executor | None = None,
) -> ComparisonTable:
    """Evaluate every combination of ``grid`` (e.g. overrun 0–30 % × delay 0–18 months).

    Args:
        case: the case.
        grid: parameter name -> values. Without ``make``, the names ``overrun`` (percent),
            ``delay_months``, ``extend_to`` (a date) and ``phase`` (for ``extend_to``) are
            understood, applied to ``lines``.
        as_of: the key date.
        lines: the lines or groups (Leitthemen) the default parameters apply to; default all.
        make: build a scenario from one combination of parameters.
        executor: run in parallel.

    Examples:
        >>> from foerdermittel import load_case
        >>> table = sweep(load_case("examples/bochum-mpsc.toml"), {"overrun": [0, 10]},
        ...               as_of=date(2024, 1, 1), lines=["B-1.1"])
        >>> [row.parameters["overrun"] for row in table.rows]
        ['0', '10']
    """
    if make is None:
        targets = list(lines) if lines is not None else [line.id for line in case.plan.lines]
        make = _default_maker(targets)
    names = list(grid)
    combos = [dict(zip(names, values, strict=True)) for values in itertools.product(*grid.values())]
    scenarios = [make(params) for params in combos]
    rows = _evaluate_all(case, scenarios, as_of, executor, "Raster")
    rows = [
        row.model_copy(update={"parameters": {k: str(v) for k, v in params.items()}})
        for row, params in zip(rows, combos, strict=True)
    ]
    return ComparisonTable(as_of=as_of, rows=tuple(rows))


class ComparisonTable(BaseModel, Viewable):
    """Szenarienvergleich — one row per scenario.

    Attributes:
        as_of: the key date of the evaluations.
        rows: the outcomes.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: date
    rows: tuple[ComparisonRow, ...]

    def years(self) -> list[int]:
        """Every budget year that occurs in a row."""
        return sorted(
            {y for row in self.rows for y in (*row.own_share_by_year, *row.burden_by_year)}
        )

    def render(self, *, notes: bool = True) -> str:
        """The table as German text; below it each row's notes (``notes=False``: without).

        The text comes from [`comparison_text`][foerdermittel.export.text.comparison_text].
        """
        return str(render_view("text", self, notes=notes))

    def to_frame(self) -> Any:
        """The table as a pandas DataFrame (amounts stay exact ``Decimal``; needs pandas)."""
        return render_view("frame", self)
