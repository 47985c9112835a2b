"""Min and median of timed rounds, and the library's time against a floor's in the same run."""

from __future__ import annotations

import statistics


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
