"""Peak memory of the Excel export for a report with 100,000 vouchers (run by hand).

    python -m benchmarks.excel_memory [count]      (from the repository root)

Prints the Python heap that ``excel.to_bytes`` allocates on top of the report (tracemalloc
peak), the size of the workbook, and the process's peak resident memory before and after the
export (``ru_maxrss``; the report itself is most of it). With the ``bench`` extra it measures
XlsxWriter writing the same cells as well.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from foerdermittel import fmt
from foerdermittel.export import excel


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(name: str, write: Callable[[], bytes]) -> None:
    start = time.perf_counter()
    data = write()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    write()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{name}: {seconds:.2f} s, {len(data) / 1e6:.1f} MB file, "
        f"heap peak {peak / 1e6:.1f} MB, max RSS so far {rss_mb():.0f} MB"
    )


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.test_bench_excel import report_with_vouchers, xlsxwriter_vouchers

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    report = report_with_vouchers(count)
    print(f"{fmt.date(report.as_of)}: {len(report.proof_of_use.vouchers)} vouchers")
    print(f"report built: max RSS {rss_mb():.0f} MB")
    measure("foerdermittel excel.to_bytes", lambda: excel.to_bytes(report))
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        return
    measure("XlsxWriter constant_memory (same cells)", lambda: xlsxwriter_vouchers(report))


if __name__ == "__main__":
    main()
