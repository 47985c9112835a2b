"""Financing: grant, own share and third-party money per phase and in total.

The formulas follow the financing types of VV Nr. 2 zu § 44 BHO (notation: ``A`` eligible
expenditure, ``q`` rate, ``H`` Höchstbetrag, ``E`` own funds, ``D`` third-party and other
public cover funds, ``F`` fixed amount):

* Anteilfinanzierung (Nr. 2.2.1): ``Z = min(q·A, H)``, rounded down to the cent.
* Fehlbedarfsfinanzierung (Nr. 2.2.2): ``Z = min(H, A − E − D)``.
* Festbetragsfinanzierung (Nr. 2.2.3): ``Z = F`` (or units × amount per unit), at most ``A``.
* Vollfinanzierung (Nr. 2.3): ``Z = A − D``, at most ``H``.

The own share (Eigenanteil) is what the grant and the cover funds leave: ``A − Z − D``.
[`later_reduction`][foerdermittel.financing.later_reduction] applies ANBest Nr. 2 when
expenditure falls or cover funds rise after the decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
    computed_field,
)

from foerdermittel._arguments import check_decimal, check_enum, check_instance, check_money
from foerdermittel.errors import ArgumentError, Finding, NotFoundError, Severity
from foerdermittel.financing_checks import phase_limits, rulebook_fits, tier_conditions
from foerdermittel.frozen import IdentityMemo
from foerdermittel.message_types import Message, Param, Subject, Worded, message_json, words
from foerdermittel.model.case import Case
from foerdermittel.model.grant import FinancingType, Grant, Phase
from foerdermittel.model.plan import FundingSource, SourceKind
from foerdermittel.money import CENT, ZERO, allocate, floor_cents
from foerdermittel.rules.model import CapBasis, ReductionRule, Rulebook
from foerdermittel.views import Viewable

__all__ = [
    "Financing",
    "PhaseFinancing",
    "Reduction",
    "check_financing",
    "compute_financing",
    "later_reduction",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PhaseFinancing(_Frozen):
    """Finanzierung einer Phase — the financing of one phase.

    Attributes:
        phase: the phase id.
        title: the phase title.
        eligible_expenditure: A, the phase's eligible expenditure.
        rate: the Förderquote, where the financing type uses one.
        grant: Z, the grant.
        own_share: the own share, A − Z − third-party − other public.
        third_party: third-party money (Drittmittel).
        other_public: other public funding.
        own_funds_planned: own funds as the plan lists them (may differ from the own share).
        uncapped_grant: the grant before any Höchstbetrag.
        capped_by: which cap reduced the grant (``phase`` or ``grant``), if any.
    """

    phase: str
    title: str
    eligible_expenditure: Decimal
    rate: Decimal | None
    grant: Decimal
    own_share: Decimal
    third_party: Decimal
    other_public: Decimal
    own_funds_planned: Decimal
    uncapped_grant: Decimal
    capped_by: str | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> Decimal:
        """Grant + own share + third-party money + other public funding (= eligible)."""
        return self.grant + self.own_share + self.third_party + self.other_public


class Financing(_Frozen, Viewable):
    """Finanzierung — the grant's financing, per phase and in total.

    Attributes:
        financing_type: the Finanzierungsart.
        phases: the financing of each phase.
        eligible_expenditure: eligible expenditure, total over phases.
        grant: the grant, total over phases.
        own_share: the own share, total over phases.
        third_party: third-party money, total over phases.
        other_public: other public funding, total over phases.
    """

    financing_type: FinancingType
    phases: tuple[PhaseFinancing, ...]
    eligible_expenditure: Decimal
    grant: Decimal
    own_share: Decimal
    third_party: Decimal
    other_public: Decimal

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> Decimal:
        """Grant + own share + third-party money + other public funding."""
        return self.grant + self.own_share + self.third_party + self.other_public

    def phase(self, phase_id: str) -> PhaseFinancing:
        """The financing of phase ``phase_id``.

        Raises:
            NotFoundError: no such phase (a ``KeyError``).
        """
        for item in self.phases:
            if item.phase == phase_id:
                return item
        raise NotFoundError("Phase", phase_id, known=(p.phase for p in self.phases))


def _sources(
    sources: tuple[FundingSource, ...], grant: Grant, phase: Phase, kind: SourceKind
) -> Decimal:
    single = len(grant.phases) == 1
    return sum(
        (
            s.amount
            for s in sources
            if s.kind is kind and (s.phase == phase.id or (s.phase is None and single))
        ),
        ZERO,
    )


def _uncapped_grant(
    grant: Grant, phase: Phase, eligible: Decimal, own: Decimal, cover: Decimal
) -> Decimal:
    """The phase grant by its financing type, before the phase's Höchstbetrag."""
    kind = grant.financing_type
    if kind is FinancingType.ANTEIL:
        rate = grant.phase_rate(phase)
        assert rate is not None  # guaranteed by Grant validation
        return floor_cents(rate * eligible)
    if kind is FinancingType.FEHLBEDARF:
        return max(ZERO, eligible - own - cover)
    if kind is FinancingType.FESTBETRAG:
        fixed = phase.fixed
        assert fixed is not None  # guaranteed by Grant validation
        return min(fixed, eligible)
    return max(ZERO, eligible - cover)


