"""The proof of use in the form's order: header, Sachbericht, Einnahmen row by row, Ausgaben.

Builds a [`ProofForm`][foerdermittel.proof.ProofForm] from the case and the figures of the
proof of use; no figure is new. The Einnahmen split the income block's rows: third-party money
and other public funding (one row per funder, "durch <Geber>") apart, each "laut Abrechnung"
the money that financed the booked expenditure — per phase the cover funds received (a phase
that has ended: every entry; one that runs: the entries up to the key date; with no cover
funds recorded at all, the plan's, as the final account assumes them). The rows therefore add
up to the income block's, to the cent. The Ausgaben show each line "insgesamt / davon
zuwendungsfähig" per decision and per final account, grouped by the plan's groups and phases.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from foerdermittel.financing import Financing, compute_financing
from foerdermittel.frozen import built
from foerdermittel.model.case import Case
from foerdermittel.model.narrative import ProofKind, ProofNarrative
from foerdermittel.model.plan import SourceKind
from foerdermittel.model.records import Income
from foerdermittel.money import ZERO
from foerdermittel.proof.final_account import cover_income
from foerdermittel.proof.form_results import (
    FormAmounts,
    FormDecision,
    FormExpenditure,
    FormGroup,
    FormHeader,
    FormIncomeRow,
    FormLine,
    FormPeriod,
    FormPhase,
    ProofForm,
    income_message,
)
from foerdermittel.proof.line_checks import _pct
from foerdermittel.proof.results import LineResult, PhaseResult
from foerdermittel.vouchers import ExcludedVoucher

__all__ = ["INPUT_TAX_SOURCE", "proof_kind"]

INPUT_TAX_SOURCE = "§ 15 UStG; ANBest-Gk Nr. 6.4 Satz 3, ANBest-P Nr. 6.2.2 Satz 5"
"""Where the proof's amounts are net of deductible input tax: the same numbers in every edition
read (ANBest-Gk 2006–April 2025, ANBest-P 2006–September 2025)."""


def _form(
    case: Case,
    decided: Case,
    financing: Financing,
    *,
    as_of: date,
    lines: Iterable[LineResult],
    phases: Iterable[PhaseResult],
    excluded: Iterable[ExcludedVoucher],
) -> ProofForm:
    """The form of the proof of use for the amended ``case`` (``decided``: with amendments)."""
    lines, phases = tuple(lines), tuple(phases)
    narrative = case.report or ProofNarrative()
    return ProofForm(
        header=_header(case, decided, as_of),
        narrative=narrative,
        narrative_missing=narrative.missing(),
        income=_income(case, financing, phases, as_of=as_of),
        expenditure=_expenditure(case, lines, tuple(excluded)),
        input_tax_deduction=case.settings.input_tax_deduction,
        input_tax_source=INPUT_TAX_SOURCE,
    )


def proof_kind(case: Case, as_of: date) -> tuple[ProofKind, bool]:
    """The kind of proof the form is and whether the case file states it.

    The ``[report]`` table's ``proof_kind`` where given; otherwise a Verwendungsnachweis once
    every phase has ended on the key date, a Zwischennachweis before.
    """
    stated = case.report.proof_kind if case.report is not None else None
    if stated is not None:
        return stated, True
    ended = all(phase.end <= as_of for phase in case.grant.phases)
    return (ProofKind.FINAL if ended else ProofKind.INTERIM), False


def _header(case: Case, decided: Case, as_of: date) -> FormHeader:
    grant = case.grant
    original = decided.model_copy(update={"amendments": ()})
    decisions = [
        FormDecision(
            kind="decision",
            id=grant.id,
            day=decided.grant.decision_date,
            amount=compute_financing(original).grant,
        )
    ]
    for amendment in decided.ordered_amendments():
        after = decided.amended(until=amendment.decided_on)
        decisions.append(
            FormDecision(
                kind="amendment",
                id=amendment.id,
                day=amendment.decided_on,
                amount=compute_financing(after).grant,
                title=amendment.title,
            )
        )
    kind, stated = proof_kind(case, as_of)
    return FormHeader(
        recipient=grant.recipient,
        recipient_address=grant.recipient_address,
        funder=grant.funder,
        file_number=grant.id,
        decisions=tuple(decisions),
        periods=tuple(
            FormPeriod(
                phase=p.id, title=p.title, start=p.start, end=p.end, early_start=p.early_start
            )
            for p in grant.phases
        ),
        proof_kind=kind,
        proof_kind_stated=stated,
    )


# --- Einnahmen ------------------------------------------------------------------------------


def _income_phase(case: Case, income: Income) -> str | None:
    """The phase an income entry finances: its own, its source's, or the only phase."""
    if income.phase is not None:
        return income.phase
    if income.source is not None:
        for source in case.plan.sources:
            if source.id == income.source and source.phase is not None:
                return source.phase
    return case.grant.phases[0].id if len(case.grant.phases) == 1 else None


