"""The proof of use as the form asks for it: header, Sachbericht, Einnahmen, Ausgaben.

The federal structure (Muster zu VV Nr. 10.1 zu § 44 BHO and the Land templates that copy it,
ANBest-Gk Nr. 6, ANBest-P Nr. 6): a header naming the recipient, the decision and each
amendment, the approval periods and the early start; I. the Sachbericht; II. the
zahlenmäßiger Nachweis with the Einnahmen row by row (own funds, third-party money without
public funding, other public funding "durch <Geber>", this grant) and the Ausgaben
"insgesamt / davon zuwendungsfähig" per decision and per final account, with subtotals per
group of the plan (the Leitthema) and per phase; the input-tax statement. The declarations and
the audit office's certificate (III.) sit on [`ProofOfUse`][foerdermittel.proof.ProofOfUse]
itself, straight from the rulebook. Frozen values, no computation.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from foerdermittel.message_types import Message, MessageField, Worded, words
from foerdermittel.model.narrative import ProofKind, ProofNarrative

__all__ = [
    "FormAmounts",
    "FormDecision",
    "FormExpenditure",
    "FormGroup",
    "FormHeader",
    "FormIncomeRow",
    "FormLine",
    "FormPeriod",
    "FormPhase",
    "ProofForm",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FormDecision(_Frozen):
    """The decision or one of its amendments, as the header lists them.

    Attributes:
        kind: ``decision`` (Zuwendungsbescheid) or ``amendment`` (Änderungsbescheid).
        id: the file number of the decision (``grant.id``) or the amendment's id.
        day: the date of the decision.
        amount: the grant as this decision leaves it (the decisions known on its day).
        title: what an amendment changes (its ``title``); ``None`` for the decision.
    """

    kind: Literal["decision", "amendment"]
    id: str
    day: date
    amount: Decimal
    title: str | None = None


class FormPeriod(_Frozen):
    """A phase's approval period (Bewilligungszeitraum) and its approved early start.

    Attributes:
        phase: the phase's id.
        title: the phase's title.
        start: first day of the approval period (as amended).
        end: last day of the approval period (as amended).
        early_start: the day from which an approved early start (vorzeitiger Maßnahmebeginn)
            applies, where the decision allows one.
    """

    phase: str
    title: str
    start: date
    end: date
    early_start: date | None = None


class FormHeader(_Frozen):
    """The header of the form.

    Attributes:
        recipient: the Zuwendungsempfänger.
        recipient_address: its address (``grant.recipient_address``), ``None`` where the case
            file gives none.
        funder: the Bewilligungsbehörde.
        file_number: the decision's file number (Aktenzeichen, ``grant.id``).
        decisions: the decision and each amendment in the order of their dates, each with
            the grant it leaves.
        periods: the approval periods per phase, with the early start.
        proof_kind: ``verwendungsnachweis`` or ``zwischennachweis``.
        proof_kind_stated: the case file's ``[report]`` states the kind; false where the key
            date implies it (every phase ended: Verwendungsnachweis).
    """

    recipient: str
    recipient_address: str | None
    funder: str
    file_number: str
    decisions: tuple[FormDecision, ...]
    periods: tuple[FormPeriod, ...]
    proof_kind: ProofKind
    proof_kind_stated: bool


class FormIncomeRow(Worded):
    """A row of the Einnahmen as the form has them, "laut Zuwendungsbescheid" and "laut Abrechnung".

    Attributes:
        kind: ``own_funds`` (Eigenmittel), ``third_party`` (Leistungen Dritter ohne
            öffentliche Förderung), ``other_public`` (other public funding, one row per
            funder) or ``grant`` (this grant).
        what: the row as a message (``proof-form.income.<kind>``, the funder's name in the
            other public funding's); its German words are the property ``label``.
        funder: who gives the other public funding (``FundingSource.title``, or the payer of
            money received that is not in the plan); ``None`` for the other rows.
        planned: per decision.
        planned_pct: in percent of the eligible expenditure per decision.
        actual: per final account (booked; the rows add up to the expenditure booked, as
            the income block of [`ProofOfUse.income`][foerdermittel.proof.ProofOfUse] does).
        actual_pct: in percent of the expenditure per final account.
    """

    kind: Literal["own_funds", "third_party", "other_public", "grant"]
    what: MessageField
    funder: str | None = None
    planned: Decimal
    planned_pct: Decimal | None
    actual: Decimal
    actual_pct: Decimal | None

    @property
    def label(self) -> str:
        """The row in German; renderers use foerdermittel.messages (``what``)."""
        return words(self.what)

    def _words_in(self, lang: str) -> dict[str, str | None]:
        return {"label": words(self.what, lang)}


class FormAmounts(_Frozen):
    """Ausgaben "insgesamt / davon zuwendungsfähig", per decision and per final account.

    Attributes:
        planned_total: per decision, insgesamt.
        planned_eligible: per decision, davon zuwendungsfähig.
        actual_total: per final account, insgesamt: the eligible amounts of the vouchers that
            count plus the vouchers that do not (a second entry of a voucher number left
            out: it is no expenditure), net where input tax is deductible and a net amount
            is known.
        actual_eligible: per final account, davon zuwendungsfähig (the lines' eligible
            actual, as the expenditure block of the proof of use).
    """

    planned_total: Decimal
    planned_eligible: Decimal
    actual_total: Decimal
    actual_eligible: Decimal


class FormLine(FormAmounts):
    """A budget line in the Ausgaben of the form.

    Attributes:
        line: the line's id.
        title: its title.
        group: its group in the plan (Leitthema), if any.
        difference: eligible actual − plan.
        difference_pct: the difference in percent of the plan.
        status: the line's status against the tolerance (as ``LineResult.status``).
        justification: the case file's justification of the deviation, if any.
        justification_missing: the line exceeds the tolerance of ANBest Nr. 1.2 and has no
            justification (a warning ``deviation-without-justification`` says so).
    """

    line: str
    title: str
    group: str | None
    difference: Decimal
    difference_pct: Decimal | None
    status: str
    justification: str | None = None
    justification_missing: bool = False


class FormGroup(FormAmounts):
    """The lines of one group of a phase and their subtotal ("Summe <Gruppe>").

    Attributes:
        group: the group (Leitthema); ``None`` for the lines without one.
        lines: the group's lines in the plan's order.
    """

    group: str | None
    lines: tuple[FormLine, ...]


class FormPhase(FormAmounts):
    """The Ausgaben of one phase: its groups with their subtotals, and the phase's subtotal.

    Attributes:
        phase: the phase's id.
        title: its title.
        groups: its groups in the order the plan first names them.
        justification: the case file's justification of the phase's deviation, if any.
    """

    phase: str
    title: str
    groups: tuple[FormGroup, ...]
    justification: str | None = None


class FormExpenditure(FormAmounts):
    """The Ausgaben of the form: per phase and group, per group over all phases, and in total.

    Attributes:
        phases: the phases.
        groups: each group's totals over all phases (the Leitthemen), in the plan's order;
            empty where no line has a group.
        ineligible_planned: expenditure the plan lists as not eligible (``plan.ineligible``,
            all budget years): part of "insgesamt" per decision, never "zuwendungsfähig";
            the final account has no figure of its own for it.
    """

    phases: tuple[FormPhase, ...]
    groups: tuple[FormGroup, ...]
    ineligible_planned: Decimal


class ProofForm(_Frozen):
    """The proof of use in the form's order, beside the figures of the proof of use.

    Attributes:
        header: the header.
        narrative: the Sachbericht from the case file's ``[report]`` (empty where it has none).
        narrative_missing: the parts of the Sachbericht the case file leaves out (``course``,
            ``results``, ``deviations``, ``technical_reports``).
        income: the Einnahmen row by row.
        expenditure: the Ausgaben.
        input_tax_deduction: the recipient may deduct input tax (``settings``): the amounts
            are net (ANBest-Gk Nr. 6.4, ANBest-P Nr. 6.2.2).
        input_tax_source: where the rule on net amounts is written.
    """

    header: FormHeader
    narrative: ProofNarrative
    narrative_missing: tuple[str, ...]
    income: tuple[FormIncomeRow, ...]
    expenditure: FormExpenditure
    input_tax_deduction: bool
    input_tax_source: str

    @property
    def income_planned(self) -> Decimal:
        """The Einnahmen's total per decision."""
        return sum((row.planned for row in self.income), Decimal("0.00"))

    @property
    def income_actual(self) -> Decimal:
        """The Einnahmen's total per final account."""
        return sum((row.actual for row in self.income), Decimal("0.00"))


def income_message(kind: str, funder: str | None) -> Message:
    """The label of an Einnahmen row: ``proof-form.income.<kind>``, with the funder's name."""
    key = f"proof-form.income.{kind.replace('_', '-')}"
    return Message.of(key, funder=funder) if funder is not None else Message.of(key)