@dataclass
class _Row:
    """Working values of one phase while the caps are applied."""

    phase: Phase
    third: Decimal
    public: Decimal
    own: Decimal
    uncapped: Decimal
    basis: Decimal
    value: Decimal
    capped_by: str | None


def _apply_eligible_cap(grant: Grant, rows: list[_Row], cap: Decimal) -> None:
    """Limit the eligible expenditure the rates apply to at the decision's cap.

    The capped expenditure is split over the phases by their expenditure (to the cent); the
    grant is then ``floor(Σ q·A'')`` in total, so rounding each phase down does not lose cents:
    the cents left over go one each to the phases with the largest remainders, as far as a
    phase stays within its own ``q·A`` rounded down.
    """
    shares: list[Decimal] = []
    ceilings: list[Decimal] = []
    for row, new_basis in zip(rows, allocate(cap, [r.basis for r in rows]), strict=True):
        rate = grant.phase_rate(row.phase)
        assert rate is not None  # guaranteed by Grant validation
        shares.append(rate * new_basis)
        ceilings.append(floor_cents(rate * row.basis))
    values = [floor_cents(share) for share in shares]
    left = floor_cents(sum(shares, ZERO)) - sum(values, ZERO)
    order = sorted(range(len(rows)), key=lambda i: (values[i] - shares[i], i))
    for i in order:
        if left <= 0:
            break
        if values[i] + CENT <= ceilings[i]:
            values[i] += CENT
            left -= CENT
    for row, value in zip(rows, values, strict=True):
        row.value, row.capped_by = value, "grant"


def compute_financing(case: Case) -> Financing:
    """Compute grant, own share and third-party money of every phase and in total.

    Caps: a phase's Höchstbetrag limits that phase; the decision's Höchstbetrag limits the
    sum. Where the Höchstbetrag refers to eligible expenditure (``max_amount_basis =
    eligible_cost``, Anteilfinanzierung), it limits the expenditure the rate applies to;
    otherwise it limits the grant. When the decision's cap cuts the sum, the capped amount is
    split over the phases in proportion to their amounts after the phase caps
    ([`allocate`][foerdermittel.money.allocate], to the cent).

    References:
        VV Nr. 2.2, 2.3 zu § 44 BHO (financing types, Höchstbetrag).

    Examples:
        >>> from foerdermittel.io import load_case
        >>> f = compute_financing(load_case("examples/bochum-mpsc.toml"))
        >>> f.grant, f.own_share
        (Decimal('9880000.00'), Decimal('5320000.00'))
    """
    grant, plan = case.grant, case.plan
    found = _COMPUTED.get((grant, plan.sources))
    if found is not None:
        return found
    return _COMPUTED.put((grant, plan.sources), _financing(grant, plan.sources))


