"""The rulebook: every parameter a grant's rules set, each with its source.

A [`Rulebook`][foerdermittel.rules.model.Rulebook] is one edition of the general conditions
(ANBest-Gk, ANBest-P or a Land variant) and, where the grant belongs to a programme, the
programme's own rules ([`ProgrammeRules`][foerdermittel.rules.model.ProgrammeRules]). Values are
data, not code, and every value can be overridden per grant in the case file.

Each group of values names where it comes from twice, kept apart on purpose:

* ``source`` — the legal basis a grant manager reads as "Grundlage": the norm, the ANBest
  number, the programme's guideline or call ("ANBest-Gk (13.06.2019) Nr. 8.5").
* ``read_in`` — where the value was read: the document with its date and address, a copy of
  it, or how the value was derived where no text states it ("Formularschrank des Bundes,
  Datei 2038"). It documents the rulebook and is never printed as the legal basis.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from foerdermittel.frozen import FrozenMap, ReadOnlyMap
from foerdermittel.money import NonNegativeMoney, Rate
from foerdermittel.periods import Span

__all__ = [
    "CapBasis",
    "CategoryCap",
    "CostCategoryName",
    "Declaration",
    "DrawdownMode",
    "DrawdownRule",
    "FlatRate",
    "InterestRule",
    "InterimProofRule",
    "LineToleranceRule",
    "Milestone",
    "PhaseLimit",
    "ProcurementRule",
    "ProgrammeRules",
    "ProofContentsRule",
    "ProofOfUseRule",
    "RateTier",
    "ReductionRule",
    "RetentionRule",
    "Rulebook",
    "UseWindowRule",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


INFORMS_ONLY = "informs_only"
"""Key in a field's ``json_schema_extra``: the value informs the reader and changes no figure.

