"""Min and median of timed rounds, and the library's time against a floor's in the same run."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

import foerdermittel

SRC = Path(foerdermittel.__file__).resolve().parent.parent


def ratio_figures(library: list[float], floor: list[float]) -> dict[str, float]:
    """The library's and the floor's min and median (seconds) and library/floor of each.

    Both lists hold the times of the same rounds, so the ratios compare the two on the
    machine as it was in that run.
    """
    return {
        "library_min_s": min(library),
        "library_median_s": statistics.median(library),
        "floor_min_s": min(floor),
        "floor_median_s": statistics.median(floor),
        "ratio_min": min(library) / min(floor),
        "ratio_median": statistics.median(library) / statistics.median(floor),
    }


def ms_line(name: str, seconds: list[float], floor: list[float], places: int = 1) -> str:
    """``name``'s min and median in milliseconds, and each against the floor's."""
    return (
        f"{name}: {min(seconds) * 1000:.{places}f} ms (median "
        f"{statistics.median(seconds) * 1000:.{places}f} ms); /floor "
        f"{min(seconds) / min(floor):.2f} "
        f"(medians {statistics.median(seconds) / statistics.median(floor):.2f})"
    )


def fresh_interpreter_environment() -> dict[str, str]:
    """The environment for a new interpreter that imports this checkout's library.

    Bytecode is written and read (``PYTHONDONTWRITEBYTECODE`` left out), as an installed
    library's is, so each run measures the start, not the compiling.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env