_COMPUTED: IdentityMemo[Financing] = IdentityMemo(8)
"""The financing of the last few grants and tuples of funding sources: all it reads."""


def _financing(grant: Grant, sources: tuple[FundingSource, ...]) -> Financing:
    anteil = grant.financing_type is FinancingType.ANTEIL
    eligible_basis = anteil and grant.max_amount_basis is CapBasis.ELIGIBLE_COST

    rows: list[_Row] = []
    for phase in grant.phases:
        eligible = phase.eligible_expenditure
        third = _sources(sources, grant, phase, SourceKind.THIRD_PARTY)
        public = _sources(sources, grant, phase, SourceKind.OTHER_PUBLIC)
        own = _sources(sources, grant, phase, SourceKind.OWN_FUNDS)
        basis, capped_by = eligible, None
        if eligible_basis and phase.max_amount is not None and phase.max_amount < eligible:
            basis, capped_by = phase.max_amount, "phase"
        uncapped = _uncapped_grant(grant, phase, eligible, own, third + public)
        value = _uncapped_grant(grant, phase, basis, own, third + public)
        if not eligible_basis and phase.max_amount is not None and value > phase.max_amount:
            value, capped_by = phase.max_amount, "phase"
        rows.append(_Row(phase, third, public, own, uncapped, basis, value, capped_by))

    cap = grant.max_amount
    if cap is not None and eligible_basis:
        if sum((r.basis for r in rows), ZERO) > cap:
            _apply_eligible_cap(grant, rows, cap)
    elif cap is not None and sum((r.value for r in rows), ZERO) > cap:
        for row, new_value in zip(rows, allocate(cap, [r.value for r in rows]), strict=True):
            row.value, row.capped_by = new_value, "grant"

    phases = tuple(
        PhaseFinancing(
            phase=row.phase.id,
            title=row.phase.title,
            eligible_expenditure=row.phase.eligible_expenditure,
            rate=grant.phase_rate(row.phase) if anteil else None,
            grant=row.value,
            own_share=row.phase.eligible_expenditure - row.value - row.third - row.public,
            third_party=row.third,
            other_public=row.public,
            own_funds_planned=row.own,
            uncapped_grant=row.uncapped,
            capped_by=row.capped_by,
        )
        for row in rows
    )
    return Financing(
        financing_type=grant.financing_type,
        phases=phases,
        eligible_expenditure=sum((p.eligible_expenditure for p in phases), ZERO),
        grant=sum((p.grant for p in phases), ZERO),
        own_share=sum((p.own_share for p in phases), ZERO),
        third_party=sum((p.third_party for p in phases), ZERO),
        other_public=sum((p.other_public for p in phases), ZERO),
    )


class Reduction(Worded):
    """Ermäßigung der Zuwendung — the grant after a later change (ANBest Nr. 2).

    Attributes:
        approved: the grant as approved.
        final: the grant after the change.
        reduction: approved − final (never negative: the grant does not rise).
        triggered: whether Nr. 2.1 applied (false below the Nr. 2.2 threshold or when
            nothing fell or rose in a way that reduces the grant).
        why: the reason as a message (key ``reduction.…``), with the figures it names.
        legal_reference: the rule applied.
    """

    approved: Decimal
    final: Decimal
    reduction: Decimal
    triggered: bool
    why: Annotated[Message, PlainSerializer(message_json)]
    legal_reference: str

    @property
    def reason(self) -> str:
        """The reason in German; renderers use foerdermittel.messages."""
        return words(self.why)

    def _words_in(self, lang: str) -> dict[str, str | None]:
        return {"reason": words(self.why, lang)}


def _threshold_passed(
    rule: ReductionRule, expenditure_change: Decimal, cover_change: Decimal
) -> bool:
    """ANBest Nr. 2.2: a change of more than the threshold (500 €), tested as configured."""
    if rule.threshold_mode == "net":
        return abs(expenditure_change - cover_change) > rule.threshold
    return abs(expenditure_change) > rule.threshold or abs(cover_change) > rule.threshold


