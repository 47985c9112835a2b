"""Running a portfolio's tasks through an executor: each result packed in the worker."""

from __future__ import annotations

import gc
import multiprocessing
import pickle
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from decimal import Decimal

import pytest

from foerdermittel.portfolio.executors import TaskFailure, run_tasks

ROWS = [(Decimal("1.10"), 2), (Decimal("-0.00"), 3), (Decimal("7"), 0)]


def _rows(amount: Decimal, times: int) -> list[Decimal]:
    if times == 0:
        raise ValueError("kein Vielfaches")
    return [amount] * times


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_process_pool_gives_each_result_as_it_was_and_failures_by_task(
    collector_on: None,
) -> None:
    with ProcessPoolExecutor(2) as pool:
        results = run_tasks(_rows, ROWS, pool)
    assert results[:2] == [[Decimal("1.10")] * 2, [Decimal("-0.00")] * 3]
    assert str(results[1][0]) == "-0.00"
    assert results[2] == TaskFailure("ValueError", "kein Vielfaches")
    assert gc.isenabled()


def test_a_thread_pool_gives_the_very_objects_the_tasks_made() -> None:
    made: list[object] = []

    def make(n: int) -> object:
        value = [n]
        made.append(value)
        return value

    with ThreadPoolExecutor(2) as pool:
        results = run_tasks(make, [(1,), (2,)], pool)
    assert sorted(map(id, results)) == sorted(map(id, made))


def test_a_packed_result_pickles_as_its_value_and_leaves_the_collector_as_it_was(
    collector_on: None,
) -> None:
    from foerdermittel.portfolio.executors import _packed_call

    packed = pickle.loads(pickle.dumps(_packed_call(_rows, Decimal("2.50"), 2)))
    assert packed.value == [Decimal("2.50"), Decimal("2.50")]
    assert gc.isenabled()
    gc.disable()
    try:
        pickle.loads(pickle.dumps(_packed_call(_rows, Decimal("2.50"), 1)))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_multiprocessing_pool_gives_each_task_its_arguments() -> None:
    # Pool.map takes one iterable and a chunk size: the tasks' arguments go through starmap
    with multiprocessing.Pool(2) as pool:
        assert run_tasks(_rows, ROWS[:2], pool) == run_tasks(_rows, ROWS[:2], None)
