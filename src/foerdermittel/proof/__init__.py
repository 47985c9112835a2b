"""Proof of use (Verwendungsnachweis): plan against actual, the 20 % rule, final grant, refund.

From the recorded expenditures (Belege) and income the package computes what the proof of use
must show, and — long before the end — what the final grant will be:

1. **Eligibility** of each voucher: paid inside the approved period of its line's phase (before
   it only from an approved early start, vorzeitiger Maßnahmebeginn); the same voucher number
   only once; signs that fit the kind (an expenditure positive, a credit note negative); the net
   amount where input tax is deductible. Vouchers paid after the key date are left out and
   counted.
2. **Plan against actual** per line (ANBest-Gk / ANBest-P Nr. 1.2): a line may exceed its plan by
   up to 20 % when other lines save as much; larger overruns only where official conditions
   require them; the financing plan binds in its total. Not for Festbetragsfinanzierung.
3. **Final grant** per phase under ANBest Nr. 2
   ([`later_reduction`][foerdermittel.financing.later_reduction], with the 500 € threshold),
   compared with what was paid out: the final instalment still due, or the refund — with
   interest under § 49a Abs. 3 VwVfG from the day the grant became ineffective (a setting) or
   the later payout that made the overpayment.
4. **Interim proof** (Zwischennachweis) per budget year in the federal layout, and the figures of
   the proof of use: income block, expenditure block, payment block and the voucher list.

The package holds one concept per module: `results` (the result models), `line_checks` (plan
against actual, the 20 % rule), `final_account` (the later reduction per phase, the refund and
its interest), `interim` (the interim proof), `totals` (the totals of the Belegliste) and
`findings`. The public names are the ones below.

A flat-rate line's (Pauschale) eligible actual is its rate times its base's
([`LineResult.flat_rate`][foerdermittel.proof.LineResult]); the plan's flat-rate lines are
checked with the financing plan
([`check_flat_rates`][foerdermittel.flat_rates.check_flat_rates]).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foerdermittel.errors import Finding
from foerdermittel.financing import Financing
from foerdermittel.forecasting import Forecast
from foerdermittel.message_types import Message
from foerdermittel.model.case import Case
from foerdermittel.model.voucher_columns import VoucherColumns
from foerdermittel.money import ZERO
from foerdermittel.proof.final_account import _phase_result
from foerdermittel.proof.findings import PROOF_FINDING_CODES, _findings
from foerdermittel.proof.form import _form, proof_kind
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
)
from foerdermittel.proof.interim import _interim
from foerdermittel.proof.line_checks import _lines, _pct
from foerdermittel.proof.results import (
    IncomeRow,
    InterimProof,
    InterimRow,
    LineResult,
    PhaseResult,
    ProofOfUse,
    Step,
    VoucherTotals,
)
from foerdermittel.proof.totals import _voucher_totals, voucher_totals
from foerdermittel.rules.model import Rulebook
from foerdermittel.vouchers import checked_vouchers

__all__ = [
    "PROOF_FINDING_CODES",
    "FormAmounts",
    "FormDecision",
    "FormExpenditure",
    "FormGroup",
    "FormHeader",
    "FormIncomeRow",
    "FormLine",
    "FormPeriod",
    "FormPhase",
    "IncomeRow",
    "InterimProof",
    "InterimRow",
    "LineResult",
    "PhaseResult",
    "ProofForm",
    "ProofOfUse",
    "Step",
    "VoucherTotals",
    "proof_kind",
    "proof_of_use",
    "voucher_totals",
]


def proof_of_use(
    case: Case,
    rulebook: Rulebook,
    financing: Financing,
    *,
    as_of: date,
    spending: Forecast,
    proof_submitted: dict[str, date] | None = None,
    control_sum: Decimal | None = None,
    decided: Case | None = None,
) -> tuple[ProofOfUse, tuple[Finding, ...]]:
    """The figures of the proof of use for the (amended) case on the key date, with findings.

    Income and expenditure blocks show what is booked up to the key date and add up to each
    other (the Deckung); the payment block shows the final account, projected from the forecast
    for a phase that still runs (``PhaseResult.projected``, ``ProofOfUse.projected``).

    Args:
        case: the (amended) case.
        rulebook: its rulebook.
        financing: its financing.
        as_of: the key date.
        spending: the forecast, for the projection of running phases.
        proof_submitted: the day each phase's proof of use was submitted, if it was.
        control_sum: the control sum of the case's ledger, if known; it goes into
            ``ProofOfUse.totals``.
        decided: the case as decided, with its amendments, for the form's header (the
            decision and each amendment with the grant it leaves); ``case`` where not given.

    References:
        ANBest-Gk / ANBest-P Nr. 1.2 (line tolerance), Nr. 2 (reduction), Nr. 6 (proof of use),
        Nr. 8 and § 49a VwVfG (refund and interest); grant-law notes §7 (federal layouts).
    """
    checked = checked_vouchers(case)
    counted = checked.counted_until(as_of)
    excluded = checked.excluded_until(as_of)
    totals = _voucher_totals(case, checked, as_of, control_sum)
    legal = "ANBest Nr. 1.2, 2, 6, 8; § 49a VwVfG"
    contents = rulebook.proof_contents
    if not case.expenditures:
        form = _form(
            case,
            decided or case,
            financing,
            as_of=as_of,
            lines=(),
            phases=(),
            excluded=excluded,
        )
        empty = ProofOfUse(
            evaluated=False,
            as_of=as_of,
            vouchers=VoucherColumns.EMPTY,
            excluded=(),
            after_key_date=(0, ZERO),
            lines=(),
            phases=(),
            income=(),
            approved=financing.grant,
            final=financing.grant,
            paid=ZERO,
            balance=ZERO,
            refund=ZERO,
            refund_interest=ZERO,
            interim=(),
            legal_reference=legal,
            totals=totals,
            form=form,
            voucher_list_required=contents.voucher_list_required,
            audit_office_certificate=contents.audit_office_certificate,
            declarations=contents.declarations,
            contents_source=contents.source,
        )
        return empty, tuple(_findings(empty, rulebook))
    lines = _lines(case, rulebook, checked, as_of)
    submitted = proof_submitted or {}
    phases = tuple(
        _phase_result(
            case,
            rulebook,
            financing,
            phase,
            lines,
            as_of=as_of,
            submitted=submitted.get(phase.id),
            spending=spending,
        )
        for phase in case.grant.phases
    )
    final = sum((p.reduction.final for p in phases), ZERO)
    paid = sum((p.paid for p in phases), ZERO)
    planned_total = financing.eligible_expenditure
    booked = sum((p.booked for p in phases), ZERO)
    own_booked = sum((p.own_booked for p in phases), ZERO)
    cover_booked = sum((p.cover_booked for p in phases), ZERO)
    grant_booked = sum((p.grant_booked for p in phases), ZERO)
    income = (
        IncomeRow(
            what=Message.of("proof.income.own-share"),
            planned=financing.own_share,
            planned_pct=_pct(financing.own_share, planned_total),
            actual=own_booked,
            actual_pct=_pct(own_booked, booked),
        ),
        IncomeRow(
            what=Message.of("proof.income.cover"),
            planned=financing.third_party + financing.other_public,
            planned_pct=_pct(financing.third_party + financing.other_public, planned_total),
            actual=cover_booked,
            actual_pct=_pct(cover_booked, booked),
        ),
        IncomeRow(
            what=Message.of("proof.income.grant"),
            planned=financing.grant,
            planned_pct=_pct(financing.grant, planned_total),
            actual=grant_booked,
            actual_pct=_pct(grant_booked, booked),
        ),
    )
    result = ProofOfUse(
        evaluated=True,
        as_of=as_of,
        vouchers=counted,
        excluded=tuple(excluded),
        after_key_date=checked.later(as_of),
        lines=tuple(lines),
        phases=phases,
        income=income,
        approved=financing.grant,
        final=final,
        paid=paid,
        balance=final - paid,
        refund=sum((p.refund for p in phases), ZERO),
        refund_interest=sum((r.interest for p in phases for r in p.refund_interest), ZERO),
        interim=_interim(
            case,
            financing,
            checked,
            as_of,
            flats=tuple(line.flat_rate.flat for line in lines if line.flat_rate is not None),
        ),
        legal_reference=legal,
        projected=any(p.projected for p in phases),
        totals=totals,
        refund_interest_complete=all(p.interest_problem is None for p in phases),
        form=_form(
            case,
            decided or case,
            financing,
            as_of=as_of,
            lines=lines,
            phases=phases,
            excluded=excluded,
        ),
        voucher_list_required=contents.voucher_list_required,
        audit_office_certificate=contents.audit_office_certificate,
        declarations=contents.declarations,
        contents_source=contents.source,
    )
    return result, tuple(_findings(result, rulebook))