def later_reduction(
    *,
    financing_type: FinancingType,
    approved_grant: Decimal,
    planned_eligible: Decimal,
    actual_eligible: Decimal,
    planned_cover: Decimal,
    actual_cover: Decimal,
    rule: ReductionRule,
    rate: Decimal | None = None,
    own_funds_planned: Decimal = ZERO,
    fixed_amount: Decimal | None = None,
    max_amount: Decimal | None = None,
) -> Reduction:
    """Recompute a grant after its eligible expenditure fell or its cover funds rose.

    ANBest-Gk / ANBest-P Nr. 2.1: if, after the decision, the total eligible expenditure falls,
    or cover funds (third-party money, other grants) rise or are added, the grant is reduced —
    under Anteilfinanzierung pro rata (``Z = q·(A_ist − D_neu)``, ``D_neu`` being cover funds
    beyond the plan), under Fehlbedarfs- and Vollfinanzierung by the full amount
    (``Z = A_ist − E_plan − D_ist`` resp. ``Z = A_ist − D_ist``). A Festbetrag is not reduced
    under Nr. 2; it is capped at the actual eligible expenditure where the rulebook says so
    (practice). The grant never rises above the approved grant.

    Nr. 2.2: Nr. 2.1 applies only when total expenditure or cover funds change by more than
    500 € — not under Vollfinanzierung, where every change counts.

    References:
        ANBest-Gk Nr. 2.1, 2.2; ANBest-P Nr. 2.1, 2.2; VV Nr. 2 zu § 44 BHO.

    Examples:
        >>> from foerdermittel import rules
        >>> rule = rules.get("anbest-gk-2019").reduction
        >>> r = later_reduction(financing_type=FinancingType.ANTEIL, rate=Decimal("0.65"),
        ...     approved_grant=Decimal("9880000.00"), planned_eligible=Decimal("15200000.00"),
        ...     actual_eligible=Decimal("14000000.00"), planned_cover=Decimal("0.00"),
        ...     actual_cover=Decimal("0.00"), rule=rule)
        >>> r.final
        Decimal('9100000.00')

    Raises:
        ArgumentError: (a ``ValueError``) for an amount with more than two places, NaN or an
            infinity, a rate outside (0, 1] under Anteilfinanzierung (``Decimal("65")`` is not
            65 %), or no rate there; ``ArgumentTypeError`` (also a ``TypeError``) for floats,
            ``None`` amounts, an unknown financing type or a rule that is no ``ReductionRule``.
    """
    name = "later_reduction"
    financing_type = check_enum(name, "financing_type", financing_type, FinancingType)
    check_instance(name, "rule", rule, ReductionRule)
    approved_grant = check_money(name, "approved_grant", approved_grant)
    planned_eligible = check_money(name, "planned_eligible", planned_eligible)
    actual_eligible = check_money(name, "actual_eligible", actual_eligible)
    planned_cover = check_money(name, "planned_cover", planned_cover)
    actual_cover = check_money(name, "actual_cover", actual_cover)
    own_funds_planned = check_money(name, "own_funds_planned", own_funds_planned)
    if fixed_amount is not None:
        fixed_amount = check_money(name, "fixed_amount", fixed_amount)
    if max_amount is not None:
        max_amount = check_money(name, "max_amount", max_amount)
    if rate is not None:
        rate = check_decimal(name, "rate", rate)
        if financing_type is FinancingType.ANTEIL and not Decimal(0) < rate <= Decimal(1):
            raise ArgumentError(
                name, "rate", rate, "Quote liegt nicht im Bereich über 0 bis 1 (65 % = 0.65)"
            )
    elif financing_type is FinancingType.ANTEIL:
        raise ArgumentError(name, "rate", rate, "Anteilfinanzierung braucht eine Förderquote")
    expenditure_change = actual_eligible - planned_eligible
    cover_change = actual_cover - planned_cover
    source = rule.source

    def result(final: Decimal, why: Message, *, triggered: bool = True) -> Reduction:
        final = min(final, approved_grant)
        if max_amount is not None:
            final = min(final, max_amount)
        final = max(final, ZERO)
        return Reduction(
            approved=approved_grant,
            final=final,
            reduction=approved_grant - final,
            triggered=triggered,
            why=why,
            legal_reference=source,
        )

    if financing_type is FinancingType.FESTBETRAG:
        fixed = approved_grant if fixed_amount is None else fixed_amount
        if rule.fixed_amount_capped_at_expenditure and actual_eligible < fixed:
            return result(actual_eligible, Message.of("reduction.fixed-capped"))
        return result(fixed, Message.of("reduction.fixed-kept"), triggered=False)

    if financing_type is not FinancingType.VOLL and not _threshold_passed(
        rule, expenditure_change, cover_change
    ):
        return Reduction(
            approved=approved_grant,
            final=approved_grant,
            reduction=ZERO,
            triggered=False,
            why=Message.of(
                "reduction.below-threshold",
                threshold=rule.threshold,
                expenditure=_signed(expenditure_change),
                cover=_signed(cover_change),
            ),
            legal_reference=source,
        )

    if financing_type is FinancingType.ANTEIL:
        if rate is None:  # refused above; narrows the type
            raise ArgumentError("later_reduction", "rate", rate, "Förderquote fehlt")
        new_cover = max(ZERO, cover_change)
        final = floor_cents(rate * (actual_eligible - new_cover))
        why = Message.of("reduction.pro-rata")
    elif financing_type is FinancingType.FEHLBEDARF:
        final = actual_eligible - own_funds_planned - actual_cover
        why = Message.of("reduction.in-full-deficit")
    else:
        final = actual_eligible - actual_cover
        why = Message.of("reduction.in-full-full", threshold=rule.threshold)
    reduced = min(final, approved_grant) < approved_grant
    return result(final, why if reduced else Message.of("reduction.none"), triggered=reduced)


