"""Covered periods: whether the calls of a phase tile it, and how the plan makes them tile.

Every day of a phase is covered by exactly one call (ANBest-Gk Nr. 1.3 / ANBest-P Nr. 1.4:
money is called for the expenditure of a period, each expenditure once).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from foerdermittel.drawdowns.results import Call, DrawdownPlan, _Frozen
from foerdermittel.model.grant import Phase
from foerdermittel.periods import Period

__all__ = ["CallTiling", "call_tiling", "plan_tiling"]


class CallTiling(_Frozen):
    """Whether the covered periods of a phase's calls tile the phase.

    Attributes:
        phase: the phase.
        start: the phase's first day.
        end: the phase's last day.
        gaps: days of the phase no call covers.
        overlaps: days two or more calls cover.
        outside: days a call covers outside the phase.
    """

    phase: str
    start: date
    end: date
    gaps: tuple[Period, ...]
    overlaps: tuple[Period, ...]
    outside: tuple[Period, ...] = ()

    @property
    def tiles(self) -> bool:
        """No gap, no overlap, nothing outside the phase."""
        return not (self.gaps or self.overlaps or self.outside)


def call_tiling(phase: str, start: date, end: date, calls: Sequence[Call]) -> CallTiling:
    """Check that the periods ``covers_from``..``covers_to`` of ``calls`` tile ``start``..``end``.

    Every day of the phase must be covered by exactly one call (ANBest-Gk Nr. 1.3 /
    ANBest-P Nr. 1.4: money is called for the expenditure of a period, each expenditure
    once). A phase without calls has nothing to check.

    Examples:
        >>> from foerdermittel import load_case, evaluate
        >>> r = evaluate(load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30))
        >>> [t.tiles for t in plan_tiling(r.drawdowns, r.grant.phases)]
        [True, True]
    """
    gaps: list[Period] = []
    overlaps: list[Period] = []
    outside: list[Period] = []
    one = timedelta(days=1)
    if not calls:
        return CallTiling(phase=phase, start=start, end=end, gaps=(), overlaps=())
    cursor = start
    for call in sorted(calls, key=lambda c: (c.covers_from, c.covers_to)):
        first, last = call.covers_from, call.covers_to
        if first < start:
            outside.append(Period(start=first, end=min(last, start - one)))
        if last > end:
            outside.append(Period(start=max(first, end + one), end=last))
        first, last = max(first, start), min(last, end)
        if first > last:
            continue
        if first > cursor:
            gaps.append(Period(start=cursor, end=first - one))
        elif first < cursor:
            overlaps.append(Period(start=first, end=min(last, cursor - one)))
        cursor = max(cursor, last + one)
    if cursor <= end:
        gaps.append(Period(start=cursor, end=end))
    return CallTiling(
        phase=phase,
        start=start,
        end=end,
        gaps=tuple(gaps),
        overlaps=tuple(overlaps),
        outside=tuple(outside),
    )


def plan_tiling(plan: DrawdownPlan, phases: Sequence[Phase]) -> tuple[CallTiling, ...]:
    """[`call_tiling`][foerdermittel.drawdowns.call_tiling] for every phase of a plan.

    ``phases`` are the grant's phases as the plan was made for them (the amended grant).
    """
    by_id = {p.id: p for p in phases}
    return tuple(
        call_tiling(p.phase, by_id[p.phase].start, by_id[p.phase].end, p.calls)
        for p in plan.phases
        if p.phase in by_id
    )


def _tile(calls: list[Call], start: date, end: date) -> list[Call]:
    """Make the calls' periods tile ``start``..``end`` in call order.

    Each call ends where its own period ends (within the phase, after its predecessor's end);
    the last call closes the phase. Where calls crowd the phase's end, each earlier call gives
    up the days a later one needs.
    """
    if not calls:
        return calls
    one = timedelta(days=1)
    ends = [min(max(c.covers_to, start), end) for c in calls]
    for i in range(1, len(ends)):
        ends[i] = max(ends[i], ends[i - 1] + one)
    ends[-1] = end
    for i in range(len(ends) - 2, -1, -1):
        ends[i] = min(ends[i], ends[i + 1] - one)
    froms = [start, *(e + one for e in ends[:-1])]
    return [
        c.model_copy(update={"covers_from": f, "covers_to": e})
        for c, f, e in zip(calls, froms, ends, strict=True)
    ]
