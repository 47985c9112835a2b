"""Results remembered from immutable input: found again for the same input, never for another.

The rulebook, the amended grant, the financing, the deadlines, a forecast's sums and the first
steps of a scenario are computed once and read again; these tests make sure what is read
again is what computing it anew gives, and that changed input is computed anew.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import weakref
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import foerdermittel as fm
from foerdermittel.deadlines import derive_deadlines
from foerdermittel.forecasting import Forecast, forecast
from foerdermittel.frozen import IdentityMemo, built
from foerdermittel.model import scenario as scenario_module
from foerdermittel.own_share_plan import own_share
from foerdermittel.scenarios import (
    ScaleLine,
    Scenario,
    ShiftLine,
    _received,
    _Sent,
    compare,
    progress,
    sweep,
)
from foerdermittel.vouchers import checked_vouchers

from .common import BOCHUM

KEY_DATE = date(2024, 1, 1)


def test_identity_memo_finds_only_the_very_objects_and_keeps_the_last_few() -> None:
    memo: IdentityMemo[str] = IdentityMemo(2)
    first, second, third = [1], [1], [1]  # equal, not the same
    memo.put((first,), "first", (KEY_DATE,))
    assert memo.get((first,), (KEY_DATE,)) == "first"
    assert memo.get((second,), (KEY_DATE,)) is None
    assert memo.get((first,), (date(2025, 1, 1),)) is None
    memo.put((second,), "second", (KEY_DATE,))
    memo.put((third,), "third", (KEY_DATE,))
    assert memo.get((first,), (KEY_DATE,)) is None  # the oldest went
    assert memo.get((third,), (KEY_DATE,)) == "third"


def test_built_models_equal_validated_ones_and_copy_apart() -> None:
    made = built(fm.MonthAmount, {"month": KEY_DATE, "planned": Decimal("1.00"),
                                  "actual": None, "forecast": Decimal("2.00")})  # fmt: skip
    other = built(fm.MonthAmount, {"month": KEY_DATE, "planned": Decimal("3.00"),
                                   "actual": None, "forecast": Decimal("3.00")})  # fmt: skip
    assert made == fm.MonthAmount(
        month=KEY_DATE, planned=Decimal("1.00"), actual=None, forecast=Decimal("2.00")
    )
    assert made.model_fields_set == set(fm.MonthAmount.model_fields)
    changed = made.model_copy(update={"forecast": Decimal("5.00")})
    assert changed.forecast == Decimal("5.00")
    assert made.forecast == Decimal("2.00")
    assert other.model_fields_set == set(fm.MonthAmount.model_fields)
    assert pickle.loads(pickle.dumps(made)) == made


def test_a_forecast_built_by_hand_sums_its_months_as_the_forecast_does() -> None:
    case = fm.load_case(BOCHUM).amended()
    computed = forecast(case, KEY_DATE)
    by_hand = Forecast(cut_off=computed.cut_off, lines=computed.lines)  # validated, not summed
    for phase in case.grant.phases:
        assert by_hand.phase_months(phase.id) == computed.phase_months(phase.id)
    report = fm.evaluate(fm.load_case(BOCHUM), KEY_DATE)
    assert own_share(case, report.financing, by_hand, report.drawdowns) == report.own_share
    assert fm.drawdowns.monthly_flows(by_hand, report.drawdowns) == report.flows


def test_the_rulebook_and_the_amended_grant_are_computed_once_per_grant() -> None:
    case = fm.load_case(BOCHUM)
    assert case.rulebook()[0] is case.rulebook()[0]
    assert case.amended().grant is case.amended().grant
    rate = case.grant.model_copy(update={"rate": Decimal("0.5")})
    other = case.model_copy(update={"grant": rate})
    assert other.rulebook() == case.rulebook()
    assert other.amended().grant.rate == Decimal("0.5")
    assert case.amended().grant.rate == Decimal("0.65")


def test_deadlines_are_derived_again_when_what_they_read_changes() -> None:
    case = fm.load_case(BOCHUM)
    rulebook, _ = case.rulebook()
    first = derive_deadlines(case, rulebook, as_of=KEY_DATE)
    assert derive_deadlines(case, rulebook, as_of=KEY_DATE) is first
    # a scenario changes the plan only: the deadlines stay
    delayed = Scenario(name="Verzug", steps=(ShiftLine(line="phase:B", months=6),)).apply(case)
    assert derive_deadlines(delayed, rulebook, as_of=KEY_DATE) is first
    # another key date, or one payout less, gives other deadlines
    later = derive_deadlines(case, rulebook, as_of=date(2026, 1, 1))
    assert [d.status for d in later] != [d.status for d in first]
    fewer = case.model_copy(update={"payouts": case.payouts[:-1]})
    assert len(derive_deadlines(fewer, rulebook, as_of=KEY_DATE)) == len(first) - 1


def test_scenarios_that_begin_alike_give_what_each_gives_alone() -> None:
    case = fm.load_case(BOCHUM)
    state = progress(case, KEY_DATE)

    def scenario(percent: str, months: int) -> Scenario:
        return Scenario(
            name=f"{percent}/{months}",
            steps=(
                ScaleLine(line="phase:B", percent=Decimal(percent)),
                ShiftLine(line="phase:B", months=months),
            ),
        )

    scenario_module._BEGUN.clear()
    runs = [scenario("7", 5), scenario("7", 6), scenario("7.0", 7), scenario("8", 6)]
    together = [s.applied(case, progress=state) for s in runs]
    alone = []
    for s in runs:
        scenario_module._BEGUN.clear()
        alone.append(s.applied(case, progress=state))
    for (case_together, notes_together), (case_alone, notes_alone) in zip(
        together, alone, strict=True
    ):
        assert case_together.model_dump_json() == case_alone.model_dump_json()
        assert notes_together == notes_alone


def test_a_value_sent_to_workers_is_unpickled_once_per_process() -> None:
    case = fm.load_case(BOCHUM)
    sent = _Sent(case)
    first, second = pickle.loads(pickle.dumps(sent)), pickle.loads(pickle.dumps(sent))
    assert first is second
    assert first.value is second.value
    assert first.value == case
    assert first.value is not case
    again = _received("another run", pickle.dumps(case))
    assert again.value is not first.value


def test_a_thread_pool_gives_the_serial_table() -> None:
    case = fm.load_case(BOCHUM)
    grid = {"overrun": [0, 10], "delay_months": [0, 3, 30]}
    serial = sweep(case, grid, as_of=KEY_DATE, lines=["phase:B"])
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = sweep(case, grid, as_of=KEY_DATE, lines=["phase:B"], executor=pool)
        compared = compare(case, as_of=KEY_DATE, executor=pool)
    assert threaded == serial
    assert compared == compare(case, as_of=KEY_DATE)


def _sent_value_id(sent: _Sent[fm.Case]) -> int:
    return id(sent.value)


def test_a_value_being_sent_is_taken_as_it_is_where_the_process_holds_it() -> None:
    case = fm.load_case(BOCHUM)
    sent = _Sent(case)
    with sent.sending():
        assert pickle.loads(pickle.dumps(sent)).value is case
    assert pickle.loads(pickle.dumps(_Sent(case))).value is not case
    assert pickle.loads(pickle.dumps(sent)).value == case


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this system"
)
def test_a_worker_forked_while_sending_takes_the_value_it_holds() -> None:
    case = fm.load_case(BOCHUM)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        sent = _Sent(case)
        with sent.sending():
            forked = pool.submit(_sent_value_id, sent).result()
        started_before = pool.submit(_sent_value_id, _Sent(case)).result()
    assert forked == id(case)  # the very object: a forked process keeps its address
    assert started_before != id(case)  # unpickled: this worker existed before the sending


class _RecordingExecutor(Executor):
    """Runs each task at once and records whether the collector ran at submit and at result."""

    def __init__(self) -> None:
        self.at_submit: list[bool] = []
        self.at_result: list[bool] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.at_submit.append(gc.isenabled())
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        recorded = self.at_result
        original = future.result

        def result(timeout: float | None = None) -> Any:
            recorded.append(gc.isenabled())
            return original(timeout)

        future.result = result  # type: ignore[method-assign]
        return future


def test_rows_are_collected_with_the_collector_paused_after_submitting() -> None:
    case = fm.load_case(BOCHUM)
    executor = _RecordingExecutor()
    grid = {"overrun": [0, 10], "delay_months": [0, 3]}
    table = sweep(case, grid, as_of=KEY_DATE, lines=["phase:B"], executor=executor)
    assert table == sweep(case, grid, as_of=KEY_DATE, lines=["phase:B"])
    assert executor.at_submit
    assert all(executor.at_submit)
    assert executor.at_result
    assert not any(executor.at_result)
    assert gc.isenabled()


@pytest.mark.parametrize(
    "name",
    ["bochum-mpsc.toml", "efre-nrw.toml", "kfw432-quartier.toml", "stadterneuerung-nrw.toml"],
)
def test_a_report_built_without_validation_equals_the_validated_one(name: str) -> None:
    path = BOCHUM.parent / name
    case = fm.attach_ledger(fm.load_case(path), base_dir=path.parent)
    for as_of in (date(2022, 6, 30), KEY_DATE, date(2031, 1, 1)):
        report = fm.evaluate(case, as_of)
        fields = {name: getattr(report, name) for name in fm.Report.model_fields}
        assert fm.Report(**fields) == report
        assert report.model_fields_set == set(fm.Report.model_fields)


def test_a_ledger_let_go_is_freed_with_what_was_derived_from_it() -> None:
    """What the calculators remember of a ledger lives with the ledger, not beyond it."""
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    store = case.expenditures
    assert len(store) > 0
    gone = weakref.ref(store)
    fm.evaluate(case, KEY_DATE)
    sweep(case, {"overrun": [0, 10], "delay_months": [0, 3]}, as_of=KEY_DATE, lines=["phase:B"])
    compare(case, as_of=KEY_DATE)
    assert store._derived  # the order and the checked ledger are kept with the store
    del case, store
    gc.collect()
    assert gone() is None


def test_what_is_derived_from_a_ledger_is_found_again_while_it_lives() -> None:
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    first = checked_vouchers(case)
    assert checked_vouchers(case.model_copy()) is first  # the same vouchers and periods
    moved = case.model_copy(
        update={
            "settings": case.settings.model_copy(
                update={"input_tax_deduction": not case.settings.input_tax_deduction}
            )
        }
    )
    assert checked_vouchers(moved) is not first
    as_tuple = case.model_copy(update={"expenditures": tuple(case.expenditures)})
    again = checked_vouchers(as_tuple)
    assert checked_vouchers(as_tuple) is again  # vouchers held otherwise: remembered too
    assert again.lines.keys() == first.lines.keys()
