"""A million vouchers: import + evaluate in time and memory, and linear from 10,000 on.

Not part of the benchmark suite: writing a million vouchers takes minutes, so the test is
skipped unless the environment variable ``FOERDERMITTEL_BENCH_MILLION`` is set::

    FOERDERMITTEL_BENCH_MILLION=1 pytest benchmarks/test_bench_million.py -s -p no:cacheprovider

or, the same without pytest (sizes optional, 10,000, 100,000 and 1,000,000 by default)::

    python -m benchmarks.test_bench_million [COUNT ...]

The ledgers are written as in ``test_bench_proof`` (the Bochum case, vouchers spread over its
lines and phases) into ``FOERDERMITTEL_BENCH_DIR`` if set — where they are kept and reused —
else into a temporary folder. Each size then runs in a fresh interpreter, so that its peak
resident memory is its own: the floor (the ``csv`` module and one ``Decimal`` per line over
the same file), then ``attach_ledger`` and ``evaluate`` — each after a first run of the floor
and of the Bochum case without a ledger, so that importing the modules is not counted.
Printed per size: the floor, the import, the evaluation, both, library/floor, the time per
voucher and its ratio to the smallest size's (near 1: linear), and the peak resident memory
(``ru_maxrss``). The goals for a million vouchers: import + evaluate within 15 s and a peak
of 1.2 GB.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

GOAL_SECONDS = 15.0
GOAL_PEAK_MB = 1200.0
SIZES = (10_000, 100_000, 1_000_000)
ENABLED = "FOERDERMITTEL_BENCH_MILLION"


def _ledger(folder: Path, count: int) -> Path:
    """The ledger of ``count`` vouchers in ``folder``, written once."""
    from .test_bench_proof import _ledger as write

    path = folder / f"belege-{count}.csv"
    if not path.exists():
        partial = path.with_suffix(".part")
        write(partial, count)
        partial.replace(path)
    return path


def _measure(path: Path) -> dict[str, float]:
    """Floor, import and evaluation of the ledger at ``path`` once, in this process."""
    import foerdermittel as fm
    from foerdermittel.io import attach_ledger

    from .test_bench_ledger import floor
    from .test_bench_proof import KEY_DATE
    from .vouchers import bochum_without_ledger

    case = bochum_without_ledger()
    fm.evaluate(case, KEY_DATE)  # the modules imported and the rules read: not per voucher
    floor(path, encoding="utf-8-sig")
    began = time.perf_counter()
    floor(path, encoding="utf-8-sig")
    floored = time.perf_counter()
    attached = attach_ledger(case, ledger=path)
    imported = time.perf_counter()
    report = fm.evaluate(attached, KEY_DATE)
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "vouchers": len(attached.expenditures),
        "counted": len(report.proof_of_use.vouchers),
        "floor": floored - began,
        "import": imported - floored,
        "evaluate": done - imported,
        "peak_mb": peak,
    }


def _in_fresh_process(path: Path) -> dict[str, float]:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.test_bench_million", "--measure", str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run(sizes: tuple[int, ...] = SIZES) -> list[dict[str, float]]:
    """Write (or reuse) the ledgers, measure each size in a fresh process, print the table."""
    kept = os.environ.get("FOERDERMITTEL_BENCH_DIR")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(kept) if kept else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        results = [_in_fresh_process(_ledger(folder, count)) for count in sizes]
    first = results[0]
    unit = (first["import"] + first["evaluate"]) / first["vouchers"]
    print()
    print(
        f"{'vouchers':>10} {'floor':>8} {'import':>8} {'evaluate':>9} {'both':>8} "
        f"{'/floor':>7} {'µs each':>8} {'/first':>7} {'peak RSS':>9}"
    )
    for figures in results:
        both = figures["import"] + figures["evaluate"]
        each = both / figures["vouchers"]
        print(
            f"{int(figures['vouchers']):>10,} {figures['floor']:>7.2f}s {figures['import']:>7.2f}s "
            f"{figures['evaluate']:>8.2f}s {both:>7.2f}s {both / figures['floor']:>7.1f} "
            f"{each * 1e6:>8.2f} {each / unit:>7.2f} {figures['peak_mb']:>6.0f} MB"
        )
    return results


@pytest.mark.skipif(not os.environ.get(ENABLED), reason=f"set {ENABLED}=1 to run (minutes)")
def test_a_million_vouchers_in_time_and_memory() -> None:
    results = run()
    largest = results[-1]
    assert largest["vouchers"] == SIZES[-1]
    print(
        f"1,000,000 vouchers: {largest['import'] + largest['evaluate']:.1f} s "
        f"(goal {GOAL_SECONDS:.0f} s), peak {largest['peak_mb']:.0f} MB "
        f"(goal {GOAL_PEAK_MB:.0f} MB)"
    )


if __name__ == "__main__":  # pragma: no cover - by hand, see the module text
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(_measure(Path(sys.argv[2]))))
    else:
        run(tuple(int(arg) for arg in sys.argv[1:]) or SIZES)
