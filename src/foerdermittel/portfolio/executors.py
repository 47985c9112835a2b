"""Running a portfolio's tasks: serially, or through any executor the caller passes.

An executor is any object with ``submit(fn, *args)`` whose future has ``result()`` — a
``concurrent.futures`` executor, a ``dask.distributed.Client`` — or, failing that, with
``map(fn, *iterables)`` (``multiprocessing.Pool``). No scheduler of our own: the tasks are
module-level functions whose arguments and results pickle, so any of them can run them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

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
    """An executor with only ``map(fn, *iterables)`` (``multiprocessing.Pool``, say)."""

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


def _resolved(value: object) -> object:
    if isinstance(value, _Future) and not isinstance(value, TaskFailure):
        try:
            return value.result()  # dask's Client.map gives futures
        except Exception as exc:
            return TaskFailure.of(exc)
    return value


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
                futures.append(executor.submit(fn, *task))
            except Exception as exc:
                futures.append(TaskFailure.of(exc))
        return [_resolved(future) for future in futures]
    results: list[object] = []
    try:
        for value in executor.map(fn, *zip(*tasks, strict=True)):
            results.append(_resolved(value))
    except Exception as exc:
        failure = TaskFailure.of(exc)
        results.extend(failure for _ in range(len(tasks) - len(results)))
    return results