def _signed(change: Decimal) -> Message:
    """A change with its sign, as the Nr. 2.2 reason shows it (``+0.00``, ``-1200.00``)."""
    return Message.of(f"signed.{'minus' if change.is_signed() else 'plus'}", amount=abs(change))


def _public_share(
    case: Case, rulebook: Rulebook, financing: Financing, found: Callable[..., None]
) -> None:
    """The cap on all public money (Kumulierungsgrenze, ``limits.max_public_share``).

    Grant and other public funding above it: an error naming both figures.
    """
    limits = rulebook.effective_limits
    cap = limits.max_public_share
    eligible = financing.eligible_expenditure
    if cap is None or eligible <= 0:
        return
    public = financing.grant + financing.other_public
    if public <= eligible * cap:
        return
    found(
        "public-share-exceeded",
        Severity.ERROR,
        Subject("grant", case.grant.id),
        limits.source,
        public=public,
        grant=financing.grant,
        other_public=financing.other_public,
        share=(public / eligible).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        cap=cap,
        allowed=floor_cents(eligible * cap),
    )


def check_financing(
    case: Case,
    rulebook: Rulebook,
    financing: Financing,
    *,
    decided: Case | None = None,
) -> tuple[Finding, ...]:
    """Check the financing against the programme's limits and its own sums.

    ``case`` is the case as amended; ``decided`` the case as first decided, where it differs:
    a phase the funder extended by amendment beyond the programme's standard duration is
    reported as information, not as an error.

    Returns findings (all of them) for: a phase over the programme cap, first measures over
    their sub-cap, a phase longer than the programme allows, a rate above the rate tier (or
    below a tier that fixes the rate), a tier whose condition the case shows no evidence for,
    plan lines that do not add up to a phase's eligible expenditure, stated totals that
    differ from their parts, a plan where public money exceeds the eligible expenditure, and
    the Höchstbetrag cutting the grant. Each finding carries its figures (amounts as
    ``Decimal``, days as ``date``); the programme's limits — caps, the longest duration, the
    rate of a tier — come from the rulebook.
    """
    grant, plan = case.grant, case.plan
    programme = rulebook.programme
    findings: list[Finding] = []

    def found(code: str, severity: Severity, about: Subject, ref: str, /, **params: Param) -> None:
        findings.append(Finding.of(code, severity, about, ref, **params))

    original = {p.id: p for p in (decided or case).grant.phases}
    _public_share(case, rulebook, financing, found)

    for phase, pf in zip(grant.phases, financing.phases, strict=True):
        about = Subject("phase", phase.id)
        lines = plan.lines_of(phase.id)
        lines_total = sum((line.total for line in lines), ZERO)
        if lines and lines_total != phase.eligible_expenditure:
            found(
                "plan-lines-mismatch",
                Severity.WARNING,
                about,
                "ANBest Nr. 1.2 (Finanzierungsplan verbindlich)",
                lines=lines_total,
                decided=phase.eligible_expenditure,
                difference=lines_total - phase.eligible_expenditure,
            )
        if pf.own_share < 0:
            found(
                "overfinanced",
                Severity.ERROR,
                about,
                "VV Nr. 2 zu § 44 BHO; Kumulierungsregel des Programms",
                excess=-pf.own_share,
            )
        elif pf.own_funds_planned and pf.own_funds_planned != pf.own_share:
            found(
                "own-funds-mismatch",
                Severity.WARNING,
                about,
                "VV Nr. 2 zu § 44 BHO",
                planned=pf.own_funds_planned,
                own_share=pf.own_share,
            )
        if pf.capped_by is not None:
            found(
                "grant-capped",
                Severity.INFO,
                about,
                "VV Nr. 2.2 zu § 44 BHO (Höchstbetrag)",
                cap=Message.of(f"financing.cap-of.{pf.capped_by}"),
                grant=pf.grant,
                uncapped=pf.uncapped_grant,
            )
        if programme is not None:
            findings.extend(
                phase_limits(
                    grant,
                    phase,
                    granted=pf.grant,
                    rate=pf.rate,
                    lines=lines,
                    programme=programme,
                    as_decided=original.get(phase.id, phase),
                )
            )

    if programme is not None:
        findings.extend(tier_conditions(grant, programme))

    for line in plan.lines:
        if line.stated_total is not None and line.stated_total != line.total:
            findings.append(
                Finding.of(
                    "line-total-mismatch",
                    Severity.WARNING,
                    Subject("line", line.id),
                    "Finanzierungsplan",
                    stated=line.stated_total,
                    total=line.total,
                )
            )

    findings.extend(_stated_totals(grant, financing))
    findings.extend(rulebook_fits(grant, rulebook))
    return tuple(findings)


