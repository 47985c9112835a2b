"""The results of the proof of use: what each figure is, with the steps that made it.

[`LineResult`][foerdermittel.proof.LineResult] (plan against actual per line),
[`PhaseResult`][foerdermittel.proof.PhaseResult] (the final account of a phase),
the income block's [`IncomeRow`][foerdermittel.proof.IncomeRow], the interim proof
([`InterimProof`][foerdermittel.proof.InterimProof]), the totals of the Belegliste
([`VoucherTotals`][foerdermittel.proof.VoucherTotals]) and the whole
[`ProofOfUse`][foerdermittel.proof.ProofOfUse]. Frozen values, no computation.

What a result says in words is data: a [`Message`][foerdermittel.message_types.Message]
(keys ``proof.…`` of the catalogues). The German words stay readable under the old names
(``Step.label``, ``PhaseResult.note``, ``IncomeRow.label``, ``LineResult.status_german``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from foerdermittel._moved import deprecated
from foerdermittel.financing import Reduction
from foerdermittel.flat_rates import FlatRateAmount
from foerdermittel.interest import InterestResult
from foerdermittel.message_types import (
    NOTHING,
    Message,
    MessageField,
    Worded,
    optional_words,
    words,
)
from foerdermittel.model.voucher_columns import VoucherColumns
from foerdermittel.money import ZERO
from foerdermittel.proof.form_results import ProofForm
from foerdermittel.rules.model import Declaration
from foerdermittel.views import Viewable
from foerdermittel.vouchers import ExcludedVoucher

__all__ = [
    "IncomeRow",
    "InterimProof",
    "InterimRow",
    "LineResult",
    "PhaseResult",
    "ProofOfUse",
    "Step",
    "VoucherTotals",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Step(Worded):
    """One step of a computation, so that every figure shows how it came about.

    Attributes:
        what: what the figure is, as a message (key ``proof.step.<name>``).
        how: how it was computed, in symbols, as a message (key ``proof.formula.<name>``,
            ``q × (A_ist − D_neu)``); the rulebook's figures in it (the line tolerance, the
            threshold of ANBest Nr. 2.2) are its parameters.
        value: the figure.
        source: the rule it rests on.

    The German words of ``what`` and ``how`` are the properties ``label`` and ``formula``,
    those of another language [`label_in`][foerdermittel.proof.Step.label_in] and
    [`formula_in`][foerdermittel.proof.Step.formula_in]; a dump carries them under
    the names ``label`` and ``formula`` too.
    """

    what: MessageField
    how: MessageField
    value: Decimal
    source: str

    @property
    def label(self) -> str:
        """What the figure is, in German; renderers use foerdermittel.messages."""
        return words(self.what)

    @property
    def formula(self) -> str:
        """The formula in German symbols; renderers use foerdermittel.messages."""
        return words(self.how)

    def label_in(self, lang: str) -> str:
        """What the figure is, in a language of the catalogues (``de``, ``en``)."""
        return words(self.what, lang)

    def formula_in(self, lang: str) -> str:
        """The formula in a language of the catalogues (``de``, ``en``)."""
        return words(self.how, lang)

    def _words_in(self, lang: str) -> dict[str, str | None]:
        return {"label": self.label_in(lang), "formula": self.formula_in(lang)}


_LINE_STATUSES = frozenset(
    {"within_plan", "within_tolerance", "beyond_tolerance", "official_condition", "not_applicable"}
)


class LineResult(_Frozen):
    """Soll-Ist-Vergleich of one budget line (ANBest Nr. 1.2).

    Attributes:
        line: the line's id.
        title: the line's title.
        phase: the line's phase.
        planned: the plan (as amended).
        actual_total: the vouchers of the line that count, up to the key date, gross ("Ist
            insgesamt"); a voucher that
            [`check_vouchers`][foerdermittel.vouchers.check_vouchers] excludes (a second entry
            of a voucher number, paid outside the approval period, no net amount) is in
            ``excluded`` instead.
        excluded: the vouchers of the line paid up to the key date that do not count, gross.
        actual: the eligible amounts of the vouchers that count (net where input tax is
            deductible, ANBest-Gk Nr. 6.4); booked, never a projection.
        difference: actual − planned.
        difference_pct: the difference in percent of the plan (``None`` for a plan of 0).
        allowed: the most the line may reach (plan + 20 %; ``None`` = no line limit).
        recognised: what counts towards the phase (actual, at most ``allowed``).
        status: ``within_plan``, ``within_tolerance``, ``beyond_tolerance``,
            ``official_condition`` or ``not_applicable`` (Festbetragsfinanzierung).
        flat_rate: for a flat-rate line (Pauschale): its rate, its base lines and their
            eligible actual; ``actual`` is then rate × that base, rounded down to the cent, and
            ``actual_total`` is 0 (the line has no vouchers; any booked to it are in
            ``excluded``). ``None`` for every other line, and left out of a dump.
    """

    line: str
    title: str
    phase: str
    planned: Decimal
    actual_total: Decimal
    actual: Decimal
    difference: Decimal
    difference_pct: Decimal | None
    allowed: Decimal | None
    recognised: Decimal
    status: str
    excluded: Decimal = ZERO
    flat_rate: FlatRateAmount | None = None

    @model_serializer(mode="wrap")
    def _without_flat_rate(self, handler: SerializerFunctionWrapHandler) -> Any:
        """A line that is no flat rate dumps as before: without a ``flat_rate`` key."""
        data = handler(self)
        if isinstance(data, dict) and data.get("flat_rate", ...) is None:
            del data["flat_rate"]
        return data

    @property
    def status_text(self) -> Message:
        """The status as a message (key ``line-status.<status>``)."""
        return Message.of(f"line-status.{self.status}")

    @property
    def status_german(self) -> str:
        """Deprecated: the status in German words; use ``status_in("de")``."""
        deprecated("LineResult.status_german", 'LineResult.status_in("de")')
        return self.status_in("de")

    def status_in(self, lang: str) -> str:
        """The status in a language of the catalogues, as the proof of use shows it."""
        if self.status not in _LINE_STATUSES:
            return self.status
        return words(self.status_text, lang)


class PhaseResult(Worded):
    """The final account of one phase.

    Attributes:
        phase: the phase.
        planned: eligible expenditure per decision (A).
        actual: eligible expenditure of the final account: the vouchers that count (Σ of the
            lines) — while the phase runs (``projected``), the forecast: booked plus the
            remaining plan.
        recognised: eligible expenditure recognised (line limits, the plan's total).
        cover_planned: third-party and other public money, planned.
        cover_actual: third-party and other public money, received.
        reduction: the grant after ANBest Nr. 2.
        paid: payouts recorded.
        balance: final grant − paid (positive: still due; negative: to refund).
        refund: the amount to refund (0 if none).
        refund_interest: interest on the refund (§ 49a Abs. 3 VwVfG), per payout that made
            the overpayment.
        projected: the phase runs on after the key date: the figures are a projection from
            the forecast (actual up to the key date plus the remaining plan).
        interest_problem: why the refund interest could not be computed, if so; the phase's
            ``refund_interest`` is then empty and the figure missing (an error finding
            ``interest-not-computed`` says so), never zero.
        ineffective_on: the day the grant became ineffective to the extent of the refund
            (from ``settings.refund_interest_from``), where there is a refund and it is known.
        steps: how the figures came about.
        remark: remarks (assumptions made) as a message, or
            [`NOTHING`][foerdermittel.message_types.NOTHING] without: the phase runs on (a
            projection, ``proof.remark.projection``), no income recorded (cover funds
            assumed as planned, ``proof.remark.cover-assumed``), or both. Its German words
            are the property ``note``, those of another language
            [`note_in`][foerdermittel.proof.PhaseResult.note_in] (``None`` without a
            remark); a dump carries them under the name ``note`` too.
        booked: eligible expenditure booked up to the key date (Σ of the lines' ``actual``),
            never a projection; equals ``actual`` once the phase has ended.
        grant_booked: the grant in the income block "laut Abrechnung": the final grant
            (``reduction.final``) once the phase has ended, the payouts up to the key date
            while it runs.
        cover_booked: third-party and other public money in the income block "laut
            Abrechnung": ``cover_actual`` once the phase has ended, the income received up to
            the key date while it runs.
        own_booked: own funds in the income block "laut Abrechnung": ``booked −
            grant_booked − cover_booked`` (negative: grant paid out and not yet spent).
    """

    phase: str
    planned: Decimal
    actual: Decimal
    recognised: Decimal
    cover_planned: Decimal
    cover_actual: Decimal
    reduction: Reduction
    paid: Decimal
    balance: Decimal
    refund: Decimal
    refund_interest: tuple[InterestResult, ...]
    projected: bool = False
    interest_problem: str | None = None
    ineffective_on: date | None = None
    steps: tuple[Step, ...]
    remark: MessageField = NOTHING
    booked: Decimal = ZERO
    grant_booked: Decimal = ZERO
    cover_booked: Decimal = ZERO
    own_booked: Decimal = ZERO

    @property
    def note(self) -> str | None:
        """The remarks in German, or ``None``; renderers use foerdermittel.messages."""
        return optional_words(self.remark)

    def note_in(self, lang: str) -> str | None:
        """The remarks in a language of the catalogues, or ``None`` without a remark."""
        return optional_words(self.remark, lang)

    def _words_in(self, lang: str) -> dict[str, str | None]:
        return {"note": self.note_in(lang)}


class IncomeRow(Worded):
    """A row of the income block (Einnahmen): per decision and per account, € and % of the total.

    The rows "laut Abrechnung" (``actual``) finance the expenditure block "laut Abrechnung" —
    the eligible amounts of the vouchers that count, booked up to the key date — and add up to
    it (the Deckung, Muster zu VV Nr. 10.1 zu § 44 BHO; ANBest-Gk Nr. 6.4: all income and
    expenditure by the structure of the financing plan): the grant per account
    (``PhaseResult.grant_booked``), third-party money (``cover_booked``), own funds the rest
    (``own_booked``). Never a projection; the projected final grant is in the payment block.

    Attributes:
        what: the row as a message: ``proof.income.own-share``, ``proof.income.cover``
            (third-party money and other public funding) or ``proof.income.grant``; scripts
            compare ``what.key``. Its German words are the property ``label``, those of
            another language [`label_in`][foerdermittel.proof.IncomeRow.label_in]; a
            dump carries them under the name ``label`` too.
        planned: per decision.
        planned_pct: in percent of the eligible expenditure per decision.
        actual: per account, booked (see above).
        actual_pct: in percent of the expenditure per account.
    """

    what: MessageField
    planned: Decimal
    planned_pct: Decimal | None
    actual: Decimal
    actual_pct: Decimal | None

    @property
    def label(self) -> str:
        """The row in German; renderers use foerdermittel.messages (``what``)."""
        return words(self.what)

    def label_in(self, lang: str) -> str:
        """The row in a language of the catalogues (``de``, ``en``)."""
        return words(self.what, lang)

    def _words_in(self, lang: str) -> dict[str, str | None]:
        return {"label": self.label_in(lang)}


class InterimRow(_Frozen):
    """A line of the interim proof.

    Columns of the federal layout: (2) recognised up to last year, (3) spent this year,
    (5) cumulative, (6) the plan's total.
    """

    line: str
    title: str
    before: Decimal
    year: Decimal
    cumulative: Decimal
    plan: Decimal


class InterimProof(_Frozen):
    """Zwischennachweis for one budget year (federal layout, profi).

    Attributes:
        year: the budget year.
        rows: the lines.
        expenditure: (14) the year's expenditure.
        own_funds: (15) own funds per plan.
        third_party: (16) third-party money per plan.
        additional_third_party: (17) further third-party money received.
        additional_federal_share: (17b) its part that reduces the grant (ANBest Nr. 2).
        federal_share: (18) the grant's share: (14) − (15) − (16) − (17b).
        federal_payments: (19) payouts of the year plus the previous year's cash balance.
        cash_balance: (20) cash balance at 31.12.: (19) − (18).
        own_funds_basis: where (15) comes from: ``booked`` — the own funds the ledger books
            as income (kind ``own_funds``) received in the year; ``computed`` — the plan's own
            funds in proportion to the year's expenditure, the fallback where the case has no
            own funds booked.
        third_party_basis: where (16) comes from: ``booked`` — the cover funds of the plan's
            sources received in the year; ``computed`` — the plan's share, the fallback where
            the case has none booked.
    """

    year: int
    rows: tuple[InterimRow, ...]
    expenditure: Decimal
    own_funds: Decimal
    third_party: Decimal
    additional_third_party: Decimal
    additional_federal_share: Decimal
    federal_share: Decimal
    federal_payments: Decimal
    cash_balance: Decimal
    own_funds_basis: Literal["booked", "computed"] = "computed"
    third_party_basis: Literal["booked", "computed"] = "computed"


class VoucherTotals(_Frozen):
    """Summen der Belegliste — the voucher totals a reconciliation (Abstimmung) checks.

    Amounts are gross (the ``amount`` of each voucher). They add up by construction of
    [`check_vouchers`][foerdermittel.vouchers.check_vouchers]:
    ``listed = counted + excluded`` and ``recorded = listed + after_key_date``; the lines of the
    proof of use add up to them: Σ ``LineResult.actual_total`` = ``counted``, Σ
    ``LineResult.excluded`` = ``excluded``, Σ ``LineResult.actual`` = ``counted_eligible``.

    Attributes:
        listed: the Belegliste: every voucher paid up to the key date, those that do not count
            included.
        listed_count: their number.
        counted: the vouchers that count (those counted with a reservation included).
        counted_count: their number.
        counted_eligible: their eligible amounts (net where input tax is deductible).
        excluded: the vouchers paid up to the key date that do not count.
        excluded_count: their number.
        after_key_date: the vouchers paid after the key date (left out).
        after_key_date_count: their number.
        recorded: every voucher of the case, whatever its date.
        income_recorded: every income entry of the case (a ledger's control sum covers them
            too).
        control_sum: the control sum of the ledger the vouchers were read from
            ([`Ledger.control_sum`][foerdermittel.io.ledger.Ledger], all amount cells of the
            file), where the caller knows it; ``None`` otherwise — the case keeps no control
            sum once its ledger is attached. When every voucher and income entry of the case
            came from that ledger, it equals ``recorded + income_recorded``.
    """

    listed: Decimal
    listed_count: int
    counted: Decimal
    counted_count: int
    counted_eligible: Decimal
    excluded: Decimal
    excluded_count: int
    after_key_date: Decimal
    after_key_date_count: int
    recorded: Decimal
    income_recorded: Decimal
    control_sum: Decimal | None = None


class ProofOfUse(_Frozen, Viewable):
    """Verwendungsnachweis — the figures, and what the final grant will be.

    Attributes:
        evaluated: whether vouchers are recorded (without them there is nothing to prove).
        as_of: the key date.
        vouchers: the eligible vouchers in date order (Belegliste).
        excluded: vouchers that do not count, or count with a reservation.
        after_key_date: number and sum of vouchers paid after the key date (left out).
        lines: plan against actual per line.
        phases: the final account per phase.
        income: the income block; "laut Abrechnung" it adds up to the expenditure block's
            Σ ``LineResult.actual`` (booked, see
            [`IncomeRow`][foerdermittel.proof.IncomeRow]).
        approved: payment block: the grant as approved (sum over phases).
        final: payment block: the final grant (sum over phases); a projection for each phase
            that still runs (``PhaseResult.projected``).
        paid: payment block: payouts recorded (sum over phases).
        balance: payment block: final − paid (sum over phases); projected where ``final`` is.
        refund: refunds (sum over phases).
        refund_interest: the interest on the refunds (sum over phases); incomplete where
            ``refund_interest_complete`` is false.
        interim: the interim proof per budget year.
        legal_reference: the rules.
        projected: some phase runs on after the key date, so ``final`` and ``balance`` hold a
            projection (the phases say which).
        totals: the totals of the Belegliste, for a reconciliation
            ([`VoucherTotals`][foerdermittel.proof.VoucherTotals]).
        refund_interest_complete: every phase's refund interest could be computed; when
            false, ``refund_interest`` lacks a figure (the phases' ``interest_problem`` say
            which and why) and renderers show "nicht berechenbar" instead of an amount.
        form: the proof of use in the form's order (header, Sachbericht, Einnahmen row by
            row, Ausgaben "insgesamt / davon zuwendungsfähig" with subtotals,
            [`ProofForm`][foerdermittel.proof.ProofForm]).
        voucher_list_required: the rulebook asks for a Belegliste (ANBest-P Nr. 6.2.2);
            where false (ANBest-Gk Nr. 6.4) a Belegliste handed in is a voluntary annex.
        audit_office_certificate: the rulebook asks a recipient with an audit office of its
            own to have the proof checked and certified first (ANBest-Gk Nr. 7.2): the form
            carries the block of the Prüfvermerk to fill in.
        declarations: the declarations (Bestätigungen) of the edition in force, each with its
            source.
        contents_source: where the rulebook writes these contents (``proof_contents.source``).
    """

    evaluated: bool
    as_of: date
    vouchers: VoucherColumns
    excluded: tuple[ExcludedVoucher, ...]
    after_key_date: tuple[int, Decimal]
    lines: tuple[LineResult, ...]
    phases: tuple[PhaseResult, ...]
    income: tuple[IncomeRow, ...]
    approved: Decimal
    final: Decimal
    paid: Decimal
    balance: Decimal
    refund: Decimal
    refund_interest: Decimal
    interim: tuple[InterimProof, ...]
    legal_reference: str
    projected: bool = False
    totals: VoucherTotals | None = None
    refund_interest_complete: bool = True
    form: ProofForm | None = None
    voucher_list_required: bool = True
    audit_office_certificate: bool = False
    declarations: tuple[Declaration, ...] = ()
    contents_source: str = ""

    @property
    def counted(self) -> Decimal:
        """The sum of the eligible vouchers (the Belegliste)."""
        return Decimal(sum(VoucherColumns.of(self.vouchers).amounts)).scaleb(-2)

    @property
    def income_planned(self) -> Decimal:
        """The income block's total "laut Bescheid"."""
        return sum((row.planned for row in self.income), ZERO)

    @property
    def income_actual(self) -> Decimal:
        """The income block's total "laut Abrechnung"."""
        return sum((row.actual for row in self.income), ZERO)

    @property
    def lines_planned(self) -> Decimal:
        """The expenditure block's total as planned: Σ ``LineResult.planned``."""
        return sum((x.planned for x in self.lines), ZERO)

    @property
    def lines_actual_total(self) -> Decimal:
        """The expenditure block's total actual expenditure: Σ ``LineResult.actual_total``."""
        return sum((x.actual_total for x in self.lines), ZERO)

    @property
    def lines_actual(self) -> Decimal:
        """The expenditure block's total eligible actual expenditure: Σ ``LineResult.actual``."""
        return sum((x.actual for x in self.lines), ZERO)

    @property
    def lines_excluded(self) -> Decimal:
        """The expenditure block's total of vouchers not counted: Σ ``LineResult.excluded``."""
        return sum((x.excluded for x in self.lines), ZERO)
