"""Pausing Python's cyclic garbage collector around work that makes no reference cycles.

Reading a ledger, evaluating a case, ordering a Belegliste and moving a report between
processes make many small objects and no cycles: reference counting frees what they drop. The
collector's passes, set off by the count of new objects, scan the whole heap again and again
(the case and the report built so far included) and grew with the case to a third of the time.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused, if it runs, for the ``with`` block.

    Left as it was afterwards: paused already (by a caller), it stays paused; nested uses
    neither enable it early nor leave it off.

    Examples:
        >>> import gc
        >>> with collector_paused():
        ...     gc.isenabled()
        False
        >>> gc.isenabled()
        True
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