def _stated_totals(grant: Grant, financing: Financing) -> list[Finding]:
    """Findings where the decision's stated totals and the parts differ (Hagenow: 80 €)."""
    out: list[Finding] = []
    about = Subject("grant", grant.id)
    ref = "Zuwendungsbescheid (angegebene Summen)"
    pairs = (
        ("stated-eligible-mismatch", grant.eligible_expenditure, financing.eligible_expenditure),
        ("stated-grant-mismatch", grant.stated_grant, financing.grant),
        ("stated-own-share-mismatch", grant.stated_own_share, financing.own_share),
    )
    for code, stated, computed in pairs:
        if stated is not None and stated != computed:
            out.append(
                Finding.of(code, Severity.WARNING, about, ref, stated=stated, computed=computed)
            )
    stated_parts = [grant.stated_grant, grant.stated_own_share]
    if grant.eligible_expenditure is not None and all(p is not None for p in stated_parts):
        parts = sum((p for p in stated_parts if p is not None), ZERO)
        parts += financing.third_party + financing.other_public
        if parts != grant.eligible_expenditure:
            out.append(
                Finding.of(
                    "stated-parts-mismatch",
                    Severity.WARNING,
                    about,
                    ref,
                    parts=parts,
                    eligible=grant.eligible_expenditure,
                    difference=parts - grant.eligible_expenditure,
                )
            )
    return out