def _income(
    case: Case, financing: Financing, phases: tuple[PhaseResult, ...], *, as_of: date
) -> tuple[FormIncomeRow, ...]:
    """Own funds, third-party money, other public funding per funder, this grant."""
    single = len(case.grant.phases) == 1
    sources = {s.id: s for s in case.plan.sources}
    cover = cover_income(case)
    running = {p.phase for p in phases if p.projected}
    # the rows "laut Abrechnung": keyed (kind, funder) in the order first met
    actual: dict[tuple[str, str | None], Decimal] = {}
    planned: dict[tuple[str, str | None], Decimal] = {}
    public_kind = SourceKind.OTHER_PUBLIC
    for source in case.plan.sources:
        if source.kind is public_kind:
            named: tuple[str, str | None] = ("other_public", source.title)
            planned[named] = planned.get(named, ZERO) + source.amount
            actual.setdefault(named, ZERO)
    for phase in case.grant.phases:
        if not phases:
            break
        if not cover:
            if phase.id in running:
                continue
            # no cover funds recorded: the final account assumes the plan's
            for source in case.plan.sources:
                mine = source.phase == phase.id or (source.phase is None and single)
                if not mine or source.kind is SourceKind.OWN_FUNDS:
                    continue
                found = _key(source.kind.value, source.title)
                actual[found] = actual.get(found, ZERO) + source.amount
            continue
        for entry in cover:
            if _income_phase(case, entry) != phase.id:
                continue
            if phase.id in running and entry.received_on > as_of:
                continue
            planned_source = sources.get(entry.source) if entry.source is not None else None
            if planned_source is not None and planned_source.kind is not SourceKind.OWN_FUNDS:
                key = _key(planned_source.kind.value, planned_source.title)
            else:
                key = _key(entry.kind, entry.payer or "—")
            actual[key] = actual.get(key, ZERO) + entry.amount
    planned_total = financing.eligible_expenditure
    booked = sum((p.booked for p in phases), ZERO)
    third = ("third_party", None)

    def row(kind: str, funder: str | None, plan: Decimal, account: Decimal) -> FormIncomeRow:
        return FormIncomeRow(
            kind=kind,  # type: ignore[arg-type]
            what=income_message(kind, funder),
            funder=funder,
            planned=plan,
            planned_pct=_pct(plan, planned_total),
            actual=account,
            actual_pct=_pct(account, booked),
        )

    own_booked = sum((p.own_booked for p in phases), ZERO)
    grant_booked = sum((p.grant_booked for p in phases), ZERO)
    rows = [
        row("own_funds", None, financing.own_share, own_booked),
        row("third_party", None, financing.third_party, actual.get(third, ZERO)),
    ]
    for (kind, funder), amount in actual.items():
        if kind == "other_public":
            rows.append(row(kind, funder, planned.get((kind, funder), ZERO), amount))
    rows.append(row("grant", None, financing.grant, grant_booked))
    return tuple(rows)


def _key(kind: str, funder: str) -> tuple[str, str | None]:
    """Third-party money is one row; other public funding one row per funder."""
    return ("third_party", None) if kind == "third_party" else ("other_public", funder)


# --- Ausgaben -------------------------------------------------------------------------------


def _sum(parts: Iterable[FormAmounts]) -> dict[str, Decimal]:
    items = tuple(parts)
    return {
        name: sum((getattr(p, name) for p in items), ZERO)
        for name in ("planned_total", "planned_eligible", "actual_total", "actual_eligible")
    }


def _expenditure(
    case: Case, results: tuple[LineResult, ...], excluded: tuple[ExcludedVoucher, ...]
) -> FormExpenditure:
    """The lines "insgesamt / davon zuwendungsfähig", by phase and group, with subtotals."""
    net = case.settings.input_tax_deduction
    left_out: dict[str, Decimal] = {}
    for voucher in excluded:
        if voucher.counted or voucher.code == "duplicate-voucher":
            continue
        amount = voucher.net_amount if net and voucher.net_amount is not None else voucher.amount
        left_out[voucher.line] = left_out.get(voucher.line, ZERO) + amount
    by_id = {r.line: r for r in results}
    form_lines: list[FormLine] = []
    for line in case.plan.lines:
        result = by_id.get(line.id)
        actual = result.actual if result is not None else ZERO
        planned = line.total
        difference = actual - planned
        form_lines.append(
            built(
                FormLine,
                {
                    "planned_total": planned,
                    "planned_eligible": planned,
                    "actual_total": actual + left_out.get(line.id, ZERO),
                    "actual_eligible": actual,
                    "line": line.id,
                    "title": line.title,
                    "group": line.group,
                    "difference": difference,
                    "difference_pct": _pct(difference, planned),
                    "status": result.status if result is not None else "within_plan",
                    "justification": line.justification,
                    "justification_missing": (
                        result is not None
                        and result.status == "beyond_tolerance"
                        and line.justification is None
                    ),
                },
            )
        )
    phase_of = {line.id: line.phase for line in case.plan.lines}
    phases = []
    for phase in case.grant.phases:
        mine = [f for f in form_lines if phase_of[f.line] == phase.id]
        groups = _groups(mine)
        phases.append(
            built(
                FormPhase,
                {
                    **_sum(groups),
                    "phase": phase.id,
                    "title": phase.title,
                    "groups": groups,
                    "justification": phase.justification,
                },
            )
        )
    named = [f for f in form_lines if f.group is not None]
    ineligible = sum(case.plan.ineligible.values(), ZERO)
    total = _sum(phases)
    total["planned_total"] += ineligible
    return built(
        FormExpenditure,
        {
            **total,
            "phases": tuple(phases),
            "groups": _groups(named),
            "ineligible_planned": ineligible,
        },
    )


def _groups(lines: list[FormLine]) -> tuple[FormGroup, ...]:
    """The lines by group, in the order the plan first names each group."""
    order: dict[str | None, list[FormLine]] = {}
    for line in lines:
        order.setdefault(line.group, []).append(line)
    return tuple(
        built(FormGroup, {**_sum(members), "group": group, "lines": tuple(members)})
        for group, members in order.items()
    )
