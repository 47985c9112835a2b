"""The Belegliste's structure: the vouchers by the plan's phases, groups and lines, the income.

The form lists the vouchers by the structure of the financing plan — per phase, per group of
lines (``BudgetLine.group``, the Leitthema) where the lines have one, per line
(Einzelansatz) — each line's vouchers in date order (payment date, then voucher number),
the income apart, grouped by its funding source. This module only orders: each voucher's
position goes into its line's bucket in one pass over the budget-line column of the proof of
use's vouchers, in the order the proof of use holds them — by day, then number:
[`check_vouchers`][foerdermittel.vouchers.check_vouchers] sorts the ledger so once for every
part of the evaluation, and the order within a line is that order (sorting 100,000 vouchers
again here would cost more than writing their rows). The sheet writes the buckets and their
sums from the columns (``vouchers``).

A voucher whose line is not in the plan (a line an amendment removed) is listed after the
plan's phases, one block per such line, so that no voucher is left out of the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any

from foerdermittel._collector import collector_paused
from foerdermittel.model.plan import FinancingPlan
from foerdermittel.model.records import Income
from foerdermittel.model.voucher_columns import VoucherColumns
from foerdermittel.money import ZERO
from foerdermittel.report import Report

__all__: list[str] = []


@dataclass
class _LineBlock:
    """One line (Einzelansatz) and its vouchers in date order, by their positions."""

    line: str
    title: str
    vouchers: list[int] = field(default_factory=list)


@dataclass
class _GroupBlock:
    """The lines of one group (Leitthema) of a phase; ``group`` is ``None`` for lines without."""

    group: str | None
    lines: list[_LineBlock] = field(default_factory=list)


@dataclass
class _PhaseBlock:
    """The groups of one phase; ``phase`` is ``None`` for lines that are not in the plan."""

    phase: str | None
    title: str
    groups: list[_GroupBlock] = field(default_factory=list)


@dataclass
class _IncomeBlock:
    """The income of one funding source (``source``) or, without one, of one kind."""

    source: str | None
    kind: str
    title: str
    entries: list[Income] = field(default_factory=list)


@dataclass(frozen=True)
class _Blocks:
    """What the Belegliste lists, in order: expenditure, income, income after the key date."""

    phases: tuple[_PhaseBlock, ...]
    income: tuple[_IncomeBlock, ...]
    income_after: tuple[int, Decimal]  # number and sum of the income after the key date
    vouchers: VoucherColumns  # the proof of use's vouchers the line blocks' positions point to
    cells: dict[str, Any] = field(default_factory=dict)  # how the rows write a text column


_received = attrgetter("received_on", "id")


def _plan_blocks(plan: FinancingPlan, phase_titles: dict[str, str]) -> list[_PhaseBlock]:
    """Empty blocks for every line of the plan, by phase (grant order) and group."""
    phases: dict[str, _PhaseBlock] = {
        phase: _PhaseBlock(phase, title) for phase, title in phase_titles.items()
    }
    groups: dict[tuple[str, str | None], _GroupBlock] = {}
    for line in plan.lines:
        block = phases.get(line.phase)
        if block is None:  # pragma: no cover - the case checks every line's phase
            block = phases[line.phase] = _PhaseBlock(line.phase, "")
        key = (line.phase, line.group)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _GroupBlock(line.group)
            block.groups.append(group)
        group.lines.append(_LineBlock(line.id, line.title))
    return list(phases.values())


def _expenditure(report: Report) -> tuple[_PhaseBlock, ...]:
    """The counted vouchers in their lines' blocks; lines and phases without vouchers dropped."""
    phases = _plan_blocks(report.plan, {p.id: p.title for p in report.grant.phases})
    buckets: dict[str, list[int]] = {}
    for phase in phases:
        for group in phase.groups:
            for line in group.lines:
                buckets[line.line] = line.vouchers
    unplanned = _PhaseBlock(None, "")
    vouchers = VoucherColumns.of(report.proof_of_use.vouchers)
    by_index: list[list[int]] = []
    outside: list[_LineBlock] = []  # lines not in the plan
    for line_id in vouchers.line_table:
        bucket = buckets.get(line_id)
        if bucket is None:
            block = _LineBlock(line_id, "")
            bucket = buckets[line_id] = block.vouchers
            outside.append(block)
        by_index.append(bucket)
    add = [bucket.append for bucket in by_index]
    for position, k in enumerate(vouchers.lines):  # in order of day and number (the proof's)
        add[k](position)
    for block in sorted((b for b in outside if b.vouchers), key=lambda b: b.vouchers[0]):
        unplanned.groups.append(_GroupBlock(None, [block]))  # in the order of their first
    if unplanned.groups:
        phases.append(unplanned)
    kept: list[_PhaseBlock] = []
    for phase in phases:
        phase.groups = [g for g in phase.groups if any(line.vouchers for line in g.lines)]
        for group in phase.groups:
            group.lines = [line for line in group.lines if line.vouchers]
        if phase.groups:
            kept.append(phase)
    return tuple(kept)


def _income(report: Report) -> tuple[tuple[_IncomeBlock, ...], tuple[int, Decimal]]:
    """The income up to the key date by source (plan order), then by kind; and what is later."""
    blocks: dict[tuple[str | None, str], _IncomeBlock] = {}
    kinds: dict[str, str] = {}
    for source in report.plan.sources:
        kind = kinds[source.id] = source.kind.value
        blocks[(source.id, kind)] = _IncomeBlock(source.id, kind, source.title)
    later, later_sum = 0, ZERO
    for entry in sorted(report.income, key=_received):
        if entry.received_on > report.as_of:
            later += 1
            later_sum += entry.amount
            continue
        kind = kinds.get(entry.source, entry.kind) if entry.source is not None else entry.kind
        key = (entry.source, kind)
        block = blocks.get(key)
        if block is None:
            block = blocks[key] = _IncomeBlock(entry.source, kind, "")
        block.entries.append(entry)
    return tuple(b for b in blocks.values() if b.entries), (later, later_sum)


def _blocks(report: Report) -> _Blocks:
    """The Belegliste's blocks for a report."""
    with collector_paused():
        income, after = _income(report)
        vouchers = VoucherColumns.of(report.proof_of_use.vouchers)
        return _Blocks(_expenditure(report), income, after, vouchers)
