"""Running a portfolio's tasks: serially, or through any executor the caller passes.

An executor is any object with ``submit(fn, *args)`` whose future has ``result()`` — a
``concurrent.futures`` executor, a ``dask.distributed.Client`` — or, failing that, with
``map(fn, *iterables)`` (``multiprocessing.Pool``). No scheduler of our own: the tasks are
module-level functions whose arguments and results pickle, so any of them can run them.

Through an executor, each task's result travels as one pickle made in the worker and read in
this process with the cyclic garbage collector paused (``_Packed``). A grant's report is tens
of thousands of small objects; read while the collector runs, its passes over a heap that
holds every report read so far took three quarters of the time the results took to arrive —
the reading that happens one result after the other, in this one process.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from foerdermittel._collector import collector_paused

__all__ = ["MapsTasks", "SubmitsTasks", "TaskFailure", "run_tasks"]


@runtime_checkable
class _Future(Protocol):
    def result(self) -> Any:
        """The task's value, or its exception raised."""


@runtime_checkable
class SubmitsTasks(Protocol):
    """An executor with ``submit(fn, *args)`` returning a future with ``result()``.

    ``concurrent.futures.Executor`` and ``dask.distributed.Client`` are such executors.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        """Run ``fn(*args)``; the returned future's ``result()`` gives its value."""


@runtime_checkable
class MapsTasks(Protocol):
    """An executor with only ``map(fn, *iterables)``.

    Where it also has ``starmap(fn, iterable_of_argument_tuples)`` — ``multiprocessing.Pool``,
    whose ``map`` takes a single iterable — that is used instead.
    """

    def map(self, fn: Callable[..., Any], /, *iterables: Iterable[Any]) -> Any:
        """``fn`` applied to the items of ``iterables``, in order."""


@dataclass(frozen=True)
class TaskFailure:
    """A task the executor could not run to its end: the exception's type and text.

    Attributes:
        error: the type of the exception, e.g. ``BrokenProcessPool``.
        message: its message.
    """

    error: str
    message: str

    @classmethod
    def of(cls, exc: BaseException) -> TaskFailure:
        """The failure an exception stands for."""
        return cls(type(exc).__name__, str(exc))


class _Packed:
    """A task's result as it travels back from a worker: its pickle, made and read at once.

    Pickled, it is its value's pickle, made with the collector paused; unpickled, the value,
    read with the collector paused. Without pickling (threads) the value itself is kept.
    """

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __reduce__(self) -> tuple[Callable[[bytes], _Packed], tuple[bytes]]:
        with collector_paused():
            payload = pickle.dumps(self.value, protocol=pickle.HIGHEST_PROTOCOL)
        return (_unpacked, (payload,))


def _unpacked(payload: bytes) -> _Packed:
    """The result a worker packed."""
    with collector_paused():
        return _Packed(pickle.loads(payload))


def _packed_call(fn: Callable[..., Any], /, *args: Any) -> _Packed:
    """``fn(*args)``, its result packed: the function an executor runs for each task."""
    return _Packed(fn(*args))


def _resolved(value: object) -> object:
    if isinstance(value, _Future) and not isinstance(value, TaskFailure):
        try:
            value = value.result()  # dask's Client.map gives futures
        except Exception as exc:
            return TaskFailure.of(exc)
    return value.value if isinstance(value, _Packed) else value


def run_tasks(
    fn: Callable[..., Any],
    tasks: Sequence[tuple[Any, ...]],
    executor: SubmitsTasks | MapsTasks | None,
) -> list[Any]:
    """``fn(*task)`` for each task, in order; what the executor fails at, a ``TaskFailure``.

    Without an executor the tasks run here, one after the other, and an exception of ``fn``
    propagates. Through an executor, an exception a task raises — or the executor raises for
    it (a worker that died, an argument that does not pickle) — is that task's
    ``TaskFailure``, and the other tasks' results are kept: the caller names each failure.
    """
    if executor is None:
        return [fn(*task) for task in tasks]
    if isinstance(executor, SubmitsTasks):
        futures: list[object] = []
        for task in tasks:
            try:
                futures.append(executor.submit(_packed_call, fn, *task))
            except Exception as exc:
                futures.append(TaskFailure.of(exc))
        return [_resolved(future) for future in futures]
    results: list[object] = []
    try:
        packed = functools.partial(_packed_call, fn)
        # ``multiprocessing.Pool.map`` takes one iterable (its third argument is the chunk
        # size); its ``starmap`` gives each task's arguments apart
        starmap = getattr(executor, "starmap", None)
        values = (
            starmap(packed, tasks)
            if callable(starmap)
            else executor.map(packed, *zip(*tasks, strict=True))
        )
        for value in values:
            results.append(_resolved(value))
    except Exception as exc:
        failure = TaskFailure.of(exc)
        results.extend(failure for _ in range(len(tasks) - len(results)))
    return results