Every other rulebook value is read by the calculation it governs; a test overrides each one
and shows a figure move. A value that only informs says why here.
"""


def _informs_only(reason: str) -> JsonDict:
    return {INFORMS_ONLY: reason}


class DrawdownMode(StrEnum):
    """How grant money may be called (Mittelabruf).

    * ``day_of_need`` — Abrufverfahren: on the day of need, payment dates pooled weekly or
      monthly (BNBest-Abruf Nr. 1; ANBest-Gk Nr. 1.3 / ANBest-P Nr. 1.4 since 2014).
    * ``in_advance`` — for payments due within a horizon (ANBest 2006: two months).
    * ``in_arrears`` — reimbursement of costs already paid, every N months (MPSC: six).
    """

    DAY_OF_NEED = "day_of_need"
    IN_ADVANCE = "in_advance"
    IN_ARREARS = "in_arrears"


class CapBasis(StrEnum):
    """What a cap limits: the grant itself, or the eligible expenditure the rate applies to."""

    GRANT = "grant"
    ELIGIBLE_COST = "eligible_cost"


class DrawdownRule(_Frozen):
    """Mittelabruf — when and how grant money may be called.

    Attributes:
        mode: the drawdown mode.
        horizon: for ``in_advance``: payments due within this span may be covered.
        interval_months: for ``in_arrears``: one call every so many months.
        pooling: for ``day_of_need``: payment dates pooled ``weekly`` or ``monthly``.
        reimburses_paid_costs: the programme pays for costs already paid (Erstattung), not
            for payments still to come. ``None`` (the default) follows the mode: ``in_arrears``
            reimburses, ``in_advance`` and ``day_of_need`` do not; see
            [`reimburses`][foerdermittel.rules.model.DrawdownRule.reimburses].
        source: the legal basis: where the rule is written.
        read_in: where the values were read (document, date, address).
    """

    mode: DrawdownMode
    horizon: Span | None = None
    interval_months: int | None = Field(default=None, ge=1)
    pooling: Literal["none", "weekly", "monthly"] = "none"
    reimburses_paid_costs: bool | None = None
    source: str
    read_in: str | None = None

    @model_validator(mode="after")
    def _mode_has_its_value(self) -> DrawdownRule:
        """Each mode needs the value that says how it works; nothing is guessed."""
        needed = {
            DrawdownMode.IN_ADVANCE: ("horizon", self.horizon is not None),
            DrawdownMode.IN_ARREARS: ("interval_months", self.interval_months is not None),
            DrawdownMode.DAY_OF_NEED: ("pooling", self.pooling != "none"),
        }
        name, present = needed[self.mode]
        if not present:
            raise PydanticCustomError(
                "foerdermittel_drawdown_rule",
                "Mittelabruf {mode} braucht einen Wert für {name}",
                {"mode": self.mode.value, "name": name},
            )
        return self

    @property
    def reimburses(self) -> bool:
        """Whether a payout reimburses expenditure already paid (Erstattung nachschüssig).

        A payout that reimburses expenditure paid on or before its day is used the moment it
        arrives: no use window follows it and no interest under § 49a Abs. 4 VwVfG. Only the
        part of a payout that exceeds what was paid before it must still be used "alsbald"
        (ANBest-Gk Nr. 8.5 / ANBest-P Nr. 8.5). The ANBest editions pay in advance (2006:
        needs of the next two months) or on the day of need (since 2014): there every payout
        gets the window.

        Examples:
            >>> DrawdownRule(mode=DrawdownMode.IN_ARREARS, interval_months=6, source="x").reimburses
            True
            >>> DrawdownRule(mode=DrawdownMode.DAY_OF_NEED, pooling="weekly", source="x").reimburses
            False
        """
        if self.reimburses_paid_costs is not None:
            return self.reimburses_paid_costs
        return self.mode is DrawdownMode.IN_ARREARS


class UseWindowRule(_Frozen):
    """Verwendung "alsbald" — the window within which paid-out money must be spent.

    Money spent later bears interest from the payout (ANBest Nr. 8.5, § 49a Abs. 4 VwVfG).
    """

    window: Span
    source: str
    read_in: str | None = None


class ProofOfUseRule(_Frozen):
    """Verwendungsnachweis — the deadline for the proof of use (ANBest Nr. 6.1).

    Attributes:
        after_purpose: span after the purpose is fulfilled.
        latest_after_period: span after the end of the approval period (Bewilligungszeitraum).
        month_end: the latest date is the end of the month that span reaches
            ("mit Ablauf des sechsten auf den Bewilligungszeitraum folgenden Monats").
    """

    after_purpose: Span
    latest_after_period: Span
    month_end: bool = False
    source: str
    read_in: str | None = None

    @model_validator(mode="after")
    def _month_end_counts_months(self) -> ProofOfUseRule:
        """Month-end counting ("mit Ablauf des sechsten … Monats") needs whole months."""
        if self.month_end and self.latest_after_period.unit not in ("months", "years"):
            raise PydanticCustomError(
                "foerdermittel_month_end_span",
                "month_end zählt ganze Monate: latest_after_period braucht Monate oder Jahre, "
                "nicht {span}",
                {"span": str(self.latest_after_period)},
            )
        return self


class Declaration(_Frozen):
    """A declaration the recipient signs in the proof of use (Bestätigung), in the rulebook's words.

    Attributes:
        id: a stable id, e.g. ``necessary-economical``.
        text: the declaration as the form prints it, in German.
        source: the legal basis, e.g. "ANBest-P (13.06.2019) Nr. 6.2.2".
        read_in: where the wording was read (document, date, address).
    """

    id: str
    text: str
    source: str
    read_in: str | None = None


class ProofContentsRule(_Frozen):
    """What the proof of use holds besides its figures (ANBest-Gk Nr. 6.2–6.4, 7.2; -P Nr. 6.2).

    Attributes:
        voucher_list_required: the rulebook asks for a Belegliste (ANBest-P Nr. 6.2.2: yes;
            ANBest-Gk Nr. 6.4: no — the figures summarised by the plan's structure suffice; a
            Belegliste handed in is a voluntary annex).
        audit_office_certificate: a recipient with an audit office of its own (a municipal
            Rechnungsprüfungsamt) has it check the proof of use first and certify the result
            (ANBest-Gk Nr. 7.2).
        declarations: the declarations the recipient signs (Bestätigungen).
        source: the legal basis: where the contents are written.
        read_in: where the values were read (document, date, address).
    """

    voucher_list_required: bool
    audit_office_certificate: bool
    declarations: tuple[Declaration, ...] = ()
    source: str
    read_in: str | None = None


class InterimProofRule(_Frozen):
    """Zwischennachweis — interim proof while the grant runs (ANBest-P / ANBest-Gk Nr. 6.1).

    Attributes:
        required: ``yearly`` (ANBest-P: for each budget year the purpose is not fulfilled) or
            ``on_request`` (ANBest-Gk: only when the funder asks).
        after_budget_year: span after the end of the budget year (ANBest-P: 4 months).
    """

    required: Literal["yearly", "on_request"]
    after_budget_year: Span | None = None
    source: str
    read_in: str | None = None


class ReductionRule(_Frozen):
    """Ermäßigung der Zuwendung — later reduction of the grant (ANBest Nr. 2).

    Attributes:
        threshold: Nr. 2.2: the reduction applies only when total expenditure or cover
            funds change by more than this (500 €).
        threshold_mode: ``separate`` — expenditure and cover funds are tested each on their own
            ("die Gesamtausgaben oder die Deckungsmittel ... um mehr als 500 Euro"), the
            default; ``net`` — their combined effect is tested (open question, grant-law §9.6).
        fixed_amount_capped_at_expenditure: Festbetragsfinanzierung: cap the fixed amount at
            the actual eligible expenditure (practice, not written in Nr. 2).
    """

    threshold: NonNegativeMoney
    threshold_mode: Literal["separate", "net"] = "separate"
    fixed_amount_capped_at_expenditure: bool = True
    source: str
    read_in: str | None = None


class LineToleranceRule(_Frozen):
    """Überschreitung von Einzelansätzen — a budget line may exceed its plan (ANBest Nr. 1.2).

    Attributes:
        overrun: the share by which a line may be exceeded if other lines save as much (0.20).
        applies_to_fixed_amount: whether the tolerance applies to Festbetragsfinanzierung (no).
    """

    overrun: Decimal = Field(ge=0, le=1)
    applies_to_fixed_amount: bool = False
    source: str
    read_in: str | None = None


class RetentionRule(_Frozen):
    """Aufbewahrung — how long vouchers must be kept after the proof of use is submitted."""

    years: int = Field(ge=0)
    source: str
    read_in: str | None = None


class InterestRule(_Frozen):
    """Verzinsung — § 49a Abs. 3 VwVfG: percentage points above the Basiszinssatz per year."""

    points_above_base: Decimal
    source: str
    read_in: str | None = None


class ProcurementRule(_Frozen):
    """Vergabe — which procurement law the recipient must apply (ANBest Nr. 3).

    Attributes:
        description: the rule in German.
        threshold: the grant above which the rule applies, where there is one.
    """

    description: str = Field(
        json_schema_extra=_informs_only(
            "Vergaberecht zur Auskunft; eine Vergabeprüfung rechnet die Bibliothek nicht"
        )
    )
    threshold: NonNegativeMoney | None = Field(
        default=None,
        json_schema_extra=_informs_only(
            "Schwelle des Vergaberechts zur Auskunft; eine Vergabeprüfung rechnet die Bibliothek "
            "nicht"
        ),
    )
    source: str
    read_in: str | None = None


class PhaseLimit(_Frozen):
    """Programme limits for one kind of phase (e.g. MPSC phase A, strategy).

    Attributes:
        title: German name of the phase kind.
        cap: the programme's cap for a phase of this kind; ``None``: the programme sets none
            (the decision's Höchstbetrag still limits the grant).
        cap_basis: whether the cap limits the grant or the eligible expenditure.
        extended_cap: the cap once an amendment has extended the phase, where the programme
            raises it with the extension (KfW 432: 210.000 €, with an extension up to
            350.000 €).
        first_measures_cap: sub-cap for first implementation measures within the phase.
        max_duration: the longest approval period a phase of this kind may have.
        extended_max_duration: the longest approval period after an extension, where the
            programme sets one (KfW 432: 3 years, extended up to 5); beyond it an extension is
            an error, within it information.
        proof_of_use_after_decision: the proof of use is due at the latest this long after
            the decision (Förderzusage).
        proof_of_use_source: the legal basis of the proof-of-use deadline, if not ``source``.
        proof_of_use_read_in: where that deadline was read.
        final_instalment_after_proof: the last instalment is paid only with the proof of use.
        source: the legal basis: where the limits are written.
        read_in: where the values were read (document, date, address).
    """

    title: str
    cap: NonNegativeMoney | None = None
    cap_basis: CapBasis = CapBasis.GRANT
    extended_cap: NonNegativeMoney | None = None
    first_measures_cap: NonNegativeMoney | None = None
    max_duration: Span | None = None
    extended_max_duration: Span | None = None
    proof_of_use_after_decision: Span | None = None
    proof_of_use_source: str | None = None
    proof_of_use_read_in: str | None = None
    final_instalment_after_proof: bool = False
    source: str
    read_in: str | None = None


class Milestone(_Frozen):
    """A programme milestone a grant must meet.

    Attributes:
        id: a stable id, e.g. ``council-resolution-strategy``.
        title: German description.
        due: a fixed date, where the programme sets one.
        before_phase: the phase kind whose money may flow only after the milestone.
        optional: an offer the recipient may take up (no duty; missing it is no fault).
        source: the legal basis: where it is written.
        read_in: where the values were read (document, date, address).
    """

    id: str
    title: str
    due: date | None = None
    before_phase: str | None = None
    optional: bool = False
    source: str
    read_in: str | None = None


CostCategoryName = Literal["own_staff", "external_services", "material", "investment", "other"]
"""A cost category (Kostenart) as a rulebook names it: a value of ``model.plan.CostCategory``."""


class CategoryCap(_Frozen):
    """Kostenartenbegrenzung — some cost categories at most a share of others or of the total.

    KfW 432, for example: material costs at most 20 % of staff costs. The cap is checked on the
    plan (planned amounts) and in the proof of use (eligible expenditure booked).

    Attributes:
        categories: the capped categories, summed (e.g. ``("material",)``).
        share: the most they may be of the base, e.g. ``0.20``.
        of: the categories the share is taken of, summed (e.g. ``("own_staff",
            "external_services")``); empty: of all eligible expenditure.
        source: the legal basis: where the cap is written.
        read_in: where the values were read (document, date, address).

    Examples:
        >>> cap = CategoryCap(categories=("material",), share="0.20", of=("own_staff",),
        ...                   source="Merkblatt Nr. 4")
        >>> cap.share, cap.of
        (Decimal('0.20'), ('own_staff',))
    """

    categories: tuple[CostCategoryName, ...] = Field(min_length=1)
    share: Rate
    of: tuple[CostCategoryName, ...] = ()
    source: str
    read_in: str | None = None


class LimitsRule(_Frozen):
    """Limits a programme or a decision sets beyond ANBest (none by default).

    Attributes:
        max_public_share: the most all public money — this grant and other public funding
            together — may be of the eligible expenditure (Kumulierungsgrenze), e.g. ``0.85``;
            ``None``: no such cap. ANBest sets none; a programme's guideline or the decision
            does (VV Nr. 1.4 zu § 44 BHO leaves combining grants to the programme).
        category_caps: cost categories capped as a share of others or of the total.
        min_payout: no call (Mittelabruf) below this amount; smaller needs are pooled with
            the next call.
        min_own_share: the own share (Eigenanteil) at least this share of the eligible
            expenditure, e.g. ``0.10``.
        source: where the limits are set ("—" while none is; an override's reason once a
            decision sets one).
        read_in: where the values were read (document, date, address).
    """

    max_public_share: Rate | None = None
    category_caps: tuple[CategoryCap, ...] = ()
    min_payout: NonNegativeMoney | None = None
    min_own_share: Rate | None = None
    source: str = "—"
    read_in: str | None = None


class RateTier(_Frozen):
    """What a rate tier of a programme means: the condition that grants it, "bis zu".

    The rate itself stays in ``ProgrammeRules.rates``; this says how to read it.

    Attributes:
        condition: what grants the tier, in the programme's words (e.g. "Kommune in
            Haushaltsnotlage nach Landesrecht"); a grant on the tier names its evidence
            (``grant.rate_tier_evidence``).
        up_to: the rate is only the maximum ("bis zu"): the decision sets the grant's rate,
            which may be lower.
        source: the legal basis: where the tier is written.
        read_in: where the values were read (document, date, address).
    """

    condition: str | None = None
    up_to: bool = False
    source: str
    read_in: str | None = None


class FlatRate(_Frozen):
    """Pauschale — costs paid as a share of other costs, without vouchers of their own.

    Regulation (EU) 2021/1060 Art. 53 Abs. 1 Buchst. d and Art. 54–56: indirect costs as a
    share of direct costs or of direct staff costs, direct staff costs as a share of the other
    direct costs, the remaining costs as a share of direct staff costs. A budget line that
    uses a flat rate (``BudgetLine.flat_rate``) is planned and settled as its rate times its
    base: the other lines of the same phase in the ``base`` categories.

    Attributes:
        title: what the flat rate pays for, in German ("indirekte Kosten").
        max_rate: the highest rate the programme allows, e.g. ``0.15``.
        base: the cost categories of the base (e.g. ``("own_staff",)``); empty: every line
            of the phase that is not itself a flat rate.
        source: the legal basis, e.g. "Verordnung (EU) 2021/1060 Art. 54 Buchst. b".
        read_in: where the values were read (document, date, address).
    """

    title: str
    max_rate: Rate
    base: tuple[CostCategoryName, ...] = ()
    source: str
    read_in: str | None = None


class ProgrammeRules(_Frozen):
    """The rules of a funding programme's call (Förderaufruf), layered over an ANBest edition.

    Attributes:
        id: registry id, e.g. ``mpsc-2021``.
        title: German title.
        call_date: date the call was published.
        default_rulebook: the ANBest edition a decision of this call normally names.
        rates: funding rate per tier, e.g. ``{"standard": 0.65, "haushaltsnotlage": 0.90}``.
        default_tier: the tier a grant has unless it states another.
        tiers: what a tier means where it is more than a rate: the condition that grants
            it, whether its rate is only a maximum ("bis zu").
        phases: limits per phase kind.
        drawdown: the programme's drawdown rule, replacing the edition's.
        limits: the programme's limits (cumulation cap, category caps, minimum payout and own
            share), replacing the edition's.
        flat_rates: the flat rates (Pauschalen) a budget line may use, by id.
        extension_ceiling: no phase may be extended beyond this date.
        milestones: dates and steps the programme sets.
        source: the legal basis: where the rules are written.
        read_in: where the values were read (document, date, address).
    """

    id: str
    title: str
    call_date: date
    default_rulebook: str = Field(
        json_schema_extra=_informs_only(
            "wählt die ANBest-Ausgabe eines Falls, der keine nennt; ein Bescheid, der eine "
            "andere Ausgabe vorsieht, nennt sie in grant.rulebook"
        )
    )
    rates: ReadOnlyMap[str, Rate]
    default_tier: str
    phases: ReadOnlyMap[str, PhaseLimit]
    tiers: ReadOnlyMap[str, RateTier] = Field(default_factory=FrozenMap)
    drawdown: DrawdownRule | None = None
    limits: LimitsRule | None = None
    flat_rates: ReadOnlyMap[str, FlatRate] = Field(default_factory=FrozenMap)
    extension_ceiling: date | None = None
    milestones: tuple[Milestone, ...] = ()
    source: str
    read_in: str | None = None


class Rulebook(_Frozen):
    """Regelwerk — the general conditions (ANBest edition) a grant decision names.

    Attributes:
        id: registry id, e.g. ``anbest-gk-2019``.
        title: German title of the edition.
        edition: the edition as printed, e.g. "13.06.2019".
        valid_from: the date the edition applies from.
        land: the Land for a Land variant, ``None`` for federal editions.
        drawdown: Mittelabruf (ANBest-Gk Nr. 1.3 / ANBest-P Nr. 1.4).
        use_window: the window to use paid-out money (Nr. 8.5).
        proof_of_use: the proof-of-use deadline (Nr. 6.1).
        proof_contents: what the proof of use holds besides its figures: the Belegliste, the
            audit office's certificate, the declarations (Nr. 6.2–6.4, Gk 7.2).
        interim_proof: the interim proof (Nr. 6.1).
        reduction: later reduction of the grant (Nr. 2).
        line_tolerance: overrun of single lines (Nr. 1.2).
        retention: voucher retention.
        interest: § 49a Abs. 3 VwVfG interest points.
        procurement: procurement law (Nr. 3).
        limits: limits beyond ANBest, e.g. the cap on all public money
            (``limits.max_public_share``; none unless a programme or the decision sets it).
        budget_act_proviso: Nr. 2.1 is subject to the Haushaltsgesetz (April 2025 editions).
        programme: the programme's rules where the grant belongs to one.
    """

    id: str
    title: str
    edition: str = Field(json_schema_extra=_informs_only("Bezeichnung der Ausgabe, zur Anzeige"))
    valid_from: date
    land: str | None = None
    drawdown: DrawdownRule
    use_window: UseWindowRule
    proof_of_use: ProofOfUseRule
    proof_contents: ProofContentsRule
    interim_proof: InterimProofRule
    reduction: ReductionRule
    line_tolerance: LineToleranceRule
    retention: RetentionRule
    interest: InterestRule
    procurement: ProcurementRule
    limits: LimitsRule = Field(default_factory=LimitsRule)
    budget_act_proviso: bool = Field(
        default=False,
        json_schema_extra=_informs_only(
            "ANBest Nr. 2.1 gilt ab den Ausgaben April 2025 vorbehaltlich ergänzender oder "
            "abweichender Regelungen des Haushaltsgesetzes; welche das sind, sagt das Regelwerk "
            "nicht: die Ermäßigung wird nach Nr. 2.1 berechnet und der Vorbehalt angezeigt"
        ),
    )
    programme: ProgrammeRules | None = None

    @property
    def effective_drawdown(self) -> DrawdownRule:
        """The drawdown rule in force: the programme's where it sets one, else the edition's."""
        if self.programme is not None and self.programme.drawdown is not None:
            return self.programme.drawdown
        return self.drawdown

    @property
    def effective_limits(self) -> LimitsRule:
        """The limits in force: the programme's where it sets them, else the edition's."""
        if self.programme is not None and self.programme.limits is not None:
            return self.programme.limits
        return self.limits
